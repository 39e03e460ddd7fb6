import Foundation

/// The weekly status report's content, shared by `report.md` and `report.html`
/// (contract §4): five sections, every line with an owner and a date.
public struct StatusReport: Sendable {
    public struct Line: Sendable, Hashable {
        public var text: String
        public var owner: String
        public var date: Day
    }

    public struct Milestone: Sendable, Hashable {
        public var gate: String
        public var phase: String
        public var date: Day
        public var status: GateStatus
        public var moved: String
        public var owner: String
    }

    /// A section's lines: all of them counted, the first `sectionLimit` kept (a large
    /// model has a hundred thousand new risks; the report shows fifteen and a count).
    public struct Lines: Sendable {
        public private(set) var shown: [Line] = []
        public private(set) var count = 0
        public var isEmpty: Bool { count == 0 }

        /// Counts a line, and makes it only when it will be shown.
        public mutating func append(_ line: @autoclosure () -> Line) {
            count += 1
            if shown.count < StatusReport.sectionLimit { shown.append(line()) }
        }
    }

    public var title: String
    public var weekOf: Day
    public var milestones: [Milestone] = []
    public var blockers = Lines()
    public var decisions = Lines()
    public var newRisks = Lines()
    public var escalatedRisks = Lines()
    public var closedRisks = Lines()
    public var nextWeek = Lines()
    /// Where capacity binds (the LP's duals), phases that cannot reach the ramp, and the
    /// weeks where the MRP's orders overload a work center.
    public var capacity = Lines()
    /// What the plan leaves out (`PlanWarnings`).
    public var warnings = Lines()
    public var comparedWithPrevious: Bool

    public init(_ result: PlanResult, previous: PreviousRun?) {
        let model = result.model
        let plan = model.plan
        let start = plan.start
        title = "Takt weekly status — \(URL(fileURLWithPath: model.folder).lastPathComponent)"
        weekOf = start
        comparedWithPrevious = previous != nil
        let programOwner = plan.escalationLevel(2).owner
        let leadOwner = plan.escalationLevel(1).owner

        for gate in result.gates {
            var moved = "first report"
            if let previous {
                if let before = previous.gates[gate.gate] {
                    var changes: [String] = []
                    if before.status != gate.status.rawValue { changes.append("status \(before.status) → \(gate.status.rawValue)") }
                    if before.date != gate.date.description { changes.append("date \(before.date) → \(gate.date)") }
                    moved = changes.isEmpty ? "no change" : changes.joined(separator: "; ")
                } else {
                    moved = "new gate"
                }
            }
            milestones.append(Milestone(gate: gate.gate, phase: gate.phaseName, date: gate.date, status: gate.status,
                                        moved: moved, owner: programOwner))
            for criterion in gate.criteria where criterion.status == .noGo {
                blockers.append(Line(text: "\(gate.gate) \(criterion.criterion) is no-go: \(criterion.evidence)",
                                     owner: criterion.owner.isEmpty ? programOwner : criterion.owner,
                                     date: plan.start.addingBusinessDays(plan.escalationLevel(2).respondWithinDays)))
            }
        }
        for risk in result.risks where risk.level >= 3 {
            blockers.append(Line(text: "\(risk.id): \(risk.message)", owner: risk.owner, date: risk.respondBy))
        }

        for decision in model.decisions where decision.status == "open" {
            var text = decision.decision
            if !decision.gate.isEmpty { text += " (\(decision.gate))" }
            if !decision.impact.isEmpty { text += " — impact: \(decision.impact)" }
            decisions.append(Line(text: text, owner: decision.owner, date: decision.date))
        }
        // Gates within the next four weeks need a go/no-go call.
        for gate in result.gates where gate.date <= start.adding(days: 28) {
            decisions.append(Line(text: "go/no-go call for \(gate.gate) (\(gate.phaseName)), now \(gate.status.rawValue)",
                                  owner: programOwner, date: gate.date))
        }

        for risk in result.risks {
            func line() -> Line { Line(text: "\(risk.id) (level \(risk.level)): \(risk.message)", owner: risk.owner, date: risk.respondBy) }
            if let previous, let level = previous.risks[risk.id] {
                if risk.level > level { escalatedRisks.append(line()) }
            } else {
                newRisks.append(line())
            }
        }
        if let previous {
            let current = Set(result.risks.map(\.id))
            for id in previous.risks.keys.sorted() where !current.contains(id) {
                closedRisks.append(Line(text: "\(id): \(previous.riskMessages[id] ?? "")", owner: leadOwner, date: start))
            }
        }

        describeCapacity(result, owner: programOwner)
        for warning in result.warnings {
            warnings.append(Line(text: warning.description.replacingOccurrences(of: model.folder + "/", with: ""),
                                 owner: leadOwner, date: start))
        }

        // Next week: what to release and buy in the first bucket.
        let firstWeekEnd = start.adding(days: 7)
        let dates = result.mrp.calendar.bucketStart
        var makeCount = 0, makeItems: Set<Int> = []
        var purchases: [String: (count: Int, amount: Double, date: Day)] = [:]
        for order in result.mrp.orders where dates[order.releaseBucket] < firstWeekEnd {
            if order.kind == .make {
                makeCount += 1
                makeItems.insert(order.item)
            } else {
                let supplier = SupplierChoice.supplierName(of: order, model) ?? "(no supplier)"
                let price = SupplierChoice.price(of: order, model)
                let entry = purchases[supplier] ?? (0, 0, dates[order.releaseBucket])
                purchases[supplier] = (entry.count + 1, entry.amount + order.quantity * price, min(entry.date, dates[order.releaseBucket]))
            }
        }
        if makeCount > 0 {
            let names = makeItems.map { model.items.names[$0] }.sorted()
            let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
            nextWeek.append(Line(text: "release \(makeCount) work order\(makeCount == 1 ? "" : "s") (\(shown))",
                                 owner: leadOwner, date: start))
        }
        for supplier in purchases.keys.sorted() {
            let entry = purchases[supplier]!
            nextWeek.append(Line(text: "place \(entry.count) purchase order\(entry.count == 1 ? "" : "s") with \(supplier), amount \(NumberFormat.fixed(entry.amount, decimals: 2))",
                                 owner: leadOwner, date: entry.date))
        }
    }

