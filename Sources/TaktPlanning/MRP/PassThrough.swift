import TaktModel
import TaktInput

/// What each phantom passed through to its components (contract §2: a phantom nets its
/// stock and receipts, then hands the rest straight down), kept only for the buckets where
/// it passed something. A phantom's row is `MRPResult.phantomRow[item]`.
///
/// Rows of every bucket would be `phantoms × buckets` doubles, nearly all zeros (at a
/// million items in day buckets, tens of thousands of phantoms × 260 buckets).
public struct PassThrough: Sendable, Equatable {
    /// One bucket of one phantom's row.
    public struct Entry: Sendable, Equatable {
        public var row: Int32
        public var bucket: Int32
        public var quantity: Double
    }

    /// Row `r`'s entries are `start[r]..<start[r + 1]`, in bucket order.
    public private(set) var start: ContiguousArray<Int>
    public private(set) var bucket: ContiguousArray<Int32>
    public private(set) var quantity: ContiguousArray<Double>

    /// `rows` rows of `entries`, each row's entries in bucket order (the rows in any order).
    public init(rows: Int, entries: some Collection<Entry>) {
        var start = ContiguousArray<Int>(repeating: 0, count: rows + 1)
        for entry in entries { start[Int(entry.row) + 1] += 1 }
        for r in 0..<rows { start[r + 1] += start[r] }
        var fill = start
        var bucket = ContiguousArray<Int32>(repeating: 0, count: entries.count)
        var quantity = ContiguousArray<Double>(repeating: 0, count: entries.count)
        for entry in entries {
            let at = fill[Int(entry.row)]
            (bucket[at], quantity[at]) = (entry.bucket, entry.quantity)
            fill[Int(entry.row)] = at + 1
        }
        (self.start, self.bucket, self.quantity) = (start, bucket, quantity)
    }

    /// The entries of row `row` (indices into `bucket` and `quantity`).
    @inline(__always)
    public func entries(ofRow row: Int) -> Range<Int> { start[row]..<start[row + 1] }

    /// What row `row` passed in bucket `t` (0 when nothing).
    public func quantity(row: Int, bucket t: Int) -> Double {
        var (low, high) = (start[row], start[row + 1])
        while low < high {
            let mid = (low + high) / 2
            if Int(bucket[mid]) < t { low = mid + 1 } else { high = mid }
        }
        return low < start[row + 1] && Int(bucket[low]) == t ? quantity[low] : 0
    }
}
