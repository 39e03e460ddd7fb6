import ArgumentParser
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Explode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explode",
        abstract: "Print an item's indented multi-level BOM explosion.",
        discussion: "Extended quantities are what MRP asks of each component: down each path, a make parent's good quantity × 100 / yield_pct × qty_per × (1 + scrap_pct/100); phantoms pass theirs on. A sub-tree met again is listed once and referred to. --summary totals each component over every path. Example: takt explode fixtures/drone DRONE-X1 --qty 10 --date 2027-06-01"
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "The item to explode.")
    var item: String

    @Option(parsing: .unconditional, help: "Quantity of the item to explode (a number > 0, at most 1e15).")
    var qty: String = "1"

    @Option(help: "Only BOM lines effective on this date (YYYY-MM-DD); default: all lines, each noted with when it is in effect.")
    var date: String?

    @Option(parsing: .unconditional, help: "List levels down to this depth only.")
    var depth: Int?

    @Option(parsing: .unconditional, help: "List at most this many lines, then say how many more (default 100000).")
    var maxLines: Int = 100_000

    @Flag(help: "One line per component with its total over every path, instead of the tree.")
    var summary = false

    func validate() throws {
        guard let value = DecimalParser.quantity(qty), value > 0 else {
            throw ValidationError("--qty must be a number > 0 and at most 1e15, got \"\(qty)\"")
        }
        if let date, Day(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got \(date)") }
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more, got \(depth)") }
        if maxLines < 1 { throw ValidationError("--max-lines must be 1 or more, got \(maxLines)") }
    }

    func run() throws {
        let (loaded, id) = try loadItem(item, of: model, scenarios: [])
        let quantity = DecimalParser.quantity(qty)!, day = date.flatMap { Day(iso: $0) }
        if summary {
            print(Explosion.renderSummary(loaded, Explosion.summary(loaded, item: id, quantity: quantity, on: day)), terminator: "")
        } else {
            let listing = Explosion.explode(loaded, item: id, quantity: quantity, on: day,
                                            maxDepth: depth ?? Int.max, maxLines: max(1, maxLines))
            print(Explosion.render(loaded, listing), terminator: "")
        }
        exitNow(0)
    }
}
