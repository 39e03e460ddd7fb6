/// The parts of the weekly status report that compare this run with earlier ones: each
/// gate's forecast against its baseline and last week, the escalation tracker, and the
/// purchase suggestions that changed.
extension StatusReport {
    /// `+14`, `0`, `-7`: days from `a` to `b`.
    static func days(from a: Day, to b: Day) -> String {
        let d = b.number - a.number
        return d > 0 ? "+\(d)" : "\(d)"
    }

    /// `1 week`, `3 weeks`: an age in days, in whole weeks.
    static func weeks(_ days: Int) -> String {
        let n = days / 7
        return n == 1 ? "1 week" : "\(n) weeks"
    }

    /// One row per gate: planned date, status, forecast; the baseline (the first recorded
    /// run's forecast, or this one's when this is the first), last week's forecast, the
    /// slip in days since last week, and what moved it.
    mutating func describeMilestones(_ result: PlanResult, previous: PreviousRun?, owner: String) {
        for gate in result.gates {
            let forecast = gate.forecast?.description ?? "open"
            var baseline = forecast
            if let first = previous?.trail?.forecasts[gate.gate]?.first {
                baseline = first.forecast?.description ?? "open"
            }
            let last = previous?.gateForecasts[gate.gate]
            var slip = "—"
            if let last, let lastDay = Day(iso: last), let now = gate.forecast {
                slip = Self.days(from: lastDay, to: now)
            } else if let last, last != forecast {
                slip = forecast == "open" ? "open" : "from open"
            }
            var changes: [String] = []
            if let previous {
                if let before = previous.gates[gate.gate] {
                    if before.status != gate.status.rawValue { changes.append("status \(before.status) → \(gate.status.rawValue)") }
                    if before.date != gate.date.description { changes.append("date \(before.date) → \(gate.date)") }
                    let criteria = previous.criteria[gate.gate] ?? [:]
                    for criterion in gate.criteria {
                        if let was = criteria[criterion.criterion], was != criterion.status.rawValue {
                            changes.append("\(criterion.criterion) \(was) → \(criterion.status.rawValue)")
                        } else if criteria[criterion.criterion] == nil, !criteria.isEmpty {
                            changes.append("\(criterion.criterion) new (\(criterion.status.rawValue))")
                        }
                    }
                } else {
                    changes.append("new gate")
                }
            }
            if let last, last != forecast {
                changes.append("forecast \(last) → \(forecast)")
            }
            if let now = gate.forecast, let base = Day(iso: baseline), now != base {
                let behind = now.number - base.number
                changes.append("\(abs(behind)) days \(behind > 0 ? "behind" : "ahead of") baseline")
            }
            let moved = changes.isEmpty ? (previous == nil ? "first report" : "no change") : changes.joined(separator: "; ")
            milestones.append(Milestone(gate: gate.gate, phase: gate.phaseName, date: gate.date, status: gate.status,
                                        forecast: forecast, baseline: baseline, lastForecast: last ?? "—", slip: slip,
                                        moved: moved, why: gate.forecastReason, owner: owner))
        }
    }

    /// The decisions that answer a risk (decisions.csv `risks`), as text.
    static func responses(to id: String, in model: PlanningModel) -> String? {
        let answers = model.decisions.filter { $0.risks.contains(id) }
        guard !answers.isEmpty else { return nil }
        return answers.map { "\($0.decision) (\($0.owner.isEmpty ? "no owner" : $0.owner), \($0.status) \($0.date))" }
            .joined(separator: "; ")
    }

