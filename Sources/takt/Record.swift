import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Print one item's time-phased MRP record, what it is pegged to and where it is used.",
        discussion: """
        The item's stock/requirements list: stock on hand, then by date each open receipt (where the \
        rescheduling check moved it), planned order (and when the projection says it arrives) and \
        requirement by source (each parent's planned orders, the ramp, demand references), with the \
        quantity available after it; --grid gives the time-phased grid instead (gross requirements, \
        receipts, projected on hand, net requirements, planned receipts and releases). Then action \
        messages, FIFO pegging to end-item requirements, and where used. \
        Example: takt record fixtures/drone MCU-H7

        """ + ScenarioHelp.keys
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "The item.")
    var item: String

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Flag(help: "One CSV row per bucket instead of the text record.")
    var csv = false

    @Flag(help: "The time-phased grid (one column per bucket with an entry) instead of the list of elements.")
    var grid = false

    func run() throws {
        let (loaded, id) = try loadItem(item, of: model, scenarios: scenarioOptions.scenarios)
        let (schedule, mrp) = Planner.materialPlan(loaded, record: true, recordOf: id)
        printWarnings(mrp.warnings, summary: false)
        let record = ItemRecord(model: loaded, mrp: mrp, item: id)
        if csv {
            FileHandle.standardOutput.write(Data(ItemRecordReport.csv(record)))
        } else {
            let projection = Planner.project(loaded, mps: schedule, mrp: mrp)
            print(ItemRecordReport.text(record, model: loaded, projection: projection, mrp: mrp, grid: grid), terminator: "")
        }
        exitNow(0)
    }
}
