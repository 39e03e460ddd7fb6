/// How a stage's independent pieces of work are spread over the cores, and what happens
/// to the memory a stage drops: decided by the run (`TaktRun`'s `CoreWorkers`), not by the
/// planning code, which only says which pieces may run at once and when it dropped a
/// large share of what it made.
///
/// Every implementation must give the same result as calling the pieces one by one in
/// index order: the planning code puts the pieces' results together in that order, so
/// its output does not depend on how many cores ran them.
public protocol Workers: Sendable {
    /// Calls `body(k)` for every `k` in `0..<count`, possibly several at once; returns
    /// when all are done.
    func forEach(_ count: Int, _ body: @Sendable (Int) -> Void)

    /// The caller has just dropped about `bytes` of memory it made (a stage's runs, a
    /// walk's fragments): the run may hand it back to the system.
    func dropped(bytes: Int)

    /// How many dropped bytes a stage gathers before it reports them (`dropped(bytes:)`):
    /// the run's heap policy, so that a stage dropping memory piece by piece reports it in
    /// amounts worth handing back. `Int.max` where nothing is handed back.
    var dropBatch: Int { get }

    /// Runs `other` while the caller runs `body`, possibly at once (on a thread of its own
    /// when the run has one to give, even if every pooled thread is busy), and returns
    /// `body`'s value once both are done. `other` must only write what `body` does not
    /// read (a slot read after the call).
    func beside<T>(_ other: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T

    /// Hands what `produce` makes to `consume`, one piece after another in the order sent:
    /// `produce` gets the `send` to call, which may return before the piece is consumed (a
    /// thread of its own consumes, with at most `depth` pieces sent and not yet done);
    /// returns once every piece is consumed.
    func pipeline<Piece: Sendable>(depth: Int, consume: @escaping @Sendable (Piece) -> Void,
                                   produce: (_ send: (Piece) -> Void) throws -> Void) rethrows

    /// How many pieces run at once (the cores it uses): a stage cut into a fixed number of
    /// pieces cuts it into at least this many.
    var width: Int { get }
}

extension Workers {
    /// `body(k)` for every `k` in `0..<count`, possibly several at once, in index order.
    public func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        let slots = ConcurrentSlots<T>(count: count)
        forEach(count) { slots.set($0, body($0)) }
        return slots.values.map { $0! }
    }

    /// An array of `count` elements made where they stay, in `pieces` about equal ranges
    /// (`count × p / pieces` on), possibly several at once: `fill(range, at)` initializes
    /// each element of `range` once, `at` pointing at the range's first. No piece is copied
    /// after (tens of MB of fresh pages for the orders of a 1M-item plan).
    public func array<T>(count: Int, pieces: Int,
                         _ fill: @Sendable (_ range: Range<Int>, _ at: UnsafeMutablePointer<T>) -> Void) -> ContiguousArray<T> {
        ContiguousArray(unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress, count > 0 {
                let target = UncheckedPointer(base)
                forEach(pieces) { p in
                    let range = count * p / pieces..<count * (p + 1) / pieces
                    fill(range, target.value! + range.lowerBound)
                }
            }
            initialized = count
        }
    }
}

/// One piece after the other on the calling thread, and nothing handed back: the default
/// of every planning stage (tests, `takt record`), and what the run's schedule replaces.
public struct SerialWorkers: Workers {
    public init() {}

    public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        for k in 0..<count { body(k) }
    }

    public func dropped(bytes: Int) {}

    public var dropBatch: Int { .max }

    public var width: Int { 1 }

    public func beside<T>(_ other: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        other()
        return try body()
    }

    public func pipeline<Piece: Sendable>(depth: Int, consume: @escaping @Sendable (Piece) -> Void,
                                          produce: (_ send: (Piece) -> Void) throws -> Void) rethrows {
        try produce(consume)
    }
}
