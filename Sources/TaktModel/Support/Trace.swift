import CHeap
import Foundation

/// A timeline of a run on stderr when `TAKT_TRACE` is set: milliseconds since the first
/// mark, the thread (main or background) and what was reached. For finding which stage
/// is on the critical path when the stages overlap on two cores.
public enum Trace {
    static let on = ProcessInfo.processInfo.environment["TAKT_TRACE"] != nil
    static let origin = ContinuousClock.now

    public static func mark(_ what: @autoclosure () -> String) {
        guard on else { return }
        let ms = Int((ContinuousClock.now - origin).milliseconds)
        FileHandle.standardError.write(Data("\(ms) ms \(Thread.isMainThread ? "main" : "bg") \(what())\(memory())\n".utf8))
    }

    /// With `TAKT_TRACE=rss`: the resident and peak resident memory (Linux `/proc`) and what
    /// malloc has handed out and not had back (`heap`) and what it keeps freed for reuse.
    static func memory() -> String {
        guard ProcessInfo.processInfo.environment["TAKT_TRACE"] == "rss",
              let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
        let fields = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
        // "VmHWM:\t  812345 kB" (no space after the tab from 10 GB up).
        let mb = fields.map { line in (Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0) / 1024 }
        let live = takt_heap_in_use() >> 20, free = takt_heap_free() >> 20
        return mb.count == 2 ? " [peak \(mb[0]) MB, now \(mb[1]) MB, heap \(live) MB, free in arenas \(free) MB]" : ""
    }
}
