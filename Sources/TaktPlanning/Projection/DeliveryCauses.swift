import TaktModel

/// Why a late delivery is late (contract §2d `cause`): the supply it took last is followed
/// down the BOM until an item whose own supply is late, or the master schedule's capacity.
///
/// Behaviour — for a late row, its last supply, the first rule that fits:
/// 1. a make order or pass-through started late for material (`m > max(r, 0)`): follow
///    the row of its own that set `m`, and so on down;
/// 2. a planned order released late (`r < 0` and `a > t`): its own item;
/// 3. supply of a product planned by the MPS (an MPS order on time for its own plan, or
///    an open receipt at its file date) available after the need: `capacity` when
///    `mps.csv` shows a backlog in the need week, else the product's earliest supply due
///    by the need bucket and available after it, by rules 1–2 (none: `capacity`);
/// 4. any other supply: its own item.
/// A row not delivered: `capacity` for a scheduled product with a backlog in its need
/// week; else the first supply of its item that did not count (after the last bucket, or
/// never), by rules 1–4; else `capacity` for a scheduled product, its own item otherwise.
///
/// A followed row is found by allocating its item again: the pass is deterministic and
/// its `m`s are final, so the replay gives the same outcomes (kept per item in `cache`).
extension ProjectionPass {
    /// The items allocated again while tracing, with their rows found by origin.
    public struct TraceCache {
        fileprivate var replays: [Int: Replay] = [:]
        public init() {}
    }

    fileprivate struct Replay {
        var need: [Int32]
        var outcome: [RowOutcome]
        /// (kind, parent, line) → row.
        var row: [RowKey: Int]
    }

    fileprivate struct RowKey: Hashable {
        var kind: RequirementRows.Kind
        var parent: Int32
        var line: Int32
    }

    private enum Step {
        case cause(DeliveryCause)
        case follow(item: Int, need: Int, outcome: RowOutcome)
    }

    /// The cause of delivery `d` (plan order), nil when it is on time.
    public func cause(ofDelivery d: Int, cache: inout TraceCache) -> DeliveryCause? {
        let delivery = plan.deliveries[d]
        let available = deliveryAvailable[d]
        guard available == Self.never || Int(available) > delivery.needBucket else { return nil }
        return trace(item: delivery.item, need: delivery.needBucket, outcome: deliveryOutcome[d], cache: &cache)
    }

    private func trace(item start: Int, need startNeed: Int, outcome startOutcome: RowOutcome,
                       cache: inout TraceCache) -> DeliveryCause {
        var (item, need, outcome) = (start, startNeed, startOutcome)
        while true {
            let event: SupplyEvent
            switch outcome {
            case .covered(let last):
                event = last
            case .untouched:
                return .item(item)
            case .notDelivered:
                if plan.backlogged(item, inWeekOf: need) { return .capacity }
                guard let first = firstUncounted(item) else {
                    return plan.scheduledProduct[item] >= 0 ? .capacity : .item(item)
                }
                event = first
            }
            switch step(event, item: item, need: need, cache: &cache) {
            case .cause(let cause): return cause
            case .follow(let next, let nextNeed, let nextOutcome): (item, need, outcome) = (next, nextNeed, nextOutcome)
            }
        }
    }

    /// Rules 1–4 on `event`, a supply of `item` taken by a row needed in `need`.
    private func step(_ event: SupplyEvent, item: Int, need: Int, cache: inout TraceCache) -> Step {
        switch event.kind {
        case .order:
            let o = event.index
            if let follow = material(order: o, cache: &cache) { return follow }
            if releasedLate(o) { return .cause(.item(item)) }
            if plan.scheduledProduct[item] >= 0 && orderAvailable(o) == plan.mrp.orders[o].dueBucket {
                return scheduledProduct(item, need: need, cache: &cache)
            }
            return .cause(.item(item))
        case .passThrough:
            return material(passThrough: event.index, cache: &cache) ?? .cause(.item(item))
        case .receipt:
            if plan.scheduledProduct[item] >= 0 && receiptAvailable(event.index) == Int(plan.receiptDue[event.index]) {
                return scheduledProduct(item, need: need, cache: &cache)
            }
            return .cause(.item(item))
        case .onHand:
            return .cause(.item(item))
        }
    }

