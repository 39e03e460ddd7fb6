import CBytes
import TaktModel

/// A parsed CSV file: a header and rows of fields, stored flat.
///
/// Contract §1: RFC 4180 (quoted fields with `""` escapes and embedded newlines), UTF-8
/// with an optional byte-order mark, LF or CRLF. Every row remembers the physical line it
/// starts on, so that messages point at the line a spreadsheet user sees.
///
/// Storage is struct-of-arrays: the file's bytes in one `cells` buffer (a quoted field
/// unescaped in place, over its own bytes, the rest of its span up to the next delimiter
/// blanked), the offset of the delimiter ending each field from its row's first byte in
/// `fieldEnds`, and per row the index of its first field and that field's offset: a field
/// starts one byte after the one before it ends. Two bytes a field (an end from the row's
/// start, where an absolute end took four and a start and an end eight: 84 MB less to
/// allocate and fault in at 1M items, whose files hold 42 M fields); a field ending 65,535
/// bytes or more into its row (a very long row) keeps its absolute end in `wideEnds`. No
/// `String` is made per field unless a caller asks for one.
public struct CSVTable: Sendable {
    public let file: String
    public private(set) var header: [String]
    /// 1-based physical line of the header.
    public private(set) var headerLine: Int
    var cells: [UInt8] = []
    /// Each field's end (the offset of its delimiter) from its row's first byte, or
    /// `wideEnd` when that is 65,535 or more: then its offset in `cells` is in `wideEnds`.
    var fieldEnds: ContiguousArray<UInt16> = []
    /// The offsets in `cells` of the fields whose `fieldEnds` is `wideEnd`.
    var wideEnds = WideEnds()
    /// Index of each row's first field in `fieldEnds`, plus one final sentinel.
    var rowStarts: ContiguousArray<UInt32> = [0]
    /// Offset in `cells` of each row's first field.
    var rowOffsets: ContiguousArray<UInt32> = []
    var rowLines: ContiguousArray<UInt32> = []

    /// Offsets are 32-bit: a model file must stay below 4 GiB.
    static let largestFile = Int(UInt32.max)

    /// A `fieldEnds` entry whose field ends too far into its row for 16 bits.
    static let wideEnd = UInt16.max

    init(file: String, header: [String], headerLine: Int) {
        self.file = file
        self.header = header
        self.headerLine = headerLine
    }

    public var rowCount: Int { rowLines.count }

    /// The physical line a data row starts on.
    public func line(_ row: Int) -> Int { Int(rowLines[row]) }

    /// The column index of `name` in the header.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Number of fields in `row`.
    public func fieldCount(_ row: Int) -> Int { Int(rowStarts[row + 1] &- rowStarts[row]) }

    /// Calls `body` with the raw bytes of a field, trimmed of surrounding spaces and tabs;
    /// a column the row lacks is empty.
    @inline(__always)
    public func withField<R>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let fieldIndex = Int(rowStarts[row]) + column
        guard column >= 0, fieldIndex < Int(rowStarts[row + 1]) else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let rowOffset = Int(rowOffsets[row])
        var (start, end) = fieldEnds.withUnsafeBufferPointer { ends in
            // Both indexes are the row's (`rowStarts` bounds them): read without a check.
            func offset(_ f: Int) -> Int { wideEnds.end(ends[f], of: f, rowOffset: rowOffset) }
            return (column == 0 ? rowOffset : offset(fieldIndex - 1) + 1, offset(fieldIndex))
        }
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
    ///   copied (a quoted one is unescaped where it stands, in `bytes` itself when the
    ///   caller hands over its only reference).
    public static func parse(_ bytes: consuming [UInt8], file: String, sink: inout DiagnosticSink) -> CSVTable? {
        guard bytes.count < largestFile else {
            sink.error(file, 1, .fileTooLarge)
            return nil
        }
        // One pass over the bytes counts the delimiters and tells a plain ASCII file (most)
        // from one whose UTF-8 must be checked byte by byte.
        let survey = Self.survey(bytes)
        if !survey.plain, let badLine = UTF8Check.firstInvalidLine(bytes) {
            sink.error(file, badLine, .notUTF8)
            return nil
        }
        var cells = consume bytes
        var ok = true
        // Room for every field and row there can be: a field ends at a comma, a line end or
        // the end of the file, a row at a line end or the end (quoted ones only make these
        // bounds loose). Filled through pointers, not appended to: an append is a call into
        // the runtime (a uniqueness check), two a field.
        let fieldRoom = survey.commas + survey.lineEnds + 1, rowRoom = survey.lineEnds + 2
        var header: [String]?
        var headerLine = 0
        var rowStarts = ContiguousArray<UInt32>(), rowLines = ContiguousArray<UInt32>()
        var rowOffsets = ContiguousArray<UInt32>()
        var wideEnds = WideEnds()
        let fieldEnds = ContiguousArray<UInt16>(unsafeUninitializedCapacity: fieldRoom) { ends, endCount in
            rowOffsets = ContiguousArray(unsafeUninitializedCapacity: rowRoom) { rowOffsetBuffer, rowOffsetCount in
                rowStarts = ContiguousArray(unsafeUninitializedCapacity: rowRoom) { rowStartBuffer, rowStartCount in
                    rowLines = ContiguousArray(unsafeUninitializedCapacity: rowRoom) { rowLineBuffer, rowLineCount in
                        // The scan's state is a local struct, not variables captured by nested
                        // functions: those would be checked for exclusive access at run time on
                        // every field.
                        var list = FieldList(ends: ends.baseAddress!, rowOffsets: rowOffsetBuffer.baseAddress!,
                                             rowStarts: rowStartBuffer.baseAddress!, rowLines: rowLineBuffer.baseAddress!)
                        cells.withUnsafeMutableBufferPointer { buffer in
                            ok = scan(buffer, into: &list, file: file, sink: &sink)
                        }
                        (header, headerLine) = (list.header, list.headerLine)
                        wideEnds = list.wide
                        endCount = list.fieldCount
                        rowOffsetCount = list.rowCount
                        rowStartCount = list.rowCount + 1
                        rowLineCount = list.rowCount
                    }
                }
            }
        }
        guard ok else { return nil }
        guard let header, !header.isEmpty else {
            sink.error(file, 1, .emptyCSV)
            return nil
        }
        var table = CSVTable(file: file, header: header, headerLine: headerLine)
        table.cells = cells
        table.fieldEnds = fieldEnds
        table.wideEnds = wideEnds
        table.rowOffsets = rowOffsets
        table.rowStarts = rowStarts
        table.rowLines = rowLines
        return table
    }

