/// Renders every file of `takt plan` (contract §4).
public enum PlanOutputs {
    /// Every file in memory, by relative path.
    public static func files(_ result: PlanResult, previous: PreviousRun? = nil) -> [String: [UInt8]] {
        var sink = MemorySink()
        try! render(result, previous: previous, into: &sink) // a MemorySink never throws
        return sink.files
    }

    /// Renders the files one by one into `sink`, each dropped once put; `summary.json`
    /// last, with the render timings (write time included for a folder sink).
    public static func render(_ result: PlanResult, previous: PreviousRun? = nil, into sink: inout some OutputSink) throws {
        let labels = MaterialTables.ItemLabels(result.model.items)
        let pegging = try renderPegging(result.model, mrp: result.mrp, labels: labels, into: &sink)
        try render(result, labels: labels, pegging: pegging, previous: previous, into: &sink)
    }

    /// Pegs and writes `pegging.csv` in one streamed pass; its row count and time.
    static func renderPegging(_ model: PlanningModel, mrp: MRPResult, labels: MaterialTables.ItemLabels,
                              into sink: inout some OutputSink) throws -> (rows: Int, milliseconds: Double) {
        var rows = 0
        let (_, ms) = try Planner.timed {
            try sink.stream("pegging.csv") { emit in
                rows = try MaterialTables.pegging(model: model, mrp: mrp, labels: labels, emit: emit)
            }
        }
        return (rows, ms)
    }

    /// Every file but `pegging.csv`.
    static func render(_ result: PlanResult, labels: MaterialTables.ItemLabels, pegging: (rows: Int, milliseconds: Double),
                       previous: PreviousRun?, into sink: inout some OutputSink) throws {
        var timings: [(String, Double)] = [("pegging + render pegging.csv", pegging.milliseconds)]
        func render(_ name: String, _ body: () -> [UInt8]) throws {
            let clock = ContinuousClock.now
            try sink.put(name, body())
            let elapsed = ContinuousClock.now - clock
            timings.append(("render " + name, elapsed.milliseconds))
        }
        try render("planned_orders.csv") { MaterialTables.plannedOrders(result, labels: labels) }
        try render("purchase_suggestions.csv") { MaterialTables.purchaseSuggestions(result, labels: labels) }
        try render("exceptions.csv") { MaterialTables.exceptions(result, labels: labels) }
        try render("capacity.csv") { DecisionTables.capacity(result) }
        try render("risks.csv") { DecisionTables.risks(result) }
        try render("gates.json") { DecisionTables.gates(result) }
        let report = StatusReport(result, previous: previous)
        try render("report.md") { Array(report.markdown().utf8) }
        try render("report.html") { Array(StatusReportHTML(report: report, result: result).render().utf8) }
        try sink.put("summary.json", DecisionTables.summary(result, peggingRows: pegging.rows, extraTimings: timings))
    }
}

import Foundation

extension PlanOutputs {
    /// Plans `model` and renders its files into memory (see `plan(_:writeLP:previous:into:)`).
    public static func plan(_ model: PlanningModel, writeLP: Bool, previous: PreviousRun? = nil) throws -> (PlanResult, [String: [UInt8]]) {
        var sink = MemorySink()
        let result = try plan(model, writeLP: writeLP, previous: previous, into: &sink)
        return (result, sink.files)
    }

    /// Plans `model` and renders its files into `sink`; with `writeLP`, the phases' LPs
    /// are added as `lp/PHASE.lp` (written by GLPK into a private temporary folder first).
    public static func plan(_ model: PlanningModel, writeLP: Bool, previous: PreviousRun? = nil,
                            into sink: inout some OutputSink) throws -> PlanResult {
        var lpFolder: String?
        if writeLP {
            let folder = NSTemporaryDirectory() + "takt-lp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            lpFolder = folder
        }
        defer { if let lpFolder { try? FileManager.default.removeItem(atPath: lpFolder) } }
        let labels = MaterialTables.ItemLabels(model.items)
        let (result, pegging) = try Planner.run(model, writeLPTo: lpFolder) { mrp in
            try renderPegging(model, mrp: mrp, labels: labels, into: &sink)
        }
        try render(result, labels: labels, pegging: pegging, previous: previous, into: &sink)
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