    /// Rule 2: planned before bucket 0 and later than its own due bucket.
    private func releasedLate(_ o: Int) -> Bool {
        plan.plannedRelease(o) < 0 && orderAvailable(o) > plan.mrp.orders[o].dueBucket
    }

    /// Rule 1 for an order: started late for material, followed to the row that set `m`.
    private func material(order o: Int, cache: inout TraceCache) -> Step? {
        let m = orderReady(o)
        guard m == Self.never || Int(m) > max(plan.plannedRelease(o), 0) else { return nil }
        return setter(RowKey(kind: .order, parent: Int32(o), line: orderSetter(o)), cache: &cache)
    }

    /// Rule 1 for a pass-through entry.
    private func material(passThrough e: Int, cache: inout TraceCache) -> Step? {
        let m = passReady(e)
        guard m == Self.never || Int(m) > Int(plan.mrp.phantomPassThrough.bucket[e]) else { return nil }
        return setter(RowKey(kind: .passThrough, parent: Int32(e), line: passSetter(e)), cache: &cache)
    }

    /// The row `key` of its component, as the pass allocated it.
    private func setter(_ key: RowKey, cache: inout TraceCache) -> Step? {
        guard key.line != Int32.max else { return nil }
        let component = plan.model.bom.component[Int(key.line)]
        if cache.replays[component] == nil { cache.replays[component] = replay(component) }
        guard let replay = cache.replays[component], let j = replay.row[key] else { return nil }
        return .follow(item: component, need: Int(replay.need[j]), outcome: replay.outcome[j])
    }

    /// Rule 3: a scheduled product's own supply came on time for its plan.
    private func scheduledProduct(_ item: Int, need: Int, cache: inout TraceCache) -> Step {
        if plan.backlogged(item, inWeekOf: need) { return .cause(.capacity) }
        // Its earliest supply due by the need bucket that is available after it.
        var earliest: (due: Int, event: SupplyEvent)?
        func consider(due: Int, _ event: SupplyEvent) {
            guard due <= need, event.available > need else { return }
            if earliest == nil || (due, event.key) < (earliest!.due, earliest!.event.key) { earliest = (due, event) }
        }
        for o in plan.orders(of: item) {
            consider(due: plan.mrp.orders[o].dueBucket, SupplyEvent(available: orderAvailable(o), kind: .order, index: o))
        }
        for j in plan.receipts(of: item) {
            let k = Int(plan.receiptList[j])
            consider(due: Int(plan.receiptDue[k]), SupplyEvent(available: receiptAvailable(k), kind: .receipt, index: k))
        }
        guard let (_, event) = earliest else { return .cause(.capacity) }
        if event.kind == .order {
            if let follow = material(order: event.index, cache: &cache) { return follow }
        }
        return .cause(.item(item))
    }

    /// The first supply of `item`, in supply order, that does not count: available after
    /// the last bucket, or never.
    private func firstUncounted(_ item: Int) -> SupplyEvent? {
        var events: [SupplyEvent] = []
        self.events(of: item, into: &events)
        return events.first { $0.available >= plan.buckets }
    }

    /// `item` allocated again, its rows found by origin.
    private func replay(_ item: Int) -> Replay {
        var rows = RequirementRows()
        rows.fill(item, plan: plan)
        var events: [SupplyEvent] = []
        self.events(of: item, into: &events)
        var allocation = Allocation()
        allocate(rows.rows[...], events, into: &allocation)
        var index: [RowKey: Int] = [:]
        for j in 0..<rows.count where rows[j].kind != .independent {
            index[RowKey(kind: rows[j].kind, parent: rows[j].parent, line: rows[j].line)] = j
        }
        return Replay(need: rows.rows.map(\.need), outcome: allocation.outcome, row: index)
    }
}
