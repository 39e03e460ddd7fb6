import Benchmark
import Dispatch
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import TaktRun

/// How fast this machine is at this moment, measured by a fixed workload that is none of
/// Takt's code: on every core the process may use (as the planning stages do), fill 64 Ki
/// pseudo-random 32-bit keys, sort them and gather them back through a 4 MiB table, then map
/// 2 MiB of fresh pages, write each and unmap them. The page faults are there because
/// Takt's stages fill fresh memory and a VM's faults cost what its host makes them cost
/// (2.7 µs a page on the 2-core VM the baseline was taken on, ten times a bare machine's).
/// Its buffers are allocated once and its pages unmapped, so it adds neither mallocs nor
/// resident memory to the benchmarks it runs beside.
///
/// The committed baseline was taken on one machine; CI runs on another, or on the same one in
/// a slow hour, when a neighbour holds a core. A benchmark's wall clock divided by this
/// reference's, taken just before and after it, cancels what the machine does to both: on a
/// loaded VM in CI both the render and the reference took about twice as long.
final class MachineReference: @unchecked Sendable {
    /// The benchmarks' wall clock per the reference's, in thousandths (1000: as long as the
    /// reference). Its threshold is the wall clock's: a change that makes Takt slower raises
    /// it, a slower machine does not.
    static let relativeTime = BenchmarkMetric.custom("Time per machine reference (‰)", polarity: .prefersSmaller,
                                                     useScalingFactor: false)

    private let keys = 1 << 16
    private let tableSize = 1 << 20
    private let freshBytes = 2 << 20
    private let lanes: Int
    private let buffers: UnsafeMutableBufferPointer<UInt32>
    private let table: UnsafeMutableBufferPointer<UInt32>
    private let sums: UnsafeMutableBufferPointer<UInt64>
    /// The threads of lanes 1…: each waits for `go`, runs its lane, signals `done`.
    private var helpers: [(go: DispatchSemaphore, done: DispatchSemaphore)] = []

    init() {
        lanes = Cores.available
        buffers = .allocate(capacity: keys * lanes)
        table = .allocate(capacity: tableSize)
        sums = .allocate(capacity: lanes)
        var state: UInt32 = 2_463_534_242
        for index in 0..<tableSize {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            table[index] = state
        }
        sums.initialize(repeating: 0)
        buffers.initialize(repeating: 0)
        for lane in 1..<max(1, lanes) {
            let pair = (go: DispatchSemaphore(value: 0), done: DispatchSemaphore(value: 0))
            helpers.append(pair)
            Thread { [unowned self] in
                while true {
                    pair.go.wait()
                    self.run(lane: lane)
                    pair.done.signal()
                }
            }.start()
        }
    }

    /// One run of the reference on every lane; its wall clock in nanoseconds. Lane 0 runs on
    /// the caller's thread, the others on threads of their own started once: Dispatch's pool
    /// would allocate as it grows, and those mallocs would land in the measurement after it.
    func nanoseconds() -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        for lane in 1..<max(1, lanes) { helpers[lane - 1].go.signal() }
        run(lane: 0)
        for lane in 1..<max(1, lanes) { helpers[lane - 1].done.wait() }
        return Int(DispatchTime.now().uptimeNanoseconds - start)
    }

    private func run(lane: Int) {
        var keys = UnsafeMutableBufferPointer(rebasing: buffers[lane * self.keys ..< (lane + 1) * self.keys])
        var state = UInt32(truncatingIfNeeded: 88_675_123 &+ lane)
        for index in keys.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            keys[index] = state
        }
        keys.sort()
        var sum: UInt64 = 0
        let mask = UInt32(tableSize - 1)
        for key in keys { sum &+= UInt64(table[Int(key & mask)]) }
        if let pages = mmap(nil, freshBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           pages != MAP_FAILED {
            for offset in stride(from: 0, to: freshBytes, by: 4096) {
                pages.storeBytes(of: UInt8(truncatingIfNeeded: lane), toByteOffset: offset, as: UInt8.self)
            }
            sum &+= UInt64(pages.load(fromByteOffset: freshBytes - 4096, as: UInt8.self))
            munmap(pages, freshBytes)
        }
        sums[lane] = sum
    }

    /// Runs `work` as the measured part of one benchmark iteration. For a benchmark with the
    /// `relativeTime` metric the reference runs before and after it (outside the
    /// measurement), and the work's wall clock per the mean of the two is recorded. Without
    /// that metric (benchmarks of a few milliseconds) the reference stays out of it: its
    /// threads' wake-ups put a few mallocs into one sample in thirty, and a count of 19 may
    /// not grow by 4.
    func measure(_ benchmark: Benchmark, _ work: () -> Void) {
        guard benchmark.configuration.metrics.contains(Self.relativeTime) else {
            benchmark.startMeasurement()
            work()
            benchmark.stopMeasurement()
            return
        }
        let before = nanoseconds()
        let start = DispatchTime.now().uptimeNanoseconds
        benchmark.startMeasurement()
        work()
        benchmark.stopMeasurement()
        let elapsed = Int(DispatchTime.now().uptimeNanoseconds - start)
        let after = nanoseconds()
        benchmark.measurement(Self.relativeTime, elapsed * 2000 / max(1, before + after))
    }
}
