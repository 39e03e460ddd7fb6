import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Numbers near the limits behave as documented; sizes that would blow up are refused.
final class LimitsTests: XCTestCase {
    /// The lot sizes' tolerant ceiling (§2: 1e-9 of excess is not another lot): an excess
    /// within the tolerance rounds down to the whole number, one beyond it rounds up, a
    /// shortfall of any size rounds up, and it holds far from 1 and on both sides of zero.
    func testTheTolerantCeilingForgivesOnlyTheTolerance() {
        let cases: [(Double, Double)] = [
            (2, 2), (2 + 5e-10, 2), (2 + 2e-9, 3), (2.5, 3), (2 - 1e-12, 2), (1.999, 2),
            (0, 0), (5e-10, 0), (3e-9, 1), (-0.5, 0), (-1.5, -1),
            (1_000_000 + 1e-10, 1_000_000), (1_000_000.001, 1_000_001), (4_503_599_627_370_496, 4_503_599_627_370_496),
        ]
        for (x, expected) in cases {
            XCTAssertEqual(LotPolicy.ceilTolerant(x), expected, "\(x)")
        }
        XCTAssertEqual(LotPolicy.ceilTolerant(.infinity), .infinity)
        XCTAssertTrue(LotPolicy.ceilTolerant(.nan).isNaN)
        // Lot sizes through the policy: 2.0000000001 lots of 50 are 2 lots, 2.01 are 3.
        let policy = LotPolicy(rule: .foq, lotSize: 50, periods: 1, minimum: 0, multiple: 0, maximum: 0, wholeUnits: true)
        XCTAssertEqual(policy.baseQuantity(need: 100.000000005, poqNeed: 0), 100)
        XCTAssertEqual(policy.baseQuantity(need: 100.5, poqNeed: 0), 150)
    }

    func testHugeNumbersAndHorizonsAreRejectedWithTheirLine() throws {
        let errors = try TempModel([
            "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 100000\nphases:\n  - {name: A, weeks: 9999, capacity_pct: 5}\n",
            "items.csv": "item,type,lead_time_days\nA,buy,1e300\nB,buy,36501\nC,buy,36500\n",
            "suppliers.csv": "supplier,item,lead_time_days\nS,A,1e12\n",
            "inventory.csv": "item,on_hand\nA,2e15\n",
        ]).problems()
        XCTAssertEqual(errors, [
            Problem("plan.yaml", 2, .horizonTooLong(text: "100000"), column: "horizon_weeks"),
            Problem("plan.yaml", 4, .atMost(field: "phase \"A\": weeks", limit: 520, text: "9999"), column: "weeks"),
            Problem("items.csv", 2, .tooLarge(field: "lead_time_days", text: "1e300"), column: "lead_time_days"),
            Problem("items.csv", 3, .outOfRange(field: "lead_time_days", rule: .days, text: "36501"), column: "lead_time_days"),
            Problem("inventory.csv", 2, .tooLarge(field: "on_hand", text: "2e15"), column: "on_hand"),
            Problem("suppliers.csv", 2, .outOfRange(field: "lead_time_days", rule: .days, text: "1e12"), column: "lead_time_days"),
        ])
    }

    /// Counts of weeks and days in scenarios stop at 36,500: a slip of 9e8 weeks used to
    /// wrap the receipt's date into the year 841.
    func testScenarioCountsAndLeadTimesStayInTheCalendar() throws {
        let folder = try TempModel([
            "plan.yaml": planYAML(weeks: 3),
            "items.csv": "item,type,lead_time_days\nA,buy,5\n",
            "receipts.csv": "item,due_date,quantity,reference\nA,2027-01-11,5,PO-1\n",
            "suppliers.csv": "supplier,item,lead_time_days\nS,A,5\n",
        ])
        let model = try folder.load()
        let path = folder.folder + "/s.yaml"
        try "name: s\nlead_time_days: {A: 40000}\nsupplier_lead_time_days: {S/A: 1e12}\nreceipts: {PO-1: {slip_weeks: 900000000}}\nsupplier_slip_weeks: {S: 36501}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Scenario.load(path: path, model: model)) { error in
            let text = "\(error)"
            for expected in ["s.yaml:2: lead_time_days of A must be from 0 to 36500 days", "s.yaml:3: supplier_lead_time_days of S/A must be from 0 to 36500 days",
                             "s.yaml:4: slip_weeks of PO-1 must be at most 36500, got 900000000", "s.yaml:5: supplier_slip_weeks of S must be at most 36500, got 36501"] {
                XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
            }
        }
    }

    func testTinyAndLargeQuantitiesPlanWithoutNaNOrNegativeZero() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3),
            "items.csv": "item,type,lot_rule,lot_size,lot_multiple\nBIG,buy,lfl,0,0\nTINY,buy,foq,0.000000001,0\nMULT,buy,lfl,0,0.1\n",
            "demand.csv": "item,date,quantity\nBIG,2027-01-04,1000000000000\nTINY,2027-01-04,0.000000003\nMULT,2027-01-04,0.3\n",
        ]).load()
        let result = Planner.run(model)
        let files = PlanOutputs.files(result, pegging: true)
        let orders = String(decoding: files["planned_orders.csv"]!, as: UTF8.self)
        XCTAssertTrue(orders.contains("BIG,buy,1000000000000,"), orders)
        XCTAssertTrue(orders.contains("MULT,buy,0.3,"), "0.3 / 0.1 = 2.9999999999999996 lots is 3 lots: \(orders)")
        XCTAssertTrue(orders.contains("TINY,buy,0.000000003,") || orders.contains("TINY,buy,0,"), orders)
        // Past the fast number path (≥ 9e9 with 6 decimals) pegging rows fall back whole; a
        // share the file would show as 0 (TINY's 3e-9) has no row.
        let pegging = String(decoding: files["pegging.csv"]!, as: UTF8.self)
        XCTAssertTrue(pegging.contains("\nBIG,2027-01-04,1000000000000,BIG,2027-01-04,demand\n"), pegging)
        XCTAssertFalse(pegging.contains("\nTINY,"), pegging)
        for (name, bytes) in files {
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains("nan") || text.contains("-0,") || text.contains("inf"), name)
        }
    }

    func testAMaximumFarBelowTheNeedIsCapped() {
        let policy = LotPolicy(rule: .lfl, lotSize: 0, periods: 1, minimum: 0, multiple: 0, maximum: 0.001)
        let parts = policy.split(1_000_000)
        XCTAssertEqual(parts.count, LotPolicy.maximumSplit)
        XCTAssertEqual(parts.reduce(0, +), 1_000_000, accuracy: 1e-3)
    }
}
