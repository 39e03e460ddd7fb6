import Foundation

/// One slot per task of a `DispatchQueue.concurrentPerform`, each written by its own task
/// and read once all are done.
///
/// Every access takes the lock: a slot may be read while another is still being written
/// (the loader reads the files parsed on this thread while a second thread parses the
/// others), and an unlocked read of the array then raced with its write (ThreadSanitizer;
/// "free(): corrupted unsorted chunks" now and then in the tests).
package final class ConcurrentSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    package init(count: Int) { storage = Array(repeating: nil, count: count) }

    package func set(_ k: Int, _ value: Value) {
        lock.lock()
        storage[k] = value
        lock.unlock()
    }

    /// Slot `k`, nil while it is not set.
    package subscript(_ k: Int) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return storage[k]
    }

    /// Every slot, as they are now.
    package var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// A stack shared by threads (buffers handed back for reuse).
package final class ConcurrentStack<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    package init() {}

    package func push(_ value: Value) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    package func pop() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values.popLast()
    }
}

/// Byte chunks handed from one thread to another, in order: the producer `send`s and then
/// `finish`es; the consumer takes them with `next` (which waits) until it returns nil.
package final class ChunkChannel: @unchecked Sendable {
    package init() {}

    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var finished = false

    package func send(_ chunk: [UInt8]) {
        condition.lock()
        chunks.append(chunk)
        condition.signal()
        condition.unlock()
    }

    package func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next chunk, waiting for it; nil once the producer has finished and all are taken.
    package func next() -> [UInt8]? {
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
package final class StopFlag: @unchecked Sendable {
    package init() {}

    private let lock = NSLock()
    private var raised = false

    package func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    package var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    package struct Stopped: Error { package init() {} }
}
