import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

/// `takt`: the command line. Each subcommand reads options, calls TaktCore, prints, and
/// maps the outcome to an exit code (contract §3: 0 success, 1 no-go with
/// `--fail-on-no-go`, 2 bad input or usage).
@main
struct Takt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takt",
        abstract: "MRP and master production scheduling for a product ramp.",
        discussion: """
        A model is a folder of CSV and YAML files (plan.yaml and items.csv required). \
        Takt explodes the BOM, nets stock and receipts against the ramp and demand, sizes \
        lots, offsets lead times, solves one capacity LP per phase with GLPK, evaluates \
        each phase's gate and writes a weekly status report.
        """,
        version: "0.1.0",
        subcommands: [Check.self, Plan.self, Record.self, Explode.self, WhatIfCommand.self, Simulate.self, History.self, Cost.self, Release.self,
                      Generate.self, Bench.self]
    )

    /// `takt` alone names no command: a usage error (contract §3: exit 2), the help on
    /// stderr. `takt --help` still prints it on stdout and exits 0.
    func run() throws {
        printError(Self.helpMessage())
        throw ExitCode(2)
    }

    static func main() {
        // Before anything is allocated: the heap on huge pages (`HugePages`).
        HugePages.restartIfUseful()
        FreedMemory.mapLargeBlocks()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Progress.shared.finish()
            let code = exitCode(for: error)
            if code == .failure && !(error is ExitCode) {
                // Anything else that stopped the run (a file that cannot be written, a full
                // disk) is an input or environment problem: exit 2, the reason in words.
                let domain = (error as NSError).domain
                printError(domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain ? IOReason.of(error) : "\(error)")
                Foundation.exit(2)
            }
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { printError(message) }
            // Usage errors are exit code 2 like bad input (ArgumentParser's default is 64).
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Loads a model, printing every problem as `FILE:LINE: message`; exit code 2 on failure.
func loadModel(_ folder: String, digests: Bool = true, planning: Bool = true) throws -> PlanningModel {
    do {
        return try Planner.load(folder: folder, digests: digests, planning: planning)
    } catch let error as InputError {
        printError(error.description)
        throw ExitCode(2)
    }
}

/// Loads scenario files against `model`; exit code 2 on any problem.
func loadScenarios(_ paths: [String], model: PlanningModel) throws -> [Scenario] {
    var scenarios: [Scenario] = []
    var failed = false
    for path in paths {
        do {
            scenarios.append(try Scenario.load(path: path, model: model))
        } catch let error as InputError {
            printError(error.description)
            failed = true
        }
    }
    if failed { throw ExitCode(2) }
    return scenarios
}

/// Loads a model with its scenarios applied and finds `item` in it; an unknown item exits
/// 2 with the five closest names (`takt record`, `takt cost`, `takt explode`).
func loadItem(_ item: String, of folder: String, scenarios: [String]) throws -> (PlanningModel, Int) {
    var loaded = try loadModel(folder, digests: false)
    for scenario in try loadScenarios(scenarios, model: loaded) { loaded = scenario.apply(to: loaded) }
    guard let id = loaded.items.id(item) else {
        let close = ItemRecord.closestNames(to: item, in: loaded.items)
        printError("unknown item \"\(item)\" in \(folder)/items.csv; closest: \(close.joined(separator: ", "))")
        throw ExitCode(2)
    }
    return (loaded, id)
}

/// Checks that `--out` may be written; exit code 2 with the reason when not.
func checkOutput(_ out: String, models: [String], inputs: [String] = [], force: Bool) throws {
    do {
        try OutputFolder.check(target: out, modelFolders: models, inputs: inputs, force: force)
    } catch let refusal as OutputFolder.Refusal {
        printError("\(refusal.description)")
        throw ExitCode(2)
    }
}

/// Prints warnings on stderr: at most 20, then how many more `summary.json` holds (or,
/// for commands that write none, how many more there are).
func printWarnings(_ warnings: [Warning], summary: Bool = true) {
    for warning in warnings.prefix(20) { printError(warning.description) }
    if warnings.count > 20 {
        printError("… \(warnings.count - 20) more warnings" + (summary ? " in summary.json" : ""))
    }
}

/// Turns the one-line progress display on when stderr is a terminal (after a second;
/// `TAKT_PROGRESS_AFTER_MS` sets another delay), unless `quiet`.
func startProgress(quiet: Bool, stages: Bool = true) {
    guard !quiet, isatty(2) != 0 else { return }
    let delay = ProcessInfo.processInfo.environment["TAKT_PROGRESS_AFTER_MS"].flatMap { Int($0) } ?? 1000
    Progress.shared.enable(after: .milliseconds(delay), stages: stages)
}

/// Ends the process with `code` after flushing stdout, without unwinding: a finished
/// command need not free a model of a million items object by object.
func exitNow(_ code: Int32) -> Never {
    Progress.shared.finish()
    fflush(nil) // every C stream, stdout included
    exit(code)
}
