import Foundation

/// One slot per task of a `DispatchQueue.concurrentPerform`, each written by its own task
/// and read once all are done.
final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ value: Value) {
        lock.lock()
        values[k] = value
        lock.unlock()
    }
}

/// A stack shared by threads (buffers handed back for reuse).
final class ConcurrentStack<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func push(_ value: Value) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    func pop() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values.popLast()
    }
}

/// Byte chunks handed from one thread to another, in order: the producer `send`s and then
/// `finish`es; the consumer takes them with `next` (which waits) until it returns nil.
final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var finished = false

    func send(_ chunk: [UInt8]) {
        condition.lock()
        chunks.append(chunk)
        condition.signal()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next chunk, waiting for it; nil once the producer has finished and all are taken.
    func next() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count && !finished { condition.wait() }
        guard head < chunks.count else { return nil }
        let chunk = chunks[head]
        chunks[head] = []
        head += 1
        return chunk
    }
}
