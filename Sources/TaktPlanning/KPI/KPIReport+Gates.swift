import TaktModel
import TaktInput

/// The KPI criteria of each gate and their `kpi` risks.
extension KPIReport {
    /// Criterion name of each KPI with a target, in gate order.
    static let criterionOf: [(KPIKind, String)] = KPIKind.targeted.map { ($0, $0.criterion!.rawValue) }
    public static let criterionNames: Set<String> = Set(criterionOf.map(\.1))

    package func owner(of kpi: KPIKind, product: Int, _ targets: KPITargets) -> String {
        switch kpi {
        case .costPerUnit: targets.costPerUnit[product]?.owner ?? ""
        case .onTimeDeliveryPct: targets.onTimeDeliveryPct?.owner ?? ""
        case .supplierOnTimePct: targets.supplierOnTimePct?.owner ?? ""
        default: targets.firstPassYieldPct?.owner ?? ""
        }
    }

    /// `DRONE-X1 cost per unit 201.3 vs target 180 (+11.8 %)`.
    func figure(_ row: Row, _ model: PlanningModel) -> String {
        let value = row.value ?? 0, target = row.target ?? 0
        let name = row.product >= 0 ? model.items.names[row.product] + " " : ""
        switch row.kpi {
        case .costPerUnit:
            let deviation = target > 0 ? 100 * (value - target) / target : 0
            return "\(name)cost per unit \(NumberFormat.fixed(value, decimals: 2)) vs target \(NumberFormat.quantity(target)) "
                + "(\(deviation >= 0 ? "+" : "")\(NumberFormat.fixed(deviation, decimals: 1)) %)"
        case .onTimeDeliveryPct:
            return "\(name)on time \(NumberFormat.fixed(value, decimals: 1)) % vs target \(NumberFormat.quantity(target)) %"
        case .supplierOnTimePct:
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

    /// One `kpi` risk per KPI miss (a KPI of a product, or of all suppliers), naming every
    /// gate it is at risk or no-go at — not one per gate: the same structural miss (a unit
    /// cost above target in every phase) is one thing to act on. Level 2 when it is no-go
    /// at some gate, else 1; dated at the first such gate; the KPI's owner, else the
    /// level's; merged into `risks` in their order (level, respond-by, kind; the kpi risks
    /// among themselves by item, then date).
    public func mergeRisks(into risks: RiskList, gates: [GateResult], model: PlanningModel) -> RiskList {
        var merged = risks
        Self.merge(kpiRisks(gates: gates, model: model), into: &merged)
        return merged
    }

    /// The `kpi` risks of `mergeRisks`, in their order (level, then item, then date).
    public func kpiRisks(gates: [GateResult], model: PlanningModel) -> [Risk] {
        let plan = model.plan
        var found: [Risk] = []
        // Per (KPI, product), in the order first met: its misses, gate by gate.
        var keys: [String] = []
        var misses: [String: [(gate: GateResult, status: GateStatus, text: String, kpi: KPIKind, product: Int)]] = [:]
        for gate in gates {
            for (kpi, _) in Self.criterionOf {
                for row in rows where row.phase == gate.phase && row.kpi == kpi {
                    guard let status = row.status, status != .go else { continue }
                    let item = row.product >= 0 ? "\(model.items.names[row.product]) \(kpi.rawValue)" : kpi.rawValue
                    if misses[item] == nil { keys.append(item) }
                    misses[item, default: []].append((gate, status, figure(row, model), kpi, row.product))
                }
            }
        }
        for item in keys {
            let list = misses[item]!
            let first = list[0]
            let worst = list.contains { $0.status == .noGo } ? GateStatus.noGo : .atRisk
            let level = worst == .noGo ? 2 : 1
            let escalation = plan.escalationLevel(level)
            let own = owner(of: first.kpi, product: first.product, plan.kpis)
            // "Gate 1 (Pre-Production), Gate 2 (Soft Launch): FIGURE; Gate 3 (Ramp I): FIGURE".
            var parts: [String] = []
            var k = 0
            while k < list.count {
                var end = k + 1
                while end < list.count && list[end].text == list[k].text { end += 1 }
                parts.append(list[k..<end].map { "\($0.gate.gate) (\($0.gate.phaseName))" }.joined(separator: ", ") + ": " + list[k].text)
                k = end
            }
            let noGo = list.filter { $0.status == .noGo }.map(\.gate.gate)
            let atRisk = list.filter { $0.status == .atRisk }.map(\.gate.gate)
            let impact = [noGo.isEmpty ? nil : noGo.joined(separator: ", ") + " no_go",
                          atRisk.isEmpty ? nil : atRisk.joined(separator: ", ") + " at_risk"]
                .compactMap { $0 }.joined(separator: "; ") + " on \(first.kpi.rawValue)"
            found.append(Risk(id: "kpi:\(item):\(first.gate.date)", kind: .kpi, item: item, level: level,
                              owner: own.isEmpty ? escalation.owner : own,
                              respondBy: plan.start.addingBusinessDays(escalation.respondWithinDays), date: first.gate.date,
                              impact: impact, message: parts.joined(separator: "; "), quantity: 0))
        }
        found.sort { ($0.level, $1.item, $1.date) > ($1.level, $0.item, $0.date) }
        return found
    }

    /// Merges `found` (`kpiRisks`) into `risks` in place, each before the first risk it
    /// goes ahead of (level, respond-by, kind), after the risks it does not: with room
    /// reserved for them (`RiskRegister.build(reserving:)`), no second array of every risk.
    public static func merge(_ found: [Risk], into risks: inout RiskList) {
        risks.merge(found) { a, b in
            if a.level != b.level { return a.level > b.level }
            if a.respondBy != b.respondBy { return a.respondBy < b.respondBy }
            return a.kind.rawValue < b.kind.rawValue
        }
    }
}
