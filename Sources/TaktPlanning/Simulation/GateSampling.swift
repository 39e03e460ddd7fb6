import TaktModel

/// Each gate's forecast and the cause of its phase's latest delivery in one sample of
/// `takt simulate` (contract §2d, §2e), counted into a `SimulationTally`.
///
/// Behaviour:
/// - the forecast is the gate's date plus the largest lateness of the deliveries needed
///   inside its phase, `open` when one is not delivered, else the later of that and the
///   due date of a manual criterion not done (as `GateForecast`);
/// - the latest delivery is the one with the largest `days_late`, a delivery not
///   delivered counting as later than all, among equals the first in `deliveries.csv`
///   order; a sample where nothing in the phase is late has no cause.
public struct GateSampling: Sendable {
    struct GatedPhase: Sendable {
        var gate: String
        var phase: String
        var date: Day
        /// The deliveries needed inside the phase, in `deliveries.csv` order.
        var deliveries: [Int]
        /// The latest due date of a manual criterion not done, if any.
        var manualDue: Day?
    }

    let phases: [GatedPhase]
    /// Each bucket's first day number.
    let bucketDay: ContiguousArray<Int>

    public init(plan: ProjectionPlan) {
        let model = plan.model
        let dates = plan.mrp.calendar.bucketStart
        bucketDay = ContiguousArray(dates.map(\.number))
        let windows = model.plan.phaseWindows
        phases = model.plan.phases.enumerated().compactMap { k, phase in
            guard let gate = phase.gate else { return nil }
            let inside = windows[k]
            let deliveries = plan.deliveries.indices.filter { inside.contains(dates[plan.deliveries[$0].needBucket]) }
            let manualDue = model.gateCriteria.filter { $0.gate == gate && !$0.done }.compactMap(\.dueDate).max()
            return GatedPhase(gate: gate, phase: phase.name, date: inside.upperBound, deliveries: deliveries, manualDue: manualDue)
        }
    }

    /// A tally of these gates with nothing counted yet.
    public func emptyTally() -> SimulationTally {
        SimulationTally(gates: phases.map { SimulationTally.Gate(gate: $0.gate, phase: $0.phase, date: $0.date) })
    }

    /// Counts one sample's pass into `tally`.
    public func count(_ pass: ProjectionPass, into tally: inout SimulationTally) {
        let plan = pass.plan
        var cache = ProjectionPass.TraceCache()
        tally.samples += 1
        for (g, phase) in phases.enumerated() {
            var latest: (days: Int, delivery: Int)?
            var notDelivered: Int?
            for d in phase.deliveries {
                let available = pass.deliveryAvailable[d]
                if available == ProjectionPass.never {
                    if notDelivered == nil { notDelivered = d }
                    continue
                }
                let days = bucketDay[Int(available)] - bucketDay[plan.deliveries[d].needBucket]
                if days > (latest?.days ?? 0) { latest = (days, d) }
            }
            if let forecast = GateForecast.date(gate: phase.date, worstDaysLate: latest?.days ?? 0, open: notDelivered != nil,
                                                manualDue: phase.manualDue) {
                tally.gates[g].forecasts[forecast.number, default: 0] += 1
            } else {
                tally.gates[g].open += 1
            }
            guard let d = notDelivered ?? latest?.delivery, let cause = pass.cause(ofDelivery: d, cache: &cache) else { continue }
            let (name, supplier) = Self.describe(cause, plan: plan)
            tally.gates[g].causes[name, default: SimulationTally.Gate.Cause(supplier: supplier, samples: 0)].samples += 1
        }
    }

    /// A cause's name and supplier: an item and its chosen supplier when bought, or
    /// `capacity`.
    static func describe(_ cause: DeliveryCause, plan: ProjectionPlan) -> (String, String) {
        switch cause {
        case .capacity:
            return ("capacity", "")
        case .item(let item):
            let model = plan.model
            let offer = plan.mrp.chosenOffer[item]
            let supplier = model.items.type[item] == .buy && offer >= 0 ? model.supplierNames[model.offers[offer].supplier] : ""
            return (model.items.names[item], supplier)
        }
    }
}
