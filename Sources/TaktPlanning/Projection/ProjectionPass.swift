import TaktModel

/// Supply that comes later than planned (`takt simulate`, contract §2e): buckets added to
/// each open receipt's and each planned order's available bucket (0 = as planned).
public struct SupplyDelays: Sendable {
    /// Per open receipt (`model.receipts` order).
    public var receipt: ContiguousArray<Int32>
    /// Per planned order (`mrp.orders` order).
    public var order: ContiguousArray<Int32>

    public init(receipt: ContiguousArray<Int32>, order: ContiguousArray<Int32>) {
        (self.receipt, self.order) = (receipt, order)
    }
}

/// An item whose own orders cannot be released in time and whose requirements come late
/// (contract §2c `shortage`, §2d).
public struct ProjectedShortage: Sendable, Hashable {
    public var item: Int
    /// The need bucket of the item's first late row (the risk's date).
    public var firstLateBucket: Int
    /// The late quantity of the item's late rows, in the item's units.
    public var lateQuantity: Double
    /// The bucket from which every late row is there; nil when one is not delivered.
    public var availableBucket: Int?
}

/// One allocation of a `ProjectionPlan` (contract §2d): what will arrive when, with the
/// plan as decided — and, with `delays`, with some supply later than planned.
///
/// Behaviour:
/// - every order is placed at its planned release `r = t - L` but no earlier than bucket
///   0 and no earlier than its material-ready bucket `m`: it starts in `s = max(r, 0, m)`
///   and is available in `s + L`; open receipts are available in their due bucket as
///   written; a pass-through in `max(b, m)`; supply available after the last bucket does
///   not count;
/// - each item's rows take its supply first in, first out; a row is covered once what it
///   and the rows before it took reaches their total less `min(1e-6 × max(1, total),
///   1e-3)`, and is available with the last supply it took (not delivered when the
///   supply that counts runs out);
/// - an order's `m` is the latest available bucket of its rows (the first in BOM-line
///   order among equals sets it; `never` when one is not delivered).
public struct ProjectionPass: Sendable {
    public let plan: ProjectionPlan
    private(set) var delays: SupplyDelays?

    /// An `m` or available bucket of something never available.
    static let never = Int32.max

    /// Each order's material-ready bucket `m` and the BOM line of the row that set it.
    private(set) var orderReady: ContiguousArray<Int32>
    private(set) var orderSetter: ContiguousArray<Int32>
    /// The same for each phantom pass-through entry.
    private(set) var passReady: ContiguousArray<Int32>
    private(set) var passSetter: ContiguousArray<Int32>
    /// Per delivery (plan order): its available bucket (`never` when not delivered), late
    /// quantity and what it took last.
    public private(set) var deliveryAvailable: ContiguousArray<Int32>
    public private(set) var deliveryLate: ContiguousArray<Double>
    private(set) var deliveryOutcome: [RowOutcome]
    /// The items that are short (§2d `shortage`), in allocation order.
    public private(set) var shortages: [ProjectedShortage] = []

    public init(plan: ProjectionPlan, delays: SupplyDelays? = nil) {
        self.plan = plan
        self.delays = delays
        let orders = plan.mrp.orders.count, entries = plan.mrp.phantomPassThrough.quantity.count
        orderReady = ContiguousArray(repeating: 0, count: orders)
        orderSetter = ContiguousArray(repeating: Int32.max, count: orders)
        passReady = ContiguousArray(repeating: 0, count: entries)
        passSetter = ContiguousArray(repeating: Int32.max, count: entries)
        let d = plan.deliveries.count
        deliveryAvailable = ContiguousArray(repeating: 0, count: d)
        deliveryLate = ContiguousArray(repeating: 0, count: d)
        deliveryOutcome = Array(repeating: .untouched, count: d)
    }

    // MARK: - Supply

    /// The bucket in which order `o` is available: `max(r, 0, m) + L` (plus its delay), or
    /// `SupplyEvent.never`.
    func orderAvailable(_ o: Int) -> Int {
        let m = orderReady[o]
        guard m != Self.never else { return SupplyEvent.never }
        let order = plan.mrp.orders[o]
        let lead = plan.mrp.leadTimeBuckets[order.item]
        let start = max(order.dueBucket - lead, 0, Int(m))
        return start + lead + Int(delays?.order[o] ?? 0)
    }

    /// The bucket in which pass-through entry `e` is available: `max(b, m)`.
    func passAvailable(_ e: Int) -> Int {
        let m = passReady[e]
        guard m != Self.never else { return SupplyEvent.never }
        return max(Int(plan.mrp.phantomPassThrough.bucket[e]), Int(m))
    }

    /// Receipt `k`'s available bucket: its due bucket as written (plus its delay).
    func receiptAvailable(_ k: Int) -> Int {
        Int(plan.mrp.receiptDueBucket[k]) + Int(delays?.receipt[k] ?? 0)
    }

    /// Every supply event of `item`, in supply order.
    func events(of item: Int, into events: inout [SupplyEvent]) {
        events.removeAll(keepingCapacity: true)
        let model = plan.model
        if model.items.onHand[item] > 0 { events.append(SupplyEvent(available: 0, kind: .onHand, index: item)) }
        for j in plan.receipts(of: item) {
            let k = Int(plan.receiptList[j])
            events.append(SupplyEvent(available: receiptAvailable(k), kind: .receipt, index: k))
        }
        for o in plan.orders(of: item) { events.append(SupplyEvent(available: orderAvailable(o), kind: .order, index: o)) }
        let row = Int(plan.mrp.phantomRow[item])
        if row >= 0 {
            for e in plan.mrp.phantomPassThrough.entries(ofRow: row) {
                events.append(SupplyEvent(available: passAvailable(e), kind: .passThrough, index: e))
            }
        }
        events.sort()
    }

