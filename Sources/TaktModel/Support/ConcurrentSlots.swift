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

    /// Slot `k`, emptied: the caller holds the only copy (an array in it can grow in place).
    package func take(_ k: Int) -> Value? {
        lock.lock()
        defer {
            storage[k] = nil
            lock.unlock()
        }
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

/// Values handed from one thread to another, in order: the producer `send`s and then
/// `finish`es; the consumer takes them with `next` (which waits) until it returns nil.
package final class Channel<Value>: @unchecked Sendable {
    package init() {}

    private let condition = NSCondition()
    private var values: [Value?] = []
    private var head = 0
    private var finished = false

    package func send(_ value: Value) {
        condition.lock()
        values.append(value)
        condition.signal()
        condition.unlock()
    }

    package func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// The next value, waiting for it; nil once the producer has finished and all are taken.
    package func next() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while head == values.count && !finished { condition.wait() }
        guard head < values.count else { return nil }
        let value = values[head]
        values[head] = nil
        head += 1
        return value
    }
}

/// Byte chunks of a file rendered on one thread and written on another.
package typealias ChunkChannel = Channel<[UInt8]>

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
