import TaktModel
import TaktInput

/// When a gate can be held (`forecast_date` in `gates.json`), and what sets that date.
///
/// Behaviour:
/// - a `go` or `at_risk` gate: its own date;
/// - a `no_go` gate: the latest of its date and
///   - material: the start of the week after the latest date by which every real shortage
///     dated inside the phase can be received if ordered on the plan date (`start` + the
///     item's lead time in working days, as MRP offsets it: the chosen supplier's, else
///     the item's);
///   - capacity: the gate date plus the weeks the phase's backlog needs at the phase's
///     last-week capacity with all overtime, at the work center that needs most
///     (`ceil(Σ_p B[p] × h[p,w] / (capacity + overtime))`);
///   - each manual criterion not done: its `due_date` when later than the plan date;
///   - a KPI criterion (cost, delivery) that is no_go gives no date: "open";
/// - "open" (nil) when no date can be given: a manual criterion overdue with no later
///   `due_date`, a failed LP, or a backlog on a work center with no hours.
public struct GateForecast {
    public let model: PlanningModel
    public let mrp: MRPResult
    public let capacity: [PhaseCapacity]

    public init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity]) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
    }

    /// Sets `forecast` and `forecastReason` of each gate.
    public func apply(to gates: inout [GateResult]) {
        for g in gates.indices {
            (gates[g].forecast, gates[g].forecastReason) = forecast(gates[g])
        }
    }

    func forecast(_ gate: GateResult) -> (Day?, String) {
        guard gate.status == .noGo else { return (gate.date, "") }
        var latest = gate.date
        var reason = ""
        var open: [String] = []
        func consider(_ date: Day, _ why: String) {
            if date > latest { (latest, reason) = (date, why) }
        }
        let start = model.plan.start
        for criterion in gate.criteria where criterion.status == .noGo {
            switch criterion.criterion {
            case "material":
                // The latest arrival over the phase's short items, if ordered today.
                var worst: (day: Day, item: Int, days: Double)?
                for exception in mrp.exceptions where exception.isShortage && gate.phaseStart <= exception.date && exception.date < gate.date {
                    let days = SupplierChoice.leadTimeDays(item: exception.item, chosen: mrp.chosenOffer, model)
                    let arrival = start.addingBusinessDays(Int((days - 1e-9).rounded(.up)))
                    if worst == nil || arrival > worst!.day { worst = (arrival, exception.item, days) }
                }
                if let worst {
                    let weekAfter = start.adding(days: 7 * ((worst.day.number - start.number) / 7 + 1))
                    consider(weekAfter, "material: \(model.items.names[worst.item]) can arrive \(worst.day) if ordered now "
                             + "(\(NumberFormat.quantity(worst.days)) working days lead time)")
                }
            case "capacity":
                guard let phase = capacity.first(where: { $0.phase == gate.phase }), phase.status == .optimal else {
                    open.append("capacity: the phase's LP was not solved")
                    continue
                }
                switch catchUpWeeks(phase) {
                case .some(let (weeks, center)) where center >= 0:
                    consider(gate.date.adding(days: 7 * weeks),
                             "capacity: \(weeks) more week\(weeks == 1 ? "" : "s") at \(model.workcenters[center].name) with all overtime "
                             + "to catch up \(NumberFormat.fixed(phase.finalBacklog.reduce(0, +), decimals: 1)) units")
                case .some:
                    break
                case .none:
                    open.append("capacity: the backlog needs a work center with no hours")
                }
            default:
                guard let row = model.gateCriteria.first(where: { $0.gate == gate.gate && $0.criterion == criterion.criterion }) else {
                    if KPIReport.criterionNames.contains(criterion.criterion) {
                        open.append("\(criterion.criterion): a KPI this far from its target has no date")
                    }
                    continue
                }
                if let due = row.dueDate, due > start {
                    consider(due, "\"\(row.criterion)\" due \(due)")
                } else {
                    open.append("\"\(row.criterion)\" is overdue with no new due date")
                }
            }
        }
        // Not-done manual criteria that are merely at risk still hold the gate until due.
        for criterion in gate.criteria where criterion.status == .atRisk {
            if let row = model.gateCriteria.first(where: { $0.gate == gate.gate && $0.criterion == criterion.criterion && !$0.done }),
               let due = row.dueDate {
                consider(due, "\"\(row.criterion)\" due \(due)")
            }
        }
        if !open.isEmpty { return (nil, open.joined(separator: "; ")) }
        return (latest, reason.isEmpty ? "the gate's own date: every blocker clears by then" : reason)
    }

    /// Weeks after the phase the backlog takes at its last week's capacity plus all
    /// overtime, and the work center that sets it (-1: none needed); nil when a needed
    /// center has no hours.
    func catchUpWeeks(_ phase: PhaseCapacity) -> (Int, Int)? {
        guard let lastWeek = phase.weeks.last else { return nil }
        let products = model.plan.products
        let lastDay = model.plan.phaseWindows[phase.phase].upperBound.adding(days: -1)
        let loads = RunHours.compute(model: model, on: lastDay, for: products.map(\.item))
        var hours = [Double](repeating: 0, count: model.workcenters.count)
        for (p, load) in loads.enumerated() where phase.finalBacklog[p] > 1e-6 {
            for entry in load { hours[entry.workcenter] += phase.finalBacklog[p] * entry.hours }
        }
        var available = [Double](repeating: 0, count: model.workcenters.count)
        for row in phase.capacity where row.week == lastWeek { available[row.workcenter] = row.capacityHours }
        var worst: (Int, Int)?
        for (w, need) in hours.enumerated() where need > 1e-9 {
            let perWeek = available[w] + model.workcenters[w].overtimeHoursPerWeek
            guard perWeek > 1e-9 else { return nil }
            let weeks = max(1, Int((need / perWeek - 1e-9).rounded(.up)))
            if worst == nil || weeks > worst!.0 { worst = (weeks, w) }
        }
        return worst ?? (0, -1)
    }
}
