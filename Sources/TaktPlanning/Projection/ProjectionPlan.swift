import TaktModel
import TaktInput

/// What the projection allocates (contract §2d), made once per plan from the MRP's
/// result: the independent requirement rows (the future `deliveries.csv`), each item's
/// supply and where its dependent rows come from. A pass (`ProjectionPass`) allocates it,
/// as planned or with supply delays (`takt simulate`), without changing it.
///
/// Behaviour:
/// - items are allocated from the highest low-level code down to 0 (items of one code by
///   name): a component's rows are needed in its parents' release buckets, which the MRP
///   fixed, so every parent order's material-ready bucket is known before the parent;
/// - independent rows: for a product planned by the MPS one per phase week with a ramp
///   requirement (the week's ramp, needed in the week's first bucket) and one per demand
///   row inside the phases; for any other item one per demand row and, under `mps: ramp`,
///   one per bucket with a ramp requirement;
/// - dependent rows: one per (make order, BOM line effective on its release bucket's
///   first day), needed in the order's release bucket, of the order quantity × the line's
///   quantity with scrap; one per (phantom pass-through, line) in its bucket.
public struct ProjectionPlan: Sendable {
    public let model: PlanningModel
    public let mrp: MRPResult
    public var buckets: Int { mrp.bucketCount }
    let bucketsPerWeek: Int
    /// Each bucket's first day number (BOM effectivity of what is exploded there).
    let bucketDay: ContiguousArray<Int>
    /// Items in allocation order: low-level code descending, then name (byte order).
    let allocationOrder: ContiguousArray<Int32>
    /// Each item's orders are `orderStart[item]..<orderEnd[item]` of `mrp.orders` (the
    /// MRP plans item by item, in planning order: each item's orders are one run).
    let orderStart: ContiguousArray<Int32>
    let orderEnd: ContiguousArray<Int32>
    /// Each item's open receipts inside the horizon, in file order (§2 drops one dated past
    /// the horizon, with a warning: it is no supply event either):
    /// `receiptList[receiptStart[item]..<receiptStart[item + 1]]`.
    let receiptStart: ContiguousArray<Int32>
    let receiptList: ContiguousArray<Int32>
    /// The independent rows in `deliveries.csv` order (item name, need bucket, allocation
    /// order); an item's rows are `deliveryStart[item]..<deliveryStart[item] + deliveryCount[item]`.
    public let deliveries: [Delivery]
    let deliveryStart: ContiguousArray<Int32>
    let deliveryCount: ContiguousArray<Int32>
    /// Each delivery's place among its bucket's independent rows: ramp first (0), then the
    /// demand rows in file order.
    let deliveryOrder: ContiguousArray<Int32>
    /// The product index (plan order) of each product planned by the master schedule
    /// (§2a), -1 for every other item.
    let scheduledProduct: ContiguousArray<Int32>
    /// Per product and week: the master schedule leaves a backlog above 1e-6 (`mps.csv`).
    let backlogged: [[Bool]]

    // The model's and the MRP's columns the allocation reads item after item, held here so
    // that the hot loops index arrays instead of going through the model and the result.
    let orders: [PlannedOrder]
    let lead: ContiguousArray<Int>
    let itemType: ContiguousArray<ItemType>
    let onHand: ContiguousArray<Double>
    let receiptQuantity: ContiguousArray<Double>
    let receiptDue: ContiguousArray<Int32>
    let phantomRow: ContiguousArray<Int32>
    let passStart: ContiguousArray<Int>
    let passBucket: ContiguousArray<Int32>
    let passQuantity: ContiguousArray<Double>
    /// The BOM by component: lines `byComponent[componentStart[c]..<componentStart[c + 1]]`.
    let componentStart: ContiguousArray<Int32>
    let byComponent: ContiguousArray<Int32>
    let lineParent: ContiguousArray<Int32>
    /// Each line's quantity per parent with scrap (`BOM.extendedQty`).
    let lineQuantity: ContiguousArray<Double>
    let lineFrom: ContiguousArray<Int32>
    let lineTo: ContiguousArray<Int32>
    /// Each item's place in name order (UTF-8 byte order).
    let nameRank: ContiguousArray<Int32>
    /// Every item's requirement rows in allocation order, once made (`cachingRows`): they
    /// do not depend on the supply, so the samples of `takt simulate` share them.
    private(set) var cachedRows: [RequirementRows.Row] = []
    private(set) var cachedRowStart: ContiguousArray<Int> = []

