import CHeap
import Foundation

/// The cores this process may run on: the CPUs of its affinity mask (`taskset`, a
/// container's cpuset), which `ProcessInfo.activeProcessorCount` does not look at on Linux;
/// the same count libdispatch sizes `concurrentPerform` by. The simulation makes one pass
/// per core, so a process held to two cores plans as it would on a two-core machine.
public enum Cores {
    /// The CPUs of the process's mask: its first thread's (`sched_getaffinity` through the
    /// CHeap shim), whichever thread asks first; empty where it cannot be read.
    static let cpus: [Int32] = {
        var mask = takt_cpu_set()
        guard takt_cpus_of(getpid(), &mask) == 0 else { return [] }
        return (0..<takt_cpu_count(&mask)).map { takt_nth_cpu(&mask, $0) }.filter { $0 >= 0 }
    }()

    public static let available: Int = cpus.isEmpty ? max(1, ProcessInfo.processInfo.activeProcessorCount) : cpus.count
}
