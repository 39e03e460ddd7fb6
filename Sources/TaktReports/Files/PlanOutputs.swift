import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// Renders every file of `takt plan` (contract §4).
public enum PlanOutputs {
    /// Every file in memory, by relative path.
    public static func files(_ result: PlanResult, pegging: Bool = false, previous: PreviousRun? = nil,
                             workers: some Workers = SerialWorkers()) -> [String: [UInt8]] {
        var sink = MemorySink()
        try! render(result, pegging: pegging, previous: previous, workers: workers, into: &sink) // a MemorySink never throws
        return sink.files
    }

    /// Renders the files one by one into `sink`, each dropped once put; `summary.json`
    /// last, with the render timings (write time included for a folder sink). Without
    /// `pegging`, `pegging.csv` is neither computed nor written.
    public static func render(_ result: PlanResult, pegging: Bool = false, previous: PreviousRun? = nil,
                              workers: some Workers = SerialWorkers(), into sink: inout some OutputSink) throws {
        let labels = MaterialTables.ItemLabels(result.model.items)
        var timings: [(String, Double)] = []
        try renderOrders(result.model, mrp: result.mrp, mps: result.mps, projection: result.projection, labels: labels,
                         into: &sink, timings: &timings)
        try renderDecisionFiles(result, previous: previous, workers: workers, into: &sink, timings: &timings)
        let peggingRows = try renderPurchases(result.model, mrp: result.mrp, projection: result.projection, labels: labels,
                                              pegging: pegging, workers: workers, into: &sink, timings: &timings)
        try renderSummary(result, peggingRows: peggingRows, timings: timings, into: &sink)
    }

    /// The files of the MRP's orders and the projection: `planned_orders.csv`,
    /// `deliveries.csv`, `exceptions.csv`, `mps.csv`. `writeOrderRows`, when given, writes
    /// `planned_orders.csv` (`PlannedOrderTable`'s blocks, shared with other threads); else
    /// its blocks are rendered here, one after the other.
    package static func renderOrders(_ model: PlanningModel, mrp: MRPResult, mps: MasterSchedule, projection: Projection,
                                     labels: MaterialTables.ItemLabels, into sink: inout some OutputSink,
                                     timings: inout [(String, Double)],
                                     writeOrderRows: ((_ emit: ([UInt8]) throws -> Void) throws -> Void)? = nil) throws {
        try stream("planned_orders.csv", into: &sink, timings: &timings) { emit in
            if let writeOrderRows {
                try writeOrderRows(emit)
            } else {
                try MaterialTables.plannedOrders(mrp: mrp, projection: projection, labels: labels, emit: emit)
            }
        }
        try render("deliveries.csv", into: &sink, timings: &timings) {
            MaterialTables.deliveries(model: model, calendar: mrp.calendar, projection: projection)
        }
        try render("exceptions.csv", into: &sink, timings: &timings) {
            MaterialTables.exceptions(model: model, mrp: mrp, labels: labels)
        }
        try render("mps.csv", into: &sink, timings: &timings) { MaterialTables.masterSchedule(model: model, mps: mps) }
    }

    /// `purchase_suggestions.csv` (rendered here, or streamed from `channel` where another
    /// thread renders it) and with `pegging` `pegging.csv` (pegged and written in one
    /// streamed pass). Returns the pegging rows, nil when pegging was skipped.
    package static func renderPurchases(_ model: PlanningModel, mrp: MRPResult, projection: Projection,
                                        labels: MaterialTables.ItemLabels, pegging: Bool, from channel: ChunkChannel? = nil,
                                        workers: some Workers = SerialWorkers(), into sink: inout some OutputSink,
                                        timings: inout [(String, Double)]) throws -> Int? {
        try stream("purchase_suggestions.csv", into: &sink, timings: &timings) { emit in
            if let channel {
                while let chunk = channel.next() { try emit(chunk) }
            } else {
                try MaterialTables.purchaseSuggestions(model: model, mrp: mrp, projection: projection, labels: labels, emit: emit)
            }
        }
        return try renderPegging(model, mrp: mrp, labels: labels, pegging: pegging, workers: workers, into: &sink, timings: &timings)
    }

    /// With `pegging`, `pegging.csv`, pegged and written in one streamed pass; returns its
    /// rows, nil when pegging was skipped.
    package static func renderPegging(_ model: PlanningModel, mrp: MRPResult, labels: MaterialTables.ItemLabels, pegging: Bool,
                                      workers: some Workers, into sink: inout some OutputSink,
                                      timings: inout [(String, Double)]) throws -> Int? {
        guard pegging else { return nil }
        var rows = 0
        let (_, ms) = try Stopwatch.time {
            try sink.stream("pegging.csv") { emit in
                rows = try MaterialTables.pegging(model: model, mrp: mrp, labels: labels, workers: workers, emit: emit)
            }
        }
        timings.append(("pegging + render pegging.csv", ms))
        return rows
    }

