import TaktModel
import TaktInput

/// The projected KPIs of a plan against the targets of `kpis:` (`kpis.csv`), the gate
/// criteria they give, and their risks.
///
/// Behaviour, per phase inside the horizon:
/// - **cost per unit** of each product: material + labour (`CostRollup` on the phase's
///   first day) + the phase's overtime cost (Σ overtime hours × `overtime_cost_per_hour`)
///   spread over all its master-schedule units + `overhead_pct` of those three;
/// - **on-time delivery** of each product: the share of the phase's requirement (ramp +
///   demand) met in its own week, `Σ_t max(0, d_t − B_t)` (backlog is the latest
///   requirement, first in first out), less the end-item units its real shortages are
///   pegged to (short units ÷ the short item's units per product unit), over `Σ_t d_t`;
/// - **supplier on-time**: the `on_time_pct` of the chosen suppliers of the buy orders due
///   in the phase, weighted by their amount (orders without a supplier left out);
/// - **first-pass yield** of each product: `CostRollup`'s rolled yield, in percent;
/// - **inventory value**: the peak over the phase's buckets of Σ projected on-hand ×
///   valuation;
/// - criteria, when a target is given: `cost` at_risk outside ±10 % of the target, no_go
///   outside ±20 %; `delivery` at_risk below the target, no_go more than 10 points below;
///   `supplier_delivery` and `yield` at_risk below the target. Each at-risk or no-go
///   finding is a `kpi` risk (level 2 for no_go, else 1) owned by the KPI's owner.
public struct KPIReport: Sendable {
    public struct Row: Sendable, Hashable {
        public var phase: Int
        /// Item id of the product; -1 for a phase-wide KPI.
        public var product: Int
        public var kpi: String
        public var value: Double?
        public var target: Double?
        public var status: GateStatus?
    }

    /// Cost of one unit of a product in a phase.
    public struct ProductCost: Sendable, Hashable {
        public var phase: Int
        public var product: Int
        public var material: Double
        public var labour: Double
        public var overtime: Double
        public var overhead: Double
        /// The phase's requirement of the product, and the part of it met on time.
        public var requiredUnits = 0.0
        public var onTimeUnits = 0.0
        public var total: Double { material + labour + overtime + overhead }
    }

    public var rows: [Row] = []
    public var costs: [ProductCost] = []
    /// Inventory value per MRP bucket.
    public var inventoryValue: ContiguousArray<Double> = []

    public init() {}

    /// The first product's cost per unit in the last planned phase (`compare.csv`).
    public func headlineCost(firstProduct: Int?) -> Double? {
        guard let last = costs.last?.phase, let product = firstProduct else { return nil }
        return costs.first { $0.phase == last && $0.product == product }?.total
    }

    /// The first product's on-time delivery over every planned phase (`compare.csv`).
    public func headlineOnTime(firstProduct: Int?) -> Double? {
        guard let product = firstProduct else { return nil }
        let mine = costs.filter { $0.product == product }
        let required = mine.reduce(0) { $0 + $1.requiredUnits }
        return required > 1e-9 ? 100 * mine.reduce(0) { $0 + $1.onTimeUnits } / required : nil
    }

    /// The products' unit costs in each BOM effectivity epoch of the phases' first days
    /// (of `phases`, or every phase), by epoch and then product item: model data only, so
    /// `takt plan` makes them on its second core while GLPK solves.
    public static func unitCostsByEpoch(_ rollup: CostRollup, phases: [Int]? = nil) -> [Int: [Int: CostRollup.UnitCost]] {
        let windows = rollup.model.plan.phaseWindows
        let epochs = rollup.model.bom.effectivityEpochs(of: windows.map(\.lowerBound))
        let products = rollup.model.plan.products.map(\.item)
        var costs: [Int: [Int: CostRollup.UnitCost]] = [:]
        var all: CostRollup.UnitCosts? // one buffer for every epoch
        for k in phases ?? Array(windows.indices) where costs[epochs[k]] == nil {
            if all == nil {
                all = rollup.unitCosts(on: windows[k].lowerBound)
            } else {
                rollup.rollUp(on: windows[k].lowerBound, into: &all!)
            }
            costs[epochs[k]] = all!.of(products)
        }
        return costs
    }

