import XCTest
@testable import TaktCore

/// Input that used to be accepted silently is now an error with its line.
final class HardeningTests: XCTestCase {
    func testUnknownPlanKeysAreErrorsWithTheClosestKey() throws {
        let errors = try TempModel([
            "plan.yaml": """
            start: 2027-01-04
            horizon_week: 10
            phase:
              - {name: A, weeks: 2, capacity_pct: 5}
            phases:
              - {name: B, weeks: 2, capacity_pct: 5, gat: Gate 1}
            costs: {holding_per_unit_wek: 1}

            """,
            "items.csv": "item,type\nA,buy\n",
        ]).errors()
        XCTAssertEqual(errors, [
            "plan.yaml:2: unknown key \"horizon_week\" (did you mean \"horizon_weeks\"?)",
            "plan.yaml:3: unknown key \"phase\" (did you mean \"phases\"?)",
            "plan.yaml:6: unknown key \"gat\" in a phase (did you mean \"gate\"?)",
            "plan.yaml:7: unknown key \"holding_per_unit_wek\" in costs (did you mean \"holding_per_unit_week\"?)",
        ])
    }

    func testOutOfRangeNumbersAndDuplicateColumns() throws {
        XCTAssertEqual(try TempModel([
            "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 1000000000\n",
            "items.csv": "item,type,type\nA,buy,make\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nW,8,8\n",
        ]).errors(), [
            "plan.yaml:2: horizon_weeks must be at most 520 (ten years), got 1000000000",
            "workcenters.csv:2: days_per_week must be at most 7, got 8",
            "items.csv:1: duplicate column \"type\" in the header",
        ])
    }

    func testQuantitiesTypedOnTheCommandLineReadLikeTheFiles() {
        XCTAssertEqual(DecimalParser.quantity("2.5"), 2.5)
        XCTAssertNil(DecimalParser.quantity("0x10"))
        XCTAssertNil(DecimalParser.quantity("1e308"))
        XCTAssertNil(DecimalParser.quantity("inf"))
        XCTAssertEqual(DecimalParser.quantity("-1"), -1, "read; the command refuses it as not > 0")
    }

    func testScenarioNamesThatClashAreNamedWithTheirFiles() throws {
        func scenario(_ name: String, _ file: String) -> Scenario {
            var s = Scenario(name: name, file: file)
            s.name = name
            return s
        }
        XCTAssertEqual(WhatIf.nameProblems([scenario("late", "a.yaml"), scenario("late", "b.yaml"), scenario("base", "c.yaml"),
                                            scenario("compare.csv", "d.yaml"), scenario("ok", "e.yaml")]), [
            "b.yaml: scenario name \"late\" gives the same run folder as a.yaml",
            "c.yaml: scenario name \"base\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)",
            "d.yaml: scenario name \"compare.csv\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)",
        ])
    }

    func testPreviousMustBeATaktPlanOutput() throws {
        let model = try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\nA,buy\n"])
        XCTAssertEqual(PreviousRun.problem(folder: model.folder + "/nope", modelFolder: model.folder),
                       "--previous \(model.folder)/nope: no such folder")
        XCTAssertEqual(PreviousRun.problem(folder: model.folder, modelFolder: model.folder),
                       "--previous \(model.folder): that is the model folder, not last week's output")
        let foreign = scratchPath("takt-foreign")
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try "{\"x\": 1}".write(toFile: foreign + "/summary.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(PreviousRun.problem(folder: foreign, modelFolder: model.folder),
                       "--previous \(foreign): not a takt plan output (no summary.json of a plan run)")
        let out = scratchPath("takt-out")
        try OutputFolder.write(PlanOutputs.files(Planner.run(try model.load())), to: out)
        XCTAssertNil(PreviousRun.problem(folder: out, modelFolder: model.folder))
    }

    func testAnEmptyOutputPathIsRefused() {
        XCTAssertThrowsError(try OutputFolder.check(target: "", modelFolders: [], force: true))
    }

    /// A FIFO or device in place of a CSV file is refused, not read forever.
    func testOnlyRegularFilesAreRead() throws {
        let model = try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\nA,buy\n"])
        XCTAssertEqual(mkfifo(model.folder + "/bom.csv", 0o644), 0)
        XCTAssertEqual(model.errors(), ["bom.csv:1: is not a regular file (a device, pipe or socket)"])
    }

    /// Terminal escape sequences in a name are shown, not sent to the terminal.
    func testControlCharactersInMessagesAreEscaped() {
        let diagnostic = Diagnostic(SourceLocation(file: "items.csv", line: 2), "unknown item \"\u{1B}[31mRED\"")
        XCTAssertEqual(diagnostic.description, "items.csv:2: unknown item \"\\u{1B}[31mRED\"")
    }

    /// A level plan.yaml does not list takes the nearest listed one: every risk has an owner.
    func testMissingEscalationLevelsTakeTheNearestOwner() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, extra: "escalation:\n  - {level: 1, owner: Buyer, respond_within_days: 2}\n  - {level: 2, owner: PM, respond_within_days: 5}\n"),
            "items.csv": "item,type\nA,buy\n",
        ]).load()
        XCTAssertEqual(model.plan.escalationLevel(3).owner, "PM")
        XCTAssertEqual(model.plan.escalationLevel(3).respondWithinDays, 5)
    }

    /// Dates are YYYY-MM-DD: a plan that would end after 9999-12-31 is refused.
    func testAPlanPastTheYear9999IsRefused() throws {
        XCTAssertEqual(try TempModel(["plan.yaml": "start: 9999-12-06\nhorizon_weeks: 4\n", "items.csv": "item,type\nA,buy\n"]).errors(),
                       ["plan.yaml:1: the plan from 9999-12-06 over 4 weeks would end after 9999-12-31"])
    }

    /// Quantities that overflow through deep BOMs stop the run with the item, no output.
    func testOverflowingQuantitiesStopThePlan() throws {
        var items = "item,type\nL0,make\n", bom = "parent,component,qty_per\n"
        for level in 1...40 {
            items += "L\(level),\(level == 40 ? "buy" : "make")\n"
            bom += "L\(level - 1),L\(level),1000000000000000\n"
        }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2), "items.csv": items, "bom.csv": bom,
            "demand.csv": "item,date,quantity\nL0,2027-01-04,1000000000000000\n",
        ]).load()
        var sink = MemorySink()
        XCTAssertThrowsError(try Planner.plan(model, writeLP: false, into: &sink)) { error in
            XCTAssertTrue("\(error)".contains("planned quantities overflow to infinity"), "\(error)")
        }
        XCTAssertTrue(sink.files.isEmpty)
    }

    /// Names in report.md stay text: HTML and Markdown in them do nothing.
    func testReportTextIsInert() {
        XCTAssertEqual(StatusReport.inline("<script>alert(1)</script> *bold* [link](x) a_b"),
                       "&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[link\\](x) a_b")
    }
}
