import TaktModel
import TaktInput

/// What one good unit of an item costs, rolled up its BOM on a day.
///
/// Behaviour (BOM lines effective on the day):
/// - a `buy` item costs its price — the chosen supplier's `unit_price`, else `unit_cost` —
///   times `100 / yield_pct`, as MRP orders it (a good unit of a 90 % yield part costs
///   price / 0.9); its own BOM lines, if any, are not costed (MRP does not explode it);
/// - a `make` item: one good unit starts `100 / yield_pct` units, each taking its own run
///   hours (items.csv `run_hours` at its work center, plus routings.csv) at the work
///   center's `cost_per_hour`, and `qty_per × (1 + scrap_pct / 100)` of each component;
/// - a `phantom` passes through: its components' costs (and its own hours, if any),
///   without yield;
/// - setup hours and `order_cost` are left out: they depend on the lot, not the unit;
/// - material and labour are kept apart all the way up;
/// - the rolled first-pass yield is `yield_pct / 100` of every make item down each BOM
///   line's sub-tree, multiplied (a sub-assembly used on two lines counts twice).
///
/// - Complexity: one pass over the BOM per day, deepest level first, on flat arrays; on
///   later days only the items above a line whose effectivity changed are costed again.
public struct CostRollup: Sendable {
    public let model: PlanningModel
    /// The chosen offer of each buy item (`SupplierChoice.choose`).
    public let chosen: ContiguousArray<Int>
    /// Own labour of one started unit of each item: Σ run hours × `cost_per_hour`.
    let ownLabour: ContiguousArray<Double>

    public init(model: PlanningModel, chosen: ContiguousArray<Int>? = nil) {
        self.model = model
        self.chosen = chosen ?? SupplierChoice.choose(model)
        var own = ContiguousArray<Double>(repeating: 0, count: model.items.count)
        let items = model.items
        for item in 0..<items.count where items.workcenter[item] >= 0 {
            own[item] += items.runHours[item] * model.workcenters[items.workcenter[item]].costPerHour
        }
        for step in model.routings { own[step.item] += step.runHours * model.workcenters[step.workcenter].costPerHour }
        ownLabour = own
    }

    /// Per good unit of every item: material, labour, rolled first-pass yield (a share).
    public struct UnitCosts: Sendable {
        public var material: ContiguousArray<Double>
        public var labour: ContiguousArray<Double>
        public var firstPassYield: ContiguousArray<Double>
        /// The day this buffer was last rolled up on (nil when fresh): a roll-up on another
        /// day redoes only what changed since (`rollUp`).
        var rolledOn: Int?

        public init(material: ContiguousArray<Double>, labour: ContiguousArray<Double>, firstPassYield: ContiguousArray<Double>) {
            (self.material, self.labour, self.firstPassYield) = (material, labour, firstPassYield)
        }

        public func total(_ item: Int) -> Double { material[item] + labour[item] }

        /// The figures of `items` alone (the KPIs need only the products': a whole
        /// `UnitCosts` is 24 bytes an item, kept per BOM epoch until the KPIs are made).
        public func of(_ items: some Sequence<Int>) -> [Int: UnitCost] {
            var kept: [Int: UnitCost] = [:]
            for item in items {
                kept[item] = UnitCost(material: material[item], labour: labour[item], firstPassYield: firstPassYield[item])
            }
            return kept
        }
    }

    /// One item's figures of `UnitCosts`.
    public struct UnitCost: Sendable, Equatable {
        public var material: Double
        public var labour: Double
        public var firstPassYield: Double
    }

    public func unitCosts(on day: Day) -> UnitCosts {
        let n = model.items.count
        var costs = UnitCosts(material: ContiguousArray(repeating: 0, count: n), labour: ContiguousArray(repeating: 0, count: n),
                              firstPassYield: ContiguousArray(repeating: 1, count: n))
        rollUp(on: day, into: &costs)
        return costs
    }

