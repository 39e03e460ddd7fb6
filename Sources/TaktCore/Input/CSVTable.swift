/// A parsed CSV file: a header and rows of fields, stored flat.
///
/// Contract §1: RFC 4180 (quoted fields with `""` escapes and embedded newlines), UTF-8
/// with an optional byte-order mark, LF or CRLF. Every row remembers the physical line it
/// starts on, so that messages point at the line a spreadsheet user sees.
///
/// Storage is struct-of-arrays: all unescaped field bytes in one `cells` buffer, field
/// boundaries in `fieldEnds`, and per row the index of its first field. No `String` is
/// made per field unless a caller asks for one.
public struct CSVTable: Sendable {
    public let file: String
    public private(set) var header: [String]
    /// 1-based physical line of the header.
    public private(set) var headerLine: Int
    var cells: ContiguousArray<UInt8> = []
    /// End offset (in `cells`) of each field; a field starts where the previous one ended.
    var fieldEnds: ContiguousArray<Int> = []
    /// Index of each row's first field in `fieldEnds`, plus one final sentinel.
    var rowStarts: ContiguousArray<Int> = [0]
    var rowLines: ContiguousArray<Int> = []

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
        var start = fieldIndex == 0 ? 0 : fieldEnds[fieldIndex - 1]
        var end = fieldEnds[fieldIndex]
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
    /// - Complexity: O(n) in the number of bytes, one pass.
    public static func parse(_ bytes: [UInt8], file: String, sink: inout DiagnosticSink) -> CSVTable? {
        if let badLine = UTF8Check.firstInvalidLine(bytes) {
            sink.error(file, badLine, "file is not valid UTF-8")
            return nil
        }
        var table = CSVTable(file: file, header: [], headerLine: 1)
        var header: [String] = []
        var headerLine = 0
        var ok = true
        bytes.withUnsafeBufferPointer { input in
            var i = 0
            let n = input.count
            if n >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { i = 3 }
            var line = 1
            var rowLine = 1
            var fieldCountInRow = 0
            var rowHasContent = false
            var cells = ContiguousArray<UInt8>()
            cells.reserveCapacity(n)
            var fieldEnds = ContiguousArray<Int>()
            var rowStarts = ContiguousArray<Int>([0])
            var rowLines = ContiguousArray<Int>()

            var rowCellStart = 0
            func endRow() {
                if !rowHasContent && fieldCountInRow == 1 {
                    // A blank (or all-space) line: no row.
                    fieldEnds.removeLast()
                    cells.removeSubrange(rowCellStart...)
                } else {
                    rowStarts.append(fieldEnds.count)
                    rowLines.append(rowLine)
                }
                fieldCountInRow = 0
                rowHasContent = false
                rowCellStart = cells.count
            }

            while i < n {
                // Start of a field.
                if input[i] == 0x22 {
                    rowHasContent = true
                    let quoteLine = line
                    i += 1
                    var closed = false
                    while i < n {
                        let b = input[i]
                        if b == 0x22 {
                            if i + 1 < n, input[i + 1] == 0x22 {
                                cells.append(0x22)
                                i += 2
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        cells.append(b)
                        i += 1
                    }
                    if !closed {
                        sink.error(file, quoteLine, "unterminated quoted field")
                        ok = false
                        fieldEnds.append(cells.count)
                        fieldCountInRow += 1
                        endRow()
                        break
                    }
                    // After a closing quote: delimiter, line end or end of file.
                    var extra = false
                    while i < n, input[i] != 0x2C, input[i] != 0x0A, input[i] != 0x0D {
                        if input[i] != 0x20 && input[i] != 0x09 { extra = true }
                        i += 1
                    }
                    if extra {
                        sink.error(file, line, "unexpected text after a closing quote")
                        ok = false
                    }
                } else {
                    while i < n {
                        let b = input[i]
                        if b == 0x2C || b == 0x0A || b == 0x0D { break }
                        if b != 0x20 && b != 0x09 { rowHasContent = true }
                        cells.append(b)
                        i += 1
                    }
                }
                fieldEnds.append(cells.count)
                fieldCountInRow += 1
                if i >= n {
                    endRow()
                    break
                }
                let b = input[i]
                if b == 0x2C {
                    rowHasContent = true
                    i += 1
                    if i >= n {
                        fieldEnds.append(cells.count)
                        fieldCountInRow += 1
                        endRow()
                    }
                    continue
                }
                // Line end: LF, CRLF or a lone CR.
                if b == 0x0D, i + 1 < n, input[i + 1] == 0x0A { i += 1 }
                i += 1
                line += 1
                endRow()
                rowLine = line
            }

            guard !rowLines.isEmpty else { return }
            // The first row is the header.
            headerLine = rowLines[0]
            for f in 0..<(rowStarts[1]) {
                let start = f == 0 ? 0 : fieldEnds[f - 1]
                let text = String(decoding: cells[start..<fieldEnds[f]], as: UTF8.self)
                header.append(text.trimmingSpaces())
            }
            // Drop the header row from the data rows.
            let headerFields = rowStarts[1]
            let headerBytes = headerFields == 0 ? 0 : fieldEnds[headerFields - 1]
            cells.removeFirst(headerBytes)
            fieldEnds.removeFirst(headerFields)
            for k in fieldEnds.indices { fieldEnds[k] -= headerBytes }
            rowStarts.removeFirst()
            for k in rowStarts.indices { rowStarts[k] -= headerFields }
            rowLines.removeFirst()
            table.cells = cells
            table.fieldEnds = fieldEnds
            table.rowStarts = rowStarts
            table.rowLines = rowLines
        }
        guard ok else { return nil }
        guard !header.isEmpty else {
            sink.error(file, 1, "file is empty: a header row is required")
            return nil
        }
        table.header = header
        table.headerLine = headerLine
        return table
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
        bytes.withUnsafeBufferPointer { b in
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
