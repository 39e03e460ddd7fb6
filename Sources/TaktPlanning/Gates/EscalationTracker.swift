import TaktModel
import TaktInput

/// Carries risks from last week's run in the history to this one: age, kept deadlines
/// and escalation when a deadline passed.
///
/// Behaviour (with a history only; without one every risk is new):
/// - a risk open last week keeps its first-seen date; a new one is first seen today;
/// - a `kpi` risk keeps its own level and owner (it is not escalated by age) and, while
///   its deadline has not passed, last week's `respond_by`;
/// - any other still open at a run whose plan date is after its `respond_by`: one level up (at most
///   the highest escalation level), that level's owner, and a new `respond_by` = the plan
///   date + that level's business days; at the highest level only the deadline renews;
/// - but while a response is under way — an open decision that names the risk
///   (decisions.csv `risks`) due on or after the plan date (`responseDue`, the earliest) —
///   the risk keeps last week's level and owner (when higher than today's) and is due when
///   that decision is, week after week, and escalates as above once that date has passed
///   with the risk still open;
/// - otherwise it keeps last week's level when that is higher than today's, with that
///   owner, and last week's `respond_by` (a deadline does not slide because the plan was
///   re-run);
/// - a `shortage`, `safety_stock` or `expedite` risk whose date moved keeps its finding
///   under a new id (`KIND:ITEM:DATE`, §2c): when an item has exactly one such risk of a
///   kind that is new this week and exactly one of that kind last week that is gone, the new
///   one carries the old one's state (first seen, level, owner, deadline) as if it were the
///   same risk — a rolling shortage is not reset to level 1 each time its date moves;
/// - risks are re-ordered: highest level first, then `respond_by` (the order is stable,
///   so kind, item and date still order the rest).
public enum EscalationTracker {
    /// The due date of the earliest open decision answering each risk, due on or after the
    /// plan date (a response under way), by risk id.
    public static func responseDue(_ decisions: [DecisionRow], start: Day) -> [String: Day] {
        var due: [String: Day] = [:]
        for decision in decisions where decision.status == "open" && decision.date >= start {
            for id in decision.risks { due[id] = min(due[id] ?? decision.date, decision.date) }
        }
        return due
    }

    /// The kinds whose date moves with the plan: a new date is the same finding re-dated.
    public static let movable: Set<RiskKind> = [.shortage, .safetyStock, .expedite]

    /// For each risk of a movable kind that is new this week, last week's id it continues:
    /// the one gone risk of its kind and item, when the item has exactly one new and one gone
    /// of that kind (`KIND:ITEM:`, the id without its date).
    static func redated(_ risks: RiskList, ids: [String], previous: [String: PreviousRun.RiskState]) -> [Int: String] {
        redated(risks, ids: ids, known: { previous[$0] != nil }, previousIds: previous.keys)
    }

    /// `redated` against last week's ids alone (`known` says whether an id is one of them):
    /// what the report pairs when last week is an output folder without a history.
    public static func redated(_ risks: RiskList, ids: [String], known: (String) -> Bool,
                               previousIds: some Sequence<String>) -> [Int: String] {
        func stem(_ id: String) -> Substring { id.lastIndex(of: ":").map { id[...$0] } ?? id[...] }
        var fresh: [Substring: [Int]] = [:]
        var current: Set<String> = []
        for k in risks.indices where movable.contains(risks.records[k].kind) {
            let id = ids[k]
            current.insert(id)
            if !known(id) { fresh[stem(id), default: []].append(k) }
        }
        guard !fresh.isEmpty else { return [:] }
        var gone: [Substring: [String]] = [:]
        for id in previousIds where !current.contains(id) {
            let key = stem(id)
            if fresh[key] != nil { gone[key, default: []].append(id) }
        }
        var carried: [Int: String] = [:]
        for (key, new) in fresh where new.count == 1 {
            if let old = gone[key], old.count == 1 { carried[new[0]] = old[0] }
        }
        return carried
    }

    /// Escalates `risks` against last week's states; returns, for each risk that carries on
    /// a re-dated one (`redated`), last week's id, by the risk's index after the re-ordering.
    @discardableResult
    public static func apply(to risks: inout RiskList, previous: [String: PreviousRun.RiskState], plan: PlanSettings,
                             responseDue: [String: Day] = [:]) -> [Int: String] {
        let start = plan.start
        let highest = max(plan.escalation.map(\.level).max() ?? 3, 1)
        var changed = false
        // Each id once (a stress-shaped model has a million risks).
        let ids = risks.indices.map { risks[$0].id }
        var carried = redated(risks, ids: ids, previous: previous)
        for k in risks.indices {
            guard let last = previous[ids[k]] ?? carried[k].flatMap({ previous[$0] }) else {
                risks[k].firstSeen = start
                continue
            }
            var risk = risks[k]
            risk.firstSeen = last.firstSeen
            // A KPI miss is structural (a yield, a unit cost): it is not escalated by age;
            // its level follows its status at the gates.
            if risk.kind == .kpi {
                if start <= last.respondBy && last.level == risk.level { risk.respondBy = min(risk.respondBy, last.respondBy) }
                if risk.respondBy != risks[k].respondBy { changed = true }
                risks[k] = risk
                continue
            }
            // A decision that names the risk under last week's id answers it still.
            if let due = responseDue[ids[k]] ?? carried[k].flatMap({ responseDue[$0] }) {
                // A response under way: held at last week's level (or today's, if higher),
                // due with the decision (a deadline that passed is said).
                if last.level >= risk.level { (risk.level, risk.owner) = (last.level, last.owner) }
                if start > last.respondBy { risk.missedRespondBy = last.respondBy }
                risk.respondBy = due
            } else if start > last.respondBy {
                let level = min(max(last.level + 1, risk.level), max(highest, last.level, risk.level))
                let escalation = plan.escalationLevel(level)
                if level > last.level {
                    risk.escalatedFrom = last.level
                    if !escalation.owner.isEmpty { risk.owner = escalation.owner }
                } else {
                    risk.owner = last.owner
                }
                risk.missedRespondBy = last.respondBy
                risk.level = level
                risk.respondBy = start.addingBusinessDays(escalation.respondWithinDays)
            } else if last.level > risk.level {
                (risk.level, risk.owner, risk.respondBy) = (last.level, last.owner, last.respondBy)
            } else if last.level == risk.level {
                risk.respondBy = min(risk.respondBy, last.respondBy)
            }
            if risk.level != risks[k].level || risk.respondBy != risks[k].respondBy { changed = true }
            risks[k] = risk
        }
        if changed {
            // A stable sort: Swift's `sort` is not guaranteed stable, so sort positions.
            let order = risks.indices.sorted { a, b in
                let x = risks[a], y = risks[b]
                if x.level != y.level { return x.level > y.level }
                if x.respondBy != y.respondBy { return x.respondBy < y.respondBy }
                return a < b
            }
            risks.reorder(order)
            var moved: [Int: String] = [:]
            for (position, k) in order.enumerated() { if let old = carried[k] { moved[position] = old } }
            carried = moved
        }
        return carried
    }
}
