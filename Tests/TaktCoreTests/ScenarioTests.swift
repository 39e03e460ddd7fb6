import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §3 scenarios: each key changes exactly what it should.
final class ScenarioTests: XCTestCase {
    var model: PlanningModel!

    override func setUpWithError() throws {
        model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 100}\n",
                                  phases: "  - {name: Run, weeks: 4, capacity_pct: 100, gate: G}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,5,W,1\nC,buy,10,,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
            "suppliers.csv": "supplier,item,lead_time_days,unit_price\nS,C,10,2\nT,C,20,3\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
            "demand.csv": "item,date,quantity\nC,2027-01-11,10\n",
            "inventory.csv": "item,on_hand\nC,50\n",
        ]).load()
    }

    func scenario(_ yaml: String) throws -> Scenario {
        let path = scratchPath("takt-scenario") + ".yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try Scenario.load(path: path, model: model)
    }

    /// A scenario's problems as `LINE: message`.
    func errors(_ yaml: String) -> [String] {
        do {
            _ = try scenario(yaml)
            return []
        } catch let error as InputError {
            return error.diagnostics.map { "\($0.location.line): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    /// A scenario's problems as (line, case).
    func problems(_ yaml: String) -> [Problem] {
        do {
            _ = try scenario(yaml)
            return []
        } catch let error as InputError {
            return error.diagnostics.map { Problem("s", $0.location.line, $0.problem, column: $0.column) }
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testNameDefaultsToTheFileName() throws {
        XCTAssertTrue(try scenario("demand_scale: 1\n").name.hasPrefix("takt-scenario-"))
        XCTAssertEqual(try scenario("name: late\n").name, "late")
    }

    func testPlanReplacesPhasesProductsAndCosts() throws {
        let changed = try scenario("plan: {phases: [{name: Short, weeks: 2, capacity_pct: 50}], products: [{item: P, full_rate_per_week: 7}], costs: {backlog_per_unit_week: 9}}\n").apply(to: model)
        XCTAssertEqual(changed.plan.phases.map(\.name), ["Short"])
        XCTAssertEqual(changed.plan.products.map(\.fullRatePerWeek), [7])
        XCTAssertEqual(changed.plan.costs.backlogPerUnitWeek, 9)
        XCTAssertEqual(changed.plan.costs.holdingPerUnitWeek, model.plan.costs.holdingPerUnitWeek)
        XCTAssertEqual(changed.items.names, model.items.names)
    }

    /// §3: `plan: {costs: …}` replaces plan.yaml's `costs` as a whole: a cost the scenario
    /// does not name goes back to its default, even where plan.yaml set it.
    func testScenarioCostsReplacePlanCostsAsAWhole() throws {
        var base = model!
        base.plan.costs.holdingPerUnitWeek = 3
        base.plan.costs.overheadPct = 15
        let path = scratchPath("takt-scenario") + ".yaml"
        try "plan: {costs: {backlog_per_unit_week: 9}}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try Scenario.load(path: path, model: base).apply(to: base)
        XCTAssertEqual(changed.plan.costs.backlogPerUnitWeek, 9)
        XCTAssertEqual(changed.plan.costs.holdingPerUnitWeek, PlanCosts().holdingPerUnitWeek)
        XCTAssertEqual(changed.plan.costs.overheadPct, 0)
        XCTAssertEqual(changed.plan.costs.holdingRatePerYear, PlanCosts().holdingRatePerYear)
        // No `costs` key: plan.yaml's stay.
        try "demand_scale: 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Scenario.load(path: path, model: base).apply(to: base).plan.costs, base.plan.costs)
    }

    /// `reschedule_in_weeks` sets the rescheduling check's window for the run (§2, §3).
    func testRescheduleWindowKey() throws {
        XCTAssertEqual(model.plan.rescheduleInWeeks, 0)
        XCTAssertEqual(try scenario("reschedule_in_weeks: 3\n").apply(to: model).plan.rescheduleInWeeks, 3)
    }

    func testLeadTimeChangesTheItemAndItsOffers() throws {
        let changed = try scenario("lead_time_days: {C: 35}\n").apply(to: model)
        let c = model.items.id("C")!
        XCTAssertEqual(changed.items.leadTimeDays[c], 35)
        XCTAssertEqual(changed.offers.map(\.leadTimeDays), [35, 35])
        XCTAssertEqual(model.offers.map(\.leadTimeDays), [10, 20], "the base model is untouched")
    }

    func testSupplierLeadTimeChangesOneOffer() throws {
        let changed = try scenario("supplier_lead_time_days: {\"T/C\": 1}\n").apply(to: model)
        XCTAssertEqual(changed.offers.map(\.leadTimeDays), [10, 1])
    }

    /// `SUPPLIER/ITEM` where either name holds a `/`: "A/B/C" is supplier "A/B"'s item "C" and
    /// supplier "A"'s item "B/C"; the first of those offers in suppliers.csv is meant.
    func testAnOfferWhoseNamesHoldASlashIsFound() throws {
        let slashed = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nC,buy\nB/C,buy\n",
            "suppliers.csv": "supplier,item,lead_time_days\nZ,C,3\nA,B/C,4\nA/B,C,5\nA,C,6\n",
        ]).load()
        XCTAssertEqual(Scenario.offer(named: "A/B/C", slashed), 1)
        XCTAssertEqual(Scenario.offer(named: "A/B", slashed), nil)
        XCTAssertEqual(Scenario.offer(named: "A/C", slashed), 3)
        XCTAssertEqual(Scenario.offer(named: "Z/C", slashed), 0)
        XCTAssertNil(Scenario.offer(named: "Z/B/C", slashed))
    }

    func testOnHandDemandScaleRateScaleAndHours() throws {
        let changed = try scenario("on_hand: {C: 0}\ndemand_scale: 1.5\nrate_scale: {P: 0.8}\nworkcenter_hours_per_day: {W: 20}\n").apply(to: model)
        let c = model.items.id("C")!
        XCTAssertEqual(changed.items.onHand[c], 0)
        XCTAssertEqual(changed.demand.map(\.quantity), [15])
        XCTAssertEqual(changed.plan.products[0].fullRatePerWeek, 80)
        XCTAssertEqual(changed.workcenters[0].hoursPerDay, 20)
        // And the plan sees it: P's ramp is 80 a week now.
        let mrp = MRPEngine(model: changed).run()
        assertClose(mrp.row(mrp.gross, "P", changed), [80, 80, 80, 80])
    }

    /// `receipts` moves open receipts by reference (every line of it) N weeks later or to a
    /// date; `supplier_slip_weeks` moves every open receipt of a supplier, first.
    func testReceiptsAndSupplierSlipsMoveOpenOrders() throws {
        let files = [
            "plan.yaml": planYAML(weeks: 8),
            "items.csv": "item,type,lead_time_days\nC,buy,10\nD,buy,10\n",
            "suppliers.csv": "supplier,item,lead_time_days,unit_price\nS,C,10,2\nT,D,10,3\n",
            "receipts.csv": "item,quantity,due_date,reference,supplier\nC,5,2027-01-11,PO-1,S\nD,6,2027-01-11,PO-1,T\nC,7,2027-01-18,PO-2,S\nD,8,2027-01-25,PO-3,T\n",
        ]
        let base = try TempModel(files).load()
        let saved = model
        model = base
        defer { model = saved }
        let moved = try scenario("receipts: {PO-1: {slip_weeks: 2}, PO-3: {due_date: 2027-02-08}}\n").apply(to: base)
        XCTAssertEqual(moved.receipts.map(\.dueDate.description), ["2027-01-25", "2027-01-25", "2027-01-18", "2027-02-08"])
        let slipped = try scenario("supplier_slip_weeks: {S: 3}\nreceipts: {PO-2: {due_date: 2027-01-04}}\n").apply(to: base)
        XCTAssertEqual(slipped.receipts.map(\.dueDate.description), ["2027-02-01", "2027-01-11", "2027-01-04", "2027-01-25"],
                       "S's receipts 3 weeks later, then PO-2's own date wins")
        XCTAssertEqual(base.receipts.map(\.dueDate.description), ["2027-01-11", "2027-01-11", "2027-01-18", "2027-01-25"], "the base is unchanged")
        XCTAssertEqual(problems("receipts: {PO-9: {slip_weeks: 1}}\n"), [Problem("s", 1, .unknownReceipt(reference: "PO-9", nearest: "PO-1"), column: "receipts")])
        XCTAssertEqual(problems("receipts: {PO-1: {slip_weeks: -1}}\n"),
                       [Problem("s", 1, .belowMinimum(field: "slip_weeks of PO-1", minimum: 0, text: "-1"), column: "slip_weeks")])
        XCTAssertEqual(problems("receipts: {PO-1: {late: 2}}\n"), [Problem("s", 1, .receiptChangeShape(reference: "PO-1"), column: "receipts")])
        XCTAssertEqual(problems("receipts: {PO-1: {due_date: soon}}\n"), [Problem("s", 1, .notADate(field: "due_date of PO-1", text: "soon"), column: "due_date")])
        XCTAssertEqual(problems("supplier_slip_weeks: {Q: 2}\n"), [Problem("s", 1, .unknownScenarioSupplier("Q", nearest: "S"), column: "supplier_slip_weeks")])
    }

    func testBadScenariosReportFileAndLine() throws {
        XCTAssertEqual(problems("lead_time_days:\n  NOPE: 3\n"), [Problem("s", 2, .unknownName(.item, "NOPE"), column: "lead_time_days")])
        XCTAssertEqual(problems("supplier_lead_time_days: {\"X/C\": 3}\n"), [Problem("s", 1, .unknownSupplierItem("X/C"), column: "supplier_lead_time_days")])
        XCTAssertEqual(problems("workcenter_hours_per_day: {PAINT: 3}\n"), [Problem("s", 1, .unknownName(.workcenter, "PAINT"), column: "workcenter_hours_per_day")])
        XCTAssertEqual(problems("demand_scale: -1\n"), [Problem("s", 1, .outOfRange(field: "demand_scale", rule: .nonNegative, text: "-1"), column: "demand_scale")])
        XCTAssertEqual(problems("rate_scale: {C: 2}\n"), [Problem("s", 1, .rateScaleNotAProduct("C"), column: "rate_scale")])
        XCTAssertEqual(problems("colour: red\n"), [Problem("s", 1, .unknownScenarioKey("colour", nearest: nil), column: "colour")])
        // §2a: under mps: capacity a product may not also be a component.
        XCTAssertEqual(problems("plan:\n  products:\n    - {item: C, full_rate_per_week: 7}\n"),
                       [Problem("s", 3, .scenarioProductIsComponent(product: "C", parent: "P", bomLine: 2))])
        XCTAssertEqual(problems("reschedule_in_weeks: -1\n"), [Problem("s", 1, .belowMinimum(field: "reschedule_in_weeks", minimum: 0, text: "-1"), column: "reschedule_in_weeks")])
        XCTAssertEqual(problems("plan: {phases: [{name: X, weeks: 0, capacity_pct: 5}]}\n"),
                       [Problem("s", 1, .belowMinimum(field: "phase \"X\": weeks", minimum: 1, text: "0"), column: "weeks")])
        // The wording of one, as the CLI prints it (every case's wording: InputProblemWordingTests).
        XCTAssertEqual(errors("lead_time_days:\n  NOPE: 3\n"), ["2: unknown item \"NOPE\""])
    }

    func testWhatIfRunsMatchSingleRunsWhateverTheThreading() throws {
        let scenarios = [try scenario("name: a\nrate_scale: {P: 0.5}\n"), try scenario("name: b\non_hand: {C: 0}\n")]
        let folder = scratchPath("takt-whatif")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runs = try WhatIf.run(base: model, scenarios: scenarios, writeLP: false, into: folder)
        XCTAssertEqual(runs.map(\.name), ["base", "a", "b"])
        XCTAssertEqual(runs.map(\.folder), ["base", "a", "b"])
        for (run, changed) in zip(runs, [model!] + scenarios.map { $0.apply(to: model) }) {
            let single = try Planner.plan(changed, writeLP: false).1
            for name in ["planned_orders.csv", "capacity.csv", "risks.csv", "pegging.csv"] {
                let written = FileManager.default.contents(atPath: folder + "/" + run.folder + "/" + name)
                XCTAssertEqual(written.map { [UInt8]($0) }, single[name], "\(run.name) \(name)")
            }
        }
        let csv = String(decoding: WhatIf.compareCSV(runs), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(csv.count, 4)
        XCTAssertTrue(csv[2].hasPrefix("a,"))
    }

    /// A scenario is Takt's own format: a key it does not read inside its `plan:` part is an
    /// error there, as at its top level (plan.yaml reads one past, with a warning).
    func testAnUnknownKeyInAScenariosPlanIsAnError() throws {
        XCTAssertEqual(errors("plan:\n  products:\n    - {item: P, full_rate_per_week: 50, note: halved}\n"),
                       ["3: unknown key \"note\" in a product"])
    }
}
