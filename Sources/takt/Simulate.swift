import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun

/// `takt simulate MODEL --samples N --out DIR` and `takt simulate merge DIR... --out DIR`
/// (contract §2e).
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "How likely is each gate on time: Monte Carlo over late supply.",
        discussion: """
        Plans once, then repeats the projection of what will arrive N times with supply late at random: \
        each open receipt naming a supplier and each buy planned order is on time with its offer's \
        on_time_pct, else k weeks late (k uniform in plan.yaml's simulation: {late_weeks: [1, 4]}). \
        Writes simulation.csv (per gate: P(on time), P50/P90 forecast dates, P(open)), criticality.csv \
        (which items and suppliers most often set the phase's latest delivery) and summary.json. \
        The same seed gives the same bytes on any machine and any number of cores; --shard I/K runs \
        samples I, I+K, … of the same N, and `takt simulate merge` adds shards up into one run's files. \
        Example: takt simulate fixtures/drone --samples 1000 --out out/drone-sim
        """,
        subcommands: [Run.self, Merge.self],
        defaultSubcommand: Run.self
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Simulate a model (the default).")

        @Argument(help: "The model folder.")
        var model: String

        @Option(parsing: .unconditional, help: "How many samples (N).")
        var samples: Int

        @OptionGroup var output: OutputFolderOptions

        @Option(parsing: .unconditional, help: "The generator's seed: the same seed gives the same bytes.")
        var seed: UInt64 = 1

        @Option(help: "Run only shard I of K (samples I, I+K, I+2K, … of the N), e.g. 2/4.")
        var shard: String?

        @OptionGroup var scenarioOptions: ScenarioOptions

        @Flag(help: "No progress line on a terminal.")
        var quiet = false

        func validate() throws {
            if samples < 1 { throw ValidationError("--samples must be at least 1, got \(samples)") }
            if samples > Simulator.largestSampleCount {
                throw ValidationError("--samples must be at most \(Simulator.largestSampleCount), got \(samples)")
            }
            if let shard, parseShard(shard) == nil {
                throw ValidationError("--shard must be I/K with 1 <= I <= K, got \(shard)")
            }
        }

        func run() throws {
            startProgress(quiet: quiet)
            var loaded = try loadModel(model)
            for scenario in try loadScenarios(scenarioOptions.scenarios, model: loaded) { loaded = scenario.apply(to: loaded) }
            try checkOutput(output.out, models: [model], inputs: scenarioOptions.scenarios, force: output.force)
            let part = shard.flatMap(parseShard)
            let numbers = Simulator.samples(samples, shard: part ?? (1, 1))
            let tally = Simulator.run(loaded, samples: numbers, seed: seed)
            let run = SimulationFiles.Run(seed: seed, samples: samples, shard: part, lateWeeks: loaded.plan.lateWeeks,
                                          inputs: SimulationFiles.Inputs(loaded))
            try OutputFolder.write(SimulationFiles.files(tally, run: run), to: output.out)
            Progress.shared.finish()
            if tally.gates.isEmpty {
                printError("\(model)/plan.yaml:1: warning: no phase names a gate: simulation.csv and criticality.csv have no rows")
            }
            if !quiet { print(summaryLine(tally, out: output.out)) }
            exitNow(0)
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Add the shards of one simulation up into the files one run of all its samples writes."
        )

        @OptionGroup var options: MergeOptions

        func run() throws {
            let parts = try options.parts(not: "not a takt simulate output (no summary.json of a simulation)",
                                          SimulationFiles.readShard, problem: Self.problem)
            let (out, quiet) = (options.output.out, options.quiet)
            var tally = parts[0].tally
            for part in parts.dropFirst() { tally.add(part.tally) }
            // `problem` refused shards that name no inputs.
            let run = SimulationFiles.Run(seed: parts[0].seed, samples: parts[0].samples, shard: nil, lateWeeks: parts[0].lateWeeks,
                                          inputs: parts[0].inputs!)
            try OutputFolder.write(SimulationFiles.files(tally, run: run), to: out)
            if !quiet { print(summaryLine(tally, out: out)) }
            exitNow(0)
        }

        /// Why `parts` are not the shards of one run: different inputs (model files or
        /// scenarios), seeds, sample counts, lateness or gates, a shard given twice or
        /// missing, or counts that do not add up (a shard's own, or all of them).
        static func problem(_ parts: [SimulationFiles.Shard], folders: [String]) -> String? {
            let first = parts[0]
            var seen = Set<Int>()
            for (part, folder) in zip(parts, folders) {
                guard let inputs = part.inputs, let firstInputs = first.inputs else {
                    let older = part.inputs == nil ? folder : folders[0]
                    return "\(older): its summary.json names no inputs (an earlier takt wrote it): simulate that shard again with this takt"
                }
                if inputs != firstInputs {
                    let files = Set(inputs.digests.keys).union(firstInputs.digests.keys).sorted()
                        .filter { inputs.digests[$0] != firstInputs.digests[$0] }
                    let what = files.isEmpty ? "its scenarios differ" : "its \(files.joined(separator: ", ")) differ\(files.count == 1 ? "s" : "")"
                    return "\(folder): not a shard of the same simulation as \(folders[0]): \(what) (the inputs' SHA-256 in summary.json)"
                }
                guard part.tally.isConsistent else {
                    return "\(folder): its summary.json's tally does not add up to its samples_counted (an edited file?)"
                }
                guard part.seed == first.seed, part.samples == first.samples, part.lateWeeks == first.lateWeeks,
                      part.tally.hasSameGates(as: first.tally) else {
                    return "\(folder): not a shard of the same simulation as \(folders[0]) (seed, samples, late_weeks or gates differ)"
                }
                guard let shard = part.shard, shard.count == (first.shard?.count ?? 0), (1...shard.count).contains(shard.index) else {
                    return "\(folder): not a shard (--shard I/K) of the same count as \(folders[0])"
                }
                guard seen.insert(shard.index).inserted else { return "\(folder): shard \(shard.index)/\(shard.count) given twice" }
            }
            let count = first.shard?.count ?? 0
            if seen.count != count {
                let missing = (1...count).filter { !seen.contains($0) }.map { "\($0)/\(count)" }
                return "missing shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
            }
            let counted = parts.reduce(0) { $0 + $1.tally.samples }
            guard counted == first.samples else { return "the shards count \(counted) samples, not \(first.samples)" }
            return nil
        }
    }
}

/// `I/K` with `1 <= I <= K`.
func parseShard(_ text: String) -> (index: Int, count: Int)? {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 1, index <= count else {
        return nil
    }
    return (index, count)
}

/// `simulated 1000 samples: Gate 1 on time 81.2 %, …  → DIR`.
func summaryLine(_ tally: SimulationTally, out: String) -> String {
    let gates = tally.gates.map { gate in
        let share = tally.samples > 0 ? 100 * Double(gate.onTime) / Double(tally.samples) : 0
        return "\(gate.gate) on time \(NumberFormat.fixed(share, decimals: 1)) %"
    }
    return "simulated \(tally.samples) samples: \(gates.joined(separator: ", ")) → \(out)"
}
