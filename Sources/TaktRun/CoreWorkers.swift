import Foundation
import TaktModel

/// The run's `Workers`: a stage's pieces on every core (`concurrentPerform`), a piece
/// beside the caller on a queue of its own, and memory a stage drops handed back to the
/// system under the heap policy (`FreedMemory`). The loader, the planning stages and the
/// renderers get their threads here; the run's own schedule (`PlanPipeline`, `PlanRun`)
/// overlaps its stages through `Pending`, and `WhatIf` runs its plans through `forEach`.
public struct CoreWorkers: Workers {
    /// Whether `forEach` holds each thread that takes pieces to a CPU of its own
    /// (`CorePinning`): for a stage that has the machine to itself (the MRP's levels).
    /// Not where lanes run beside the pieces: the capacity stage's run hours, pinned, took
    /// 60 ms instead of 47 at realistic 100k.
    public var pinned: Bool

    public init(pinned: Bool = false) { self.pinned = pinned }

    public func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 {
            body(0)
        } else if pinned && CorePinning.applies {
            CorePinning.forEach(count, body)
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
    }

    public func dropped(bytes: Int) {
        FreedMemory.release(batch: bytes)
    }

    public var dropBatch: Int { FreedMemory.batch }

    /// The cores the process may run on (`Cores.available`).
    public var width: Int { Cores.available }

    public func pipeline<Piece: Sendable>(depth: Int, consume: @escaping @Sendable (Piece) -> Void,
                                          produce: (_ send: (Piece) -> Void) throws -> Void) rethrows {
        let queue = DispatchQueue.lane("pipeline")
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
        // A lane of its own: a thread even when the pooled ones are busy (`takt whatif`).
        let pending = Pending(on: .lane("beside"), other)
        defer { pending.wait() }
        return try body()
    }
}
