import TaktModel

/// A parsed CSV file: a header and rows of fields, stored flat.
///
/// Contract §1: RFC 4180 (quoted fields with `""` escapes and embedded newlines), UTF-8
/// with an optional byte-order mark, LF or CRLF. Every row remembers the physical line it
/// starts on, so that messages point at the line a spreadsheet user sees.
///
/// Storage is struct-of-arrays: the file's bytes in one `cells` buffer (a quoted field
/// unescaped in place, over its own bytes), each field's start and end offsets in
/// `fieldStarts`/`fieldEnds`, and per row the index of its first field. No `String` is
/// made per field unless a caller asks for one.
public struct CSVTable: Sendable {
    public let file: String
    public private(set) var header: [String]
    /// 1-based physical line of the header.
    public private(set) var headerLine: Int
    var cells: [UInt8] = []
    /// Offsets in `cells` of each field's first byte and of the byte after its last.
    var fieldStarts: ContiguousArray<UInt32> = []
    var fieldEnds: ContiguousArray<UInt32> = []
    /// Index of each row's first field in `fieldEnds`, plus one final sentinel.
    var rowStarts: ContiguousArray<Int> = [0]
    var rowLines: ContiguousArray<Int> = []

    /// Offsets are 32-bit: a model file must stay below 4 GiB.
    static let largestFile = Int(UInt32.max)

    init(file: String, header: [String], headerLine: Int) {
        self.file = file
        self.header = header
        self.headerLine = headerLine
    }

    public var rowCount: Int { rowLines.count }

    /// The physical line a data row starts on.
    public func line(_ row: Int) -> Int { rowLines[row] }

    /// The column index of `name` in the header.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Number of fields in `row`.
    public func fieldCount(_ row: Int) -> Int { rowStarts[row + 1] - rowStarts[row] }

