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
