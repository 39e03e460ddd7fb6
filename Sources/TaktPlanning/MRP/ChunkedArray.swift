/// Elements appended into chunks of a bounded size, none of which is ever copied to grow.
///
/// An array that doubles copies what it holds at each step into a buffer twice the size,
/// fresh memory whose pages fault in anew: at the size of an MRP run's orders or
/// gross-requirement terms (hundreds of kilobytes to megabytes a run) the copies and the
/// faults were a large share of the netting. Here the first chunk grows by doubling up to
/// `chunkBytes` (a run with few elements holds no more than it needs), never past it; every
/// later chunk is made at that size. Chunks come from the heap's arenas, where the chunks
/// of the terms a level has grouped were freed (docs/performance.md, twenty-third round).
/// In the MRP's module, which alone uses it: as a generic type of another module it was
/// not specialized, and every append called into the runtime for the type's metadata.
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
        if last.count == last.capacity || last.count == chunkCapacity { makeRoom() }
        last.append(element)
        count += 1
    }

    /// A full chunk goes with the others and a new one starts at the full size; the first
    /// chunk, out of room below that size, doubles up to it (not past it, as an array's
    /// own growth would).
    @inline(never)
    private mutating func makeRoom() {
        if last.count == chunkCapacity {
            full.append(last)
            last = ContiguousArray()
            last.reserveCapacity(chunkCapacity)
        } else {
            last.reserveCapacity(min(max(16, 2 * last.capacity), chunkCapacity))
        }
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
