import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// The weekly status report's content, shared by `report.md` and `report.html`
/// (contract §4): milestone movement, blockers, decisions needed, risk changes, the
/// next-week plan, procurement actions and the capacity story; every line with an owner
/// and a date.
public struct StatusReport: Sendable {
    public struct Line: Sendable, Hashable {
        public var text: String
        public var owner: String
        public var date: Day
        /// The money the line moves (an order's or a receipt's amount), 0 when none: what
        /// ranks the "This week" block.
        public var weight: Double = 0
        /// Whether the action keeps or brings a delivery on time (an expedite, a pull-in, an
        /// order a shortage waits for), or is an open decision past its date: such actions
        /// lead the "This week" block.
        public var urgent = false
        /// Among the urgent lines, what goes first (higher first, before the money): an
        /// overdue decision's, from the level of the risk it answers, then how long overdue.
        public var pressure = 0
    }

    public struct Milestone: Sendable, Hashable {
        public var gate: String
        public var phase: String
        public var date: Day
        public var status: GateStatus
        /// `GateForecast`'s date, or `open`.
        public var forecast: String
        /// The first recorded run's forecast (this run's when there is none).
        public var baseline: String
        /// Last week's forecast, `—` when unknown.
        public var lastForecast: String
        /// Days from last week's forecast to this one (`+14`), `—` when unknown.
        public var slip: String
        public var moved: String
        /// What sets a no-go gate's forecast (`GateForecast`), empty otherwise.
        public var why: String
        public var owner: String
        /// With `takt plan --simulate N`: `82 % on time, P90 2027-05-10` (§2e); empty otherwise.
        public var confidence: String = ""

        /// `moved`, then what sets the forecast.
        public var movedAndWhy: String {
            guard !why.isEmpty else { return moved }
            return moved + "; forecast " + (forecast == "open" ? "open: " : "from ") + why
        }
    }

    /// A section's lines: all of them counted, the first `sectionLimit` kept (a large
    /// model has a hundred thousand new risks; the report shows fifteen and a count).
    public struct Lines: Sendable {
        public private(set) var shown: [Line] = []
        public private(set) var count = 0
        /// Where the lines past the cap are found: a file and what to filter on.
        public var more: String
        public var isEmpty: Bool { count == 0 }

        /// Said instead of "and N more in `more`" when set (a block drawn from other
        /// sections, whose hidden lines are theirs).
        public var moreText: String?

        public init(more: String = "the output files") { self.more = more }

        /// The closing line after the lines shown (without its bullet), nil when none is due.
        public var moreLine: String? {
            if let moreText { return "… " + moreText }
            return count > shown.count ? "… and \(count - shown.count) more in \(more)" : nil
        }

        /// Counts a line, and makes it only when it will be shown.
        public mutating func append(_ line: @autoclosure () -> Line) {
            count += 1
            if shown.count < StatusReport.sectionLimit { shown.append(line()) }
        }

        /// Counts `lines` lines that are not shown (a section that picks what it shows).
        public mutating func skip(_ lines: Int = 1) {
            count += max(0, lines)
        }

        /// Whether the next line appended will be shown (a section whose lines take work to
        /// word makes only those, and `skip`s the rest).
        public var willShow: Bool { shown.count < StatusReport.sectionLimit }
    }

