import TaktModel
import TaktInput

/// One term of an item's gross requirement (contract §2): a ramp or demand row, or a
/// parent's `make` order (or phantom pass-through) times a BOM line's extended quantity.
struct GrossEntry: Sendable {
    /// The item's index in the planning order (`GrossLog.take` groups by it with no look-up).
    var place: Int32
    var bucket: Int32
    var quantity: Double
}

/// A BOM line as the explosion reads it, kept in the BOM's by-parent order (`byParent`), so
/// that exploding an order reads its parent's lines as one stretch of memory: where its
/// component sits (its index in the planning order and its low-level code), the days the
/// line is in effect (`BOM.isEffective`'s stored bounds) and its extended quantity
/// (`BOM.extendedQty`, computed once per line: the same bits as at each explosion).
struct ExplodedLine: Sendable {
    var place: Int32
    var level: Int32
    var from: Int32
    var to: Int32
    var extended: Double
}

/// The gross requirements of the items that are not netted yet, kept as the terms added to
/// them, one log per low-level code, instead of a dense `items × buckets` array: an item's
/// terms all arrive before its level is netted (its parents sit on lower levels), and are
/// dropped once it is. The terms take ~16 bytes each where the dense array took 8 bytes per
/// item and bucket (2 GB at 1M items in day buckets, most of them zero).
///
/// Each log is a list of chunks in the order they were made (the ramp and demand, then the
/// parents in planning order, each parent's BOM lines in order); `take` groups a level's
/// terms by item keeping that order, so an item's requirement in a bucket is summed term
/// by term in one order whatever the runs or cores: the same sums, to the last bit.
struct GrossLog {
    private var pending: [[ContiguousArray<GrossEntry>]]
    /// A level with at least this many terms is taken on two cores.
    let halvesFrom: Int

    /// Where the two halves of a large level are grouped.
    let workers: any Workers

    /// The grouped terms' buckets and quantities, kept from level to level: the next level
    /// reuses them when the one before has let go of them (its `LevelGross` is gone) and
    /// they are large enough. A fresh buffer of a few megabytes is a fresh mapping
    /// (`FreedMemory.mapLargeBlocks`) whose every page faults in anew; these stay mapped.
    private var store: (bucket: SharedBuffer<Int32>, quantity: SharedBuffer<Double>)?

    init(levels: Int, halvesFrom: Int, workers: any Workers) {
        self.workers = workers
        pending = Array(repeating: [], count: levels)
        self.halvesFrom = halvesFrom
    }

    /// Lets go of the kept buffers (after the last level).
    mutating func dropStore() { store = nil }

    /// Buffers for `total` terms: the kept ones when no `LevelGross` holds them any more
    /// and they are large enough, else new ones (kept from now on).
    private mutating func buffers(for total: Int) -> (bucket: SharedBuffer<Int32>, quantity: SharedBuffer<Double>) {
        if var kept = store {
            store = nil
            if kept.bucket.pointer.count >= total, isKnownUniquelyReferenced(&kept.bucket), isKnownUniquelyReferenced(&kept.quantity) {
                store = kept
                return kept
            }
        }
        // Room to grow by half again: the levels' term counts rise towards the bottom.
        let room = max(1, total + total / 2)
        let made = (SharedBuffer<Int32>(unwrittenCount: room), SharedBuffer<Double>(unwrittenCount: room))
        store = made
        return made
    }

    /// Adds terms (the ramp and demand, or a run's), `byLevel[level]` for the items of
    /// `level`, chunk by chunk.
    mutating func append(byLevel terms: [ChunkedArray<GrossEntry>]) {
        for (level, log) in terms.enumerated() where !log.isEmpty { pending[level].append(contentsOf: log.chunks) }
    }

    /// The terms of `level`, whose items are `planningOrder[first..<last]`, grouped by
    /// item; the log of the level is emptied.
    ///
    /// A counting sort: a large level's terms are cut into two halves in log order, each
    /// counted and placed on its own core, the first half's terms of an item before the
    /// second's — the order of the log.
    mutating func take(level: Int, first: Int, last: Int) -> LevelGross {
        let chunks = pending[level]
        pending[level] = []
        let items = last - first
        let total = chunks.reduce(0) { $0 + $1.count }
        // The halves as (chunk, range) pieces; one half for a small level.
        var halves: [[(chunk: Int, range: Range<Int>)]] = total >= max(1, halvesFrom) ? [[], []] : [[]]
        let cut = halves.count == 2 ? total / 2 : total
        var seen = 0
        for (c, chunk) in chunks.enumerated() {
            let before = min(max(cut - seen, 0), chunk.count) // this chunk's terms before the cut
            if before > 0 { halves[0].append((c, 0..<before)) }
            if before < chunk.count { halves[1].append((c, before..<chunk.count)) }
            seen += chunk.count
        }
        let counts = (0..<halves.count).map { _ in SharedBuffer<Int>(repeating: 0, count: items) }
        let (bucket, quantity) = buffers(for: total)
        let halfList = halves
        @Sendable func count(_ h: Int) {
            let tally = counts[h].pointer
            for (c, range) in halfList[h] {
                chunks[c].withUnsafeBufferPointer { terms in
                    for k in range { tally[Int(terms[k].place) - first] += 1 }
                }
            }
        }
        workers.forEach(halfList.count) { count($0) }
        // Each half's next slot per item: the first half's terms of an item, then the second's.
        // Through the buffers' pointers: a buffer read out of `counts` is retained and
        // released at each read (two calls an item and half, on this core alone).
        let tallies = counts.map(\.pointer)
        let start = ContiguousArray<Int>(unsafeUninitializedCapacity: items + 1) { start, count in
            var slot = 0
            for r in 0..<items {
                start[r] = slot
                for tally in tallies {
                    let n = tally[r]
                    tally[r] = slot
                    slot += n
                }
            }
            start[items] = slot
            count = items + 1
        }
        @Sendable func scatter(_ h: Int) {
            let next = counts[h].pointer, buckets = bucket.pointer, quantities = quantity.pointer
            for (c, range) in halfList[h] {
                chunks[c].withUnsafeBufferPointer { terms in
                    for k in range {
                        let rank = Int(terms[k].place) - first
                        let slot = next[rank]
                        next[rank] = slot + 1
                        buckets[slot] = terms[k].bucket
                        quantities[slot] = terms[k].quantity
                    }
                }
            }
        }
        workers.forEach(halfList.count) { scatter($0) }
        return LevelGross(first: first, start: start, bucket: bucket, quantity: quantity)
    }
}

/// The gross requirements of one level's items (`GrossLog.take`): the item at planning-order
/// index `first + r` has the terms `start[r]..<start[r + 1]`, in the order they were made.
struct LevelGross: Sendable {
    let first: Int
    let start: ContiguousArray<Int>
    let bucket: SharedBuffer<Int32>
    let quantity: SharedBuffer<Double>

    /// Writes into `row` the gross requirement per bucket of the item at planning-order
    /// index `index`.
    func fill(_ row: inout ContiguousArray<Double>, index: Int) {
        let r = index - first
        let (buckets, quantities) = (bucket.pointer, quantity.pointer)
        row.withUnsafeMutableBufferPointer { row in
            row.update(repeating: 0)
            for k in start[r]..<start[r + 1] { row[Int(buckets[k])] += quantities[k] }
        }
    }
}
