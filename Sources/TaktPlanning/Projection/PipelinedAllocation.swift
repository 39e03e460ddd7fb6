import TaktModel

extension ProjectionPass {
    /// Items whose rows one chunk carries from the filling task to the allocating one.
    static let chunkItems = 1024

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

    /// `run()` with the rows made on a second core: an item's rows depend only on the MRP's
    /// orders and the BOM, never on an allocation, so task 0 fills them chunk by chunk in
    /// allocation order (only for the items that may be late, `itemsThatMayBeLate`) while
    /// task 1 allocates each chunk as it arrives. The same
    /// allocations in the same order as `run()`, so the same result on any `workers`.
    ///
    /// Task 0 is the producer: with workers that run the tasks one after the other, in
    /// index order (`Workers`), every chunk is made before the allocation starts.
    public mutating func run(workers: any Workers) {
        let order = plan.allocationOrder
        guard plan.cachedRowStart.isEmpty, order.count >= 2 * Self.chunkItems else { return run() }
        let mayBeLate = itemsThatMayBeLate()
        let moving = Moving(self)
        // This copy drops its arrays so that the moved pass owns them alone.
        orderKey = []
        passKey = []
        deliveryAvailable = []
        deliveryLate = []
        deliveryOutcome = []
        let plan = self.plan
        let channel = Channel<RowChunk>()
        // Row buffers handed back once allocated, refilled instead of fresh memory.
        let spare = ConcurrentStack<[RequirementRows.Row]>()
        workers.forEach(2) { task in
            if task == 0 {
                var expected = 1024
                for first in stride(from: 0, to: order.count, by: Self.chunkItems) {
                    var chunk = RowChunk()
                    if let rows = spare.pop() { chunk.rows = rows }
                    chunk.rows.reserveCapacity(expected)
                    chunk.start.reserveCapacity(Self.chunkItems + 1)
                    for entry in order[first..<min(first + Self.chunkItems, order.count)] {
                        if mayBeLate[Int(entry)] { RequirementRows.append(Int(entry), plan: plan, to: &chunk.rows) }
                        chunk.start.append(chunk.rows.count)
                    }
                    expected = max(expected, chunk.rows.count)
                    channel.send(chunk)
                }
                channel.finish()
                Trace.mark("projection: rows made")
            } else {
                var pass = moving.pass.take()!
                var events: [SupplyEvent] = []
                var allocation = Allocation()
                var first = 0
                while var chunk = channel.next() {
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
            }
        }
        self = moving.pass!
    }
}