    public var title: String
    public var weekOf: Day
    public var milestones: [Milestone] = []
    public var blockers = Lines(more: "risks.csv (kind shortage, and level 3) and gates.json")
    /// Per item, its deliveries that the projection has late (`StatusReport+Deliveries`).
    public var lateDeliveries: [LateDeliveries] = []
    public var decisions = Lines(more: "decisions.csv (status open)")
    public var newRisks = Lines(more: "risks.csv")
    /// How many rows of `risks.csv` the new risks are (a supplier's risks of one item, one
    /// per gate, are one line of `newRisks`).
    public var newRiskRows = 0
    /// Said under "New" when its lines are fewer than the rows they stand for.
    public var newRisksNote: String? {
        guard newRiskRows > newRisks.count else { return nil }
        return "\(newRiskRows) new rows in risks.csv: a supplier's risks of one item (one per gate it touches) are one line here."
    }
    public var escalatedRisks = Lines(more: "risks.csv")
    public var closedRisks = Lines(more: "last week's risks.csv")
    /// Risks of last week still open whose impact grew (`describeWorsened`).
    public var worsenedRisks = Lines(more: "risks.csv (impact) against last week's")
    /// Risks open since an earlier run or answered by a decision (with a history).
    public var tracker = Lines(more: "takt history FILE --risk ID")
    /// Purchase suggestions new, changed or dropped since last week.
    public var purchaseChanges = Lines(more: "purchase_changes.csv")
    /// `purchase_changes.csv`: every purchase suggestion change of `purchaseChanges`, one
    /// row each, in the same order; nil when last week's suggestions were not known.
    public var purchaseChangesFile: [UInt8]?
    public static let purchaseChangesHeader = ["supplier", "item", "change", "need_date", "quantity", "order_date", "late",
                                               "last_need_date", "last_quantity", "last_order_date", "last_late", "ordered_as"]
    /// Whether last week's purchase suggestions were known.
    public var comparedPurchases = false
    /// Each KPI of each product across the phases (section 8).
    public var kpiLines: [KPILine] = []
    /// What one unit of each product costs per phase, by product then phase.
    public var unitCosts: [UnitCost] = []
    /// The highest inventory value over the horizon and the week it falls in.
    public var inventoryPeak: (value: Double, date: Day)?
    /// The plan dates of the earlier runs in the history (empty without one).
    public var earlierRuns: [Day] = []
    /// Per gate (plan order), its forecast at each recorded run and this one (nil = open):
    /// the milestone trend analysis.
    public var trend: [(gate: String, points: [(run: Day, forecast: Day?)])] = []
    /// Cancels, reschedules and late purchases, by supplier.
    /// The actions due in the plan's first week, the largest amounts first (at most
    /// `thisWeekLimit`): the top of the report.
    public var thisWeek = Lines(more: "the next-week plan, the procurement actions and the decisions below")
    public static let thisWeekLimit = 7
    public var procurement = Lines(more: "exceptions.csv (type cancel, reschedule_in, reschedule_out) and purchase_suggestions.csv (late true)")
    public var nextWeek = Lines(more: "purchase_suggestions.csv and planned_orders.csv (order_date / release_date of the first week)")
    /// Where capacity binds (the LP's duals), phases that cannot reach the ramp, and the
    /// weeks where the MRP's orders overload a work center.
    public var capacity = Lines(more: "capacity.csv and exceptions.csv (type overload)")
    /// What the plan leaves out (`PlanWarnings`).
    public var warnings = Lines(more: "summary.json (warnings)")
    public var comparedWithPrevious: Bool
    /// Whether last week came from a history (`--history`), not only from an output folder.
    public var historyKept = false

    /// Said in sections 1 and 4 when last week is an output folder without a history: what
    /// a history would add, so that a fresh deadline is not read as a week's grace.
    public var previousOnlyNote: String? {
        guard comparedWithPrevious, !historyKept else { return nil }
        return "Compared with last week's output folder only (`--previous`): without a history (`--history FILE`) the baseline is this week's forecast, and risks are not escalated by age: an open risk keeps its level and its respond-by date counts from this week's plan date."
    }

