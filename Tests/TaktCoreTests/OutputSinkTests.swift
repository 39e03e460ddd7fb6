import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Files rendered straight to disk, in chunks.
final class OutputSinkTests: XCTestCase {
    /// The longest field is measured escaped (a quote doubles and the field is quoted): the
    /// purchase suggestions size their row buffer from it.
    func testEscapedFieldsKnowTheirLongestField() {
        XCTAssertEqual(EscapedFields(["a", "b\"c", ""]).maxLength, 6)
        XCTAssertEqual(EscapedFields(["abc", "de"]).maxLength, 3)
        XCTAssertEqual(EscapedFields([String]()).maxLength, 0)
        XCTAssertEqual(EscapedFields(days: [Day(iso: "2027-01-04")!]).maxLength, 10)
    }

    /// A field quoted in place after the row before it (`quoteField`) reads as RFC 4180
    /// spells it: quoted only with a comma, quote or line break, each quote doubled, the
    /// bytes before it untouched; and `CSVWriter`'s fields, written that way, too.
    func testAFieldIsQuotedInPlaceOnlyWhenItNeedsIt() {
        func rfc(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        let texts = ["plain", "", "a,b", "\"", "\"\"", "say \"hi\", then go", "\"edge", "edge\"", "line\nbreak",
                     "cr\rhere", "crlf\r\n", "ünïcode, too", ",", "no-quote-needed: ok"]
        for text in texts {
            var bytes = Array("prefix,".utf8)
            bytes.append(utf8: text)
            bytes.quoteField(from: 7)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "prefix," + rfc(text), text)
        }
        var writer = CSVWriter(header: ["a"])
        for text in texts { writer.field(text); writer.field { $0.append(utf8: text) }; writer.endRow() }
        let expected = "a\n" + texts.map { rfc($0) + "," + rfc($0) + "\n" }.joined()
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), expected)
    }

    func testCSVFlushHandsOverEveryByteOnce() {
        var whole = CSVWriter(header: ["a", "b"])
        var chunked = CSVWriter(header: ["a", "b"])
        var chunks: [[UInt8]] = []
        for k in 0..<5_000 {
            for writer in [0, 1] {
                if writer == 0 { whole.field(k); whole.field("row \(k), quoted"); whole.endRow() }
                else { chunked.field(k); chunked.field("row \(k), quoted"); chunked.endRow() }
            }
            chunked.flush(atLeast: 4_096) { chunks.append($0) }
        }
        chunked.flush { chunks.append($0) }
        XCTAssertGreaterThan(chunks.count, 10)
        XCTAssertTrue(chunks.dropLast().allSatisfy { $0.count >= 4_096 })
        XCTAssertEqual(chunks.flatMap { $0 }, whole.bytes)
    }

    /// A writer given a buffer's only reference writes into that buffer's storage, emptied,
    /// and hands it back the same; one given a buffer still held elsewhere leaves that
    /// buffer as it was.
    func testAWriterReusesTheStorageOfABufferHandedOver() {
        let buffer = [UInt8](repeating: 7, count: 3 << 20)
        let base = buffer.withUnsafeBufferPointer { $0.baseAddress }
        var writer = CSVWriter(reusing: consume buffer)
        XCTAssertTrue(writer.bytes.isEmpty)
        writer.field("x")
        writer.endRow()
        XCTAssertEqual(writer.bytes.withUnsafeBufferPointer { $0.baseAddress }, base, "the storage handed over is written")
        let again = writer.emptied()
        XCTAssertEqual(again.withUnsafeBufferPointer { $0.baseAddress }, base, "and handed back, to the next block")
        var second = CSVWriter(reusing: consume again)
        second.field("y")
        XCTAssertEqual(second.bytes.withUnsafeBufferPointer { $0.baseAddress }, base)

        let held = [UInt8](repeating: 7, count: 16)
        var other = CSVWriter(reusing: held)
        other.field("z")
        XCTAssertEqual(held, [UInt8](repeating: 7, count: 16), "a buffer held elsewhere is left as it was")
        XCTAssertEqual(other.bytes, Array("z".utf8))
    }

    func testFolderSinkWritesNestedFilesAndStreams() throws {
        let folder = scratchPath("takt-sink")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var sink = FolderSink(folder: folder)
        try sink.put("lp/Ramp_I.lp", Array("max: x;\n".utf8))
        try sink.stream("big.csv") { emit in
            for k in 0..<100 { try emit(Array(String(repeating: "\(k % 10)", count: 10_000).utf8)) }
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/lp/Ramp_I.lp", encoding: .utf8), "max: x;\n")
        let big = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/big.csv"))
        XCTAssertEqual(big.count, 1_000_000)
        XCTAssertEqual(big[10_000], UInt8(ascii: "1"))
        // A file that cannot be created is an error, not a crash.
        var broken = FolderSink(folder: folder + "/missing/deeper")
        XCTAssertThrowsError(try broken.put("x.csv", [1]))
    }

    /// The CLI's files (rendered into a folder, pegging in chunks of about 1 MB) equal the
    /// in-memory ones, and pegging.csv goes item by item in planning order.
    func testFolderAndMemoryRenderingsAgree() throws {
        let folder = scratchPath("takt-render")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 2000, seed: 3, shape: .stress).files(), to: folder + "/model")
        let result = Planner.run(try ModelLoader.load(folder: folder + "/model"))
        let memory = PlanOutputs.files(result, pegging: true)
        XCTAssertGreaterThan(memory["pegging.csv"]!.count, 3 << 20, "several chunks")
        // Items come in planning order (end items first, level by level), each once.
        let lines = String(decoding: memory["pegging.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst()
        var items: [Substring] = []
        for line in lines {
            let item = line.prefix { $0 != "," }
            if items.last != item { items.append(item) }
        }
        XCTAssertEqual(Set(items).count, items.count, "an item's rows are together")
        let position = Dictionary(uniqueKeysWithValues: result.model.planningOrder.enumerated().map { ($1, $0) })
        let order = items.map { position[result.model.items.id(String($0))!]! }
        XCTAssertEqual(order, order.sorted())
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        var sink = FolderSink(folder: folder + "/out")
        try PlanOutputs.render(result, pegging: true, into: &sink)
        for (name, bytes) in memory where name != "summary.json" {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/out/" + name).map { [UInt8]($0) }, bytes, name)
        }
    }
}

