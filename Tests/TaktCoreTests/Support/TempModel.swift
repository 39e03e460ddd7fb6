import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// A model folder written to a temporary directory from in-memory files.
/// This test process's scratch folder, removed when the process exits, so that test runs
/// leave nothing behind in the temporary directory.
let testScratch: String = {
    let path = NSTemporaryDirectory() + "takt-tests-\(getpid())-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: testScratch) }
    return path
}()

/// A fresh path in the scratch folder, its name starting with `prefix`.
func scratchPath(_ prefix: String) -> String { testScratch + "/" + prefix + "-" + UUID().uuidString }

/// A `takt generate` model of `items` items, written to the scratch folder and loaded (in
/// day buckets with `dayBuckets`); the folder is removed once loaded.
func generatedModel(_ items: Int, seed: UInt64, shape: ModelGenerator.Shape, dayBuckets: Bool = false) throws -> PlanningModel {
    var files = ModelGenerator(itemCount: items, seed: seed, shape: shape).files()
    if dayBuckets {
        let text = String(decoding: files["plan.yaml"]!, as: UTF8.self)
        XCTAssertTrue(text.contains("bucket: week"))
        files["plan.yaml"] = Array(text.replacingOccurrences(of: "bucket: week", with: "bucket: day").utf8)
    }
    let folder = scratchPath("takt-generated-\(shape)-\(items)")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try OutputFolder.write(files, to: folder)
    return try ModelLoader.load(folder: folder)
}

struct TempModel {
    let folder: String

    init(_ files: [String: String]) throws {
        folder = scratchPath("takt-test")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// Loads as `takt` does, the files read beside one another on the cores (`CoreWorkers`).
    func load() throws -> PlanningModel { try ModelLoader.load(folder: folder, workers: CoreWorkers()) }

    /// The problems reported for this model (empty when it loads).
    func errors() -> [String] {
        do {
            _ = try load()
            return []
        } catch let error as InputError {
            return error.diagnostics.map { $0.description.replacingOccurrences(of: folder + "/", with: "") }
        } catch {
            return ["\(error)"]
        }
    }
}

/// An input problem as a test states it: the file relative to the model folder, the
/// line, the case with its fields, and the column where one applies.
struct Problem: Equatable, CustomStringConvertible {
    var file: String
    var line: Int
    var problem: InputProblem
    var column: String?

    init(_ file: String, _ line: Int, _ problem: InputProblem, column: String? = nil) {
        (self.file, self.line, self.problem, self.column) = (file, line, problem, column)
    }

    init(_ diagnostic: Diagnostic, folder: String) {
        var file = diagnostic.location.file
        if file.hasPrefix(folder + "/") { file.removeFirst(folder.count + 1) }
        self.init(file, diagnostic.location.line, diagnostic.problem, column: diagnostic.column)
    }

    var description: String { "\(file):\(line): \(problem)" + (column.map { " [\($0)]" } ?? "") }
}

extension TempModel {
    /// The problems reported for this model, typed (empty when it loads).
    func problems() -> [Problem] {
        do {
            _ = try load()
            return []
        } catch let error as InputError {
            return error.diagnostics.map { Problem($0, folder: folder) }
        } catch {
            XCTFail("\(error)")
            return []
        }
    }
}

/// A plan.yaml with `weeks` week buckets from Monday 2027-01-04, no phases unless given.
/// `fractional` (the default of these unit tests, hand-computed in fractions) turns whole
/// units and the rescheduling check off; tests of those rules pass `false`.
func planYAML(weeks: Int, bucket: String = "week", products: String = "", phases: String = "", extra: String = "",
              fractional: Bool = true) -> String {
    var text = "start: 2027-01-04\nhorizon_weeks: \(weeks)\nbucket: \(bucket)\n"
    if fractional { text += "whole_units: false\nreschedule_in_weeks: 0\n" }
    if !products.isEmpty { text += "products:\n" + products }
    if !phases.isEmpty { text += "phases:\n" + phases }
    return text + extra
}

extension MRPResult {
    func orders(of item: String, in model: PlanningModel) -> [PlannedOrder] {
        let id = model.items.id(item)!
        return orders.filter { $0.item == id }
    }

    func row(_ values: ContiguousArray<Double>, _ item: String, _ model: PlanningModel) -> [Double] {
        Array(values[range(of: model.items.id(item)!)])
    }
}

func assertClose(_ a: Double, _ b: Double, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertLessThanOrEqual(abs(a - b), 1e-6 * max(1, abs(b)), "\(a) != \(b) \(message)", file: file, line: line)
}

func assertClose(_ a: [Double], _ b: [Double], _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "length \(message)", file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > 1e-6 * max(1, abs(y)) {
        XCTFail("\(a) != \(b) \(message)", file: file, line: line)
        return
    }
}

/// Writes the phases' kept LPs and `index.csv` into `folder` as `--write-lp` renders them
/// (`LPFiles`), and returns the phases.
func writingLPs(_ phases: [PhaseCapacity], of model: PlanningModel, to folder: String) throws -> [PhaseCapacity] {
    for (path, bytes) in try LPFiles.render(model: model, capacity: phases) {
        let name = String(path.dropFirst("lp/".count))
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
    }
    return phases
}
