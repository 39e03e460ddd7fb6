import Foundation

/// Blocks `0..<count` that any thread may make, taken in order by one consumer: a maker
/// claims the next block nobody has (`claim`) and `put`s it when made; the consumer's
/// `take(k)` returns block `k`, and while it is not made yet, makes the next unclaimed
/// block itself instead of waiting (so a consumer whose own work is light shares the
/// making, and blocks are never made twice).
///
/// Claims go in block order, and the consumer takes every block below `k` before asking
/// for `k`: when `k` is not made, it is either unclaimed (the consumer makes it) or being
/// made elsewhere (the consumer makes a later one meanwhile, or waits once none is left).
///
/// A maker stays fewer than `lookahead` blocks ahead of the consumer once the consumer has
/// started (what is made ahead waits in memory); before that it runs free, so that makers
/// run before the consumer (workers one wide, which run tasks one after the other) never
/// wait for it.
package final class BlocksInOrder<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var made: [Value?]
    private var next = 0
    /// The block the consumer takes next; -1 until its first `take`.
    private var consumerAt = -1
    package let lookahead: Int

    package init(count: Int, lookahead: Int = .max) {
        precondition(lookahead >= 1, "a maker must be let ahead by at least one block")
        made = Array(repeating: nil, count: count)
        self.lookahead = lookahead
    }

    /// The next block nobody has claimed, nil once every block is; waits while it would
    /// be `lookahead` blocks ahead of a started consumer.
    package func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while consumerAt >= 0, next < made.count, next - consumerAt >= lookahead { condition.wait() }
        guard next < made.count else { return nil }
        next += 1
        return next - 1
    }

    /// Block `k`, made by whoever claimed it.
    package func put(_ k: Int, _ value: Value) {
        condition.lock()
        made[k] = value
        condition.broadcast()
        condition.unlock()
    }

    /// Block `k` (the consumer's, in order), making unclaimed blocks with `make` until it
    /// is there.
    package func take(_ k: Int, make: (Int) -> Value) -> Value {
        condition.lock()
        consumerAt = k
        condition.broadcast()
        condition.unlock()
        while true {
            condition.lock()
            if let value = made[k] {
                made[k] = nil
                condition.unlock()
                return value
            }
            guard next < made.count else {
                // Claimed by another maker, and nothing is left to make meanwhile.
                while made[k] == nil { condition.wait() }
                let value = made[k]!
                made[k] = nil
                condition.unlock()
                return value
            }
            let j = next
            next += 1
            condition.unlock()
            let value = make(j)
            if j == k { return value }
            put(j, value)
        }
    }
}
