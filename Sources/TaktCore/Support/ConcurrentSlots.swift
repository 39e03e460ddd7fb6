import Foundation

/// One slot per task of a `DispatchQueue.concurrentPerform`, each written by its own task
/// and read once all are done.
///
/// Every access takes the lock: a slot may be read while another is still being written
/// (the loader reads the files parsed on this thread while a second thread parses the
/// others), and an unlocked read of the array then raced with its write (ThreadSanitizer;
/// "free(): corrupted unsorted chunks" now and then in the tests).
final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ k: Int, _ value: Value) {
        lock.lock()
        storage[k] = value
        lock.unlock()
    }

    /// Slot `k`, nil while it is not set.
    subscript(_ k: Int) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return storage[k]
    }

    /// Every slot, as they are now.
    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
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

/// A flag one thread raises and another polls (to stop writing a file nobody will keep).
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    struct Stopped: Error {}
}
