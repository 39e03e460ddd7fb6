import TaktModel
import TaktInput
import TaktPlanning

extension StatusReport {
    /// A `shortage` or `capacity` risk counts as worsened when its units grew by at least
    /// this share of last week's (and by more than rounding): smaller growth is the plan's
    /// noise, not news.
    static let worsenedShare = 0.01

    /// Section 4's "Worsened": the risks open last week and this week whose impact grew — a
    /// `shortage` with at least 1 % more units late, or all there later (or no longer within
    /// the horizon), a `capacity` risk at least 1 % further behind the ramp. A risk is
    /// compared with itself under the same id (§2c keeps it from week to week), and a
    /// shortage whose first late date moved (a new id) with last week's shortage of its item
    /// (`carried`) — an earlier start is itself worse. Last week's figures are read
    /// back from its impact text (`PreviousRun.RiskFigure`). Ranked by level, then by how
    /// late the deliveries it delays come (`delays`), then by value at risk, then by id.
    mutating func describeWorsened(_ result: PlanResult, previous: PreviousRun, delays: [Int32: Int], carried: [Int: String],
                                   ids: [String]) {
        guard !previous.riskFigures.isEmpty else { return }
        let risks = result.risks
        let records = risks.records
        let bucketStart = result.mrp.calendar.bucketStart
        let candidates = risks.indices.filter { records[$0].kind == .shortage || records[$0].kind == .capacity }
        struct Found { var k: Int; var was: PreviousRun.RiskFigure; var now: PreviousRun.RiskFigure; var lastId: String? }
        var found: [Found] = []
        for k in candidates {
            let id = ids[k]
            let record = records[k]
            var lastId: String?
            var was = previous.riskFigures[id]
            // A shortage re-dated under a new id (`EscalationTracker.redated`, the pairs the
            // report's other lists use) is compared with last week's shortage of its item.
            if was == nil, record.kind == .shortage, let old = carried[k] {
                lastId = old
                was = previous.riskFigures[old]
            }
            guard let was else { continue }
            var now = PreviousRun.RiskFigure(quantity: record.quantity, allThereBy: nil)
            if record.kind == .shortage {
                // What the projection delays carries the date; a shortage that delays no
                // delivery has it in its impact only.
                if let impact = record.shortage {
                    now.allThereBy = impact.availableBucket.map { bucketStart[$0] }
                } else {
                    now.allThereBy = PreviousRun.RiskFigure.parse(id: id, impact: risks[k].impact)?.allThereBy
                }
            }
            // Last week's quantity is as risks.csv wrote it (six decimals at most).
            let more = now.quantity > was.quantity + max(Self.worsenedShare * abs(was.quantity), 1e-6 * max(1, abs(was.quantity)))
            let later: Bool = switch (was.allThereBy, now.allThereBy) {
            case let (before?, after?): after > before
            case (.some, nil): record.kind == .shortage
            default: false
            }
            let earlier = lastId.map { record.date < Self.idDate($0) ?? record.date } ?? false
            if more || later || earlier { found.append(Found(k: k, was: was, now: now, lastId: lastId)) }
        }
        found.sort { a, b in Self.riskAhead(a.k, b.k, risks, delays) ?? (ids[a.k] < ids[b.k]) }
        for entry in found {
            worsenedRisks.append({
                let risk = risks[entry.k]
                var text = "\(ids[entry.k]) (level \(risk.level)): "
                if let lastId = entry.lastId, let before = Self.idDate(lastId) {
                    let shift = before.number - risk.date.number
                    text += "late from \(risk.date) (\(before) last week\(shift > 0 ? ", \(shift) days earlier" : shift < 0 ? ", \(-shift) days later" : "")), "
                }
                return Line(text: text + Self.worsening(risk.kind, was: entry.was, now: entry.now), owner: risk.owner, date: risk.respondBy)
            }())
        }
    }

    /// The date of a risk id `KIND:ITEM:DATE` (its last part).
    static func idDate(_ id: String) -> Day? {
        guard let last = id.lastIndex(of: ":") else { return nil }
        return Day(iso: String(id[id.index(after: last)...]))
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
            text += "by \(after) (\(before) last week, \(abs(after.number - before.number)) days \(after > before ? "later" : "earlier"))"
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