/// A sink whose disk fills up after `room` chunks.
struct FullDiskSink: OutputSink {
    struct Full: Error {}
    var room: Int
    var names: [String] = []

    mutating func put(_ name: String, _ bytes: [UInt8]) throws { names.append(name) }

    mutating func stream(_ name: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        names.append(name)
        var left = room
        try produce { _ in
            left -= 1
            if left < 0 { throw Full() }
        }
    }
}

extension OutputSinkTests {
    /// Into a folder, the second core writes purchase_suggestions.csv into its own file
    /// while this one writes the others: the same bytes as through a memory sink (and with
    /// helpers sharing planned_orders.csv and the purchase suggestions), and a file that
    /// cannot be written there stops the run with its error.
    func testTheSecondCoreWritesPurchaseSuggestionsIntoTheFolder() throws {
        let folder = scratchPath("takt-direct")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 2000, seed: 3, shape: .stress).files(), to: folder + "/model")
        let model = try ModelLoader.load(folder: folder + "/model")
        let (_, memory) = try Planner.plan(model, writeLP: false)
        XCTAssertGreaterThan(memory["purchase_suggestions.csv"]!.count, 500_000)
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        var sink = FolderSink(folder: folder + "/out")
        _ = try Planner.plan(model, writeLP: false, into: &sink)
        for (name, bytes) in memory where name != "summary.json" {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/out/" + name).map { [UInt8]($0) }, bytes, name)
        }
        // With three more helpers, as on a 5-core machine, and planned_orders.csv in blocks
        // of 64 orders (many blocks, shared with the helpers): the same bytes.
        let (schedule, mrp) = Planner.materialPlan(model)
        let labels = MaterialTables.ItemLabels(model.items)
        let orderTable = PlannedOrderTable(mrp: mrp, projection: Planner.project(model, mps: schedule, mrp: mrp), labels: labels,
                                           blockOrders: 64)
        XCTAssertGreaterThan(orderTable.blockCount, 50)
        try FileManager.default.createDirectory(atPath: folder + "/wide", withIntermediateDirectories: true)
        var wide = FolderSink(folder: folder + "/wide")
        _ = try Planner.plan(model, writeLP: false, pegging: false, previous: nil, simulate: nil, into: &wide, helpers: 3,
                             orderBlock: 64)
        for name in ["purchase_suggestions.csv", "planned_orders.csv"] {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/wide/" + name).map { [UInt8]($0) }, memory[name], name)
        }
        let summary = try String(contentsOfFile: folder + "/out/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"render purchase_suggestions.csv_ms\""), "its timing is kept")
        // A folder where the file should go: the run fails with that file's error.
        try FileManager.default.createDirectory(atPath: folder + "/blocked/purchase_suggestions.csv", withIntermediateDirectories: true)
        var blocked = FolderSink(folder: folder + "/blocked")
        XCTAssertThrowsError(try Planner.plan(model, writeLP: false, into: &blocked)) { error in
            XCTAssertTrue("\(error)".contains("purchase_suggestions.csv: cannot write"), "\(error)")
        }
    }

    /// A purchase_suggestions.csv that cannot even be opened, on a model with more
    /// supplier blocks than a helper may render ahead of the writer (25 here): the run
    /// fails with that file's error instead of the first core waiting, as a helper, for a
    /// writer that never started.
    func testAPurchaseFileThatCannotBeOpenedFailsTheRunWhateverTheSuppliers() throws {
        let folder = scratchPath("takt-unopenable")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 5000, seed: 3, shape: .stress).files(), to: folder + "/model")
        let model = try ModelLoader.load(folder: folder + "/model")
        XCTAssertGreaterThan(Set(model.offers.map(\.supplier)).count, OrderedBlocks(count: 1).lookahead + 4)
        try FileManager.default.createDirectory(atPath: folder + "/blocked/purchase_suggestions.csv", withIntermediateDirectories: true)
        let outcome = ConcurrentSlots<String>(count: 1)
        let returned = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var blocked = FolderSink(folder: folder + "/blocked")
            do {
                _ = try Planner.plan(model, writeLP: false, into: &blocked)
                outcome.set(0, "no error")
            } catch {
                outcome.set(0, "\(error)")
            }
            returned.signal()
        }
        XCTAssertEqual(returned.wait(timeout: .now() + 60), .success, "the run returned")
        XCTAssertTrue(outcome[0]?.contains("purchase_suggestions.csv: cannot write") ?? false, outcome[0] ?? "still running")
    }

    /// A write that fails half-way through pegging.csv (the last file before summary.json)
    /// stops the run with that error, and nothing after it is written (no summary).
    func testAFailedWriteStopsTheRun() throws {
        let folder = scratchPath("takt-full")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 2000, seed: 3, shape: .stress).files(), to: folder)
        let model = try ModelLoader.load(folder: folder)
        var sink = FullDiskSink(room: 2)
        XCTAssertThrowsError(try Planner.plan(model, writeLP: false, pegging: true, into: &sink)) { error in
            XCTAssertTrue(error is FullDiskSink.Full, "\(error)")
        }
        XCTAssertEqual(sink.names, ["planned_orders.csv", "deliveries.csv", "exceptions.csv", "mps.csv", "capacity.csv", "risks.csv", "gates.json",
                                    "kpis.csv", "report.md", "report.html", "purchase_suggestions.csv", "pegging.csv"])
        // A failure in the first file: the second core's purchase suggestions are left
        // unread, and the run still ends (no wait on a consumer that is gone) — also with
        // helpers rendering planned_orders.csv's blocks ahead of a writer that failed.
        var full = FullDiskSink(room: 0)
        XCTAssertThrowsError(try Planner.plan(model, writeLP: false, into: &full))
        XCTAssertEqual(full.names, ["planned_orders.csv"])
        let returned = DispatchSemaphore(value: 0)
        let names = ConcurrentSlots<[String]>(count: 1)
        DispatchQueue.global().async {
            var helped = FullDiskSink(room: 1)
            _ = try? Planner.plan(model, writeLP: false, pegging: false, previous: nil, simulate: nil, into: &helped,
                                  helpers: 3, orderBlock: 16)
            names.set(0, helped.names)
            returned.signal()
        }
        XCTAssertEqual(returned.wait(timeout: .now() + 60), .success, "the run with helpers returned")
        XCTAssertEqual(names[0], ["planned_orders.csv"])
    }
}

