import Foundation

/// A one-line progress display on stderr for long runs: the stage and the share done,
/// rewritten in place. Off unless a command turns it on (`enable`), which the CLI does
/// only when stderr is a terminal and `--quiet` is not given; nothing is drawn before
/// `after` has passed, so that short runs print nothing.
public final class Progress: @unchecked Sendable {
    public static let shared = Progress()

    private let lock = NSLock()
    private var enabled = false
    private var start = ContinuousClock.now
    private var after: Duration = .seconds(1)
    private var drawn = false
    private var last = ""
    private var stages = true
    private var runsDone = 0

    /// Turns the display on for this process, counting from now. With `stages` false
    /// (`takt whatif`, whose runs overlap) only `runFinished` is shown.
    public func enable(after delay: Duration = .seconds(1), stages: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        enabled = true
        after = delay
        self.stages = stages
        start = ContinuousClock.now
    }

    /// The run reached `stage`, with `share` (0…1) of the work done.
    public func report(_ stage: String, share: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard stages else { return }
        draw(stage, share)
    }

    /// One of `total` runs is done (`takt whatif`).
    public func runFinished(of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        runsDone += 1
        draw("\(runsDone) of \(total) runs planned", Double(runsDone) / Double(max(1, total)))
    }

    private func draw(_ stage: String, _ share: Double) {
        guard enabled, ContinuousClock.now - start >= after else { return }
        let percent = Int((min(1, max(0, share)) * 100).rounded())
        let line = "takt: \(stage) … \(percent) %"
        guard line != last else { return }
        last = line
        drawn = true
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(line)".utf8))
    }

    /// Clears the line, if one was drawn.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard drawn else { return }
        drawn = false
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
