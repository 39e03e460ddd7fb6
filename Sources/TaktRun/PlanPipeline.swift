import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports

extension Planner {
    // The whole `takt plan` run: the stages in order (`Planner.run`), each output file
    // rendered by `PlanOutputs` (which only formats) as soon as what it needs exists.

    /// Plans `model` and renders its files into memory (see `plan(_:writeLP:previous:into:)`).
    public static func plan(_ model: PlanningModel, writeLP: Bool, pegging: Bool = false,
                            previous: PreviousRun? = nil, simulate: Simulation? = nil) throws -> (PlanResult, [String: [UInt8]]) {
        var sink = MemorySink()
        let result = try plan(model, writeLP: writeLP, pegging: pegging, previous: previous, simulate: simulate, into: &sink)
        return (result, sink.files)
    }

    /// How many samples `takt plan --simulate` runs, with which seed.
    public struct Simulation: Sendable {
        public var samples: Int
        public var seed: UInt64
        public init(samples: Int, seed: UInt64) { (self.samples, self.seed) = (samples, seed) }
    }

    /// Plans `model` and renders its files into `sink`; with `writeLP`, the phases' LPs
    /// are added as `lp/PHASE.lp` (written by GLPK into a private temporary folder first).
    ///
    /// On two cores: the second makes the items' labels (name order, escaped names) while
    /// this one solves the LPs (GLPK stays on one thread); both net the MRP's levels; then
    /// the second pegs the shortages to the end items they hit and renders
    /// `purchase_suggestions.csv` (into its own file when the sink is a folder, else in
    /// chunks handed over) while this one writes the order files, decides gates, risks and
    /// KPIs (with those pegs), writes the decision files and the report (whose contents a
    /// third thread works out while the tables are written), and then renders
    /// the suppliers the second has not reached yet (or streams the chunks to the sink);
    /// `summary.json` last. The MRP's levels, the loader and the simulation use every core;
    /// the cores beyond two help render `planned_orders.csv` and the purchase suggestions
    /// from the start.
    public static func plan(_ model: PlanningModel, writeLP: Bool, pegging: Bool = false, previous: PreviousRun? = nil,
                            simulate: Simulation? = nil, into sink: inout some OutputSink) throws -> PlanResult {
        try plan(model, writeLP: writeLP, pegging: pegging, previous: previous, simulate: simulate, into: &sink,
                 helpers: max(0, Cores.available - 2))
    }