    /// The capacity story: binding work centers and shortfalls per phase (`CapacityBriefing`),
    /// then each work center's MRP overloads as one line.
    mutating func describeCapacity(_ result: PlanResult, owner: String) {
        let plan = result.model.plan
        let respondBy = plan.start.addingBusinessDays(plan.escalationLevel(2).respondWithinDays)
        for line in CapacityBriefing.lines(result) { capacity.append(Line(text: line, owner: owner, date: respondBy)) }
        var overloads: [Int: [MRPException]] = [:]
        for exception in result.mrp.exceptions where exception.kind == .overload {
            overloads[exception.workcenter, default: []].append(exception)
        }
        let centers = result.model.workcenters
        for w in overloads.keys.sorted(by: { centers[$0].name < centers[$1].name }) {
            let rows = overloads[w]!.sorted { $0.date < $1.date }
            let worst = rows.map(\.quantity).max() ?? 0
            let span = rows.count == 1 ? "the week of \(rows[0].date)" : "\(rows.count) weeks from \(rows[0].date) to \(rows[rows.count - 1].date)"
            capacity.append(Line(text: "\(centers[w].name): the MRP's orders need more than capacity and planned overtime (+5 %) in \(span), up to \(NumberFormat.fixed(worst, decimals: 1)) h over — setup hours, lot sizes or demand outside the master schedule (exceptions.csv, overload)",
                                 owner: owner, date: rows[0].date))
        }
    }

    /// `report.md`.
    public func markdown() -> String {
        var out = "# \(title)\n\nWeek of \(weekOf). Every line names an owner and a date.\n\n"
        out += "## 1. Milestone movement\n\n"
        if milestones.isEmpty {
            out += "No gates in the plan.\n\n"
        } else {
            out += "| Gate | Phase | Date | Status | What moved | Owner |\n|---|---|---|---|---|---|\n"
            for m in milestones {
                out += "| \(cell(m.gate)) | \(cell(m.phase)) | \(m.date) | \(m.status.rawValue) | \(cell(m.moved)) | \(cell(m.owner)) |\n"
            }
            out += "\n"
        }
        out += section("2. Blockers requiring action", blockers, empty: "No blockers.")
        out += section("3. Decisions needed", decisions, empty: "No decisions pending.")
        out += "## 4. Risk changes\n\n"
        if !comparedWithPrevious { out += "No previous run given (`--previous`): every risk is new.\n\n" }
        out += subsection("New", newRisks)
        out += subsection("Escalated", escalatedRisks)
        out += subsection("Closed", closedRisks)
        out += section("5. Next-week plan", nextWeek, empty: "Nothing to release or buy next week.")
        out += section("6. Capacity and the master schedule", capacity, empty: "No work center binds; no MRP overloads.")
        if !warnings.isEmpty { out += section("Warnings: input the plan leaves out", warnings, empty: "") }
        return out
    }

    /// A section lists at most this many lines (most urgent first); the rest are counted,
    /// so that the report stays a two-minute read on a large model.
    public static let sectionLimit = 15

    private func section(_ heading: String, _ lines: Lines, empty: String) -> String {
        let out = "## \(heading)\n\n"
        if lines.isEmpty { return out + empty + "\n\n" }
        return out + bullets(lines) + "\n"
    }

    private func subsection(_ heading: String, _ lines: Lines) -> String {
        let out = "### \(heading) (\(lines.count))\n\n"
        if lines.isEmpty { return out + "None.\n\n" }
        return out + bullets(lines) + "\n"
    }

    private func bullets(_ lines: Lines) -> String {
        var out = ""
        for line in lines.shown { out += bullet(line) }
        if lines.count > Self.sectionLimit {
            out += "- … and \(lines.count - Self.sectionLimit) more in risks.csv / the output files\n"
        }
        return out
    }

    private func bullet(_ line: Line) -> String {
        "- \(line.text) — owner: \(line.owner.isEmpty ? "unassigned" : line.owner), by \(line.date)\n"
    }

    private func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
