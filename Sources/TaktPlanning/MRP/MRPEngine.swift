import Foundation
import TaktModel
import TaktInput

/// Material requirements planning: netting, lot sizing, lead-time offset and explosion
/// (contract §2, §2a), level by level in low-level-code order: a level's items are netted
/// on all cores (`ItemNetting`), then what they explode is added to their components in
/// planning order, so the plan is the one of netting item by item.
///
/// Behaviour:
/// - gross requirements start as the ramp of each product plus the demand rows; every
///   planned order of a `make` item adds its components' requirements in its release
///   bucket, for the BOM lines effective on that bucket's start date;
/// - per item and bucket: `A = POH(t-1) + receipts(t) - gross(t)`; when `A < SS - 1e-9`
///   the rescheduling check first pulls in open receipts due within the window, then a
///   planned receipt is made by the lot rule for what is still missing; `POH(t) = A + P(t)`;
/// - with a master schedule (`mps: capacity`), each product gets one order per week of
///   its LP completions instead of netting (§2a);
/// - `phantom` items net against their stock and receipts, then pass what remains to
///   their components in the same bucket, with no order, lead time, safety stock or yield.
///
/// Planning state lives in flat arrays indexed by item ids; the gross requirements of the
/// items not netted yet are logs of their terms (`GrossLog`), not an `items × buckets`
/// array. No strings are touched in the loop. (The inventory value per bucket is summed
/// per block of `valueBlock` items of a level, item after item, then block after block in
/// planning order: the same sums to the last bit whatever the runs or the cores.)
public struct MRPEngine: Sendable {
    public let model: PlanningModel
    public let calendar: BucketCalendar
    /// The products' master schedule under `mps: capacity`; nil plans them by netting.
    public let mps: MasterSchedule?
    /// What a unit of each item's stock is worth (`CostRollup.valuation`); with it the
    /// result carries the inventory value per bucket.
    public let valuation: ContiguousArray<Double>?

    public init(model: PlanningModel, mps: MasterSchedule? = nil, valuation: ContiguousArray<Double>? = nil) {
        self.model = model
        calendar = BucketCalendar(plan: model.plan)
        self.mps = model.plan.plansFromMPS ? mps : nil
        self.valuation = valuation
    }

