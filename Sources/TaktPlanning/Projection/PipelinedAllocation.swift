import TaktModel

extension ProjectionPass {
    /// Items whose rows one chunk carries from the filling task to the allocating one.
    static let chunkItems = 1024
    /// The most chunks of rows made ahead of the allocation (each waits in memory).
    static let chunksAhead = 4

    /// The rows of consecutive items of the allocation order.
    struct RowChunk {
        var rows: [RequirementRows.Row] = []
        /// Item `j` of the chunk has rows `start[j]..<start[j + 1]`.
        var start: [Int] = [0]
    }

    /// The pass under way, moved to the allocating task and back (so that its arrays keep
    /// one owner and are changed in place).
    private final class Moving: @unchecked Sendable {
        var pass: ProjectionPass?
        init(_ pass: ProjectionPass) { self.pass = pass }
    }

    /// `run()` with the rows made on every core: an item's rows depend only on the MRP's
    /// orders and the BOM, never on an allocation, so the rows are made chunk by chunk in
    /// allocation order (only for the items that may be late, `itemsThatMayBeLate`) by the
    /// first tasks (one fewer than `workers.width`, at least one) and, while the chunk it
    /// needs next is not there, by the last task, which allocates each chunk in order
    /// (`BlocksInOrder`). The same allocations in the same order as `run()`, so the same
    /// result on any `workers`.
    ///
    /// With workers that run the tasks one after the other, in index order (`Workers`),
    /// task 0 makes every chunk before the allocation starts.
    public mutating func run(workers: any Workers) {
        let order = plan.allocationOrder
        guard plan.cachedRowStart.isEmpty, order.count >= 2 * Self.chunkItems else { return run() }
        Trace.mark("projection: pass made")
        let mayBeLate = itemsThatMayBeLate()
        Trace.mark("projection: items that may be late found")
        let moving = Moving(self)
        // This copy drops its arrays so that the moved pass owns them alone.
        orderKey = []
        passKey = []
        deliveryAvailable = []
        deliveryLate = []
        deliveryOutcome = []
        let plan = self.plan
        let chunks = BlocksInOrder<RowChunk>(count: (order.count + Self.chunkItems - 1) / Self.chunkItems,
                                             lookahead: Self.chunksAhead)
        // Row buffers handed back once allocated, refilled instead of fresh memory.
        let spare = ConcurrentStack<[RequirementRows.Row]>()
        @Sendable func make(_ c: Int) -> RowChunk {
            var chunk = RowChunk()
            if let rows = spare.pop() { chunk.rows = rows } else { chunk.rows.reserveCapacity(1024) }
            chunk.start.reserveCapacity(Self.chunkItems + 1)
            let first = c * Self.chunkItems
            for entry in order[first..<min(first + Self.chunkItems, order.count)] {
                if mayBeLate[Int(entry)] { RequirementRows.append(Int(entry), plan: plan, to: &chunk.rows) }
                chunk.start.append(chunk.rows.count)
            }
            return chunk
        }
        let tasks = max(2, workers.width)
        workers.forEach(tasks) { task in
            if task < tasks - 1 {
                while let c = chunks.claim() { chunks.put(c, make(c)) }
                if task == 0 { Trace.mark("projection: rows made") }
            } else {
                var pass = moving.pass.take()!
                var events: [SupplyEvent] = []
                var allocation = Allocation()
                var first = 0
                for c in 0..<(order.count + Self.chunkItems - 1) / Self.chunkItems {
                    var chunk = chunks.take(c, make: make)
                    for j in 0..<(chunk.start.count - 1) {
                        let item = Int(order[first + j])
                        guard mayBeLate[item] else {
                            pass.recordOnTime(item)
                            continue
                        }
                        guard chunk.start[j] < chunk.start[j + 1] else { continue }
                        let itemRows = chunk.rows[chunk.start[j]..<chunk.start[j + 1]]
                        pass.events(of: item, into: &events)
                        pass.allocate(itemRows, events, into: &allocation)
                        pass.record(item, itemRows, allocation)
                    }
                    first += chunk.start.count - 1
                    chunk.rows.removeAll(keepingCapacity: true)
                    spare.push(chunk.rows)
                }
                moving.pass = pass
                Trace.mark("projection: allocation done")
            }
        }
        // The row buffers, every one handed back by now, go; what they held is reported
        // (made on worker threads, whose arenas would keep it resident).
        var dropped = 0
        while let rows = spare.pop() { dropped += rows.capacity * MemoryLayout<RequirementRows.Row>.stride }
        workers.dropped(bytes: dropped)
        Trace.mark("projection: \(dropped >> 20) MB of rows dropped")
        self = moving.pass!
    }
}
