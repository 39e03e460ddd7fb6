/// Times a stage: what `summary.json`'s timings and the trace report.
public enum Stopwatch {
    /// `body`'s value and how long it took, in milliseconds.
    public static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock.now
        let value = try body()
        return (value, (ContinuousClock.now - clock).milliseconds)
    }
}
