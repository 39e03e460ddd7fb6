/// An append-only array stored in fixed chunks of 65,536 elements: growing it never
/// copies what is already stored, so a table of tens of millions of rows (pegging at 100k
/// items) costs its size once, not the twice-over copying and page faults of a doubling
/// array.
public struct ChunkedArray<Element>: RandomAccessCollection {
    private static var shift: Int { 16 }
    private static var chunkSize: Int { 1 << shift }
    private var chunks: [ContiguousArray<Element>] = []
    public private(set) var count = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "ChunkedArray index out of range")
        return chunks[position >> Self.shift][position & (Self.chunkSize - 1)]
    }

    public mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk = ContiguousArray<Element>()
            chunk.reserveCapacity(Self.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
