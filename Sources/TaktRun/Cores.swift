import Foundation

/// The cores this process may run on: the CPUs of its affinity mask (`taskset`, a
/// container's cpuset), which `ProcessInfo.activeProcessorCount` does not look at on Linux;
/// the same count libdispatch sizes `concurrentPerform` by. The simulation makes one pass
/// per core, so a process held to two cores plans as it would on a two-core machine.
public enum Cores {
    public static let available: Int = {
        // `Cpus_allowed:\tff,ffffffff` in /proc/self/status: the mask in hex, 32-bit groups
        // separated by commas (sched_getaffinity is not visible from Swift's Glibc).
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
            let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { sum, c in
                sum + (c.hexDigitValue?.nonzeroBitCount ?? 0)
            }
            if count > 0 { return count }
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}