/// The loader's name index (it replaces `Dictionary` on the
/// hot path of `takt check`).
final class HashIndexTests: XCTestCase {
    func testNameIndexFindsEveryNameAndNothingElse() {
        var index = NameIndex()
        let names = (0..<50_000).map { "PART-\($0)" } + ["", "é-ünïcode", "PART-1 "]
        for name in names { index.append(name) }
        XCTAssertEqual(index.count, names.count)
        for (id, name) in names.enumerated() { XCTAssertEqual(index.find(name), id, name) }
        for absent in ["PART-50000", "part-1", "PART-", " PART-1", "é-ünïcod"] { XCTAssertNil(index.find(absent), absent) }
        var bytes = Array("PART-4711".utf8)
        XCTAssertEqual(bytes.withUnsafeBufferPointer { index.find($0) }, 4711)
        bytes = []
        XCTAssertEqual(bytes.withUnsafeBufferPointer { index.find($0) }, 50_000)
    }

    /// A slot holds a name's length and first 11 bytes: names alike there (one head, one
    /// length, even past 255 bytes) are told apart by their other bytes, names that differ
    /// only in length or in a trailing NUL are two names, and growth keeps every one.
    func testNamesAlikeInTheirSlotAreToldApartByTheirOtherBytes() {
        var index = NameIndex()
        let long = String(repeating: "L", count: 300)
        var names: [String] = []
        for k in 0..<3_000 {
            names.append("ASSEMBLY-TOP-\(String(k + 10_000).suffix(4))") // one head, one length
            names.append("A\(k)")
            names.append("PART-\(k)".padding(toLength: 11, withPad: "-", startingAt: 0)) // exactly 11 bytes
        }
        names += ["AB", "AB\u{0}", "ABC\u{0}\u{0}", long, long + "X", long + "Y", String(repeating: "L", count: 255) + "Z"]
        for name in names {
            let added = Array(name.utf8).withUnsafeBufferPointer { index.appendIfAbsent($0) }
            XCTAssertNotNil(added, name)
        }
        XCTAssertEqual(index.count, names.count)
        for (id, name) in names.enumerated() where index.find(name) != id { XCTFail("\(name.prefix(20)) is not \(id)") }
        for absent in ["ASSEMBLY-TOP-9999", "ASSEMBLY-TOP-0000X", "ASSEMBLY-TOP-", "AB\u{0}\u{0}", "ABC\u{0}", "A",
                       long + "Z", String(long.dropLast()), "PART-0----", "PART-0------"] {
            XCTAssertNil(index.find(absent), absent)
        }
        XCTAssertEqual(index.find("PART-0-----".padding(toLength: 11, withPad: "-", startingAt: 0)), 2)
    }