    /// Risks seen in an earlier run or answered by a decision: since when, how old, the
    /// deadline, the response and its outcome (escalated, still open). Escalated ones
    /// first, then by level, then oldest first.
    mutating func describeTracker(_ result: PlanResult, owner: String) {
        let model = result.model
        let start = model.plan.start
        let followed = result.risks.indices.filter { k in
            let risk = result.risks[k]
            return (risk.firstSeen.map { $0 < start } ?? false) || model.decisions.contains { $0.risks.contains(risk.id) }
        }
        let ordered = followed.sorted { a, b in
            let x = result.risks[a], y = result.risks[b]
            if (x.missedRespondBy != nil) != (y.missedRespondBy != nil) { return x.missedRespondBy != nil }
            if x.level != y.level { return x.level > y.level }
            let fx = x.firstSeen ?? start, fy = y.firstSeen ?? start
            if fx != fy { return fx < fy }
            return a < b
        }
        for k in ordered {
            tracker.append({
                let risk = result.risks[k]
                let first = risk.firstSeen ?? start
                var text = "\(risk.id) (level \(risk.level), open since \(first), \(Self.weeks(start.number - first.number)))"
                if let missed = risk.missedRespondBy {
                    text += risk.escalatedFrom.map { ": respond-by \(missed) passed, escalated from level \($0)" }
                        ?? ": respond-by \(missed) passed at the highest level"
                }
                text += " — response: " + (Self.responses(to: risk.id, in: model) ?? "none recorded")
                text += " — outcome: " + (risk.escalatedFrom != nil ? "escalated" : "still open")
                return Line(text: text, owner: risk.owner, date: risk.respondBy)
            }())
        }
    }

    /// Purchase suggestions against last week's, per supplier and item: new, dropped,
    /// quantity changed, need date moved. Pairs are made exact first (same date and
    /// quantity: unchanged), then on the same date (quantity changed), then in date order
    /// (date moved); what is left is new or dropped.
    mutating func describePurchaseChanges(_ result: PlanResult, previous: [PreviousRun.PurchaseLine], owner: String) {
        let model = result.model
        let mrp = result.mrp
        let dates = mrp.calendar.bucketStart
        struct Key: Hashable { var supplier: String; var item: String }
        var now: [Key: [(day: Day, quantity: Double)]] = [:]
        for order in mrp.orders where order.kind == .buy {
            let supplier = order.offer >= 0 ? model.supplierNames[model.offers[order.offer].supplier] : ""
            now[Key(supplier: supplier, item: model.items.names[order.item]), default: []].append((dates[order.dueBucket], order.quantity))
        }
        var before: [Key: [(day: Day, quantity: Double)]] = [:]
        for line in previous { before[Key(supplier: line.supplier, item: line.item), default: []].append((line.needDate, line.quantity)) }
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }
        var changes: [(supplier: String, day: Day, text: String)] = []
        for key in Set(now.keys).union(before.keys) {
            var a = (before[key] ?? []).sorted { $0.day < $1.day }
            var b = (now[key] ?? []).sorted { $0.day < $1.day }
            // Unchanged pairs out.
            for (i, old) in a.enumerated().reversed() {
                if let j = b.firstIndex(where: { $0.day == old.day && same($0.quantity, old.quantity) }) {
                    a.remove(at: i)
                    b.remove(at: j)
                }
            }
            let q = NumberFormat.quantity
            for (i, old) in a.enumerated().reversed() {
                if let j = b.firstIndex(where: { $0.day == old.day }) {
                    changes.append((key.supplier, old.day, "\(key.item) needed \(old.day): quantity \(q(old.quantity)) → \(q(b[j].quantity))"))
                    a.remove(at: i)
                    b.remove(at: j)
                }
            }
            for (old, new) in zip(a, b) {
                let quantity = same(old.quantity, new.quantity) ? q(new.quantity) : "\(q(old.quantity)) → \(q(new.quantity))"
                changes.append((key.supplier, min(old.day, new.day),
                                "\(key.item) \(quantity): need date \(old.day) → \(new.day) (\(Self.days(from: old.day, to: new.day)) days)"))
            }
            for old in a.dropFirst(b.count) {
                changes.append((key.supplier, old.day, "\(key.item) \(q(old.quantity)) needed \(old.day): dropped"))
            }
            for new in b.dropFirst(a.count) {
                changes.append((key.supplier, new.day, "\(key.item) \(q(new.quantity)) needed \(new.day): new"))
            }
        }
        changes.sort { ($0.supplier, $0.day.number, $0.text) < ($1.supplier, $1.day.number, $1.text) }
        let respondBy = model.plan.start.addingBusinessDays(model.plan.escalationLevel(1).respondWithinDays)
        for change in changes {
            purchaseChanges.append(Line(text: "\(change.supplier.isEmpty ? "(no supplier)" : change.supplier): \(change.text)",
                                        owner: owner, date: respondBy))
        }
    }
}
