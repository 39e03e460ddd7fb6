/// The numbers of the samples a simulation runs (contract §2e: samples 1…N; a shard `I/K`
/// runs samples I, I+K, I+2K, … of them), as a stride worked out on demand: however large
/// N, the list costs no memory (a list of a billion sample numbers would take 8 GB).
public struct SampleNumbers: RandomAccessCollection, Sendable, Equatable {
    /// The first sample's number and the step to the next.
    public let first: Int
    public let step: Int
    public let count: Int

    /// Samples `first`, `first + step`, … up to `last` (none when `first > last`).
    public init(from first: Int, through last: Int, by step: Int = 1) {
        precondition(step > 0, "a positive step")
        (self.first, self.step) = (first, step)
        count = first > last ? 0 : (last - first) / step + 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "sample index out of range")
        return first + position * step
    }
}