    /// `appendIfAbsent` gives the next id to a new name and nil to one held already, byte
    /// for byte or (non-ASCII) in normalization form C, and grows the index as `append` does.
    func testAppendIfAbsentAddsOnlyNewNames() {
        var index = NameIndex()
        func add(_ name: String) -> Int? {
            let bytes = Array(name.utf8)
            return bytes.withUnsafeBufferPointer { index.appendIfAbsent($0) }
        }
        for k in 0..<20_000 { XCTAssertEqual(add("PART-\(k)"), k) }
        XCTAssertNil(add("PART-19999"))
        XCTAssertNil(add("PART-0"))
        XCTAssertEqual(add("PART-0 "), 20_000)
        XCTAssertEqual(add("CAF\u{C9}"), 20_001)
        // The same name with E and a combining accent: NFC-equal, so held already.
        XCTAssertNil(add("CAFE\u{301}"))
        XCTAssertEqual(add(""), 20_002)
        XCTAssertNil(add(""))
        XCTAssertEqual(index.count, 20_003)
        for k in 0..<20_000 where index.find("PART-\(k)") != k { XCTFail("PART-\(k) is not \(k)") }
        XCTAssertEqual(index.find("CAFE\u{301}"), 20_001)
        XCTAssertNil(index.find("PART-20000"))
    }

