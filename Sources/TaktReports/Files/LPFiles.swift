import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// The files of `--write-lp` (contract §4 `lp/PHASE.lp`): each phase's whole second-step
/// LP in CPLEX LP format, written by GLPK, and `lp/index.csv`, which maps the files and
/// the LP identifiers back to phases, products and work centers.
public enum LPFiles {
    /// Every file by its path under the output folder (`lp/…`), for the phases whose LP
    /// was kept (`CapacityPlanner.run(keepLP: true)`). GLPK writes only to a path: each
    /// LP goes through a private temporary folder, removed before returning.
    public static func render(model: PlanningModel, capacity: [PhaseCapacity]) throws -> [(path: String, bytes: [UInt8])] {
        let folder = NSTemporaryDirectory() + "takt-lp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let names = fileNames(model.plan.phases.map(\.name))
        var files: [(String, [UInt8])] = [("lp/index.csv", index(model: model, files: names))]
        for phase in capacity {
            guard let lp = phase.lp else { continue }
            var problem = GLPKProblem(lp.program)
            problem.setObjective(lp.objective)
            let path = folder + "/" + names[phase.phase]
            if problem.writeLP(to: path), case .success(let bytes) = FileBytes.read(path) {
                files.append(("lp/" + names[phase.phase], bytes))
            }
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// A phase name as a file name (`FileNames.stem`: as written where the file system allows) plus `.lp`
    /// (contract §4 `lp/PHASE.lp`).
    public static func fileName(_ phase: String) -> String {
        FileNames.stem(phase) + ".lp"
    }

    /// The LP file of each phase: `fileName`, made unique with `-2`, `-3` … where two
    /// phases would share one (`Ramp/I` and `Ramp_I`: the name already a file name keeps
    /// it, `FileNames.unique`); `lp/index.csv` maps them back.
    public static func fileNames(_ phases: [String]) -> [String] {
        FileNames.unique(phases) { "\($0)-\($1)" }.map { $0 + ".lp" }
    }

    /// `lp/index.csv`: which file holds which phase, and which LP identifier stands for
    /// which product and work center (`kind,name,identifier`), so the names written in
    /// the LP files can be read back.
    static func index(model: PlanningModel, files: [String]) -> [UInt8] {
        var csv = CSVWriter(header: ["kind", "name", "identifier"])
        for (phase, file) in zip(model.plan.phases, files) {
            csv.field("phase"); csv.field(phase.name); csv.field(file); csv.endRow()
        }
        let products = model.plan.products.map { model.items.names[$0.item] }
        for (name, id) in zip(products, CapacityPlanner.uniqueIdentifiers(products)) {
            csv.field("product"); csv.field(name); csv.field(id); csv.endRow()
        }
        let centers = model.workcenters.map(\.name)
        for (name, id) in zip(centers, CapacityPlanner.uniqueIdentifiers(centers)) {
            csv.field("workcenter"); csv.field(name); csv.field(id); csv.endRow()
        }
        return csv.bytes
    }

}
