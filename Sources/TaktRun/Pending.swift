import Foundation
import TaktModel

/// A stage started beside the caller, whose value the caller waits for where the run
/// needs it: the one way the run's schedule (`Planner.plan`, `Planner.material`) overlaps
/// its stages.
///
/// Each runs on a serial `lane` (a queue of the run's own: it gets a thread even when the
/// pooled ones are busy, as in `takt whatif`); stages started on one lane run in the
/// order they were started, so a later one may wait for an earlier one's value.
final class Pending<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    private let slot = ConcurrentSlots<Value>(count: 1)

    /// Starts `body` on `lane`.
    init(on lane: DispatchQueue, _ body: @escaping @Sendable () -> Value) {
        lane.async(group: done) { [slot] in slot.set(0, body()) }
    }

    /// The stage's value, once it has finished.
    var value: Value {
        done.wait()
        return slot[0]!
    }

    /// Waits for the stage to finish.
    func wait() { done.wait() }
}

extension DispatchQueue {
    /// A serial lane of the run's schedule (`Pending`).
    static func lane(_ name: String) -> DispatchQueue { DispatchQueue(label: "takt." + name) }
}
