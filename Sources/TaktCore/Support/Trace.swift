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
        FileHandle.standardError.write(Data("\(ms) ms \(Thread.isMainThread ? "main" : "bg") \(what())\n".utf8))
    }
}
