import ArgumentParser
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a model folder.",
        discussion: "Prints a one-line summary and exits 0, or prints every problem as FILE:LINE: message and exits 2. Example: takt check fixtures/drone"
    )

    @Argument(help: "The model folder.")
    var model: String

    func run() throws {
        Trace.mark("start")
        let loaded = try loadModel(model, digests: false, planning: false)
        Trace.mark("loaded")
        let plan = loaded.plan
        print("OK \(model): \(loaded.items.count) items, \(loaded.bom.count) BOM lines, \(loaded.maxLevel + 1) levels, "
            + "\(plan.products.count) products, \(plan.phases.count) phases, \(loaded.workcenters.count) work centers, "
            + "\(loaded.supplierNames.count) suppliers, \(loaded.receipts.count) open receipts, \(loaded.demand.count) demand rows, "
            + "\(plan.horizonWeeks) weeks from \(plan.start) in \(plan.bucket.rawValue) buckets")
        printWarnings(PlanWarnings.of(loaded), summary: false)
        exitNow(0)
    }
}
