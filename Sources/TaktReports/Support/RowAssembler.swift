import TaktModel
import TaktInput
import TaktPlanning

/// Assembles CSV rows in a scratch buffer and hands them to a `CSVWriter` about 64 kB at a
/// time: for files of millions of rows, where per-field appends to an array cost more than
/// the formatting itself.
///
/// A field from an `EscapedFields` table is copied 16 bytes at a time, past its end (the
/// tables are padded and the scratch keeps room for one more row), so a field costs no
/// call. Owns its scratch: call `release()` when done.
struct RowAssembler {
    private let scratch: UnsafeMutablePointer<UInt8>
    private(set) var used = 0
    /// Rows are handed over once this many bytes wait.
    static let fill = 1 << 16

    /// `rowLimit`: the longest row there can be.
    init(rowLimit: Int) {
        scratch = .allocate(capacity: Self.fill + rowLimit + EscapedFields.padding)
    }

    func release() { scratch.deallocate() }

    /// Field `k` of `table` (raw, from `EscapedFields.withRaw`).
    @inline(__always)
    mutating func put(_ bytes: UnsafePointer<UInt8>, _ start: UnsafePointer<Int>, _ k: Int) {
        put(bytes, from: start[k], count: start[k + 1] - start[k])
    }

    /// The field of an `EscapedFields` table at `from`, `count` bytes long (its place
    /// looked up ahead, where the table's index is far from the cache).
    @inline(__always)
    mutating func put(_ bytes: UnsafePointer<UInt8>, from: Int, count: Int) {
        var offset = 0
        while offset < count {
            let chunk = UnsafeRawPointer(bytes + from + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(scratch + used + offset).storeBytes(of: chunk, as: SIMD16<UInt8>.self)
            offset += 16
        }
        used += count
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        scratch[used] = byte
        used += 1
    }

    /// A number (`NumberFormat`); false, writing nothing, when it is beyond the fast path.
    @inline(__always)
    mutating func put(number value: Double) -> Bool {
        guard let count = NumberFormat.write(value, to: scratch + used) else { return false }
        used += count
        return true
    }

    /// An amount given in cents (`NumberFormat.write(cents:to:)`), below 10^10.
    @inline(__always)
    mutating func put(cents: UInt64) {
        used += NumberFormat.write(cents: cents, to: scratch + used)
    }

    /// Drops what was put since `mark` (a row that must be written another way).
    mutating func rewind(to mark: Int) { used = mark }

    var isFull: Bool { used >= Self.fill }

    /// Appends the rows assembled so far to `csv` and starts over.
    mutating func handOver(to csv: inout CSVWriter) {
        csv.appendRows(UnsafeBufferPointer(start: scratch, count: used))
        used = 0
    }

    /// For a file written in parts: once full, hands the rows to `csv`, and `csv`'s bytes
    /// to `emit` once they reach `chunk`.
    @inline(__always)
    mutating func handOverWhenFull(to csv: inout CSVWriter, chunk: Int, _ emit: ([UInt8]) throws -> Void) rethrows {
        guard isFull else { return }
        handOver(to: &csv)
        try csv.flush(atLeast: chunk, emit)
    }
}
