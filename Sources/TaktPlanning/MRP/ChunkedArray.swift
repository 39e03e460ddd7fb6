/// Elements appended into chunks of a bounded size, none of which is ever copied to grow.
///
/// An array that doubles copies what it holds at each step, into a buffer twice the size
/// that is fresh memory: at the size of an MRP run's orders or gross-requirement terms (a
/// few hundred kilobytes to megabytes a run) most of the pages of each new buffer fault in
/// anew, and the copies are as many bytes again. Here the first chunk grows by doubling up
/// to `chunkBytes` (a run with few elements holds no more than it needs); after it every
/// chunk is made at that size, from the thread's arena, where the chunks a stage just freed
/// are (docs/performance.md, twenty-third round). In the MRP's module, which alone uses
/// it: a generic type from another module was not specialized, and each append became a
/// call into the runtime for the type's metadata.
struct ChunkedArray<Element> {
    /// The full chunks, in order; `last` is being filled.
    private var full: [ContiguousArray<Element>] = []
    private var last = ContiguousArray<Element>()
    /// How many elements a chunk holds.
    private let chunkCapacity: Int
    private(set) var count = 0

    /// Chunks of 64 KB: well below the size from which the heap maps a block on its own
    /// (`FreedMemory.mapLargeBlocks`), so freed chunks are reused by the next ones.
    static var defaultChunkBytes: Int { 64 << 10 }

    init(chunkBytes: Int = ChunkedArray.defaultChunkBytes) {
        chunkCapacity = max(1, chunkBytes / max(1, MemoryLayout<Element>.stride))
    }

    /// `elements` in chunks (tests).
    init(_ elements: some Sequence<Element>, chunkBytes: Int = ChunkedArray.defaultChunkBytes) {
        self.init(chunkBytes: chunkBytes)
        for element in elements { append(element) }
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    mutating func append(_ element: Element) {
        if last.count == chunkCapacity { startChunk() }
        last.append(element)
        count += 1
    }

    /// Puts the full last chunk with the others and starts a new one at the full size.
    @inline(never)
    private mutating func startChunk() {
        full.append(last)
        last = ContiguousArray()
        last.reserveCapacity(chunkCapacity)
    }

    /// The chunks in order, none empty.
    var chunks: [ContiguousArray<Element>] {
        last.isEmpty ? full : full + [last]
    }

    /// Calls `body` with each chunk's elements in order (none empty).
    func forEachChunk(_ body: (UnsafeBufferPointer<Element>) throws -> Void) rethrows {
        for chunk in full { try chunk.withUnsafeBufferPointer(body) }
        if !last.isEmpty { try last.withUnsafeBufferPointer(body) }
    }

    /// The elements in one array (tests, and callers that need them together).
    var joined: [Element] {
        var all: [Element] = []
        all.reserveCapacity(count)
        forEachChunk { all.append(contentsOf: $0) }
        return all
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
