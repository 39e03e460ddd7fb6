/// One term of an item's gross requirement (contract §2): a ramp or demand row, or a
/// parent's `make` order (or phantom pass-through) times a BOM line's extended quantity.
struct GrossEntry: Sendable {
    var item: Int32
    var bucket: Int32
    var quantity: Double
}

/// The gross requirements of the items that are not netted yet, kept as the terms added to
/// them, one log per low-level code, instead of a dense `items × buckets` array: an item's
/// terms all arrive before its level is netted (its parents sit on lower levels), and are
/// dropped once it is. The terms take ~16 bytes each where the dense array took 8 bytes per
/// item and bucket (2 GB at 1M items in day buckets, most of them zero).
///
/// Each log is a list of chunks in the order they were made; `take` groups a level's terms
/// by item keeping that order, so an item's requirement in a bucket is summed term by term
/// in the order the dense array added them: the same sums, to the last bit.
struct GrossLog {
    private var pending: [[ContiguousArray<GrossEntry>]]

    init(levels: Int) { pending = Array(repeating: [], count: levels) }

    /// Adds a chunk of terms for the items of `level`.
    mutating func append(_ chunk: ContiguousArray<GrossEntry>, level: Int) {
        if !chunk.isEmpty { pending[level].append(chunk) }
    }

    /// The terms of `level`, whose items are `order[first..<last]` (planning order; `place`
    /// gives each item's index in it), grouped by item; the log of the level is emptied.
    mutating func take(level: Int, first: Int, last: Int, place: ContiguousArray<Int32>) -> LevelGross {
        let chunks = pending[level]
        pending[level] = []
        var start = ContiguousArray<Int>(repeating: 0, count: last - first + 1)
        for chunk in chunks {
            for entry in chunk { start[Int(place[Int(entry.item)]) - first + 1] += 1 }
        }
        for k in 1..<start.count { start[k] += start[k - 1] }
        let total = start[start.count - 1]
        var next = start
        var bucket = ContiguousArray<Int32>(repeating: 0, count: total)
        var quantity = ContiguousArray<Double>(repeating: 0, count: total)
        for chunk in chunks {
            for entry in chunk {
                let rank = Int(place[Int(entry.item)]) - first
                let k = next[rank]
                next[rank] = k + 1
                bucket[k] = entry.bucket
                quantity[k] = entry.quantity
            }
        }
        return LevelGross(first: first, start: start, bucket: bucket, quantity: quantity)
    }
}

/// The gross requirements of one level's items (`GrossLog.take`): the item at planning-order
/// index `first + r` has the terms `start[r]..<start[r + 1]`, in the order they were made.
struct LevelGross: Sendable {
    let first: Int
    let start: ContiguousArray<Int>
    let bucket: ContiguousArray<Int32>
    let quantity: ContiguousArray<Double>

    /// Writes into `row` the gross requirement per bucket of the item at planning-order
    /// index `index`.
    func fill(_ row: inout ContiguousArray<Double>, index: Int) {
        for t in row.indices { row[t] = 0 }
        let r = index - first
        for k in start[r]..<start[r + 1] { row[Int(bucket[k])] += quantity[k] }
    }
}
