import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2: lot rules, minimum, multiple, maximum split, yield, tolerance.
final class LotSizingTests: XCTestCase {
    func plan(_ item: String, gross: [Double], extraItems: String = "", suppliers: String? = nil, onHand: Double = 0) throws -> (PlanningModel, MRPResult) {
        var demand = "item,date,quantity\n"
        for (t, q) in gross.enumerated() where q > 0 {
            demand += "X,\(Day(iso: "2027-01-04")!.adding(days: 7 * t)),\(q)\n"
        }
        var files = [
            "plan.yaml": planYAML(weeks: gross.count, extra: "costs: {holding_rate_per_year: 0.25}\n"),
            "items.csv": "item,type,lot_rule,lot_size,min_lot,max_lot,lot_multiple,safety_stock,yield_pct,unit_cost,order_cost\n" + item + "\n" + extraItems,
            "demand.csv": demand,
            "inventory.csv": "item,on_hand\nX,\(onHand)\n",
        ]
        if let suppliers { files["suppliers.csv"] = suppliers }
        let model = try TempModel(files).load()
        return (model, MRPEngine(model: model).run())
    }

    func testFixedOrderQuantityRoundsUpToWholeLots() throws {
        let (model, mrp) = try plan("X,buy,foq,100,0,0,0,0,100,0,0", gross: [30, 30, 30, 30, 250])
        // POH: 70, 40, 10, -20→80, 80-250=-170 → 2 lots → 30.
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [100, 0, 0, 100, 200])
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [70, 40, 10, 80, 30])
    }

    func testRoundingIgnoresAnExcessOfOneBillionth() throws {
        let (model, mrp) = try plan("X,buy,foq,0.1,0,0,0,0,100,0,0", gross: [0.2000000001])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [0.2])
        // …and an excess within tolerance does not trigger an order at all.
        let (model2, mrp2) = try plan("X,buy,lfl,0,0,0,0,0,100,0,0", gross: [5.0000000001], onHand: 5)
        XCTAssertTrue(mrp2.orders(of: "X", in: model2).isEmpty)
    }

    /// The excess ignored is 1e-9 of a lot: with lots of 5,000, 20,000.000001 is 4 lots, and
    /// the 0.000001 left short in the buckets after rounds to no lot there, so no order
    /// of 0 units is made; the next real need takes a whole lot. The same with a lot
    /// multiple of 1,000. A minimum still applies (`P = max(P, min_lot)`): with a
    /// `min_lot` of 100 the shortfall gets an order of 100.
    func testAnExcessIgnoredInLotsMakesNoEmptyOrderAfter() throws {
        let (model, mrp) = try plan("X,buy,foq,5000,0,0,0,0,100,0,0", gross: [20000.000001, 0, 0, 100, 0])
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.quantity), [20000, 5000])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [20000, 0, 0, 5000, 0])
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [-0.000001, -0.000001, -0.000001, 4899.999999, 4899.999999])
        let (model2, mrp2) = try plan("X,buy,lfl,0,0,0,1000,0,100,0,0", gross: [2000.0000005, 0, 0])
        XCTAssertEqual(mrp2.orders(of: "X", in: model2).map(\.quantity), [2000])
        XCTAssertFalse(mrp2.orders.contains { $0.quantity <= 0 })
        let (model3, mrp3) = try plan("X,buy,foq,5000,100,0,0,0,100,0,0", gross: [20000.000001, 0, 0])
        XCTAssertEqual(mrp3.orders(of: "X", in: model3).map(\.quantity), [20000, 100])
    }

    /// POQ n = 3 with SS 5: week 0 covers weeks 0–2 (10+20+30+5 = 65); week 3 covers 3–4.
    func testPeriodOrderQuantityCoversNBuckets() throws {
        let (model, mrp) = try plan("X,buy,poq,3,0,0,0,5,100,0,0", gross: [10, 20, 30, 40, 50])
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [65, 0, 0, 90, 0])
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [55, 35, 5, 55, 5])
    }

    /// POQ's look-ahead: the largest shortfall below safety stock over the buckets the order
    /// covers after the one short (cut at the horizon), with scheduled receipts counted;
    /// nothing for the other rules.
    func testPeriodOrderQuantityLooksAheadOverItsPeriods() {
        let poq = LotPolicy(rule: .poq, lotSize: 0, periods: 3, minimum: 0, multiple: 0, maximum: 0)
        let gross: ContiguousArray<Double> = [10, 20, 30, 40, 50]
        let scheduled: ContiguousArray<Double> = [0, 0, 25, 0, 0]
        // From A = -10 at bucket 0: A'(1) = -30, A'(2) = -35 (25 arrive); safety 5 → 40.
        XCTAssertEqual(poq.lookAheadNeed(available: -10, at: 0, safety: 5, scheduled: scheduled, gross: gross), 40)
        // At bucket 3 only bucket 4 is left: A'(4) = -60 → 60.
        XCTAssertEqual(poq.lookAheadNeed(available: -10, at: 3, safety: 0, scheduled: scheduled, gross: gross), 60)
        XCTAssertEqual(poq.lookAheadNeed(available: -10, at: 4, safety: 0, scheduled: scheduled, gross: gross), 0, "the last bucket")
        var lfl = poq
        lfl.rule = .lfl
        XCTAssertEqual(lfl.lookAheadNeed(available: -10, at: 0, safety: 5, scheduled: scheduled, gross: gross), 0)
    }

    /// EOQ: D = 100/week × 52, S = 50, H = 8 × 0.25 = 2 → Q = sqrt(2·5200·50/2) = 509.90195…
    func testEconomicOrderQuantityActsAsFixedOrderQuantity() throws {
        let (model, mrp) = try plan("X,buy,eoq,0,0,0,0,0,100,8,50", gross: Array(repeating: 100, count: 52))
        let q = (2.0 * 5200 * 50 / 2).squareRoot()
        let receipts = mrp.row(mrp.plannedReceipts, "X", model).filter { $0 > 0 }
        XCTAssertFalse(receipts.isEmpty)
        for r in receipts { assertClose(r, q) }
        // With no holding cost EOQ falls back to lot-for-lot.
        let (model2, mrp2) = try plan("X,buy,eoq,0,0,0,0,0,100,0,50", gross: [100, 100])
        assertClose(mrp2.row(mrp2.plannedReceipts, "X", model2), [100, 100])
    }

    func testMinimumThenMultiple() throws {
        let (model, mrp) = try plan("X,buy,lfl,0,50,0,40,0,100,0,0", gross: [130, 10])
        // 130 → multiple of 40 → 160; week 1: 30 - 10 = 20 ≥ 0.
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [160, 0])
        let (model2, mrp2) = try plan("X,buy,lfl,0,50,0,40,0,100,0,0", gross: [10])
        // 10 → min 50 → multiple 80.
        assertClose(mrp2.row(mrp2.plannedReceipts, "X", model2), [80])
    }

    func testMaximumSplitsIntoSeveralOrdersInTheSameBucket() throws {
        let (model, mrp) = try plan("X,buy,lfl,0,0,100,0,0,100,0,0", gross: [250])
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.quantity), [100, 100, 50])
        XCTAssertEqual(Set(mrp.orders(of: "X", in: model).map(\.dueBucket)), [0])
        // With a multiple of 40, each order is at most 100 and a multiple of 40: 80, 80, 80, 40.
        let (model2, mrp2) = try plan("X,buy,lfl,0,0,100,40,0,100,0,0", gross: [250])
        XCTAssertEqual(mrp2.orders(of: "X", in: model2).map(\.quantity), [80, 80, 80, 40])
    }

    func testYieldInflatesTheOrderNotTheReceipt() throws {
        let (model, mrp) = try plan("X,make,lfl,0,0,0,0,0,80,0,0", gross: [100])
        let order = mrp.orders(of: "X", in: model)[0]
        assertClose(order.receiptQuantity, 100)
        assertClose(order.quantity, 125)
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [0])
    }

    /// A buy item's chosen supplier brings its MOQ (the larger minimum) and lot multiple.
    func testSupplierMinimumAndMultipleReplaceTheItems() throws {
        let suppliers = "supplier,item,moq,lot_multiple,preferred\nBIG,X,120,25,true\nSMALL,X,0,0,false\n"
        let (model, mrp) = try plan("X,buy,lfl,0,50,0,10,0,100,0,0", gross: [30], suppliers: suppliers)
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [125])
    }
}
