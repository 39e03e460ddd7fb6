import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun

/// One action per projected shortage (§2d `shortage`): an open receipt due later that,
/// brought in, covers every late unit of the item — else order now.
///
/// The model, worked by hand: P (make, lead 0) needs 2 C a unit at 10 P a week from
/// 2027-01-04 for 10 weeks: C needs 20 a week. C is bought with a 15-day lead time (3
/// weeks), no stock: its first order (due week 0) should have been released 3 weeks before
/// the start, so placed now it arrives 2027-01-25. C's requirements of weeks 0–2 (60 units)
/// come late. An open receipt of `receipt` units due 2027-03-01 (week 8) is not moved by
/// the rescheduling check (`reschedule_in_weeks: 0`).
final class ShortageRemedyTests: XCTestCase {
    func run(receipt: Int) throws -> PlanResult {
        Planner.run(try TempModel(TempModel.filesOfRun(receipt: receipt)).load())
    }

    /// 100 units brought in to 2027-01-04 carry weeks 0–4 (5 × 20): nothing late, and the
    /// order planned for week 0 is first needed in week 5 (2027-02-08), placed by week 2.
    func testAReceiptThatCoversTheLateUnitsIsTheAction() throws {
        let result = try run(receipt: 100)
        let shortage = try XCTUnwrap(result.projection.shortages.first)
        assertClose(shortage.lateQuantity, 60)
        let expedite = try XCTUnwrap(shortage.expedite)
        XCTAssertEqual(expedite.receipt, 0)
        XCTAssertEqual(expedite.toBucket, 0)
        XCTAssertEqual(expedite.buckets, 8)
        let late = result.mrp.orders.indices.filter { result.mrp.orders[$0].pastDue }
        XCTAssertEqual(expedite.lateOrdersNeeded.map(\.order), late)
        XCTAssertEqual(expedite.lateOrdersNeeded.first?.bucket, 5)

        let report = StatusReport(result, previous: nil)
        let actions = report.procurement.shown.map(\.text)
        XCTAssertEqual(actions.filter { $0.contains("PO-7") }.count, 1, "one action for the receipt: \(actions)")
        let action = try XCTUnwrap(actions.first { $0.contains("expedite PO-7") })
        XCTAssertTrue(action.contains("by 8 weeks, from 2027-03-01 to 2027-01-04"), action)
        XCTAssertTrue(action.contains("covers the 60 units that come late from 2027-01-04 (until 2027-01-25 otherwise)"), action)
        XCTAssertTrue(action.contains("is needed 2027-02-08, to be placed by 2027-01-18"), action)
        XCTAssertFalse(actions.contains { $0.contains("order now") }, "no second action for the same units: \(actions)")
        XCTAssertFalse(report.nextWeek.shown.contains { $0.text.contains("LATE") })
        let shortageRisk = try XCTUnwrap(result.risks.first { $0.kind == .shortage })
        XCTAssertTrue(shortageRisk.message.hasSuffix("; expediting PO-7 from 2027-03-01 to 2027-01-04 covers them"), shortageRisk.message)
    }

    /// The expedite's claim checked by planning it: with PO-7 moved to 2027-01-04 in
    /// receipts.csv nothing is late and C's first order is due 2027-02-08.
    func testTheExpediteDoesWhatItSays() throws {
        let result = try run(receipt: 100)
        let expedite = try XCTUnwrap(result.projection.shortages.first?.expedite)
        var files = try TempModel.filesOfRun(receipt: 100)
        files["receipts.csv"] = "item,quantity,due_date,reference\nC,100,2027-01-04,PO-7\n"
        let moved = Planner.run(try TempModel(files).load())
        XCTAssertTrue(moved.projection.shortages.isEmpty)
        XCTAssertTrue(moved.projection.deliveries.allSatisfy { $0.lateQuantity <= 1e-9 })
        let first = try XCTUnwrap(moved.mrp.orders.first { moved.model.items.names[$0.item] == "C" })
        XCTAssertEqual(first.dueBucket, expedite.lateOrdersNeeded.first?.bucket)
    }

    /// Late orders that cannot arrive within the horizon are listed too, as not needed
    /// there once the receipt is brought in (a 70-day lead time on a 10-week horizon: every
    /// order placed now arrives after the last bucket; PO-7's 200 carry all ten weeks).
    func testLateOrdersBeyondTheHorizonAreListedAsNotNeeded() throws {
        var files = try TempModel.filesOfRun(receipt: 200)
        files["items.csv"] = "item,type,lead_time_days,workcenter,run_hours\nP,make,0,W,1\nC,buy,70,,0\n"
        let result = Planner.run(try TempModel(files).load())
        let expedite = try XCTUnwrap(result.projection.shortages.first?.expedite)
        let late = result.mrp.orders.indices.filter { result.mrp.orders[$0].pastDue }
        XCTAssertFalse(late.isEmpty)
        XCTAssertEqual(expedite.lateOrdersNeeded.map(\.order), late)
        XCTAssertTrue(expedite.lateOrdersNeeded.allSatisfy { $0.bucket == nil })
        let report = StatusReport(result, previous: nil)
        let action = try XCTUnwrap(report.procurement.shown.first { $0.text.contains("expedite PO-7") }).text
        XCTAssertTrue(action.contains("is not needed within the horizon"), action)
        XCTAssertFalse(report.nextWeek.shown.contains { $0.text.contains("late until then") }, "no second action: \(report.nextWeek.shown.map(\.text))")
    }

    /// 50 units cannot carry the 60 late ones: the action is to order now, once, with when
    /// the order arrives and how many units are late until then.
    func testAReceiptTooSmallLeavesOrderNow() throws {
        let result = try run(receipt: 50)
        let shortage = try XCTUnwrap(result.projection.shortages.first)
        XCTAssertNil(shortage.expedite)
        let actions = StatusReport(result, previous: nil).procurement.shown.map(\.text)
        let orderNow = actions.filter { $0.contains("order now") }
        XCTAssertEqual(orderNow.count, 1, "\(actions)")
        XCTAssertTrue(orderNow[0].contains("arrives 2027-01-25 at the earliest: 60 units late from 2027-01-04 until 2027-01-25"), orderNow[0])
        XCTAssertFalse(actions.contains { $0.contains("expedite") })
        XCTAssertTrue(try XCTUnwrap(result.risks.first { $0.kind == .shortage }).message.hasSuffix("no open receipt due later covers them: order now"))
    }
}

extension TempModel {
    /// The files of `ShortageRemedyTests.run(receipt:)`, to change one.
    static func filesOfRun(receipt: Int) throws -> [String: String] {
        [
            "plan.yaml": planYAML(weeks: 10, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: One, weeks: 10, capacity_pct: 100, gate: G1}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,0,W,1\nC,buy,15,,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,2\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week\nW,100,1,0\n",
            "inventory.csv": "item,on_hand\nP,0\nC,0\n",
            "receipts.csv": "item,quantity,due_date,reference\nC,\(receipt),2027-03-01,PO-7\n",
        ]
    }
}
