import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §4 `report.md` / `report.html`: five sections, owner and date on every line,
/// risk changes against a previous run.
final class StatusReportTests: XCTestCase {
    func droneResult() throws -> PlanResult {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return Planner.run(try ModelLoader.load(folder: root.appendingPathComponent("fixtures/drone").path))
    }

    /// The rankings past a section's cap put larger amounts first and an amount that is not
    /// a number last, as a strict weak order (a sort on an inconsistent one may keep NaN
    /// lines ahead of real money, or not, depending on where they start).
    func testMoneyRankingIsAStrictWeakOrderWithNaNLast() {
        let amounts: [Double] = [5, .nan, 12.5, 0, .nan, -3, 12.5, .infinity]
        for x in amounts {
            XCTAssertFalse(StatusReport.moreMoney(x, x), "irreflexive at \(x)")
            for y in amounts {
                XCTAssertFalse(StatusReport.moreMoney(x, y) && StatusReport.moreMoney(y, x), "asymmetric at \(x), \(y)")
                // Exactly one of ahead, behind, tied.
                let outcomes = [StatusReport.moreMoney(x, y), StatusReport.moreMoney(y, x), StatusReport.sameMoney(x, y)]
                XCTAssertEqual(outcomes.filter { $0 }.count, 1, "\(x) against \(y)")
            }
        }
        let sorted = amounts.sorted(by: StatusReport.moreMoney)
        XCTAssertEqual(Array(sorted.prefix(6)), [.infinity, 12.5, 12.5, 5, 0, -3])
        XCTAssertTrue(sorted.suffix(2).allSatisfy(\.isNaN))
    }

