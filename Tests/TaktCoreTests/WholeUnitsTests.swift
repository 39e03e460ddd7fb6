import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2 "Whole units": planned receipts and order quantities rounded up.
final class WholeUnitsTests: XCTestCase {
    func plan(_ item: String, gross: [Double], whole: Bool = true) throws -> (PlanningModel, MRPResult) {
        var demand = "item,date,quantity\n"
        for (t, q) in gross.enumerated() where q > 0 {
            demand += "X,\(Day(iso: "2027-01-04")!.adding(days: 7 * t)),\(q)\n"
        }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: gross.count, extra: "whole_units: \(whole)\n", fractional: false),
            "items.csv": "item,type,lot_rule,lot_size,min_lot,max_lot,lot_multiple,safety_stock,yield_pct,unit_cost,order_cost\n" + item + "\n",
            "demand.csv": demand,
        ]).load()
        return (model, MRPEngine(model: model).run())
    }

    /// 100 good at 95 % yield: order 100 / 0.95 = 105.26 → 106; 100 arrive.
    func testYieldRoundsTheOrderUp() throws {
        let (model, mrp) = try plan("X,make,lfl,0,0,0,0,0,95,0,0", gross: [100])
        let orders = mrp.orders(of: "X", in: model)
        XCTAssertEqual(orders.map(\.quantity), [106])
        XCTAssertEqual(orders.map(\.receiptQuantity), [100])
        // whole_units: false keeps the fraction.
        let (model2, mrp2) = try plan("X,make,lfl,0,0,0,0,0,95,0,0", gross: [100], whole: false)
        assertClose(mrp2.orders(of: "X", in: model2).map(\.quantity), [100 / 0.95])
    }

    /// 2.3 → multiple of 0.5 → 2.5 → whole → 3; POH 0.7 (gross and POH are not rounded).
    func testMultipleThenWholeNumber() throws {
        let (model, mrp) = try plan("X,buy,lfl,0,0,0,0.5,0,100,0,0", gross: [2.3, 0.5])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [3, 0])
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [0.7, 0.2])
    }

    /// 25 with max_lot 10.5: parts of 10 (10.5 cut to a whole number), 10 and 5; at 95 %
    /// each part's order is rounded up on its own: 11, 11, 6.
    func testMaxLotSplitInWholeParts() throws {
        let (model, mrp) = try plan("X,make,lfl,0,0,10.5,0,0,95,0,0", gross: [25])
        let orders = mrp.orders(of: "X", in: model)
        XCTAssertEqual(orders.map(\.receiptQuantity), [10, 10, 5])
        XCTAssertEqual(orders.map(\.quantity), [11, 11, 6])
    }

    /// EOQ Q = sqrt(2 · 5200 · 50 / 2) = 509.90…: each lot arrives as 510 (POH 410, 310,
    /// 210, 110, 10, then short in week 5).
    func testEconomicOrderQuantityInWholeUnits() throws {
        let (model, mrp) = try plan("X,buy,eoq,0,0,0,0,0,100,8,50", gross: Array(repeating: 100, count: 52))
        let receipts = mrp.row(mrp.plannedReceipts, "X", model).filter { $0 > 0 }
        XCTAssertEqual(Set(receipts), [510])
        XCTAssertEqual(mrp.row(mrp.plannedReceipts, "X", model).prefix(7), [510, 0, 0, 0, 0, 510, 0])
    }

    /// An excess of up to 1e-9 is ignored: 4.0000000001 is 4.
    func testToleranceOnWholeNumbers() throws {
        let (model, mrp) = try plan("X,buy,lfl,0,0,0,0,0,100,0,0", gross: [4.0000000001])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [4])
    }

    /// POQ n = 2.7 is cut to 2 buckets (§2).
    func testPeriodOrderQuantityCutsAFraction() throws {
        let (model, mrp) = try plan("X,buy,poq,2.7,0,0,0,0,100,0,0", gross: [10, 10, 10, 10])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [20, 0, 20, 0])
    }
}
