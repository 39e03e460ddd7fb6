import Foundation
import TaktModel

/// The run's `Workers`: a stage's pieces on every core (`concurrentPerform`), and memory a
/// stage drops handed back to the system under the heap policy (`FreedMemory`).
public struct CoreWorkers: Workers {
    public init() {}

    public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }

    public func dropped(bytes: Int) {
        FreedMemory.release(about: bytes)
    }
}