    /// `unitCosts`: `unitCostsByEpoch` for the offers `mrp.chosenOffer` holds, when made
    /// ahead; otherwise made here.
    public init(model: PlanningModel, mps: MasterSchedule, mrp: MRPResult, capacity: [PhaseCapacity], risks: [Risk],
                unitCosts: [Int: [Int: CostRollup.UnitCost]]? = nil, workers: any Workers = SerialWorkers()) {
        let plan = model.plan
        let targets = plan.kpis
        let rollup = CostRollup(model: model, chosen: mrp.chosenOffer)
        let windows = plan.phaseWindows
        inventoryValue = mrp.inventoryValue
        let missed = Self.missedUnits(model: model, mps: mps, risks: risks, rollup: rollup, workers: workers)
        Trace.mark("kpis: missed units")
        // Supplier on-time per phase in one pass over the orders (millions on a large
        // model): each due bucket's phase, each offer's price and on-time share, flat.
        let dates = mrp.calendar.bucketStart
        let phaseOfBucket = mrp.calendar.rangeOfEachBucket(windows)
        let offerPrice = ContiguousArray(model.offers.map { SupplierChoice.price($0, model) })
        var supplierWeight = [Double](repeating: 0, count: windows.count)
        var supplierWeighted = [Double](repeating: 0, count: windows.count)
        for order in mrp.orders where order.kind == .buy {
            let offer = mrp.chosenOffer[order.item], k = phaseOfBucket[order.dueBucket]
            guard offer >= 0, k >= 0 else { continue }
            let amount = order.quantity * offerPrice[offer]
            supplierWeight[k] += amount
            supplierWeighted[k] += amount * model.offers[offer].onTimePct
        }
        let requirement = mps.flows.requirement // computed: once, not per product and week
        let productOrder = plan.products.indices.sorted { model.items.names[plan.products[$0].item] < model.items.names[plan.products[$1].item] }
        let epochs = model.bom.effectivityEpochs(of: windows.map(\.lowerBound))
        let costsOfEpoch = unitCosts ?? Self.unitCostsByEpoch(rollup, phases: capacity.map(\.phase))
        for phase in capacity {
            let k = phase.phase
            let costs = costsOfEpoch[epochs[k]]!
            var overtimeCost = 0.0
            for row in phase.capacity { overtimeCost += row.overtimeHours * model.workcenters[row.workcenter].overtimeCostPerHour }
            let units = phase.completions.reduce(0) { $0 + $1.reduce(0, +) }
            let overtimePerUnit = units > 1e-9 ? overtimeCost / units : 0
            for p in productOrder {
                let item = plan.products[p].item
                let unit = costs[item]!
                let material = unit.material, labour = unit.labour
                let overhead = (material + labour + overtimePerUnit) * plan.costs.overheadPct / 100
                var cost = ProductCost(phase: k, product: item, material: material, labour: labour, overtime: overtimePerUnit,
                                       overhead: overhead)
                let costTarget = targets.costPerUnit[item]?.value
                rows.append(Row(phase: k, product: item, kpi: "cost_per_unit", value: cost.total, target: costTarget,
                                status: costTarget.map { Self.costStatus(cost.total, $0) }))
                rows.append(Row(phase: k, product: item, kpi: "material_cost", value: material))
                rows.append(Row(phase: k, product: item, kpi: "labour_cost", value: labour))
                rows.append(Row(phase: k, product: item, kpi: "overtime_cost", value: overtimePerUnit))
                rows.append(Row(phase: k, product: item, kpi: "overhead_cost", value: overhead))
                // On-time delivery from the master schedule's flows.
                var required = 0.0, onTime = 0.0
                for (i, week) in phase.weeks.enumerated() {
                    let d = requirement[p][week]
                    required += d
                    onTime += max(0, d - phase.backlog[p][i]) - min(max(0, d - phase.backlog[p][i]), missed[p][week])
                }
                (cost.requiredUnits, cost.onTimeUnits) = (required, onTime)
                self.costs.append(cost)
                let otd: Double? = required > 1e-9 ? 100 * onTime / required : nil
                let otdTarget = targets.onTimeDeliveryPct?.value
                rows.append(Row(phase: k, product: item, kpi: "on_time_delivery_pct", value: otd, target: otdTarget,
                                status: otd.flatMap { value in otdTarget.map { Self.deliveryStatus(value, $0) } }))
                let fpy = 100 * unit.firstPassYield
                let yieldTarget = targets.firstPassYieldPct?.value
                rows.append(Row(phase: k, product: item, kpi: "first_pass_yield_pct", value: fpy, target: yieldTarget,
                                status: yieldTarget.map { fpy < $0 - 1e-9 ? .atRisk : .go }))
            }
            // Supplier on-time of the buy orders due in the phase, weighted by amount.
            let supplier: Double? = supplierWeight[k] > 1e-9 ? supplierWeighted[k] / supplierWeight[k] : nil
            let supplierTarget = targets.supplierOnTimePct?.value
            rows.append(Row(phase: k, product: -1, kpi: "supplier_on_time_pct", value: supplier, target: supplierTarget,
                            status: supplier.flatMap { value in supplierTarget.map { value < $0 - 1e-9 ? .atRisk : .go } }))
            var peak: Double?
            for (t, day) in dates.enumerated() where windows[k].contains(day) && t < inventoryValue.count {
                peak = max(peak ?? 0, inventoryValue[t])
            }
            rows.append(Row(phase: k, product: -1, kpi: "inventory_value_peak", value: peak))
        }
    }

