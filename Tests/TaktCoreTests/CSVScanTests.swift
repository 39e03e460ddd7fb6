import XCTest
@testable import TaktModel
@testable import TaktInput

/// The CSV scan looks for an unquoted field's end 64 bytes at a time and writes its
/// fields into room counted beforehand: checked against a byte-at-a-time reading of the
/// same rules (contract §1) on random files of the characters that matter.
final class CSVScanTests: XCTestCase {
    /// A file as the byte-at-a-time reference reads it: header, rows (physical line and
    /// trimmed fields), or nil when malformed.
    struct Reading: Equatable {
        var header: [String]
        var rows: [[String]]
        var lines: [Int]
    }

    /// The rules, one byte at a time: a field is quoted (`""` an escaped quote, only spaces
    /// before the next comma or line end) or runs to the next comma or line end (LF, CRLF,
    /// lone CR); a line of one blank field is no row; the first row is the header; fields
    /// are trimmed of spaces and tabs.
    static func reference(_ bytes: [UInt8]) -> Reading? {
        var rows: [([String], Int)] = []
        var fields: [String] = []
        var hasContent = false
        var i = 0, line = 1, rowLine = 1
        let n = bytes.count
        func trimmed(_ field: [UInt8]) -> String {
            var a = 0, b = field.count
            while a < b, field[a] == 0x20 || field[a] == 0x09 { a += 1 }
            while b > a, field[b - 1] == 0x20 || field[b - 1] == 0x09 { b -= 1 }
            return String(decoding: field[a..<b], as: UTF8.self)
        }
        func endRow() {
            if !(fields.count == 1 && !hasContent) { rows.append((fields, rowLine)) }
            fields = []
            hasContent = false
        }
        while i < n {
            var field: [UInt8] = []
            if bytes[i] == 0x22 {
                hasContent = true
                i += 1
                var closed = false
                while i < n {
                    if bytes[i] == 0x22 {
                        if i + 1 < n, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if bytes[i] == 0x0A { line += 1 }
                    field.append(bytes[i])
                    i += 1
                }
                guard closed else { return nil }
                while i < n, bytes[i] != 0x2C, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    guard bytes[i] == 0x20 || bytes[i] == 0x09 else { return nil }
                    i += 1
                }
            } else {
                while i < n, bytes[i] != 0x2C, bytes[i] != 0x0A, bytes[i] != 0x0D {
                    if bytes[i] != 0x20 && bytes[i] != 0x09 { hasContent = true }
                    field.append(bytes[i])
                    i += 1
                }
            }
            fields.append(trimmed(field))
            if i >= n { endRow(); break }
            if bytes[i] == 0x2C {
                hasContent = true
                i += 1
                if i >= n { fields.append(""); endRow() }
                continue
            }
            if bytes[i] == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
            i += 1
            line += 1
            endRow()
            rowLine = line
        }
        guard let first = rows.first, !first.0.isEmpty else { return nil }
        return Reading(header: first.0, rows: rows.dropFirst().map(\.0), lines: rows.dropFirst().map(\.1))
    }

    static func scanned(_ bytes: [UInt8]) -> Reading? {
        var sink = DiagnosticSink()
        guard let table = CSVTable.parse(bytes, file: "f.csv", sink: &sink) else { return nil }
        let rows = (0..<table.rowCount).map { r in (0..<table.fieldCount(r)).map { table.string(r, $0) } }
        return Reading(header: table.header, rows: rows, lines: (0..<table.rowCount).map { table.line($0) })
    }

    func testTheScanReadsRandomFilesAsTheByteAtATimeRulesDo() {
        // Short files: fields of every length up to 90 bytes, delimiters at every offset.
        let alphabet: [UInt8] = Array("ab ,\n\r\"\t".utf8) + Array("xyz".utf8)
        let seen = Self.compareRandomFiles(of: alphabet, rounds: 4_000) { $0 % 90 }
        // Both kinds of file were met, so the comparison was not vacuous.
        XCTAssertGreaterThan(seen.rows, 1_000)
        XCTAssertGreaterThan(seen.malformed, 100)
    }

    /// Files of 60 to 400 bytes, so that the scan's 64-byte blocks (and the file's last,
    /// shorter one) are crossed by unquoted fields, by quoted ones holding commas and line
    /// ends, and by stretches with no delimiter at all.
    func testTheScanReadsLongRandomFilesAcrossItsBlocks() {
        // Letters weigh most: long fields, and blocks without a delimiter.
        let alphabet: [UInt8] = Array("ab ,\n\r\"\t".utf8) + Array(repeating: UInt8(ascii: "x"), count: 30)
            + Array(repeating: UInt8(ascii: "y"), count: 30)
        let seen = Self.compareRandomFiles(of: alphabet, rounds: 3_000) { 60 + $0 % 341 }
        XCTAssertGreaterThan(seen.rows, 3_000)
        XCTAssertGreaterThan(seen.malformed, 100)
    }

