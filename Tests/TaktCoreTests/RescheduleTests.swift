import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2 "Rescheduling check" and the action messages after it.
final class RescheduleTests: XCTestCase {
    func plan(items: String, receipts: String, demand: String, onHand: String = "", window: Int = 4,
              extra: [String: String] = [:]) throws -> (PlanningModel, MRPResult) {
        var files = [
            "plan.yaml": planYAML(weeks: 8, extra: "reschedule_in_weeks: \(window)\n", fractional: false),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size,safety_stock\n" + items,
            "receipts.csv": "item,quantity,due_date,reference\n" + receipts,
            "demand.csv": "item,date,quantity\n" + demand,
            "inventory.csv": "item,on_hand\n" + onHand,
        ]
        for (k, v) in extra { files[k] = v }
        let model = try TempModel(files).load()
        return (model, MRPEngine(model: model).run())
    }

    func actions(_ mrp: MRPResult, _ model: PlanningModel) -> [String] {
        mrp.exceptions.map { "\($0.kind.rawValue) \($0.receipt >= 0 ? model.receipts[$0.receipt].reference : model.items.names[$0.item]) \($0.date)" }
    }

    /// A receipt due before the plan start counts in bucket 0 and is flagged `overdue`, dated
    /// at bucket 0's start (its due date and days overdue in the message) beside the contract's advice on it; the report asks to
    /// confirm one that needs no other action and says it on the line of one that does.
    func testAReceiptDueBeforeTheStartIsOverdue() throws {
        let (model, mrp) = try plan(items: "X,buy,5,lfl,0,0\nY,buy,5,lfl,0,0\n",
                                    receipts: "X,30,2026-12-21,PO-OLD\nY,20,2026-12-28,PO-Y\n",
                                    demand: "X,2027-01-04,30\nY,2027-02-01,20\n")
        XCTAssertEqual(actions(mrp, model), ["overdue PO-OLD 2027-01-04", "overdue PO-Y 2027-01-04", "reschedule_out PO-Y 2027-02-01"],
                       "dated at the first bucket's start (§2), the due date in the message")
        XCTAssertEqual(mrp.exceptions[0].message, "open receipt PO-OLD of 30 due 2026-12-21 is 14 days overdue (due before the plan start): counted as arriving now; confirm with the supplier when it comes")
        XCTAssertTrue(mrp.orders.isEmpty, "PO-OLD counts in the first bucket")
        let report = StatusReport(Planner.run(model), previous: nil).procurement.shown.map(\.text)
        XCTAssertEqual(report.count, 2, "\(report)")
        XCTAssertTrue(report.contains { $0.hasPrefix("(no supplier): confirm PO-OLD X 30") && $0.hasSuffix("14 days before the plan start: counted as arriving now; ask the supplier when it comes") }, "\(report)")
        XCTAssertTrue(report.contains { $0.hasPrefix("(no supplier): push out PO-Y Y 20") && $0.hasSuffix("it was due 2026-12-28, 7 days before the plan start: confirm with the supplier first") }, "\(report)")
        // Receipts to confirm go most overdue first (by their due dates, not their rows'
        // dates, which are all the first bucket's start).
        let (confirmModel, _) = try plan(items: "X,buy,5,lfl,0,0\nY,buy,5,lfl,0,0\n",
                                         receipts: "Y,20,2026-12-28,PO-B\nX,30,2026-12-21,PO-Z\n",
                                         demand: "X,2027-01-04,30\nY,2027-01-04,20\n")
        let confirms = StatusReport(Planner.run(confirmModel), previous: nil).procurement.shown.map(\.text)
        XCTAssertEqual(confirms.map { String($0.prefix(33)) }, ["(no supplier): confirm PO-Z X 30 ", "(no supplier): confirm PO-B Y 20 "], "\(confirms)")
    }

    /// FOQ 100: the shortfall of 50 in week 1 is covered by two receipts (30 due week 2,
    /// 30 due week 4) pulled in, earliest first; no new order.
    func testTwoReceiptsInTheWindowCoverAShortfall() throws {
        let (model, mrp) = try plan(items: "X,buy,5,foq,100,0\n",
                                    receipts: "X,30,2027-02-01,PO-B\nX,30,2027-01-18,PO-A\n",
                                    demand: "X,2027-01-11,50\n")
        XCTAssertTrue(mrp.orders.isEmpty)
        XCTAssertEqual(actions(mrp, model), ["reschedule_in PO-A 2027-01-11", "reschedule_in PO-B 2027-01-11"])
        XCTAssertEqual(mrp.receiptMovedTo.map(Int.init), [1, 1])
        assertClose(mrp.row(mrp.projectedOnHand, "X", model), [0, 10, 10, 10, 10, 10, 10, 10])
        assertClose(mrp.row(mrp.scheduledReceipts, "X", model), [0, 0, 30, 0, 30, 0, 0, 0], "the record keeps receipts as due")
    }

