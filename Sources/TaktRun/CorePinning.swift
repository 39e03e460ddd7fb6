import CHeap
import Dispatch
import Synchronization

/// A stage's pieces run with each thread that takes them held to a CPU of its own
/// (`CoreWorkers(pinned: true)`), for a stage that has the machine to itself.
///
/// Left to the scheduler, the thread woken to take pieces was at times placed on the CPU
/// of the thread that woke it and the other CPU left idle (docs/performance.md, "Threads
/// held to their CPUs"). A thread held to a CPU cannot be stacked on another. Each
/// taking thread is given one CPU of the process's mask (the first taker the first CPU,
/// and so on), takes pieces from a shared count until none is left, and gets its own mask
/// back before it returns; so a piece runs exactly once, as with `concurrentPerform`.
///
/// One pinned stage at a time: one started while another runs (the plans of `takt
/// whatif` side by side, or a pinned stage inside a pinned piece) runs unpinned, or every
/// such stage would hold its first taker to the first CPU. A pinned piece must not start
/// threads: a thread is made with the mask of the thread that asks for it.
enum CorePinning {
    /// Whether pinning can spread the pieces at all: two CPUs or more (`Cores.cpus`).
    static var applies: Bool { Cores.cpus.count >= 2 }

    /// Whether a pinned stage is under way.
    private static let busy = Atomic<Bool>(false)

    /// Calls `body(k)` for every `k` in `0..<count` on up to one thread per CPU, each held
    /// to its own CPU while it takes pieces; unpinned while another pinned stage runs.
    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
            return DispatchQueue.concurrentPerform(iterations: count, execute: body)
        }
        defer { busy.store(false, ordering: .releasing) }
        let next = Atomic<Int>(0)
        let cpus = Cores.cpus
        DispatchQueue.concurrentPerform(iterations: min(cpus.count, count)) { slot in
            var own = takt_cpu_set()
            let saved = takt_thread_cpus(&own) == 0
            if saved { _ = takt_pin_thread(cpus[slot]) }
            defer { if saved { _ = takt_set_thread_cpus(&own) } }
            while true {
                let k = next.add(1, ordering: .relaxed).oldValue
                if k >= count { break }
                body(k)
            }
        }
    }
}
