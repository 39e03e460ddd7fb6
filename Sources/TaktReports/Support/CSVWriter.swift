import TaktModel
import TaktInput
import TaktPlanning

/// Builds an RFC 4180 CSV file in a byte buffer: LF line ends, fields quoted only when
/// they hold a comma, a quote or a line break.
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0

    /// Rows only, no header (a part of a file whose header is written apart).
    init() {}

    /// Rows only, written into `buffer`'s storage (emptied) where no one else holds it.
    /// The caller hands its only reference over (`consume`): emptying a buffer still held
    /// elsewhere makes a fresh empty one of the same capacity, and a buffer of a megabyte
    /// or more is a mapping of its own, every page faulted in as it is written.
    init(reusing buffer: consuming [UInt8]) {
        bytes = consume buffer
        bytes.removeAll(keepingCapacity: true)
    }

    /// The buffer, emptied, for another writer (`init(reusing:)`); this one starts over.
    mutating func emptied() -> [UInt8] {
        bytes.removeAll(keepingCapacity: true)
        defer { bytes = [] }
        return bytes
    }

    public init(header: [String]) {
        bytes.reserveCapacity(1 << 16)
        for name in header { field(name) }
        endRow()
    }

    /// Hands the bytes written so far to `emit` and starts over (keeping the buffer), when
    /// at least `threshold` bytes are waiting; for files written in chunks.
    public mutating func flush(atLeast threshold: Int = 0, _ emit: ([UInt8]) throws -> Void) rethrows {
        guard bytes.count >= threshold, !bytes.isEmpty else { return }
        try emit(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Field `k` of a pre-escaped table (names written millions of times).
    public mutating func field(_ k: Int, of table: EscapedFields) {
        separator()
        table.append(k, to: &bytes)
    }

    /// A text's bytes as a CSV field: quoted when it needs to be.
    public static func escaped(_ text: String) -> [UInt8] {
        var writer = CSVWriter()
        writer.field(text)
        return writer.bytes
    }

    public mutating func field(_ text: String) {
        field { $0.append(utf8: text) }
    }

    /// A field whose text `write` puts straight onto the row, quoted afterwards where it
    /// needs to be (`quoteField`): no copy of the text made first.
    public mutating func field(writing write: (inout [UInt8]) -> Void) {
        separator()
        let start = bytes.count
        write(&bytes)
        bytes.quoteField(from: start)
    }

    /// A quantity with at most 6 decimals (contract §4).
    public mutating func field(_ value: Double) {
        separator()
        NumberFormat.append(value, to: &bytes)
    }

    public mutating func field(_ value: Int) {
        separator()
        if value < 0 { bytes.append(0x2D) }
        NumberFormat.appendInteger(value.magnitude.toUInt64, to: &bytes)
    }

    public mutating func field(_ day: Day) {
        separator()
        day.append(to: &bytes)
    }

    public mutating func field(_ flag: Bool) {
        field(flag ? "true" : "false")
    }

    /// Whole rows, already formatted (each ending in a line feed).
    public mutating func appendRows(_ rows: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: rows)
        fieldsInRow = 0
    }

    public mutating func endRow() {
        bytes.append(0x0A)
        fieldsInRow = 0
    }

    private mutating func separator() {
        if fieldsInRow > 0 { bytes.append(0x2C) }
        fieldsInRow += 1
    }
}

private extension UInt {
    var toUInt64: UInt64 { UInt64(self) }
}

/// Texts escaped once as CSV fields and packed into one buffer, so that writing one is a
/// single copy with no per-field allocation or reference counting.
public struct EscapedFields: Sendable {
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]

    /// The longest field, in bytes (kept: the purchase suggestions ask once per supplier).
    public private(set) var maxLength = 0

    public init<S: Sequence>(_ texts: S) where S.Element == String {
        for text in texts {
            bytes.append(contentsOf: CSVWriter.escaped(text))
            appendEnd()
        }
        bytes.append(contentsOf: repeatElement(0, count: Self.padding))
    }

    private mutating func appendEnd() {
        maxLength = max(maxLength, bytes.count - start[start.count - 1])
        start.append(bytes.count)
    }

    /// Zero bytes after the last field: the buffer is never empty, and a field may be
    /// read 16 bytes at a time past its end.
    static let padding = 16

    public init<S: Sequence>(days: S) where S.Element == Day {
        for day in days {
            day.append(to: &bytes)
            appendEnd()
        }
        bytes.append(contentsOf: repeatElement(0, count: Self.padding))
    }

    /// Raw access for row assembly: `body(bytes, start)`, field `k` being
    /// `bytes[start[k]..<start[k + 1]]`.
    func withRaw<R>(_ body: (UnsafePointer<UInt8>, UnsafePointer<Int>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try start.withUnsafeBufferPointer { s in
                try body(b.baseAddress!, s.baseAddress!) // never empty: see `init`
            }
        }
    }

    func append(_ k: Int, to target: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            target.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start[k]..<start[k + 1]]))
        }
    }
}
