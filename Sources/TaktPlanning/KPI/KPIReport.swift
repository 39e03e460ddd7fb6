import TaktModel
import TaktInput

/// The projected KPIs of a plan against the targets of `kpis:` (`kpis.csv`), the gate
/// criteria they give, and their risks.
///
/// Behaviour, per phase inside the horizon (a phase past it has the same rows, with the
/// unit cost at no overtime and nothing judged):
/// - **cost per unit** of each product: material + labour (`CostRollup` on the phase's
///   first day) + the phase's overtime cost (Σ overtime hours × `overtime_cost_per_hour`)
///   spread over all its master-schedule units + `overhead_pct` of those three;
/// - **on-time delivery** of each product (§2d): `100 × Σ (quantity − late quantity) /
///   Σ quantity` over its deliveries needed inside the phase (empty when there are none
///   or they sum to 0);
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
        public var kpi: KPIKind
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
    /// Every buy order's quantity × its item's price, added in planning order: the run's
    /// purchase amount (`RunFigures`), from the same pass as the supplier on-time sums.
    public var purchaseAmount = 0.0

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

    /// The buy orders' sums: every one's amount (quantity × its item's price), and per
    /// phase the amount of those due in it with a supplier and that amount weighted by
    /// the supplier's on-time share (the supplier on-time KPI is their ratio).
    struct PurchaseSums {
        var amount = 0.0
        var weight: [Double]
        var weighted: [Double]
    }

    /// `PurchaseSums` in one pass over the bought items' stretches of the orders (millions
    /// of orders on a large model), in planning order: the orders' own order, so each sum
    /// adds up order after order as over the orders themselves, and each item's supplier,
    /// price and on-time share are looked up once, not once an order.
    static func purchaseSums(model: PlanningModel, mrp: MRPResult) -> PurchaseSums {
        let windows = model.plan.phaseWindows
        let phaseOfBucket = mrp.calendar.rangeOfEachBucket(windows)
        var sums = PurchaseSums(weight: [Double](repeating: 0, count: windows.count),
                                weighted: [Double](repeating: 0, count: windows.count))
        let type = model.items.type
        mrp.orders.withUnsafeBufferPointer { orders in
            for item in model.planningOrder where type[item] == .buy {
                // An order's kind is its item's type; its supplier is the item's chosen one.
                let offer = mrp.chosenOffer[item]
                let price = SupplierChoice.price(item: item, chosen: mrp.chosenOffer, model)
                let share = offer >= 0 ? model.offers[offer].onTimePct : 0
                for o in mrp.orderRange(of: item) {
                    let amount = orders[o].quantity * price
                    sums.amount += amount
                    let k = phaseOfBucket[orders[o].dueBucket]
                    guard offer >= 0, k >= 0 else { continue }
                    sums.weight[k] += amount
                    sums.weighted[k] += amount * share
                }
            }
        }
        return sums
    }

    /// `unitCosts`: `unitCostsByEpoch` for the offers `mrp.chosenOffer` holds, when made
    /// ahead; otherwise made here.
    public init(model: PlanningModel, mps: MasterSchedule, mrp: MRPResult, capacity: [PhaseCapacity], projection: Projection,
                unitCosts: [Int: [Int: CostRollup.UnitCost]]? = nil) {
        let plan = model.plan
        let targets = plan.kpis
        let windows = plan.phaseWindows
        inventoryValue = mrp.inventoryValue
        let delivered = Self.deliveredUnits(model: model, projection: projection, calendar: mrp.calendar)
        let dates = mrp.calendar.bucketStart
        let sums = Self.purchaseSums(model: model, mrp: mrp)
        purchaseAmount = sums.amount
        let (supplierWeight, supplierWeighted) = (sums.weight, sums.weighted)
        let productOrder = plan.products.indices.sorted { model.items.names[plan.products[$0].item] < model.items.names[plan.products[$1].item] }
        let epochs = model.bom.effectivityEpochs(of: windows.map(\.lowerBound))
        let costsOfEpoch = unitCosts
            ?? Self.unitCostsByEpoch(CostRollup(model: model, chosen: mrp.chosenOffer))
        let planned = Dictionary(capacity.map { ($0.phase, $0) }, uniquingKeysWith: { first, _ in first })
        for k in windows.indices {
            // A phase that starts past the horizon has no LP: its rows come out of the same
            // sums (no overtime, no deliveries, no orders, no inventory in it), each with its
            // target and no status: nothing of a phase not planned is judged, its gate keeps
            // its criteria, and its cost is not one of `costs` (compare.csv's headline).
            let phase = planned[k]
            let judged = phase != nil
            let costs = costsOfEpoch[epochs[k]]!
            var overtimeCost = 0.0
            for row in phase?.capacity ?? [] { overtimeCost += row.overtimeHours * model.workcenters[row.workcenter].overtimeCostPerHour }
            let units = phase?.completions.reduce(0) { $0 + $1.reduce(0, +) } ?? 0
            let overtimePerUnit = units > 1e-9 ? overtimeCost / units : 0
            for p in productOrder {
                let item = plan.products[p].item
                let unit = costs[item]!
                let material = unit.material, labour = unit.labour
                let overhead = (material + labour + overtimePerUnit) * plan.costs.overheadPct / 100
                var cost = ProductCost(phase: k, product: item, material: material, labour: labour, overtime: overtimePerUnit,
                                       overhead: overhead)
                let costTarget = targets.costPerUnit[item]?.value
                rows.append(Row(phase: k, product: item, kpi: .costPerUnit, value: cost.total, target: costTarget,
                                status: judged ? costTarget.map { Self.costStatus(cost.total, $0) } : nil))
                rows.append(Row(phase: k, product: item, kpi: .materialCost, value: material))
                rows.append(Row(phase: k, product: item, kpi: .labourCost, value: labour))
                rows.append(Row(phase: k, product: item, kpi: .overtimeCost, value: overtimePerUnit))
                rows.append(Row(phase: k, product: item, kpi: .overheadCost, value: overhead))
                // On-time delivery from the projection's deliveries.
                let (required, onTime) = delivered[k][item] ?? (0, 0)
                (cost.requiredUnits, cost.onTimeUnits) = (required, onTime)
                if judged { self.costs.append(cost) }
                let otd: Double? = required > 0 ? 100 * onTime / required : nil
                let otdTarget = targets.onTimeDeliveryPct?.value
                rows.append(Row(phase: k, product: item, kpi: .onTimeDeliveryPct, value: otd, target: otdTarget,
                                status: otd.flatMap { value in otdTarget.map { Self.deliveryStatus(value, $0) } }))
                let fpy = 100 * unit.firstPassYield
                let yieldTarget = targets.firstPassYieldPct?.value
                rows.append(Row(phase: k, product: item, kpi: .firstPassYieldPct, value: fpy, target: yieldTarget,
                                status: judged ? yieldTarget.map { fpy < $0 - 1e-9 ? .atRisk : .go } : nil))
            }
            // Supplier on-time of the buy orders due in the phase, weighted by amount.
            let supplier: Double? = supplierWeight[k] > 1e-9 ? supplierWeighted[k] / supplierWeight[k] : nil
            let supplierTarget = targets.supplierOnTimePct?.value
            rows.append(Row(phase: k, product: -1, kpi: .supplierOnTimePct, value: supplier, target: supplierTarget,
                            status: supplier.flatMap { value in supplierTarget.map { value < $0 - 1e-9 ? .atRisk : .go } }))
            var peak: Double?
            for (t, day) in dates.enumerated() where windows[k].contains(day) && t < inventoryValue.count {
                peak = max(peak ?? 0, inventoryValue[t])
            }
            rows.append(Row(phase: k, product: -1, kpi: .inventoryValuePeak, value: peak))
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

    /// Per phase and product item: the units of its deliveries needed inside the phase,
    /// and the part of them on time (`quantity - late quantity`, §2d).
    static func deliveredUnits(model: PlanningModel, projection: Projection, calendar: BucketCalendar)
        -> [[Int: (required: Double, onTime: Double)]] {
        let windows = model.plan.phaseWindows
        let phaseOf = calendar.rangeOfEachBucket(windows)
        let products = Set(model.plan.products.map(\.item))
        var units = [[Int: (required: Double, onTime: Double)]](repeating: [:], count: windows.count)
        for delivery in projection.deliveries where products.contains(delivery.item) {
            let k = phaseOf[delivery.needBucket]
            guard k >= 0 else { continue }
            let sums = units[k][delivery.item] ?? (0, 0)
            units[k][delivery.item] = (sums.required + delivery.quantity, sums.onTime + delivery.quantity - delivery.lateQuantity)
        }
        return units
    }
}
