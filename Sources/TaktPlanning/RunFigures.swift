import TaktModel
import TaktInput

/// The key figures of a run, as compared across scenarios (contract §3 `compare.csv`).
public struct RunFigures: Sendable {
    public var plannedOrders: Int
    public var purchaseAmount: Double
    public var pastDue: Int
    /// Short quantity summed over past-due (item, due bucket) (§2: not the orders' lot sizes).
    public var shortageQty: Double
    /// Units left in backlog at the end of the phases (sum of each phase's `B*`).
    public var backlogUnits: Double
    public var overtimeHours: Double
    /// Sum of the phases' reported objectives.
    public var lpObjective: Double
    public var gatesGo: Int
    public var gatesAtRisk: Int
    public var gatesNoGo: Int
    public var risksLevel3: Int
    /// The first product's cost per unit in the last planned phase; nil without products.
    public var costPerUnit: Double?
    /// The first product's on-time delivery over the planned phases; nil without requirement.
    public var onTimeDeliveryPct: Double?
    /// Units the projection delivers late (§2d), summed over every delivery of every item:
    /// what a scenario makes later in all, where the MRP's short quantity counts only
    /// the past-due buckets.
    public var lateUnits: Double = 0
    /// Gates forecast after their date, `open` ones included (§2d).
    public var gatesLate: Int = 0
    /// Days from each gate's date to its forecast, summed over the gates forecast late
    /// with a date (an `open` one counts in `gatesLate` only).
    public var gateDaysLate: Int = 0
    /// The product `costPerUnit` and `onTimeDeliveryPct` are of (the plan's first); nil
    /// when not known (figures read back from a shard).
    public var headlineProduct: String?

    /// The figures as written down (a shard of `takt whatif --shard`, read back to merge).
    public init(plannedOrders: Int, purchaseAmount: Double, pastDue: Int, shortageQty: Double, backlogUnits: Double,
                overtimeHours: Double, lpObjective: Double, gatesGo: Int, gatesAtRisk: Int, gatesNoGo: Int,
                risksLevel3: Int, costPerUnit: Double?, onTimeDeliveryPct: Double?, lateUnits: Double, gatesLate: Int,
                gateDaysLate: Int) {
        (self.plannedOrders, self.purchaseAmount, self.pastDue, self.shortageQty) = (plannedOrders, purchaseAmount, pastDue, shortageQty)
        (self.backlogUnits, self.overtimeHours, self.lpObjective) = (backlogUnits, overtimeHours, lpObjective)
        (self.gatesGo, self.gatesAtRisk, self.gatesNoGo, self.risksLevel3) = (gatesGo, gatesAtRisk, gatesNoGo, risksLevel3)
        (self.costPerUnit, self.onTimeDeliveryPct) = (costPerUnit, onTimeDeliveryPct)
        (self.lateUnits, self.gatesLate, self.gateDaysLate) = (lateUnits, gatesLate, gateDaysLate)
    }

    public init(_ result: PlanResult) {
        let model = result.model
        plannedOrders = result.mrp.orders.count
        // The purchase amount comes with the KPIs' pass over the buy orders (`kpis` is made
        // from this same MRP in `Planner.decide`, the one maker of a `PlanResult`); each
        // past-due order has its exception (`ItemNetting`): no pass over the orders here.
        purchaseAmount = result.kpis.purchaseAmount
        pastDue = result.mrp.exceptions.count { $0.kind == .pastDue }
        shortageQty = 0
        for bucket in result.mrp.pastDueBuckets() { shortageQty += bucket.shortQuantity }
        backlogUnits = result.capacity.reduce(0) { $0 + $1.minimumFinalBacklog }
        overtimeHours = result.capacity.reduce(0) { sum, phase in sum + phase.capacity.reduce(0) { $0 + $1.overtimeHours } }
        lpObjective = result.capacity.reduce(0) { $0 + $1.objective }
        gatesGo = result.gates.filter { $0.status == .go }.count
        gatesAtRisk = result.gates.filter { $0.status == .atRisk }.count
        gatesNoGo = result.gates.filter { $0.status == .noGo }.count
        risksLevel3 = result.risks.count { $0.level == 3 }
        let first = model.plan.products.first?.item
        headlineProduct = first.map { model.items.names[$0] }
        costPerUnit = result.kpis.headlineCost(firstProduct: first)
        onTimeDeliveryPct = result.kpis.headlineOnTime(firstProduct: first)
        lateUnits = result.projection.deliveries.reduce(0) { $0 + $1.lateQuantity }
        for gate in result.gates {
            guard let forecast = gate.forecast else {
                gatesLate += 1
                continue
            }
            if forecast > gate.date {
                gatesLate += 1
                gateDaysLate += forecast.number - gate.date.number
            }
        }
    }
}
