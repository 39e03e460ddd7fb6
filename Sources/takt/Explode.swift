import ArgumentParser
import TaktCore

struct Explode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an item's indented multi-level BOM explosion.",
        discussion: "Extended quantities multiply qty_per × (1 + scrap_pct/100) down each path; phantoms are shown with their components. Example: takt explode fixtures/drone DRONE-X1 --qty 10 --date 2027-06-01"
    )

    @Argument(help: "The model folder.")
    var model: String

    @Argument(help: "The item to explode.")
    var item: String

    @Option(parsing: .unconditional, help: "Quantity of the item to explode (a number > 0, at most 1e15).")
    var qty: String = "1"

    @Option(help: "Only BOM lines effective on this date (YYYY-MM-DD); default: all lines.")
    var date: String?

    func validate() throws {
        guard let value = DecimalParser.quantity(qty), value > 0 else {
            throw ValidationError("--qty must be a number > 0 and at most 1e15, got \"\(qty)\"")
        }
        if let date, Day(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD, got \(date)") }
    }

    func run() throws {
        let loaded = try loadModel(model)
        guard let id = loaded.items.id(item) else {
            printError("unknown item \"\(item)\" in \(model)/items.csv")
            throw ExitCode(2)
        }
        let lines = Explosion.explode(loaded, item: id, quantity: DecimalParser.quantity(qty)!, on: date.flatMap { Day(iso: $0) })
        print(Explosion.render(loaded, lines), terminator: "")
    }
}
