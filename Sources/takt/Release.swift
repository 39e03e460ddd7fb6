import ArgumentParser
import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun

/// `takt release MODEL --through DATE --out DIR [--apply]`: accepts the plan's orders
/// released on or before DATE as open receipts (see `OrderRelease`, `ReleaseFiles`).
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Accept the planned orders released through a date: write them as open receipts.",
        discussion: """
        Plans MODEL, takes every planned purchase order released on or before --through \
        (past-due ones too) and writes DIR as the model will be: its files, with receipts.csv \
        holding one more row per order (reference PL-ITEM-YYYYMMDD-N, the chosen supplier, \
        the quantity that arrives good, due on the order's due date or its projected date if \
        later), and DIR/released.csv listing them. Plan DIR next: it nets them as open \
        receipts instead of suggesting them again. --apply also replaces MODEL/receipts.csv \
        (the previous file kept as receipts.csv.bak). Work orders are not released: an open \
        receipt carries no component requirements. \
        Example: takt release fixtures/drone --through 2027-02-15 --out out/drone-released
        """
    )

    @Argument(help: "The model folder.")
    var model: String

    @Option(help: "Release the orders whose release date is on or before this day (YYYY-MM-DD).")
    var through: String

    @Option(help: "The folder to write the model with its new receipts.csv, and released.csv, to (replaced as a whole).")
    var out: String

    @Flag(help: "Also replace MODEL/receipts.csv (the previous file kept as receipts.csv.bak).")
    var apply = false

    @Flag(help: "Replace --out even when it is not empty and not a Takt output (only Takt's files are removed).")
    var force = false

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if Day(iso: through) == nil { throw ValidationError("--through must be YYYY-MM-DD, got \(through)") }
    }

    func run() throws {
        let loaded = try loadModel(model, digests: false)
        try checkOutput(out, models: [model], force: force)
        let result = Planner.run(loaded)
        let day = Day(iso: through)!
        let taken = Set(loaded.receipts.map(\.reference).filter { !$0.isEmpty })
        let (released, unreachable) = OrderRelease.select(result, through: day, taken: taken)
        // A receipts.csv that no longer reads, a folder that cannot be written: exit 2 with
        // the reason, as every command (`Takt.main`).
        let files = try ReleaseFiles.files(result, through: day, released: released, unreachable: unreachable)
        try OutputFolder.write(files, to: out)
        if apply { try ModelFile.replace(model + "/receipts.csv", with: files["receipts.csv"]!, backup: "receipts.csv.bak") }
        if !quiet {
            print("released \(released.count) purchase orders through \(through) → \(out)"
                + (apply ? "; \(model)/receipts.csv replaced (previous: receipts.csv.bak)" : ""))
            if !unreachable.isEmpty {
                print("not released: \(unreachable.count) orders that cannot arrive within the horizon (released.csv)")
            }
        }
        exitNow(0)
    }
}