    /// Plans every item. With `record`, the result keeps the MRP record of every item
    /// (gross requirements, scheduled receipts, projected on-hand, planned receipts and
    /// releases per bucket); without it (`takt plan`, which writes none of them) those
    /// arrays stay empty, which saves five `items × buckets` arrays (2 GB at 1M items).
    /// With `onlyItem`, only that item's record is kept (`takt record`: five bucket rows
    /// instead of five `items × buckets` arrays); `MRPResult.recordRange` reads it. Over 80
    /// lines: the level loop owns the buffers every level reuses (gross requirements,
    /// netting outputs, record rows), which its steps share.
    public func run(record: Bool = true, onlyItem: Int? = nil, inputs given: Inputs? = nil) -> MRPResult {
        let items = model.items
        let n = items.count
        let buckets = calendar.count
        let inputs = given ?? self.inputs()

        let recordCount = onlyItem == nil ? n * buckets : buckets
        // Scheduled receipts, projected on-hand, planned receipts, planned releases, gross.
        let recordArrays = record ? (0..<5).map { _ in SharedBuffer<Double>(repeating: 0, count: recordCount) } : nil
        let phantomRow = inputs.phantomRow
        let independent = inputs.independent
        let order = model.planningOrder
        var gross = GrossLog(levels: model.maxLevel + 1, halvesFrom: halvesFrom, workers: workers)
        do {
            // Per level, in the order of `independent` (they are the first terms).
            var byLevel = [ChunkedArray<GrossEntry>](repeating: ChunkedArray(chunkBytes: chunkBytes), count: model.maxLevel + 1)
            for requirement in independent {
                byLevel[model.lowLevelCode[requirement.item]].append(
                    GrossEntry(place: inputs.place[requirement.item], bucket: Int32(requirement.bucket), quantity: requirement.quantity))
            }
            gross.append(byLevel: byLevel)
        }
        let receiptDue = inputs.receiptDue
        let movedTo = SharedBuffer<Int32>(repeating: -1, count: model.receipts.count)
        let chosen = inputs.chosen
        let leadBuckets = inputs.leadBuckets
        // §2a: the products planned from the master schedule (plan index, or -1).
        var scheduleRow = ContiguousArray<Int>(repeating: -1, count: n)
        if mps != nil {
            for (p, product) in model.plan.products.enumerated() where items.type[product.item] != .phantom {
                scheduleRow[product.item] = p
            }
        }
        let netting = ItemNetting(engine: self, buckets: buckets, bucketDay: ContiguousArray(calendar.bucketStart.map(\.number)),
                                  levels: model.maxLevel + 1, record: recordArrays, onlyItem: onlyItem,
                                  phantomRow: phantomRow, explosion: inputs.explosion, movedTo: movedTo, receiptDue: receiptDue,
                                  receiptsByItem: inputs.receiptsByItem, chosen: chosen, leadBuckets: leadBuckets,
                                  scheduleRow: scheduleRow, worth: valuation ?? ContiguousArray(repeating: 0, count: n),
                                  valued: valuation != nil, valueBlock: valueBlock, window: model.plan.rescheduleInWeeks * calendar.bucketsPerWeek,
                                  fence: calendar.buckets(inWeeks: model.plan.frozenWeeks), chunkBytes: chunkBytes)
        var stockValue = ContiguousArray<Double>(repeating: 0, count: valuation == nil ? 0 : buckets)
        // Each run's orders and exceptions, in planning order: copied once into the result.
        var nettedRuns: [(orders: ChunkedArray<PlannedOrder>, exceptions: [MRPException])] = []
        // Each item's stretch of the joined orders: the runs' order counts, run after run.
        var orderStart = ContiguousArray<Int32>(repeating: 0, count: n)
        var orderEnd = ContiguousArray<Int32>(repeating: 0, count: n)
        var joined = 0
        var firstOverflow: Int?
        var passedThrough: [PassThrough.Entry] = []

        // Level by level: an item's gross requirements are complete once every item of the
        // levels above is netted and exploded. Each level's items are netted in runs
        // (`runCuts`) on all cores, each run exploding its own orders; the runs are then
        // taken in planning order (orders, exceptions, the terms they add to the components'
        // requirements, the value blocks' sums), so every sum adds up in the same order
        // whatever the runs or the number of cores, and the files are the same bytes.
        for range in model.levelRanges() {
            let (levelStart, levelEnd) = (range.lowerBound, range.upperBound)
            let level = model.lowLevelCode[order[levelStart]]
            let levelGross = gross.take(level: level, first: levelStart, last: levelEnd)
            let cuts = runCuts(levelEnd - levelStart)
            let first = levelStart
            let outputs = workers.map(cuts.count - 1) { r in
                netting.net(order[first + cuts[r]..<first + cuts[r + 1]], gross: levelGross)
            }
            Trace.mark("mrp: level \(level) netted, \(levelEnd - levelStart) items in \(cuts.count - 1) runs")
            for (r, out) in outputs.enumerated() {
                if firstOverflow == nil, let k = out.firstOverflow { firstOverflow = joined + k }
                for (k, count) in out.orderCounts.enumerated() {
                    let item = order[first + cuts[r] + k]
                    orderStart[item] = Int32(joined)
                    joined += Int(count)
                    orderEnd[item] = Int32(joined)
                }
                out.stockValue.withUnsafeBufferPointer { blocks in
                    var row = 0
                    while row < blocks.count {
                        for t in stockValue.indices { stockValue[t] += blocks[row + t] }
                        row += buckets
                    }
                }
                nettedRuns.append((out.orders, out.exceptions))
                passedThrough.append(contentsOf: out.passThrough)
                gross.append(byLevel: out.gross)
            }
        }
        gross.dropStore()
        Trace.mark("mrp: levels netted")
        var exceptions: [MRPException] = []
        exceptions.reserveCapacity(nettedRuns.reduce(0) { $0 + $1.exceptions.count })
        for run in nettedRuns { exceptions.append(contentsOf: run.exceptions) }
        let orders = Self.joinOrders(&nettedRuns, workers: workers)
        Trace.mark("mrp: orders joined")

        return MRPResult(calendar: calendar, gross: recordArrays?[4].array() ?? [], recordedItem: onlyItem,
                         scheduledReceipts: recordArrays?[0].array() ?? [], projectedOnHand: recordArrays?[1].array() ?? [],
                         plannedReceipts: recordArrays?[2].array() ?? [], plannedReleases: recordArrays?[3].array() ?? [],
                         phantomRow: phantomRow, phantomPassThrough: PassThrough(rows: inputs.phantomCount, entries: passedThrough), orders: orders, exceptions: exceptions,
                         independent: independent, receiptDueBucket: receiptDue, receiptMovedTo: movedTo.array(),
                         chosenOffer: chosen, leadTimeBuckets: leadBuckets, warnings: inputs.warnings,
                         inventoryValue: stockValue, orderStart: orderStart, orderEnd: orderEnd,
                         firstOverflowingOrder: firstOverflow)
    }