    /// `nameRank`: the items' name order when the caller has it (`ItemTable.nameRank`),
    /// else made here. Over 80 lines: it fills the plan's flat columns (orders, lines,
    /// supply events) in one pass each, in the order they depend on one another.
    public init(model: PlanningModel, mrp: MRPResult, mps: MasterSchedule?, nameRank: ContiguousArray<Int>? = nil) {
        self.model = model
        self.mrp = mrp
        let items = model.items
        let n = items.count
        let calendar = mrp.calendar
        bucketsPerWeek = calendar.bucketsPerWeek
        bucketDay = ContiguousArray(calendar.bucketStart.map(\.number))
        let rank = nameRank ?? items.nameRank()
        self.nameRank = ContiguousArray(rank.map { Int32($0) })
        // Low-level code descending, then name: the items in name order dealt to their
        // levels (a counting sort; no comparison).
        var byRank = ContiguousArray<Int32>(repeating: 0, count: n)
        for item in 0..<n { byRank[rank[item]] = Int32(item) }
        let deepest = Int(model.lowLevelCode.max() ?? 0)
        var levelStart = [Int](repeating: 0, count: deepest + 2)
        for item in 0..<n { levelStart[deepest - Int(model.lowLevelCode[item]) + 1] += 1 }
        for l in 0...deepest { levelStart[l + 1] += levelStart[l] }
        var order = ContiguousArray<Int32>(repeating: 0, count: n)
        for item in byRank {
            let l = deepest - Int(model.lowLevelCode[Int(item)])
            order[levelStart[l]] = item
            levelStart[l] += 1
        }
        allocationOrder = order

        (orderStart, orderEnd) = (mrp.orderStart, mrp.orderEnd)

        var receiptStart = ContiguousArray<Int32>(repeating: 0, count: n + 1)
        for (k, receipt) in model.receipts.enumerated() where mrp.receiptDueBucket[k] >= 0 { receiptStart[receipt.item + 1] += 1 }
        for i in 0..<n { receiptStart[i + 1] += receiptStart[i] }
        var fill = receiptStart
        var receiptList = ContiguousArray<Int32>(repeating: 0, count: Int(receiptStart[n]))
        for (k, receipt) in model.receipts.enumerated() where mrp.receiptDueBucket[k] >= 0 {
            receiptList[Int(fill[receipt.item])] = Int32(k)
            fill[receipt.item] += 1
        }
        self.receiptStart = receiptStart
        self.receiptList = receiptList
        orders = mrp.orders
        lead = mrp.leadTimeBuckets
        itemType = items.type
        onHand = items.onHand
        receiptQuantity = ContiguousArray(model.receipts.map(\.quantity))
        receiptDue = mrp.receiptDueBucket
        phantomRow = mrp.phantomRow
        passStart = mrp.phantomPassThrough.start
        passBucket = mrp.phantomPassThrough.bucket
        passQuantity = mrp.phantomPassThrough.quantity
        let bom = model.bom
        componentStart = bom.componentStart.storage
        byComponent = bom.byComponent.storage
        lineParent = bom.parent.storage
        lineQuantity = ContiguousArray((0..<bom.count).map { bom.extendedQty($0) })
        lineFrom = bom.effectiveFrom.storage
        lineTo = bom.effectiveTo.storage

        // §2a: the products the MRP planned from the master schedule (as `MRPEngine` picks them).
        var scheduled = ContiguousArray<Int32>(repeating: -1, count: n)
        let fromSchedule = mps != nil && model.plan.plansFromMPS
        if fromSchedule {
            for (p, product) in model.plan.products.enumerated() where items.type[product.item] != .phantom {
                scheduled[product.item] = Int32(p)
            }
        }
        scheduledProduct = scheduled
        backlogged = Self.backlogs(model: model, mps: fromSchedule ? mps : nil)

        let rows = Self.independentRows(model: model, mrp: mrp, mps: fromSchedule ? mps : nil, scheduled: scheduled)
        // deliveries.csv order: item name, need bucket, then ramp before demand (file order).
        let sorted = rows.indices.sorted { a, b in
            let (x, y) = (rows[a], rows[b])
            if x.delivery.item != y.delivery.item { return rank[x.delivery.item] < rank[y.delivery.item] }
            if x.delivery.needBucket != y.delivery.needBucket { return x.delivery.needBucket < y.delivery.needBucket }
            return x.order < y.order
        }
        deliveries = sorted.map { rows[$0].delivery }
        deliveryOrder = ContiguousArray(sorted.map { Int32(rows[$0].order) })
        var start = ContiguousArray<Int32>(repeating: 0, count: n)
        var count = ContiguousArray<Int32>(repeating: 0, count: n)
        for (d, delivery) in deliveries.enumerated() {
            if count[delivery.item] == 0 { start[delivery.item] = Int32(d) }
            count[delivery.item] += 1
        }
        deliveryStart = start
        deliveryCount = count
    }

