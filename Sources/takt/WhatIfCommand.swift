import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Plan the base model and each scenario, side by side.",
        discussion: """
        Writes each run's full output under DIR/<name>/, DIR/compare.csv (base first) and DIR/compare.html \
        (a chart per key figure), and prints the comparison. --shard I/K plans only runs I, I+K, … of the \
        base and the scenarios (base first), and `takt whatif merge` puts the shards' folders together into \
        what one comparison of every run writes. \
        Example: takt whatif fixtures/drone fixtures/drone/scenarios/late-pcb.yaml --out out/drone-whatif

        """ + ScenarioHelp.keys,
        subcommands: [Run.self, Merge.self],
        defaultSubcommand: Run.self
    )

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Plan the base and the scenarios (the default).")

        @Argument(help: "The model folder.")
        var model: String

        @Argument(help: "Scenario files (YAML).")
        var scenarios: [String]

        @OptionGroup var output: OutputFolderOptions

        @Flag(help: "Also write each run's phase LPs.")
        var writeLp = false

        @Flag(help: "Also write pegging.csv: which end-item requirement each planned receipt serves (large on big models).")
        var pegging = false

        @Option(help: "A history database (SQLite, made if missing): the base run is appended to it and reports against the earlier runs.")
        var history: String?

        @Flag(help: "No progress line on a terminal.")
        var quiet = false

        @Option(help: "Plan only shard I of K (runs I, I+K, … of the base and the scenarios, base first), e.g. 2/3; `takt whatif merge` puts the shards together.")
        var shard: String?

        func validate() throws {
            if scenarios.isEmpty { throw ValidationError("give at least one scenario file") }
            if let shard, parseShard(shard) == nil { throw ValidationError("--shard must be I/K with 1 <= I <= K, got \(shard)") }
            if shard != nil, history != nil { throw ValidationError("--history records the base run of a whole comparison: not with --shard") }
        }

        func run() throws {
            startProgress(quiet: quiet, stages: false)
            let base = try loadModel(model)
            let loaded = try loadScenarios(scenarios, model: base)
            let clashes = WhatIf.nameProblems(loaded)
            if !clashes.isEmpty {
                for problem in clashes { printError(problem) }
                throw ExitCode(2)
            }
            try checkOutput(output.out, models: [model], inputs: scenarios, force: output.force)
            let opened = try history.map { try openHistory($0, model: model, out: output.out, plan: base) }
            var runs: [WhatIfRun] = []
            if let part = shard.flatMap(parseShard) {
                let total = loaded.count + 1
                let places = WhatIfShard.places(index: part.index, count: part.count, total: total)
                try OutputFolder.write(to: output.out) { folder in
                    runs = places.isEmpty ? [] : try WhatIf.run(base: base, scenarios: loaded, writeLP: writeLp, pegging: pegging,
                                                                  places: places, into: folder)
                    let comparison = WhatIfShard.comparison(model: base, names: ["base"] + loaded.map(\.name),
                                                                    scenarios: loaded.map(\.sha256), writeLP: writeLp, pegging: pegging)
                let files = WhatIfShard(index: part.index, count: part.count, totalRuns: total, runs: Array(zip(places, runs)),
                                        comparison: comparison)
                    var sink = FolderSink(folder: folder)
                    try sink.put("summary.json", files.summary())
                }
                Progress.shared.finish()
                if let base = runs.first, places.first == 0 { printWarnings(base.warnings) }
                if !quiet {
                    print("planned \(runs.isEmpty ? "no run" : runs.map(\.name).joined(separator: ", ")) (shard \(part.index)/\(part.count) of \(total) runs) → \(output.out)")
                }
                exitNow(0)
            }
            try OutputFolder.write(to: output.out) { folder in
                runs = try WhatIf.run(base: base, scenarios: loaded, writeLP: writeLp, pegging: pegging, previous: opened?.1,
                                      into: folder)
                var sink = FolderSink(folder: folder)
                try sink.put("compare.csv", WhatIf.compareCSV(runs))
                try sink.put("compare.html", Array(CompareBoard.render(runs).utf8))
                // The top folder carries a summary.json so that it can be replaced by a later run.
                try sink.put("summary.json", WhatIf.summary(runs))
            }
            Progress.shared.finish()
            printWarnings(runs[0].warnings)
            print(WhatIf.table(runs), terminator: "")
            if let opened, let result = runs[0].result {
                let line = try record(result, in: opened.0)
                if !quiet { print(line) }
            }
            exitNow(0)
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Put the shards of one what-if comparison together into the folder one comparison of every run writes."
        )

        @OptionGroup var options: MergeOptions

        func run() throws {
            let parts = try options.parts(not: "not a shard of takt whatif (no summary.json of a --shard run), or one written by another takt version: run that shard again", WhatIfShard.read,
                                          problem: WhatIf.mergeProblem)
            let (shards, out, quiet) = (options.shards, options.output.out, options.quiet)
            var placed: [(place: Int, run: WhatIfRun, from: String)] = []
            for (shard, folder) in zip(parts, shards) {
                for (place, run) in shard.runs { placed.append((place, run, folder)) }
            }
            placed.sort { $0.place < $1.place }
            let runs = placed.map(\.run)
            try OutputFolder.write(to: out) { folder in
                for entry in placed {
                    try FileManager.default.copyItem(atPath: entry.from + "/" + entry.run.folder, toPath: folder + "/" + entry.run.folder)
                }
                var sink = FolderSink(folder: folder)
                try sink.put("compare.csv", WhatIf.compareCSV(runs))
                try sink.put("compare.html", Array(CompareBoard.render(runs).utf8))
                try sink.put("summary.json", WhatIf.summary(runs))
            }
            if !quiet { print(WhatIf.table(runs), terminator: "") }
            exitNow(0)
        }
    }
}