    /// Names of every length up to 40 (each of the hash's load patterns): the same bytes
    /// at another address hash alike, a byte changed anywhere changes the hash, a byte of
    /// 0x80 or more anywhere is seen, and the folded hash takes ASCII case alone as equal.
    func testTheNameHashReadsEveryByteOfEveryLength() {
        var random = SeededRandom(seed: 40)
        for n in 0...40 {
            let name = (0..<n).map { _ in UInt8(0x21 + random.below(0x7E - 0x21 + 1)) }
            let (hash, ascii) = name.withUnsafeBufferPointer { NameHash.hashAndASCII($0, fold: false) }
            XCTAssertTrue(ascii, "length \(n)")
            // The same bytes inside a longer buffer, at an odd address.
            let padded = [0x41, 0x42, 0x43] + name + [0x44, 0x45]
            XCTAssertEqual(padded.withUnsafeBufferPointer { NameHash.hash(UnsafeBufferPointer(rebasing: $0[3..<3 + n])) }, hash, "length \(n)")
            for k in 0..<n {
                var changed = name
                changed[k] ^= 0x01
                XCTAssertNotEqual(changed.withUnsafeBufferPointer { NameHash.hash($0) }, hash, "length \(n), byte \(k)")
                changed = name
                changed[k] = 0xC3
                XCTAssertFalse(changed.withUnsafeBufferPointer { NameHash.hashAndASCII($0, fold: false).ascii }, "length \(n), byte \(k)")
            }
            let upper = name.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }
            let lower = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
            XCTAssertEqual(upper.withUnsafeBufferPointer { NameHash.foldedHash($0) }, lower.withUnsafeBufferPointer { NameHash.hash($0) }, "length \(n)")
        }
        // One name a length longer than another, its extra byte a zero, hashes apart.
        XCTAssertNotEqual([UInt8]([0x41, 0x42]).withUnsafeBufferPointer { NameHash.hash($0) },
                          [UInt8]([0x41, 0x42, 0]).withUnsafeBufferPointer { NameHash.hash($0) })
    }

    /// The folding of a word's bytes to lower case, against each byte on its own: all 256
    /// values in every lane.
    func testLoweringAWordChangesOnlyTheUpperCaseLetters() {
        for value in 0...255 {
            let b = UInt8(value)
            let expected = UInt64(b >= 0x41 && b <= 0x5A ? b + 32 : b)
            for lane in 0..<8 {
                // The other lanes hold letters and high bytes that must not leak across.
                let background: UInt64 = 0x5A41_FF80_7A61_5B40
                let shift = UInt64(lane * 8)
                let word = background & ~(0xFF << shift) | UInt64(b) << shift
                XCTAssertEqual(NameHash.lowered(word) >> shift & 0xFF, expected, "byte \(value) in lane \(lane)")
            }
        }
    }
}

extension OutputSinkTests {
    /// Both order files keep one chunk from block to block on a thread: a block rendered
    /// again is emitted from the same storage. (Had the chunk been handed to the writer
    /// while the table still held it, each block would have got a fresh buffer, allocated
    /// while the old one was still held, at another address.)
    func testTheOrderFilesReuseTheirChunkFromBlockToBlock() throws {
        let model = try generatedModel(600, seed: 8, shape: .realistic)
        let (schedule, mrp) = Planner.materialPlan(model)
        let projection = Planner.project(model, mps: schedule, mrp: mrp)
        let labels = MaterialTables.ItemLabels(model.items)
        /// The storage each chunk a render emits lies in.
        func addresses(_ render: (([UInt8]) -> Void) -> Void) -> [UnsafeRawPointer?] {
            var seen: [UnsafeRawPointer?] = []
            render { chunk in seen.append(chunk.withUnsafeBytes { $0.baseAddress }) }
            return seen
        }
        let purchases = PurchaseSuggestionTable(model: model, mrp: mrp, projection: projection, labels: labels)
        XCTAssertGreaterThan(purchases.supplierCount, 1)
        let first = addresses { purchases.render(0, emit: $0) }
        XCTAssertEqual(first.count, 1, "a small block is one chunk")
        XCTAssertEqual(addresses { purchases.render(0, emit: $0) }, first)
        XCTAssertEqual(addresses { purchases.render(1, emit: $0) }, first, "the next block too (no larger)")
        let orders = PlannedOrderTable(mrp: mrp, projection: projection, labels: labels, blockOrders: 50)
        XCTAssertGreaterThan(orders.blockCount, 2)
        // The same block again (a larger one may outgrow the chunk, and rightly move it).
        let firstOrders = addresses { orders.render(1, emit: $0) }
        XCTAssertEqual(firstOrders.count, 1)
        XCTAssertEqual(addresses { orders.render(1, emit: $0) }, firstOrders)
    }

