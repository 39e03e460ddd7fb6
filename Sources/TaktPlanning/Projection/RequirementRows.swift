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
        /// The parent order's receipt bucket, the parent's place in name order, the order's
        /// place in its split; an independent row's place among its bucket's (ramp 0, then
        /// demand rows in file order).
        var receipt: Int32, parentRank: Int32, split: Int32, place: Int32
        var quantity: Double

        /// Whether this row comes before `other` (§2d allocation order; distinct rows never tie).
        @inline(__always)
        func precedes(_ other: Row) -> Bool {
            if need != other.need { return need < other.need }
            let (ia, ib) = (kind == .independent, other.kind == .independent)
            if ia != ib { return ia }
            if ia { return place != other.place ? place < other.place : parent < other.parent }
            if receipt != other.receipt { return receipt < other.receipt }
            if parentRank != other.parentRank { return parentRank < other.parentRank }
            if split != other.split { return split < other.split }
            if line != other.line { return line < other.line }
            return parent < other.parent
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
        for d in plan.deliveries(of: item) {
            rows.append(Row(need: Int32(plan.deliveries[d].needBucket), kind: .independent, parent: Int32(d), line: -1,
                            receipt: 0, parentRank: 0, split: 0, place: plan.deliveryOrder[d],
                            quantity: plan.deliveries[d].quantity))
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
                    rows.append(Row(need: Int32(b), kind: .passThrough, parent: Int32(e), line: Int32(l), receipt: Int32(b),
                                    parentRank: rank, split: 0, place: 0, quantity: plan.passQuantity[e] * extended))
                }
            case .make:
                var previousDue = -1, place: Int32 = 0
                for o in plan.orders(of: p) {
                    let order = plan.orders[o]
                    place = order.dueBucket == previousDue ? place + 1 : 0
                    previousDue = order.dueBucket
                    let release = order.releaseBucket
                    guard plan.isEffective(l, on: plan.bucketDay[release]) else { continue }
                    rows.append(Row(need: Int32(release), kind: .order, parent: Int32(o), line: Int32(l),
                                    receipt: Int32(order.dueBucket), parentRank: rank, split: place, place: 0,
                                    quantity: order.quantity * extended))
                }
            case .buy:
                continue
            }
        }
        // Already in order (one source, in bucket order) is the common case.
        if rows.indices.dropFirst().contains(where: { !rows[$0 - 1].precedes(rows[$0]) }) {
            rows.sort { $0.precedes($1) }
        }
    }
}
