import ArgumentParser

/// `--out DIR` and `--force`: the folder a command writes, replaced as a whole, of `plan`,
/// `whatif run`, `simulate` and the merges.
struct OutputFolderOptions: ParsableArguments {
    @Option(help: "The output folder (replaced as a whole).")
    var out: String

    @Flag(help: "Replace --out even if it is not a previous Takt output folder.")
    var force = false
}

/// `--scenario FILE`, repeatable: the what-if scenarios `plan`, `simulate`, `cost` and
/// `record` apply to the model, in order.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("scenario"), help: "A what-if scenario file to apply (repeatable, applied in order).")
    var scenarios: [String] = []
}