    /// planned_orders.csv in blocks of a few orders, rendered by three helpers and the
    /// writer at once, and by a helper alone before the writer starts: the same bytes as in
    /// one block, every order one row, and blocks cut between items only (an item's
    /// orders, sorted together, are never split).
    func testPlannedOrdersInBlocksSharedByHelpersAreTheSameFile() throws {
        let model = try generatedModel(1500, seed: 8, shape: .stress)
        let (schedule, mrp) = Planner.materialPlan(model)
        let projection = Planner.project(model, mps: schedule, mrp: mrp)
        let labels = MaterialTables.ItemLabels(model.items)
        let whole = PlannedOrderTable(mrp: mrp, projection: projection, labels: labels, blockOrders: Int.max)
        XCTAssertEqual(whole.blockCount, 1)
        var one: [UInt8] = []
        whole.render(0) { one.append(contentsOf: $0) }
        XCTAssertEqual(Array(one.prefix(PlannedOrderTable.header.count)), PlannedOrderTable.header)
        XCTAssertEqual(one.filter { $0 == 0x0A }.count, mrp.orders.count + 1, "a row an order, and the header")

        let small = PlannedOrderTable(mrp: mrp, projection: projection, labels: labels, blockOrders: 7)
        XCTAssertGreaterThan(small.blockCount, 100)
        let blocks = OrderedBlocks(count: small.blockCount, lookahead: 4)
        let helpers = DispatchGroup()
        for _ in 0..<3 {
            DispatchQueue.global().async(group: helpers) {
                blocks.help { small.render($0, emit: $1) }
            }
        }
        var shared: [UInt8] = []
        var lastItems: [String] = []
        try blocks.write(render: { try small.render($0, emit: $1) }) { chunk in
            shared.append(contentsOf: chunk)
        }
        helpers.wait()
        XCTAssertEqual(shared, one)
        // Every block rendered by a helper before the writer starts, and deposited: the
        // writer only puts them in order.
        let ahead = OrderedBlocks(count: small.blockCount, lookahead: small.blockCount)
        let helper = DispatchGroup()
        DispatchQueue.global().async(group: helper) { ahead.help { small.render($0, emit: $1) } }
        helper.wait()
        var deposited: [UInt8] = []
        try ahead.write(render: { _, _ in XCTFail("every block was rendered by the helper") }) { deposited.append(contentsOf: $0) }
        XCTAssertEqual(deposited, one)
        // Each block starts with an item the block before does not hold.
        for block in 0..<small.blockCount {
            var bytes: [UInt8] = []
            small.render(block) { bytes.append(contentsOf: $0) }
            let rows = String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst(block == 0 ? 1 : 0)
            XCTAssertFalse(rows.isEmpty, "block \(block)")
            let items = rows.map { String($0.prefix { $0 != "," }) }
            if let first = items.first { XCTAssertFalse(lastItems.contains(first), "block \(block) splits \(first)") }
            lastItems = items
        }
    }
}

extension OutputSinkTests {
    /// risks.csv in blocks rendered by several threads (the decision files' helper) is the
    /// file rendered in one pass: the header once, every risk one row, in order.
    func testRisksInBlocksSharedByHelpersAreTheSameFile() throws {
        let result = Planner.run(try generatedModel(1500, seed: 8, shape: .stress))
        XCTAssertGreaterThan(result.risks.count, 100)
        var one: [UInt8] = []
        DecisionTables.risks(result, block: 0, size: Int.max) { one.append(contentsOf: $0) }
        var whole: [UInt8] = []
        DecisionTables.risks(result) { whole.append(contentsOf: $0) }
        XCTAssertEqual(whole, one)
        let size = 7
        let blocks = OrderedBlocks(count: DecisionTables.riskBlockCount(result, size: size), lookahead: 4)
        XCTAssertEqual(blocks.count, (result.risks.count + size - 1) / size)
        let helpers = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: helpers) {
                blocks.help { DecisionTables.risks(result, block: $0, size: size, emit: $1) }
            }
        }
        var shared: [UInt8] = []
        try blocks.write(render: { try DecisionTables.risks(result, block: $0, size: size, emit: $1) }) { shared.append(contentsOf: $0) }
        helpers.wait()
        XCTAssertEqual(shared, one)
        XCTAssertEqual(String(decoding: one, as: UTF8.self).split(separator: "\n").count, result.risks.count + 1)
    }
}

