import ArgumentParser
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
        (a chart per key figure), and prints the comparison. \
        Example: takt whatif fixtures/drone fixtures/drone/scenarios/late-pcb.yaml --out out/drone-whatif

        """ + ScenarioHelp.keys
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "Scenario files (YAML).")
    var scenarios: [String]

    @Option(help: "The output folder (replaced as a whole).")
    var out: String

    @Flag(help: "Also write each run's phase LPs.")
    var writeLp = false

    @Flag(help: "Also write pegging.csv: which end-item requirement each planned receipt serves (large on big models).")
    var pegging = false

    @Option(help: "A history database (SQLite, made if missing): the base run is appended to it and reports against the earlier runs.")
    var history: String?

    @Flag(help: "Replace --out even if it is not a previous Takt output folder.")
    var force = false

    @Flag(help: "No progress line on a terminal.")
    var quiet = false

    func validate() throws {
        if scenarios.isEmpty { throw ValidationError("give at least one scenario file") }
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
        try checkOutput(out, models: [model], inputs: scenarios, force: force)
        let opened = try history.map { try openHistory($0, model: model, out: out, plan: base) }
        var runs: [WhatIfRun] = []
        try OutputFolder.write(to: out) { folder in
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
