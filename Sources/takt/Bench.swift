import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

/// `takt bench`: the figure a user compares across machines — a generated model planned
/// three times as `takt plan` plans it (files written), with wall time, peak memory and
/// nanoseconds per planned order.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Plan a generated model three times and print how long it took and how much memory.",
        discussion: """
        Generates a model (as takt generate) into a temporary folder, then loads and plans it three times, \
        writing every output file into a temporary folder as takt plan does, and prints each run's wall \
        time (load, then planning and files), the nanoseconds per planned order, and the process's peak \
        memory. The temporary folders are removed. Example: takt bench --items 100000
        """
    )

    @Option(parsing: .unconditional, help: "About how many items (default 100000).")
    var items: Int = 100_000

    @Option(help: "realistic (default) or stress.")
    var shape: ModelGenerator.Shape = .realistic

    @Option(parsing: .unconditional, help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "How many runs (default 3).")
    var runs: Int = 3

    func validate() throws {
        guard items >= 4, items <= 50_000_000 else { throw ValidationError("--items must be between 4 and 50000000, got \(items)") }
        guard runs >= 1, runs <= 100 else { throw ValidationError("--runs must be between 1 and 100, got \(runs)") }
    }

    func run() throws {
        let scratch = NSTemporaryDirectory() + "takt-bench-\(getpid())-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let model = scratch + "/model", out = scratch + "/out"
        try OutputFolder.write(ModelGenerator(itemCount: items, seed: seed, shape: shape).files(), to: model)
        print("takt bench: a \(shape.rawValue) model of \(items) items (seed \(seed)), \(runs) run\(runs == 1 ? "" : "s") on \(Cores.available) core\(Cores.available == 1 ? "" : "s"), "
              + "heap on \(HugePages.heapPages)")
        var best = Double.infinity, orders = 0
        for k in 1...runs {
            let clock = ContinuousClock.now
            var loaded = try loadModel(model, digests: true)
            loaded.items.dropDescriptions()  // as `takt plan` does
            let load = (ContinuousClock.now - clock).milliseconds
            var planned: PlanResult?
            try OutputFolder.write(to: out) { folder in
                var sink = FolderSink(folder: folder)
                planned = try Planner.plan(loaded, writeLP: false, into: &sink)
            }
            let wall = (ContinuousClock.now - clock).milliseconds
            orders = planned!.figures.plannedOrders
            planned = nil
            best = min(best, wall)
            print("run \(k): \(Self.seconds(wall)) (load \(Self.seconds(load)), planning and files \(Self.seconds(wall - load))), "
                + "\(orders) planned orders, \(Self.nanoseconds(wall, orders)) ns per planned order")
        }
        print("best \(Self.seconds(best)) = \(Self.nanoseconds(best, orders)) ns per planned order; peak memory \(Self.peakMegabytes()) MB")
    }

    static func seconds(_ ms: Double) -> String { NumberFormat.fixed(ms / 1000, decimals: 2) + " s" }

    static func nanoseconds(_ ms: Double, _ orders: Int) -> String {
        orders > 0 ? NumberFormat.fixed(ms * 1e6 / Double(orders), decimals: 0) : "—"
    }

    /// The process's peak resident memory (`getrusage`: kilobytes on Linux).
    static func peakMegabytes() -> String {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return NumberFormat.fixed(Double(usage.ru_maxrss) / 1024, decimals: 0)
    }
}
