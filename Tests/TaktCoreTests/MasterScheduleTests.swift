import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2a, §2b, §4 `mps.csv`: the capacity LP's master schedule drives MRP.
final class MasterScheduleTests: XCTestCase {
    /// `fixtures/mps-prebuild`: P ramps 50 → 100 over six weeks on ASSY's 80 a week, so the
    /// LP pre-builds (RECORD.md there works it by hand).
    func files(mps: String = "capacity", receipts: String? = nil, demand: String? = nil) -> [String: String] {
        var files = [
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 100}\n",
                                  phases: "  - {name: Ramp, weeks: 6, capacity_pct: [50, 100], gate: G}\n",
                                  extra: "mps: \(mps)\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,0,ASSY,0.5\nC,buy,5,,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,2\n",
            "inventory.csv": "item,on_hand\nC,100\n",
            "workcenters.csv": "workcenter,hours_per_day\nASSY,8\n",
        ]
        if let receipts { files["receipts.csv"] = receipts }
        if let demand { files["demand.csv"] = demand }
        return files
    }

    func testTheMasterScheduleIsTheLPsCompletionsAndMRPExplodesIt() throws {
        let model = try TempModel(files()).load()
        let result = Planner.run(model)
        assertClose(result.mps.planned[0], [50, 80, 80, 80, 80, 80, 0, 0])
        XCTAssertEqual(result.mps.rows.map(\.inventory), [0, 20, 30, 30, 20, 0])
        assertClose(result.capacity[0].objective, 100)
        // P: one order per week of x, not netted against its ramp.
        let p = result.mrp.orders(of: "P", in: model)
        assertClose(p.map(\.quantity), [50, 80, 80, 80, 80, 80])
        XCTAssertEqual(p.map(\.dueBucket), [0, 1, 2, 3, 4, 5])
        // C follows P's releases: 100 on hand covers week 0, then 160 a week.
        let c = result.mrp.orders(of: "C", in: model)
        assertClose(c.map(\.quantity), [160, 160, 160, 160, 160])
        XCTAssertEqual(c.map(\.releaseBucket), [0, 1, 2, 3, 4])
        let csv = String(decoding: MaterialTables.masterSchedule(model: model, mps: result.mps), as: UTF8.self)
        XCTAssertEqual(csv.split(separator: "\n").prefix(3), [
            "product,week,phase,target,demand,receipts,planned,inventory,backlog",
            "P,2027-01-04,Ramp,50,0,0,50,0,0",
            "P,2027-01-11,Ramp,60,0,0,80,20,0",
        ])
        // The MRP's load check agrees with the LP: no overload.
        XCTAssertFalse(result.mrp.exceptions.contains { $0.kind == .overload })
        assertClose(result.capacity[0].capacity.map(\.mrpLoadHours), [25, 40, 40, 40, 40, 40])
    }

    func testRampModeNetsTheProductAgainstItsTarget() throws {
        let model = try TempModel(files(mps: "ramp")).load()
        let result = Planner.run(model)
        assertClose(result.mrp.orders(of: "P", in: model).map(\.quantity), [50, 60, 70, 80, 90, 100])
        // …which ASSY cannot build in weeks 5 and 6 (45 h, 50 h of 40): overloads.
        let overloads = result.mrp.exceptions.filter { $0.kind == .overload }
        XCTAssertEqual(overloads.map(\.date), [Day(iso: "2027-02-01"), Day(iso: "2027-02-08")])
        assertClose(overloads.map(\.quantity), [5, 10])
        // No overtime allowed at ASSY: beyond it, and the report says so a week ahead. (The
        // drone's SMT overloads, all within its 16 h, are in its golden report.)
        XCTAssertTrue(overloads[0].message.hasSuffix("; 5 h beyond the 0 h of overtime allowed: move or split orders"), overloads[0].message)
        let report = StatusReport(result, previous: nil).markdown()
        XCTAssertTrue(report.contains("up to 10 h over; 2 of them beyond the 0 h of overtime allowed: move or split orders"), report)
        XCTAssertTrue(report.contains("— owner: Program Manager, by 2027-01-25"), "a week to act before 2027-02-01: \(report)")
    }

    /// §2b: a product's open receipt counts in the LP balance; §2a: it gets no action message.
    func testProductReceiptsCountInTheLPAndGetNoAdvice() throws {
        let model = try TempModel(files(receipts: "item,quantity,due_date,reference\nP,10,2027-02-01,WO-1\n")).load()
        let result = Planner.run(model)
        // Week 5 receives 10: only 20 must be pre-built (10 in week 3, 10 in week 2).
        assertClose(result.mps.planned[0], [50, 70, 80, 80, 80, 80, 0, 0])
        assertClose(result.capacity[0].objective, 70)
        XCTAssertEqual(result.mps.rows.map(\.receipts), [0, 0, 0, 0, 10, 0])
        XCTAssertTrue(result.mrp.exceptions.filter { $0.item == model.items.id("P") }.isEmpty)
    }

    /// A product's demand after the last phase is not planned under `mps: capacity`; a warning
    /// says how many units.
    func testDemandAfterTheLastPhaseIsWarnedAbout() throws {
        let model = try TempModel(files(demand: "item,date,quantity\nP,2027-02-15,12\n")).load()
        let result = Planner.run(model)
        XCTAssertEqual(result.mrp.orders(of: "P", in: model).count, 6)
        XCTAssertTrue(result.warnings.contains { $0.description.contains("P: 12 units of ramp and demand after the last phase are not planned") },
                      "\(result.warnings)")
    }

    func testAProductMayNotBeAComponentUnderTheCapacityMPS() throws {
        var files = files()
        files["items.csv"]! += "KIT,make,0,,0\n"
        files["bom.csv"]! += "KIT,P,1\n"
        XCTAssertEqual(try TempModel(files).errors(), [
            "bom.csv:3: product P is a component of KIT: under mps: capacity a product is planned by the master schedule and cannot also be a component (use mps: ramp)",
        ])
        files["plan.yaml"] = files["plan.yaml"]!.replacingOccurrences(of: "mps: capacity", with: "mps: ramp")
        XCTAssertEqual(try TempModel(files).errors(), [])
    }

    /// A past-due MPS order is short by its whole receipt `x`.
    func testAPastDueMasterScheduleOrderIsShortByX() throws {
        var files = files()
        files["items.csv"] = "item,type,lead_time_days,workcenter,run_hours\nP,make,5,ASSY,0.5\nC,buy,5,,0\n"
        let model = try TempModel(files).load()
        let result = Planner.run(model)
        let pastDue = result.mrp.exceptions.filter { $0.kind == .pastDue && $0.item == model.items.id("P") }
        XCTAssertEqual(pastDue.count, 1)
        assertClose(pastDue[0].shortQuantity, 50)
        XCTAssertTrue(result.risks.contains { $0.id == "shortage:P:2027-01-04" && $0.level == 3 }, "\(result.risks.map(\.id))")
    }

    /// §4 `overload`: service demand on a make item loads its work center beyond what the
    /// master schedule planned.
    func testServiceDemandOnAMakeItemIsAnOverload() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 60}\n",
                                  phases: "  - {name: Run, weeks: 4, capacity_pct: 100}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours,setup_hours\nP,make,0,ASSY,0.5,0\nS,make,0,ASSY,1,2\n",
            "workcenters.csv": "workcenter,hours_per_day\nASSY,8\n",
            "demand.csv": "item,date,quantity,reference\nS,2027-01-11,20,SERVICE-1\n",
        ]).load()
        let result = Planner.run(model)
        // Week 1: P's 60 × 0.5 = 30 h, plus S: setup 2 + 20 × 1 = 52 h against 40 h (> 42).
        assertClose(result.capacity[0].capacity.map(\.mrpLoadHours), [30, 52, 30, 30])
        assertClose(result.capacity[0].capacity.map(\.loadHours), [30, 30, 30, 30])
        let overloads = result.mrp.exceptions.filter { $0.kind == .overload }
        XCTAssertEqual(overloads.count, 1)
        XCTAssertEqual(overloads.first?.date, Day(iso: "2027-01-11"))
        assertClose(overloads.first?.quantity ?? 0, 12)
        let csv = String(decoding: MaterialTables.exceptions(model: model, mrp: result.mrp,
                                                             labels: .init(model.items)), as: UTF8.self)
        XCTAssertTrue(csv.contains("\nASSY,overload,2027-01-11,12,"), csv)
    }
}
