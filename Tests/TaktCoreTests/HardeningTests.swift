import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

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

    /// A key given twice in one mapping is reported on the line of its second use: at the
    /// top, in a phase (not the next phase's key of the same name), and quoted; a flow
    /// mapping that repeats a key on one line points at that line.
    func testADuplicateKeyInPlanYAMLIsReportedWhereItIsRepeated() throws {
        func error(_ yaml: String) throws -> [String] {
            try TempModel(["plan.yaml": yaml, "items.csv": "item,type\nA,buy\n"]).errors()
        }
        XCTAssertEqual(try error("start: 2027-01-04\nhorizon_weeks: 4\nbucket: week\n\n# again\nhorizon_weeks: 5\n"),
                       ["plan.yaml:6: invalid YAML: duplicate keys horizon_weeks"])
        XCTAssertEqual(try error("""
            start: 2027-01-04
            phases:
              - name: A
                weeks: 2
              - name: B
                weeks: 2
                capacity_pct: 5
                weeks: 3
            """), ["plan.yaml:8: invalid YAML: duplicate keys weeks"])
        XCTAssertEqual(try error("start: 2027-01-04\n\"horizon_weeks\": 4\nhorizon_weeks: 5\n"),
                       ["plan.yaml:3: invalid YAML: duplicate keys horizon_weeks"])
        XCTAssertEqual(try error("start: 2027-01-04\nphases:\n  - {name: A, weeks: 2, weeks: 3}\n"),
                       ["plan.yaml:3: invalid YAML: duplicate keys weeks"])
        // Line ends as a Windows editor writes them (CRLF is one `Character` in Swift), and
        // the other breaks YAML counts: the same lines, no crash.
        XCTAssertEqual(try error("start: 2027-01-04\r\nhorizon_weeks: 4\r\n\r\nhorizon_weeks: 5\r\n"),
                       ["plan.yaml:4: invalid YAML: duplicate keys horizon_weeks"])
        XCTAssertEqual(try error("start: 2027-01-04\rhorizon_weeks: 4\rhorizon_weeks: 5"),
                       ["plan.yaml:3: invalid YAML: duplicate keys horizon_weeks"])
        XCTAssertEqual(try error("start: 2027-01-04\u{2028}horizon_weeks: 4\u{85}horizon_weeks: 5\n").count, 1)
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
        XCTAssertEqual(try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type,max_lot\nA,buy,0.0000001\n"]).errors(),
                       ["items.csv:2: max_lot must be 0 (none) or at least 0.000001 (outputs have 6 decimals), got 0.0000001"])
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
                                            scenario("compare.csv", "d.yaml"), scenario("ok", "e.yaml"),
                                            scenario("Summary.JSON", "f.yaml"), scenario("OK", "g.yaml")]), [
            "b.yaml:1: scenario name \"late\" gives the same run folder as a.yaml",
            "c.yaml:1: scenario name \"base\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)",
            "d.yaml:1: scenario name \"compare.csv\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)",
            "f.yaml:1: scenario name \"Summary.JSON\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)",
            "g.yaml:1: scenario name \"OK\" gives the same run folder as e.yaml",
        ])
    }

    /// A phase's LP file and a scenario's run folder carry the name as the plan gives it
    /// (contract §3 `DIR/SCENARIO/`, §4 `lp/PHASE.lp`): only what would change where the
    /// file lands, or no file name may hold, is replaced.
    func testFileNamesKeepTheNameWhereTheFileSystemAllows() {
        XCTAssertEqual(FileNames.stem("Soft Launch"), "Soft Launch")
        XCTAssertEqual(FileNames.stem("café"), "café")
        XCTAssertEqual(FileNames.stem("Ramp-80%"), "Ramp-80%")
        XCTAssertEqual(FileNames.stem("a/b\\c"), "a_b_c")
        XCTAssertEqual(FileNames.stem("tab\there\u{7F}"), "tab_here_")
        XCTAssertEqual(FileNames.stem("next\u{85}line\u{2028}x\u{202E}rtl"), "next_line_x_rtl")
        XCTAssertEqual(FileNames.stem(".\u{301}hidden"), "phase.\u{301}hidden", "a leading dot byte, whatever follows it")
        XCTAssertEqual(FileNames.stem("../escape"), "phase.._escape")
        XCTAssertEqual(FileNames.stem(".."), "phase..")
        XCTAssertEqual(FileNames.stem(""), "phase")
        // Cut at a character's end: 150 two-byte letters keep 100 (200 bytes).
        let long = FileNames.stem(String(repeating: "é", count: 150))
        XCTAssertEqual(long, String(repeating: "é", count: 100))
        XCTAssertEqual(long.utf8.count, FileNames.maxBytes)
        XCTAssertEqual(WhatIf.folderNames(["base", "late pcb", "late/pcb", "late_pcb", "Late PCB"]),
                       ["base", "late pcb", "late_pcb_", "late_pcb", "Late PCB_"])
    }

    /// A `buy` item with BOM lines: planned as bought, its lines never exploded, and
    /// warned once at its first line (a likely slip in its `type`); a make parent is quiet.
    func testABuyItemWithBOMLinesIsWarnedOnce() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type\nKIT,buy\nASSY,make\nA,buy\nB,buy\n",
            "bom.csv": "parent,component,qty_per\nASSY,A,1\nKIT,A,2\nKIT,B,1\n",
            "demand.csv": "item,date,quantity\nKIT,2027-01-11,5\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].hasSuffix("bom.csv:3: warning: \"KIT\" is a buy item: MRP buys it whole, and its 2 BOM lines are never planned (`takt explode` still lists them)"), warnings[0])
        let orders = MRPEngine(model: model).run().orders
        XCTAssertEqual(orders.map { model.items.names[$0.item] }, ["KIT"], "A and B get no requirement from KIT")
    }

    /// Two lines of one parent and component in effect on a same day both apply (their
    /// quantities add up): warned at the later line; an engineering change whose windows
    /// meet without sharing a day, or the same component under another parent, is quiet.
    func testBOMLinesInEffectTogetherAreWarned() throws {
        var bom = "parent,component,qty_per,effective_from,effective_to\n"
        bom += "KIT,PART,2,,\n"                       // 2: open both ways
        bom += "KIT,PART,2,2020-01-01,\n"             // 3: from 2020 on, as line 2
        bom += "ECO,PART,2,,2027-01-17\n"             // 4: the old line of a change…
        bom += "ECO,PART,3,2027-01-18,\n"             // 5: …and the new one, from the next day: quiet
        bom += "LATE,PART,2,,2027-02-01\n"            // 6
        bom += "LATE,PART,3,2027-01-18,\n"            // 7: both from 2027-01-18 to 2027-02-01
        bom += "KIT,SUB,1,,\n"                        // 8: another component: quiet
        // A long list (sorted, not pairwise): 20 components, one of them twice.
        var long = "LONG,PART,1,2027-03-01,2027-03-31\n"   // 9
        for k in 0..<20 { long += "LONG,C\(k),1,,\n" }      // 10–29
        long += "LONG,PART,1,2027-01-01,2027-03-01\n"      // 30: shares 2027-03-01 with line 9
        var items = "item,type\nKIT,make\nECO,make\nLATE,make\nLONG,make\nPART,buy\nSUB,buy\n"
        for k in 0..<20 { items += "C\(k),buy\n" }
        let model = try TempModel(["plan.yaml": planYAML(weeks: 4), "items.csv": items, "bom.csv": bom + long]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 3, "\(warnings)")
        XCTAssertTrue(warnings[0].hasSuffix("bom.csv:3: warning: BOM line KIT -> PART is in effect with line 2 from 2020-01-01: both apply there and their quantities add up"), warnings[0])
        XCTAssertTrue(warnings[1].hasSuffix("bom.csv:7: warning: BOM line LATE -> PART is in effect with line 6 from 2027-01-18 to 2027-02-01: both apply there and their quantities add up"), warnings[1])
        XCTAssertTrue(warnings[2].hasSuffix("bom.csv:30: warning: BOM line LONG -> PART is in effect with line 9 from 2027-03-01 to 2027-03-01: both apply there and their quantities add up"), warnings[2])
        // And they do add up: a KIT needs 2 + 2 PART (and 1 SUB).
        let kit = try TempModel([
            "plan.yaml": planYAML(weeks: 4), "items.csv": "item,type\nKIT,make\nPART,buy\n",
            "bom.csv": "parent,component,qty_per,effective_from,effective_to\nKIT,PART,2,,\nKIT,PART,2,2020-01-01,\n",
            "demand.csv": "item,date,quantity\nKIT,2027-01-18,5\n",
        ]).load()
        let orders = MRPEngine(model: kit).run().orders.filter { kit.items.names[$0.item] == "PART" }
        XCTAssertEqual(orders.map(\.quantity), [20])
    }

    /// A parent's long list of lines (sorted by component, not pairwise) finds what its
    /// short list finds, with lines out of date order in the file: each line against the
    /// earlier lines of its component, the first that shares a day named.
    func testBOMOverlapsOfALongListAreThoseOfAShortOne() throws {
        // Lines 2 and 3 share February's days; line 4 (all year) shares days with both.
        let three = "P,X,1,2027-02-01,2027-02-28\nP,X,1,2027-02-05,2027-02-10\nP,X,1,2027-01-01,2027-12-31\n"
        var items = "item,type\nP,make\nX,buy\n"
        var filler = ""
        for k in 0..<16 {
            items += "F\(k),buy\n"
            filler += "P,F\(k),1,,\n"
        }
        let header = "parent,component,qty_per,effective_from,effective_to\n"
        for (bom, offset) in [(header + three, 0), (header + filler + three, 16)] {
            let model = try TempModel(["plan.yaml": planYAML(weeks: 4), "items.csv": items, "bom.csv": bom]).load()
            let found = model.bom.overlaps().map { [model.bom.sourceLine[$0.line] - offset, model.bom.sourceLine[$0.earlier] - offset] }
            XCTAssertEqual(found, [[3, 2], [4, 2]], "with \(offset) lines before")
        }
    }

    /// A supplier offer for an item that is not bought, a routing of a bought item, and an
    /// `escalation:` list without a level: each warned where it is written.
    func testOffersRoutingsAndEscalationLevelsThatDoNotCountAreWarned() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, extra: "escalation:\n  - {level: 1, owner: Ann, respond_within_days: 1}\n"
                                  + "  - {level: 2, owner: Bo, respond_within_days: 3}\n"),
            "items.csv": "item,type\nKIT,make\nPART,buy\nSUBK,make\n",
            // SUBK's offer gives its receipt from ACME its on-time rate (§2e): in use.
            "suppliers.csv": "supplier,item,unit_price,lead_time_days\nACME,PART,1,5\nACME,KIT,9,5\nACME,SUBK,9,5\n",
            "receipts.csv": "item,quantity,due_date,reference,supplier\nSUBK,5,2027-01-11,PO-1,ACME\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
            "routings.csv": "item,workcenter,run_hours\nKIT,W,1\nPART,W,0.5\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 3, "\(warnings)")
        XCTAssertTrue(warnings[0].hasSuffix("suppliers.csv:3: warning: ACME offers \"KIT\", a make item: MRP never buys it, and no open receipt of it comes from ACME: the offer is never used"), warnings[0])
        XCTAssertTrue(warnings[1].hasSuffix("routings.csv:3: warning: routing of \"PART\" at W: it is a buy item, bought whole, and its hours load no work center"), warnings[1])
        XCTAssertTrue(warnings[2].hasSuffix("plan.yaml:7: warning: escalation names no level 3: level-3 risks go to \"Bo\", to answer within 3 business days (the nearest level listed)"), warnings[2])
        XCTAssertEqual(model.plan.escalationLevel(3).owner, "Bo")
        // The defaults (no `escalation:`) name every level: quiet.
        let plain = try TempModel(["plan.yaml": planYAML(weeks: 4), "items.csv": "item,type\nA,buy\n"]).load()
        XCTAssertTrue(PlanWarnings.of(plain).isEmpty)
        // An empty list: said once, not as a nearest level.
        let none = try TempModel(["plan.yaml": planYAML(weeks: 4, extra: "escalation: []\n"), "items.csv": "item,type\nA,buy\n"]).load()
        XCTAssertEqual(PlanWarnings.of(none).map { String($0.description.split(separator: " warning: ")[1]) },
                       ["escalation lists no level: every risk has no owner and is due the day it is raised"])
        // Products with no phases: no master schedule, said at the first product.
        let unphased = try TempModel(["plan.yaml": planYAML(weeks: 4, products: "  - {item: A, full_rate_per_week: 10}\n"),
                                      "items.csv": "item,type\nA,make\n"]).load()
        XCTAssertEqual(PlanWarnings.of(unphased).map { String($0.description.split(separator: " warning: ")[1]) },
                       ["products are listed but no phases: there is no ramp and no capacity plan, and the products are netted against their demand rows like any item (as under mps: ramp)"])
        var ramp = unphased
        ramp.plan.mps = .ramp
        XCTAssertTrue(PlanWarnings.of(ramp).isEmpty, "under mps: ramp that is what was asked for")
        // A bought product's own routing counts in the capacity LP (§2b): quiet.
        let product = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: "  - {item: BP, full_rate_per_week: 10}\n", phases: "  - {name: Run, weeks: 2, capacity_pct: 100}\n"),
            "items.csv": "item,type\nBP,buy\n", "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
            "routings.csv": "item,workcenter,run_hours\nBP,W,1\n",
        ]).load()
        XCTAssertFalse(PlanWarnings.of(product).contains { $0.description.contains("routing") }, "\(PlanWarnings.of(product))")
    }

    /// Under `mps: capacity` a product that is not `make` gets no make order of its own:
    /// warned once per product at its plan.yaml line; a make product is quiet.
    func testAProductThatIsNotMakeIsWarned() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: "  - {item: M, full_rate_per_week: 10}\n  - {item: BUYP, full_rate_per_week: 10}\n"
                                    + "  - {item: PH, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 2, capacity_pct: 100}\n"),
            "items.csv": "item,type\nM,make\nBUYP,buy\nPH,phantom\nC,buy\n",
            "bom.csv": "parent,component,qty_per\nPH,C,1\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 2, "\(warnings)")
        XCTAssertTrue(warnings[0].hasSuffix("plan.yaml:8: warning: product \"BUYP\" is a buy item, not make: its master schedule is bought (buy orders), and the LP counts only its own hours"), warnings[0])
        XCTAssertTrue(warnings[1].hasSuffix("plan.yaml:9: warning: product \"PH\" is a phantom item, not make: it is netted as a phantom against its ramp and demand, whatever the capacity plan (mps.csv) says, and what remains passes to its components, with no order of its own"), warnings[1])
        var ramp = model
        ramp.plan.mps = .ramp
        XCTAssertTrue(PlanWarnings.of(ramp).isEmpty, "under mps: ramp every item is netted as its type says")
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
        let diagnostic = Diagnostic(SourceLocation(file: "items.csv", line: 2), .unknownName(.item, "\u{1B}[31mRED"))
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
        // The MRP notes the first overflowing order as it makes them: the one a pass over
        // the orders finds, however the levels are cut into runs.
        for size in [1, 64] {
            var engine = MRPEngine(model: model, mps: Planner.materialPlan(model).mps)
            engine.valueBlock = 1
            engine.runSize = size
            let mrp = engine.run(record: false)
            let scanned = mrp.orders.firstIndex { !$0.quantity.isFinite || !$0.receiptQuantity.isFinite }
            XCTAssertNotNil(scanned)
            XCTAssertEqual(mrp.firstOverflowingOrder, scanned, "runs of \(size)")
        }
        XCTAssertNil(Planner.materialPlan(try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\nA,buy\n",
                                                          "demand.csv": "item,date,quantity\nA,2027-01-04,5\n"]).load()).mrp.firstOverflowingOrder)
    }

    /// Names in report.md stay text: HTML and Markdown in them do nothing.
    func testReportTextIsInert() {
        XCTAssertEqual(StatusReport.inline("<script>alert(1)</script> *bold* [link](x) a_b"),
                       "&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[link\\](x) a_b")
        // A line break of any kind is one space; other characters pass as they are.
        XCTAssertEqual(StatusReport.inline("a\r\nb\nc\rd Überlänge `x` \\"), "a b c d Überlänge \\`x\\` \\\\")
        XCTAssertEqual(StatusReport.inline("Größe 10 mm"), "Größe 10 mm")
        XCTAssertEqual(StatusReportHTML.escape("\"R&D\" <Ü>"), "&quot;R&amp;D&quot; &lt;Ü&gt;")
        XCTAssertEqual(StatusReportHTML.escape("plain é"), "plain é")
    }

    /// explode: any depth without recursion, shared sub-trees listed once (linear in the
    /// BOM), yield in the extended quantity, and totals per component.
    /// Without `--date` every line is listed, and the NOTE column says when a line with an
    /// effectivity applies (a reversed one never does).
    func testTheExplosionNotesEachLinesEffectivity() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 1),
            "items.csv": "item,type\nP,make\nA,buy\nB,buy\nC,buy\nD,buy\nE,buy\n",
            "bom.csv": "parent,component,qty_per,effective_from,effective_to\nP,A,1,,\nP,B,1,2027-02-01,\nP,C,1,,2027-01-31\n"
                + "P,D,1,2027-01-11,2027-01-24\nP,E,1,2027-03-01,2027-02-01\n",
        ]).load()
        let text = Explosion.render(model, Explosion.explode(model, item: model.items.id("P")!, quantity: 1, on: nil))
        let notes = Dictionary(uniqueKeysWithValues: text.split(separator: "\n").dropFirst(2).map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return (String(fields[1]), fields.dropFirst(8).joined(separator: " "))
        })
        XCTAssertEqual(notes, ["A": "", "B": "from 2027-02-01", "C": "until 2027-01-31", "D": "2027-01-11 to 2027-01-24",
                               "E": "never in effect"], text)
    }

    func testExplosionIsLinearAndCountsYield() throws {
        // A 50,000-level chain.
        var items = "item,type\n", bom = "parent,component,qty_per\n"
        for level in 0..<50_000 { items += "C\(level),make\n" }
        for level in 1..<50_000 { bom += "C\(level - 1),C\(level),1\n" }
        let chain = try TempModel(["plan.yaml": planYAML(weeks: 1), "items.csv": items, "bom.csv": bom]).load()
        let deep = Explosion.explode(chain, item: 0, quantity: 1, on: nil)
        XCTAssertEqual(deep.lines.count, 50_000)
        XCTAssertEqual(deep.lines.last?.level, 49_999)
        XCTAssertEqual(Explosion.explode(chain, item: 0, quantity: 1, on: nil, maxLines: 10).truncated, 49_990)
        XCTAssertEqual(Explosion.explode(chain, item: 0, quantity: 1, on: nil, maxDepth: 3).lines.count, 4)
        // A lattice: two items per level, each using both of the next level: 2^40 paths,
        // but each sub-tree is listed once.
        items = "item,type\nTOP,make\n"
        bom = "parent,component,qty_per\nTOP,A0,1\nTOP,B0,1\n"
        for level in 0..<40 {
            items += "A\(level),make\nB\(level),make\n"
            if level < 39 {
                for parent in ["A", "B"] { for child in ["A", "B"] { bom += "\(parent)\(level),\(child)\(level + 1),1\n" } }
            }
        }
        let lattice = try TempModel(["plan.yaml": planYAML(weeks: 1), "items.csv": items, "bom.csv": bom]).load()
        let listing = Explosion.explode(lattice, item: lattice.items.id("TOP")!, quantity: 1, on: nil)
        XCTAssertEqual(listing.lines.count, 1 + 2 + 39 * 4)
        // Every A/B of levels 1–38 is met twice; the second time refers to the first.
        XCTAssertEqual(listing.lines.filter { $0.sameAs != nil }.count, 38 * 2)
        // Yield: 10 boards at 95 % need 10 / 0.95 of each component, as MRP does.
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 1),
            "items.csv": "item,type,yield_pct\nBOARD,make,95\nCHIP,buy,100\nSCREW,buy,100\nKIT,phantom,100\n",
            "bom.csv": "parent,component,qty_per,scrap_pct\nBOARD,CHIP,1,0\nBOARD,KIT,1,0\nKIT,SCREW,2,5\nBOARD,SCREW,1,0\n",
        ]).load()
        let board = Explosion.explode(model, item: 0, quantity: 10, on: nil).lines
        assertClose(board.first { $0.item == model.items.id("CHIP") }!.extended, 10 / 0.95)
        let totals = Explosion.summary(model, item: 0, quantity: 10, on: nil)
        assertClose(totals.first { model.items.names[$0.item] == "SCREW" }!.total, 10 / 0.95 * (2 * 1.05 + 1))
    }

    /// --write-lp: phases and products whose names map to the same LP name get distinct
    /// files and variables, index.csv maps them back, and each file solves again.
    func testLPNamesAreUniqueAndIndexed() throws {
        // A name that is a file name as written keeps it, whichever phase comes first.
        XCTAssertEqual(LPFiles.fileNames(["Ramp/I", "Ramp_I", "Ramp I", "ramp i"]), ["Ramp_I-2.lp", "Ramp_I.lp", "Ramp I.lp", "ramp i-2.lp"])
        XCTAssertEqual(LPFiles.fileNames(["Ramp_I", "Ramp/I"]), ["Ramp_I.lp", "Ramp_I-2.lp"])
        XCTAssertEqual(CapacityPlanner.uniqueIdentifiers(["P_1", "P-1", "P_1_2"]), ["P_1", "P_1_3", "P_1_2"])
        let folder = scratchPath("takt-lp-names")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: "  - {item: P-1, full_rate_per_week: 10}\n  - {item: P_1, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Ramp/I, weeks: 1, capacity_pct: 100}\n  - {name: Ramp I, weeks: 1, capacity_pct: 100}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP-1,make,W,1\nP_1,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,3\n",
        ]).load()
        let phases = try writingLPs(CapacityPlanner(model: model).run(keepLP: true), of: model, to: folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["Ramp I.lp", "Ramp_I.lp", "index.csv"])
        for (file, phase) in zip(["Ramp_I.lp", "Ramp I.lp"], phases) {
            let reread = try XCTUnwrap(GLPKProblem.solveLPFile(folder + "/" + file))
            XCTAssertEqual(reread.status, .optimal, file)
            assertClose(reread.objective, phase.objective)
        }
        let index = try String(contentsOfFile: folder + "/index.csv", encoding: .utf8)
        XCTAssertTrue(index.contains("phase,Ramp I,Ramp I.lp\nproduct,P-1,P_1\nproduct,P_1,P_1_2\n"), index)
    }

    /// Names equal in Unicode normalization form C are one item (stock and demand land on
    /// the same CAFÉ); names that differ only in case are two items, with a warning.
    func testNormalizedNamesAreOneItemAndCaseOnlyDifferencesAreWarned() throws {
        let nfc = "CAF\u{00C9}", nfd = "CAFE\u{0301}"
        XCTAssertNotEqual(Array(nfc.utf8), Array(nfd.utf8))
        XCTAssertEqual(try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\n\(nfc),buy\n\(nfd),buy\n"]).errors(),
                       ["items.csv:3: duplicate item \"\(nfd)\" (first on line 2)"])
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\n\(nfc),buy\nBolt,buy\nBOLT,buy\n",
            "inventory.csv": "item,on_hand\n\(nfd),5\n",
            "demand.csv": "item,date,quantity\n\(nfc),2027-01-04,5\n",
        ]).load()
        XCTAssertEqual(model.items.count, 3)
        XCTAssertEqual(model.items.onHand[0], 5, "the NFD spelling found the NFC item")
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasSuffix("items.csv:4: warning: item \"BOLT\" differs from \"Bolt\" (line 3) only in case: they are two items"), warnings[0])
        XCTAssertTrue(MRPEngine(model: model).run().orders.isEmpty, "stock covers the demand")
        // Among many names, every case-only repeat names the first spelling; others are quiet.
        let many = (0..<3_000).map { "P-\($0)" }
        let spelled = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\n" + (many + ["p-7", "P-2999x", "p-2999", "P-7a"])
                .map { "\($0),buy\n" }.joined(),
        ]).load()
        XCTAssertEqual(PlanWarnings.of(spelled).map(\.description).map { String($0.split(separator: "/").last!) }, [
            "items.csv:3002: warning: item \"p-7\" differs from \"P-7\" (line 9) only in case: they are two items",
            "items.csv:3004: warning: item \"p-2999\" differs from \"P-2999\" (line 3001) only in case: they are two items",
        ])
    }

    /// A KPI's owner is one name: a list or a mapping is refused with its line (it was
    /// accepted and dropped).
    func testAKPIOwnerIsOneName() throws {
        let yaml = planYAML(weeks: 2, extra: "kpis:\n  on_time_delivery_pct: {target: 95, owner: [Ops, Sales]}\n")
        let errors = try TempModel(["plan.yaml": yaml, "items.csv": "item,type\nP,buy\n"]).errors()
        XCTAssertEqual(errors.count, 1, "\(errors)")
        XCTAssertTrue(errors.first?.hasSuffix("owner in on_time_delivery_pct must be one name, not a list or a mapping") ?? false, "\(errors)")
        XCTAssertTrue(errors.first?.hasPrefix("plan.yaml:") ?? false, "\(errors)")
        let good = planYAML(weeks: 2, extra: "kpis:\n  on_time_delivery_pct: {target: 95, owner: Ops}\n")
        XCTAssertEqual(try TempModel(["plan.yaml": good, "items.csv": "item,type\nP,buy\n"]).load().plan.kpis.onTimeDeliveryPct?.owner, "Ops")
    }

    /// A week-bucket start that is not a Monday is planned as given and said as a warning
    /// with its line; more than 24 hours a day at a work center (all its lines) is not.
    func testANonMondayStartIsWarned() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2).replacingOccurrences(of: "start: 2027-01-04", with: "start: 2027-01-06"),
            "items.csv": "item,type\nP,buy\n",
            "workcenters.csv": "workcenter,hours_per_day\nW1,8\nW2,30\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings) (30 hours a day at W2 is a center of several lines: no warning)")
        XCTAssertTrue(warnings[0].hasSuffix("plan.yaml:1: warning: start 2027-01-06 is a Wednesday, not a Monday: each week bucket runs Wednesday to Tuesday"), warnings[0])
        let monday = try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\nP,buy\n"]).load()
        XCTAssertTrue(PlanWarnings.of(monday).isEmpty)
        // Day buckets: a weekend start is the next Monday (§2: a weekend date falls in the
        // next Monday's bucket, and bucket 0 begins at the start), for the buckets, the
        // capacity plan's weeks and the gates' dates alike.
        func dayModel(_ start: String, phases: String = "") throws -> PlanningModel {
            try TempModel(["plan.yaml": planYAML(weeks: 2, bucket: "day", products: phases.isEmpty ? "" : "  - {item: M, full_rate_per_week: 10}\n",
                                                 phases: phases).replacingOccurrences(of: "start: 2027-01-04", with: "start: \(start)"),
                           "items.csv": "item,type,workcenter,run_hours\nP,buy,,0\nM,make,W,1\nN,make,W,1\n",
                           "demand.csv": "item,date,quantity\nN,2027-01-13,20\n",
                           "workcenters.csv": "workcenter,hours_per_day\nW,1\n"]).load()
        }
        let saturday = PlanWarnings.of(try dayModel("2027-01-02")).map(\.description)
        XCTAssertEqual(saturday.count, 1, "\(saturday)")
        XCTAssertTrue(saturday.first?.hasSuffix("plan.yaml:1: warning: start 2027-01-02 is a Saturday: with day buckets the plan starts on Monday 2027-01-04, "
                                                + "its first working day (its buckets, the capacity plan's weeks and the gates' dates count from there)") ?? false, "\(saturday)")
        XCTAssertTrue(PlanWarnings.of(try dayModel("2027-01-03")).first?.description.contains("start 2027-01-03 is a Sunday: with day buckets the plan starts on Monday 2027-01-04") ?? false)
        XCTAssertTrue(PlanWarnings.of(try dayModel("2027-01-06")).isEmpty, "a weekday start of day buckets is no slip")
        // The gate's date is the first bucket after the phase, a Monday; the capacity weeks
        // and the overload rows (exceptions.csv dates are bucket starts) start on Mondays too.
        let gated = try dayModel("2027-01-02", phases: "  - {name: Run, weeks: 2, capacity_pct: 100, gate: G}\n")
        XCTAssertEqual(gated.plan.start, Day(iso: "2027-01-04"))
        XCTAssertEqual(gated.plan.writtenStart, Day(iso: "2027-01-02"))
        let (result, files) = try Planner.plan(gated, writeLP: false)
        XCTAssertEqual(result.gates.map(\.date), [Day(iso: "2027-01-18")!])
        let rows = String(decoding: files["capacity.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst()
        XCTAssertEqual(Set(rows.map { $0.split(separator: ",")[1] }), ["2027-01-04", "2027-01-11"])
        let overloads = result.mrp.exceptions.filter { $0.kind == .overload }
        XCTAssertFalse(overloads.isEmpty, "N's 20 hours beside M's 5 on 5 hours a week")
        XCTAssertTrue(overloads.allSatisfy { $0.date.weekday == 1 }, "\(overloads.map(\.date))")
    }

    /// A gates.csv row naming a gate no phase has is planned (it counts toward no gate) and
    /// said as a warning with its line, naming the phases' gates; a row of a known gate is not.
    func testAGateCriterionOfNoPhasesGateIsWarned() throws {
        let yaml = planYAML(weeks: 2, phases: "  - name: Pilot\n    weeks: 2\n    capacity_pct: 100\n    gate: G1\n")
        let model = try TempModel([
            "plan.yaml": yaml,
            "items.csv": "item,type\nP,buy\n",
            "gates.csv": "gate,criterion,done\nG1,Tooling signed off,false\nGate 9,Safety audit,false\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasSuffix("gates.csv:3: warning: gate \"Gate 9\" is no phase's gate in plan.yaml (\"G1\"): "
                                                + "criterion \"Safety audit\" counts toward no gate") ?? false, "\(warnings)")
    }

    /// A decisions.csv row naming a gate no phase has is kept as written and warned on its
    /// line; a row of a known gate, or with no gate, is not.
    func testADecisionOfNoPhasesGateIsWarned() throws {
        let yaml = planYAML(weeks: 2, phases: "  - name: Pilot\n    weeks: 2\n    capacity_pct: 100\n    gate: G1\n")
        let model = try TempModel([
            "plan.yaml": yaml,
            "items.csv": "item,type\nP,buy\n",
            "decisions.csv": "date,decision,owner,gate\n2027-01-05,Add a shift,Ops,G1\n2027-01-06,Second source,Buyer,\n"
                + "2027-01-07,Freeze design,Eng,Gate 2\n",
        ]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasSuffix("decisions.csv:4: warning: gate \"Gate 2\" is no phase's gate in plan.yaml (\"G1\"): "
                                                + "decision \"Freeze design\" is shown with a gate the plan does not have") ?? false, "\(warnings)")
        XCTAssertEqual(model.decisions.map(\.gate), ["G1", "", "Gate 2"])
    }

    /// A gate two phases name is decided at each phase's end: warned on the second phase's line.
    func testAGateTwoPhasesNameIsWarned() throws {
        let yaml = planYAML(weeks: 4, phases: "  - name: Pilot\n    weeks: 2\n    capacity_pct: 10\n    gate: G1\n"
                                           + "  - name: Ramp\n    weeks: 2\n    capacity_pct: 100\n    gate: G1\n")
        let model = try TempModel(["plan.yaml": yaml, "items.csv": "item,type\nP,buy\n"]).load()
        let warnings = PlanWarnings.of(model).map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("name: Ramp") }! + 1
        XCTAssertTrue(warnings.first?.hasSuffix("plan.yaml:\(line): warning: phase \"Ramp\" names gate \"G1\" as phase \"Pilot\" does: "
                                                + "gates.json decides it at each phase's end, on the same criteria") ?? false, "\(warnings)")
        XCTAssertEqual(Planner.run(model).gates.map(\.phaseName), ["Pilot", "Ramp"], "decided at each phase's end")
        // Phases a scenario gives are warned at the scenario's line.
        let base = try TempModel(["plan.yaml": planYAML(weeks: 4), "items.csv": "item,type\nP,buy\n"]).load()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dup-gate-\(UUID().uuidString).yaml").path
        try "plan:\n  phases:\n    - {name: A, weeks: 2, capacity_pct: 10, gate: G}\n    - {name: B, weeks: 2, capacity_pct: 50, gate: G}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let scenarioWarnings = PlanWarnings.of(try Scenario.load(path: path, model: base).apply(to: base)).map(\.description)
        XCTAssertEqual(scenarioWarnings.count, 1, "\(scenarioWarnings)")
        XCTAssertTrue(scenarioWarnings.first?.hasPrefix("\(path):4: warning: phase \"B\" names gate \"G\" as phase \"A\" does") ?? false, "\(scenarioWarnings)")
    }

    /// The root and the home folder are refused as `--out`, `--force` or not (the run
    /// replaces the output folder, with everything beneath it); so is any folder holding
    /// the model, the root included.
    func testTheRootAndTheHomeFolderAreNeverAnOutputFolder() throws {
        let model = try TempModel(["plan.yaml": planYAML(weeks: 2), "items.csv": "item,type\nA,buy\n"])
        for target in ["/", "/./", "/tmp/..", NSHomeDirectory(), ProcessInfo.processInfo.environment["HOME"] ?? "/"] {
            XCTAssertThrowsError(try OutputFolder.check(target: target, modelFolders: [model.folder], force: true), target) { error in
                XCTAssertTrue("\(error)".contains("refusing to write output over the"), "\(error)")
            }
        }
        XCTAssertTrue(OutputFolder.isInside("/tmp/m", "/"))
        XCTAssertFalse(OutputFolder.isInside("/", "/"))
        XCTAssertFalse(OutputFolder.isInside("/tmp/model2", "/tmp/model"))
    }

    /// A lead time of 1e12 days is refused by check (at most 36,500); the longest allowed
    /// plans without trapping: the order is past due by 7,299 weeks (36,500 working days), and
    /// cannot arrive within the horizon.
    func testAHugeLeadTimePlansWithoutTrapping() throws {
        let refused = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days\nX,buy,1000000000000\n",
        ]).errors()
        XCTAssertEqual(refused, ["items.csv:2: lead_time_days must be from 0 to 36500 days, got 1000000000000"])
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days\nX,buy,36500\n",
            "demand.csv": "item,date,quantity\nX,2027-01-11,5\n",
        ]).load()
        let result = Planner.run(model)
        XCTAssertEqual(result.mrp.orders.count, 1)
        XCTAssertTrue(result.mrp.orders[0].pastDue)
        XCTAssertNil(result.projection.deliveries[0].availableBucket, "it cannot arrive within the horizon")
        XCTAssertTrue(result.mrp.exceptions[0].message.contains("should have been released 7299 weeks before"), result.mrp.exceptions[0].message)
    }
}
