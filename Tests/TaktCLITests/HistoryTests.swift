import Foundation
import GRDB
import XCTest
import TaktReports
import TaktRun

/// The weekly loop through the CLI: three weeks of the drone (fixtures/drone-weekly, see
/// its RECORD.md) planned into one history, and the history file's safety rules.
final class HistoryTests: XCTestCase {
    /// Plans week-1…3 of the drone into `folder/history.db`, outputs in `folder/out-N`.
    static func threeWeeks(into folder: String, file: StaticString = #filePath, line: UInt = #line) throws -> [CLIRunner.Output] {
        try (1...3).map { week in
            let run = try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-\(week)"), "--out", folder + "/out-\(week)",
                                         "--history", folder + "/history.db"])
            XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
            return run
        }
    }

    func testThreeWeeksOfTheDroneMatchTheirGoldenFiles() throws {
        let folder = CLIRunner.temporaryFolder()
        let runs = try Self.threeWeeks(into: folder)
        XCTAssertTrue(runs[0].stdout.hasSuffix("history: recorded the run of 2027-01-04 in \(folder)/history.db\n"), runs[0].stdout)
        let expected = CLIRunner.fixture("drone-weekly/expected")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        let gateTrail = try CLIRunner.run(["history", folder + "/history.db", "--gate", "Gate 2"])
        XCTAssertEqual(gateTrail.status, 0, gateTrail.stderr)
        let risk = try CLIRunner.run(["history", folder + "/history.db", "--risk", "shortage:MCU-H7:2027-03-01", "--csv"])
        XCTAssertEqual(risk.status, 0, risk.stderr)
        // Every risk of the latest run, the most escalated first: one row per risks.csv row.
        let all = try CLIRunner.run(["history", folder + "/history.db", "--risks", "--csv"])
        XCTAssertEqual(all.status, 0, all.stderr)
        let allRows = all.stdout.split(separator: "\n")
        XCTAssertEqual(allRows.first, "risk_id,state,level,owner,respond_by,first_seen,age_weeks,impact")
        XCTAssertTrue(allRows[1].hasPrefix("shortage:MCU-H7:2027-03-01,escalated from level 2,3,VP Operations,2027-01-18,2027-01-04,2,"), String(allRows[1]))
        let week3Risks = try String(contentsOfFile: folder + "/out-3/risks.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(Set(allRows.dropFirst().map { $0.prefix { $0 != "," } }), Set(week3Risks.dropFirst().map { $0.prefix { $0 != "," } }))
        XCTAssertEqual(allRows.dropFirst().map { $0.split(separator: ",")[2] }, ["3"] + Array(repeating: "2", count: 11) + Array(repeating: "1", count: 5))
        XCTAssertNotEqual(try CLIRunner.run(["history", folder + "/history.db", "--risks", "--gate", "Gate 2"]).status, 0)
        // An earlier run's risks: week 2's, where the MCU-H7 shortage was still level 2.
        let week2Risks = try CLIRunner.run(["history", folder + "/history.db", "--risks", "--run", "2027-01-11", "--csv"])
        XCTAssertEqual(week2Risks.status, 0, week2Risks.stderr)
        XCTAssertTrue(week2Risks.stdout.contains("\nshortage:MCU-H7:2027-03-01,open,2,Program Manager,"), week2Risks.stdout)
        let noRun = try CLIRunner.run(["history", folder + "/history.db", "--risks", "--run", "2027-01-12"])
        XCTAssertEqual(noRun.status, 2)
        XCTAssertTrue(noRun.stderr.contains("no plan date \"2027-01-12\" in any recorded run; closest: 2027-01-11"), noRun.stderr)
        var files: [(String, String)] = []
        for name in ["report.md", "gates.json", "risks.csv"] {
            files.append(("week-3-" + name, try String(contentsOfFile: folder + "/out-3/" + name, encoding: .utf8)))
        }
        files.append(("week-2-report.md", try String(contentsOfFile: folder + "/out-2/report.md", encoding: .utf8)))
        files.append(("history-gate-2.txt", gateTrail.stdout))
        files.append(("history-risk-mcu.csv", risk.stdout))
        for (name, actual) in files {
            if record {
                try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
                try actual.write(toFile: expected + "/" + name, atomically: true, encoding: .utf8)
                continue
            }
            GoldenTests.compare(actual, try String(contentsOfFile: expected + "/" + name, encoding: .utf8), "drone-weekly/\(name)")
        }
        if record { XCTFail("golden files rewritten (RECORD_SNAPSHOTS=1)") }
    }

    /// An action names the owner and date of the risks it answers, as risks.csv has them
    /// after escalation, in every section; an order whose lead time leaves no later date is
    /// placed now, not held; a blocker counts every delivery its shortages make late.
    func testActionsCarryTheirRisksOwnerAndNoHoldIsDueToday() throws {
        let folder = CLIRunner.temporaryFolder()
        _ = try Self.threeWeeks(into: folder)
        let week3 = try String(contentsOfFile: folder + "/out-3/report.md", encoding: .utf8)
        let lines = week3.split(separator: "\n").map(String.init)
        // The MCU-H7 expedite answers shortage:MCU-H7 (level 3, VP Operations, 2027-01-18)
        // and expedite:MCU-H7 (level 2, Program Manager, 2027-01-18): the most escalated
        // owner, the earliest respond-by — in This week, the blocker and the procurement actions.
        let expedite = lines.filter { $0.contains("expedite PO-1003 MCU-H7") }
        XCTAssertEqual(expedite.count, 2, week3)
        for line in expedite { XCTAssertTrue(line.hasSuffix("— owner: VP Operations, by 2027-01-18"), line) }
        XCTAssertTrue(lines.contains { $0.contains("is hit by shortages (level 3)") && $0.hasSuffix("— owner: VP Operations, by 2027-01-18") }, week3)
        // The CAM-V1 pull-in answers expedite:CAM-V1, escalated to level 2 in week 2.
        let pullIn = lines.filter { $0.contains("pull in PO-1004 CAM-V1") }
        XCTAssertFalse(pullIn.isEmpty)
        for line in pullIn { XCTAssertTrue(line.hasSuffix("— owner: Program Manager, by 2027-01-18"), line) }
        // IMU-6X's order now answers shortage:IMU-6X (level 2, Program Manager) and is due today.
        let imu = lines.filter { $0.contains("IMU-6X 286 now") || $0.contains("order now: IMU-6X") }
        XCTAssertEqual(imu.count, 3, "This week, the next-week plan and the procurement actions")
        for line in imu { XCTAssertTrue(line.hasSuffix("— owner: Program Manager, by 2027-01-18"), line) }
        // With ChipSource's 70 days (14 weeks), the 1800 needed 2027-04-26 once PO-1003 is
        // expedited is to be placed by 2027-01-18, the plan date: placed now, not held.
        XCTAssertFalse(week3.contains(": hold MCU-H7"), week3)
        XCTAssertTrue(week3.contains("- ChipSource: place MCU-H7 1800 planned for 2027-03-01 now, amount 17100: even once PO-1003 is expedited, when it is needed 2027-04-26, its lead time leaves no later date"), week3)
        XCTAssertTrue(week3.contains("then MCU-H7 1800 planned for 2027-03-01 is needed 2027-04-26, to be placed now: its lead time leaves no later date"), week3)
        // Week 2 (plan date 2027-01-11): to be placed by 2027-01-18, a week on: still a hold.
        let week2 = try String(contentsOfFile: folder + "/out-2/report.md", encoding: .utf8)
        XCTAssertTrue(week2.contains("- ChipSource: hold MCU-H7 1800 planned for 2027-03-01, amount 17100: once PO-1003 is expedited it is needed 2027-04-26, to be placed by 2027-01-18"), week2)
        // The blocker counts every drone MCU-H7 makes late (deliveries.csv, cause MCU-H7),
        // not only the first week's 50.
        let deliveries = try String(contentsOfFile: folder + "/out-3/deliveries.csv", encoding: .utf8)
        let rows: [[Substring]] = deliveries.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let late = rows.filter { $0.count == 8 && $0[7] == "MCU-H7" }
        XCTAssertEqual(late.count, 5)
        var units = 0.0
        for row in late { units += Double(String(row[4])) ?? .nan }
        XCTAssertEqual(units, 250)
        // This week: the urgent lines by the level of the risk they answer (an action's, then
        // whether and how late it delays deliveries), then by how long overdue (a decision)
        // or by amount: the expedite of the level-3 MCU-H7 shortage first (7 weeks), then
        // the overdue decision that answers it — due now, raised to that risk's owner — the
        // IMU-6X order of a level-2 shortage (+28 days), the pull-in of a level-2 risk (+21),
        // the two other overdue decisions (10 then 3 days), ahead of push-outs and small
        // purchases.
        let thisWeek = week3.components(separatedBy: "## 1. Milestone movement")[0].split(separator: "\n").filter { $0.hasPrefix("- ") }
        XCTAssertEqual(thisWeek.count, 8, week3)
        XCTAssertTrue(thisWeek[0].hasPrefix("- ChipSource: expedite PO-1003"), String(thisWeek[0]))
        XCTAssertTrue(thisWeek[1].hasPrefix("- Expedite MCU-H7 with ChipSource or buy from a broker (Gate 1) — impact: broker premium — overdue: due 2027-01-11, 7 days ago; it answers shortage:MCU-H7:2027-03-01, now at level 3: raised to VP Operations (decision owner: Procurement lead) — owner: VP Operations, by 2027-01-18"), String(thisWeek[1]))
        XCTAssertTrue(thisWeek[2].hasPrefix("- SensorHub: order now: IMU-6X"), String(thisWeek[2]))
        XCTAssertTrue(thisWeek[3].hasPrefix("- OptiCam: pull in PO-1004"), String(thisWeek[3]))
        XCTAssertTrue(thisWeek[4].hasPrefix("- Add a second SMT shift") && thisWeek[4].hasSuffix("overdue: due 2027-01-08, 10 days ago — owner: Operations director, by 2027-01-18"), String(thisWeek[4]))
        XCTAssertTrue(thisWeek[5].hasPrefix("- Approve camera rev 2"), String(thisWeek[5]))
        // Week 2: the CAM-V1 pull-in's risk escalated to level 2, due the Monday after the
        // week (2027-01-18); it keeps deliveries on time, so it is still this week's.
        let week2Top = week2.components(separatedBy: "## 1. Milestone movement")[0]
        XCTAssertTrue(week2Top.contains("- OptiCam: pull in PO-1004 CAM-V1 400 (amount 8800) from 2027-05-10 to 2027-04-12: it covers the requirement there instead of a new order; if OptiCam cannot: order 400 CAM-V1 from OptiCam by 2027-03-22 in its place — owner: Program Manager, by 2027-01-18"), week2Top)
        XCTAssertFalse(thisWeek.contains { $0.contains("BARO-1") }, week3)
        // A supplier's risks of one item (one per gate) are one line in the escalated risks and
        // in the tracker, naming the gates; risks.csv keeps one row per gate.
        XCTAssertTrue(week2.contains("### Escalated (4)"), week2)
        XCTAssertTrue(week2.contains("- supplier:MCU-H7 (level 1 → 2, respond-by 2027-01-06 passed, Gate 1, Gate 3, Gate 4, Gate 5): MCU-H7 from ChipSource (on time 88 %) — owner: Program Manager, by 2027-01-18"), week2)
        XCTAssertTrue(week3.contains("- supplier:MCU-H7 (level 2, Gate 1, Gate 3, Gate 4, Gate 5, open since 2027-01-04, 2 weeks) — response: none recorded — outcome: still open — owner: Program Manager, by 2027-01-18"), week3)
        XCTAssertEqual(try String(contentsOfFile: folder + "/out-3/risks.csv", encoding: .utf8).components(separatedBy: "\nsupplier:MCU-H7:").count - 1, 4)
        // A history is kept: no note that one would add escalation.
        XCTAssertFalse(week3.contains("output folder only"), week3)
        XCTAssertTrue(week3.contains("- DRONE-X1 week of 2027-03-22 is hit by shortages (level 3): 250 DRONE-X1 late (due 2027-03-22 to 2027-04-19), worth 48422.89 at 193.69 a unit (Soft Launch cost)"), week3)
    }

    /// A risk past its deadline whose response (an open decision naming it) is not yet due
    /// is held at its level and due with the decision; once the decision's date passes it
    /// escalates as before (the fixture's week 3, where the decision was due 2027-01-11).
    func testAResponseUnderWayHoldsEscalationUntilItIsDue() throws {
        let folder = CLIRunner.temporaryFolder()
        for week in 1...3 {
            try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone-weekly/week-\(week)"), toPath: folder + "/week-\(week)")
        }
        // Week 3: the expedite decision (answering shortage:MCU-H7) is now due 2027-01-22.
        let decisions = folder + "/week-3/decisions.csv"
        let text = try String(contentsOfFile: decisions, encoding: .utf8)
        try text.replacingOccurrences(of: "2027-01-11,Expedite MCU-H7", with: "2027-01-22,Expedite MCU-H7")
            .write(toFile: decisions, atomically: true, encoding: .utf8)
        for week in 1...3 {
            let run = try CLIRunner.run(["plan", folder + "/week-\(week)", "--out", folder + "/out-\(week)", "--history", folder + "/history.db"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let risks = try String(contentsOfFile: folder + "/out-3/risks.csv", encoding: .utf8)
        XCTAssertTrue(risks.contains("\nshortage:MCU-H7:2027-03-01,shortage,MCU-H7,2,Program Manager,2027-01-22,"), risks)
        let report = try String(contentsOfFile: folder + "/out-3/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-03-01 (level 2, open since 2027-01-04, 2 weeks): respond-by 2027-01-11 passed, a response is under way — response: Expedite MCU-H7 with ChipSource or buy from a broker (Procurement lead, open 2027-01-22) — outcome: held at level 2 until the response is due, 2027-01-22 — owner: Program Manager, by 2027-01-22"), report)
        XCTAssertFalse(report.contains("shortage:MCU-H7:2027-03-01 (level 2 → 3"), report)
        // A week on (2027-01-25, past the decision's 01-22 with the risk still open): it
        // escalates. And a week on with the decision moved to 2027-02-05, still open: held,
        // due with it, not given a fresh level deadline.
        for (name, due) in [("late", "2027-01-22"), ("moved", "2027-02-05")] {
            let week4 = folder + "/week-4-\(name)"
            try FileManager.default.copyItem(atPath: folder + "/week-3", toPath: week4)
            let plan = try String(contentsOfFile: week4 + "/plan.yaml", encoding: .utf8)
            XCTAssertTrue(plan.contains("start: 2027-01-18") && plan.contains("weeks: 7"), plan)
            try plan.replacingOccurrences(of: "start: 2027-01-18", with: "start: 2027-01-25").replacingOccurrences(of: "weeks: 7", with: "weeks: 6")
                .write(toFile: week4 + "/plan.yaml", atomically: true, encoding: .utf8)
            let moved = try String(contentsOfFile: week4 + "/decisions.csv", encoding: .utf8)
                .replacingOccurrences(of: "2027-01-22,Expedite MCU-H7", with: "\(due),Expedite MCU-H7")
            try moved.write(toFile: week4 + "/decisions.csv", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: folder + "/history.db", toPath: folder + "/history-\(name).db")
            let run = try CLIRunner.run(["plan", week4, "--out", folder + "/out-4-\(name)", "--history", folder + "/history-\(name).db"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let risks4 = try String(contentsOfFile: folder + "/out-4-\(name)/risks.csv", encoding: .utf8)
            if name == "late" {
                XCTAssertTrue(risks4.contains("\nshortage:MCU-H7:2027-03-01,shortage,MCU-H7,3,VP Operations,2027-01-25,"), risks4)
            } else {
                XCTAssertTrue(risks4.contains("\nshortage:MCU-H7:2027-03-01,shortage,MCU-H7,2,Program Manager,2027-02-05,"), risks4)
            }
        }
    }

    /// A shortage that starts a week earlier has a new id (§2c: KIND:ITEM:DATE) but is the
    /// same finding: the history carries its age and escalation on, the decision that named
    /// its old id still answers it, it is not listed as new, and "Worsened" says it starts
    /// earlier. (Week 3 with 30 fewer MCU-H7 on hand: the shortage moves from 2027-03-01 to
    /// 2027-02-22.)
    func testARedatedShortageKeepsItsEscalationAndItsResponse() throws {
        let folder = CLIRunner.temporaryFolder()
        for week in 1...3 {
            try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone-weekly/week-\(week)"), toPath: folder + "/week-\(week)")
        }
        let inventory = folder + "/week-3/inventory.csv"
        let stock = try String(contentsOfFile: inventory, encoding: .utf8)
        XCTAssertTrue(stock.contains("\nMCU-H7,150\n"), stock)
        try stock.replacingOccurrences(of: "\nMCU-H7,150\n", with: "\nMCU-H7,120\n").write(toFile: inventory, atomically: true, encoding: .utf8)
        for week in 1...3 {
            let run = try CLIRunner.run(["plan", folder + "/week-\(week)", "--out", folder + "/out-\(week)", "--history", folder + "/history.db"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let risks = try String(contentsOfFile: folder + "/out-3/risks.csv", encoding: .utf8)
        // Level 2 last week, past its respond-by: level 3 now, as the same id would be.
        XCTAssertTrue(risks.contains("\nshortage:MCU-H7:2027-02-22,shortage,MCU-H7,3,VP Operations,2027-01-18,"), risks)
        let report = try String(contentsOfFile: folder + "/out-3/report.md", encoding: .utf8)
        let new = report.components(separatedBy: "### New")[1].components(separatedBy: "### Escalated")[0]
        XCTAssertFalse(new.contains("shortage:MCU-H7"), new)
        XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-02-22 (level 2 → 3, respond-by 2027-01-11 passed): "), report)
        XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-02-22 (level 3): late from 2027-02-22 (2027-03-01 last week, 7 days earlier), 378 units late (348 last week), all there by 2027-04-19 (as last week)"), report)
        XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-02-22 (level 3, open since 2027-01-04, 2 weeks): respond-by 2027-01-11 passed, escalated from level 2 — response: Expedite MCU-H7 with ChipSource or buy from a broker (Procurement lead, open 2027-01-11) — outcome: escalated"), report)
        XCTAssertTrue(report.contains("not resolved: still open as shortage:MCU-H7:2027-02-22 (its date moved) — response: Expedite MCU-H7 with ChipSource or buy from a broker (Procurement lead, open 2027-01-11) — outcome: still open under its new id"), report)
        XCTAssertTrue(report.contains("overdue: due 2027-01-11, 7 days ago; it answers shortage:MCU-H7:2027-02-22, now at level 3: raised to VP Operations"), report)
    }

    /// A re-dated shortage whose level rises with its new date (a need within two weeks:
    /// level 3) before any deadline passed is escalated, not new — with a history and with
    /// `--previous` alone. (Week 2 with a demand row for MCU-H7 on 2027-01-18.)
    func testARedatedShortageWhoseLevelRoseIsEscalatedNotNew() throws {
        let folder = CLIRunner.temporaryFolder()
        for week in 1...2 {
            try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone-weekly/week-\(week)"), toPath: folder + "/week-\(week)")
        }
        let demand = folder + "/week-2/demand.csv"
        try (try String(contentsOfFile: demand, encoding: .utf8) + "MCU-H7,2027-01-18,400,SO-X\n").write(toFile: demand, atomically: true, encoding: .utf8)
        for week in 1...2 {
            let run = try CLIRunner.run(["plan", folder + "/week-\(week)", "--out", folder + "/out-\(week)", "--history", folder + "/history.db"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let previous = try CLIRunner.run(["plan", folder + "/week-2", "--out", folder + "/prev-2", "--previous", folder + "/out-1"])
        XCTAssertEqual(previous.status, 0, previous.stderr)
        for out in ["out-2", "prev-2"] {
            let report = try String(contentsOfFile: folder + "/\(out)/report.md", encoding: .utf8)
            let new = report.components(separatedBy: "### New")[1].components(separatedBy: "### Escalated")[0]
            XCTAssertFalse(new.contains("shortage:MCU-H7"), "\(out): \(new)")
            XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-01-18 (level 2 → 3): MCU-H7: 748 units"), "\(out): \(report)")
            XCTAssertTrue(report.contains("- shortage:MCU-H7:2027-01-18 (level 3): late from 2027-01-18 (2027-03-01 last week, 42 days earlier), 748 units late (189 last week)"), "\(out): \(report)")
        }
    }

    /// An overdue criterion gone because its due date moved is "not done"; one gone because
    /// it was done is not, even when another gate has a criterion of the same text.
    func testAClosedCriterionIsNotDoneOnlyWhenItsOwnRowSaysSo() throws {
        let folder = CLIRunner.temporaryFolder()
        func model(_ name: String, gates: String) throws -> String {
            let path = folder + "/" + name
            try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone"), toPath: path)
            try gates.write(toFile: path + "/gates.csv", atomically: true, encoding: .utf8)
            return path
        }
        let header = "gate,criterion,done,owner,evidence,due_date\n"
        let last = try model("last", gates: header + "Gate 1,PFMEA reviewed,false,Quality lead,,2026-12-31\n")
        XCTAssertEqual(try CLIRunner.run(["plan", last, "--out", folder + "/o-last"]).status, 0)
        func closedLine(_ gates: String) throws -> String {
            let now = try model("now-\(gates.count)", gates: header + gates)
            let run = try CLIRunner.run(["plan", now, "--out", folder + "/o-\(gates.count)", "--previous", folder + "/o-last"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let report = try String(contentsOfFile: folder + "/o-\(gates.count)/report.md", encoding: .utf8)
            return try XCTUnwrap(report.split(separator: "\n").first { $0.hasPrefix("- gate_criterion:PFMEA reviewed:2026-12-31") }.map(String.init), report)
        }
        XCTAssertTrue(try closedLine("Gate 1,PFMEA reviewed,false,Quality lead,,2027-02-01\n").contains(" — not done: its due date moved to 2027-02-01"))
        let done = try closedLine("Gate 1,PFMEA reviewed,true,Quality lead,,2026-12-31\nGate 3,PFMEA reviewed,false,Quality lead,,2027-06-01\n")
        XCTAssertFalse(done.contains(" — not done:"), done)
    }

    /// `--previous DIR` with a history that has no earlier run escalates nothing: the report
    /// says it compared with the folder only.
    func testPreviousWithAnEmptyHistorySaysItComparedWithTheFolder() throws {
        let folder = CLIRunner.temporaryFolder()
        let first = try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-1"), "--out", folder + "/w1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-2"), "--out", folder + "/w2",
                                        "--previous", folder + "/w1", "--history", folder + "/fresh.db"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let report = try String(contentsOfFile: folder + "/w2/report.md", encoding: .utf8)
        XCTAssertEqual(report.components(separatedBy: "Compared with last week's output folder only").count - 1, 2, report)
    }

    /// What a program manager reads after three weeks (hand-checked in RECORD.md).
    func testTheReportSaysWhatSlippedWhoEscalatedAndWhatProcurementMustChange() throws {
        let folder = CLIRunner.temporaryFolder()
        _ = try Self.threeWeeks(into: folder)
        let week2 = try String(contentsOfFile: folder + "/out-2/report.md", encoding: .utf8)
        let week3 = try String(contentsOfFile: folder + "/out-3/report.md", encoding: .utf8)
        // Gate 2: MCU-H7's lead time goes from 60 to 70 working days in week 2: its first
        // late ramp week arrives 2027-05-10 (+49 days) instead of 2027-04-19 (+28), so the
        // forecast moves from 2027-05-31 to 2027-06-21 (+21) and stays there in week 3.
        XCTAssertTrue(week2.contains("| Gate 2 | Soft Launch | 2027-05-03 | no_go | 2027-06-21 | 2027-05-31 | 2027-05-31 | +21 |"), week2)
        XCTAssertTrue(week3.contains("| Gate 2 | Soft Launch | 2027-05-03 | no_go | 2027-06-21 | 2027-05-31 | 2027-06-21 | 0 |"), week3)
        XCTAssertTrue(week3.contains("| Gate 1 | Pre-Production | 2027-03-08 | at_risk | 2027-03-08 | 2027-03-08 | 2027-03-08 | 0 | PFMEA reviewed at_risk → go"), week3)
        // The MCU-H7 shortage: level 2 due 2027-01-11, still open at 2027-01-18 → level 3, VP Operations.
        XCTAssertTrue(week3.contains("- shortage:MCU-H7:2027-03-01 (level 2 → 3, respond-by 2027-01-11 passed)"), week3)
        XCTAssertTrue(week3.contains("shortage:MCU-H7:2027-03-01 (level 3, open since 2027-01-04, 2 weeks): respond-by 2027-01-11 passed, escalated from level 2 — response: Expedite MCU-H7 with ChipSource or buy from a broker (Procurement lead, open 2027-01-11) — outcome: escalated — owner: VP Operations, by 2027-01-18"), week3)
        // Week 2: PO-1002 pulled in by decision; the expedite risk closes, its response shown.
        XCTAssertTrue(week2.contains("- expedite:PCB-MAIN:2027-02-15: "), week2)
        XCTAssertTrue(week2.contains("closed in the run of 2027-01-11, open since 2027-01-04 (1 week) — response: Pull PO-1002 in to 2027-02-15 (Procurement lead, decided 2027-01-08) — outcome: closed"), week2)
        // Week 3: SensorHub's 45-day lead time makes IMU-6X short; the buys change.
        XCTAssertTrue(week3.contains("- shortage:IMU-6X:2027-02-22 (level 2)"), week3)
        XCTAssertTrue(week3.contains("### Purchase suggestions changed since last week (44)"), week3)
        XCTAssertTrue(week3.contains("- SensorHub: IMU-6X needed 2027-02-22: quantity 67 → 95"), week3)
        // The 45-day quote moves the order dates of the other buys: three become late.
        XCTAssertTrue(week3.contains("- SensorHub: IMU-6X 53 needed 2027-03-01: order date 2027-02-01 → 2027-01-18 (-14 days), now late"), week3)
        XCTAssertEqual(week3.components(separatedBy: ", now late — ").count - 1, 3)
        // Every change, not only the 15 shown, is in purchase_changes.csv, one row each in the
        // report's order, both weeks' figures side by side.
        let changes = try String(contentsOfFile: folder + "/out-3/purchase_changes.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(changes.count, 1 + 44)
        XCTAssertEqual(changes[0], "supplier,item,change,need_date,quantity,order_date,late,last_need_date,last_quantity,last_order_date,last_late,ordered_as")
        XCTAssertEqual(changes[1], "SensorHub,IMU-6X,new,2027-01-18,30,2027-01-18,true,,,,,")
        XCTAssertEqual(changes[3], "SensorHub,IMU-6X,quantity,2027-02-22,95,2027-01-18,true,2027-02-22,67,2027-01-25,false,")
        XCTAssertEqual(changes[4], "SensorHub,IMU-6X,order_date,2027-03-01,53,2027-01-18,true,2027-03-01,53,2027-02-01,false,")
        XCTAssertTrue(week3.contains("- … and 29 more in purchase_changes.csv\n"), week3)
        // No file in the first run, which has no last week to compare with.
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/out-1/purchase_changes.csv"))
        // Week 2: ChipSource's 70 days move seven MCU-H7 order dates; the lot late both weeks is not listed.
        XCTAssertTrue(week2.contains("### Purchase suggestions changed since last week (7)"), week2)
        XCTAssertFalse(week2.contains("MCU-H7 1800 needed 2027-03-01"), week2)
        // risks.csv carries the escalated level, owner and deadline.
        let risks = try String(contentsOfFile: folder + "/out-3/risks.csv", encoding: .utf8)
        XCTAssertTrue(risks.contains("\nshortage:MCU-H7:2027-03-01,shortage,MCU-H7,3,VP Operations,2027-01-18,"), risks)
        // The milestone trend chart once there are two runs, not before.
        XCTAssertFalse(try String(contentsOfFile: folder + "/out-1/report.html", encoding: .utf8).contains("milestone trend"))
        let html = try String(contentsOfFile: folder + "/out-3/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("aria-label=\"milestone trend"), "trend chart")
        XCTAssertTrue(html.contains("<title>Gate 2 at 2027-01-18: forecast 2027-06-21</title>"))
        // The planned date as a mark, and dated lines at each month's first day.
        XCTAssertTrue(html.contains("<title>Gate 2 planned 2027-05-03</title>"), "planned mark")
        XCTAssertTrue(html.contains(">2027-06-01</text>") && html.contains(">2027-07-01</text>"), "monthly ticks")
        XCTAssertTrue(html.contains("<title>Gate 2 at 2027-01-04: forecast 2027-05-31</title>"))
    }

    func testHistoryCommandListsRunsAndFollowsAnItem() throws {
        let folder = CLIRunner.temporaryFolder()
        _ = try Self.threeWeeks(into: folder)
        let runs = try CLIRunner.run(["history", folder + "/history.db"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        let lines = runs.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("plan_date   model   planned_orders"))
        XCTAssertTrue(lines[3].hasPrefix("2027-01-18  week-3"))
        XCTAssertTrue(lines[3].hasSuffix("at_risk  no_go   no_go   at_risk  at_risk"), String(lines[3]))
        let item = try CLIRunner.run(["history", folder + "/history.db", "--item", "IMU-6X", "--csv"])
        XCTAssertEqual(item.status, 0, item.stderr)
        XCTAssertTrue(item.stdout.hasPrefix("plan_date,kind,planned_orders,planned_quantity,first_due,mps_planned\n2027-01-04,buy,"), item.stdout)
        let unknown = try CLIRunner.run(["history", folder + "/history.db", "--gate", "Gate 9"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no gate \"Gate 9\" in any recorded run; closest: Gate 1"), unknown.stderr)
        let missing = try CLIRunner.run(["history", folder + "/nothing.db"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/nothing.db"), "reading never makes a file")
    }

    func testReplanningTheSameDateReplacesItsRun() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = CLIRunner.fixture("drone-weekly/week-1")
        for expected in ["recorded", "replaced"] {
            let run = try CLIRunner.run(["plan", model, "--out", folder + "/out", "--history", folder + "/h.db"])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("history: \(expected) the run of 2027-01-04"), run.stdout)
        }
        let runs = try CLIRunner.run(["history", folder + "/h.db", "--csv"])
        XCTAssertEqual(runs.stdout.split(separator: "\n").count, 2, runs.stdout)
    }

    func testTwoRunsWritingOneHistoryAtOnceAreBothRecorded() throws {
        let folder = CLIRunner.temporaryFolder()
        // Both started before either is waited for, each on its own week.
        let processes = try [1, 2].map { week -> Process in
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = ["plan", CLIRunner.fixture("drone-weekly/week-\(week)"), "--out", folder + "/out-\(week)",
                                 "--history", folder + "/h.db", "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0])
        let runs = try CLIRunner.run(["history", folder + "/h.db", "--csv"])
        XCTAssertEqual(runs.stdout.split(separator: "\n").map { String($0.prefix(10)) }, ["plan_date,", "2027-01-04", "2027-01-11"])
    }

    func testAFileThatIsNotAHistoryIsRefusedAndLeftAlone() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = CLIRunner.fixture("drone-weekly/week-1")
        // A text file, a corrupt database, and another application's database.
        try "week,notes\n1,fine\n".write(toFile: folder + "/notes.csv", atomically: true, encoding: .utf8)
        var corrupt = Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0x5A, count: 8192)
        corrupt[16] = 0x10 // a page size of 4096, so that SQLite reads on into the garbage
        corrupt[17] = 0x00
        try Data(corrupt).write(to: URL(fileURLWithPath: folder + "/corrupt.db"))
        XCTAssertEqual(try CLIRunner.run(["plan", model, "--out", folder + "/o", "--history", folder + "/good.db", "--quiet"]).status, 0)
        var foreign = try Data(contentsOf: URL(fileURLWithPath: folder + "/good.db"))
        foreign.replaceSubrange(68..<72, with: [0, 0, 0, 7]) // another application id
        try foreign.write(to: URL(fileURLWithPath: folder + "/foreign.db"))
        for (name, message) in [("notes.csv", "not a Takt history (not an SQLite database)"), ("corrupt.db", "cannot be used as a Takt history"),
                                ("foreign.db", "not a Takt history (an SQLite database of another application)")] {
            let path = folder + "/" + name
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let run = try CLIRunner.run(["plan", model, "--out", folder + "/out-" + name, "--history", path])
            XCTAssertEqual(run.status, 2, name)
            XCTAssertTrue(run.stderr.contains(message), "\(name): \(run.stderr)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "\(name) untouched")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/out-" + name), "no output when the history is refused")
        }
    }

    func testTheHistoryIsNeverWrittenInsideTheModelOrOutputFolder() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = folder + "/model"
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone-weekly/week-1"), toPath: model)
        let inModel = try CLIRunner.run(["plan", model, "--out", folder + "/out", "--history", model + "/history.db"])
        XCTAssertEqual(inModel.status, 2)
        XCTAssertTrue(inModel.stderr.contains("inside the model folder"), inModel.stderr)
        let inOut = try CLIRunner.run(["plan", model, "--out", folder + "/out", "--history", folder + "/out/history.db"])
        XCTAssertEqual(inOut.status, 2)
        XCTAssertTrue(inOut.stderr.contains("inside --out"), inOut.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model + "/history.db"))
    }

    /// The placement rules compare real places: a history reached through a link into
    /// --out or into the model is refused like one named there; a FIFO, or a link to
    /// nothing, is refused without waiting or writing.
    func testLinksFIFOsAndDanglingLinksAreSeenThrough() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = folder + "/model"
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone-weekly/week-1"), toPath: model)
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: folder + "/outlink", withDestinationPath: folder + "/out")
        try fm.createSymbolicLink(atPath: folder + "/modellink", withDestinationPath: model)
        try fm.createSymbolicLink(atPath: folder + "/dangling", withDestinationPath: folder + "/nowhere/h.db")
        XCTAssertEqual(mkfifo(folder + "/fifo", 0o644), 0)
        for (history, message) in [("outlink/h.db", "inside --out"), ("modellink/h.db", "inside the model folder"),
                                   ("fifo", "not a regular file"), ("dangling", "a symbolic link to nothing")] {
            let run = try CLIRunner.run(["plan", model, "--out", folder + "/out", "--history", folder + "/" + history])
            XCTAssertEqual(run.status, 2, history)
            XCTAssertTrue(run.stderr.contains(message), "\(history): \(run.stderr)")
        }
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: folder + "/out"), [], "nothing written into --out")
        XCTAssertFalse(try fm.contentsOfDirectory(atPath: model).contains { $0.hasPrefix("h.db") }, "nothing in the model")
        XCTAssertFalse(fm.fileExists(atPath: folder + "/nowhere"))
    }

    /// A history that fails SQLite's quick_check is refused by `plan` and by `history`,
    /// byte for byte as it was and without the siblings reading it made.
    func testADamagedHistoryIsRefusedUntouched() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = CLIRunner.fixture("drone-weekly/week-1")
        XCTAssertEqual(try CLIRunner.run(["plan", model, "--out", folder + "/o", "--history", folder + "/h.db", "--quiet"]).status, 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/h.db")))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        for page in 1..<(bytes.count / pageSize) { (bytes[page * pageSize + 1], bytes[page * pageSize + 2]) = (0xFF, 0xFF) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/damaged.db"))
        let plan = try CLIRunner.run(["plan", model, "--out", folder + "/o2", "--history", folder + "/damaged.db"])
        XCTAssertEqual(plan.status, 2)
        XCTAssertTrue(plan.stderr.contains("damaged (SQLite's quick_check"), plan.stderr)
        let read = try CLIRunner.run(["history", folder + "/damaged.db"])
        XCTAssertEqual(read.status, 2)
        XCTAssertTrue(read.stderr.contains("damaged"), read.stderr)
        XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/damaged.db"))), bytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/damaged.db-wal"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/o2"))
    }

    /// A log left by a run cut short after its commit is replayed (its run is kept), and so
    /// is a log that holds only a close's epoch renewal; the same log beside an older copy
    /// of the file (a history restored from a backup) is refused by `plan` and `history`,
    /// both files left byte for byte.
    func testALogOfAnotherStateOfTheFileIsRefused() throws {
        let folder = CLIRunner.temporaryFolder()
        let history = folder + "/h.db"
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-1"), "--out", folder + "/o1",
                                          "--history", history, "--quiet"]).status, 0)
        let fm = FileManager.default
        try fm.copyItem(atPath: history, toPath: folder + "/backup.db")
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-2"), "--out", folder + "/o2",
                                          "--history", history, "--quiet"]).status, 0)
        /// Copies the file and its log as a process killed now would leave them.
        func image(_ name: String, file: String = history) throws -> String {
            try fm.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
            try fm.copyItem(atPath: file, toPath: folder + "/\(name)/h.db")
            try fm.copyItem(atPath: history + "-wal", toPath: folder + "/\(name)/h.db-wal")
            return folder + "/\(name)/h.db"
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let writer = try DatabaseQueue(path: history, configuration: configuration)
        try writer.write { db in
            try db.execute(sql: "UPDATE log_identity SET writes = writes + 1")
            try db.execute(sql: "UPDATE run SET model = 'cut short' WHERE plan_date = '2027-01-11'")
        }
        let crash = try image("crash")
        let stale = try image("stale", file: folder + "/backup.db")
        _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try writer.write { db in try db.execute(sql: "UPDATE log_identity SET previous = epoch, epoch = 'renewed', writes = 0") }
        let renewal = try image("renewal")
        try writer.close()

        for kept in [renewal, crash] {
            let read = try CLIRunner.run(["history", kept, "--csv"])
            XCTAssertEqual(read.status, 0, read.stderr)
            XCTAssertEqual(read.stdout.split(separator: "\n").count, 3, read.stdout)
        }
        XCTAssertTrue(try CLIRunner.run(["history", crash, "--csv"]).stdout.contains("cut short"))
        let bytes = try [stale, stale + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let read = try CLIRunner.run(["history", stale])
        XCTAssertEqual(read.status, 2)
        XCTAssertTrue(read.stderr.contains("h.db-wal: a write-ahead log of another state of"), read.stderr)
        let plan = try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-3"), "--out", folder + "/o3", "--history", stale])
        XCTAssertEqual(plan.status, 2)
        XCTAssertTrue(plan.stderr.contains("another state"), plan.stderr)
        XCTAssertEqual(try [stale, stale + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }, bytes)
        XCTAssertFalse(fm.fileExists(atPath: stale + "-shm"))
        XCTAssertFalse(fm.fileExists(atPath: folder + "/o3"))
    }

    /// The file moved on without a renewal — a run's log checkpointed by hand (or by
    /// SQLite when a failed run's connection closed) — and then a run cut short after
    /// recording: that run's log must not be taken for a log of the backup made before
    /// all this. Opening a history renews the epoch, so it is not.
    func testALogWrittenAfterTheFileMovedOnByHandIsNotTakenForTheBackups() throws {
        let folder = CLIRunner.temporaryFolder()
        let path = folder + "/h.db"
        let week1 = Planner.run(try Planner.load(folder: CLIRunner.fixture("drone-weekly/week-1")))
        let week2 = Planner.run(try Planner.load(folder: CLIRunner.fixture("drone-weekly/week-2")))
        let first = try PlanHistory(path: path)
        try first.record(week1)
        first.close()
        let fm = FileManager.default
        try fm.copyItem(atPath: path, toPath: folder + "/backup.db")
        // A write, then a checkpoint by hand: the file moves on, its epoch unchanged.
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let writer = try DatabaseQueue(path: path, configuration: configuration)
        try writer.write { db in try db.execute(sql: "UPDATE log_identity SET writes = writes + 1") }
        _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try writer.close()
        // A run records and is cut short before its close: its file and log as it leaves them.
        let second = try PlanHistory(path: path)
        try second.record(week2)
        try fm.createDirectory(atPath: folder + "/stale", withIntermediateDirectories: true)
        try fm.copyItem(atPath: folder + "/backup.db", toPath: folder + "/stale/h.db")
        try fm.copyItem(atPath: path + "-wal", toPath: folder + "/stale/h.db-wal")
        second.close()
        let read = try CLIRunner.run(["history", folder + "/stale/h.db"])
        XCTAssertEqual(read.status, 2, read.stdout)
        XCTAssertTrue(read.stderr.contains("a write-ahead log of another state"), read.stderr)
    }

    /// A history the user may only read (another owner's file in a folder they cannot
    /// write) is read all the same when it has no log to replay; with one, the refusal
    /// says what to do. Needs root to act as another user.
    func testAHistoryTheUserMayOnlyReadIsRead() throws {
        let setpriv = "/usr/bin/setpriv"
        try XCTSkipUnless(getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv), "needs root and setpriv")
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-1"), "--out", folder + "/o1",
                                          "--history", folder + "/h.db", "--quiet"]).status, 0)
        let shared = folder + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try FileManager.default.copyItem(atPath: folder + "/h.db", toPath: shared + "/h.db")
        chmod(folder, 0o755)
        chmod(CLIRunner.scratch, 0o755)
        func asNobody(_ arguments: [String]) throws -> CLIRunner.Output {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: setpriv)
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + arguments
            let out = Pipe(), err = Pipe()
            (process.standardOutput, process.standardError) = (out, err)
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return CLIRunner.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                    stderr: String(decoding: stderr, as: UTF8.self))
        }
        func readAsNobody() throws -> CLIRunner.Output { try asNobody([CLIRunner.binary.path, "history", shared + "/h.db"]) }
        // Another user must be able to run the binary and reach the file where this runs (a
        // clone under a private home folder, a private TMPDIR: nothing to test there).
        let reach = try asNobody(["/usr/bin/test", "-r", shared + "/h.db", "-a", "-x", CLIRunner.binary.path])
        try XCTSkipIf(reach.status != 0, "another user cannot run the binary or reach the scratch folder here")
        let read = try readAsNobody()
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertTrue(read.stdout.contains("2027-01-04"), read.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shared), ["h.db"])
        try Data(repeating: 1, count: 64).write(to: URL(fileURLWithPath: shared + "/h.db-wal"))
        let refused = try readAsNobody()
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("may only be read, and"), refused.stderr)
    }

    /// A run that fails records nothing: bad input stops before the history is opened,
    /// and an output folder that cannot be written stops before the run is recorded.
    func testAFailedRunRecordsNothing() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = CLIRunner.fixture("drone-weekly/week-1")
        XCTAssertEqual(try CLIRunner.run(["plan", model, "--out", folder + "/o1", "--history", folder + "/h.db", "--quiet"]).status, 0)
        try "not a folder".write(toFile: folder + "/blocked", atomically: true, encoding: .utf8)
        let week2 = CLIRunner.fixture("drone-weekly/week-2")
        let failed = try CLIRunner.run(["plan", week2, "--out", folder + "/blocked", "--history", folder + "/h.db"])
        XCTAssertEqual(failed.status, 2)
        let invalid = try CLIRunner.run(["plan", CLIRunner.fixture("invalid/non-numeric"), "--out", folder + "/o2", "--history", folder + "/h.db"])
        XCTAssertEqual(invalid.status, 2)
        let runs = try CLIRunner.run(["history", folder + "/h.db", "--csv"])
        XCTAssertEqual(runs.stdout.split(separator: "\n").count, 2, "only week 1: \(runs.stdout)")
    }

    /// Buy items without a supplier (lot-rules) go through the history and come back as
    /// "(no supplier)" in next week's purchase changes.
    func testPurchasesWithoutASupplierRoundTrip() throws {
        let folder = CLIRunner.temporaryFolder()
        let weekTwo = folder + "/week-2"
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("lot-rules"), toPath: weekTwo)
        try? FileManager.default.removeItem(atPath: weekTwo + "/expected")
        let plan = try String(contentsOfFile: weekTwo + "/plan.yaml", encoding: .utf8)
        try plan.replacingOccurrences(of: "start: 2027-01-04", with: "start: 2027-01-11")
            .write(toFile: weekTwo + "/plan.yaml", atomically: true, encoding: .utf8)
        for (model, out) in [(CLIRunner.fixture("lot-rules"), "/o1"), (weekTwo, "/o2")] {
            let run = try CLIRunner.run(["plan", model, "--out", folder + out, "--history", folder + "/h.db", "--quiet"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let report = try String(contentsOfFile: folder + "/o2/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("### Purchase suggestions changed since last week"), report)
        XCTAssertTrue(report.contains("- (no supplier): "), report)
        let item = try CLIRunner.run(["history", folder + "/h.db", "--item", "FOQ", "--csv"])
        XCTAssertEqual(item.stdout.split(separator: "\n").count, 3, item.stdout)
        XCTAssertTrue(item.stdout.contains("\n2027-01-04,buy,"), item.stdout)
    }

    /// `whatif --history` records its base run (and reports against the earlier ones).
    func testWhatIfRecordsItsBaseRun() throws {
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone-weekly/week-1"), "--out", folder + "/o1",
                                          "--history", folder + "/h.db", "--quiet"]).status, 0)
        let whatif = try CLIRunner.run(["whatif", CLIRunner.fixture("drone-weekly/week-2"), CLIRunner.fixture("drone/scenarios/late-pcb.yaml"),
                                        "--out", folder + "/w", "--history", folder + "/h.db"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        XCTAssertTrue(whatif.stdout.contains("history: recorded the run of 2027-01-11"), whatif.stdout)
        let base = try String(contentsOfFile: folder + "/w/base/report.md", encoding: .utf8)
        XCTAssertTrue(base.contains("| Gate 2 | Soft Launch | 2027-05-03 | no_go | 2027-06-21 | 2027-05-31 | 2027-05-31 | +21 |"), base)
        let scenario = try String(contentsOfFile: folder + "/w/late-pcb/report.md", encoding: .utf8)
        XCTAssertTrue(scenario.contains("No previous run given"), "only the base run reports against the history")
    }
}
