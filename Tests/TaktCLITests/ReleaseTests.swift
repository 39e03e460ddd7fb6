import Foundation
import XCTest

/// `takt release`: the buyer accepts the purchase suggestions due to be ordered, and the
/// next plan nets them as open receipts — no suggestion twice, nothing else moved.
final class ReleaseTests: XCTestCase {
    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testReleasedOrdersComeBackAsReceiptsAndNoLongerAsSuggestions() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = folder + "/drone"
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone"), toPath: model)
        // Microcontrollers counted in reels: items.csv's optional uom, carried into released.csv.
        let items = try String(contentsOfFile: model + "/items.csv", encoding: .utf8).split(separator: "\n").map { line in
            line.hasPrefix("item,") ? line + ",uom" : line.hasPrefix("MCU-H7,") ? line + ",reel" : line + ","
        }
        try (items.joined(separator: "\n") + "\n").write(toFile: model + "/items.csv", atomically: true, encoding: .utf8)
        let original = try Data(contentsOf: URL(fileURLWithPath: model + "/receipts.csv"))
        XCTAssertEqual(try CLIRunner.run(["plan", model, "--out", folder + "/week-1", "--quiet"]).status, 0)
        // Without --apply the model is untouched, and the same plan gives the same bytes.
        XCTAssertEqual(try CLIRunner.run(["release", model, "--through", "2027-02-15", "--out", folder + "/r0", "--quiet"]).status, 0)
        let run = try CLIRunner.run(["release", model, "--through", "2027-02-15", "--out", folder + "/r1", "--apply"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("released 14 purchase orders through 2027-02-15 → \(folder)/r1; "), run.stdout)
        for name in ["receipts.csv", "released.csv", "items.csv", "plan.yaml"] {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/r0/" + name), FileManager.default.contents(atPath: folder + "/r1/" + name), name)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: model + "/receipts.csv.bak")), original)
        // receipts.csv: the model's rows as they were, then one row per released order.
        let receipts = try lines(model + "/receipts.csv")
        let before = String(decoding: original, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(receipts.prefix(before.count)), before)
        XCTAssertEqual(receipts.count, before.count + 14)
        XCTAssertTrue(receipts.contains("MCU-H7,1800,2027-03-29,PL-MCU-H7-20270301-1,ChipSource"),
                      "the past-due order is due when it can arrive (its projected date): \(receipts)")
        XCTAssertTrue(receipts.contains("BARO-1,2,2027-02-15,PL-BARO-1-20270215-1,SensorHub"), "\(receipts)")
        let released = try lines(folder + "/r1/released.csv")
        XCTAssertEqual(released[0], "id,kind,item,supplier,order_quantity,quantity,uom,release_date,due_date,receipt_date")
        XCTAssertEqual(released.count, 15)
        XCTAssertTrue(released.dropFirst().allSatisfy { $0.split(separator: ",")[1] == "buy" }, "work orders stay planned")
        XCTAssertTrue(released.contains("PL-MCU-H7-20270301-1,buy,MCU-H7,ChipSource,1800,1800,reel,past due,2027-03-01,2027-03-29"), "\(released)")
        XCTAssertTrue(released.contains("PL-BARO-1-20270215-1,buy,BARO-1,SensorHub,2,2,pcs,2027-01-18,2027-02-15,2027-02-15"), "\(released)")
        let record = try CLIRunner.run(["record", model, "MCU-H7"])
        XCTAssertTrue(record.stdout.contains("\non hand 150 reel · "), record.stdout)

        // Next plan: exactly the released orders are gone from the planned orders.
        XCTAssertEqual(try CLIRunner.run(["plan", model, "--out", folder + "/week-2", "--previous", folder + "/week-1", "--quiet"]).status, 0)
        // The report says the suggestions are gone because they were ordered.
        let report = try String(contentsOfFile: folder + "/week-2/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("ChipSource: MCU-H7 1800 needed 2027-03-01: ordered as PL-MCU-H7-20270301-1 (an open receipt now)"), report)
        XCTAssertEqual(report.components(separatedBy: "(an open receipt now)").count - 1, 14)
        XCTAssertFalse(report.contains(": dropped"), report)
        func orders(_ out: String) throws -> [String] {
            try lines(out + "/planned_orders.csv").dropFirst().map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        }
        var expected = try orders(folder + "/week-1")
        for row in released.dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let release = f[7] == "past due" ? "2027-01-04" : f[7]
            let key = [f[2], "buy", f[4], release, f[8]].joined(separator: ",")
            guard let index = expected.firstIndex(of: key) else { return XCTFail("\(key) was not a planned order") }
            expected.remove(at: index)
        }
        XCTAssertEqual(try orders(folder + "/week-2"), expected)
        // Released again through the same date: nothing left to release.
        let again = try CLIRunner.run(["release", model, "--through", "2027-02-15", "--out", folder + "/r2"])
        XCTAssertTrue(again.stdout.hasPrefix("released 0 purchase orders"), again.stdout)
        // The folder written is the model as it will be: planning it gives what planning the
        // applied model gives.
        XCTAssertEqual(try CLIRunner.run(["plan", folder + "/r0", "--out", folder + "/week-2b", "--quiet"]).status, 0)
        XCTAssertEqual(try orders(folder + "/week-2b"), expected)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/r0/items.csv"), FileManager.default.contents(atPath: model + "/items.csv"))
        // A released receipt whose quantity is not the suggestion's does not answer it: that
        // one reads "dropped", the others still "ordered as".
        let edited = try String(contentsOfFile: folder + "/r0/receipts.csv", encoding: .utf8)
            .replacingOccurrences(of: "BARO-1,2,2027-02-15,PL-BARO-1-20270215-1", with: "BARO-1,5,2027-02-15,PL-BARO-1-20270215-1")
        try edited.write(toFile: folder + "/r0/receipts.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["plan", folder + "/r0", "--out", folder + "/week-2c", "--previous", folder + "/week-1", "--quiet"]).status, 0)
        let changed = try String(contentsOfFile: folder + "/week-2c/report.md", encoding: .utf8)
        XCTAssertTrue(changed.contains("SensorHub: BARO-1 2 needed 2027-02-15: dropped"), changed)
        XCTAssertTrue(changed.contains("SensorHub: BARO-1 95 needed 2027-02-22: ordered as PL-BARO-1-20270222-1"), changed)
        // What the buyer did comes after what changed, in the report and in the file: the
        // dropped suggestion (SensorHub) before ChipSource's ordered ones.
        let dropped = try XCTUnwrap(changed.range(of: "SensorHub: BARO-1 2 needed 2027-02-15: dropped"))
        let firstOrdered = try XCTUnwrap(changed.range(of: ": ordered as PL-"))
        XCTAssertLessThan(dropped.lowerBound, firstOrdered.lowerBound)
        let file = try lines(folder + "/week-2c/purchase_changes.csv")
        XCTAssertTrue(file[1].hasPrefix("SensorHub,BARO-1,dropped,"), file[1])
        let firstOrderedRow = try XCTUnwrap(file.firstIndex { $0.contains(",ordered,") })
        XCTAssertEqual(firstOrderedRow, 3, "\(file)")
        XCTAssertTrue(file[firstOrderedRow...].allSatisfy { $0.contains(",ordered,") }, "\(file)")
    }

    /// A receipts.csv exported from a spreadsheet (trailing empty columns, CRLF) keeps its
    /// columns; the new rows go under the first column of each name.
    func testASpreadsheetExportedReceiptsFileIsKept() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = folder + "/drone"
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone"), toPath: model)
        try "item,quantity,due_date,reference,,\r\nMOTOR-2207,800,2027-02-15,PO-1001,,\r\n".write(toFile: model + "/receipts.csv", atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["release", model, "--through", "2027-01-11", "--out", folder + "/r"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let receipts = try lines(folder + "/r/receipts.csv")
        XCTAssertEqual(receipts[0], "item,quantity,due_date,reference,,,supplier")
        XCTAssertEqual(receipts[1], "MOTOR-2207,800,2027-02-15,PO-1001,,,")
        XCTAssertTrue(receipts.contains { $0.hasPrefix("MCU-H7,") && $0.hasSuffix(",PL-MCU-H7-20270301-1,,,ChipSource") }, "\(receipts)")
    }

    func testBadArgumentsExit2AndWriteNothing() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        let date = try CLIRunner.run(["release", drone, "--through", "2027-02-30", "--out", folder + "/r"])
        XCTAssertEqual(date.status, 2)
        XCTAssertTrue(date.stderr.contains("--through must be YYYY-MM-DD"), date.stderr)
        XCTAssertEqual(try CLIRunner.run(["release", drone, "--through", "2027-02-15", "--out", drone, "--force"]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["release", CLIRunner.fixture("invalid/bom-cycle"), "--through", "2027-02-15", "--out", folder + "/r"]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/r"))
    }
}