    /// ±10 % at_risk, ±20 % no_go (a target of 0 is met only by 0).
    static func costStatus(_ value: Double, _ target: Double) -> GateStatus {
        let deviation = target > 0 ? abs(value - target) / target : (abs(value) > 1e-9 ? Double.infinity : 0)
        if deviation > 0.2 + 1e-9 { return .noGo }
        if deviation > 0.1 + 1e-9 { return .atRisk }
        return .go
    }

    static func deliveryStatus(_ value: Double, _ target: Double) -> GateStatus {
        if value < target - 10 - 1e-9 { return .noGo }
        if value < target - 1e-9 { return .atRisk }
        return .go
    }

    /// Per product and week, the end-item units that real shortages are pegged to: each
    /// miss's short units (a shortage's hits summed per end item, week and phase,
    /// `ShortagePegging.Miss`) divided by the short item's units per product unit, by the
    /// BOM lines effective on the first day of the phase (as the cost roll-up).
    ///
    /// The misses are grouped by product and phase, and each group explodes its product
    /// once into a dense array: a run with thousands of shortages (the stress shape) costs a
    /// few explosions, not one walk of the short item's ancestry per shortage.
    static func missedUnits(model: PlanningModel, mps: MasterSchedule, risks: [Risk], rollup: CostRollup,
                            workers: any Workers) -> [[Double]] {
        let products = model.plan.products
        var missed = [[Double]](repeating: [Double](repeating: 0, count: mps.weekly.count), count: products.count)
        let windows = model.plan.phaseWindows
        let productOf = products.enumerated().reduce(into: [Int32](repeating: -1, count: model.items.count)) {
            $0[$1.element.item] = Int32($1.offset)
        }
        // Each miss's group (product × phase) and week, or nil when it counts nowhere.
        let phases = windows.count
        @Sendable func place(_ miss: ShortagePegging.Miss) -> (group: Int, week: Int)? {
            let p = productOf[Int(miss.endItem)]
            guard p >= 0, miss.cell >= 0 else { return nil }
            let (week, phase) = Int(miss.cell).quotientAndRemainder(dividingBy: phases)
            guard week < mps.weekly.count else { return nil }
            return (Int(p) * phases + phase, week)
        }
        // The misses stay in their risks: grouped by a counting sort as (risk, miss) pairs,
        // 8 bytes each, in their order within a group.
        var shortItem = [Int32](repeating: -1, count: risks.count)
        var groupStart = [Int](repeating: 0, count: products.count * phases + 1)
        for (r, risk) in risks.enumerated() where risk.kind == .shortage {
            guard let misses = risk.shortage?.misses, !misses.isEmpty, let short = model.items.id(risk.item) else { continue }
            shortItem[r] = Int32(short)
            for miss in misses {
                if let (group, _) = place(miss) { groupStart[group + 1] += 1 }
            }
        }
        for g in 1..<groupStart.count { groupStart[g] += groupStart[g - 1] }
        var grouped = [(risk: Int32, hit: Int32)](repeating: (0, 0), count: groupStart.last!)
        for (r, risk) in risks.enumerated() where shortItem[r] >= 0 {
            for (h, miss) in risk.shortage!.misses.enumerated() {
                guard let (group, _) = place(miss) else { continue }
                grouped[groupStart[group]] = (Int32(r), Int32(h))
                groupStart[group] += 1
            }
        }
        let order = grouped
        Trace.mark("kpis: \(order.count) misses collected")
        func miss(_ k: Int) -> ShortagePegging.Miss { risks[Int(order[k].risk)].shortage!.misses[Int(order[k].hit)] }
        func group(_ k: Int) -> Int { place(miss(k))!.group }
        // Phases whose first days have the same BOM lines in effect share an explosion.
        // The groups are split in two at a group boundary and exploded on both cores;
        // each (product, week) belongs to one group, so each half adds to its own cells.
        let epochs = model.bom.effectivityEpochs(of: windows.map(\.lowerBound))
        var cut = order.count / 2
        while cut > 0, cut < order.count, group(cut) == group(cut - 1) { cut += 1 }
        let halves = [0..<cut, cut..<order.count]
        let empty = missed
        let shorts = shortItem
        let results = workers.map(2) { half -> [[Double]] in
            var part = empty
            var usage = UnitsPer(model: model)
            var exploded: (product: Int, epoch: Int)?
            for (r, h) in order[halves[half]] {
                let miss = risks[Int(r)].shortage!.misses[Int(h)]
                let (group, week) = place(miss)!
                let (p, phase) = group.quotientAndRemainder(dividingBy: phases)
                if exploded == nil || exploded! != (p, epochs[phase]) {
                    usage.explode(products[p].item, on: windows[phase].lowerBound, model: model)
                    exploded = (p, epochs[phase])
                }
                let per = usage.units(of: Int(shorts[Int(r)]))
                if per > 1e-12 { part[p][week] += miss.quantity / per }
            }
            return part
        }
        let (first, second) = (results[0], results[1])
        for p in missed.indices {
            for week in missed[p].indices { missed[p][week] = first[p][week] + second[p][week] }
        }
        return missed
    }

