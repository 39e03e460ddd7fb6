import ArgumentParser
import TaktCore

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Plan the base model and each scenario, side by side.",
        discussion: "Writes each run's full output under DIR/<name>/, DIR/compare.csv (base first) and DIR/compare.html (a chart per key figure), and prints the comparison."
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "Scenario files (YAML).")
    var scenarios: [String]

    @Option(help: "The output folder (replaced as a whole).")
    var out: String

    @Flag(help: "Also write each run's phase LPs.")
    var writeLp = false

    @Flag(help: "Replace --out even if it is not a previous Takt output folder.")
    var force = false

    func validate() throws {
        if scenarios.isEmpty { throw ValidationError("give at least one scenario file") }
    }

    func run() throws {
        let base = try loadModel(model)
        let loaded = try loadScenarios(scenarios, model: base)
        try checkOutput(out, models: [model], force: force)
        let runs = try WhatIf.run(base: base, scenarios: loaded, writeLP: writeLp)
        for warning in runs[0].result.warnings { printError(warning.description) }
        var files: [String: [UInt8]] = ["compare.csv": WhatIf.compareCSV(runs),
                                        "compare.html": Array(CompareBoard.render(runs).utf8)]
        for (run, folder) in zip(runs, WhatIf.folderNames(runs)) {
            for (name, bytes) in run.files { files[folder + "/" + name] = bytes }
        }
        // The top folder carries a summary.json so that it can be replaced by a later run.
        files["summary.json"] = WhatIf.summary(runs)
        try OutputFolder.write(files, to: out)
        print(WhatIf.table(runs), terminator: "")
    }
}