    /// The runs' orders in one array of exactly their count, in run order: cut into pieces
    /// of about equal orders, each copied on whichever core takes it (the copy is mostly
    /// the result's fresh pages), each run dropped once copied, and what the dropped runs
    /// held handed back every `workers.dropBatch` (they were made on worker threads, whose
    /// arenas would keep it): the result's pages fill as the runs' go, instead of both being
    /// resident at the end.
    static func joinOrders(_ runs: inout [(orders: ChunkedArray<PlannedOrder>, exceptions: [MRPException])],
                           workers: any Workers) -> [PlannedOrder] {
        var start = [0]
        for run in runs { start.append(start.last! + run.orders.count) }
        let total = start.last!
        // Piece p takes the runs from cut[p] on: eight pieces, so that more cores share it.
        let pieces = min(8, runs.count)
        var cut = [0]
        for p in 1..<max(1, pieces) { cut.append(start.firstIndex { $0 >= total * p / pieces }!) }
        cut.append(runs.count)
        let (cuts, starts) = (cut, start)
        let stride = MemoryLayout<PlannedOrder>.stride
        let orders = [PlannedOrder](unsafeUninitializedCapacity: total) { buffer, count in
            runs.withUnsafeMutableBufferPointer { runBuffer in
                let target = UncheckedPointer(buffer.baseAddress), source = UncheckedPointer(runBuffer.baseAddress)
                let tally = DroppedBytes(batch: workers.dropBatch)
                workers.forEach(max(1, cuts.count - 1)) { p in
                    for k in cuts[p]..<cuts[p + 1] {
                        var at = starts[k]
                        source.value![k].orders.forEachChunk { chunk in
                            (target.value! + at).initialize(from: chunk.baseAddress!, count: chunk.count)
                            at += chunk.count
                        }
                        let bytes = source.value![k].orders.count * stride
                        source.value![k] = (ChunkedArray(), [])
                        if let batch = tally.add(bytes) { workers.dropped(bytes: batch) }
                    }
                }
            }
            count = total
        }
        workers.dropped(bytes: total * stride)
        return orders
    }

    /// What the pieces of `joinOrders` dropped, counted together: a batch once it reaches
    /// `batch` bytes (each piece alone would rarely fill one, and nothing would be handed
    /// back before the end).
    final class DroppedBytes: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = 0
        private let batch: Int

        init(batch: Int) { self.batch = batch }