    /// Units of every item in one good unit of a product on a day, over every BOM path,
    /// parents before components (low-level-code order, then the order a breadth-first
    /// walk from the product meets them; a bought item uses none: MRP does not explode
    /// it), each component's sum adding its parents in that order.
    ///
    /// A stress-shaped model's shortages need hundreds of these explosions, each of a few
    /// percent of the model: the product's descendants and the BOM lines between them are
    /// copied once per product into flat arrays in that order (local indices), and an
    /// explosion is one pass over those lines.
    struct UnitsPer {
        /// The product listed, its descendants (itself first) in that order, and each
        /// item's index among them (-1: not a descendant).
        private var listed = -1
        private var descendants: [Int32] = []
        private var local: [Int32]
        /// The lines below `listed`, by parent in that order: the parent's and the
        /// component's local index, the line and its extended quantity; each parent's
        /// units started per good unit (by local index).
        private var lineParent: [Int32] = [], lineComponent: [Int32] = [], lineId: [Int32] = []
        private var lineQty: [Double] = []
        private var started: [Double] = []
        /// Units per product unit, by local index.
        private var values: [Double] = []
        /// Low-level codes in the model.
        private let levels: Int

        init(model: PlanningModel) {
            local = [Int32](repeating: -1, count: model.items.count)
            levels = model.maxLevel + 1
        }

        /// Units of `item` in one unit of the product last exploded.
        func units(of item: Int) -> Double {
            let k = local[item]
            return k < 0 ? 0 : values[Int(k)]
        }

        /// Lists `product`'s descendants over every BOM line, and the lines a made or
        /// phantom parent explodes, by low-level code (a stable counting sort of the
        /// breadth-first order).
        private mutating func list(_ product: Int, model: PlanningModel) {
            let bom = model.bom, items = model.items
            for item in descendants { local[Int(item)] = -1 }
            descendants = [Int32(product)]
            local[product] = 0
            var next = 0
            while next < descendants.count {
                let parent = Int(descendants[next])
                next += 1
                for j in bom.parentRange(parent) {
                    let component = bom.component[bom.byParent[j]]
                    guard local[component] < 0 else { continue }
                    local[component] = 0
                    descendants.append(Int32(component))
                }
            }
            var levelStart = [Int](repeating: 0, count: levels + 1)
            for item in descendants { levelStart[model.lowLevelCode[Int(item)] + 1] += 1 }
            for level in 1..<levelStart.count { levelStart[level] += levelStart[level - 1] }
            var sorted = descendants
            for item in descendants {
                sorted[levelStart[model.lowLevelCode[Int(item)]]] = item
                levelStart[model.lowLevelCode[Int(item)]] += 1
            }
            descendants = sorted
            for (k, item) in descendants.enumerated() { local[Int(item)] = Int32(k) }
            lineParent.removeAll(keepingCapacity: true)
            lineComponent.removeAll(keepingCapacity: true)
            lineId.removeAll(keepingCapacity: true)
            lineQty.removeAll(keepingCapacity: true)
            started = descendants.map { items.type[Int($0)] == .make ? 100 / items.yieldPct[Int($0)] : 1 }
            for (k, item) in descendants.enumerated() where items.type[Int(item)] != .buy {
                for j in bom.parentRange(Int(item)) {
                    let line = bom.byParent[j]
                    lineParent.append(Int32(k))
                    lineComponent.append(local[bom.component[line]])
                    lineId.append(Int32(line))
                    lineQty.append(bom.extendedQty(line))
                }
            }
            values = [Double](repeating: 0, count: descendants.count)
            listed = product
        }

        mutating func explode(_ product: Int, on day: Day, model: PlanningModel) {
            if listed != product { list(product, model: model) }
            let bom = model.bom
            for k in values.indices { values[k] = 0 }
            values[0] = 1
            for e in lineParent.indices {
                let parent = Int(lineParent[e])
                guard values[parent] > 0, bom.isEffective(Int(lineId[e]), on: day.number) else { continue }
                values[Int(lineComponent[e])] += values[parent] * started[parent] * lineQty[e]
            }
        }
    }
}
