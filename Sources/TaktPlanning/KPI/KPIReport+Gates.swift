import TaktModel
import TaktInput

/// The KPI criteria of each gate and their `kpi` risks.
extension KPIReport {
    /// Criterion name of each KPI with a target, in gate order.
    static let criterionOf = [("cost_per_unit", BuiltInCriterion.cost.rawValue), ("on_time_delivery_pct", BuiltInCriterion.delivery.rawValue),
                              ("supplier_on_time_pct", BuiltInCriterion.supplierDelivery.rawValue),
                              ("first_pass_yield_pct", BuiltInCriterion.yield.rawValue)]
    public static let criterionNames: Set<String> = Set(criterionOf.map(\.1))

    package func owner(of kpi: String, product: Int, _ targets: KPITargets) -> String {
        switch kpi {
        case "cost_per_unit": targets.costPerUnit[product]?.owner ?? ""
        case "on_time_delivery_pct": targets.onTimeDeliveryPct?.owner ?? ""
        case "supplier_on_time_pct": targets.supplierOnTimePct?.owner ?? ""
        default: targets.firstPassYieldPct?.owner ?? ""
        }
    }

    /// `DRONE-X1 cost per unit 201.3 vs target 180 (+11.8 %)`.
    func figure(_ row: Row, _ model: PlanningModel) -> String {
        let value = row.value ?? 0, target = row.target ?? 0
        let name = row.product >= 0 ? model.items.names[row.product] + " " : ""
        switch row.kpi {
        case "cost_per_unit":
            let deviation = target > 0 ? 100 * (value - target) / target : 0
            return "\(name)cost per unit \(NumberFormat.fixed(value, decimals: 2)) vs target \(NumberFormat.quantity(target)) "
                + "(\(deviation >= 0 ? "+" : "")\(NumberFormat.fixed(deviation, decimals: 1)) %)"
        case "on_time_delivery_pct":
            return "\(name)on time \(NumberFormat.fixed(value, decimals: 1)) % vs target \(NumberFormat.quantity(target)) %"
        case "supplier_on_time_pct":
            return "suppliers on time \(NumberFormat.fixed(value, decimals: 1)) % (amount-weighted) vs target \(NumberFormat.quantity(target)) %"
        default:
            return "\(name)first-pass yield \(NumberFormat.fixed(value, decimals: 1)) % vs target \(NumberFormat.quantity(target)) %"
        }
    }

    /// Adds to each gate a criterion per KPI with a target (after material, capacity and
    /// supplier, before the manual ones) and re-takes its status.
    public func addCriteria(to gates: inout [GateResult], model: PlanningModel) {
        for g in gates.indices {
            var added: [CriterionResult] = []
            for (kpi, name) in Self.criterionOf {
                let judged = rows.filter { $0.phase == gates[g].phase && $0.kpi == kpi && $0.status != nil }
                guard let worst = judged.map({ $0.status! }).max() else { continue }
                let shown = judged.sorted { $0.status! > $1.status! }.map { figure($0, model) }
                added.append(CriterionResult(criterion: name, status: worst,
                                             evidence: GateEvaluator.list(shown, separator: "; "),
                                             owner: owner(of: kpi, product: judged[0].product, model.plan.kpis)))
            }
            guard !added.isEmpty else { continue }
            gates[g].criteria.insert(contentsOf: added, at: min(3, gates[g].criteria.count))
            gates[g].status = gates[g].criteria.map(\.status).max() ?? .go
        }
    }

    /// One `kpi` risk per KPI finding at risk or no-go at a gate (level 2 for no_go, else 1;
    /// the KPI's owner, else the level's), merged into `risks` in their order (level,
    /// respond-by, kind; the kpi risks among themselves by item, then date).
    public func mergeRisks(into risks: [Risk], gates: [GateResult], model: PlanningModel) -> [Risk] {
        let plan = model.plan
        var found: [Risk] = []
        for gate in gates {
            for (kpi, _) in Self.criterionOf {
                for row in rows where row.phase == gate.phase && row.kpi == kpi {
                    guard let status = row.status, status != .go else { continue }
                    let level = status == .noGo ? 2 : 1
                    let escalation = plan.escalationLevel(level)
                    let own = owner(of: kpi, product: row.product, plan.kpis)
                    let item = row.product >= 0 ? "\(model.items.names[row.product]) \(kpi)" : kpi
                    let text = figure(row, model)
                    found.append(Risk(id: "kpi:\(item):\(gate.date)", kind: .kpi, item: item, level: level,
                                      owner: own.isEmpty ? escalation.owner : own,
                                      respondBy: plan.start.addingBusinessDays(escalation.respondWithinDays), date: gate.date,
                                      impact: "\(gate.gate) is \(status.rawValue) on \(kpi)", message: "\(gate.gate) (\(gate.phaseName)): \(text)",
                                      quantity: 0))
                }
            }
        }
        guard !found.isEmpty else { return risks }
        found.sort { ($0.level, $1.item, $1.date) > ($1.level, $0.item, $0.date) }
        func ahead(_ a: Risk, _ b: Risk) -> Bool {
            if a.level != b.level { return a.level > b.level }
            if a.respondBy != b.respondBy { return a.respondBy < b.respondBy }
            return a.kind.rawValue < b.kind.rawValue
        }
        var merged: [Risk] = []
        merged.reserveCapacity(risks.count + found.count)
        var k = 0
        for risk in risks {
            while k < found.count, ahead(found[k], risk) {
                merged.append(found[k])
                k += 1
            }
            merged.append(risk)
        }
        merged.append(contentsOf: found[k...])
        return merged
    }
}