    /// The independent rows in any order, each with its place among a bucket's rows.
    static func independentRows(model: PlanningModel, mrp: MRPResult, mps: MasterSchedule?,
                                scheduled: ContiguousArray<Int32>) -> [(delivery: Delivery, order: Int)] {
        var rows: [(delivery: Delivery, order: Int)] = []
        func row(_ item: Int, _ source: String, _ bucket: Int, _ quantity: Double, order: Int) {
            rows.append((Delivery(item: item, source: source, needBucket: bucket, quantity: quantity, lateQuantity: 0,
                                  availableBucket: bucket, cause: nil), order))
        }
        let perWeek = mrp.calendar.bucketsPerWeek
        let pct = mrp.calendar.capacityPct(model.plan.phases)
        for (p, product) in model.plan.products.enumerated() {
            if let mps, scheduled[product.item] == Int32(p) {
                // A product planned by the master schedule: its weekly ramp in each phase week.
                for week in 0..<mps.endWeek where mps.flows.target[p][week] > 0 {
                    row(product.item, "ramp", week * perWeek, mps.flows.target[p][week], order: 0)
                }
            } else {
                // The ramp of each bucket, as the MRP nets it: under `mps: ramp` (or without
                // phases), and a phantom product under `mps: capacity`, which the MRP nets
                // as a phantom against its ramp (`MRPEngine`), not from the schedule.
                for t in 0..<mrp.calendar.count where pct[t] > 0 {
                    let quantity = product.fullRatePerWeek * pct[t] / 100 * (1.0 / Double(perWeek))
                    if quantity > 0 { row(product.item, "ramp", t, quantity, order: 0) }
                }
            }
        }
        let endBucket = (mps?.endWeek ?? 0) * perWeek
        for (k, demand) in model.demand.enumerated() {
            guard let t = mrp.calendar.bucket(of: demand.date) else { continue }
            // A scheduled product's demand after the last phase is not planned (§2a).
            if scheduled[demand.item] >= 0 && t >= endBucket { continue }
            row(demand.item, demand.reference.isEmpty ? "demand" : demand.reference, t, demand.quantity, order: 1 + k)
        }
        return rows
    }

    /// Per product and week of the master schedule: a backlog above 1e-6.
    static func backlogs(model: PlanningModel, mps: MasterSchedule?) -> [[Bool]] {
        guard let mps else { return [] }
        var backlogged = [[Bool]](repeating: [Bool](repeating: false, count: mps.weekly.count),
                                  count: model.plan.products.count)
        for row in mps.rows where row.backlog > 1e-6 { backlogged[row.product][row.week] = true }
        return backlogged
    }

    /// Whether `item` is a product planned by the master schedule and `mps.csv` shows a
    /// backlog above 1e-6 in the week of `bucket`.
    func backlogged(_ item: Int, inWeekOf bucket: Int) -> Bool {
        let p = Int(scheduledProduct[item])
        guard p >= 0, p < backlogged.count else { return false }
        let week = bucket / bucketsPerWeek
        return week < backlogged[p].count && backlogged[p][week]
    }

    @inline(__always)
    func orders(of item: Int) -> Range<Int> { Int(orderStart[item])..<Int(orderEnd[item]) }

    @inline(__always)
    func receipts(of item: Int) -> Range<Int> { Int(receiptStart[item])..<Int(receiptStart[item + 1]) }

    /// The delivery indices of `item`'s independent rows, in allocation order.
    @inline(__always)
    func deliveries(of item: Int) -> Range<Int> {
        let first = Int(deliveryStart[item])
        return first..<first + Int(deliveryCount[item])
    }

    /// The release bucket `r = t - L` an order was planned with (below 0 when past due).
    @inline(__always)
    func plannedRelease(_ o: Int) -> Int {
        let order = orders[o]
        return order.dueBucket - lead[order.item]
    }

    /// This plan with every item's rows made once and kept (about 40 bytes a row).
    public func cachingRows() -> ProjectionPlan {
        var plan = self
        var rows = RequirementRows()
        var all: [RequirementRows.Row] = []
        var start = ContiguousArray<Int>(repeating: 0, count: model.items.count + 1)
        for item in 0..<model.items.count {
            rows.fill(item, plan: self)
            all.append(contentsOf: rows.rows)
            start[item + 1] = all.count
        }
        plan.cachedRows = all
        plan.cachedRowStart = start
        return plan
    }

    /// Whether BOM line `l` is in effect on `day` (`BOM.isEffective`).
    @inline(__always)
    func isEffective(_ l: Int, on day: Int) -> Bool {
        BOM.isEffective(from: lineFrom[l], to: lineTo[l], on: day)
    }
}
