import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §1: the CSV reader's edge cases, numbers, dates and the loader's diagnostics.
final class InputTests: XCTestCase {
    func parse(_ text: String) -> (CSVTable?, [String]) {
        var sink = DiagnosticSink()
        let table = CSVTable.parse(Array(text.utf8), file: "f.csv", sink: &sink)
        return (table, sink.diagnostics.map(\.description))
    }

    func testQuotedFieldsWithCommasQuotesAndNewlinesKeepPhysicalLineNumbers() throws {
        let (table, errors) = parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",2\r\n\r\nlast,3")
        XCTAssertEqual(errors, [])
        let t = try XCTUnwrap(table)
        XCTAssertEqual(t.header, ["a", "b"])
        XCTAssertEqual(t.rowCount, 3)
        XCTAssertEqual(t.string(0, 0), "x, y")
        XCTAssertEqual(t.string(0, 1), "say \"hi\"")
        XCTAssertEqual(t.string(1, 0), "multi\nline")
        XCTAssertEqual((0..<3).map { t.line($0) }, [2, 3, 6], "the blank line 5 is skipped; line 6 follows the embedded newline")
        XCTAssertEqual(t.string(2, 1), "3")
    }

    func testByteOrderMarkAndMissingTrailingFieldsAndSpaces() throws {
        let (table, errors) = parse("\u{FEFF}item , on_hand\n A ,\n")
        XCTAssertEqual(errors, [])
        let t = try XCTUnwrap(table)
        XCTAssertEqual(t.header, ["item", "on_hand"])
        XCTAssertEqual(t.string(0, 0), "A")
        XCTAssertTrue(t.isEmpty(0, 1))
        XCTAssertTrue(t.isEmpty(0, 7), "a column the row lacks reads as empty")
    }

    /// Without `horizon_weeks` the horizon is the phases' weeks, or a year when the plan
    /// has no phases (a plain MRP run): its demand is planned, not dropped past week 1.
    func testHorizonDefaultsToThePhasesOrAYear() throws {
        let plain = try TempModel([
            "plan.yaml": "start: 2027-01-04\n",
            "items.csv": "item,type,lead_time_days\nA,buy,7\n",
            "demand.csv": "item,date,quantity\nA,2027-03-01,5\n",
        ]).load()
        XCTAssertEqual(plain.plan.horizonWeeks, 52)
        XCTAssertEqual(Planner.run(plain).mrp.orders.map(\.quantity), [5])
        let phased = try TempModel([
            "plan.yaml": "start: 2027-01-04\nphases:\n  - {name: A, weeks: 3, capacity_pct: 0}\n  - {name: B, weeks: 4, capacity_pct: 0}\n",
            "items.csv": "item,type\nA,buy\n",
        ]).load()
        XCTAssertEqual(phased.plan.horizonWeeks, 7)
    }

    func testMalformedCSV() {
        XCTAssertEqual(parse("a\n\"open\n").1, ["f.csv:2: unterminated quoted field"])
        XCTAssertEqual(parse("a,b\n\"x\"y,1\n").1, ["f.csv:2: unexpected text after a closing quote"])
        XCTAssertEqual(parse("").1, ["f.csv:1: file is empty: a header row is required"])
        var sink = DiagnosticSink()
        XCTAssertNil(CSVTable.parse([0x61, 0x0A, 0xFF, 0x0A], file: "f.csv", sink: &sink))
        XCTAssertEqual(sink.diagnostics.map(\.description), ["f.csv:2: file is not UTF-8 text (a byte that is not UTF-8, or a NUL byte)"])
        // A NUL byte is valid UTF-8 but no text: refused with the same message, on its line.
        var nul = DiagnosticSink()
        XCTAssertNil(CSVTable.parse(Array("item,type\nA\u{0},buy\n".utf8), file: "f.csv", sink: &nul))
        XCTAssertEqual(nul.diagnostics.map(\.description), ["f.csv:2: file is not UTF-8 text (a byte that is not UTF-8, or a NUL byte)"])
        // The eight-bytes-at-a-time ASCII check hands a zero byte or a high bit to the
        // byte-wise one, which finds the line (here past the first eight bytes).
        XCTAssertEqual(UTF8Check.firstInvalidLine(Array("item,type\nA,buy\nB\u{0},buy\n".utf8)), 3)
        XCTAssertEqual(UTF8Check.firstInvalidLine(Array("item,type\nCAFÉ,buy\n".utf8)), nil)
        XCTAssertEqual(UTF8Check.firstInvalidLine(Array("item,type\nA,buy\n".utf8) + [0xC3]), 3)
    }

    /// The short-number path of `DecimalParser.parse` reads every string as the general
    /// one does: random strings of digits, points, signs and exponents.
    func testDecimalParserShortPathAgreesWithTheGeneralOne() {
        let alphabet = Array("0123456789012345678900000.-+e")
        var generator = SystemRandomNumberGenerator()
        var numbers = 0
        for round in 0..<50_000 {
            let text = String((0..<(1 + round % 20)).map { _ in alphabet.randomElement(using: &generator)! })
            let bytes = Array(text.utf8)
            let (short, general) = bytes.withUnsafeBufferPointer { (DecimalParser.parse($0), DecimalParser.parseAnyLength($0)) }
            XCTAssertEqual(short?.bitPattern, general?.bitPattern, text)
            if short != nil { numbers += 1 }
        }
        XCTAssertGreaterThan(numbers, 5_000, "numbers were among the strings")
    }

    func testDecimalParsing() {
        XCTAssertEqual(DecimalParser.parse("12.5"), 12.5)
        XCTAssertEqual(DecimalParser.parse("-0.001"), -0.001)
        XCTAssertEqual(DecimalParser.parse("1e3"), 1000)
        XCTAssertEqual(DecimalParser.parse("0.1"), 0.1)
        XCTAssertEqual(DecimalParser.parse("123456789012345678901234"), 123456789012345678901234.0)
        for bad in ["", "-", ".", "1,5", "nan", "inf", "1e", "0x10", "1.2.3", "١٢"] {
            XCTAssertNil(DecimalParser.parse(bad), bad)
        }
    }

    func testDates() {
        XCTAssertEqual(Day(iso: "1970-01-01")?.number, 0)
        XCTAssertEqual(Day(iso: "2027-01-04")?.weekday, 1)
        XCTAssertEqual(Day(iso: "2028-02-29")?.description, "2028-02-29")
        for bad in ["2027-02-29", "2027-13-01", "2027-1-4", "27-01-04", "2027/01/04", "2027-01-04T00:00"] {
            XCTAssertNil(Day(iso: bad), bad)
        }
        let day = Day(iso: "2031-12-31")!
        XCTAssertEqual(Day(iso: day.description), day)
    }

    /// Figures in messages that a threshold decides: never rounded onto the threshold.
    func testAFigureIsNotRoundedOntoTheThresholdThatJudgesIt() {
        XCTAssertEqual(NumberFormat.fixed(0.0006, decimals: 1, apartFrom: 0), "0.0006")
        XCTAssertEqual(NumberFormat.fixed(0.000002, decimals: 2, apartFrom: 0), "0.000002")
        XCTAssertEqual(NumberFormat.fixed(90.00025, decimals: 1, apartFrom: 90), "90.00025")
        XCTAssertEqual(NumberFormat.fixed(89.99, decimals: 1, apartFrom: 90), "89.99")
        // Already apart, or the threshold itself: as `fixed(_:decimals:)`.
        XCTAssertEqual(NumberFormat.fixed(21066.049, decimals: 2, apartFrom: 0), "21066.05")
        XCTAssertEqual(NumberFormat.fixed(90, decimals: 1, apartFrom: 90), "90")
        XCTAssertEqual(NumberFormat.fixed(83.04, decimals: 1, apartFrom: 90), "83")
    }

    /// A purchase suggestion's amount: a whole quantity at a price in whole cents is written
    /// from the integer number of cents, and must give the bytes that formatting the Double
    /// product gives, for prices as the files give them (parsed from at most 2 decimals),
    /// up to an amount of 10^8, and on the edges (no cents, whole amounts, 99,999,999.99).
    func testAmountsInCentsAreWrittenAsTheDoubleProduct() {
        XCTAssertNil(NumberFormat.cents(of: 0.001))
        XCTAssertNil(NumberFormat.cents(of: 0.1 + 0.2), "0.30000000000000004 is not the Double of 0.3")
        XCTAssertNil(NumberFormat.cents(of: -1))
        XCTAssertNil(NumberFormat.cents(of: 1e7))
        XCTAssertEqual(NumberFormat.cents(of: 0.09), 9)
        XCTAssertEqual(NumberFormat.cents(of: 999_999.99), 99_999_999)
        var (fast, slow) = ([UInt8](repeating: 0, count: 64), [UInt8](repeating: 0, count: 64))
        func check(quantity: UInt64, priceText: String) {
            guard let price = DecimalParser.parse(priceText), let cents = NumberFormat.cents(of: price) else {
                return XCTFail("\(priceText) is not in whole cents")
            }
            let amount = quantity * cents
            guard amount < 10_000_000_000 else { return }
            let a = fast.withUnsafeMutableBufferPointer { NumberFormat.write(cents: amount, to: $0.baseAddress!) }
            let b = slow.withUnsafeMutableBufferPointer { NumberFormat.write(Double(quantity) * price, to: $0.baseAddress!) }
            XCTAssertEqual(String(decoding: fast[0..<a], as: UTF8.self), b.map { String(decoding: slow[0..<$0], as: UTF8.self) },
                           "\(quantity) × \(priceText)")
        }
        for (quantity, price) in [(0, "0.09"), (1, "0"), (3, "0.1"), (7, "1.5"), (99_999_999, "1"),
                                  (9_999_999, "9.99"), (2781, "0.09"), (100, "0.01"), (33, "0.33"), (1, "999999.99")] {
            check(quantity: UInt64(quantity), priceText: price)
        }
        for _ in 0..<200_000 {
            let cents = UInt64.random(in: 0..<(Bool.random() ? 100_000 : 100_000_000))
            let text = "\(cents / 100)." + (cents % 100 < 10 ? "0" : "") + "\(cents % 100)"
            XCTAssertEqual(DecimalParser.parse(text).flatMap(NumberFormat.cents(of:)), cents, text)
            check(quantity: UInt64.random(in: 0..<(Bool.random() ? 10_000 : 100_000_000)), priceText: text)
        }
    }

    func testNumberFormatting() {
        // The pointer path writes what the array path appends, and refuses what it cannot.
        var buffer = [UInt8](repeating: 0, count: NumberFormat.maxFastWidth)
        for value in [0, -0.0, 1, -1, 0.1, 12.5, 1.0 / 3, -2.0 / 3, 123456.0000004, 8_999_999_999.999999, 1e15, .nan] {
            for decimals in [0, 2, 6] {
                var appended: [UInt8] = []
                NumberFormat.append(value, decimals: decimals, to: &appended)
                let count = buffer.withUnsafeMutableBufferPointer { NumberFormat.write(value, decimals: decimals, to: $0.baseAddress!) }
                if let count {
                    XCTAssertEqual(Array(buffer[0..<count]), appended, "\(value) \(decimals)")
                } else {
                    XCTAssertGreaterThanOrEqual(abs(value) * pow(10, Double(decimals)), 9e15, "\(value) \(decimals)")
                }
            }
        }
        XCTAssertNil(buffer.withUnsafeMutableBufferPointer { NumberFormat.write(9e9, to: $0.baseAddress!) })
        // The digits go down eight bytes at a time: the largest numbers of each precision,
        // with a fraction and a sign, stay within `maxFastWidth` bytes (a sentinel after).
        for decimals in 0...6 {
            let largest = 8.9e15 / pow(10, Double(decimals)) + (decimals > 0 ? 0.5 : 0)
            for value in [largest, -largest, -largest / 3, 123_456_789.25, -1.0 / 3] {
                var room = [UInt8](repeating: 0xAA, count: NumberFormat.maxFastWidth + 16)
                let count = room.withUnsafeMutableBufferPointer { NumberFormat.write(value, decimals: decimals, to: $0.baseAddress!) }
                XCTAssertNotNil(count, "\(value) \(decimals)")
                XCTAssertEqual(Array(room[NumberFormat.maxFastWidth...]), Array(repeating: 0xAA, count: 16), "\(value) \(decimals)")
                var appended: [UInt8] = []
                NumberFormat.append(value, decimals: decimals, to: &appended)
                XCTAssertEqual(Array(room[0..<(count ?? 0)]), appended, "\(value) \(decimals)")
            }
        }
        // Whole numbers take a path of their own below 10^8: their digits, a sign when
        // negative (never "-0"), for any decimals, on both sides of 10^8.
        let wholes: [Double] = [0, -0.0, 1, -1, 7, 10, 99_999_999, -99_999_999, 100_000_000, -100_000_000, 100_000_001, 123_456_789]
        for value in wholes + (0..<20_000).map({ _ in Double(Int64.random(in: -300_000_000...300_000_000)) }) {
            for decimals in [0, 2, 6] {
                let count = buffer.withUnsafeMutableBufferPointer { NumberFormat.write(value, decimals: decimals, to: $0.baseAddress!) }
                XCTAssertEqual(count.map { String(decoding: buffer[0..<$0], as: UTF8.self) }, String(Int64(value)), "\(value) \(decimals)")
            }
        }
        // The eight-digit word: every digit in its byte, most significant first, at the
        // edges of each lane split (10^4, 10^2, 10) and on random values.
        let edges: [UInt64] = [0, 1, 9, 10, 99, 100, 9_999, 10_000, 10_001, 99_999_999, 12_345_678, 90_000_000, 100, 1_000_000]
        for n in edges + (0..<20_000).map({ _ in UInt64.random(in: 0..<100_000_000) }) {
            let word = NumberFormat.eightDigits(n)
            let digits = (0..<8).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) }
            let expected = Array(String(n).utf8).map { $0 - 0x30 }
            XCTAssertEqual(digits, Array(repeating: 0, count: 8 - expected.count) + expected, "\(n)")
        }
        // Rounding is half away from zero, as `rounded()`: exact halves, the Double just below
        // a half (where adding 0.5 and flooring goes wrong), halves just below 2^52, and
        // random values of every magnitude, against the digits `rounded()` gives.
        func reference(_ value: Double, _ decimals: Int) -> String? {
            let scale = pow(10, Double(decimals))
            let scaled = (abs(value) * scale).rounded()
            guard scaled < 9e15 else { return nil }
            let units = UInt64(scaled), divisor = UInt64(scale)
            var text = String(units / divisor)
            var fraction = String(units % divisor)
            if units % divisor > 0 {
                fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
                while fraction.hasSuffix("0") { fraction.removeLast() }
                text += "." + fraction
            }
            return units > 0 && value < 0 ? "-" + text : text
        }
        var generator = SystemRandomNumberGenerator()
        let halves: [Double] = [0.5, 2.5, 3.5, 0.49999999999999994, 4_503_599_627_370_495.5, 4_503_599_627_370_494.5, 1_000_000.5]
        let random = (0..<20_000).map { _ in
            Double.random(in: 1...10, using: &generator) * pow(10, Double(Int.random(in: -8...15, using: &generator)))
                * (Bool.random(using: &generator) ? 1 : -1)
        }
        for value in halves.flatMap({ [$0, -$0] }) + random {
            for decimals in (value.magnitude.truncatingRemainder(dividingBy: 1) == 0.5 || halves.contains(value.magnitude) ? [0] : [0, 2, 6]) {
                let count = buffer.withUnsafeMutableBufferPointer { NumberFormat.write(value, decimals: decimals, to: $0.baseAddress!) }
                XCTAssertEqual(count.map { String(decoding: buffer[0..<$0], as: UTF8.self) }, reference(value, decimals), "\(value) \(decimals)")
            }
        }
        XCTAssertEqual(NumberFormat.quantity(9e9), "9000000000")
        XCTAssertEqual(NumberFormat.quantity(100), "100")
        XCTAssertEqual(NumberFormat.quantity(12.5), "12.5")
        XCTAssertEqual(NumberFormat.quantity(1.0 / 3), "0.333333")
        XCTAssertEqual(NumberFormat.quantity(-0.0), "0")
        XCTAssertEqual(NumberFormat.quantity(-1e-12), "0")
        XCTAssertEqual(NumberFormat.quantity(-2.5), "-2.5")
        XCTAssertEqual(NumberFormat.quantity(1e12), "1000000000000")
        XCTAssertEqual(NumberFormat.quantity(.nan), "0")
        XCTAssertEqual(NumberFormat.fixed(48, decimals: 1), "48")
        // Leading zeros of the fraction stay, trailing ones go; integers of every length.
        XCTAssertEqual(NumberFormat.quantity(0.05), "0.05")
        XCTAssertEqual(NumberFormat.quantity(-3.000004), "-3.000004")
        XCTAssertEqual(NumberFormat.quantity(7.1000005), "7.100001")
        XCTAssertEqual(NumberFormat.quantity(0.0000005), "0.000001")
        XCTAssertEqual(NumberFormat.quantity(999_999.9999996), "1000000")
        XCTAssertEqual(NumberFormat.quantity(8_999_999_999.5), "8999999999.5")
        XCTAssertEqual(NumberFormat.fixed(-0.004, decimals: 2), "0")
        var bytes: [UInt8] = []
        for value: UInt64 in [0, 9, 10, 1234567890, .max] { NumberFormat.appendInteger(value, to: &bytes); bytes.append(0x2C) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "0,9,10,1234567890,18446744073709551615,")
    }

    func testInputDigestKnownVectors() {
        XCTAssertEqual(InputDigest.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(InputDigest.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(InputDigest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(InputDigest.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "one million a's: many full blocks")
    }

    func testLongCycleIsPrintedAsItsPath() throws {
        let errors = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,make\nB,make\nC,make\nD,make\n",
            "bom.csv": "parent,component,qty_per\nA,B,1\nB,C,1\nC,D,1\nD,B,1\n",
        ]).problems()
        XCTAssertEqual(errors, [Problem("bom.csv", 5, .bomCycle(["B", "C", "D", "B"]))])
    }

    func testEveryProblemIsReportedAtOnceUpToTheCap() throws {
        var inventory = "item,on_hand\n"
        for k in 0..<150 { inventory += "GHOST\(k),1\n" }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,make\n",
            "inventory.csv": inventory,
        ])
        XCTAssertThrowsError(try model.load()) { error in
            let input = error as! InputError
            XCTAssertEqual(input.diagnostics.count, 100)
            XCTAssertEqual(input.suppressed, 50)
            XCTAssertTrue(input.description.hasSuffix("… and 50 more errors"))
        }
    }

    /// The cap and the order hold across files read in parallel: errors of bom.csv come
    /// before those of inventory.csv and suppliers.csv, whatever core read them.
    func testMessagesKeepFileOrderAcrossParallelReads() throws {
        var bom = "parent,component,qty_per\n"
        for k in 0..<60 { bom += "A,NOBOM\(k),1\n" }
        var inventory = "item,on_hand\n"
        for k in 0..<60 { inventory += "NOINV\(k),1\n" }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,make\nB,buy\n",
            "bom.csv": bom,
            "inventory.csv": inventory,
            "suppliers.csv": "supplier,item,contracted,preferred\nS,B,TRUE,False\nT,B,yes,false\n",
        ])
        XCTAssertThrowsError(try model.load()) { error in
            let input = error as! InputError
            XCTAssertEqual(input.diagnostics.count, 100)
            XCTAssertEqual(input.suppressed, 21)
            XCTAssertTrue(input.diagnostics[59].description.contains("bom.csv:61: unknown item \"NOBOM59\""), input.diagnostics[59].description)
            XCTAssertTrue(input.diagnostics[60].description.contains("inventory.csv:2: unknown item \"NOINV0\""), input.diagnostics[60].description)
        }
        let suppliers = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nB,buy\n",
            "suppliers.csv": "supplier,item,contracted,preferred\nS,B,TRUE,False\nT,B,yes,false\n",
        ])
        XCTAssertEqual(suppliers.errors().map { String($0.split(separator: ":", maxSplits: 1)[1]) },
                       ["3: contracted must be true or false, got \"yes\""])
        let valid = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nB,buy\n",
            "suppliers.csv": "supplier,item,contracted,preferred\nS,B,TRUE,False\n",
        ]).load()
        XCTAssertEqual(valid.offers.map(\.contracted), [true])
        XCTAssertEqual(valid.offers.map(\.preferred), [false])
    }

    /// items.csv is read in two ways — names first and the other columns beside the other
    /// files when every name is there once, row by row otherwise — with the same messages
    /// in the same order: items.csv's before bom.csv's and suppliers.csv's.
    func testItemMessagesComeFirstOnBothReadingPaths() throws {
        let files = [
            "plan.yaml": planYAML(weeks: 2),
            "bom.csv": "parent,component,qty_per\nA,GHOST,1\n",
            "suppliers.csv": "supplier,item,moq\nS,B,-1\n",
        ]
        var clean = files
        clean["items.csv"] = "item,type,lot_size\nA,make,x\nB,gizmo,1\n"
        XCTAssertEqual(try TempModel(clean).problems(), [
            Problem("items.csv", 2, .notANumber(field: "lot_size", text: "x"), column: "lot_size"),
            Problem("items.csv", 3, .unknownType("gizmo"), column: "type"),
            Problem("bom.csv", 2, .unknownName(.item, "GHOST"), column: "component"),
            Problem("suppliers.csv", 2, .outOfRange(field: "moq", rule: .nonNegative, text: "-1"), column: "moq"),
        ])
        var repeated = files
        repeated["items.csv"] = "item,type,lot_size\nA,make,x\nB,gizmo,1\nA,buy,y\n"
        XCTAssertEqual(try TempModel(repeated).problems(), [
            Problem("items.csv", 2, .notANumber(field: "lot_size", text: "x"), column: "lot_size"),
            Problem("items.csv", 3, .unknownType("gizmo"), column: "type"),
            Problem("items.csv", 4, .duplicateName(.item, "A", firstLine: 2), column: "item"),
            Problem("bom.csv", 2, .unknownName(.item, "GHOST"), column: "component"),
            Problem("suppliers.csv", 2, .outOfRange(field: "moq", rule: .nonNegative, text: "-1"), column: "moq"),
        ])
        // Both paths give ids in row order and every column.
        var valid = files
        valid["bom.csv"] = "parent,component,qty_per\nA,B,2\n"
        valid["suppliers.csv"] = "supplier,item\nS,B\n"
        valid["items.csv"] = "item,type,lot_size,lot_rule\nA,make,,\nB,buy,5,foq\n"
        let model = try TempModel(valid).load()
        XCTAssertEqual(model.items.names, ["A", "B"])
        XCTAssertEqual(Array(model.items.lotSize), [0, 5])
        XCTAssertEqual(Array(model.items.type), [.make, .buy])
        XCTAssertEqual(model.items.id("B"), 1)
        XCTAssertEqual(model.offers.map(\.item), [1])
    }

    /// Read on the cores or one file after another, a model is the same model and a bad
    /// one gets the same messages in the same order (the loader's `Workers`).
    func testLoadingOnTheCoresAndSeriallyAgree() throws {
        let bad = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type,lot_size\nA,make,x\nB,gizmo,1\nA,buy,y\n",
            "bom.csv": "parent,component,qty_per\nA,GHOST,1\nA,B,1\nA,B,2\n",
            "suppliers.csv": "supplier,item,moq\nS,B,-1\n",
            "inventory.csv": "item,on_hand\nZ,1\n",
        ])
        func diagnostics(_ workers: any Workers) -> [Diagnostic] {
            do {
                _ = try ModelLoader.load(folder: bad.folder, workers: workers)
                return []
            } catch {
                return (error as? InputError)?.diagnostics ?? []
            }
        }
        let serial = diagnostics(SerialWorkers())
        XCTAssertEqual(serial.count, 7, "\(serial)")
        XCTAssertEqual(diagnostics(CoreWorkers()), serial)
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/drone").path
        let one = try ModelLoader.load(folder: folder, workers: SerialWorkers())
        let cores = try ModelLoader.load(folder: folder, workers: CoreWorkers())
        XCTAssertEqual(one.items.names, cores.items.names)
        XCTAssertEqual(Array(one.bom.component), Array(cores.bom.component))
        XCTAssertEqual(one.offers.map(\.item), cores.offers.map(\.item))
        XCTAssertEqual(one.receipts.map(\.quantity), cores.receipts.map(\.quantity))
        var (filesOne, filesCores) = (PlanOutputs.files(Planner.run(one)), PlanOutputs.files(Planner.run(cores)))
        filesOne["summary.json"] = nil  // its timings differ
        filesCores["summary.json"] = nil
        XCTAssertEqual(filesOne, filesCores)
    }

    /// A BOM line (parent, component, effective_from) or supplier offer (supplier, item)
    /// read twice is reported at the second line with the first; another effective_from
    /// or another supplier is no duplicate. An offer is found among all of its item's
    /// earlier ones, not only the latest, and a repeat is dropped: the third `S,B` names
    /// line 2 again, and `U,C` after a repeat is read.
    func testDuplicateBOMLinesAndOffersNameTheirFirstLine() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,make\nB,buy\nC,buy\n",
            "bom.csv": "parent,component,qty_per,effective_from\nA,B,1,\nA,C,1,\nA,B,2,2027-02-01\nA,B,3,\nA,C,1,\n",
            "suppliers.csv": "supplier,item\nS,B\nT,B\nS,C\nS,B\nU,C\nT,C\nS,B\nU,C\n",
        ])
        XCTAssertEqual(model.problems(), [
            Problem("bom.csv", 5, .duplicateBOMLine(parent: "A", component: "B", firstLine: 2)),
            Problem("bom.csv", 6, .duplicateBOMLine(parent: "A", component: "C", firstLine: 3)),
            Problem("suppliers.csv", 5, .duplicateSupplier(supplier: "S", item: "B", firstLine: 2), column: "supplier"),
            Problem("suppliers.csv", 8, .duplicateSupplier(supplier: "S", item: "B", firstLine: 2), column: "supplier"),
            Problem("suppliers.csv", 9, .duplicateSupplier(supplier: "U", item: "C", firstLine: 6), column: "supplier"),
        ])
    }

    /// What §1 does not list as an error is no error: a BOM line whose `effective_to` is
    /// before its `effective_from` is never in effect (a warning says so, and nothing is
    /// planned through it), and a plan.yaml key Takt does not read is read past with a
    /// warning — unless it is spelt like a key Takt reads, which stays an error.
    func testReversedEffectivityAndUnknownPlanKeysAreWarnings() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: A, full_rate_per_week: 10, description: main product}\n",
                                  phases: "  - {name: Run, weeks: 4, capacity_pct: 100, owner: PM}\n", extra: "program: Drone X\n"),
            "items.csv": "item,type\nA,make\nB,buy\nC,buy\n",
            "bom.csv": "parent,component,qty_per,effective_from,effective_to\nA,B,1,,\nA,C,1,2027-02-01,2027-01-01\n",
        ])
        XCTAssertEqual(model.errors(), [])
        let loaded = try model.load()
        let warnings = PlanWarnings.of(loaded).map { "\($0)".components(separatedBy: "/").last! }
        XCTAssertEqual(warnings.filter { $0.hasPrefix("bom.csv") },
                       ["bom.csv:3: warning: effective_to 2027-01-01 is before effective_from 2027-02-01: A → C is never in effect"])
        // The top level's keys first, then the products', then the phases'.
        XCTAssertEqual(warnings.filter { $0.contains("unknown key") }, [
            "plan.yaml:10: warning: unknown key \"program\"; ignored (no key Takt reads is spelt like it)",
            "plan.yaml:7: warning: unknown key \"description\" in a product; ignored (no key Takt reads is spelt like it)",
            "plan.yaml:9: warning: unknown key \"owner\" in a phase; ignored (no key Takt reads is spelt like it)",
        ])
        let result = Planner.run(loaded)
        XCTAssertTrue(result.mrp.orders(of: "C", in: loaded).isEmpty, "a line never in effect asks for nothing")
        XCTAssertFalse(result.mrp.orders(of: "B", in: loaded).isEmpty)
        let typo = try TempModel(["plan.yaml": planYAML(weeks: 4) + "horizon_week: 8\n", "items.csv": "item,type\nA,make\n"])
        XCTAssertEqual(typo.errors().map { $0.components(separatedBy: "/").last! },
                       ["plan.yaml:6: unknown key \"horizon_week\" (did you mean \"horizon_weeks\"?)"])
    }

    /// bom.csv is read in parts beside the other files and joined: its messages still
    /// come in line order (each part's, and the duplicates found across parts), after
    /// items.csv's and before inventory.csv's, and a missing column is reported once.
    func testBOMMessagesInLineOrderAcrossItsParts() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type,lot_rule\nA,make,lfl\nB,buy,lfl\nC,buy,nope\n",
            "bom.csv": "parent,component,qty_per,effective_from,effective_to\nA,B,1,,\nX,B,1,,\nA,C,1,,\n"
                + "A,C,1,2027-02-01,2027-01-01\nA,B,1,,\nA,Y,1,,\n",
            "inventory.csv": "item,on_hand\nZ,1\n",
        ])
        XCTAssertEqual(model.problems(), [
            Problem("items.csv", 4, .unknownLotRule("nope"), column: "lot_rule"),
            Problem("bom.csv", 3, .unknownName(.item, "X"), column: "parent"),
            Problem("bom.csv", 6, .duplicateBOMLine(parent: "A", component: "B", firstLine: 2)),
            Problem("bom.csv", 7, .unknownName(.item, "Y"), column: "component"),
            Problem("inventory.csv", 2, .unknownName(.item, "Z"), column: "item"),
        ])
        let missing = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,make\n",
            "bom.csv": "parent,component\nA,A\n",
        ])
        XCTAssertEqual(missing.problems(), [Problem("bom.csv", 1, .missingColumn("qty_per"), column: "qty_per")])
    }

    func testPlanYAMLErrorsCarryTheirLine() throws {
        let errors = try TempModel([
            "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 4\nbucket: month\nphases:\n  - {name: A, weeks: 2.5, capacity_pct: [1, 2, 3]}\n",
            "items.csv": "item,type\nA,make\n",
        ]).problems()
        XCTAssertEqual(errors, [
            Problem("plan.yaml", 3, .unknownBucket("month"), column: "bucket"),
            Problem("plan.yaml", 5, .notAWholeNumber(field: "phase \"A\": weeks", minimum: 1, text: "2.5"), column: "weeks"),
            Problem("plan.yaml", 5, .capacityPctShape(phase: "A"), column: "capacity_pct"),
        ])
        XCTAssertEqual(try TempModel(["plan.yaml": "start: [", "items.csv": "item,type\n"]).errors().first?.hasPrefix("plan.yaml:1: invalid YAML"), true)
    }

    /// A phase's gate or name given as a list or a mapping is an error on its line, not a
    /// phase quietly left without its gate (or reported as missing its name).
    func testAPhaseGateOrNameThatIsNotTextIsAnError() throws {
        let errors = try TempModel([
            "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 4\nphases:\n  - name: A\n    weeks: 2\n    capacity_pct: 10\n"
                + "    gate: [Gate 2]\n  - name: {x: 1}\n    weeks: 2\n    capacity_pct: 10\n  - {name: C, weeks: 1, capacity_pct: 5, gate: {g: 1}}\n",
            "items.csv": "item,type\nA,make\n",
        ]).problems()
        XCTAssertEqual(errors, [
            Problem("plan.yaml", 7, .notAText(field: "phase \"A\": gate"), column: "gate"),
            Problem("plan.yaml", 8, .notAText(field: "a phase's name"), column: "name"),
            Problem("plan.yaml", 11, .notAText(field: "phase \"C\": gate"), column: "gate"),
        ])
    }

    /// `whole_units` takes YAML 1.2's spellings of a boolean, as the CSV booleans take any
    /// case; anything else is an error.
    func testWholeUnitsTakesYAMLsBooleanSpellings() throws {
        for (text, value) in [("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false)] {
            let model = try TempModel([
                "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 4\nwhole_units: \(text)\n",
                "items.csv": "item,type\nA,make\n",
            ]).load()
            XCTAssertEqual(model.plan.wholeUnits, value, text)
        }
        let errors = try TempModel([
            "plan.yaml": "start: 2027-01-04\nhorizon_weeks: 4\nwhole_units: yes\n", "items.csv": "item,type\nA,make\n",
        ]).problems()
        XCTAssertEqual(errors, [Problem("plan.yaml", 3, .notABoolean(field: "whole_units", text: "yes"), column: "whole_units")])
    }
}
