import Benchmark
import Dispatch
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import TaktRun

/// How fast this machine is at this moment, measured by a fixed amount of work that is none
/// of Takt's code, shared among the cores the process may use as Takt's parallel stages
/// share theirs: 16 pieces, each taken by whichever thread is free, and each filling 8 Ki
/// pseudo-random 32-bit keys, sorting them, gathering them through a 1 MiB table, and writing
/// 256 KiB of fresh pages (mapped, written a byte a page, unmapped). The faults are there
/// because Takt's stages fill fresh memory and a VM's faults cost what its host makes them
/// cost (2.7 µs a page on the 2-core VM the baseline was taken on, about ten times a bare
/// machine's).
///
/// Its keys and table (1.5 MiB) are allocated once and stay resident, and each thread holds
/// at most one piece's fresh pages at a time; the package samples the resident set for the
/// whole benchmark, so every benchmark's peak carries those few MiB, in the baseline as in
/// a check. Its sort is written here so that it allocates nothing.
///
/// The committed baseline was taken on one machine and CI runs on another, or on the same
/// one in a slow hour. A benchmark's wall clock divided by this reference's, taken just before
/// and after it, cancels what a uniformly slower machine does to both; what a machine does
/// out of proportion (slow faults or a slow disk beside a fast processor) it does not.
final class MachineReference: @unchecked Sendable {
    /// The benchmark's wall clock per the reference's, in thousandths (1000: as long as the
    /// reference), held to +50 %: a change that makes Takt slower raises it, a uniformly
    /// slower machine does not.
    static let relativeTime = BenchmarkMetric.custom("Time per machine reference (‰)", polarity: .prefersSmaller,
                                                     useScalingFactor: false)
    /// The reference's own wall clock beside each iteration, in microseconds: how fast the
    /// machine was, recorded in the baseline and shown in a check's tables; no threshold of
    /// its own (a slower machine is no regression).
    static let referenceTime = BenchmarkMetric.custom("Machine reference (μs)", polarity: .prefersSmaller,
                                                      useScalingFactor: false)

    private static let pieces = 16
    private static let keysPerPiece = 1 << 13
    private static let tableSize = 1 << 18
    private static let freshBytes = 256 << 10
    private let keys: UnsafeMutableBufferPointer<UInt32>
    private let table: UnsafeMutableBufferPointer<UInt32>
    /// The next piece to take.
    private var next = 0
    private let lock = NSLock()
    /// The threads beside the caller's, one per further core: each waits for `go`, takes
    /// pieces until none is left, signals `done`.
    private var helpers: [(go: DispatchSemaphore, done: DispatchSemaphore)] = []

    init() {
        keys = .allocate(capacity: Self.pieces * Self.keysPerPiece)
        keys.initialize(repeating: 0)
        table = .allocate(capacity: Self.tableSize)
        var state: UInt32 = 2_463_534_242
        for index in 0..<Self.tableSize {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            table[index] = state
        }
        for _ in 1..<Cores.available {
            let pair = (go: DispatchSemaphore(value: 0), done: DispatchSemaphore(value: 0))
            helpers.append(pair)
            Thread { [unowned self] in
                while true {
                    pair.go.wait()
                    self.takePieces()
                    pair.done.signal()
                }
            }.start()
        }
    }

    /// One run of the reference on every core; its wall clock in nanoseconds.
    func nanoseconds() -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        lock.lock(); next = 0; lock.unlock()
        for helper in helpers { helper.go.signal() }
        takePieces()
        for helper in helpers { helper.done.wait() }
        return Int(DispatchTime.now().uptimeNanoseconds - start)
    }

    private func takePieces() {
        while true {
            lock.lock()
            let piece = next
            next += 1
            lock.unlock()
            guard piece < Self.pieces else { return }
            run(piece: piece)
        }
    }

    private func run(piece: Int) {
        let keys = keys.baseAddress! + piece * Self.keysPerPiece
        var state = UInt32(truncatingIfNeeded: 88_675_123 &+ piece)
        for index in 0..<Self.keysPerPiece {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            keys[index] = state
        }
        Self.sort(keys, 0, Self.keysPerPiece - 1)
        var sum: UInt64 = 0
        let mask = UInt32(Self.tableSize - 1)
        for index in 0..<Self.keysPerPiece { sum &+= UInt64(table[Int(keys[index] & mask)]) }
        let bytes = Self.freshBytes
        if let pages = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           pages != MAP_FAILED {
            for offset in stride(from: 0, to: bytes, by: 4096) {
                pages.storeBytes(of: UInt8(truncatingIfNeeded: piece), toByteOffset: offset, as: UInt8.self)
            }
            sum &+= UInt64(pages.load(fromByteOffset: bytes - 4096, as: UInt8.self))
            munmap(pages, bytes)
        }
        blackHole(sum)
    }

    /// Sorts `a[low...high]` in place (quicksort, median of three, insertion sort below 16
    /// keys; the smaller side first, so the depth stays logarithmic). The standard
    /// library's sort would allocate its scratch in every thread.
    private static func sort(_ a: UnsafeMutablePointer<UInt32>, _ low: Int, _ high: Int) {
        var (low, high) = (low, high)
        while high - low > 16 {
            let (x, y, z) = (a[low], a[(low + high) / 2], a[high])
            let pivot = max(min(x, y), min(max(x, y), z))
            var (i, j) = (low, high)
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    (a[i], a[j]) = (a[j], a[i])
                    i += 1
                    j -= 1
                }
            }
            if j - low < high - i {
                sort(a, low, j)
                low = i
            } else {
                sort(a, i, high)
                high = j
            }
        }
        if low >= high { return }
        for i in (low + 1)...high {
            let key = a[i]
            var j = i - 1
            while j >= low && a[j] > key {
                a[j + 1] = a[j]
                j -= 1
            }
            a[j + 1] = key
        }
    }

    /// Runs `work` once per scaled iteration as the measured part of one benchmark
    /// iteration. For a benchmark with the
    /// `relativeTime` metric the reference runs before and after it (outside the
    /// measurement), and the work's wall clock per the mean of the two is recorded, with
    /// that mean. Without the metric (benchmarks of a few milliseconds, and those bound by the
    /// disk) the reference stays out of it: beside a reference that holds every core, the
    /// package's sampling thread, which allocates as it reads `/proc`, was delayed into the
    /// measured window in one sample of thirty, and a count of 19 mallocs may not grow by 4.
    func measure(_ benchmark: Benchmark, _ work: () -> Void) {
        guard benchmark.configuration.metrics.contains(Self.relativeTime) else {
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { work() }
            benchmark.stopMeasurement()
            return
        }
        let before = nanoseconds()
        benchmark.startMeasurement()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in benchmark.scaledIterations { work() }
        let elapsed = Int(DispatchTime.now().uptimeNanoseconds - start)
        benchmark.stopMeasurement()
        let after = nanoseconds()
        benchmark.measurement(Self.relativeTime, elapsed * 2000 / max(1, before + after))
        benchmark.measurement(Self.referenceTime, (before + after) / 2000)
    }
}
