import XCTest
import CHeap
import Synchronization
@testable import TaktModel
@testable import TaktRun

/// The calling thread's CPUs, as a list.
private func threadCPUs() -> [Int32] {
    var mask = takt_cpu_set()
    guard takt_thread_cpus(&mask) == 0 else { return [] }
    return (0..<takt_cpu_count(&mask)).map { takt_nth_cpu(&mask, $0) }
}

/// `CoreWorkers(pinned: true)`: every piece runs once, on a thread held to one CPU while it
/// runs, and every thread, the caller's too, gets its own CPUs back.
final class CorePinningTests: XCTestCase {
    func testPinnedPiecesRunOnceEachOnOneCPUAndTheCallerGetsItsCPUsBack() throws {
        let before = threadCPUs()
        try XCTSkipUnless(CorePinning.applies, "one CPU: nothing to pin")
        XCTAssertEqual(Cores.cpus, before)
        let count = 2000
        let runs = Mutex([Int](repeating: 0, count: count))
        let onOneCPU = Atomic<Int>(0)
        let threads = Mutex<Set<Int32>>([])
        CoreWorkers(pinned: true).forEach(count) { k in
            runs.withLock { $0[k] += 1 }
            var mask = takt_cpu_set()
            if takt_thread_cpus(&mask) == 0, takt_cpu_count(&mask) == 1 {
                onOneCPU.add(1, ordering: .relaxed)
                let cpu = takt_nth_cpu(&mask, 0)
                threads.withLock { _ = $0.insert(cpu) }
            }
            // Some work, so that more than one thread takes pieces.
            var x = UInt64(k)
            for _ in 0..<2000 { x = x &* 6364136223846793005 &+ 1 }
            if x == 42 { print(x) }
        }
        XCTAssertEqual(runs.withLock { $0 }, [Int](repeating: 1, count: count), "every piece exactly once")
        XCTAssertEqual(onOneCPU.load(ordering: .relaxed), count, "every piece on a thread held to one CPU")
        XCTAssertTrue(threads.withLock { $0.isSubset(of: Set(before)) })
        XCTAssertEqual(threadCPUs(), before, "the caller's CPUs given back")
        // The pool's threads too: none is left held to one CPU.
        let masks = Mutex<[[Int32]]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let cpus = threadCPUs()
            masks.withLock { $0.append(cpus) }
            var x = 1.0
            for _ in 0..<20000 { x = x * 1.0000001 + 1e-9 }
            if x < 0 { print(x) }
        }
        XCTAssertTrue(masks.withLock { $0.allSatisfy { $0 == before } }, "every pool thread has its CPUs back")
        // Pinned stages side by side (the plans of `takt whatif`): one at a time is pinned,
        // the others run unpinned, and every piece of each still runs once.
        let sideBySide = Mutex([Int](repeating: 0, count: 4 * 300))
        // Pinned pieces under way per stage, and whether two stages ever had some at once.
        let active = Mutex([Int](repeating: 0, count: 4))
        let overlap = Mutex(false)
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            CoreWorkers(pinned: true).forEach(300) { j in
                let pinned = threadCPUs().count == 1
                if pinned {
                    active.withLock { a in
                        a[k] += 1
                        if a.indices.contains(where: { $0 != k && a[$0] > 0 }) { overlap.withLock { $0 = true } }
                    }
                }
                var x = UInt64(j)
                for _ in 0..<2000 { x = x &* 6364136223846793005 &+ 1 }
                sideBySide.withLock { $0[k * 300 + j] += x == 42 ? 2 : 1 }
                if pinned { active.withLock { $0[k] -= 1 } }
            }
        }
        XCTAssertEqual(sideBySide.withLock { $0 }, [Int](repeating: 1, count: 4 * 300))
        XCTAssertFalse(overlap.withLock { $0 }, "one pinned stage at a time")
        XCTAssertEqual(threadCPUs(), before)
        // The same values as one piece after another, in index order.
        let pinned = CoreWorkers(pinned: true).map(500) { $0 * $0 + 1 }
        XCTAssertEqual(pinned, SerialWorkers().map(500) { $0 * $0 + 1 })
        XCTAssertEqual(threadCPUs(), before)
    }
}