    public init(_ result: PlanResult, previous given: PreviousRun?) {
        // A history with no earlier run is no last week (but still dates the risks).
        let previous = given.flatMap { $0.trail?.runs.isEmpty == true && $0.gates.isEmpty ? nil : $0 }
        let model = result.model
        let plan = model.plan
        let start = plan.start
        title = "Takt weekly status — \(URL(fileURLWithPath: model.folder).lastPathComponent)"
        weekOf = start
        comparedWithPrevious = previous != nil
        // A history with no earlier run escalates nothing: last week is the folder alone.
        historyKept = previous?.trail?.runs.isEmpty == false
        let programOwner = plan.escalationLevel(2).owner
        let leadOwner = plan.escalationLevel(1).owner

        describeMilestones(result, previous: previous, owner: programOwner)
        earlierRuns = previous?.trail?.runs ?? []
        if let trail = previous?.trail {
            // Lists a reader can follow: every risk of this run with its state, once recorded
            // (one row per risk: a supplier's risks one per gate, where this report has one
            // line per item).
            let command = "takt history \(Self.shellQuoted(trail.file)) --risks --run \(start)"
            escalatedRisks.more = command + " (a supplier's risks one row per gate)"
            tracker.more = command + " (a supplier's risks one row per gate)"
            trend = result.gates.map { gate in
                (gate.gate, (trail.forecasts[gate.gate] ?? []).map { ($0.planDate, $0.forecast) } + [(start, gate.forecast)])
            }
        }
        Trace.mark("report: milestones")
        lateDeliveries = Self.lateDeliveries(result)
        Trace.mark("report: late deliveries")
        let delays = Self.delays(result)
        describeBlockers(result, owner: programOwner, delays: delays)
        // Risks the history carried on from last week's id (`EscalationTracker.redated`): a
        // decision naming the old id answers the new one.
        // Without a history (last week's folder alone) the pairs are made here, the same way,
        // for the report's lists; nothing is carried in risks.csv then.
        // Each risk's id once, for the lists compared with last week.
        let ids = previous == nil ? [] : result.risks.indices.map { result.risks[$0].id }
        let carried: [Int: String] = if let previous, result.carriedFrom.isEmpty, previous.riskStates.isEmpty, !previous.risks.isEmpty {
            EscalationTracker.redated(result.risks, ids: ids, known: { previous.risks[$0] != nil }, previousIds: previous.risks.keys)
        } else {
            result.carriedFrom
        }
        Trace.mark("report: blockers")
        describeDecisions(result, owner: programOwner, carried: carried)
        describeRiskChanges(result, previous: previous, owner: leadOwner, delays: delays, carried: carried, ids: ids)
        if let previous { describeWorsened(result, previous: previous, delays: delays, carried: carried, ids: ids) }
        Trace.mark("report: risk changes")
        describeCapacity(result, owner: programOwner)
        for warning in result.warnings {
            warnings.append(Line(text: warning.description.replacingOccurrences(of: model.folder + "/", with: ""),
                                 owner: leadOwner, date: start))
        }

        let urgent = UrgentOrders(result.mrp, start: start)
        let actionOwners = ActionOwners(result, delays: delays)
        Trace.mark("report: urgent orders")
        describeProcurement(result, urgent: urgent, owner: leadOwner, owners: actionOwners)
        Trace.mark("report: procurement")
        describeNextWeek(result, urgent: urgent, owner: leadOwner, owners: actionOwners)
        Trace.mark("report: next week")
        describeThisWeek(start: start)
        describeKPIs(result, previous: previous, owner: programOwner)
        if previous?.trail != nil { describeTracker(result, owner: leadOwner, carried: carried) }
        if let purchases = previous?.purchases {
            comparedPurchases = true
            describePurchaseChanges(result, previous: purchases, owner: leadOwner)
        }
    }

    /// For each risk whose impact names the deliveries it delays (§2d: a shortage, an
    /// expedite), how many buckets the latest of them comes late — the horizon's bucket
    /// count for one not delivered within it: what ranks risks and actions of one level
    /// (a gate's forecast follows the worst lateness of its phase, §2c). Worked out once per
    /// list of deliveries, which an item's shortage and expedites share.
    static func delays(_ result: PlanResult) -> [Int32: Int] {
        let buckets = result.mrp.bucketCount
        // Keyed by the deliveries' storage: the register makes one list an item, which the
        // impacts of its shortage and its expedites share.
        var byList: [UnsafeRawPointer: Int] = [:]
        var delays: [Int32: Int] = [:]
        for (k, record) in result.risks.records.enumerated() {
            guard let impact = record.shortage, impact.count > 0 else { continue }
            let worst = impact.deliveries.withUnsafeBufferPointer { list -> Int in
                let key = UnsafeRawPointer(list.baseAddress!)
                if let worst = byList[key] { return worst }
                var worst = 0
                for delivery in list {
                    worst = max(worst, delivery.availableBucket.map { $0 - delivery.needBucket } ?? buckets)
                }
                byList[key] = worst
                return worst
            }
            delays[Int32(k)] = worst
        }
        return delays
    }

