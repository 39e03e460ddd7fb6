import ArgumentParser
import TaktCore

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic, valid model of about N items.",
        discussion: "Several BOM levels, shared components, phantoms, every lot rule, buy items with 1–3 suppliers, work centers, and the phases and gates of the contract's example. The same seed gives the same bytes."
    )

    @Option(help: "About how many items.")
    var items: Int

    @Option(help: "The folder to write the model to (replaced as a whole).")
    var out: String

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "End products in plan.yaml (default: items / 500, at most 50).")
    var products: Int?

    @Option(help: "Work centers (default: items / 1000, between 3 and 100).")
    var workcenters: Int?

    @Flag(help: "Replace --out even if it is not a folder Takt wrote.")
    var force = false

    func validate() throws {
        guard items >= 4, items <= 50_000_000 else { throw ValidationError("--items must be between 4 and 50000000") }
        if let products, products < 1 || products > items / 2 {
            throw ValidationError("--products must be between 1 and half of --items")
        }
        if let workcenters, workcenters < 3 || workcenters > 10_000 {
            throw ValidationError("--workcenters must be between 3 and 10000")
        }
    }

    func run() throws {
        try checkOutput(out, models: [], force: force)
        var files = ModelGenerator(itemCount: items, seed: seed, products: products, workcenters: workcenters).files()
        // Marks the folder as Takt's own, so that a later run may replace it.
        files["summary.json"] = Array("{\n  \"generated\": {\"items\": \(items), \"seed\": \(seed)}\n}\n".utf8)
        try OutputFolder.write(files, to: out)
        print("wrote a model of \(items) items (seed \(seed)) to \(out)")
    }
}
