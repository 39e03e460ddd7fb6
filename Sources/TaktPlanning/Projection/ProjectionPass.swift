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
    /// The open receipt whose bringing-in alone covers every late row (`ShortageRemedy`);
    /// nil when none does (order now) or not looked for (`takt simulate`'s samples).
    public var expedite: ReceiptExpedite?
    /// Without such an expedite: the late quantity left once MRP's own moves of the item's
    /// open receipts are done (`lateAfterMoves`); nil when MRP moves none in.
    public var lateAfterMoves: Double?
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
    /// Allocates the items that cannot be late too (`itemsThatMayBeLate`): the tests' way
    /// to hold the shortcut to the full allocation.
    var allocatesEveryItem = false

    /// An `m` or available bucket of something never available.
    static let never = Int32.max

    /// Each order's material-ready bucket `m` and the BOM line of the row that set it, in
    /// one word (`ReadyKey`: one memory access a row, the rows of an item reaching orders
    /// all over the plan).
    var orderKey: ContiguousArray<UInt64>
    /// The same for each phantom pass-through entry.
    var passKey: ContiguousArray<UInt64>

    /// `m` in the high half and the setter's line complemented in the low one: the larger
    /// key is the later bucket, among equal buckets the earlier line (the one that sets it).
    enum ReadyKey {
        /// m = 0 and no line (`Int32.max`): any row's key is larger.
        static let none: UInt64 = UInt64(UInt32.max - UInt32(Int32.max))
        @inline(__always) static func make(_ available: Int32, line: Int32) -> UInt64 {
            UInt64(UInt32(bitPattern: available)) << 32 | UInt64(UInt32.max - UInt32(bitPattern: line))
        }
        @inline(__always) static func ready(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(key >> 32)) }
        @inline(__always) static func line(_ key: UInt64) -> Int32 {
            Int32(bitPattern: UInt32.max - UInt32(truncatingIfNeeded: key))
        }
    }

    /// Order `o`'s material-ready bucket `m` (0 when it causes no row, `never`).
    @inline(__always) func orderReady(_ o: Int) -> Int32 { ReadyKey.ready(orderKey[o]) }
    /// The BOM line of the row that set order `o`'s `m` (`Int32.max` when none).
    @inline(__always) func orderSetter(_ o: Int) -> Int32 { ReadyKey.line(orderKey[o]) }
    @inline(__always) func passReady(_ e: Int) -> Int32 { ReadyKey.ready(passKey[e]) }
    @inline(__always) func passSetter(_ e: Int) -> Int32 { ReadyKey.line(passKey[e]) }
    /// Per delivery (plan order): its available bucket (`never` when not delivered), late
    /// quantity and what it took last.
    public internal(set) var deliveryAvailable: ContiguousArray<Int32>
    public internal(set) var deliveryLate: ContiguousArray<Double>
    var deliveryOutcome: [RowOutcome]
    /// The items that are short (§2d `shortage`), in allocation order.
    public private(set) var shortages: [ProjectedShortage] = []

    /// `workers`: the orders' keys (8 bytes an order: 128 MB of fresh pages at 1M items,
    /// 55 ms on one core) are filled in one piece per core (of 4,096 orders at least).
    public init(plan: ProjectionPlan, delays: SupplyDelays? = nil, workers: any Workers = SerialWorkers()) {
        self.plan = plan
        self.delays = delays
        let orders = plan.mrp.orders.count, entries = plan.mrp.phantomPassThrough.quantity.count
        orderKey = workers.array(count: orders, pieces: max(1, min(workers.width, orders / 4096))) { range, at in
            at.initialize(repeating: ReadyKey.none, count: range.count)
        }
        passKey = ContiguousArray(repeating: ReadyKey.none, count: entries)
        let d = plan.deliveries.count
        deliveryAvailable = ContiguousArray(repeating: 0, count: d)
        deliveryLate = ContiguousArray(repeating: 0, count: d)
        deliveryOutcome = Array(repeating: .untouched, count: d)
    }

    // MARK: - Supply

    /// The bucket in which order `o` is available: `max(r, 0, m) + L` (plus its delay), or
    /// `SupplyEvent.never`.
    func orderAvailable(_ o: Int) -> Int {
        let m = orderReady(o)
        guard m != Self.never else { return SupplyEvent.never }
        let order = plan.orders[o]
        let lead = plan.lead[order.item]
        let start = max(order.dueBucket - lead, 0, Int(m))
        return start + lead + Int(delays?.order[o] ?? 0)
    }

    /// `orderAvailable` of the orders of `range`, clamped to `Int32` (`never` stays the
    /// largest), in one loop over the columns, written at `out` (uninitialized, room for
    /// `range.count`): each core writes its piece where it goes in the whole.
    func orderArrivals(_ range: Range<Int>, into out: UnsafeMutablePointer<Int32>) {
        let orders = plan.orders, lead = plan.lead, keys = orderKey
        let delay = delays?.order
        orders.withUnsafeBufferPointer { orders in
            for o in range {
                let m = ReadyKey.ready(keys[o])
                if m == Self.never {
                    (out + (o - range.lowerBound)).initialize(to: Int32(clamping: SupplyEvent.never))
                    continue
                }
                let order = orders[o]
                let l = lead[order.item]
                let a = max(order.dueBucket - l, 0, Int(m)) + l + Int(delay?[o] ?? 0)
                (out + (o - range.lowerBound)).initialize(to: Int32(clamping: a))
            }
        }
    }

    /// The bucket in which pass-through entry `e` is available: `max(b, m)`.
    func passAvailable(_ e: Int) -> Int {
        let m = passReady(e)
        guard m != Self.never else { return SupplyEvent.never }
        return max(Int(plan.passBucket[e]), Int(m))
    }

    /// Receipt `k`'s available bucket: its due bucket as written (plus its delay).
    func receiptAvailable(_ k: Int) -> Int {
        Int(plan.receiptDue[k]) + Int(delays?.receipt[k] ?? 0)
    }

    /// Every supply event of `item`, in supply order.
    func events(of item: Int, into events: inout [SupplyEvent]) {
        events.removeAll(keepingCapacity: true)
        if plan.onHand[item] > 0 { events.append(SupplyEvent(available: 0, kind: .onHand, index: item)) }
        for j in plan.receipts(of: item) {
            let k = Int(plan.receiptList[j])
            events.append(SupplyEvent(available: receiptAvailable(k), kind: .receipt, index: k))
        }
        for o in plan.orders(of: item) { events.append(SupplyEvent(available: orderAvailable(o), kind: .order, index: o)) }
        let row = Int(plan.phantomRow[item])
        if row >= 0 {
            for e in plan.passStart[row]..<plan.passStart[row + 1] {
                events.append(SupplyEvent(available: passAvailable(e), kind: .passThrough, index: e))
            }
        }
        events.sort()
    }

    /// What event `event` brings.
    func quantity(_ event: SupplyEvent) -> Double {
        switch event.kind {
        case .onHand: plan.onHand[event.index]
        case .receipt: plan.receiptQuantity[event.index]
        case .order: plan.orders[event.index].receiptQuantity
        case .passThrough: plan.passQuantity[event.index]
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
    func allocate(_ rows: ArraySlice<RequirementRows.Row>, _ events: [SupplyEvent], into result: inout Allocation) {
        result.outcome.removeAll(keepingCapacity: true)
        result.available.removeAll(keepingCapacity: true)
        result.late.removeAll(keepingCapacity: true)
        let buckets = plan.buckets
        var counted = events.count
        while counted > 0 && events[counted - 1].available >= buckets { counted -= 1 }
        var e = 0
        var remain = counted > 0 ? quantity(events[0]) : 0
        var owed = 0.0, taken = 0.0
        for row in rows {
            let q = row.quantity, need = Int(row.need)
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

    /// Allocates every item that may be late (`itemsThatMayBeLate`), from the highest
    /// low-level code down, on this thread; `run(workers:)` makes the rows on a second core.
    /// (`takt simulate` runs its samples on every core instead.)
    public mutating func run() {
        var rows = RequirementRows()
        var events: [SupplyEvent] = []
        var allocation = Allocation()
        let cached = !plan.cachedRowStart.isEmpty
        let mayBeLate = itemsThatMayBeLate()
        for entry in plan.allocationOrder {
            let item = Int(entry)
            guard mayBeLate[item] else {
                recordOnTime(item)
                continue
            }
            // The plan's own rows when it keeps them (`takt simulate`), read in place.
            let itemRows: ArraySlice<RequirementRows.Row>
            if cached {
                itemRows = plan.cachedRows[plan.cachedRowStart[item]..<plan.cachedRowStart[item + 1]]
            } else {
                rows.fill(item, plan: plan)
                itemRows = rows.rows[...]
            }
            guard !itemRows.isEmpty else { continue }
            self.events(of: item, into: &events)
            allocate(itemRows, events, into: &allocation)
            record(item, itemRows, allocation)
        }
    }

    /// Which items' allocations may find a row late; the others need no allocation.
    ///
    /// MRP nets every item so that its supply, counted where MRP counts it (each planned
    /// order in its due bucket `t`, each open receipt in its due or moved-to bucket),
    /// covers its gross requirements bucket by bucket — and those are the item's rows
    /// (§2d). An item none of whose supply comes later than MRP counted it is therefore
    /// covered first in, first out with every row on time: no late row, no delivery late,
    /// no parent order waiting for it. Its supply is not later when: it is not planned by
    /// the master schedule (whose supply may trail the ramp) and not a phantom (whose
    /// pass-throughs this does not follow); no order of it is released before the start or
    /// delayed; no receipt of it is available after MRP's bucket for it; it is not short
    /// inside the planning time fence (where MRP lets its stock fall below zero); and no
    /// component of it may be late (its orders would wait) — worked out from the deepest
    /// level up.
    func itemsThatMayBeLate() -> ContiguousArray<Bool> {
        let n = plan.model.items.count
        var may = ContiguousArray<Bool>(repeating: allocatesEveryItem, count: n)
        let mrp = plan.mrp
        // Short inside the planning time fence: MRP let its stock fall below zero there.
        if plan.model.plan.frozenWeeks > 0 {
            for row in mrp.exceptions where row.kind == .insideFence { may[row.item] = true }
        }
        // Without delays, the items with an order released before the start are those of
        // MRP's `past_due` exceptions (one for each such order): found from the exceptions
        // instead of from every order (16 M of them at 1M items).
        var pastDue = ContiguousArray<Bool>()
        if delays == nil {
            pastDue = ContiguousArray(repeating: false, count: n)
            for row in mrp.exceptions where row.kind == .pastDue { pastDue[row.item] = true }
        }
        for entry in plan.allocationOrder {
            let item = Int(entry)
            if !may[item] {
                if plan.scheduledProduct[item] >= 0 || plan.itemType[item] == .phantom {
                    may[item] = true
                } else if delays.map({ delays in
                    plan.orders(of: item).contains { plan.plannedRelease($0) < 0 || delays.order[$0] > 0 }
                }) ?? pastDue[item] {
                    may[item] = true
                } else {
                    for j in plan.receipts(of: item) {
                        let k = Int(plan.receiptList[j])
                        if let counted = mrp.receiptBucket(k), receiptAvailable(k) > counted {
                            may[item] = true
                            break
                        }
                    }
                }
            }
            guard may[item] else { continue }
            for k in Int(plan.componentStart[item])..<Int(plan.componentStart[item + 1]) {
                may[Int(plan.lineParent[Int(plan.byComponent[k])])] = true
            }
        }
        return may
    }

    /// An item whose rows are all on time (`itemsThatMayBeLate`): its deliveries are there
    /// when needed; its parents' orders do not wait for it.
    mutating func recordOnTime(_ item: Int) {
        for d in plan.deliveries(of: item) {
            deliveryAvailable[d] = Int32(plan.deliveries[d].needBucket)
            deliveryLate[d] = 0
            deliveryOutcome[d] = .untouched
        }
    }

    /// Passes one item's row outcomes on: to its deliveries, to its parents' orders (their
    /// `m`), and to the shortage it may be.
    mutating func record(_ item: Int, _ rows: ArraySlice<RequirementRows.Row>, _ allocation: Allocation) {
        var lateQuantity = 0.0
        var firstLate = -1
        var allAvailable: Int32 = 0
        for (j, row) in rows.enumerated() {
            let available = allocation.available[j]
            let parent = Int(row.parent)
            switch row.kind {
            case .independent:
                deliveryAvailable[parent] = available
                deliveryLate[parent] = allocation.late[j]
                deliveryOutcome[parent] = allocation.outcome[j]
            case .order:
                let key = ReadyKey.make(available, line: row.line)
                if key > orderKey[parent] { orderKey[parent] = key }
            case .passThrough:
                let key = ReadyKey.make(available, line: row.line)
                if key > passKey[parent] { passKey[parent] = key }
            }
            if allocation.late[j] > Tolerance.quantity {
                lateQuantity += allocation.late[j]
                if firstLate < 0 { firstLate = Int(row.need) }
                allAvailable = max(allAvailable, available)
            }
        }
        guard firstLate >= 0 else { return }
        // §2d: a shortage is an item with a planned order released late, not only late.
        let releasedLate = plan.orders(of: item).contains { o in
            plan.plannedRelease(o) < 0 && orderAvailable(o) > plan.orders[o].dueBucket
        }
        guard releasedLate else { return }
        shortages.append(ProjectedShortage(item: item, firstLateBucket: firstLate, lateQuantity: lateQuantity,
                                           availableBucket: allAvailable == Self.never ? nil : Int(allAvailable)))
    }
}

extension ProjectionPass {
    /// Allocates again from scratch with sample `sample`'s delays (`takt simulate`), drawn
    /// into this pass's own arrays and reusing them.
    public mutating func run(sample: Int, draws: LatenessDraws) {
        if delays == nil { delays = draws.noDelays() }
        draws.delays(sample: sample, into: &delays!)
        rerun()
    }

    /// Allocates again from scratch with `delays`, reusing this pass's arrays.
    public mutating func run(delays newDelays: SupplyDelays?) {
        delays = newDelays
        rerun()
    }

    private mutating func rerun() {
        for k in orderKey.indices { orderKey[k] = ReadyKey.none }
        for k in passKey.indices { passKey[k] = ReadyKey.none }
        shortages.removeAll(keepingCapacity: true)
        run()
    }
}