    /// The commas and the line ends (every LF and CR: a CRLF counts twice, the bound is
    /// loose) of a file, and whether it is plain ASCII (no byte above 0x7F, no zero byte),
    /// 16 bytes at a time (`takt_csv_survey`).
    static func survey(_ bytes: [UInt8]) -> (commas: Int, lineEnds: Int, plain: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (0, 0, true) }
            var commas = 0, lineEnds = 0
            let plain = takt_csv_survey(base, buffer.count, &commas, &lineEnds) != 0
            return (commas, lineEnds, plain)
        }
    }

    /// Where the scan's unquoted fields end: the commas and line ends of one 64-byte block
    /// of the file at a time (`takt_csv_delimiters64`), kept while the scan moves through
    /// the block's fields (most fields are a few bytes, so a block serves several). The
    /// bits at or past where the scan stands are read from bytes the scan has not
    /// changed: a quoted field is unescaped only within its own span.
    private struct Delimiters {
        let input: UnsafePointer<UInt8>
        let count: Int
        /// The block the mask is of, at a multiple of 64 from the file's start.
        var base = -64
        var mask: UInt64 = 0

        init(_ input: UnsafePointer<UInt8>, count: Int) { (self.input, self.count) = (input, count) }

        /// The first comma, LF or CR at or after `i` (below `count`), or `count` when none.
        @inline(__always)
        mutating func next(from i: Int) -> Int {
            var block = i & ~63
            if block != base { load(block) }
            var bits = mask & (~UInt64(0) << UInt64(i & 63))
            while bits == 0 {
                block += 64
                if block >= count { return count }
                load(block)
                bits = mask
            }
            return block + bits.trailingZeroBitCount
        }

        private mutating func load(_ block: Int) {
            base = block
            if block + 64 <= count {
                mask = takt_csv_delimiters64(input + block)
                return
            }
            // The file's last bytes, fewer than 64: one at a time.
            mask = 0
            for k in 0..<(count - block) {
                let b = input[block + k]
                if b == 0x2C || b == 0x0A || b == 0x0D { mask |= 1 << UInt64(k) }
            }
        }
    }

    /// The one pass over the bytes: fields located (a quoted one unescaped in place) into
    /// `list`; false after a malformed quote.
    private static func scan(_ buffer: UnsafeMutableBufferPointer<UInt8>, into list: inout FieldList, file: String,
                             sink: inout DiagnosticSink) -> Bool {
        let n = buffer.count
        guard n > 0 else { return true }
        let input = buffer.baseAddress!
        var delimiters = Delimiters(input, count: n)
        var ok = true
        var i = 0
        if n >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { i = 3 }
        list.rowOffset = i
        var line = 1
        while i < n {
            // Start of a field.
            if input[i] == 0x22 {
                list.rowHasContent = true
                let quoteLine = line
                // The content is written from the opening quote on; what is left of the
                // span up to the delimiter is blanked, and read trims it.
                var write = i
                i += 1
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
                if !closed {
                    list.field(i)
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
                while write < i {
                    input[write] = 0x20
                    write += 1
                }
                list.field(i)
            } else {
                // An unquoted field runs to the next comma or line end (`Delimiters`).
                let start = i
                let end = delimiters.next(from: i)
                i = end
                if !list.rowHasContent {
                    // Only a row's first field can leave it blank (a comma gives it content).
                    var k = start
                    while k < end, input[k] == 0x20 || input[k] == 0x09 { k += 1 }
                    if k < end { list.rowHasContent = true }
                }
                list.field(end)
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
                    list.field(i)
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
            list.rowOffset = i
        }
        return ok
    }

    /// The fields and rows found so far by `scan`, written into room made for them; the
    /// first row becomes the header.
    private struct FieldList {
        /// Each field's end from its row's start, or `CSVTable.wideEnd` (then in `wide`).
        let ends: UnsafeMutablePointer<UInt16>
        /// The absolute ends of the fields ending 65,535 bytes or more into their row; the
        /// entries of fields dropped again (a blank line's, the header's) are dropped too.
        var wide = WideEnds()
        /// `rowStarts[0]` is 0; each row found adds its end.
        let rowOffsets: UnsafeMutablePointer<UInt32>, rowStarts: UnsafeMutablePointer<UInt32>, rowLines: UnsafeMutablePointer<UInt32>
        var fieldCount = 0
        var rowCount = 0
        var header: [String]?
        var headerLine = 0
        var rowLine = 1
        /// Where the current row's first field starts, and its index.
        var rowOffset = 0
        var rowFirstField = 0
        var rowHasContent = false

        init(ends: UnsafeMutablePointer<UInt16>, rowOffsets: UnsafeMutablePointer<UInt32>,
             rowStarts: UnsafeMutablePointer<UInt32>, rowLines: UnsafeMutablePointer<UInt32>) {
            (self.ends, self.rowOffsets, self.rowStarts, self.rowLines) = (ends, rowOffsets, rowStarts, rowLines)
            rowStarts[0] = 0
        }

        /// A field ending at `end` (its delimiter, or the end of the file).
        @inline(__always)
        mutating func field(_ end: Int) {
            let fromRow = end - rowOffset
            if fromRow < Int(CSVTable.wideEnd) {
                ends[fieldCount] = UInt16(truncatingIfNeeded: fromRow)
            } else {
                ends[fieldCount] = CSVTable.wideEnd
                wide.append(field: fieldCount, end: end)
            }
            fieldCount += 1
        }

        /// The offset in the file of field `f`'s end (a field of the current row).
        func absoluteEnd(_ f: Int) -> Int {
            wide.end(ends[f], of: f, rowOffset: rowOffset)
        }

        mutating func endRow(_ input: UnsafeMutablePointer<UInt8>) {
            if !rowHasContent && fieldCount - rowFirstField == 1 {
                // A blank (or all-space) line: no row.
                fieldCount -= 1
                wide.drop(from: fieldCount)
            } else if header == nil {
                headerLine = rowLine
                header = (0..<fieldCount).map { f in
                    let start = f == 0 ? rowOffset : absoluteEnd(f - 1) + 1
                    return String(decoding: UnsafeBufferPointer(start: input + start, count: absoluteEnd(f) - start),
                                  as: UTF8.self).trimmingSpaces()
                }
                fieldCount = 0
                wide.drop(from: 0)
            } else {
                rowOffsets[rowCount] = UInt32(truncatingIfNeeded: rowOffset)
                rowCount += 1
                rowStarts[rowCount] = UInt32(truncatingIfNeeded: fieldCount)
                rowLines[rowCount - 1] = UInt32(truncatingIfNeeded: rowLine)
            }
            rowFirstField = fieldCount
            rowHasContent = false
        }
    }
}

/// The absolute ends of a table's fields that end 65,535 bytes or more into their row
/// (`CSVTable.fieldEnds` holds `wideEnd` for them), in field order: two flat arrays,
/// searched only for such a field. A row of millions of fields past that mark (a broken
/// export) costs 8 bytes a field, where a dictionary took ten times the memory and time.
struct WideEnds: Sendable {
    /// The fields' indexes, increasing.
    private var fields: ContiguousArray<UInt32> = []
    private var ends: ContiguousArray<UInt32> = []

    /// Field `field` (after every field recorded so far) ends at `end`.
    mutating func append(field: Int, end: Int) {
        fields.append(UInt32(truncatingIfNeeded: field))
        ends.append(UInt32(truncatingIfNeeded: end))
    }

    /// Forgets the fields from index `field` on (fields the scan dropped again).
    mutating func drop(from field: Int) {
        while let last = fields.last, Int(last) >= field {
            fields.removeLast()
            ends.removeLast()
        }
    }

    /// The offset in the file of `field`'s end, stored in `CSVTable.fieldEnds` as `stored`
    /// in a row starting at `rowOffset`: from the row's start, or here when it is wide.
    @inline(__always)
    func end(_ stored: UInt16, of field: Int, rowOffset: Int) -> Int {
        stored != CSVTable.wideEnd ? rowOffset + Int(stored) : end(of: field)
    }

    /// The end of `field`, which must be one of them (a binary search: called only for a
    /// field marked wide, so kept out of line).
    @inline(never)
    func end(of field: Int) -> Int {
        var low = 0, high = fields.count
        while low < high {
            let middle = (low + high) / 2
            if Int(fields[middle]) < field { low = middle + 1 } else { high = middle }
        }
        precondition(low < fields.count && Int(fields[low]) == field, "a wide field with no end recorded")
        return Int(ends[low])
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