    /// Calls `body` with the raw bytes of a field, trimmed of surrounding spaces and tabs;
    /// a column the row lacks is empty.
    @inline(__always)
    public func withField<R>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let fieldIndex = rowStarts[row] + column
        guard column >= 0, fieldIndex < rowStarts[row + 1] else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        var start = Int(fieldStarts[fieldIndex])
        var end = Int(fieldEnds[fieldIndex])
        return cells.withUnsafeBufferPointer { buffer in
            while start < end, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
            while end > start, buffer[end - 1] == 0x20 || buffer[end - 1] == 0x09 { end -= 1 }
            return body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// A field as a string, trimmed of surrounding spaces and tabs.
    public func string(_ row: Int, _ column: Int) -> String {
        withField(row, column) { String(decoding: $0, as: UTF8.self) }
    }

    public func isEmpty(_ row: Int, _ column: Int) -> Bool {
        withField(row, column) { $0.isEmpty }
    }
}

extension CSVTable {
    /// Parses CSV bytes. Malformed input (bad UTF-8, an unterminated quote, text after a
    /// closing quote, an empty file) is reported to `sink`; the result is nil when the
    /// file has no usable header.
    ///
    /// - Complexity: O(n) in the number of bytes, one pass; fields are located, not
    ///   copied (a quoted one is unescaped where it stands).
    public static func parse(_ bytes: [UInt8], file: String, sink: inout DiagnosticSink) -> CSVTable? {
        guard bytes.count < largestFile else {
            sink.error(file, 1, .fileTooLarge)
            return nil
        }
        if let badLine = UTF8Check.firstInvalidLine(bytes) {
            sink.error(file, badLine, .notUTF8)
            return nil
        }
        var cells = bytes
        var ok = true
        // The scan's state is a local struct, not variables captured by nested functions:
        // those would be checked for exclusive access at run time on every field.
        var fields = FieldList()
        cells.withUnsafeMutableBufferPointer { buffer in
            let n = buffer.count
            guard n > 0 else { return }
            let input = buffer.baseAddress!
            var list = FieldList(reserving: n)
            defer { fields = list }
            var i = 0
            if n >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { i = 3 }
            var line = 1
            while i < n {
                // Start of a field.
                if input[i] == 0x22 {
                    list.rowHasContent = true
                    let quoteLine = line
                    i += 1
                    let start = i
                    var write = i
                    var closed = false
                    while i < n {
                        let b = input[i]
                        if b == 0x22 {
                            if i + 1 < n, input[i + 1] == 0x22 {
                                input[write] = 0x22
                                write += 1
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        input[write] = b
                        write += 1
                        i += 1
                    }
                    list.field(start, write)
                    if !closed {
                        sink.error(file, quoteLine, .unterminatedQuote)
                        ok = false
                        list.endRow(input)
                        break
                    }
                    // After a closing quote: delimiter, line end or end of file.
                    var extra = false
                    while i < n, input[i] != 0x2C, input[i] != 0x0A, input[i] != 0x0D {
                        if input[i] != 0x20 && input[i] != 0x09 { extra = true }
                        i += 1
                    }
                    if extra {
                        sink.error(file, line, .textAfterClosingQuote)
                        ok = false
                    }
                } else {
                    let start = i
                    var content = false
                    while i < n {
                        let b = input[i]
                        if b == 0x2C || b == 0x0A || b == 0x0D { break }
                        if b != 0x20 && b != 0x09 { content = true }
                        i += 1
                    }
                    if content { list.rowHasContent = true }
                    list.field(start, i)
                }
                if i >= n {
                    list.endRow(input)
                    break
                }
                let b = input[i]
                if b == 0x2C {
                    list.rowHasContent = true
                    i += 1
                    if i >= n {
                        list.field(i, i)
                        list.endRow(input)
                    }
                    continue
                }
                // Line end: LF, CRLF or a lone CR.
                if b == 0x0D, i + 1 < n, input[i + 1] == 0x0A { i += 1 }
                i += 1
                line += 1
                list.endRow(input)
                list.rowLine = line
            }
        }
        guard ok else { return nil }
        guard let header = fields.header, !header.isEmpty else {
            sink.error(file, 1, .emptyCSV)
            return nil
        }
        var table = CSVTable(file: file, header: header, headerLine: fields.headerLine)
        table.cells = cells
        table.fieldStarts = fields.starts
        table.fieldEnds = fields.ends
        table.rowStarts = fields.rowStarts
        table.rowLines = fields.rowLines
        return table
    }

    /// The fields and rows found so far by `parse`; the first row becomes the header.
    private struct FieldList {
        var starts = ContiguousArray<UInt32>(), ends = ContiguousArray<UInt32>()
        var rowStarts = ContiguousArray<Int>([0])
        var rowLines = ContiguousArray<Int>()
        var header: [String]?
        var headerLine = 0
        var rowLine = 1
        var fieldCountInRow = 0
        var rowHasContent = false

        init() {}

        /// Room for a file of `bytes` (rows of about 40 bytes and 8 fields).
        init(reserving bytes: Int) {
            starts.reserveCapacity(bytes / 5 + 16)
            ends.reserveCapacity(bytes / 5 + 16)
            rowLines.reserveCapacity(bytes / 40 + 16)
            rowStarts.reserveCapacity(bytes / 40 + 16)
        }

        @inline(__always)
        mutating func field(_ start: Int, _ end: Int) {
            starts.append(UInt32(truncatingIfNeeded: start))
            ends.append(UInt32(truncatingIfNeeded: end))
            fieldCountInRow += 1
        }

        mutating func endRow(_ input: UnsafeMutablePointer<UInt8>) {
            if !rowHasContent && fieldCountInRow == 1 {
                // A blank (or all-space) line: no row.
                starts.removeLast()
                ends.removeLast()
            } else if header == nil {
                headerLine = rowLine
                header = (0..<starts.count).map { f in
                    String(decoding: UnsafeBufferPointer(start: input + Int(starts[f]), count: Int(ends[f] - starts[f])),
                           as: UTF8.self).trimmingSpaces()
                }
                starts.removeAll(keepingCapacity: true)
                ends.removeAll(keepingCapacity: true)
            } else {
                rowStarts.append(ends.count)
                rowLines.append(rowLine)
            }
            fieldCountInRow = 0
            rowHasContent = false
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start] == " " || scalars[start] == "\t" { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard scalars[before] == " " || scalars[before] == "\t" else { break }
            end = before
        }
        return String(scalars[start..<end])
    }
}

/// UTF-8 validation that reports the line of the first bad byte.
enum UTF8Check {
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int? {
        // Nearly every model file is plain ASCII: checked eight bytes at a time (no high
        // bit, no zero byte); the byte-wise check below, which counts lines, runs only
        // on a file with something else in it.
        let plain: Bool = bytes.withUnsafeBytes { raw in
            let n = raw.count
            var i = 0
            let high: UInt64 = 0x8080_8080_8080_8080, ones: UInt64 = 0x0101_0101_0101_0101
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & high != 0 || (word &- ones) & ~word & high != 0 { return false }
                i += 8
            }
            while i < n {
                if raw[i] == 0 || raw[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
        if plain { return nil }
        return bytes.withUnsafeBufferPointer { b in
            var i = 0
            var line = 1
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 {
                    if c == 0x0A { line += 1 }
                    if c == 0 { return line }
                    i += 1
                    continue
                }
                var need = 0
                var minimum: UInt32 = 0
                var scalar: UInt32 = 0
                if c & 0xE0 == 0xC0 { need = 1; minimum = 0x80; scalar = UInt32(c & 0x1F) }
                else if c & 0xF0 == 0xE0 { need = 2; minimum = 0x800; scalar = UInt32(c & 0x0F) }
                else if c & 0xF8 == 0xF0 { need = 3; minimum = 0x10000; scalar = UInt32(c & 0x07) }
                else { return line }
                guard i + need < n else { return line }
                for k in 1...need {
                    let cc = b[i + k]
                    guard cc & 0xC0 == 0x80 else { return line }
                    scalar = scalar << 6 | UInt32(cc & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return line }
                i += need + 1
            }
            return nil
        }
    }
}
