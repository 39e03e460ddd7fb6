import ArgumentParser
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun
import TaktGenerate

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic, valid model of about N items.",
        discussion: """
        --shape realistic (the default) looks like a real item master: about N/500 end products in a few \
        families, each with mostly its own BOM tree 3–6 levels deep, sub-assemblies shared within a family, \
        commodity parts shared across products, lots sized to each item's weekly need, work centers mostly \
        60–95 % loaded, a handful of past-due items. --shape stress compounds quantities through deep, widely \
        shared levels. Both have phantoms, every lot rule, buy items with 1–3 suppliers, routings, open \
        receipts, demand, and the launch plan's phases and gates. The same seed gives the same bytes. \
        Example: takt generate --items 100000 --out /tmp/m100k
        """
    )

    @Option(parsing: .unconditional, help: "About how many items.")
    var items: Int

    @Option(help: "The folder to write the model to (replaced as a whole).")
    var out: String

    @Option(parsing: .unconditional, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "End products in plan.yaml (default: items / 500; at most 50 on the stress shape).")
    var products: Int?

    @Option(parsing: .unconditional, help: "Work centers (default: items / 1000, between 3 and 100).")
    var workcenters: Int?

    @Option(help: "realistic (default) or stress.")
    var shape: ModelGenerator.Shape = .realistic

    @Flag(help: "Replace --out even if it is not a folder Takt wrote.")
    var force = false

    func validate() throws {
        guard items >= 4, items <= 50_000_000 else { throw ValidationError("--items must be between 4 and 50000000, got \(items)") }
        if let products, products < 1 || products > items / 2 {
            throw ValidationError("--products must be between 1 and half of --items, got \(products)")
        }
        if let workcenters, workcenters < 3 || workcenters > 10_000 {
            throw ValidationError("--workcenters must be between 3 and 10000, got \(workcenters)")
        }
    }

    func run() throws {
        try checkOutput(out, models: [], force: force)
        var files = ModelGenerator(itemCount: items, seed: seed, products: products, workcenters: workcenters,
                                   shape: shape).files()
        // Marks the folder as Takt's own, so that a later run may replace it.
        files["summary.json"] = Array("{\n  \"takt_output\": \"generate\",\n  \"generated\": {\"items\": \(items), \"seed\": \(seed), \"shape\": \"\(shape.rawValue)\"}\n}\n".utf8)
        try OutputFolder.write(files, to: out)
        print("wrote a \(shape.rawValue) model of \(items) items (seed \(seed)) to \(out)")
    }
}

extension ModelGenerator.Shape: ExpressibleByArgument {}
