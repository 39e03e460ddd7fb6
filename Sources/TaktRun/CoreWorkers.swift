import Foundation
import TaktModel

/// The run's `Workers`: a stage's pieces on every core (`concurrentPerform`), a piece
/// beside the caller on a queue of its own, and memory a stage drops handed back to the
/// system under the heap policy (`FreedMemory`). The loader, the planning stages and the
/// renderers get their threads here; the run's own schedule (`PlanPipeline`, `PlanRun`,
/// `WhatIf`) starts its overlapping stages itself.
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

    public var dropBatch: Int { FreedMemory.batch }

    public func pipeline<Piece: Sendable>(depth: Int, consume: @escaping @Sendable (Piece) -> Void,
                                          produce: (_ send: (Piece) -> Void) throws -> Void) rethrows {
        let queue = DispatchQueue(label: "takt.pipeline")
        let waiting = DispatchSemaphore(value: depth)
        // Whatever `produce` does, every piece it sent is consumed before this returns.
        defer { queue.sync {} }
        try produce { piece in
            waiting.wait()
            queue.async {
                consume(piece)
                waiting.signal()
            }
        }
    }

    public func beside<T>(_ other: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let done = DispatchGroup()
        // A queue of its own: a thread even when the pooled ones are busy (`takt whatif`).
        DispatchQueue(label: "takt.beside").async(group: done, execute: other)
        defer { done.wait() }
        return try body()
    }
}