/// Two threads share the rendering of one file's blocks; the writer puts them in order.
final class OrderedBlocksTests: XCTestCase {
    func testBlocksRenderedByTwoThreadsAreWrittenInOrder() throws {
        let blocks = OrderedBlocks(count: 200)
        let helped = ConcurrentSlots<Int>(count: 1)
        @Sendable func render(_ k: Int, _ emit: ([UInt8]) throws -> Void) rethrows {
            // The writer's first block is slow, so the helper takes many of the others.
            if k == 0 { usleep(50_000) }
            try emit(Array("block \(k)\n".utf8))
            try emit(Array("end \(k)\n".utf8))
        }
        let helper = DispatchGroup()
        DispatchQueue.global().async(group: helper) {
            usleep(5_000)
            var count = 0
            blocks.help { k, emit in
                count += 1
                render(k, emit)
            }
            helped.set(0, count)
        }
        var written: [UInt8] = []
        try blocks.write(render: { try render($0, $1) }) { written.append(contentsOf: $0) }
        helper.wait()
        XCTAssertEqual(String(decoding: written, as: UTF8.self), (0..<200).map { "block \($0)\nend \($0)\n" }.joined())
        XCTAssertGreaterThan(helped[0]!, 0, "the helper rendered some blocks")
    }

    /// A helper renders at most `lookahead` blocks ahead of the writer (what waits in
    /// memory stays bounded however slow the writing is), and the file is still in order.
    func testAHelperStaysWithinItsLookahead() throws {
        let blocks = OrderedBlocks(count: 300, lookahead: 4)
        let written = ConcurrentSlots<Int>(count: 2) // blocks written; the farthest a helper got ahead
        written.set(0, 0)
        written.set(1, Int.min)
        let helper = DispatchGroup()
        DispatchQueue.global().async(group: helper) {
            blocks.help { k, emit in
                written.set(1, max(written[1]!, k - written[0]!))
                emit(Array("\(k)\n".utf8))
            }
        }
        var file: [UInt8] = []
        try blocks.write(render: { k, emit in try emit(Array("\(k)\n".utf8)) }) { chunk in
            usleep(200) // a slow disk
            file.append(contentsOf: chunk)
            written.set(0, written[0]! + 1) // one chunk a block
        }
        helper.wait()
        XCTAssertEqual(String(decoding: file, as: UTF8.self), (0..<300).map { "\($0)\n" }.joined())
        XCTAssertGreaterThan(written[1]!, 0, "the helper rendered ahead of the writer")
        XCTAssertLessThan(written[1]!, 4, "never lookahead blocks ahead")
    }

    /// Several helpers (the cores beyond two) share the blocks with the writer: the file is
    /// in order, each block rendered once, and none runs `lookahead` blocks ahead.
    func testSeveralHelpersShareTheBlocks() throws {
        let blocks = OrderedBlocks(count: 500, lookahead: 6)
        let state = ConcurrentSlots<Int>(count: 2) // blocks written; the farthest a helper got ahead
        state.set(0, 0)
        state.set(1, Int.min)
        let rendered = ConcurrentSlots<Bool>(count: 500)
        @Sendable func render(_ k: Int, _ emit: ([UInt8]) throws -> Void) rethrows {
            XCTAssertNil(rendered[k], "block \(k) rendered twice")
            rendered.set(k, true)
            try emit(Array("\(k)\n".utf8))
        }
        let helpers = DispatchGroup()
        for _ in 0..<3 {
            DispatchQueue.global().async(group: helpers) {
                blocks.help { k, emit in
                    state.set(1, max(state[1]!, k - state[0]!))
                    render(k, emit)
                }
            }
        }
        var file: [UInt8] = []
        try blocks.write(render: { try render($0, $1) }) { chunk in
            usleep(50)
            file.append(contentsOf: chunk)
            state.set(0, state[0]! + 1)
        }
        helpers.wait()
        XCTAssertEqual(String(decoding: file, as: UTF8.self), (0..<500).map { "\($0)\n" }.joined())
        XCTAssertLessThan(state[1]!, 6)
    }

