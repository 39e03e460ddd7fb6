import Foundation

extension Planner {
    // The whole `takt plan` run: the stages in order (`Planner.run`), each output file
    // rendered by `PlanOutputs` (which only formats) as soon as what it needs exists.

    /// Plans `model` and renders its files into memory (see `plan(_:writeLP:previous:into:)`).
    public static func plan(_ model: PlanningModel, writeLP: Bool, pegging: Bool = false,
                            previous: PreviousRun? = nil) throws -> (PlanResult, [String: [UInt8]]) {
        var sink = MemorySink()
        let result = try plan(model, writeLP: writeLP, pegging: pegging, previous: previous, into: &sink)
        return (result, sink.files)
    }

    /// Plans `model` and renders its files into `sink`; with `writeLP`, the phases' LPs
    /// are added as `lp/PHASE.lp` (written by GLPK into a private temporary folder first).
    /// Once the LPs, the master schedule and the MRP are done, the material files are
    /// rendered on this core while the second one evaluates gates and risks
    /// (`Planner.run(_:writeLPTo:meanwhile:)`); then the decision files.
    public static func plan(_ model: PlanningModel, writeLP: Bool, pegging: Bool = false, previous: PreviousRun? = nil,
                            into sink: inout some OutputSink) throws -> PlanResult {
        var lpFolder: String?
        if writeLP {
            let folder = NSTemporaryDirectory() + "takt-lp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            lpFolder = folder
        }
        defer { if let lpFolder { try? FileManager.default.removeItem(atPath: lpFolder) } }
        let (result, material) = try Planner.run(model, writeLPTo: lpFolder) { partial in
            let labels = MaterialTables.ItemLabels(model.items, rank: partial.nameRank)
            Trace.mark("labels made")
            return try PlanOutputs.renderMaterial(model, mrp: partial.mrp, mps: partial.mps, labels: labels, pegging: pegging, into: &sink)
        }
        try PlanOutputs.renderDecisions(result, material: material, previous: previous, into: &sink)
        if let lpFolder {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: lpFolder)) ?? []).sorted() {
                if case .success(let bytes) = FileBytes.read(lpFolder + "/" + name) {
                    try sink.put("lp/" + name, bytes)
                }
            }
        }
        return result
    }
}