    /// `path` as a shell reads it back: as it is when it holds only safe characters, else in
    /// single quotes.
    static func shellQuoted(_ path: String) -> String {
        let safe = path.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._/-+,@:".unicodeScalars.contains($0)) }
        return safe && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `report.md`.
    public func markdown() -> String {
        var out = "# \(Self.inline(title))\n\nWeek of \(weekOf). Every line names an owner and a date.\n\n"
        out += section(thisWeekHeading, thisWeek, empty: "Nothing to order, move or decide this week.")
        out += "## 1. Milestone movement\n\n"
        if milestones.isEmpty {
            out += "No gates in the plan.\n\n"
        } else {
            // The confidence column only when the run simulated (`--simulate N`).
            let simulated = milestones.contains { !$0.confidence.isEmpty }
            out += "| Gate | Phase | Date | Status | Forecast | Baseline | Last week | Slip (days) |"
                + (simulated ? " Confidence |" : "") + " What moved | Owner |\n"
            out += "|---|---|---|---|---|---|---|---|" + (simulated ? "---|" : "") + "---|---|\n"
            for m in milestones {
                out += "| \(cell(m.gate)) | \(cell(m.phase)) | \(m.date) | \(m.status.rawValue) | \(m.forecast) | \(m.baseline) | "
                    + "\(m.lastForecast) | \(m.slip) |" + (simulated ? " \(cell(m.confidence)) |" : "")
                    + " \(cell(m.movedAndWhy)) | \(cell(m.owner)) |\n"
            }
            out += "\n"
            if let note = previousOnlyNote { out += note + "\n\n" }
        }
        out += lateDeliveriesMarkdown()
        out += section("2. Blockers requiring action", blockers, empty: "No blockers.")
        out += section("3. Decisions needed", decisions, empty: "No decisions pending.")
        out += "## 4. Risk changes\n\n"
        if !comparedWithPrevious { out += "No previous run given (`--previous` or `--history`): every risk is new.\n\n" }
        if let note = previousOnlyNote { out += note + "\n\n" }
        out += subsection("New", newRisks, note: newRisksNote)
        out += subsection("Escalated", escalatedRisks)
        if comparedWithPrevious { out += subsection("Worsened", worsenedRisks) }
        out += subsection("Closed", closedRisks)
        if !earlierRuns.isEmpty { out += subsection("Escalation tracker: open since an earlier run or answered by a decision", tracker) }
        out += section("5. Next-week plan", nextWeek, empty: "Nothing to release or buy next week.")
        out += section("6. Procurement actions", procurement, empty: "No receipt to move or cancel, no late purchase.")
        if comparedPurchases { out += subsection("Purchase suggestions changed since last week", purchaseChanges) }
        out += section("7. Capacity and the master schedule", capacity, empty: "No work center is a bottleneck; no MRP overloads.")
        out += kpiMarkdown()
        if !warnings.isEmpty { out += section("Warnings: input the plan leaves out", warnings, empty: "") }
        return out
    }

    /// "This week (MONDAY to SUNDAY): …": the lines that keep deliveries on time lead whatever
    /// their deadline (an escalated risk's respond-by may be the Monday after), then those due
    /// within the week.
    public var thisWeekHeading: String {
        "This week (\(weekOf) to \(weekOf.adding(days: 6))): what keeps deliveries on time first, then what falls due"
    }

    /// The actions of the next-week plan, the procurement actions and the decisions that
    /// are due in the plan's first week: those that keep or bring deliveries on time and
    /// the open decisions past their date first (an overdue decision by the level of the
    /// risk it answers, then by how long overdue), then by the money they move (then date);
    /// one line per action — a hold that an expedite allows is the expedite's.
    mutating func describeThisWeek(start: Day) {
        let end = start.adding(days: 7)
        // A next-week line that points to a procurement action (a hold, a shortage's orders)
        // is that action.
        let own = nextWeek.shown.filter { !$0.text.contains(": hold ") && !$0.text.contains("see procurement actions") }
        // An action that keeps deliveries on time is this week's whatever its deadline: an
        // escalated risk's respond-by may fall on next Monday, and its action still leads.
        var candidates = (own + procurement.shown + decisions.shown).filter { $0.urgent || $0.date < end }
        candidates.sort {
            if $0.urgent != $1.urgent { return $0.urgent }
            if $0.pressure != $1.pressure { return $0.pressure > $1.pressure }
            if !Self.sameMoney($0.weight, $1.weight) { return Self.moreMoney($0.weight, $1.weight) }
            if $0.date != $1.date { return $0.date < $1.date }
            return $0.text < $1.text
        }
        var seen: Set<String> = []
        for line in candidates where seen.insert(line.text).inserted {
            if thisWeek.shown.count < Self.thisWeekLimit { thisWeek.append(line) } else { thisWeek.skip() }
        }
        // The sections' own lines past their caps are due this week too: the closing line
        // says how many each section holds rather than a count of this block's candidates.
        let hidden = [nextWeek, procurement, decisions].contains { $0.count > $0.shown.count }
        if hidden && !thisWeek.isEmpty {
            let counts = [("the next-week plan", nextWeek.count), ("the procurement actions", procurement.count), ("the decisions", decisions.count)]
                .filter { $0.1 > 0 }.map { "\($0.1) in \($0.0)" }
            thisWeek.moreText = "and more below, the most pressing first in each section: \(counts.joined(separator: ", "))"
        }
    }

    /// A section lists at most this many lines (most urgent first); the rest are counted,
    /// so that the report stays a two-minute read on a large model.
    public static let sectionLimit = 15

    /// Whether amount `x` ranks ahead of `y` (the larger first): an amount that is not a
    /// number goes after every other, so that a ranking stays a strict weak order and never
    /// hides the lines that move real money.
    static func moreMoney(_ x: Double, _ y: Double) -> Bool {
        x > y || (y.isNaN && !x.isNaN)
    }

    /// Whether two amounts tie in `moreMoney`'s order (two amounts that are not numbers tie).
    static func sameMoney(_ x: Double, _ y: Double) -> Bool {
        x == y || (x.isNaN && y.isNaN)
    }

    private func section(_ heading: String, _ lines: Lines, empty: String) -> String {
        let out = "## \(heading)\n\n"
        if lines.isEmpty { return out + empty + "\n\n" }
        return out + bullets(lines) + "\n"
    }

    private func subsection(_ heading: String, _ lines: Lines, note: String? = nil) -> String {
        let out = "### \(heading) (\(lines.count))\n\n" + (note.map { $0 + "\n\n" } ?? "")
        if lines.isEmpty { return out + "None.\n\n" }
        return out + bullets(lines) + "\n"
    }

    private func bullets(_ lines: Lines) -> String {
        var out = ""
        for line in lines.shown { out += bullet(line) }
        if let more = lines.moreLine { out += "- \(Self.inline(more))\n" }
        return out
    }

    private func bullet(_ line: Line) -> String {
        "- \(Self.inline(line.text)) — owner: \(Self.inline(line.owner.isEmpty ? "unassigned" : line.owner)), by \(line.date)\n"
    }

    func cell(_ text: String) -> String {
        let inert = Self.inline(text)
        // Most cells hold no `|`: Foundation's search and replace is left out for them.
        return inert.utf8.contains(0x7C) ? inert.replacingOccurrences(of: "|", with: "\\|") : inert
    }

    /// Text from the model (names, decisions) made inert in Markdown: HTML-significant
    /// characters as entities (a `<script>` in a name stays text), Markdown emphasis (`*`),
    /// code and link characters escaped, line breaks as spaces. (`_` inside words is no
    /// emphasis in CommonMark, and ids are full of it: left as it is.)
    static func inline(_ text: String) -> String {
        // Byte by byte: every character it changes is ASCII. A line break (LF, CR or CR LF)
        // becomes one space.
        let utf8 = text.utf8
        func special(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x3C, 0x3E, 0x26, 0x2A, 0x60, 0x5B, 0x5D, 0x5C, 0x0A, 0x0D: true
            default: false
            }
        }
        guard utf8.contains(where: special) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        var previous: UInt8 = 0
        for byte in utf8 {
            defer { previous = byte }
            switch byte {
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x2A, 0x60, 0x5B, 0x5D, 0x5C: out.append(contentsOf: [0x5C, byte])
            case 0x0A where previous == 0x0D: continue
            case 0x0A, 0x0D: out.append(0x20)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
