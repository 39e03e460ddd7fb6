import TaktModel
import TaktInput
import TaktPlanning

extension StatusReport {
    /// Section 4's "Worsened": the risks open last week and this week under the same id
    /// whose impact grew — a `shortage` with more units late, or all there later (or no
    /// longer within the horizon), a `capacity` risk further behind the ramp. A risk's id
    /// keeps its date (§2c), so the same finding is compared with itself; last week's
    /// figures are read back from its impact text (`PreviousRun.RiskFigure`). Ranked by
    /// level, then value at risk, then id.
    mutating func describeWorsened(_ result: PlanResult, previous: PreviousRun) {
        guard !previous.riskFigures.isEmpty else { return }
        let risks = result.risks
        let records = risks.records
        let bucketStart = result.mrp.calendar.bucketStart
        var found: [(k: Int, was: PreviousRun.RiskFigure, now: PreviousRun.RiskFigure)] = []
        for k in risks.indices where records[k].kind == .shortage || records[k].kind == .capacity {
            let risk = risks[k]
            guard let was = previous.riskFigures[risk.id] else { continue }
            let record = records[k]
            var now = PreviousRun.RiskFigure(quantity: record.quantity, allThereBy: nil)
            if record.kind == .shortage {
                // What the projection delays carries the date; a shortage that delays no
                // delivery has it in its impact only.
                if let impact = record.shortage {
                    now.allThereBy = impact.availableBucket.map { bucketStart[$0] }
                } else {
                    now.allThereBy = PreviousRun.RiskFigure.parse(id: risk.id, impact: risk.impact)?.allThereBy
                }
            }
            // Last week's quantity is as risks.csv wrote it (six decimals at most).
            let more = now.quantity > was.quantity + 1e-6 * max(1, abs(was.quantity))
            let later: Bool = switch (was.allThereBy, now.allThereBy) {
            case let (before?, after?): after > before
            case (.some, nil): record.kind == .shortage
            default: false
            }
            if more || later { found.append((k, was, now)) }
        }
        found.sort { a, b in
            let (x, y) = (records[a.k], records[b.k])
            if x.level != y.level { return x.level > y.level }
            if x.valueAtRisk != y.valueAtRisk { return x.valueAtRisk > y.valueAtRisk }
            return risks[a.k].id < risks[b.k].id
        }
        for (k, was, now) in found {
            worsenedRisks.append({
                let risk = risks[k]
                return Line(text: "\(risk.id) (level \(risk.level)): " + Self.worsening(risk.kind, was: was, now: now),
                            owner: risk.owner, date: risk.respondBy)
            }())
        }
    }

    /// `348 units late (189 last week), all there by 2027-04-19 (2027-03-29 last week, 21
    /// days later)`, or `120 units of output behind the ramp (80 last week)`.
    static func worsening(_ kind: RiskKind, was: PreviousRun.RiskFigure, now: PreviousRun.RiskFigure) -> String {
        let quantity = NumberFormat.quantity(now.quantity)
        let before = NumberFormat.quantity(was.quantity)
        let change = quantity == before ? "as last week" : "\(before) last week"
        guard kind == .shortage else { return "\(quantity) units of output behind the ramp (\(change))" }
        var text = "\(quantity) units late (\(change)), all there "
        switch (was.allThereBy, now.allThereBy) {
        case let (before?, after?) where after != before:
            text += "by \(after) (\(before) last week, \(after.number - before.number) days \(after > before ? "later" : "earlier"))"
        case let (_, after?):
            text += "by \(after) (as last week)"
        case let (before?, nil):
            text += "open: not within the horizon (by \(before) last week)"
        case (nil, nil):
            text += "open: not within the horizon (as last week)"
        }
        return text
    }
}
