import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun

/// Fuzz targets, chosen by `TAKT_FUZZ_TARGET`:
/// - `csv`: the CSV reader on raw bytes;
/// - `plan`: the bytes as `plan.yaml` of a tiny valid model, loaded and planned;
/// - `scenario`: the bytes as a scenario applied to the same model, then planned;
/// - `model`: the bytes split on lines `====` into items.csv, bom.csv, inventory.csv,
///   receipts.csv, demand.csv, suppliers.csv, then `check` and, if valid, `plan`.
/// - `explode`: the bytes as bom.csv (items `A`…`H`, make and phantom and buy), then an
///   explosion and a summary of each item, depth and lines capped as the CLI caps them.
/// - `paths`: the bytes as an `--out` and a `--history` path (see `PathRulesTarget`).
/// Every input must end in a result or an `InputError`: a crash, a hang or a blow-up is a bug.
enum FuzzTargets {
    static let folder: String = {
        // Memory-backed when possible: every run rewrites the model files.
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        let path = base + "takt-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // Gone when the process exits (a replay, or libFuzzer's end), not left in /dev/shm.
        atexit { try? FileManager.default.removeItem(atPath: FuzzTargets.folder) }
        return path
    }()

    static let plan = """
    start: 2027-01-04
    horizon_weeks: 6
    products:
      - {item: TOP, full_rate_per_week: 10}
    phases:
      - {name: Ramp, weeks: 6, capacity_pct: [10, 100], gate: G1}

    """
    static let items = "item,type,lead_time_days,workcenter,run_hours\nTOP,make,5,W,1\nPART,buy,10,,0\nKIT,phantom,0,,0\n"
    static let bom = "parent,component,qty_per\nTOP,KIT,1\nKIT,PART,2\n"
    static let workcenters = "workcenter,hours_per_day\nW,4\n"
    static let suppliers = "supplier,item,lead_time_days\nACME,PART,5\n"

    static func write(_ files: [String: [UInt8]]) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] { try? fm.removeItem(atPath: folder + "/" + name) }
        for (name, bytes) in files { _ = fm.createFile(atPath: folder + "/" + name, contents: Data(bytes)) }
    }

    static func baseFiles() -> [String: [UInt8]] {
        ["plan.yaml": Array(plan.utf8), "items.csv": Array(items.utf8), "bom.csv": Array(bom.utf8),
         "workcenters.csv": Array(workcenters.utf8), "suppliers.csv": Array(suppliers.utf8)]
    }

    static func planIfValid() {
        guard let model = try? ModelLoader.load(folder: folder) else { return }
        _ = PlanOutputs.files(Planner.run(model))
    }

    static func run(_ bytes: [UInt8]) {
        switch ProcessInfo.processInfo.environment["TAKT_FUZZ_TARGET"] ?? "csv" {
        case "plan":
            var files = baseFiles()
            files["plan.yaml"] = bytes
            write(files)
            planIfValid()
        case "scenario":
            write(baseFiles())
            guard let model = try? ModelLoader.load(folder: folder) else { fatalError("base model must load") }
            let path = folder + "/scenario.yaml"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            if let scenario = try? Scenario.load(path: path, model: model) {
                _ = PlanOutputs.files(Planner.run(scenario.apply(to: model)))
            }
        case "explode":
            var files = baseFiles()
            files["plan.yaml"] = Array("start: 2027-01-04\nhorizon_weeks: 2\n".utf8)
            files["items.csv"] = Array("item,type,yield_pct\nA,make,90\nB,make,100\nC,phantom,100\nD,buy,100\nE,make,50\nF,phantom,100\nG,buy,100\nH,make,100\n".utf8)
            files["bom.csv"] = bytes
            files["workcenters.csv"] = nil
            files["suppliers.csv"] = nil
            write(files)
            guard let model = try? ModelLoader.load(folder: folder) else { return }
            for item in 0..<model.items.count {
                let listing = Explosion.explode(model, item: item, quantity: 3, on: Day(iso: "2027-06-01"), maxLines: 100_000)
                _ = Explosion.render(model, listing)
                _ = Explosion.renderSummary(model, Explosion.summary(model, item: item, quantity: 3, on: nil))
            }
        case "paths":
            PathRulesTarget.run(bytes)
        case "model":
            var files = baseFiles()
            let names = ["items.csv", "bom.csv", "inventory.csv", "receipts.csv", "demand.csv", "suppliers.csv"]
            let text = String(decoding: bytes, as: UTF8.self)
            for (name, part) in zip(names, text.components(separatedBy: "\n====\n")) { files[name] = Array(part.utf8) }
            write(files)
            planIfValid()
        default:
            var sink = DiagnosticSink()
            _ = CSVTable.parse(bytes, file: "fuzz.csv", sink: &sink)
        }
    }
}

#if TAKT_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry point as `TaktFuzz_main`; hand control to libFuzzer.
@_cdecl("TaktFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        FuzzTargets.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#else
/// Replays saved inputs: `TAKT_FUZZ_TARGET=csv swift run TaktFuzz FILE...`.
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            FuzzTargets.run([UInt8](data))
            print("ok \(path)")
        }
    }
}
#endif