    /// Random files of `alphabet`'s bytes, round `k`'s of `length(k)` bytes, scanned and
    /// read by the reference (stopping at the first that differs); the rows read and the
    /// files both found malformed.
    static func compareRandomFiles(of alphabet: [UInt8], rounds: Int, length: (Int) -> Int) -> (rows: Int, malformed: Int) {
        var generator = SystemRandomNumberGenerator()
        var rows = 0, malformed = 0
        for round in 0..<rounds {
            let bytes = (0..<length(round)).map { _ in alphabet.randomElement(using: &generator)! }
            let expected = reference(bytes), got = scanned(bytes)
            XCTAssertEqual(got, expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if got == nil { malformed += 1 } else { rows += got!.rows.count }
            if got != expected { break }
        }
        return (rows, malformed)
    }

    /// The survey's counts and its plain-ASCII test, against a byte-at-a-time count, on
    /// every length up to 100 (the 16-byte steps and the tail) with bytes of 0 and 0x80+.
    func testTheSurveyCountsAsAByteAtATimeCountDoes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x2C, 0x0A, 0x0D, 0x61, 0x20] + Array(repeating: 0x62, count: 20)
        for length in 0...100 {
            for odd: UInt8? in [nil, 0x00, 0x80, 0xFF, 0x7F] {
                var bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                if let odd, length > 0 { bytes[Int.random(in: 0..<length, using: &generator)] = odd }
                let survey = CSVTable.survey(bytes)
                XCTAssertEqual(survey.commas, bytes.filter { $0 == 0x2C }.count, "length \(length)")
                XCTAssertEqual(survey.lineEnds, bytes.filter { $0 == 0x0A || $0 == 0x0D }.count, "length \(length)")
                XCTAssertEqual(survey.plain, !bytes.contains { $0 == 0 || $0 >= 0x80 }, "length \(length), \(String(describing: odd))")
            }
        }
    }

    func testLongUnquotedFieldsAndLineEndsAtWordEdges() throws {
        // Fields of 7, 8, 9 and 17 bytes, a lone CR, CRLF, a trailing comma at the end.
        let text = "abcdefg,abcdefgh\rabcdefghi,abcdefghijklmnopq\r\n12345678,\n  \t \nx,y,"
        let reading = try XCTUnwrap(Self.scanned(Array(text.utf8)))
        XCTAssertEqual(reading.header, ["abcdefg", "abcdefgh"])
        XCTAssertEqual(reading.rows, [["abcdefghi", "abcdefghijklmnopq"], ["12345678", ""], ["x", "y", ""]])
        XCTAssertEqual(reading.lines, [2, 3, 5])
        XCTAssertEqual(Self.reference(Array(text.utf8)), reading)
    }

    /// The scan's 64-byte blocks: a delimiter as the last byte of a block and the first of
    /// the next, a block with none, and a quoted field holding a comma and a line end that
    /// crosses into a block, followed there by unquoted fields (the block's mask, made
    /// before the quoted field was unescaped in place, still finds them).
    func testDelimitersAtTheEdgesOfTheScansBlocks() throws {
        func run(_ count: Int) -> String { String(repeating: "a", count: count) }
        // Header "h1,h2\n" takes bytes 0–5; the first row starts at 6.
        var text = "h1,h2\n" + run(57) + ",," // commas at bytes 63 and 64: a block's last, the next's first
        text += "b\n"
        text += run(70) + "," + run(3) + "\n" // a stretch past a whole block without a delimiter
        let quoteStart = text.utf8.count
        let quoted = "\"q,\n" + run(60) + "\"\"x\""   // spans the next block's start
        text += quoted + "," + "c" + "," + "dd\n"
        XCTAssertLessThan(quoteStart % 64, 60)
        XCTAssertGreaterThan((quoteStart + quoted.utf8.count) / 64, quoteStart / 64)
        text += run((128 - text.utf8.count % 128) % 128) + ",e" // a comma right on a 128-byte edge
        let bytes = Array(text.utf8)
        let reading = try XCTUnwrap(Self.scanned(bytes))
        XCTAssertEqual(reading, Self.reference(bytes))
        XCTAssertEqual(reading.rows[0], [run(57), "", "b"])
        XCTAssertEqual(reading.rows[1], [run(70), run(3)])
        XCTAssertEqual(reading.rows[2], ["q,\n" + run(60) + "\"x", "c", "dd"])
        XCTAssertEqual(reading.rows.count, 4)
        XCTAssertEqual(reading.rows[3].last, "e")
    }

    func testRowsLongerThanSixteenBitsKeepTheirFieldsWhole() throws {
        // A field's end is kept from its row's start in 16 bits, or in full from 65,535 on:
        // rows ending fields just before, at and after 65,535 bytes in, quoted and not,
        // among short rows (whose ends stay 16-bit), and a file of one long header.
        func field(_ length: Int, _ byte: UInt8 = 0x61) -> String { String(repeating: Character(UnicodeScalar(byte)), count: length) }
        var text = "a,b,c\n1,2,3\n"
        for edge in [65_533, 65_534, 65_535, 65_536, 65_537] {
            // First field `edge` bytes long: its end is `edge` from the row's start.
            text += field(edge) + ",x," + "\"q\"\"\n" + field(70_000, 0x62) + "\"\n"
            text += "s,t,u\n"
        }
        text += "  \t \n" + field(200_000, 0x63) + ",,\n4,5,6"
        let bytes = Array(text.utf8)
        let reading = try XCTUnwrap(Self.scanned(bytes))
        XCTAssertEqual(reading, Self.reference(bytes))
        XCTAssertEqual(reading.rows.count, 13)
        XCTAssertEqual(reading.rows[1][0].count, 65_533)
        XCTAssertEqual(reading.rows[1][2], "q\"\n" + field(70_000, 0x62))
        XCTAssertEqual(reading.rows[12], ["4", "5", "6"])
        XCTAssertEqual(reading.rows[11], [field(200_000, 0x63), "", ""])
        let header = Array((field(70_000) + "," + field(3) + "\n1,2").utf8)
        XCTAssertEqual(Self.scanned(header)?.header, [field(70_000), field(3)])
        XCTAssertEqual(Self.scanned(header)?.rows, [["1", "2"]])
    }

    func testLongRowsWithEveryLineEndBlankLinesAndABOM() throws {
        func field(_ length: Int, _ byte: UInt8 = 0x61) -> String { String(repeating: Character(UnicodeScalar(byte)), count: length) }
        // A wide header, then rows ended by CRLF and lone CR after wide fields, a blank
        // line of 70,000 spaces (its one field is wide, and dropped), a row of 100,000
        // fields past the mark (each kept in full), and a last row with no line end.
        let body = field(66_000) + ",h2\r\n" + field(65_535) + ",x\r" + "y," + field(65_536, 0x62) + "\r\n"
            + String(repeating: " ", count: 70_000) + "\n" + field(65_600) + String(repeating: ",7", count: 100_000) + "\nz,w"
        let bytes = Array(body.utf8)
        let reading = try XCTUnwrap(Self.scanned(bytes))
        XCTAssertEqual(reading, Self.reference(bytes))
        XCTAssertEqual(reading.header, [field(66_000), "h2"])
        XCTAssertEqual(reading.rows.count, 4)
        XCTAssertEqual(reading.rows[2].count, 100_001)
        XCTAssertEqual(reading.rows[2].last, "7")
        XCTAssertEqual(reading.lines, [2, 3, 5, 6])
        // With a byte-order mark first: the same header (without it) and the same rows.
        let marked = try XCTUnwrap(Self.scanned([0xEF, 0xBB, 0xBF] + bytes))
        XCTAssertEqual(marked, reading)
        // An unterminated quote in a long row is malformed, as the rules say.
        let open = Array(("a,b\n" + field(70_000) + ",\"" + field(10)).utf8)
        XCTAssertNil(Self.reference(open))
        XCTAssertNil(Self.scanned(open))
    }

    func testSWARFindsExactlyTheBytesEqualToOne() {
        for byte: UInt8 in [0x00, 0x0A, 0x2C, 0x80, 0xFF] {
            for lane in 0..<8 {
                var word: UInt64 = 0x0102_0304_0506_0708 &* 0x11
                word &= ~(UInt64(0xFF) << (8 * lane))
                word |= UInt64(byte) << (8 * lane)
                // Neighbours that differ by one bit or by one from `byte` are not found.
                for other in 0..<8 where other != lane {
                    word &= ~(UInt64(0xFF) << (8 * other))
                    word |= UInt64(byte ^ (other % 2 == 0 ? 1 : 0x80)) << (8 * other)
                }
                XCTAssertEqual(SWAR.bytes(equalTo: byte, in: word), UInt64(0x80) << (8 * lane), "\(byte) at \(lane)")
            }
        }
        let survey = CSVTable.survey(Array("a,b\r\nc,,d\re\n,".utf8))
        XCTAssertEqual(survey.commas, 4)
        XCTAssertEqual(survey.lineEnds, 4)
        XCTAssertTrue(survey.plain)
        // A zero byte or a byte above 0x7F, within a word or in the tail, is not plain.
        for odd: UInt8 in [0x00, 0x80, 0xC3] {
            for at in [0, 5, 9, 16] {
                var bytes = Array("item,type\nA,buy\n ".utf8) // 17 bytes: byte 16 is past the words
                bytes[at] = odd
                XCTAssertFalse(CSVTable.survey(bytes).plain, "\(odd) at \(at)")
            }
        }
    }
}