        /// Adds `count` bytes; the batch to hand back when it is full, else nil.
        func add(_ count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            bytes += count
            guard bytes >= batch else { return nil }
            defer { bytes = 0 }
            return bytes
        }
    }

    /// Where a level's runs are netted, and what happens to the memory the runs held
    /// once they are put together (serial unless the run says otherwise).
    public var workers: any Workers = SerialWorkers()

    /// The most items netted together on one core: the runs are few enough that handing
    /// them out costs nothing.
    static let largestRun = 1024

    /// Runs a level is cut into per core, at least, while a run keeps one value block (a
    /// level is done before the next one starts): with runs of a fixed size, the products'
    /// level (a few hundred items, which explode the most) was one run on one core however
    /// many cores there were. One, not more: four a core cost the small MRP benchmark 23 %
    /// more mallocs (a run's buffers) for no time measured on two cores.
    static let runsPerCore = 1

    /// Items whose inventory value per bucket is summed one after the other (a level's
    /// items from its first, in planning order); the blocks' sums are then added in order.
    /// Runs hold whole blocks, so the sums do not depend on how a level is cut.
    var valueBlock = 64

    /// The size of the chunks each run appends its orders and gross-requirement terms to
    /// (`ChunkedArray`). Tests set it small: the plan must not depend on it.
    var chunkBytes = ChunkedArray<PlannedOrder>.defaultChunkBytes

    /// Every level in runs of exactly this many items (a multiple of `valueBlock`), not
    /// sized by `runCuts`. Tests set it: the plan must not depend on it.
    var runSize: Int?

    /// Where the runs of a level of `count` items start (relative to the level's first
    /// item), then `count`: whole value blocks, at most `largestRun` items a run, and as
    /// many runs as a multiple of the cores (`runsPerCore` a core at least, fewer only for
    /// a level of fewer blocks), the blocks dealt out evenly (run `r` starts at block
    /// `blocks × r / runs`). A level of five runs of 1,024 items kept one core netting a
    /// third run while the other waited; six runs of about 800 end together. With
    /// `runSize` set, runs of exactly that many items.
    func runCuts(_ count: Int) -> [Int] {
        if let runSize {
            precondition(runSize % valueBlock == 0, "a run must hold whole value blocks")
            return Array(stride(from: 0, to: count, by: runSize)) + [count]
        }
        precondition(valueBlock > 0, "a value block holds an item at least")
        guard count > 0 else { return [0] }
        let blocks = (count + valueBlock - 1) / valueBlock
        let width = max(1, workers.width * Self.runsPerCore)
        // Runs of at most this many blocks keep to `largestRun` items whatever the block.
        let blocksPerRun = max(1, Self.largestRun / valueBlock)
        let needed = (blocks + blocksPerRun - 1) / blocksPerRun
        let runs = min(blocks, (needed + width - 1) / width * width)
        return (0...runs).map { r in min(count, blocks * r / runs * valueBlock) }
    }

    /// A level with at least this many gross-requirement terms groups them on both cores
    /// (tests set it to 1 and `Int.max`: the plan must not depend on it).
    var halvesFrom = 1 << 16

    // MARK: - Inputs in buckets

    /// What the MRP needs of the model alone, not of the master schedule: `takt plan`
    /// makes it on the second core while the capacity LPs are solved.
    public struct Inputs: Sendable {
        package let chosen: ContiguousArray<Int>
        let leadBuckets: ContiguousArray<Int>
        let independent: [IndependentRequirement]
        let receiptDue: ContiguousArray<Int32>
        let receiptsByItem: [[Int]]
        /// Each phantom's row of the pass-through, -1 for other items.
        let phantomRow: ContiguousArray<Int32>
        let phantomCount: Int
        /// Each item's index in the planning order.
        let place: ContiguousArray<Int32>
        /// The BOM's lines in by-parent order, as the explosion reads them (`ExplodedLine`).
        let explosion: ContiguousArray<ExplodedLine>
        /// What the model alone warns of (`PlanWarnings.of`): made with the rest, so that
        /// where the inputs are made beside the LPs (`takt plan`), so are the warnings
        /// (the BOM's overlapping lines take 0.07 s at 1M items).
        let warnings: [Warning]
    }

    public func inputs() -> Inputs {
        let items = model.items
        let n = items.count
        var phantomRow = ContiguousArray<Int32>(repeating: -1, count: n)
        var phantomCount = 0
        for item in 0..<n where items.type[item] == .phantom {
            phantomRow[item] = Int32(phantomCount)
            phantomCount += 1
        }
        let chosen = SupplierChoice.choose(model)
        var leadBuckets = ContiguousArray<Int>(repeating: 0, count: n)
        for item in 0..<n where items.type[item] != .phantom {
            leadBuckets[item] = calendar.leadTimeBuckets(days: SupplierChoice.leadTimeDays(item: item, chosen: chosen, model))
        }
        let receiptDue = bucketReceipts()
        var place = ContiguousArray<Int32>(repeating: 0, count: n)
        for (k, item) in model.planningOrder.enumerated() { place[item] = Int32(k) }
        let bom = model.bom
        let explosion = ContiguousArray<ExplodedLine>(unsafeUninitializedCapacity: bom.count) { lines, count in
            for k in 0..<bom.count {
                let line = bom.byParent[k]
                let component = bom.component[line]
                lines[k] = ExplodedLine(place: place[component], level: Int32(model.lowLevelCode[component]),
                                        from: bom.effectiveFrom.storage[line], to: bom.effectiveTo.storage[line],
                                        extended: bom.extendedQty(line))
            }
            count = bom.count
        }
        return Inputs(chosen: chosen, leadBuckets: leadBuckets, independent: independentRequirements(), receiptDue: receiptDue,
                      receiptsByItem: receiptIndex(receiptDue), phantomRow: phantomRow, phantomCount: phantomCount,
                      place: place, explosion: explosion, warnings: PlanWarnings.of(model))
    }

    /// The ramp of each product and the demand rows, in buckets (§2). Demand dated past
    /// the horizon is dropped (`PlanWarnings` says so).
    func independentRequirements() -> [IndependentRequirement] {
        var requirements: [IndependentRequirement] = []
        let pct = calendar.capacityPct(model.plan.phases)
        let perBucket = 1.0 / Double(calendar.bucketsPerWeek)
        for product in model.plan.products {
            for t in 0..<calendar.count where pct[t] > 0 {
                let quantity = product.fullRatePerWeek * pct[t] / 100 * perBucket
                if quantity > 0 {
                    requirements.append(IndependentRequirement(item: product.item, bucket: t, quantity: quantity, source: "ramp"))
                }
            }
        }
        for row in model.demand {
            guard let t = calendar.bucket(of: row.date) else { continue }
            requirements.append(IndependentRequirement(item: row.item, bucket: t, quantity: row.quantity,
                                                       source: row.reference.isEmpty ? "demand" : row.reference))
        }
        return requirements
    }

    /// The bucket of each open receipt, -1 past the horizon (`PlanWarnings` says so).
    func bucketReceipts() -> ContiguousArray<Int32> {
        ContiguousArray(model.receipts.map { Int32(calendar.bucket(of: $0.dueDate) ?? -1) })
    }

    /// Open receipts of each item inside the horizon, by due bucket, then file order (§2:
    /// the order of the rescheduling check and of the action messages).
    func receiptIndex(_ due: ContiguousArray<Int32>) -> [[Int]] {
        var byItem = [[Int]](repeating: [], count: model.items.count)
        for (k, receipt) in model.receipts.enumerated() where due[k] >= 0 { byItem[receipt.item].append(k) }
        for i in byItem.indices where byItem[i].count > 1 {
            byItem[i].sort { due[$0] != due[$1] ? due[$0] < due[$1] : $0 < $1 }
        }
        return byItem
    }

    // MARK: - Exceptions

    /// A planned order whose release falls `lead - due` buckets before bucket 0; `short`
    /// is its bucket's short quantity (0: a safety-stock rebuild).
    func pastDueException(_ order: PlannedOrder, lead: Int, short: Double) -> MRPException {
        MRPException(pastDue: order.item, date: calendar.bucketStart[order.dueBucket], quantity: order.quantity,
                     shortQuantity: short,
                     wording: PastDueWording(kind: order.kind, late: Int32(clamping: lead - order.dueBucket), weekly: calendar.kind == .week))
    }

    /// How an open receipt is named in messages: its reference, else its line.
    func receiptLabel(_ k: Int) -> String {
        let receipt = model.receipts[k]
        return "open receipt \(receipt.label) of \(NumberFormat.quantity(receipt.quantity)) due \(receipt.dueDate)"
    }

    /// The `inside_fence` row of an item short inside the planning time fence: date = the
    /// first bucket short, quantity = the largest shortfall there (below safety stock).
    func insideFence(item: Int, first: Int, units: Double, fence: Int) -> MRPException {
        let need = calendar.bucketStart[first]
        let weeks = model.plan.frozenWeeks
        let cover = fence < calendar.count
            ? "the order due \(calendar.bucketStart[fence]), the first after the fence"
            : "no order (the fence covers the horizon)"
        return MRPException(item: item, kind: .insideFence, date: need, quantity: units,
                            message: "\(NumberFormat.quantity(units)) short from \(need), inside the planning time fence (frozen_weeks: \(weeks)): no new order may be due there; covered by \(cover) — expedite open orders or accept the delay")
    }

    /// What covers the rest of a bucket that the receipts pulled into it leave short.
    enum ShortAfterPullIn {
        /// A new order due in that bucket.
        case newOrder
        /// Nothing there: it is inside the planning time fence (`frozen_weeks`).
        case insideFence
    }

    /// The rescheduling check's move of receipt `k` to bucket `t` (§2). `leftShort`: the
    /// receipts pulled into `t` leave it short, and what covers the rest; `short`: by how
    /// much (below safety stock), kept as the row's `shortQuantity` for the report.
    func pulledIn(_ k: Int, item: Int, to t: Int, leftShort: ShortAfterPullIn? = nil, short: Double = 0) -> MRPException {
        let needDate = calendar.bucketStart[t]
        let moved = "\(receiptLabel(k)) is pulled in to \(needDate)"
        let message = switch leftShort {
        case nil: "\(moved) to cover the requirement there (rescheduling check; no new order)"
        case .newOrder: "\(moved) to cover part of the requirement there (rescheduling check; a new order due then covers the rest)"
        case .insideFence: "\(moved) to cover part of the requirement there (rescheduling check; inside the planning time fence, no new order may be due then)"
        }
        return MRPException(item: item, kind: .rescheduleIn, date: needDate, quantity: model.receipts[k].quantity,
                            message: message, shortQuantity: leftShort == nil ? 0 : short, receipt: k)
    }

    /// Action messages on the open receipts of one item that the rescheduling check did
    /// not move (§2): in due-bucket order (then file order), each is needed in the first
    /// bucket where on-hand, gross requirements and the receipts before it alone fall
    /// below safety stock (moved receipts count where they were moved to, and "before"
    /// orders by that bucket, then file order).
    func actionMessages(item: Int, receipts: [Int], receiptDue: ContiguousArray<Int32>, movedTo: UnsafeMutableBufferPointer<Int32>,
                        gross: UnsafeBufferPointer<Double>, into exceptions: inout [MRPException]) {
        guard !receipts.isEmpty, model.items.type[item] != .phantom else { return }
        let buckets = calendar.count
        let safety = model.items.safetyStock[item]
        func bucket(_ k: Int) -> Int { Int(movedTo[k] >= 0 ? movedTo[k] : receiptDue[k]) }
        let order = receipts.sorted { bucket($0) != bucket($1) ? bucket($0) < bucket($1) : $0 < $1 }
        // projected[t]: on-hand + receipts before the current one due by t - gross through t.
        var projected = ContiguousArray<Double>(repeating: 0, count: buckets)
        var running = model.items.onHand[item]
        var t = 0
        for value in gross {
            running -= value
            projected[t] = running
            t += 1
        }
        for k in order {
            let receipt = model.receipts[k]
            defer { for u in bucket(k)..<buckets { projected[u] += receipt.quantity } }
            guard movedTo[k] < 0 else { continue }
            let due = Int(receiptDue[k])
            let need = projected.firstIndex { $0 < safety - LotPolicy.tolerance }
            let what = receiptLabel(k)
            if receipt.dueDate < calendar.start {
                let days = calendar.start.number - receipt.dueDate.number
                // Dated at the first bucket's start, where it counts (§2: every date in
                // exceptions.csv is a bucket start date); its message keeps its due date.
                exceptions.append(MRPException(item: item, kind: .overdue, date: calendar.bucketStart[0], quantity: receipt.quantity,
                                               message: "\(what) is \(days) days overdue (due before the plan start): counted as arriving now; confirm with the supplier when it comes",
                                               receipt: k))
            }
            if let need {
                let needDate = calendar.bucketStart[need]
                if need < due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleIn, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is needed by \(needDate): bring it in", receipt: k))
                } else if need > due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleOut, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is not needed until \(needDate): push it out", receipt: k))
                }
            } else {
                exceptions.append(MRPException(item: item, kind: .cancel, date: calendar.bucketStart[due], quantity: receipt.quantity,
                                               message: "\(what) is not needed within the horizon: cancel it", receipt: k))
            }
        }
    }
}