    func testFiveHeadingsAndAnOwnerAndDateOnEveryLine() throws {
        let markdown = StatusReport(try droneResult(), previous: nil).markdown()
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }
        XCTAssertEqual(headings, ["## This week (2027-01-04 to 2027-01-10): what keeps deliveries on time first, then what falls due", "## 1. Milestone movement", "## 2. Blockers requiring action", "## 3. Decisions needed",
                                  "## 4. Risk changes", "## 5. Next-week plan", "## 6. Procurement actions",
                                  "## 7. Capacity and the master schedule", "## 8. KPIs against targets"])
        // The capacity story: SMT binds, and the MRP's split, set-up-heavy board orders overload it.
        XCTAssertTrue(markdown.contains("- SMT is the bottleneck in Ramp II weeks 8–9 (weeks of 2027-08-23 to 2027-08-30; loaded up to 100 %, an extra hour saves up to 15.83 of the plan's cost); Steady State weeks 1–17 (weeks of 2027-09-06 to 2027-12-27; loaded up to 105.3 %, 53.7 h overtime costing 2415.79, an extra hour saves up to 45 of the plan's cost)"), markdown)
        // Gate 1 is no-go on the PFMEA review, overdue since 2026-12-31: its date moves no
        // forecast (§2d), but the forecast's reason names it.
        XCTAssertTrue(markdown.contains("| Gate 1 | Pre-Production | 2027-03-08 | no_go | 2027-03-08 | 2027-03-08 | — | — | first report; forecast from every delivery of the phase on time; not done and overdue: \"PFMEA reviewed\" |"), markdown)
        // Also when a later criterion of the gate sets its forecast.
        var later = try droneResult().model
        later.gateCriteria.append(GateCriterionRow(gate: "Gate 1", criterion: "Tooling qualified", done: false, owner: "ME",
                                                   evidence: "", dueDate: Day(iso: "2027-04-01"), line: 9))
        let gate1 = Planner.run(later).gates[0]
        XCTAssertEqual(gate1.forecast, Day(iso: "2027-04-01"))
        XCTAssertEqual(gate1.forecastReason, "\"Tooling qualified\" due 2027-04-01; not done and overdue: \"PFMEA reviewed\"")
        // The decision to add SMT shifts is shown beside what the LP says of SMT.
        XCTAssertTrue(markdown.contains("- Add a second SMT shift for Ramp II (Gate 4) — impact: overtime budget — capacity: SMT is the bottleneck in Ramp II"), markdown)
        // One line per blocker: the no-go gate once, the shortage grouped by the first drone
        // week it delays (189 late MCU-H7 at 9.5 each: 1795.5 at risk), counting every
        // drone it delays (the ramp weeks 03-22 … 04-12, 4 × 50), in the product's units and
        // at the product's cost (4 × 50 × 193.69…); the components at their prices.
        XCTAssertTrue(markdown.contains("- DRONE-X1 week of 2027-03-22 is hit by shortages (level 2): 200 DRONE-X1 late (due 2027-03-22 to 2027-04-12), worth 38738.31 at 193.69 a unit (Soft Launch cost) — components: ChipSource: MCU-H7 189 units late from 2027-03-01, worth 1795.5"), markdown)
        // Procurement: one action for the MCU-H7 shortage — PO-1003 brought in covers its 189
        // late units (§2d replay); the late 1800 is held, needed 2027-04-26 once it is done
        // (12 weeks' lead: placed by 2027-02-01); no "bring in" or late re-order beside it.
        XCTAssertTrue(markdown.contains("- ChipSource: expedite PO-1003 MCU-H7 500 (amount 4750) by 5 weeks, from 2027-04-05 to 2027-03-01: it covers the 189 units that come late from 2027-03-01 (until 2027-03-29 otherwise); then MCU-H7 1800 planned for 2027-03-01 is needed 2027-04-26, to be placed by 2027-02-01"), markdown)
        XCTAssertTrue(markdown.contains("- ChipSource: hold MCU-H7 1800 planned for 2027-03-01, amount 17100: once PO-1003 is expedited it is needed 2027-04-26"), markdown)
        let procurement = markdown.components(separatedBy: "## 6. Procurement actions")[1].components(separatedBy: "## 7.")[0]
        XCTAssertEqual(procurement.components(separatedBy: "PO-1003 MCU-H7").count, 2, "one procurement line for PO-1003")
        XCTAssertFalse(markdown.contains("order now"), markdown)
        // This week: the actions due by 2027-01-10, those that keep deliveries on time first
        // (the expedite that answers the level-2 shortage, then the pull-ins of level-1
        // risks by amount), then the push-outs by amount, then the decision due 01-08; the
        // hold the expedite allows is not a second line.
        let report = StatusReport(try droneResult(), previous: nil)
        XCTAssertEqual(report.thisWeek.shown.map { String($0.text.prefix(34)) },
                       ["ChipSource: expedite PO-1003 MCU-H", "OptiCam: pull in PO-1004 CAM-V1 40", "ACME Circuits: pull in PO-1002 PCB",
                        "MotoTech: push out PO-1001 MOTOR-2", "VoltCell: push out PO-1005 BATTERY", "Add a second SMT shift for Ramp II"])
        XCTAssertFalse(report.thisWeek.shown.contains { $0.text.contains(": hold ") })
        XCTAssertFalse(markdown.contains("LATE"), markdown)
        XCTAssertTrue(markdown.contains("- MotoTech: push out PO-1001 MOTOR-2207 800 (amount 11200) from 2027-02-15 to 2027-03-15: not needed before"), markdown)
        // Supplier risks: one line per item with the gates it touches, and the section says
        // how many rows of risks.csv its lines stand for.
        XCTAssertEqual(report.newRisks.count, 11)
        XCTAssertEqual(report.newRisksNote, "16 new rows in risks.csv: a supplier's risks of one item (one per gate it touches) are one line here.")
        XCTAssertTrue(markdown.contains("### New (11)\n\n16 new rows in risks.csv: "), markdown)
        XCTAssertTrue(markdown.contains("- supplier:MCU-H7 (level 1, Gate 1, Gate 3, Gate 4, Gate 5): MCU-H7 from ChipSource (on time 88 %)"), markdown)
        XCTAssertTrue(markdown.contains("- SMT: the MRP's orders need more than capacity and planned overtime (+5 %) in 19 weeks"), markdown)
        let bullets = markdown.split(separator: "\n").filter { $0.hasPrefix("- ") && !$0.hasPrefix("- …") }
        XCTAssertFalse(bullets.isEmpty)
        // Every line ends "— owner: NAME, by YYYY-MM-DD" (checked without ICU's regexes).
        for line in bullets {
            let text = String(line)
            guard let owner = text.range(of: " — owner: ", options: .backwards) else { XCTFail(text); continue }
            let tail = text[owner.upperBound...]
            guard let by = tail.range(of: ", by ", options: .backwards) else { XCTFail(text); continue }
            XCTAssertFalse(tail[..<by.lowerBound].isEmpty, text)
            XCTAssertNotNil(Day(iso: String(tail[by.upperBound...])), text)
        }
        let tableRows = markdown.split(separator: "\n").filter { $0.hasPrefix("| Gate ") && !$0.contains("Phase") }
        XCTAssertEqual(tableRows.count, 5)
    }

    /// A table cell keeps its column: a `|` in a name is escaped (`\|`), with the other
    /// Markdown-significant characters made inert; text without one is left as it is.
    func testATableCellEscapesItsPipes() throws {
        let report = StatusReport(try droneResult(), previous: nil)
        XCTAssertEqual(report.cell("Ops | Supply"), "Ops \\| Supply")
        XCTAssertEqual(report.cell("a|b|<c>"), "a\\|b\\|&lt;c&gt;")
        XCTAssertEqual(report.cell("VP Operations"), "VP Operations")
        XCTAssertEqual(report.cell(""), "")
    }

    func testRiskChangesAgainstAPreviousRun() throws {
        let result = try droneResult()
        var previous = PreviousRun()
        // Last week: one risk that is gone now, one that was level 1 and is level 2 now.
        previous.risks = ["shortage:OLD:2027-01-04": 3, "shortage:MCU-H7:2027-03-01": 1]
        previous.riskMessages = ["shortage:OLD:2027-01-04": "OLD was short"]
        previous.riskOwners = ["shortage:OLD:2027-01-04": "Buyer Bo"]
        previous.gates = ["Gate 1": ("at_risk", "2027-03-08"), "Gate 2": ("at_risk", "2027-04-26")]
        let report = StatusReport(result, previous: previous)
        XCTAssertEqual(report.closedRisks.shown.map(\.text), ["shortage:OLD:2027-01-04: OLD was short"])
        // Closed: who held it, as last week's risks.csv said, on this run's date.
        XCTAssertEqual(report.closedRisks.shown.map(\.owner), ["Buyer Bo"])
        XCTAssertEqual(report.closedRisks.shown.map(\.date), [result.model.plan.start])
        XCTAssertEqual(report.escalatedRisks.count, 1)
        XCTAssertTrue(report.escalatedRisks.shown[0].text.hasPrefix("shortage:MCU-H7:2027-03-01"))
        // Every new risk but the supplier risks once per item (MCU-H7: 4 gates, CAM-V2: 3).
        XCTAssertEqual(report.newRisks.count, result.risks.count - 1 - 3 - 2)
        XCTAssertEqual(report.milestones[0].moved, "status at_risk → no_go")
        XCTAssertEqual(report.milestones[1].moved, "status at_risk → no_go; date 2027-04-26 → 2027-05-03")
        XCTAssertEqual(report.milestones[2].moved, "new gate")
    }

    func testPreviousRunIsReadFromAnOutputFolder() throws {
        let result = try droneResult()
        let folder = scratchPath("takt-prev")
        try OutputFolder.write(PlanOutputs.files(result), to: folder)
        let previous = try PreviousRun.load(folder: folder)
        XCTAssertEqual(previous.risks.count, result.risks.count)
        let first = result.risks[0]
        XCTAssertEqual(previous.riskOwners[first.id], first.owner)
        XCTAssertEqual(previous.gates["Gate 1"]?.status, "no_go")
        let again = StatusReport(result, previous: previous)
        XCTAssertTrue(again.newRisks.isEmpty && again.closedRisks.isEmpty && again.escalatedRisks.isEmpty)
        XCTAssertEqual(Set(again.milestones.map(\.moved)), ["no change"])
        // The forecasts were read back too: no slip.
        XCTAssertEqual(again.milestones.map(\.slip), ["0", "0", "0", "0", "0"])
        XCTAssertEqual(again.milestones[0].lastForecast, "2027-03-08")
        // Last week's purchase_suggestions.csv was read: nothing changed.
        XCTAssertTrue(again.comparedPurchases)
        XCTAssertTrue(again.purchaseChanges.isEmpty)
        // An output folder is no history: sections 1 and 4 say what one would add.
        let markdown = again.markdown()
        let note = "Compared with last week's output folder only (`--previous`): without a history (`--history FILE`) the baseline is this week's forecast, and risks are not escalated by age"
        XCTAssertEqual(markdown.components(separatedBy: note).count - 1, 2, markdown)
        let html = StatusReportHTML(report: again, result: result).render()
        XCTAssertEqual(html.components(separatedBy: "output folder only (--previous): without a history (--history FILE)").count - 1, 2, html)
        XCTAssertFalse(StatusReport(result, previous: nil).markdown().contains("output folder only"))
    }

    /// A late safety-stock rebuild answers its `safety_stock` risk: once that risk has moved
    /// up (as the history escalates it), the order's lines name its owner, and stay due
    /// on the plan date, earlier than the risk's respond-by.
    func testALateRebuildCarriesItsSafetyStockRisksOwner() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days,safety_stock\nB,buy,10,10\n",
        ]).load()
        var result = Planner.run(model)
        let k = try XCTUnwrap(result.risks.indices.first { result.risks[$0].kind == .safetyStock })
        XCTAssertEqual(result.risks[k].id, "safety_stock:B:2027-01-04")
        var report = StatusReport(result, previous: nil)
        var lines = (report.procurement.shown + report.nextWeek.shown).filter { $0.text.contains("B 10") }
        XCTAssertEqual(lines.count, 2, "\(report.procurement.shown) \(report.nextWeek.shown)")
        for line in lines { XCTAssertEqual([line.owner, line.date.description], [result.risks[k].owner, "2027-01-04"], line.text) }
        result.risks[k].level = 2
        result.risks[k].owner = "Program Manager"
        result.risks[k].respondBy = Day(iso: "2027-01-11")!
        report = StatusReport(result, previous: nil)
        lines = (report.procurement.shown + report.nextWeek.shown).filter { $0.text.contains("B 10") }
        XCTAssertEqual(lines.count, 2)
        for line in lines { XCTAssertEqual([line.owner, line.date.description], ["Program Manager", "2027-01-04"], line.text) }
    }

    /// The top shortages go by level, then by worth: 10 late units at 100 before 100 at 1.
    func testTopShortagesRankByWorthNotUnits() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days,unit_cost\nCHEAP,buy,10,1\nDEAR,buy,10,100\n",
            "demand.csv": "item,date,quantity\nCHEAP,2027-01-11,100\nDEAR,2027-01-11,10\n",
        ]).load()
        let result = Planner.run(model)
        XCTAssertEqual(result.risks.filter { $0.kind == .shortage }.map(\.id), ["shortage:CHEAP:2027-01-11", "shortage:DEAR:2027-01-11"])
        let html = StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
        let dear = try XCTUnwrap(html.range(of: "<tr><td>DEAR</td><td>2027-01-11</td><td>10</td><td>1000</td>"), html)
        let cheap = try XCTUnwrap(html.range(of: "<tr><td>CHEAP</td><td>2027-01-11</td><td>100</td><td>100</td>"), html)
        XCTAssertLessThan(dear.lowerBound, cheap.lowerBound)
    }

    /// A finding still there under another date is re-dated, not resolved: last week's
    /// MCU-H7 shortage dated 2027-02-22 is this week's 2027-03-01.
    func testARedatedRiskIsNotCalledResolved() throws {
        let result = try droneResult()
        let folder = scratchPath("takt-prev-redated")
        try OutputFolder.write(PlanOutputs.files(result), to: folder)
        let risks = folder + "/risks.csv"
        let text = try String(contentsOfFile: risks, encoding: .utf8)
        XCTAssertTrue(text.contains("\nshortage:MCU-H7:2027-03-01,"))
        try text.replacingOccurrences(of: "\nshortage:MCU-H7:2027-03-01,", with: "\nshortage:MCU-H7:2027-02-22,")
            .write(toFile: risks, atomically: true, encoding: .utf8)
        let report = StatusReport(result, previous: try PreviousRun.load(folder: folder))
        XCTAssertEqual(report.closedRisks.count, 1)
        XCTAssertTrue(report.closedRisks.shown[0].text.hasPrefix("shortage:MCU-H7:2027-02-22: "), report.closedRisks.shown[0].text)
        XCTAssertTrue(report.closedRisks.shown[0].text.hasSuffix(" — not resolved: still open as shortage:MCU-H7:2027-03-01 (its date moved)"),
                      report.closedRisks.shown[0].text)
        // Last week's risk under its new id: not new (`EscalationTracker.redated`).
        XCTAssertEqual(report.newRisks.count, 0, "\(report.newRisks.shown.map(\.text))")
        // An item with two ids of a kind: the one that closes is not "re-dated" to the one
        // that was open last week too.
        let cam = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("expedite:CAM-V1:2027-04-12,") })
        try (text + cam.replacingOccurrences(of: "expedite:CAM-V1:2027-04-12,", with: "expedite:CAM-V1:2027-03-29,") + "\n")
            .write(toFile: risks, atomically: true, encoding: .utf8)
        let again = StatusReport(result, previous: try PreviousRun.load(folder: folder))
        let closed = try XCTUnwrap(again.closedRisks.shown.first { $0.text.hasPrefix("expedite:CAM-V1:2027-03-29: ") })
        XCTAssertFalse(closed.text.contains("not resolved"), closed.text)
    }

    /// A shortage open both weeks whose late units grew by 1 % or more, or whose "all there
    /// by" moved later or out of the horizon, is listed as worsened, with last week's
    /// figures; one unchanged, better or grown by less than 1 % is not. A shortage whose
    /// first late date moved earlier (a new id) is compared with last week's of its item.
    func testAShortageThatGrewIsListedAsWorsened() throws {
        let result = try droneResult()
        let folder = scratchPath("takt-prev-worsened")
        try OutputFolder.write(PlanOutputs.files(result), to: folder)
        let risks = folder + "/risks.csv"
        let text = try String(contentsOfFile: risks, encoding: .utf8)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("shortage:MCU-H7:2027-03-01,") })
        let now = try XCTUnwrap(row.range(of: " units late, all there by "))
        let quantity = String(row[row.index(row.firstIndex(of: "\"")!, offsetBy: 1)..<now.lowerBound])
        let date = String(row[now.upperBound...].prefix(10))
        func report(lastWeek impact: String, id: String = "shortage:MCU-H7:2027-03-01") throws -> StatusReport {
            let edited = row.replacingOccurrences(of: "\"\(quantity) units late, all there by \(date)", with: "\"" + impact)
                .replacingOccurrences(of: "shortage:MCU-H7:2027-03-01,", with: id + ",")
            try text.replacingOccurrences(of: String(row), with: edited).write(toFile: risks, atomically: true, encoding: .utf8)
            return StatusReport(result, previous: try PreviousRun.load(folder: folder))
        }
        let q = Double(quantity)!
        XCTAssertEqual(try report(lastWeek: "\(quantity) units late, all there by \(date)").worsenedRisks.count, 0)
        XCTAssertEqual(try report(lastWeek: "\(quantity) units late, all there open (not within the horizon)").worsenedRisks.count, 0)
        XCTAssertEqual(try report(lastWeek: "\(q + 1) units late, all there by 2027-12-27").worsenedRisks.count, 0)
        // Less than 1 % more: noise, not news.
        XCTAssertEqual(try report(lastWeek: "\(q * 0.995) units late, all there by \(date)").worsenedRisks.count, 0)
        var worse = try report(lastWeek: "\(q - 10) units late, all there by \(date)")
        XCTAssertEqual(worse.worsenedRisks.shown.map(\.text),
                       ["shortage:MCU-H7:2027-03-01 (level 2): \(quantity) units late (\(NumberFormat.quantity(q - 10)) last week), all there by \(date) (as last week)"])
        let risk = try XCTUnwrap(result.risks.first { $0.id == "shortage:MCU-H7:2027-03-01" })
        XCTAssertEqual([worse.worsenedRisks.shown[0].owner, worse.worsenedRisks.shown[0].date.description],
                       [risk.owner, risk.respondBy.description])
        worse = try report(lastWeek: "\(quantity) units late, all there by 2027-03-01")
        let days = Day(iso: date)!.number - Day(iso: "2027-03-01")!.number
        XCTAssertEqual(worse.worsenedRisks.shown.map(\.text),
                       ["shortage:MCU-H7:2027-03-01 (level 2): \(quantity) units late (as last week), all there by \(date) (2027-03-01 last week, \(days) days later)"])
        XCTAssertTrue(worse.markdown().contains("### Worsened (1)\n\n- shortage:MCU-H7:2027-03-01 (level 2): "))
        XCTAssertTrue(StatusReportHTML(report: worse, result: result).render().contains("Worsened (1)"))
        // Last week's shortage of the item started later, under another id: this week's is
        // worse for starting earlier, as well as being the same size.
        worse = try report(lastWeek: "\(quantity) units late, all there by \(date)", id: "shortage:MCU-H7:2027-03-08")
        XCTAssertEqual(worse.worsenedRisks.shown.map(\.text),
                       ["shortage:MCU-H7:2027-03-01 (level 2): late from 2027-03-01 (2027-03-08 last week, 7 days earlier), \(quantity) units late (as last week), all there by \(date) (as last week)"])
        // Without last week the list is not there at all.
        XCTAssertFalse(StatusReport(result, previous: nil).markdown().contains("Worsened"))
    }

    /// A capacity risk further behind the ramp, and a shortage no longer all there within
    /// the horizon, are worsened; their lines say so.
    func testACapacityRiskFurtherBehindAndAShortageNowOpenAreWorsened() {
        typealias Figure = PreviousRun.RiskFigure
        XCTAssertEqual(StatusReport.worsening(.capacity, was: Figure(quantity: 80, allThereBy: nil), now: Figure(quantity: 120, allThereBy: nil)),
                       "120 units of output behind the ramp (80 last week)")
        XCTAssertEqual(StatusReport.worsening(.shortage, was: Figure(quantity: 5, allThereBy: Day(iso: "2027-03-01")), now: Figure(quantity: 5, allThereBy: nil)),
                       "5 units late (as last week), all there open: not within the horizon (by 2027-03-01 last week)")
    }

    /// Two weeks of a model whose only product runs further behind: its capacity risk is
    /// listed as worsened with last week's figure read from the history.
    func testACapacityRiskThatGrewIsWorsenedThroughAPreviousFolder() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 5}\n",
                                  phases: "  - {name: A, weeks: 2, capacity_pct: 100, gate: G1}\n  - {name: B, weeks: 2, capacity_pct: 100, gate: G2}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,20\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
        ]).load()
        let result = Planner.run(model)
        let folder = scratchPath("takt-prev-capacity")
        try OutputFolder.write(PlanOutputs.files(result), to: folder)
        let risks = folder + "/risks.csv"
        let text = try String(contentsOfFile: risks, encoding: .utf8)
        XCTAssertTrue(text.contains("capacity:P:2027-02-01,capacity,P,2,Program Manager,2027-01-11,12 units of output behind the ramp,"), text)
        try text.replacingOccurrences(of: ",12 units of output behind the ramp,", with: ",10 units of output behind the ramp,")
            .write(toFile: risks, atomically: true, encoding: .utf8)
        let report = StatusReport(result, previous: try PreviousRun.load(folder: folder))
        XCTAssertEqual(report.worsenedRisks.shown.map(\.text), ["capacity:P:2027-02-01 (level 2): 12 units of output behind the ramp (10 last week)"])
    }

    /// With a history, the escalated risks and the tracker point past their cap to a list
    /// a reader can run: every risk with its state.
    func testPointersPastTheCapCanBeFollowed() throws {
        var previous = PreviousRun()
        previous.gates = ["Gate 1": ("go", "2027-03-08")]
        previous.trail = HistoryTrail(file: "out/h.db", runs: [Day(iso: "2026-12-28")!], forecasts: [:], replacing: false)
        let report = StatusReport(try droneResult(), previous: previous)
        XCTAssertEqual(report.escalatedRisks.more, "takt history out/h.db --risks --run 2027-01-04 (a supplier's risks one row per gate)")
        XCTAssertEqual(report.tracker.more, "takt history out/h.db --risks --run 2027-01-04 (a supplier's risks one row per gate)")
        XCTAssertEqual(StatusReport.shellQuoted("my runs/h.db"), "'my runs/h.db'")
        XCTAssertEqual(StatusReport.shellQuoted("it's.db"), "'it'\\''s.db'")
        XCTAssertEqual(StatusReport(try droneResult(), previous: nil).blockers.more, "risks.csv (kind shortage, and level 3) and gates.json")
    }

    /// The late deliveries go worst first (what a gate's forecast follows), not by name,
    /// and the block shows fifteen items, then how many more.
    func testLateDeliveriesGoWorstFirstAndAreCapped() throws {
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 8, fractional: false),
            "items.csv": "item,type,lead_time_days\nA-SHORT,buy,5\nZ-LONG,buy,5\n",
            "receipts.csv": "item,quantity,due_date,reference\nA-SHORT,10,2027-01-25,PO-A\nZ-LONG,5,2027-02-01,PO-Z\n",
            "demand.csv": "item,date,quantity\nA-SHORT,2027-01-18,10\nZ-LONG,2027-01-18,5\n",
        ]).load())
        var report = StatusReport(result, previous: nil)
        XCTAssertEqual(report.lateDeliveries.map(\.item), ["Z-LONG", "A-SHORT"])
        XCTAssertEqual(report.lateDeliveries.map(\.worstDays), [14, 7])
        XCTAssertFalse(report.markdown().contains("more items with late deliveries"))
        report.lateDeliveries = Array(repeating: report.lateDeliveries[0], count: StatusReport.sectionLimit + 2)
        let markdown = report.markdown()
        XCTAssertEqual(markdown.components(separatedBy: "| Z-LONG | 5 of 5 |").count - 1, StatusReport.sectionLimit)
        XCTAssertTrue(markdown.contains("\n… and 2 more items with late deliveries in deliveries.csv (days_late above 0, or no projected_date)\n"), markdown)
        XCTAssertTrue(StatusReportHTML(report: report, result: result).render().contains("… and 2 more items with late deliveries"))
    }

    /// Section 8 stays a page at many products: fifteen KPI rows at most, those off target
    /// first, and the cost table for as many products as fit fifteen rows, the late ones
    /// first; each says how many more the files hold.
    func testKPISectionIsCappedWithTheRowsThatMatterFirst() throws {
        var report = StatusReport(try droneResult(), previous: nil)
        XCTAssertNil(report.kpiLinesShown.more)
        XCTAssertNil(report.unitCostProducts.more)
        let line = try XCTUnwrap(report.kpiLines.first { $0.kpi == .costPerUnit })
        var lines: [StatusReport.KPILine] = []
        for k in 0..<20 {
            var copy = line
            copy.product = "P\(k)"
            copy.target = nil
            copy.cells = copy.cells.map { var c = $0; c.status = nil; return c }
            lines.append(copy)
        }
        // One product off target, last in the list: it shows.
        lines[19].target = 1
        lines[19].cells[0].status = .noGo
        report.kpiLines = lines
        var shown = report.kpiLinesShown
        XCTAssertEqual(shown.lines.map(\.product), (0..<14).map { "P\($0)" } + ["P19"])
        // Among rows alike, a product with late deliveries goes first (as in the cost table).
        report.lateDeliveries = [StatusReport.LateDeliveries(item: "P18", lateUnits: 1, dueUnits: 2, lateCount: 1, count: 1, worst: "", causes: "", worstDays: 7)]
        shown = report.kpiLinesShown
        XCTAssertEqual(shown.lines.map(\.product), (0..<13).map { "P\($0)" } + ["P18", "P19"])
        XCTAssertEqual(shown.more, "… and 5 more KPI rows in kpis.csv")
        let cost = try XCTUnwrap(report.unitCosts.first)
        report.unitCosts = ["A", "B", "C", "D"].flatMap { name in (0..<5).map { _ in var c = cost; c.product = name; return c } }
        report.lateDeliveries = [StatusReport.LateDeliveries(item: "C", lateUnits: 1, dueUnits: 2, lateCount: 1, count: 1, worst: "", causes: "", worstDays: 7)]
        XCTAssertEqual(report.unitCostProducts.products, ["C", "A", "B"])
        XCTAssertEqual(report.unitCostProducts.more, "… and 1 more product in kpis.csv (kpi cost_per_unit); `takt cost MODEL PRODUCT` explains one")
        let markdown = report.markdown()
        XCTAssertTrue(markdown.contains("| C | "), markdown)
        XCTAssertFalse(markdown.contains("| D | "), markdown)
    }

    /// Within a level, the risks that delay deliveries the most come first (what a gate's
    /// forecast follows), before those worth more that delay nothing.
    func testRisksOfALevelGoByTheDeliveriesTheyDelay() throws {
        let result = try droneResult()
        let report = StatusReport(result, previous: nil)
        let ids = report.newRisks.shown.map { String($0.text.prefix { $0 != " " }) }
        let level1 = ids.filter { $0.hasPrefix("expedite:") }
        XCTAssertEqual(level1, ["expedite:MCU-H7:2027-03-01", "expedite:CAM-V1:2027-04-12", "expedite:PCB-MAIN:2027-02-15"])
        let delays = StatusReport.delays(result)
        func delay(_ id: String) -> Int { result.risks.indices.first { result.risks[$0].id == id }.flatMap { delays[Int32($0)] } ?? -1 }
        XCTAssertGreaterThan(delay("expedite:MCU-H7:2027-03-01"), delay("expedite:CAM-V1:2027-04-12"))
        XCTAssertGreaterThan(delay("expedite:CAM-V1:2027-04-12"), delay("expedite:PCB-MAIN:2027-02-15"))
    }

    /// Last week's figures are read back from the impact texts a plan writes, and only those.
    func testRiskFiguresAreReadFromShortageAndCapacityImpacts() {
        typealias Figure = PreviousRun.RiskFigure
        XCTAssertEqual(Figure.parse(id: "shortage:A:2027-03-01", impact: "12.5 units late, all there by 2027-04-19; delays B ramp 1 of 2 due 2027-03-22"),
                       Figure(quantity: 12.5, allThereBy: Day(iso: "2027-04-19")))
        XCTAssertEqual(Figure.parse(id: "shortage:A:2027-03-01", impact: "3 units late, all there open (not within the horizon)"),
                       Figure(quantity: 3, allThereBy: nil))
        XCTAssertEqual(Figure.parse(id: "capacity:P:2027-05-03", impact: "6800 units of output behind the ramp"),
                       Figure(quantity: 6800, allThereBy: nil))
        XCTAssertNil(Figure.parse(id: "expedite:A:2027-03-01", impact: "400 units needed earlier than due"))
        XCTAssertNil(Figure.parse(id: "shortage:A:2027-03-01", impact: "many units late"))
        XCTAssertNil(Figure.parse(id: "shortage:A:2027-03-01", impact: "3 units late, all there by soon"))
        XCTAssertNil(Figure.parse(id: "capacity:P:2027-05-03", impact: "6800 units late"))
        XCTAssertNil(Figure.parse(id: "shortage:A:2027-03-01", impact: ""))
    }

    /// Last week's list against this week's orders: one order missing (new), one at
    /// another date (moved), one with another quantity on its date, and an item the model
    /// no longer has (dropped).
    func testPurchaseChangesPairExactThenSameDateThenInDateOrder() throws {
        let result = try droneResult()
        let model = result.model
        let dates = result.mrp.calendar.bucketStart
        let buys = result.mrp.orders.filter { $0.kind == .buy }
        func supplier(_ order: PlannedOrder) -> String { SupplierChoice.supplierName(item: order.item, chosen: result.mrp.chosenOffer, model) ?? "" }
        let battery = buys.filter { model.items.names[$0.item] == "BATTERY-4S" }
        let frames = buys.filter { model.items.names[$0.item] == "FRAME-CF" }
        var list = PurchaseList()
        for order in buys {
            let name = model.items.names[order.item]
            if order == battery[0] { continue }                       // → new
            var due = dates[order.dueBucket], quantity = order.quantity
            if order == battery[1] { due = due.adding(days: -7) }     // → need date moved
            if order == frames[0] { quantity += 5 }                   // → quantity changed
            list.append(supplier: supplier(order), item: name, quantity: quantity, needDate: due)
        }
        list.append(supplier: "OldParts", item: "GIMBAL-1", quantity: 12, needDate: Day(iso: "2027-02-01")!)  // → dropped
        var previous = PreviousRun()
        previous.gates = Dictionary(uniqueKeysWithValues: result.gates.map { ($0.gate, ($0.status.rawValue, $0.date.description)) })
        previous.purchases = list
        let report = StatusReport(result, previous: previous)
        let lines = report.purchaseChanges.shown.map(\.text)
        // Left over after exact pairs: last week BATTERY-4S at b1's date − 7; this week b0
        // and b1. In date order the old line pairs with b0 (date and quantity move) and b1
        // is new.
        let b0 = battery[0], b1 = battery[1], f0 = frames[0]
        let q = NumberFormat.quantity
        XCTAssertEqual(lines, [
            "CarbonWorks: FRAME-CF needed \(dates[f0.dueBucket]): quantity \(q(f0.quantity + 5)) → \(q(f0.quantity))",
            "OldParts: GIMBAL-1 12 needed 2027-02-01: dropped",
            "VoltCell: BATTERY-4S \(q(b1.quantity)) → \(q(b0.quantity)): need date \(dates[b1.dueBucket].adding(days: -7)) → \(dates[b0.dueBucket]) (-7 days)",
            "VoltCell: BATTERY-4S \(q(b1.quantity)) needed \(dates[b1.dueBucket]): new",
        ])
        // By supplier name: CarbonWorks, OldParts, VoltCell.
        XCTAssertEqual(lines.map { String($0.prefix { $0 != ":" }) }, ["CarbonWorks", "OldParts", "VoltCell", "VoltCell"])
    }

    /// Orders split by `max_lot` on one need date pair one by one: last week's 10, 7 and 5
    /// against this week's 10, 10, 10 and 5 leave the 10 and the 5 unchanged, the 7 paired
    /// with a 10 on its date (quantity changed) and one 10 new.
    func testSplitOrdersOnOneDatePairOneByOne() throws {
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 4, fractional: false),
            "items.csv": "item,type,lead_time_days,max_lot\nX,buy,0,10\n",
            "suppliers.csv": "supplier,item,lead_time_days,unit_price\nAlpha,X,0,1\n",
            "demand.csv": "item,date,quantity\nX,2027-01-11,35\n",
        ]).load())
        XCTAssertEqual(result.mrp.orders.map(\.quantity).sorted(), [5, 10, 10, 10])
        var previous = PreviousRun()
        var list = PurchaseList()
        for quantity in [10.0, 7, 5] { list.append(supplier: "Alpha", item: "X", quantity: quantity, needDate: Day(iso: "2027-01-11")!) }
        previous.purchases = list
        XCTAssertEqual(StatusReport(result, previous: previous).purchaseChanges.shown.map(\.text),
                       ["Alpha: X needed 2027-01-11: quantity 7 → 10", "Alpha: X 10 needed 2027-01-11: new"])
    }

    /// Past the caps, what keeps deliveries on time shows first and the week's largest
    /// purchases show rather than the first suppliers by name: a 10-unit pull-in a customer
    /// order waits for beats sixteen cancels in the procurement actions; the next-week plan
    /// shows its 15 largest purchases (still by supplier); This week leads with the
    /// pull-in and says how many lines each section holds.
    func testCapsKeepWhatKeepsDeliveriesOnTimeAndTheLargestPurchases() throws {
        var items = "item,type,lead_time_days,unit_cost\n", suppliers = "supplier,item,lead_time_days,unit_price\n"
        var receipts = "item,quantity,due_date,reference,supplier\n", demand = "item,date,quantity\nPULL,2027-01-18,10\n"
        for k in 1...16 {
            items += "S\(k),buy,5,1\n"
            suppliers += "Alpha,S\(k),5,1\n"
            receipts += "S\(k),10,2027-01-11,PO-S\(k),Alpha\n"
        }
        items += "PULL,buy,5,1\nWKND,buy,5,1\n"
        suppliers += "Omega,PULL,5,1\nWk,WKND,5,1000\n"
        receipts += "PULL,10,2027-01-25,PO-PULL,Omega\nWKND,10,2027-01-17,PO-WKND,Wk\n"
        // A receipt due on a Sunday, needed on the Monday after: a one-day push-out, worth
        // more than any cancel, and still after them all.
        demand += "WKND,2027-01-18,10\n"
        let b = (1...19).map { $0 < 10 ? "B0\($0)" : "B\($0)" }
        for (k, item) in b.enumerated() {
            items += "\(item),buy,0,1\n"
            suppliers += "Sup-\(item),\(item),0,\(k + 1)\n"
            demand += "\(item),2027-01-04,100\n"
        }
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 6, fractional: false), "items.csv": items, "suppliers.csv": suppliers,
            "receipts.csv": receipts, "demand.csv": demand,
        ]).load())
        XCTAssertTrue(result.risks.contains { $0.id == "expedite:PULL:2027-01-18" && $0.impact.contains("delays") })
        let report = StatusReport(result, previous: nil)
        XCTAssertEqual([report.procurement.count, report.procurement.shown.count], [18, 15])
        XCTAssertTrue(result.mrp.exceptions.contains { $0.kind == .rescheduleOut && $0.message.contains("PO-WKND") })
        XCTAssertFalse(report.procurement.shown.contains { $0.text.contains("PO-WKND") }, "\(report.procurement.shown.map(\.text))")
        XCTAssertTrue(report.procurement.shown.contains { $0.text.hasPrefix("Omega: pull in PO-PULL PULL 10 (amount 10)") },
                      "\(report.procurement.shown.map(\.text))")
        XCTAssertEqual([report.nextWeek.count, report.nextWeek.shown.count], [19, 15])
        XCTAssertEqual(report.nextWeek.shown.map { String($0.text.prefix(8)) }, b.suffix(15).map { "Sup-\($0):" })
        XCTAssertTrue(report.thisWeek.shown.first?.text.hasPrefix("Omega: pull in PO-PULL") == true, "\(report.thisWeek.shown.map(\.text))")
        XCTAssertEqual(report.thisWeek.shown.dropFirst().map { String($0.text.prefix(8)) }, ["B19", "B18", "B17", "B16", "B15", "B14"].map { "Sup-\($0):" })
        XCTAssertEqual(report.thisWeek.moreLine,
                       "… and more below, the most pressing first in each section: 19 in the next-week plan, 18 in the procurement actions")
        // No shortage risk, yet a delivery is late for the receipt kept on its date: the
        // HTML's shortage table says where the lateness comes from.
        XCTAssertFalse(result.risks.contains { $0.kind == .shortage })
        XCTAssertTrue(StatusReportHTML(report: report, result: result).render()
            .contains("No shortage risks: the late deliveries wait for open receipts to pull in (procurement actions, expedite risks)."))
    }

    /// A gate no-go on material names the items its phase's late deliveries wait for, and
    /// where each one's action is: Gate 2's from the MCU-H7 shortage and two pull-ins,
    /// Gate 3's from the CAM-V1 pull-in alone (no shortage lines follow for it).
    func testAMaterialBlockerNamesWhatItsLateDeliveriesWaitFor() throws {
        let report = StatusReport(try droneResult(), previous: nil)
        let texts = report.blockers.shown.map(\.text)
        XCTAssertTrue(texts.contains { $0.hasPrefix("Gate 2 (Soft Launch, 2027-05-03) is no-go on material: late deliveries wait for the shortage of MCU-H7 (shortage risk), the pull-ins of CAM-V1, PCB-MAIN (expedite risks); delivery: ") }, "\(texts)")
        XCTAssertTrue(texts.contains("Gate 3 (Ramp I, 2027-07-05) is no-go on material: late deliveries wait for the pull-in of CAM-V1 (expedite risk)"), "\(texts)")
    }

    /// A pull-in the deliveries wait for says what to do if its supplier cannot: the receipt
    /// as a new order in its place, by the latest release MRP would give it (need − L, in
    /// buckets: CAM-V1's 15 working days are 3 weeks, so 2027-04-12 − 3 weeks), raised to
    /// the offer's MOQ and multiple (fixtures/suppliers-actions: PO-P1's 40 PCB, Xenon's MOQ
    /// 50 in lots of 25, gives 50); or, when that release is before the start, when one placed now
    /// arrives (PCB-MAIN at 35 working days, 7 weeks: placed in week 0, available
    /// 2027-02-22, a week after the 2027-02-15 need), or that none comes sooner than the
    /// receipt as it stands.
    func testAPullInTheDeliveriesWaitForSaysWhatIfTheSupplierCannot() throws {
        func procurement(_ change: (inout PlanningModel) -> Void) throws -> [String] {
            var model = try droneResult().model
            change(&model)
            return StatusReport(Planner.run(model), previous: nil).procurement.shown.map(\.text)
        }
        func offer(_ model: PlanningModel, _ supplier: String, _ item: String) -> Int {
            model.offers.firstIndex { model.supplierNames[$0.supplier] == supplier && model.items.names[$0.item] == item }!
        }
        let drone = try procurement { _ in }
        XCTAssertTrue(drone.contains("OptiCam: pull in PO-1004 CAM-V1 400 (amount 8800) from 2027-05-10 to 2027-04-12: it covers the requirement there instead of a new order; if OptiCam cannot: order 400 CAM-V1 from OptiCam by 2027-03-22 in its place"), "\(drone)")
        // An expedite of a shortage already says when its late orders arrive otherwise.
        XCTAssertFalse(drone.contains { $0.contains("MCU-H7") && $0.contains("cannot") }, "\(drone)")
        /// PCB-MAIN's lead time, the item's and ACME's offer's, in working days.
        func pcbLead(_ days: Double) -> (inout PlanningModel) -> Void {
            { model in
                model.items.leadTimeDays[model.items.names.firstIndex(of: "PCB-MAIN")!] = days
                model.offers[offer(model, "ACME Circuits", "PCB-MAIN")].leadTimeDays = days
            }
        }
        let slow = try procurement(pcbLead(35))
        XCTAssertTrue(slow.contains { $0.hasPrefix("ACME Circuits: pull in PO-1002 PCB-MAIN 300 (amount 1800) from 2027-03-01 to 2027-02-15: ")
            && $0.hasSuffix("; if ACME Circuits cannot: order 300 PCB-MAIN from ACME Circuits now, and it arrives 2027-02-22 at the earliest, 1 week after it is needed") }, "\(slow)")
        // At 45 working days (9 weeks) a new order comes after PO-1002's own 2027-03-01.
        let slower = try procurement(pcbLead(45))
        XCTAssertTrue(slower.contains { $0.hasPrefix("ACME Circuits: pull in PO-1002 PCB-MAIN 300")
            && $0.hasSuffix("; if ACME Circuits cannot, no new order comes sooner (one placed now arrives 2027-03-08)") }, "\(slower)")
    }

    /// Past the section's cap the procurement actions shown are those moving the most money:
    /// sixteen small cancels at supplier "Alpha" do not hide a large one at "Zeta"; the
    /// count says how many are left out. An open decision past its date is marked overdue.
    func testProcurementCapKeepsTheLargestActionsAndOverdueDecisionsAreMarked() throws {
        var items = "item,type,lead_time_days,unit_cost\n", suppliers = "supplier,item,lead_time_days,unit_price\n"
        var receipts = "item,quantity,due_date,reference,supplier\n"
        for k in 1...16 {
            items += "S\(k),buy,5,1\n"
            suppliers += "Alpha,S\(k),5,1\n"
            receipts += "S\(k),10,2027-01-11,PO-S\(k),Alpha\n"
        }
        items += "BIG,buy,5,1\nTINY,buy,5,1\n"
        suppliers += "Zeta,BIG,5,100\nAaa,TINY,5,1\n"
        receipts += "BIG,5000,2027-01-11,PO-BIG,Zeta\nTINY,1,2027-01-11,PO-TINY,Aaa\n"
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 4), "items.csv": items, "suppliers.csv": suppliers, "receipts.csv": receipts,
            "decisions.csv": "decision,owner,date,status\nPick a broker,Procurement lead,2026-12-28,open\nLater,PM,2027-02-01,open\n",
        ]).load())
        let report = StatusReport(result, previous: nil)
        XCTAssertEqual(report.procurement.count, 18)
        XCTAssertEqual(report.procurement.shown.count, StatusReport.sectionLimit)
        // The largest amount, then the equal ones first in the list (supplier, date, then the
        // text: "PO-S1 " before "PO-S10 "); the smallest, first in the list, is left out.
        XCTAssertEqual(report.procurement.shown.map { String($0.text.prefix { $0 != "(" }) },
                       ["S1", "S10", "S11", "S12", "S13", "S14", "S15", "S16", "S2", "S3", "S4", "S5", "S6", "S7"]
                        .map { "Alpha: cancel PO-\($0) \($0) 10 " } + ["Zeta: cancel PO-BIG BIG 5000 "])
        XCTAssertTrue(report.procurement.shown.contains { $0.text.hasPrefix("Zeta: cancel PO-BIG BIG 5000 (amount 500000)") },
                      "\(report.procurement.shown.map(\.text))")
        XCTAssertEqual(report.procurement.shown.first?.text.hasPrefix("Alpha:"), true, "still listed by supplier")
        let decisions = report.decisions.shown.map(\.text)
        XCTAssertTrue(decisions.contains("Pick a broker — overdue: due 2026-12-28, 7 days ago"), "\(decisions)")
        XCTAssertTrue(decisions.contains("Later"), "\(decisions)")
    }

    func testHTMLIsSelfContained() throws {
        let result = try droneResult()
        let html = StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"), "no scripts")
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "nothing loaded from outside")
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 5, "gate timeline, ramp chart, heat map, unit cost bars, inventory value")
        // The ramp chart's projected output (§2d): the drone orders due 03-22 … 04-12 wait
        // for MCU-H7 and all complete in the week of 04-19 (4 × 50); none in the week of 04-12.
        XCTAssertTrue(html.contains("<title>2027-04-19: master schedule 50, projected output 200, target 50, backlog 0</title>"))
        XCTAssertTrue(html.contains("<title>2027-04-12: master schedule 50, projected output 0, target 50, backlog 0</title>"))
        XCTAssertTrue(html.contains("projected output (the plan as decided)"))
        // The top shortages: MCU-H7's 189 late, worth 1795.5 at 9.5 each.
        XCTAssertTrue(html.contains("<tr><td>MCU-H7</td><td>2027-03-01</td><td>189</td><td>1795.5</td><td>2</td><td>Program Manager</td><td>2027-01-11</td></tr>"), html)
        // The drone's capacity plan leaves no backlog: no backlog line, and no legend for one.
        XCTAssertFalse(html.contains("backlog at week end"), "a legend for a line not drawn")
        // SMT at 4 hours a day cannot build the ramp: the LP's backlog is drawn and named.
        let path = scratchPath("takt-short-smt") + ".yaml"
        try "workcenter_hours_per_day: {SMT: 4}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let short = Planner.run(try Scenario.load(path: path, model: result.model).apply(to: result.model))
        let shortHTML = StatusReportHTML(report: StatusReport(short, previous: nil), result: short).render()
        XCTAssertTrue(shortHTML.contains("- - capacity plan's backlog at week end"), "the backlog's legend")
        XCTAssertTrue(shortHTML.contains("stroke=\"#6a1b9a\" stroke-width=\"2\" stroke-dasharray=\"5 3\""), "the backlog's line")
        // The cost bars carry the product's cost target; the inventory chart says what it counts.
        XCTAssertTrue(html.contains("- - target 170.00 a unit</text>") || html.contains("- - target 170 a unit</text>"))
        XCTAssertTrue(html.contains("value of the projected on hand, all items (on hand × price or standard cost), week by week"))
        for heading in ["1. Milestone movement", "2. Blockers requiring action", "3. Decisions needed", "4. Risk changes", "5. Next-week plan",
                        "6. Procurement actions", "7. Capacity and the master schedule"] {
            XCTAssertTrue(html.contains(heading), heading)
        }
    }

    /// The next-week plan lists the first week's purchases by supplier name as the bytes
    /// compare ("!Bang" before "(no supplier)" before "Alpha" before "Zeta"), then need
    /// date, then item name.
    func testNextWeekPurchasesGoBySupplierNameThenNeedDateThenItem() throws {
        // Lead time 0 (needed in the first week) or a week (needed in the second): every
        // order is released in the first week. C has no offer, only a unit cost.
        let items = "item,type,lead_time_days,unit_cost\nA,buy,0,1\nB,buy,0,1\nC,buy,0,1\nD2,buy,0,1\nD1,buy,0,1\nE,buy,5,1\nF,buy,0,1\n"
        let suppliers = "supplier,item,lead_time_days,unit_price\nZeta,A,0,1\n!Bang,B,0,1\nAlpha,D2,0,1\nAlpha,D1,0,1\nAlpha,E,5,1\nZeta,F,0,1\n"
        let demand = "item,date,quantity\nA,2027-01-04,1\nB,2027-01-04,1\nC,2027-01-04,1\nD2,2027-01-04,1\nD1,2027-01-04,1\nE,2027-01-11,1\nF,2027-01-04,1\n"
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 4), "items.csv": items, "suppliers.csv": suppliers, "demand.csv": demand,
        ]).load())
        let lines = StatusReport(result, previous: nil).nextWeek.shown.map(\.text).filter { $0.contains(": place ") }
        XCTAssertEqual(lines.map { String($0.prefix { $0 != "," }) },
                       ["!Bang: place B 1", "(no supplier): place C 1", "Alpha: place D1 1", "Alpha: place D2 1",
                        "Alpha: place E 1", "Zeta: place A 1", "Zeta: place F 1"], "\(lines)")
    }

    /// A shortage that delays no delivery of its own (its item's late delivery is put down
    /// to the component at its root, §2d) is not said to delay none: S's SP1 comes a week
    /// late for C, so S's blocker says no late delivery is put down to S.
    func testAShortageWhoseDeliveriesArePutDownToAComponentSaysSo() throws {
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 6, products: "  - item: P\n    full_rate_per_week: 10\n",
                                  phases: "  - name: Ph1\n    weeks: 3\n    capacity_pct: [20, 50]\n    gate: G1\n", fractional: false),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size,unit_cost,workcenter,run_hours\n"
                + "P,make,5,lfl,0,10,W,1\nS,make,5,lfl,0,10,W,1\nC,buy,5,foq,10,1,,0\n",
            "bom.csv": "parent,component,qty_per\nP,S,1\nS,C,2\n",
            "inventory.csv": "item,on_hand\nC,5\n",
            "receipts.csv": "item,quantity,due_date,reference\nC,10,2027-01-18,PO1\n",
            "demand.csv": "item,date,quantity,reference\nS,2027-01-18,2,SP1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\nW,10,5,5,20\n",
        ]).load())
        let sp1 = result.projection.deliveries.first { $0.source == "SP1" }
        XCTAssertEqual(sp1?.isLate, true, "SP1 is late")
        XCTAssertEqual(sp1?.cause, .item(result.model.items.id("C")!), "for C")
        let blockers = StatusReport(result, previous: nil).blockers.shown.map(\.text)
        XCTAssertTrue(blockers.contains { $0.hasPrefix("S (no late delivery put down to it) is hit by shortages") }, "\(blockers)")
        XCTAssertFalse(blockers.contains { $0.contains("no delivery delayed") }, "\(blockers)")
    }

    /// Blockers past the section's cap: every group is counted, and the fifteen shown are
    /// the first by level, worth, date and then the group's text, as a full sort of the
    /// groups puts them (24 late items, some alike in every figure but the name).
    func testBlockersShowTheFirstGroupsOfAFullRankingAndCountThemAll() throws {
        var items = "item,type,lead_time_days,unit_cost\n", demand = "item,date,quantity\n"
        for k in 1...24 {
            let name = String(format: "X%02d", 25 - k)
            items += "\(name),buy,21,\(k % 5 + 1)\n"
            demand += "\(name),2027-01-\(k % 3 == 0 ? "11" : "04"),\(k % 4 + 1)\n"
        }
        let result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 8), "items.csv": items, "demand.csv": demand,
        ]).load())
        let names = result.model.items.names, dates = result.mrp.calendar.bucketStart
        var groups: [String: (level: Int, value: Double, date: Day)] = [:]
        for risk in result.risks where risk.kind == .shortage {
            let key = risk.delayed.first.map { "\(names[$0.item]) week of \(dates[$0.needBucket])" }
                ?? "\(risk.item) (no late delivery put down to it)"
            let old = groups[key] ?? (0, 0, risk.date)
            groups[key] = (max(old.level, risk.level), old.value + risk.valueAtRisk, min(old.date, risk.date))
        }
        let ranked = groups.sorted { a, b in
            if a.value.level != b.value.level { return a.value.level > b.value.level }
            if a.value.value != b.value.value { return a.value.value > b.value.value }
            if a.value.date != b.value.date { return a.value.date < b.value.date }
            return a.key < b.key
        }.map(\.key)
        XCTAssertEqual(groups.count, 24)
        let blockers = StatusReport(result, previous: nil).blockers
        let others = result.risks.filter { $0.kind != .shortage && $0.level >= 3 }.count
        XCTAssertEqual(blockers.count, groups.count + others)
        let shown = blockers.shown.compactMap { line in line.text.range(of: " is hit by shortages").map { String(line.text[..<$0.lowerBound]) } }
        XCTAssertEqual(shown, Array(ranked.prefix(StatusReport.sectionLimit)))
        XCTAssertTrue(blockers.shown[0].text.contains("units late from") && blockers.shown[0].text.contains("(order now"),
                      blockers.shown[0].text)
    }

    /// The heat map's cells: one per work center and week, with the MRP's load in % of
    /// regular capacity and both plans' hours in the title; a center's name is escaped
    /// in its label and in every title.
    func testHeatMapCellsCarryTheLoadAndAnEscapedCenterName() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = root.appendingPathComponent("fixtures/drone")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("takt-heat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".csv") || name.hasSuffix(".yaml") {
            var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
            if ["workcenters.csv", "routings.csv", "items.csv"].contains(name) { text = text.replacingOccurrences(of: "SMT", with: "S&M<T>") }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = Planner.run(try ModelLoader.load(folder: folder.path))
        let html = StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
        // capacity.csv: SMT, 2027-03-01, capacity 60 h, LP load 0, MRP load 8.36 h (13.93 %);
        // the third center in name order (FINAL, FRAME, S&M<T>, TEST): y = 20 + 2 × 16.92.
        XCTAssertTrue(html.contains("<rect x=\"245.38\" y=\"53.85\" width=\"15.92\" height=\"15.92\" fill=\"#a5d6a7\"><title>S&amp;M&lt;T&gt; week of 2027-03-01: MRP orders released this week need 8.4 h of 60 h (13.9 %), overtime allowed 16 h; the capacity plan: 0 h with 0 h overtime</title></rect>\n"), "")
        XCTAssertTrue(html.contains("font-size=\"11\">S&amp;M&lt;T&gt;</text>\n"))
        // Each row ends with its peak, at x = 1000 + 6 (the 56 px column after 110 + 880 + 10):
        // FINAL (the first row) 95 %, S&M<T> 112 % within its allowed overtime (orange).
        XCTAssertTrue(html.contains("<text x=\"1006\" y=\"32.69\" font-size=\"11\" fill=\"#222\">95 %</text>\n"), "")
        XCTAssertTrue(html.contains("<text x=\"1006\" y=\"66.54\" font-size=\"11\" fill=\"#ef6c00\">112 %</text>\n"), "")
        // 52 weeks make cells too narrow for their own numbers (7.1 px text): none.
        XCTAssertTrue(html.contains("<title>S&amp;M&lt;T&gt; week of 2027-07-26: MRP orders released this week need 61.8 h of 60 h (103.1 %), overtime allowed 16 h; the capacity plan: 43.4 h with 0 h overtime</title></rect>\n<rect "))
        XCTAssertFalse(html.contains("text-anchor=\"middle\" fill=\"#fff\">"), "no number in a cell")
        XCTAssertFalse(html.contains("S&M<T>"), "never unescaped")
        let weeks = result.capacity.flatMap(\.capacity).map(\.week).max()! + 1
        XCTAssertEqual(html.components(separatedBy: "<title>S&amp;M&lt;T&gt; week of ").count - 1, weeks, "a cell a week")
    }

    /// A heat-map cell is dark red only where section 7 has an overload beyond the overtime
    /// allowed: two hours beyond it are dark red when that is more than 5 % above capacity
    /// and planned overtime, and orange when the planned overtime leaves them within it.
    func testHeatMapDarkRedIsAnOverloadBeyondTheOvertimeAllowed() throws {
        var result = try droneResult()
        let smt = try XCTUnwrap(result.model.workcenters.firstIndex { $0.name == "SMT" })
        let allowed = result.model.workcenters[smt].overtimeHoursPerWeek
        let (p, r) = try XCTUnwrap(result.capacity.indices.lazy.compactMap { p in
            result.capacity[p].capacity.indices.first { result.capacity[p].capacity[$0].workcenter == smt }.map { (p, $0) } }.first)
        func fill(overtime: Double) -> String {
            result.capacity[p].capacity[r].overtimeHours = overtime
            result.capacity[p].capacity[r].mrpLoadHours = result.capacity[p].capacity[r].capacityHours + allowed + 2
            let html = StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
            let week = result.mps.weekly.bucketStart[result.capacity[p].capacity[r].week]
            guard let title = html.range(of: "><title>SMT week of \(week):") else { return "" }
            let head = html[..<title.lowerBound]
            guard let start = head.range(of: "fill=\"", options: .backwards) else { return "" }
            return String(head[start.upperBound...].prefix(7))
        }
        XCTAssertEqual(fill(overtime: 0), "#b71c1c")
        XCTAssertTrue(MRPLoad.isOverload(result.capacity[p].capacity[r]))
        XCTAssertEqual(fill(overtime: allowed), "#ef6c00")
        XCTAssertFalse(MRPLoad.isOverload(result.capacity[p].capacity[r]))
    }

    /// A phase's capacity shortfall names one owner and deadline wherever it is said: its
    /// gate's blocker and the capacity section take them from its capacity risk as escalated.
    func testACapacityShortfallHasItsRisksOwnerEverywhere() throws {
        var result = Planner.run(try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 5}\n",
                                  phases: "  - {name: A, weeks: 2, capacity_pct: 100, gate: G1}\n  - {name: B, weeks: 2, capacity_pct: 100, gate: G2}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,20\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
        ]).load())
        let k = try XCTUnwrap(result.risks.indices.first { result.risks[$0].id == "capacity:P:2027-02-01" })
        result.risks[k].level = 3
        result.risks[k].owner = "VP Operations"
        result.risks[k].respondBy = Day(iso: "2027-01-06")!
        let report = StatusReport(result, previous: nil)
        let gate = try XCTUnwrap(report.blockers.shown.first { $0.text.hasPrefix("G2 (B, 2027-02-01) is no-go on capacity") })
        XCTAssertEqual([gate.owner, gate.date.description], ["VP Operations", "2027-01-06"])
        let phase = try XCTUnwrap(report.capacity.shown.first { $0.text.hasPrefix("B cannot reach its ramp") })
        XCTAssertEqual([phase.owner, phase.date.description], ["VP Operations", "2027-01-06"])
        // G1's shortfall keeps its own risk's owner.
        let first = try XCTUnwrap(report.blockers.shown.first { $0.text.hasPrefix("G1 (A, 2027-01-18) is no-go on capacity") })
        XCTAssertEqual(first.owner, "Program Manager")
    }

    /// Short phases under narrow heat-map cells: a phase label that would run into the one
    /// before it goes on the next line, and the legend and the picture's height follow.
    func testHeatMapPhaseLabelsDoNotOverlap() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 5}\n",
                                  phases: "  - {name: A, weeks: 2, capacity_pct: 100}\n  - {name: B, weeks: 1, capacity_pct: 100}\n"
                                    + "  - {name: C, weeks: 1, capacity_pct: 100}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
        ]).load()
        let result = Planner.run(model)
        let html = StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
        // 18 px cells from x = 110: A at 110, B at 146 (its label would start inside A's, which
        // runs about 60 px), C at 164 (past nothing on the first line either: the second).
        XCTAssertTrue(html.contains("<text x=\"112\" y=\"50\" font-size=\"9\">2027-01-04 A</text>"), html)
        XCTAssertTrue(html.contains("<text x=\"148\" y=\"61\" font-size=\"9\">2027-01-18 B</text>"), html)
        XCTAssertTrue(html.contains("<text x=\"166\" y=\"72\" font-size=\"9\">2027-01-25 C</text>"), html)
        XCTAssertTrue(html.contains("height=\"106\" viewBox=\"0 0 1036 106\" role=\"img\" aria-label=\"utilization heat map\""), html)
    }

    /// Wide cells (a short horizon) print their utilization from 90 %, white above 100 %,
    /// and the row's peak follows it: P needs 7.6 h a unit, 5 a week, at W's 40 h (95 %),
    /// and 8.4 h (105 %, on overtime within the 4 h allowed: orange) when its run hours grow.
    func testWideHeatMapCellsPrintTheirUtilization() throws {
        func html(runHours: String) throws -> String {
            let result = Planner.run(try TempModel([
                "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 5}\n",
                                      phases: "  - {name: A, weeks: 4, capacity_pct: 100}\n"),
                "items.csv": "item,type,workcenter,run_hours\nP,make,W,\(runHours)\n",
                "workcenters.csv": "workcenter,hours_per_day,overtime_hours_per_week\nW,8,4\n",
            ]).load())
            return StatusReportHTML(report: StatusReport(result, previous: nil), result: result).render()
        }
        // 18 px cells: the number at x = 110 + 8.5 (the first week), 7.56 px.
        let normal = try html(runHours: "7.6")
        XCTAssertTrue(normal.contains("<text x=\"118.5\" y=\"32.24\" font-size=\"7.56\" text-anchor=\"middle\" fill=\"#222\">95</text>"), normal)
        XCTAssertTrue(normal.contains("font-size=\"11\" fill=\"#222\">95 %</text>"), normal)
        let over = try html(runHours: "8.4")
        XCTAssertTrue(over.contains("text-anchor=\"middle\" fill=\"#fff\">105</text>"), over)
        XCTAssertTrue(over.contains("font-size=\"11\" fill=\"#ef6c00\">105 %</text>"), over)
    }

    /// The trend chart's date lines: Mondays on spans up to 12 weeks, each month's first day
    /// beyond, every second month past 12 of them, every third past 24.
    func testDateTicksAreWeeksOrMonths() {
        let day = { (text: String) in Day(iso: text)!.number }
        XCTAssertEqual(StatusReportHTML.dateTicks(from: day("2027-01-06"), to: day("2027-01-27")).map { Day(number: $0).description },
                       ["2027-01-11", "2027-01-18", "2027-01-25"])
        XCTAssertEqual(StatusReportHTML.dateTicks(from: day("2027-01-06"), to: day("2027-06-10")).map { Day(number: $0).description },
                       ["2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01"])
        let long = StatusReportHTML.dateTicks(from: day("2027-01-06"), to: day("2028-12-31")).map { Day(number: $0).description }
        XCTAssertEqual(long.first, "2027-02-01")
        XCTAssertEqual(long.count, 12, "23 month starts, every second: \(long)")
        XCTAssertEqual(StatusReportHTML.dateTicks(from: day("2027-01-06"), to: day("2030-01-31")).count, 12, "36 month starts, every third")
    }
}
