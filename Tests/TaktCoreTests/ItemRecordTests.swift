import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §3 `takt record`: one item's record, hand-computed on `fixtures/mps-prebuild`
/// (RECORD.md there) and on a phantom's component.
final class ItemRecordTests: XCTestCase {
    func fixture(_ name: String) throws -> PlanningModel {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try ModelLoader.load(folder: root.appendingPathComponent("fixtures/" + name).path)
    }

    /// C: 2 per P, from P's master-schedule orders; 100 on hand; 1-week lead time.
    func testAComponentOfTheMasterSchedule() throws {
        let model = try fixture("mps-prebuild")
        let record = ItemRecord(result: Planner.run(model, record: true), item: model.items.id("C")!)
        assertClose(record.gross, [100, 160, 160, 160, 160, 160, 0, 0])
        XCTAssertEqual(record.sources.map(\.name), ["parent P"])
        assertClose(record.netRequirement, [0, 160, 160, 160, 160, 160, 0, 0])
        assertClose(record.plannedReceipts, [0, 160, 160, 160, 160, 160, 0, 0])
        assertClose(record.plannedReleases, [160, 160, 160, 160, 160, 0, 0, 0])
        assertClose(record.projectedOnHand, [0, 0, 0, 0, 0, 0, 0, 0])
        // P's order of 80 in week 1 serves P's ramp week 1 (60) and week 2 (20): C's receipt
        // of 160 due week 1 pegs 120 and 40 to them.
        let first = record.pegging.filter { $0.dueBucket == 1 }
        XCTAssertEqual(first.map(\.endBucket), [1, 2])
        assertClose(first.map(\.quantity), [120, 40])
        XCTAssertEqual(first.map(\.source), ["ramp", "ramp"])
        XCTAssertEqual(record.usedIn.map(\.parent), ["P"])
        let text = ItemRecordReport.text(record, model: model)
        XCTAssertTrue(text.contains("  parent P  "), text)
        XCTAssertTrue(text.contains("receipt due 2027-01-11: 120 for P 2027-01-11 (ramp)"), text)
        let csv = String(decoding: ItemRecordReport.csv(record), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(csv.count, 9)
        XCTAssertEqual(csv[2], "2027-01-11,160,parent P=160,0,0,0,160,160,160,")
    }

    /// TOP ← KIT (phantom, 3 on hand) ← 2 PART; SO-1 of 10 TOPs in week 1; PO-7 of 8 PARTs
    /// due in week 3.
    func phantomAndMovedReceipt() throws -> PlanningModel {
        try TempModel([
            "plan.yaml": planYAML(weeks: 4, fractional: false),
            "items.csv": "item,type,lead_time_days\nTOP,make,0\nKIT,phantom,0\nPART,buy,5\n",
            "bom.csv": "parent,component,qty_per\nTOP,KIT,1\nKIT,PART,2\n",
            "inventory.csv": "item,on_hand\nKIT,3\n",
            "demand.csv": "item,date,quantity,reference\nTOP,2027-01-11,10,SO-1\n",
            "receipts.csv": "item,quantity,due_date,reference\nPART,8,2027-01-25,PO-7\n",
        ]).load()
    }

    /// A phantom's component gets its requirement through the phantom, in the same bucket,
    /// after the phantom's own stock; moved receipts show at both dates.
    func testAPhantomsComponentAndAMovedReceipt() throws {
        let model = try phantomAndMovedReceipt()
        let result = Planner.run(model, record: true)
        let kit = ItemRecord(result: result, item: model.items.id("KIT")!)
        assertClose(kit.passedThrough, [0, 7, 0, 0])
        let part = ItemRecord(result: result, item: model.items.id("PART")!)
        // 7 kits → 14 parts in week 1; PO-7 (8, due week 3) is pulled in, 6 are ordered.
        assertClose(part.gross, [0, 14, 0, 0])
        XCTAssertEqual(part.sources.map(\.name), ["parent KIT"])
        XCTAssertEqual(part.receipts.map(\.movedTo), [1])
        assertClose(part.scheduled, [0, 8, 0, 0])
        assertClose(part.plannedReceipts, [0, 6, 0, 0])
        XCTAssertEqual(part.pegging.map(\.endItem), ["TOP"])
        XCTAssertEqual(part.pegging.map(\.source), ["SO-1"])
        let text = ItemRecordReport.text(part, model: model)
        XCTAssertTrue(text.contains("PO-7: 8 due 2027-01-25, pulled in to 2027-01-11 by the rescheduling check"), text)
        XCTAssertTrue(text.contains("open receipts (after pull-in)"), text)
    }

    /// The stock/requirements list (the default of `takt record`): stock first, then per
    /// date receipts before requirements; every date's last line is the record's projected
    /// on hand — for every item of the drone (buy, make, a product of the master schedule)
    /// and for a phantom and a moved receipt.
    func testTheElementsListAddsUpToTheProjectedOnHand() throws {
        func check(_ model: PlanningModel) {
            let result = Planner.run(model, record: true)
            for item in 0..<model.items.count {
                let record = ItemRecord(result: result, item: item)
                let rows = ItemRecordReport.elements(record, model: model, projection: result.projection, mrp: result.mrp)
                XCTAssertEqual(rows[0], ["date", "element", "quantity", "projected on hand", "net requirement", "projected arrival"])
                XCTAssertEqual(rows[1][1], "on hand at the start")
                var last: [String: String] = [:]
                for row in rows.dropFirst(2) { last[row[0]] = row[3] }
                for (date, available) in last {
                    let t = record.calendar.bucketStart.firstIndex(of: Day(iso: date)!)!
                    XCTAssertEqual(Double(available)!, record.projectedOnHand[t], accuracy: 1e-6, "\(record.name) \(date)")
                }
                // Receipts before requirements within a date.
                for pair in zip(rows.dropFirst(2), rows.dropFirst(3)) where pair.0[0] == pair.1[0] {
                    XCTAssertFalse(pair.0[2].hasPrefix("-") && pair.1[2].hasPrefix("+"), "\(record.name): \(pair)")
                }
            }
        }
        check(try fixture("drone"))
        let model = try phantomAndMovedReceipt()
        check(model)
        let result = Planner.run(model, record: true)
        let part = ItemRecord(result: result, item: model.items.id("PART")!)
        let text = ItemRecordReport.text(part, model: model, projection: result.projection, mrp: result.mrp, grid: false)
        XCTAssertTrue(text.contains("2027-01-11  open receipt PO-7 (pulled in from 2027-01-25)"), text)
        XCTAssertTrue(text.contains("2027-01-11  gross requirement: parent KIT"), text)
        // The bucket's net requirement on its planned receipt: 14 needed, 8 pulled in, 6 net.
        XCTAssertTrue(text.contains("2027-01-11  planned receipt (purchase order), release 2027-01-04  +6        14                 6\n"), text)
    }

    func testUnknownItemsGetTheClosestNames() throws {
        let model = try fixture("drone")
        XCTAssertEqual(ItemRecord.closestNames(to: "MCU-H8", in: model.items).first, "MCU-H7")
        XCTAssertEqual(ItemRecord.closestNames(to: "x", in: model.items).count, 5)
    }

    /// `takt record` keeps only the one item's record: the same record as a run that keeps
    /// every item's.
    func testOneItemsRecordEqualsTheFullRecord() throws {
        let model = try fixture("drone")
        let full = Planner.run(model, record: true).mrp
        for name in ["MCU-H7", "SENSOR-KIT", "DRONE-X1", "PCB-ASSY"] {
            let item = model.items.id(name)!
            let one = Planner.materialPlan(model, record: true, recordOf: item).mrp
            let a = ItemRecord(model: model, mrp: full, item: item), b = ItemRecord(model: model, mrp: one, item: item)
            XCTAssertEqual(a.projectedOnHand, b.projectedOnHand, name)
            XCTAssertEqual(a.plannedReceipts, b.plannedReceipts, name)
            XCTAssertEqual(a.plannedReleases, b.plannedReleases, name)
            XCTAssertEqual(a.netRequirement, b.netRequirement, name)
            XCTAssertEqual(ItemRecordReport.text(a, model: model), ItemRecordReport.text(b, model: model), name)
        }
    }
}