    /// What event `event` brings.
    func quantity(_ event: SupplyEvent) -> Double {
        switch event.kind {
        case .onHand: plan.model.items.onHand[event.index]
        case .receipt: plan.model.receipts[event.index].quantity
        case .order: plan.mrp.orders[event.index].receiptQuantity
        case .passThrough: plan.mrp.phantomPassThrough.quantity[event.index]
        }
    }

    // MARK: - Allocation

    /// What each row of one item got.
    struct Allocation {
        var outcome: [RowOutcome] = []
        var available: [Int32] = []
        var late: [Double] = []
    }

    /// Allocates `events` (in supply order) to `rows` (in allocation order), first in,
    /// first out (§2d).
    func allocate(_ rows: RequirementRows, _ events: [SupplyEvent], into result: inout Allocation) {
        result.outcome.removeAll(keepingCapacity: true)
        result.available.removeAll(keepingCapacity: true)
        result.late.removeAll(keepingCapacity: true)
        let buckets = plan.buckets
        var counted = events.count
        while counted > 0 && events[counted - 1].available >= buckets { counted -= 1 }
        var e = 0
        var remain = counted > 0 ? quantity(events[0]) : 0
        var owed = 0.0, taken = 0.0
        for j in 0..<rows.count {
            let q = rows.quantity[j], need = Int(rows.need[j])
            owed += q
            let target = owed - min(1e-6 * max(1, owed), 1e-3)
            var late = 0.0
            var last: SupplyEvent?
            var delivered = true
            while taken < target {
                guard e < counted else {
                    delivered = false
                    break
                }
                let take = min(remain, owed - taken)
                if take > 0 {
                    taken += take
                    last = events[e]
                    if events[e].available > need { late += take }
                }
                if remain <= take {
                    e += 1
                    remain = e < counted ? quantity(events[e]) : 0
                } else {
                    remain -= take
                }
            }
            if delivered {
                result.outcome.append(last.map { .covered($0) } ?? .untouched)
                result.available.append(Int32(max(need, last?.available ?? need)))
                result.late.append(min(q, late))
            } else {
                result.outcome.append(.notDelivered)
                result.available.append(Self.never)
                result.late.append(max(0, min(q, late + owed - taken)))
            }
        }
    }

    /// Allocates every item, from the highest low-level code down.
    public mutating func run() {
        var rows = RequirementRows()
        var events: [SupplyEvent] = []
        var allocation = Allocation()
        for entry in plan.allocationOrder {
            let item = Int(entry)
            rows.fill(item, plan: plan)
            guard rows.count > 0 else { continue }
            self.events(of: item, into: &events)
            allocate(rows, events, into: &allocation)
            record(item, rows, allocation)
        }
    }

    /// Passes one item's row outcomes on: to its deliveries, to its parents' orders (their
    /// `m`), and to the shortage it may be.
    private mutating func record(_ item: Int, _ rows: RequirementRows, _ allocation: Allocation) {
        var lateQuantity = 0.0
        var firstLate = -1
        var allAvailable: Int32 = 0
        for j in 0..<rows.count {
            let available = allocation.available[j]
            let parent = Int(rows.parent[j])
            switch rows.kind[j] {
            case .independent:
                deliveryAvailable[parent] = available
                deliveryLate[parent] = allocation.late[j]
                deliveryOutcome[parent] = allocation.outcome[j]
            case .order:
                if available > orderReady[parent] || (available == orderReady[parent] && rows.line[j] < orderSetter[parent]) {
                    orderReady[parent] = available
                    orderSetter[parent] = rows.line[j]
                }
            case .passThrough:
                if available > passReady[parent] || (available == passReady[parent] && rows.line[j] < passSetter[parent]) {
                    passReady[parent] = available
                    passSetter[parent] = rows.line[j]
                }
            }
            if allocation.late[j] > Tolerance.quantity {
                lateQuantity += allocation.late[j]
                if firstLate < 0 { firstLate = Int(rows.need[j]) }
                allAvailable = max(allAvailable, available)
            }
        }
        guard firstLate >= 0 else { return }
        // §2d: a shortage is an item with a planned order released late, not only late.
        let releasedLate = plan.orders(of: item).contains { o in
            plan.plannedRelease(o) < 0 && orderAvailable(o) > plan.mrp.orders[o].dueBucket
        }
        guard releasedLate else { return }
        shortages.append(ProjectedShortage(item: item, firstLateBucket: firstLate, lateQuantity: lateQuantity,
                                           availableBucket: allAvailable == Self.never ? nil : Int(allAvailable)))
    }
}

extension ProjectionPass {
    /// Allocates again from scratch with `delays` (each sample of `takt simulate`),
    /// reusing this pass's arrays.
    public mutating func run(delays newDelays: SupplyDelays?) {
        delays = newDelays
        for k in orderReady.indices { (orderReady[k], orderSetter[k]) = (0, Int32.max) }
        for k in passReady.indices { (passReady[k], passSetter[k]) = (0, Int32.max) }
        shortages.removeAll(keepingCapacity: true)
        run()
    }
}