    /// `unitCosts(on:)` written over `costs` (a previous day's, or fresh), so one buffer
    /// serves every BOM epoch (24 bytes an item each time otherwise, page-faulted in anew).
    /// On a buffer rolled up before, an item is costed again only when one of its lines
    /// starts or stops being in effect between the two days, or a component on a line in
    /// effect was costed again (components come first, deepest level first): every other
    /// item has the same lines in effect and components whose figures did not change, so
    /// its figures are the same numbers. The bought items' figures do not depend on the
    /// day and are set once. A buffer rolled up before must come from this same roll-up
    /// (the same chosen offers).
    ///
    /// With `only` (on a fresh buffer alone), the items it marks alone are costed, the
    /// others left 0: it must hold every component of each made or phantom item it holds.
    func rollUp(on day: Day, into costs: inout UnitCosts, only: [Bool]? = nil) {
        let items = model.items
        let bom = model.bom
        let today = day.number
        let before = costs.rolledOn
        precondition(only == nil || before == nil, "a partial roll-up into a buffer rolled up before")
        costs.rolledOn = today
        // On a buffer rolled up before: the items costed again this time.
        var redone = before == nil ? [] : [Bool](repeating: false, count: items.count)
        for item in model.planningOrder.reversed() where only?[item] ?? true {
            if items.type[item] == .buy {
                // Set by the first roll-up into this buffer: the same price and yield.
                if before != nil { continue }
                // MRP orders `100 / yield_pct` of a bought item per good unit: so does its cost.
                costs.material[item] = SupplierChoice.price(item: item, chosen: chosen, model) * 100 / items.yieldPct[item]
                (costs.labour[item], costs.firstPassYield[item]) = (0, 1)
                continue
            }
            if let before {
                guard bom.rollUpDiffers(item, on: today, from: before, counts: { _ in true },
                                        changed: { redone[$0] }) else { continue }
                redone[item] = true
            }
            var material = 0.0, labour = ownLabour[item], fpy = 1.0
            bom.forEachLine(of: item, effectiveOn: today) { line in
                let component = bom.component[line]
                let quantity = bom.extendedQty(line)
                material += quantity * costs.material[component]
                labour += quantity * costs.labour[component]
                fpy *= costs.firstPassYield[component]
            }
            let make = items.type[item] == .make
            let started = items.componentStartsPerGood(item)
            costs.material[item] = started * material
            costs.labour[item] = started * labour
            costs.firstPassYield[item] = (make ? items.yieldPct[item] / 100 : 1) * fpy
        }
    }

    /// What each item's stock is worth a unit, for the inventory value: a buy item its
    /// price, a make or phantom item its `unit_cost`, or when that is 0 its rolled cost on
    /// `day`. Only those items and what lies below them are rolled up: none when every
    /// made item has a `unit_cost` (a whole roll-up is a pass over the BOM, 0.3 s of a core
    /// at 1M items).
    public func valuation(on day: Day) -> ContiguousArray<Double> {
        let (items, n) = (model.items, model.items.count)
        // The items whose value is their rolled cost: the same test as the loop's below, so
        // that with none the empty buffers are never read.
        let unpriced = (0..<n).filter { items.type[$0] != .buy && !(items.unitCost[$0] > 0) }
        let rolled = unpriced.isEmpty ? 0 : n
        var costs = UnitCosts(material: ContiguousArray(repeating: 0, count: rolled), labour: ContiguousArray(repeating: 0, count: rolled),
                              firstPassYield: ContiguousArray(repeating: 1, count: rolled))
        if !unpriced.isEmpty {
            // A bought item is costed at its price: what lies below it is not read.
            let below = model.bom.descendants(of: unpriced, itemCount: n, through: { items.type[$0] != .buy })
            rollUp(on: day, into: &costs, only: below)
        }
        var value = ContiguousArray<Double>(repeating: 0, count: n)
        for item in 0..<n {
            let own = items.unitCost[item]
            // A bought unit in stock is worth its price: its yield loss is already behind it.
            value[item] = items.type[item] == .buy ? SupplierChoice.price(item: item, chosen: chosen, model)
                : (own > 0 ? own : costs.total(item))
        }
        return value
    }

    /// One line of `takt cost`: a component on one BOM path.
    public struct Line: Sendable {
        public var level: Int
        public var item: Int
        /// Quantity per good unit of the parent, scrap included; 1 for the top.
        public var quantityPer: Double
        /// Units per good unit of the top item (the parents' yields included).
        public var extended: Double
        /// Rolled cost of one good unit of this item.
        public var unitCost: Double
        /// `extended × unitCost`: what this line adds to one unit of the top item.
        public var extendedCost: Double
        /// Own labour of this item, per unit of the top item.
        public var ownLabour: Double
    }

    /// The costed BOM of `item` on `day`, depth first in BOM order; at most `limit` lines
    /// (the second value counts the rest).
    public func lines(of item: Int, on day: Day, costs: UnitCosts, limit: Int = 2_000) -> ([Line], Int) {
        let items = model.items
        let bom = model.bom
        var out: [Line] = []
        var cut = 0
        // (item, qty per, units per top unit, level); the stack pops in BOM order.
        var stack: [(Int, Double, Double, Int)] = [(item, 1, 1, 0)]
        while let (current, per, extended, level) = stack.popLast() {
            if out.count >= limit {
                cut += 1
                continue
            }
            let started = items.componentStartsPerGood(current)
            out.append(Line(level: level, item: current, quantityPer: per, extended: extended, unitCost: costs.total(current),
                            extendedCost: extended * costs.total(current),
                            ownLabour: items.type[current] == .buy ? 0 : extended * started * ownLabour[current]))
            guard items.type[current] != .buy else { continue }
            var children: [(Int, Double, Double, Int)] = []
            bom.forEachLine(of: current, effectiveOn: day.number) { line in
                children.append((bom.component[line], bom.extendedQty(line), extended * started * bom.extendedQty(line), level + 1))
            }
            stack.append(contentsOf: children.reversed())
        }
        return (out, cut)
    }
}
