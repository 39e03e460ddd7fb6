import TaktModel

/// One item's requirement rows in allocation order (contract §2d), in flat columns reused
/// from item to item.
///
/// Behaviour:
/// - rows go by need bucket; inside a bucket the independent rows first (ramp, then the
///   demand rows in file order), then the dependent rows by their parent order's receipt
///   bucket, the parent item's name, the order's place in its `max_lot` split and the BOM
///   line's file order;
/// - a dependent row is needed in its parent order's release bucket `max(r, 0)` (a
///   pass-through's: its bucket) for the BOM lines effective on that bucket's first day.
struct RequirementRows {
    enum Kind: UInt8 { case independent = 0, order, passThrough }

    /// One row and the keys it is sorted by.
    struct Row {
        var need: Int32
        var kind: Kind
        /// The delivery (independent), planned order or pass-through entry behind the row.
        var parent: Int32
        /// The BOM line of a dependent row, -1 for an independent one.
        var line: Int32
        /// The parent order's place in its `max_lot` split (0 for other rows).
        var split: Int32
        /// The sort keys in one word (`Key`): need bucket, independent first, then the
        /// parent order's receipt bucket and the parent's place in name order (a dependent
        /// row) or the row's place among its bucket's (ramp 0, then demand rows in file
        /// order), the split place in the low bits while it fits.
        var key: UInt64
        var quantity: Double

        /// Whether this row comes before `other` (§2d allocation order; distinct rows never tie).
        @inline(__always)
        func precedes(_ other: Row) -> Bool {
            if key != other.key { return key < other.key }
            if kind == .independent { return parent < other.parent }
            if split != other.split { return split < other.split }
            if line != other.line { return line < other.line }
            return parent < other.parent
        }
    }

    /// A row's sort key: need (13 bits, `PlannedOrder.bucketLimit`), dependent (1), then for
    /// a dependent row the receipt bucket (13), the parent's name rank (27,
    /// `PlannedOrder.itemLimit`) and the split place up to 1023 (10); for an independent
    /// one its place (50).
    enum Key {
        @inline(__always) static func independent(need: Int, place: Int32) -> UInt64 {
            UInt64(need) << 51 | UInt64(UInt32(bitPattern: place))
        }
        @inline(__always) static func dependent(need: Int, receipt: Int, rank: Int32, split: Int32) -> UInt64 {
            UInt64(need) << 51 | 1 << 50 | UInt64(receipt) << 37 | UInt64(UInt32(bitPattern: rank)) << 10 | UInt64(min(split, 1023))
        }
    }

    private(set) var rows: [Row] = []
    var count: Int { rows.count }

    subscript(_ j: Int) -> Row {
        @inline(__always) get { rows[j] }
    }

    /// Fills the rows of `item` in allocation order.
    mutating func fill(_ item: Int, plan: ProjectionPlan) {
        rows.removeAll(keepingCapacity: true)
        if !plan.cachedRowStart.isEmpty {
            rows.append(contentsOf: plan.cachedRows[plan.cachedRowStart[item]..<plan.cachedRowStart[item + 1]])
            return
        }
        Self.append(item, plan: plan, to: &rows)
    }

    /// Appends the rows of `item`, in allocation order, to `rows`.
    static func append(_ item: Int, plan: ProjectionPlan, to rows: inout [Row]) {
        let first = rows.count
        for d in plan.deliveries(of: item) {
            let need = plan.deliveries[d].needBucket
            rows.append(Row(need: Int32(need), kind: .independent, parent: Int32(d), line: -1, split: 0,
                            key: Key.independent(need: need, place: plan.deliveryOrder[d]), quantity: plan.deliveries[d].quantity))
        }
        for k in Int(plan.componentStart[item])..<Int(plan.componentStart[item + 1]) {
            let l = Int(plan.byComponent[k])
            let p = Int(plan.lineParent[l])
            let extended = plan.lineQuantity[l]
            let rank = plan.nameRank[p]
            switch plan.itemType[p] {
            case .phantom:
                let row = Int(plan.phantomRow[p])
                guard row >= 0 else { continue }
                for e in plan.passStart[row]..<plan.passStart[row + 1] {
                    let b = Int(plan.passBucket[e])
                    guard plan.isEffective(l, on: plan.bucketDay[b]) else { continue }
                    rows.append(Row(need: Int32(b), kind: .passThrough, parent: Int32(e), line: Int32(l), split: 0,
                                    key: Key.dependent(need: b, receipt: b, rank: rank, split: 0), quantity: plan.passQuantity[e] * extended))
                }
            case .make:
                var previousDue = -1, place: Int32 = 0
                for o in plan.orders(of: p) {
                    let order = plan.orders[o]
                    place = order.dueBucket == previousDue ? place + 1 : 0
                    previousDue = order.dueBucket
                    let release = order.releaseBucket
                    guard plan.isEffective(l, on: plan.bucketDay[release]) else { continue }
                    rows.append(Row(need: Int32(release), kind: .order, parent: Int32(o), line: Int32(l), split: place,
                                    key: Key.dependent(need: release, receipt: order.dueBucket, rank: rank, split: place),
                                    quantity: order.quantity * extended))
                }
            case .buy:
                continue
            }
        }
        // Already in order (one source, in bucket order) is the common case.
        if rows.indices[first...].dropFirst().contains(where: { !rows[$0 - 1].precedes(rows[$0]) }) {
            rows[first...].sort { $0.precedes($1) }
        }
    }
}
