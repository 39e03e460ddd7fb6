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

    private(set) var need: [Int32] = []
    private(set) var quantity: [Double] = []
    private(set) var kind: [Kind] = []
    /// The delivery (independent), planned order or pass-through entry behind the row.
    private(set) var parent: [Int32] = []
    /// The BOM line of a dependent row, -1 for an independent one.
    private(set) var line: [Int32] = []
    var count: Int { need.count }

    // The sort keys of the rows being made, and the sorted order.
    private var receipt: [Int32] = [], parentRank: [Int32] = [], split: [Int32] = [], place: [Int32] = []
    private var sorted: [Int32] = []

    /// Fills the rows of `item` in allocation order.
    mutating func fill(_ item: Int, plan: ProjectionPlan) {
        need.removeAll(keepingCapacity: true)
        quantity.removeAll(keepingCapacity: true)
        kind.removeAll(keepingCapacity: true)
        parent.removeAll(keepingCapacity: true)
        line.removeAll(keepingCapacity: true)
        receipt.removeAll(keepingCapacity: true)
        parentRank.removeAll(keepingCapacity: true)
        split.removeAll(keepingCapacity: true)
        place.removeAll(keepingCapacity: true)
        for d in plan.deliveries(of: item) {
            append(need: plan.deliveries[d].needBucket, quantity: plan.deliveries[d].quantity, kind: .independent, parent: d,
                   line: -1, receipt: 0, rank: 0, split: 0, place: Int(plan.deliveryOrder[d]))
        }
        let model = plan.model, bom = model.bom, mrp = plan.mrp
        for k in bom.componentRange(item) {
            let l = bom.byComponent[k]
            let p = bom.parent[l]
            let extended = bom.extendedQty(l)
            let rank = plan.nameRank[p]
            switch model.items.type[p] {
            case .phantom:
                let row = Int(mrp.phantomRow[p])
                guard row >= 0 else { continue }
                let passed = mrp.phantomPassThrough
                for e in passed.entries(ofRow: row) {
                    let b = Int(passed.bucket[e])
                    guard bom.isEffective(l, on: plan.bucketDay[b]) else { continue }
                    append(need: b, quantity: passed.quantity[e] * extended, kind: .passThrough, parent: e, line: l,
                           receipt: b, rank: rank, split: 0, place: 0)
                }
            case .make:
                var previousDue = -1, place = 0
                for o in plan.orders(of: p) {
                    let order = mrp.orders[o]
                    place = order.dueBucket == previousDue ? place + 1 : 0
                    previousDue = order.dueBucket
                    let release = order.releaseBucket
                    guard bom.isEffective(l, on: plan.bucketDay[release]) else { continue }
                    append(need: release, quantity: order.quantity * extended, kind: .order, parent: o, line: l,
                           receipt: order.dueBucket, rank: rank, split: place, place: 0)
                }
            case .buy:
                continue
            }
        }
        sortRows()
    }

    private mutating func append(need t: Int, quantity q: Double, kind k: Kind, parent: Int, line l: Int,
                                 receipt: Int, rank: Int, split s: Int, place p: Int) {
        need.append(Int32(t))
        quantity.append(q)
        kind.append(k)
        self.parent.append(Int32(parent))
        line.append(Int32(l))
        self.receipt.append(Int32(receipt))
        parentRank.append(Int32(rank))
        split.append(Int32(s))
        place.append(Int32(p))
    }

    /// Puts the rows in allocation order.
    private mutating func sortRows() {
        let n = need.count
        guard n > 1 else { return }
        sorted.removeAll(keepingCapacity: true)
        sorted.append(contentsOf: (0..<Int32(n)))
        // Already in order (one source, bucket order): the common case of a single parent.
        var inOrder = true
        for j in 1..<n where !precedes(j - 1, j) {
            inOrder = false
            break
        }
        if inOrder { return }
        var order = sorted
        order.sort { precedes(Int($0), Int($1)) }
        sorted = order
        need = sorted.map { need[Int($0)] }
        quantity = sorted.map { quantity[Int($0)] }
        kind = sorted.map { kind[Int($0)] }
        parent = sorted.map { parent[Int($0)] }
        line = sorted.map { line[Int($0)] }
    }

    /// Whether row `a` comes before row `b` (§2d allocation order; distinct rows never tie).
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        if need[a] != need[b] { return need[a] < need[b] }
        let (ia, ib) = (kind[a] == .independent, kind[b] == .independent)
        if ia != ib { return ia }
        if ia { return place[a] != place[b] ? place[a] < place[b] : parent[a] < parent[b] }
        if receipt[a] != receipt[b] { return receipt[a] < receipt[b] }
        if parentRank[a] != parentRank[b] { return parentRank[a] < parentRank[b] }
        if split[a] != split[b] { return split[a] < split[b] }
        if line[a] != line[b] { return line[a] < line[b] }
        return parent[a] < parent[b]
    }
}