    /// A writer that fails stops handing out blocks: the helper returns.
    /// A helper that runs before the writer on the same thread (`beside` of workers that
    /// run one thing at a time) stops `lookahead` blocks ahead instead of waiting for it;
    /// the writer then writes every block in order, the helper's among them.
    func testAHelperLeavesAWriterThatHasNotStarted() throws {
        let blocks = OrderedBlocks(count: 50, lookahead: 3)
        var helped: [Int] = []
        blocks.help(leavingAnUnstartedWriter: true) { k, emit in
            helped.append(k)
            emit(Array("\(k)\n".utf8))
        }
        XCTAssertEqual(helped, [0, 1, 2])
        var written = ""
        try blocks.write(render: { k, emit in try emit(Array("\(k)\n".utf8)) }) { written += String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(written, (0..<50).map { "\($0)\n" }.joined())
    }

    func testAFailingWriterStopsTheHelper() {
        let blocks = OrderedBlocks(count: 1000)
        struct Full: Error {}
        XCTAssertThrowsError(try blocks.write(render: { k, emit in try emit([UInt8(k % 256)]) }) { _ in throw Full() })
        var rendered = 0
        blocks.help { _, _ in rendered += 1 }
        XCTAssertEqual(rendered, 0)
    }
}

/// Blocks made by a second thread and by the consumer while it waits (the projection's
/// requirement rows): taken in order, each made once.
final class BlocksInOrderTests: XCTestCase {
    func testTheConsumerTakesEveryBlockInOrderAndMakesWhatIsNotClaimed() {
        let blocks = BlocksInOrder<[Int]>(count: 400)
        let makes = ConcurrentSlots<Int>(count: 400) // who made each block: 0 the maker, 1 the consumer
        let maker = DispatchGroup()
        DispatchQueue.global().async(group: maker) {
            while let k = blocks.claim() {
                XCTAssertNil(makes[k], "block \(k) made twice")
                makes.set(k, 0)
                usleep(k % 50 == 0 ? 3_000 : 100) // now and then far slower than the consumer
                blocks.put(k, [k, k * k])
            }
        }
        var taken: [[Int]] = []
        for k in 0..<400 {
            taken.append(blocks.take(k) { j in
                XCTAssertNil(makes[j], "block \(j) made twice")
                makes.set(j, 1)
                usleep(100)
                return [j, j * j]
            })
        }
        maker.wait()
        XCTAssertEqual(taken, (0..<400).map { [$0, $0 * $0] })
        let who = makes.values.map { $0! }
        XCTAssertTrue(who.contains(0), "the maker made some blocks")
        XCTAssertTrue(who.contains(1), "the consumer made the blocks nobody had claimed")
        XCTAssertNil(blocks.claim(), "every block was claimed")
    }

    /// A maker that claims every block before the consumer starts (workers that run their
    /// tasks one after the other): the consumer makes none.
    func testBlocksAllMadeBeforehandAreTakenAsMade() {
        // A lookahead does not hold back a maker whose consumer has not started.
        let blocks = BlocksInOrder<Int>(count: 50, lookahead: 2)
        while let k = blocks.claim() { blocks.put(k, 3 * k) }
        let taken = (0..<50).map { k in blocks.take(k) { _ in XCTFail("nothing is left to make"); return -1 } }
        XCTAssertEqual(taken, (0..<50).map { 3 * $0 })
    }

    /// A fast maker stays fewer than `lookahead` blocks ahead of a slow consumer once the
    /// consumer has started, and every block is still taken in order.
    func testAMakerStaysWithinItsLookaheadOfAStartedConsumer() {
        let count = 300, lookahead = 5
        let blocks = BlocksInOrder<Int>(count: count, lookahead: lookahead)
        let consumed = ConcurrentSlots<Int>(count: 1)
        consumed.set(0, 0)
        let farthest = ConcurrentSlots<Int>(count: 1)
        farthest.set(0, 0)
        let maker = DispatchGroup()
        _ = blocks.take(0) { $0 }  // the consumer starts
        consumed.set(0, 1)
        DispatchQueue.global().async(group: maker) {
            while let k = blocks.claim() {
                farthest.set(0, max(farthest[0]!, k - consumed[0]!))
                blocks.put(k, k)
            }
        }
        var taken = [0]
        for k in 1..<count {
            usleep(50)
            taken.append(blocks.take(k) { $0 })
            consumed.set(0, k + 1)
        }
        maker.wait()
        XCTAssertEqual(taken, Array(0..<count))
        XCTAssertLessThan(farthest[0]!, lookahead, "the maker ran ahead by \(farthest[0]!)")
    }
}
