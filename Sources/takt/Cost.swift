import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Print what one good unit of an item costs, and why.",
        discussion: """
        Material (components extended by qty_per, scrap and yield, at the chosen supplier's unit_price, \
        else unit_cost), labour (run hours of the item and its make and phantom descendants × the work \
        center's cost_per_hour), for a product the phase's overtime cost spread over its master-schedule \
        units, and overhead_pct of those; then the costed BOM with each line's share of the total. \
        Example: takt cost fixtures/drone DRONE-X1 --date 2027-06-01

        """ + ScenarioHelp.keys
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "The item.")
    var item: String

    @Option(help: "The day whose BOM lines count (YYYY-MM-DD); default: the plan's start.")
    var date: String?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        if let date, Day(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got \(date)") }
    }

    func run() throws {
        let (loaded, id) = try loadItem(item, of: model, scenarios: scenarioOptions.scenarios)
        let day = date.flatMap { Day(iso: $0) } ?? loaded.plan.start
        // The capacity LPs only when the item is a product (its overtime share).
        let capacity = loaded.plan.products.contains { $0.item == id } ? Planner.capacity(loaded) : []
        print(CostReport.text(model: loaded, item: id, on: day, capacity: capacity), terminator: "")
        exitNow(0)
    }
}