    /// The files that need the capacity LPs, gates, risks and KPIs.
    ///
    /// The status report's contents (a pass over every risk and order: seconds with
    /// millions of risks) are worked out beside the tables, and `report.html` is rendered
    /// beside `report.md` (`workers.beside`: another thread in a run), so that this thread
    /// is sooner free to help with the purchase suggestions. The thread beside then helps
    /// render `risks.csv`'s blocks; it never waits for a writer that has not started
    /// (`beside` may run it first, on this thread: then it renders the first few only).
    package static func renderDecisionFiles(_ result: PlanResult, previous: PreviousRun?, workers: some Workers,
                                            into sink: inout some OutputSink, timings: inout [(String, Double)]) throws {
        let reportSlot = ConcurrentSlots<(StatusReport, Double)>(count: 1)
        // risks.csv's blocks: written here in order; the thread beside, once the report's
        // contents are worked out, renders the ones not yet taken (where it runs beside).
        // One helper: a few blocks ahead keep it busy (each waits in memory meanwhile).
        let riskBlocks = OrderedBlocks(count: DecisionTables.riskBlockCount(result), lookahead: 4)
        try workers.beside({
            reportSlot.set(0, Stopwatch.time { StatusReport(result, previous: previous) })
            Trace.mark("status report worked out")
            riskBlocks.help(leavingAnUnstartedWriter: true) { DecisionTables.risks(result, block: $0, emit: $1) }
        }) {
            // However the writing ends, the helper is let go (it may wait for the writer).
            defer { riskBlocks.stop() }
            try render("capacity.csv", into: &sink, timings: &timings) { DecisionTables.capacity(result) }
            try stream("risks.csv", into: &sink, timings: &timings) { emit in
                try riskBlocks.write(render: { try DecisionTables.risks(result, block: $0, emit: $1) }, emit: emit)
            }
            Trace.mark("risks.csv written")
            try render("gates.json", into: &sink, timings: &timings) { DecisionTables.gates(result) }
            try render("kpis.csv", into: &sink, timings: &timings) { DecisionTables.kpis(result) }
        }
        // The report's contents, worked out beside the tables: timed on their own, as the
        // files' renderings are (a slow section shows here, not only in the whole run).
        let (report, reportMs) = reportSlot[0]!
        timings.append(("status report contents", reportMs))
        let htmlSlot = ConcurrentSlots<([UInt8], Double)>(count: 1)
        try workers.beside({
            let clock = ContinuousClock.now
            let html = Array(StatusReportHTML(report: report, result: result).render().utf8)
            htmlSlot.set(0, (html, (ContinuousClock.now - clock).milliseconds))
        }) {
            try render("report.md", into: &sink, timings: &timings) { Array(report.markdown().utf8) }
            // Every purchase suggestion changed since last week, when last week's are known.
            if let changes = report.purchaseChangesFile {
                try render("purchase_changes.csv", into: &sink, timings: &timings) { changes }
            }
        }
        // Timed as the rendering beside plus the writing here.
        Trace.mark("report.md written")
        let (html, renderMs) = htmlSlot[0]!
        let clock = ContinuousClock.now
        try sink.put("report.html", html)
        timings.append(("render report.html", renderMs + (ContinuousClock.now - clock).milliseconds))
    }

    /// `summary.json`, last: it carries every other file's render timing.
    package static func renderSummary(_ result: PlanResult, peggingRows: Int?, timings: [(String, Double)],
                              into sink: inout some OutputSink) throws {
        Trace.mark("summary start")
        try sink.put("summary.json", DecisionTables.summary(result, peggingRows: peggingRows, extraTimings: timings))
        Trace.mark("summary done")
    }

    /// Renders and puts one file, timing both as `render NAME`.
    static func render(_ name: String, into sink: inout some OutputSink, timings: inout [(String, Double)],
                       _ body: () -> [UInt8]) throws {
        try stream(name, into: &sink, timings: &timings) { emit in try emit(body()) }
    }

    /// Renders and writes one file chunk by chunk, timing both as `render NAME`.
    static func stream(_ name: String, into sink: inout some OutputSink, timings: inout [(String, Double)],
                       _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        let clock = ContinuousClock.now
        try sink.stream(name, produce)
        timings.append(("render " + name, (ContinuousClock.now - clock).milliseconds))
    }
}
