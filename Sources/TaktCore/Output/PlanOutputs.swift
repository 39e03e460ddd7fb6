/// Renders every file of `takt plan` (contract §4) into memory, by relative path.
public enum PlanOutputs {
    public static func files(_ result: PlanResult, previous: PreviousRun? = nil) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        var timings: [(String, Double)] = []
        func render(_ name: String, _ body: () -> [UInt8]) {
            let clock = ContinuousClock.now
            files[name] = body()
            let elapsed = ContinuousClock.now - clock
            timings.append(("render " + name, elapsed.milliseconds))
        }
        let rank = result.model.items.nameRank()
        render("planned_orders.csv") { MaterialTables.plannedOrders(result, rank: rank) }
        render("purchase_suggestions.csv") { MaterialTables.purchaseSuggestions(result, rank: rank) }
        render("exceptions.csv") { MaterialTables.exceptions(result, rank: rank) }
        render("pegging.csv") { MaterialTables.pegging(result, rank: rank) }
        render("capacity.csv") { DecisionTables.capacity(result) }
        render("risks.csv") { DecisionTables.risks(result) }
        render("gates.json") { DecisionTables.gates(result) }
        let report = StatusReport(result, previous: previous)
        render("report.md") { Array(report.markdown().utf8) }
        render("report.html") { Array(StatusReportHTML(report: report, result: result).render().utf8) }
        files["summary.json"] = DecisionTables.summary(result, extraTimings: timings)
        return files
    }
}

import Foundation

extension PlanOutputs {
    /// Plans `model` and renders its files; with `writeLP`, the phases' LPs are added as
    /// `lp/PHASE.lp` (written by GLPK into a private temporary folder first).
    public static func plan(_ model: PlanningModel, writeLP: Bool, previous: PreviousRun? = nil) throws -> (PlanResult, [String: [UInt8]]) {
        var lpFolder: String?
        if writeLP {
            let folder = NSTemporaryDirectory() + "takt-lp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            lpFolder = folder
        }
        defer { if let lpFolder { try? FileManager.default.removeItem(atPath: lpFolder) } }
        let result = Planner.run(model, writeLPTo: lpFolder)
        var files = Self.files(result, previous: previous)
        if let lpFolder {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: lpFolder)) ?? [] {
                if let data = FileManager.default.contents(atPath: lpFolder + "/" + name) {
                    files["lp/" + name] = [UInt8](data)
                }
            }
        }
        return (result, files)
    }
}