    /// A receipt pulled in that covers its need bucket says no new order is needed there; one
    /// that leaves the bucket short says a new order, due the same day, covers the rest —
    /// bucket by bucket: X's first pull-in covers week 1 though X has an order in week 4,
    /// where its second pull-in falls short; inside the planning time fence (F) the
    /// message says no new order may be due there.
    func testAPulledInReceiptSaysWhetherANewOrderCoversTheRest() throws {
        let (model, mrp) = try plan(items: "X,buy,0,lfl,0,0\nY,buy,0,lfl,0,0\n",
                                    receipts: "X,30,2027-01-18,PO-X1\nX,20,2027-02-08,PO-X2\nY,20,2027-01-18,PO-Y\n",
                                    demand: "X,2027-01-11,30\nX,2027-02-01,50\nY,2027-01-11,50\n")
        XCTAssertEqual(actions(mrp, model), ["reschedule_in PO-X1 2027-01-11", "reschedule_in PO-X2 2027-02-01",
                                             "reschedule_in PO-Y 2027-01-11"])
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.quantity), [30])
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.dueBucket), [4])
        XCTAssertEqual(mrp.orders(of: "Y", in: model).map(\.quantity), [30])
        XCTAssertEqual(mrp.orders(of: "Y", in: model).map(\.dueBucket), [1])
        let covered = "to cover the requirement there (rescheduling check; no new order)"
        let orderCovers = "to cover part of the requirement there (rescheduling check; a new order due then covers the rest)"
        XCTAssertEqual(mrp.exceptions.map(\.message), [
            "open receipt PO-X1 of 30 due 2027-01-18 is pulled in to 2027-01-11 " + covered,
            "open receipt PO-X2 of 20 due 2027-02-08 is pulled in to 2027-02-01 " + orderCovers,
            "open receipt PO-Y of 20 due 2027-01-18 is pulled in to 2027-01-11 " + orderCovers,
        ])
        XCTAssertEqual(mrp.exceptions.map(\.shortQuantity), [0, 30, 30], "what the pull-ins leave short")
        // The report's procurement lines say the same.
        let procurement = StatusReport(Planner.run(model), previous: nil).procurement.shown.map(\.text)
        func line(_ reference: String) -> String? { procurement.first { $0.contains("pull in \(reference) ") } }
        XCTAssertTrue(line("PO-X1")?.hasSuffix("from 2027-01-18 to 2027-01-11: it covers the requirement there instead of a new order") ?? false, "\(procurement)")
        XCTAssertTrue(line("PO-X2")?.hasSuffix("to 2027-02-01: it covers part of the requirement there; a new order due then covers the rest") ?? false, "\(procurement)")
        XCTAssertTrue(line("PO-Y")?.hasSuffix("to 2027-01-11: it covers part of the requirement there; a new order due then covers the rest") ?? false, "\(procurement)")
        // frozen_weeks 2: F's receipt is pulled into week 1, 30 short there, and no order may
        // be due before week 2.
        let fenced = try TempModel([
            "plan.yaml": planYAML(weeks: 8, extra: "reschedule_in_weeks: 4\nfrozen_weeks: 2\n", fractional: false),
            "items.csv": "item,type,lead_time_days\nF,buy,0\n",
            "receipts.csv": "item,quantity,due_date,reference\nF,20,2027-01-18,PO-F\n",
            "demand.csv": "item,date,quantity\nF,2027-01-11,50\n",
        ]).load()
        let fencedPlan = MRPEngine(model: fenced).run()
        XCTAssertEqual(fencedPlan.orders.map(\.dueBucket), [2])
        XCTAssertEqual(fencedPlan.exceptions.filter { $0.kind == .rescheduleIn }.map(\.message), [
            "open receipt PO-F of 20 due 2027-01-18 is pulled in to 2027-01-11 to cover part of the requirement there "
                + "(rescheduling check; inside the planning time fence, no new order may be due then)",
        ])
        XCTAssertTrue(fencedPlan.exceptions.contains { $0.kind == .insideFence })
        let fencedLines = StatusReport(Planner.run(fenced), previous: nil).procurement.shown.map(\.text)
        XCTAssertTrue(fencedLines.contains { $0.hasSuffix("pull in PO-F F 20 (amount 0) from 2027-01-18 to 2027-01-11: it covers part of the requirement "
                                                         + "there; inside the planning time fence, no new order may be due then") }, "\(fencedLines)")
    }

    /// A receipt just outside the window: a new order (past due here), and advice to bring
    /// the receipt in anyway.
    func testAReceiptOutsideTheWindowGetsAnOrderAndAdvice() throws {
        let (model, mrp) = try plan(items: "X,buy,10,lfl,0,0\n", receipts: "X,40,2027-02-15,PO-1\n",
                                    demand: "X,2027-01-04,25\n", window: 4)
        // Due bucket 6 is beyond 0 + 4.
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.quantity), [25])
        XCTAssertEqual(actions(mrp, model), ["past_due X 2027-01-04", "reschedule_in PO-1 2027-01-04"])
        assertClose(mrp.exceptions[0].shortQuantity, 25)
        // A window of 6 weeks reaches it: no order, the receipt moves.
        let (model2, mrp2) = try plan(items: "X,buy,10,lfl,0,0\n", receipts: "X,40,2027-02-15,PO-1\n",
                                      demand: "X,2027-01-04,25\n", window: 6)
        XCTAssertTrue(mrp2.orders.isEmpty)
        XCTAssertEqual(actions(mrp2, model2), ["reschedule_in PO-1 2027-01-04"])
    }

    /// R = 0 is the check turned off: an order for the shortfall and, as before the check,
    /// advice to bring the receipt in too (expedite and re-order for one need).
    func testWindowZeroTurnsTheCheckOff() throws {
        let (model, mrp) = try plan(items: "X,buy,0,lfl,0,0\n", receipts: "X,40,2027-01-18,PO-1\n",
                                    demand: "X,2027-01-04,25\n", window: 0)
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.quantity), [25])
        XCTAssertEqual(actions(mrp, model), ["reschedule_in PO-1 2027-01-04"])
        XCTAssertEqual(mrp.receiptMovedTo.map(Int.init), [-1])
    }

    /// POQ n = 3 after a move: the moved receipt counts in its new bucket and no longer in
    /// its due bucket, so the look-ahead covers the later weeks' full requirement.
    func testPeriodOrderQuantityLooksAheadAfterAMove() throws {
        // Week 0: A = -10; PO-1 (15, due week 1) moves in → A = 5. Week 1: 5 - 10 = -5 →
        // POQ covers weeks 1–3: 10 + 10 + 10 - 5 = 25 (PO-1 no longer in week 1).
        let (model, mrp) = try plan(items: "X,buy,0,poq,3,0\n", receipts: "X,15,2027-01-11,PO-1\n",
                                    demand: "X,2027-01-04,10\nX,2027-01-11,10\nX,2027-01-18,10\nX,2027-01-25,10\n")
        assertClose(mrp.row(mrp.plannedReceipts, "X", model), [0, 25, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(actions(mrp, model), ["reschedule_in PO-1 2027-01-04"])
    }

    /// Action messages on the receipts not moved count the moved ones where they moved to.
    func testAdviceCountsMovedReceiptsWhereTheyMovedTo() throws {
        // Orlicky fig. 14-5 (fixtures/orlicky-rescheduling works it by hand).
        let (model, mrp) = try plan(items: "X,buy,10,lfl,0,0\n", receipts: "X,20,2027-01-11,PO-2\nX,20,2027-01-25,PO-4\n",
                                    demand: "X,2027-01-04,30\nX,2027-01-11,5\nX,2027-01-25,10\nX,2027-02-01,10\nX,2027-02-08,10\n",
                                    onHand: "X,27\n")
        XCTAssertTrue(mrp.orders.isEmpty)
        XCTAssertEqual(actions(mrp, model), ["reschedule_in PO-2 2027-01-04", "reschedule_out PO-4 2027-02-01"])
    }

    /// Phantoms and master-schedule products are not checked.
    func testPhantomsAndScheduledProductsAreNotChecked() throws {
        let (model, mrp) = try plan(items: "K,phantom,0,lfl,0,0\nC,buy,0,lfl,0,0\n", receipts: "K,10,2027-01-18,WO-K\n",
                                    demand: "K,2027-01-04,10\n", extra: ["bom.csv": "parent,component,qty_per\nK,C,1\n"])
        XCTAssertEqual(mrp.receiptMovedTo.map(Int.init), [-1])
        // The phantom passes its requirement on; its receipt later is only stock.
        XCTAssertEqual(mrp.orders(of: "C", in: model).map(\.quantity), [10])
        let product = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 4, capacity_pct: 100}\n", fractional: false),
            "items.csv": "item,type\nP,make\n",
            "receipts.csv": "item,quantity,due_date,reference\nP,10,2027-01-18,WO-P\n",
        ]).load()
        let result = Planner.run(product)
        XCTAssertEqual(result.mrp.receiptMovedTo.map(Int.init), [-1])
        XCTAssertTrue(result.mrp.exceptions.isEmpty)
        // The LP counts the receipt: week 2 needs nothing new.
        assertClose(result.mps.planned[0], [10, 10, 0, 10])
    }
}