    /// `helpers`: threads that help render `planned_orders.csv`, and
    /// `purchase_suggestions.csv` into a folder, from the start (the cores beyond the two
    /// the schedule uses): one set for each file, so while both files are rendered there
    /// are twice as many helpers as cores beyond two (the order file's end first).
    /// `orderBlock`: the orders a block of `planned_orders.csv` holds (tests set it small).
    static func plan(_ model: PlanningModel, writeLP: Bool, pegging: Bool, previous: PreviousRun?, simulate: Simulation?,
                     into sink: inout some OutputSink, helpers: Int,
                     orderBlock: Int = PlannedOrderTable.blockOrders) throws -> PlanResult {
        let second = DispatchQueue.lane("plan.second")
        let pendingLabels = Pending(on: second) { MaterialTables.ItemLabels(model.items) }
        Trace.mark("capacity start")
        var material = material(model, keepLP: writeLP, kpiCosts: true, projectionRank: { pendingLabels.value.rank })
        let (schedule, mrp, capacity, materialTimings, unitCosts) = (material.schedule, material.mrp, material.capacity,
                                                                      material.timings, material.unitCosts)
        let labels = pendingLabels.value
        if let item = material.overflow {
            throw PlanningLimit(description: "\(model.items.names[item]): planned quantities overflow to infinity "
                                + "(qty_per, scrap and yield compound through the BOM above it); no output written")
        }
        Trace.mark("labels made")
        Progress.shared.report("projecting the deliveries", share: 0.6)
        var timings = materialTimings
        let (projection, projectionMs) = timed { Projection(material.projectionPlan!.value, workers: CoreWorkers()) }
        // The projection's plan (and the MRP's result as the plan was made from it, before
        // the load check's exceptions) is not needed again: not held through the rest of the run.
        material.projectionPlan = nil
        // What the projection's pass held (its rows, per item and bucket) is freed in the
        // arenas of the threads that made it: handed back before the next stages grow.
        FreedMemory.release(afterStageWithOrders: mrp.orders.count)
        Trace.mark("projection's memory handed back")
        timings.append(("projection", projectionMs))
        Trace.mark("projection done")
        // purchase_suggestions.csv is rendered on the second core: written there straight
        // into its file when the sink allows (a folder), else handed over in chunks.
        let direct = sink.concurrentSink()
        let purchases = ChunkChannel()
        // The suppliers' blocks of the file, which this core helps render once its own
        // files are written.
        let purchaseBlocks = ConcurrentSlots<(PurchaseSuggestionTable, OrderedBlocks)>(count: 1)
        let stop = StopFlag()
        // The render time when written into the folder, nil when handed over in chunks.
        let purchasesWritten = Pending<Result<Double, any Error>?>(on: second) {
            defer { Trace.mark("purchase suggestions rendered") }
            guard var direct else {
                MaterialTables.purchaseSuggestions(model: model, mrp: mrp, projection: projection, labels: labels,
                                                   emit: purchases.send)
                purchases.finish()
                return nil
            }
            let clock = ContinuousClock.now
            let table = PurchaseSuggestionTable(model: model, mrp: mrp, projection: projection, labels: labels)
            let blocks = OrderedBlocks(count: table.supplierCount)
            purchaseBlocks.set(0, (table, blocks))
            // The cores beyond two help from the start (the first core joins once its own
            // files are written); waited for after the stop below.
            var purchaseHelpers: [Pending<Void>] = []
            defer {
                for helper in purchaseHelpers { helper.wait() }
                // Every block is rendered: the buffers kept between blocks go back, and the
                // table itself once no thread is left to help (the slot lets go of it here).
                table.dropScratch()
                _ = purchaseBlocks.take(0)
            }
            // However the file ends (written, or failed before its first block), a helper
            // waiting for the writer to move on is let go.
            defer { blocks.stop() }
            purchaseHelpers = (0..<helpers).map { k in
                Pending(on: .lane("plan.purchases.\(k)")) { blocks.help { table.render($0, emit: $1) } }
            }
            return Result {
                try direct.stream("purchase_suggestions.csv") { emit in
                    try emit(PurchaseSuggestionTable.header)
                    try blocks.write(render: { try table.render($0, emit: $1) }) { chunk in
                        // This core failed and the folder is dropped: stop writing.
                        if stop.isRaised { throw StopFlag.Stopped() }
                        try emit(chunk)
                    }
                }
                return (ContinuousClock.now - clock).milliseconds
            }
        }
        defer {
            stop.raise()
            purchasesWritten.wait()
        }
        Progress.shared.report("writing the files", share: 0.7)
        var renderTimings: [(String, Double)] = []
        // planned_orders.csv's blocks: this core writes them in order, rendering those the
        // cores beyond two (helping from the start, then done) have not taken.
        let orderTable = PlannedOrderTable(mrp: mrp, projection: projection, labels: labels, blockOrders: orderBlock)
        let orderBlocks = OrderedBlocks(count: orderTable.blockCount)
        let orderHelpers = (0..<helpers).map { k in
            Pending(on: .lane("plan.orders.\(k)")) { orderBlocks.help { orderTable.render($0, emit: $1) } }
        }
        do {
            // However the file ends (written, or failed before its first block), a helper
            // waiting for the writer to move on is let go.
            defer {
                orderBlocks.stop()
                for helper in orderHelpers { helper.wait() }
                orderTable.dropScratch()
            }
            try PlanOutputs.renderOrders(model, mrp: mrp, mps: schedule, projection: projection, labels: labels, into: &sink,
                                         timings: &renderTimings) { emit in
                try orderBlocks.write(render: { try orderTable.render($0, emit: $1) }, emit: emit)
            }
        }
        var result = decide(model, mps: schedule, mrp: mrp, capacity: capacity, projection: projection, nameRank: labels.rank,
                            timings: timings, previous: previous, unitCosts: unitCosts)
        // The orders' files and the risks' findings are done with: what they left free in
        // the arenas goes back before the report's contents and the decision files grow.
        FreedMemory.release(afterStageWithOrders: mrp.orders.count)
        Trace.mark("decisions' memory handed back")
        if let simulate {
            // Each gate's confidence (§2e) before gates.json and the report are written.
            Progress.shared.report("simulating \(simulate.samples) samples", share: 0.75)
            let (tally, ms) = timed {
                Simulator.run(ProjectionPlan(model: model, mrp: mrp, mps: schedule, nameRank: labels.rank),
                              samples: SampleNumbers(from: 1, through: max(1, simulate.samples)), seed: simulate.seed)
            }
            result.confidence = tally
            result.timings.append(("simulation", ms))
        }
        Progress.shared.report("writing the report", share: 0.85)
        try PlanOutputs.renderDecisionFiles(result, previous: previous, workers: CoreWorkers(), into: &sink, timings: &renderTimings)
        Trace.mark("decision files written")
        let peggingRows: Int?
        if direct != nil {
            if let (table, blocks) = purchaseBlocks[0] {
                blocks.help { table.render($0, emit: $1) }
                Trace.mark("helped with purchase suggestions")
            }
            renderTimings.append(("render purchase_suggestions.csv", try purchasesWritten.value!.get()))
            peggingRows = try PlanOutputs.renderPegging(model, mrp: mrp, labels: labels, pegging: pegging, workers: CoreWorkers(),
                                                        into: &sink, timings: &renderTimings)
        } else {
            peggingRows = try PlanOutputs.renderPurchases(model, mrp: mrp, projection: projection, labels: labels, pegging: pegging,
                                                          from: purchases, workers: CoreWorkers(), into: &sink, timings: &renderTimings)
        }
        Trace.mark("material files written")
        purchasesWritten.wait()
        try PlanOutputs.renderSummary(result, peggingRows: peggingRows, timings: renderTimings, into: &sink)
        if writeLP {
            for (path, bytes) in try LPFiles.render(model: model, capacity: capacity) { try sink.put(path, bytes) }
        }
        return result
    }
}

/// A model that loads but cannot be planned in numbers (quantities beyond a Double).
public struct PlanningLimit: Error, CustomStringConvertible {
    public var description: String
}
