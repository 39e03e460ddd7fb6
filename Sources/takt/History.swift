import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show what the runs recorded in a history say over time.",
        discussion: """
        Without an option: each recorded run (plan date) with its key figures and each gate's status. \
        --gate: that gate's forecast date at each run, the slip since the run before and what set it. \
        --risk: the risk's level, owner, deadline and age at each run, and the run it closed in. \
        --item: the item's planned orders and quantity at each run (and a product's master schedule). \
        --risks: every risk of the latest run (or --run DATE's), the most escalated first, with its state, deadline and age. \
        The file is only read. Example: takt history out/history.db --gate "Gate 1"
        """
    )

    @Argument(help: "The history database (written by takt plan --history).")
    var file: String

    @Option(help: "A gate: its forecast dates over time.")
    var gate: String?

    @Option(help: "A risk id (KIND:ITEM:DATE): its life.")
    var risk: String?

    @Option(help: "An item: its planned quantity over time.")
    var item: String?

    @Flag(help: "Every risk of the latest run, the most escalated first.")
    var risks = false

    @Option(name: .customLong("run"), help: "With --risks: the run of this plan date (YYYY-MM-DD) instead of the latest.")
    var runDate: String?

    @Flag(help: "CSV instead of aligned text.")
    var csv = false

    func validate() throws {
        if [gate, risk, item].compactMap({ $0 }).count + (risks ? 1 : 0) > 1 {
            throw ValidationError("give at most one of --gate, --risk, --risks, --item")
        }
        if runDate != nil && !risks { throw ValidationError("--run goes with --risks") }
    }

    func run() throws {
        let table: [[String]]
        do {
            let query = try HistoryQuery(path: file)
            if let gate { table = try query.gate(gate) }
            else if let risk { table = try query.risk(risk) }
            else if let item { table = try query.item(item) }
            else if risks { table = try query.risks(run: runDate) }
            else { table = try query.runs() }
        } catch let problem as PlanHistory.Problem {
            printError(problem.description)
            throw ExitCode(2)
        }
        if csv {
            FileHandle.standardOutput.write(Data(HistoryQuery.csv(table)))
        } else {
            print(TextTable.aligned(table), terminator: "")
        }
        exitNow(0)
    }
}
