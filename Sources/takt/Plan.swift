import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a model and write the output files.",
        discussion: """
        Writes mps.csv, planned_orders.csv, purchase_suggestions.csv, exceptions.csv, deliveries.csv, \
        capacity.csv, risks.csv, gates.json, kpis.csv, report.md, report.html and summary.json (and pegging.csv with \
        --pegging) into --out, atomically: the folder is built beside DIR and swapped in only when \
        complete. Example: takt plan fixtures/drone --out out/drone

        With --history FILE, the run is also appended to that SQLite history (after the folder is in \
        place; a run of the same plan date is replaced), and the report shows each gate's forecast \
        against its baseline and last week, risks' age and escalation, and purchase changes. \
        Example: takt plan fixtures/drone-weekly/week-2 --out out/week-2 --history out/history.db

        """ + ScenarioHelp.keys
    )

    @Argument(help: "The model folder.")
    var model: String

    @OptionGroup var output: OutputFolderOptions

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Flag(help: "Also write each phase's capacity LP as lp/PHASE.lp (CPLEX LP format).")
    var writeLp = false

    @Flag(help: "Also write pegging.csv: which end-item requirement each planned receipt serves (large on big models).")
    var pegging = false

    @Flag(help: "Exit 1 when any gate is no_go.")
    var failOnNoGo = false

    @Option(help: "Last week's output folder, to report what moved and which risks are new, escalated or closed.")
    var previous: String?

    @Option(help: "A history database (SQLite, made if missing): the run is appended to it, and the report shows what moved since the earlier runs.")
    var history: String?

    @Option(parsing: .unconditional, help: "Also run N samples of the Monte Carlo over late supply (takt simulate): each gate's p_on_time and p90_date in gates.json and a confidence column in the report.")
    var simulate: Int?

    @Option(parsing: .unconditional, help: "The simulation's seed (with --simulate).")
    var seed: UInt64 = 1

    @Flag(help: "Print only errors and warnings.")
    var quiet = false

    @Flag(help: "Print where the time went on stderr: loading, each planning stage and each file written, in milliseconds (summary.json keeps the same figures).")
    var timings = false

    func validate() throws {
        if let simulate, simulate < 1 { throw ValidationError("--simulate must be at least 1 sample, got \(simulate)") }
        if let simulate, simulate > Simulator.largestSampleCount {
            throw ValidationError("--simulate must be at most \(Simulator.largestSampleCount) samples, got \(simulate)")
        }
    }

    /// `--timings`: the stages of summary.json's `timings` in run order, with loading first
    /// and the whole run last.
    static func timingTable(load: Double, summary: String, total: Double) -> String {
        var rows: [(String, Double)] = [("load the model", load)]
        if let data = FileManager.default.contents(atPath: summary),
           let text = String(data: data, encoding: .utf8), let start = text.range(of: "\"timings\": {") {
            // The object's lines, in the order written ("name_ms": value).
            for line in text[start.upperBound...].split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("}") { break }
                let parts = trimmed.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))) else { continue }
                var name = parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                if name.hasSuffix("_ms") { name.removeLast(3) }
                rows.append((name, value))
            }
        }
        rows.append(("whole run", total))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { name, ms in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + NumberFormat.fixed(ms, decimals: 1).leftPadded(to: 9) + " ms"
        }.joined(separator: "\n")
    }

    func run() throws {
        startProgress(quiet: quiet)
        Progress.shared.report("loading \(model)", share: 0)
        Trace.mark("start")
        let clock = ContinuousClock.now
        var loaded = try loadModel(model)
        let loadMs = (ContinuousClock.now - clock).milliseconds
        Trace.mark("loaded")
        for scenario in try loadScenarios(scenarioOptions.scenarios, model: loaded) { loaded = scenario.apply(to: loaded) }
        loaded.items.dropDescriptions()
        try checkOutput(output.out, models: [model], inputs: scenarioOptions.scenarios, force: output.force)
        if let previous, let problem = PreviousRun.problem(folder: previous, modelFolder: model) {
            printError(problem)
            throw ExitCode(2)
        }
        let previousRun = try previous.map(readPrevious)
        let opened = try history.map { try openHistory($0, model: model, out: output.out, plan: loaded) }
        let last = lastWeek(folder: previousRun, history: opened?.1)
        var planned: PlanResult?
        // Each file goes to disk as soon as it is rendered, into the temporary folder that
        // is swapped in when complete.
        try OutputFolder.write(to: output.out) { folder in
            var sink = FolderSink(folder: folder)
            planned = try Planner.plan(loaded, writeLP: writeLp, pegging: pegging, previous: last,
                                       simulate: simulate.map { Planner.Simulation(samples: $0, seed: seed) }, into: &sink)
        }
        Trace.mark("folder renamed")
        // The history gets the run once its files are in place (seconds on a large model).
        var recorded: String?
        if let opened {
            Progress.shared.report("recording the run in \(opened.0.path)", share: 0.98)
            recorded = try record(planned!, in: opened.0)
        }
        Progress.shared.finish()
        let result = planned!
        printWarnings(result.warnings)
        if !quiet {
            let figures = result.figures
            print("planned \(loaded.items.count) items: \(figures.plannedOrders) planned orders, \(figures.pastDue) past due, "
                + "\(result.risks.count) risks; gates: \(figures.gatesGo) go, \(figures.gatesAtRisk) at risk, \(figures.gatesNoGo) no-go → \(output.out)")
            for line in CapacityBriefing.lines(result) { print(line) }
        }
        if let recorded, !quiet { print(recorded) }
        if timings { printError(Self.timingTable(load: loadMs, summary: output.out + "/summary.json", total: (ContinuousClock.now - clock).milliseconds)) }
        Trace.mark("printed")
        let code: Int32 = failOnNoGo && result.gates.contains(where: { $0.status == .noGo }) ? 1 : 0
        // Every file is written and renamed into place: end the process here rather than
        // free the model and the plan object by object (tens of ms at 100k items, seconds
        // at 1M); the kernel takes the memory back at once.
        exitNow(code)
    }
}

extension String {
    /// Right-aligned in `width` characters.
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
