import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2: netting with safety stock, lead-time offset, past due, buckets.
final class MRPNettingTests: XCTestCase {
    /// Hand-worked record (L = ceil(10/5) = 2 weeks, on hand 50, SS 10, receipt 30 in week 2):
    ///
    /// | week            |  0 |  1 |  2 |  3 |  4 |  5 |
    /// |-----------------|----|----|----|----|----|----|
    /// | gross           | 20 | 30 | 40 |  0 | 25 |  0 |
    /// | receipts        |    |    | 30 |    |    |    |
    /// | POH before P    | 30 |  0 |  0 | 10 |-15 | 10 |
    /// | planned receipt |    | 10 | 10 |    | 25 |    |
    /// | POH             | 30 | 10 | 10 | 10 | 10 | 10 |
    /// | planned release | 10*+10 |  | 25 |  |    |    |   (* past due: week 1 - 2 < 0)
    func testLotForLotWithSafetyStockAndLeadTime() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 6),
            "items.csv": "item,type,lead_time_days,safety_stock\nA,buy,10,10\n",
            "inventory.csv": "item,on_hand\nA,50\n",
            "receipts.csv": "item,quantity,due_date,reference\nA,30,2027-01-20,PO-1\n",
            "demand.csv": "item,date,quantity\nA,2027-01-04,20\nA,2027-01-13,30\nA,2027-01-18,40\nA,2027-02-05,25\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        assertClose(mrp.row(mrp.gross, "A", model), [20, 30, 40, 0, 25, 0])
        assertClose(mrp.row(mrp.plannedReceipts, "A", model), [0, 10, 10, 0, 25, 0])
        assertClose(mrp.row(mrp.projectedOnHand, "A", model), [30, 10, 10, 10, 10, 10])
        assertClose(mrp.row(mrp.plannedReleases, "A", model), [20, 0, 25, 0, 0, 0])
        let orders = mrp.orders(of: "A", in: model)
        XCTAssertEqual(orders.map(\.dueBucket), [1, 2, 4])
        XCTAssertEqual(orders.map(\.releaseBucket), [0, 0, 2])
        XCTAssertEqual(orders.map(\.pastDue), [true, false, false])
        let pastDue = mrp.exceptions.filter { $0.kind == .pastDue }
        XCTAssertEqual(pastDue.count, 1)
        XCTAssertEqual(pastDue.first?.date, Day(iso: "2027-01-11"))
        // Receipt PO-1 (week 2): on hand alone falls below SS in week 1 → reschedule in.
        let actions = mrp.exceptions.filter { $0.kind != .pastDue }
        XCTAssertEqual(actions.map(\.kind), [.rescheduleIn])
        XCTAssertEqual(actions.first?.date, Day(iso: "2027-01-11"))
        assertClose(actions.first?.quantity ?? 0, 30)
    }

    func testDatesBeforeStartFallInBucketZeroAndPastTheHorizonAreDropped() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type\nA,buy\n",
            "demand.csv": "item,date,quantity\nA,2026-12-01,5\nA,2027-01-10,7\nA,2027-01-11,3\nA,2027-01-18,100\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        assertClose(mrp.row(mrp.gross, "A", model), [12, 3])
        XCTAssertEqual(mrp.warnings.count, 1)
        XCTAssertTrue(mrp.warnings[0].description.contains("demand.csv:5: warning:"), mrp.warnings[0].description)
    }

    func testLeadTimeRoundsUpToWholeWeeks() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days\nA,buy,5\nB,buy,6\nC,buy,0\n",
            "demand.csv": "item,date,quantity\nA,2027-01-25,1\nB,2027-01-25,1\nC,2027-01-25,1\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        XCTAssertEqual(mrp.orders(of: "A", in: model).map(\.releaseBucket), [2])
        XCTAssertEqual(mrp.orders(of: "B", in: model).map(\.releaseBucket), [1])
        XCTAssertEqual(mrp.orders(of: "C", in: model).map(\.releaseBucket), [3])
    }

    /// Ramp: a [10, 50] phase of 5 weeks moves 10, 20, 30, 40, 50 %; nothing after the last phase.
    func testRampIsLinearInsideAPhaseAndZeroAfterTheLastPhase() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 9, products: "  - {item: P, full_rate_per_week: 200}\n",
                                  phases: "  - {name: Zero, weeks: 1, capacity_pct: 0}\n  - {name: Ramp, weeks: 5, capacity_pct: [10, 50]}\n  - {name: One, weeks: 1, capacity_pct: [70, 90]}\n"),
            "items.csv": "item,type\nP,buy\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        assertClose(mrp.row(mrp.gross, "P", model), [0, 20, 40, 60, 80, 100, 140, 0, 0])
    }

    func testPhasesPastTheHorizonAreCut() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 100}\n",
                                  phases: "  - {name: Ramp, weeks: 5, capacity_pct: [0, 100]}\n"),
            "items.csv": "item,type\nP,buy\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        // The slope is the phase's own (25 % a week), only cut at the horizon.
        assertClose(mrp.row(mrp.gross, "P", model), [0, 25, 50])
    }

    /// Low-level codes: a part used at level 1 and level 2 is planned at level 2, after
    /// every parent, so that it sees all its gross requirements.
    func testSharedComponentIsPlannedAtItsDeepestLevel() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days\nTOP,make,5\nSUB,make,5\nBOLT,buy,0\n",
            "bom.csv": "parent,component,qty_per\nTOP,BOLT,2\nTOP,SUB,1\nSUB,BOLT,3\n",
            "demand.csv": "item,date,quantity\nTOP,2027-01-25,10\n",
        ]).load()
        XCTAssertEqual(model.lowLevelCode.map { $0 }, [0, 1, 2])
        let mrp = MRPEngine(model: model).run()
        // TOP due week 3 released week 2 → BOLT 20 in week 2; SUB due 2 released 1 → BOLT 30 in week 1.
        assertClose(mrp.row(mrp.gross, "BOLT", model), [0, 30, 20, 0])
    }

    func testDayBucketsUseWorkingDays() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, bucket: "day", products: "  - {item: P, full_rate_per_week: 500}\n",
                                  phases: "  - {name: Run, weeks: 1, capacity_pct: 100}\n"),
            "items.csv": "item,type,lead_time_days\nP,make,2\nC,buy,3\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
            // Saturday 2027-01-09 falls in Monday 2027-01-11's bucket (5).
            "demand.csv": "item,date,quantity\nC,2027-01-09,7\nC,2027-01-15,1\nC,2027-01-16,1\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        XCTAssertEqual(mrp.bucketCount, 10)
        XCTAssertEqual(mrp.calendar.bucketStart[5], Day(iso: "2027-01-11"))
        assertClose(mrp.row(mrp.gross, "P", model), [100, 100, 100, 100, 100, 0, 0, 0, 0, 0])
        // P released 2 working days early: days 0..2 past due (released at 0), 3 → 1, 4 → 2.
        XCTAssertEqual(mrp.orders(of: "P", in: model).map(\.releaseBucket), [0, 0, 0, 1, 2])
        XCTAssertEqual(mrp.orders(of: "P", in: model).map(\.pastDue), [true, true, false, false, false])
        let gross = mrp.row(mrp.gross, "C", model)
        assertClose(gross, [300, 100, 100, 0, 0, 7, 0, 0, 0, 1])
        XCTAssertEqual(mrp.warnings.count, 1, "the Saturday after the horizon is dropped")
    }
}

extension MRPNettingTests {
    /// Each level's items are netted in runs on both cores and put together in planning
    /// order: the orders, exceptions, moved receipts, phantom pass-through and gross
    /// requirements do not depend on how the items are cut into runs (one item a run, 7,
    /// or all of a level in one), nor on whether a level's requirements are grouped on
    /// one core or two.
    func testRunsOfALevelGiveTheSamePlanHoweverTheyAreCut() throws {
        let model = try generatedModel(3000, seed: 11, shape: .stress)
        let (schedule, _) = Planner.materialPlan(model)
        func plan(_ size: Int, halvesFrom: Int = Int.max, chunkBytes: Int? = nil) -> MRPResult {
            var engine = MRPEngine(model: model, mps: schedule)
            engine.valueBlock = 1 // runs of any size (no valuation here)
            engine.runSize = size
            engine.halvesFrom = halvesFrom
            if let chunkBytes { engine.chunkBytes = chunkBytes }
            return engine.run(record: true)
        }
        let whole = plan(1 << 30)
        XCTAssertGreaterThan(whole.orders.count, 1000)
        XCTAssertTrue(whole.exceptions.contains { $0.kind == .pastDue })
        // Chunks of 40 bytes: an order (24) or two terms (16 each) a chunk, so that every
        // run's orders and terms cross chunk boundaries.
        for (size, halvesFrom, chunkBytes) in [(1, Int.max, nil), (7, Int.max, nil), (1024, 1, nil), (7, 1, nil),
                                               (1 << 30, Int.max, 40), (7, 1, 40)] {
            let cut = plan(size, halvesFrom: halvesFrom, chunkBytes: chunkBytes)
            XCTAssertEqual(cut.orders, whole.orders, "run size \(size)")
            XCTAssertEqual(cut.exceptions, whole.exceptions, "run size \(size)")
            XCTAssertEqual(cut.receiptMovedTo, whole.receiptMovedTo)
            XCTAssertEqual(cut.phantomPassThrough, whole.phantomPassThrough)
            XCTAssertEqual(cut.gross, whole.gross)
            XCTAssertEqual(cut.projectedOnHand, whole.projectedOnHand)
            XCTAssertEqual(cut.orderStart, whole.orderStart, "run size \(size)")
            XCTAssertEqual(cut.orderEnd, whole.orderEnd, "run size \(size)")
        }
        // Each item's noted stretch holds exactly its orders: the stretches cover the
        // orders once, and every order lies in its own item's.
        var covered = 0
        for item in 0..<model.items.count {
            let range = whole.orderRange(of: item)
            covered += range.count
            XCTAssertTrue(range.allSatisfy { whole.orders[$0].item == item }, "item \(item)")
        }
        XCTAssertEqual(covered, whole.orders.count)
        XCTAssertTrue(whole.orders.indices.allSatisfy { whole.orderRange(of: whole.orders[$0].item).contains($0) })
    }

    /// A level's runs: whole value blocks that cover its items once, in order, none over
    /// `largestRun` items, and as many as a multiple of the cores whenever the level has the
    /// blocks for it (five runs of 1,024 on two cores kept one core alone on the fifth).
    func testALevelIsCutIntoBalancedRunsOfWholeBlocks() throws {
        let model = try generatedModel(200, seed: 3, shape: .realistic)
        for width in [1, 2, 3, 16] {
            var engine = MRPEngine(model: model)
            engine.workers = WideWorkers(width: width)
            for count in [1, 63, 64, 65, 211, 1024, 2048, 2049, 4647, 24975, 100_000] {
                let cuts = engine.runCuts(count)
                let runs = cuts.count - 1
                XCTAssertEqual(cuts.first, 0)
                XCTAssertEqual(cuts.last, count)
                let blocks = (count + engine.valueBlock - 1) / engine.valueBlock
                for r in 0..<runs {
                    XCTAssertLessThan(cuts[r], cuts[r + 1], "width \(width), \(count) items: run \(r) empty")
                    XCTAssertEqual(cuts[r] % engine.valueBlock, 0, "a run starts on a block")
                    XCTAssertLessThanOrEqual(cuts[r + 1] - cuts[r], MRPEngine.largestRun)
                }
                if blocks >= width {
                    XCTAssertEqual(runs % width, 0, "width \(width), \(count) items: \(runs) runs")
                } else {
                    XCTAssertEqual(runs, blocks)
                }
                // Even: no run more than a block larger than another.
                let sizes = (0..<runs).map { cuts[$0 + 1] - cuts[$0] }
                if runs > 1 {
                    XCTAssertLessThanOrEqual(sizes.dropLast().max()! - sizes.dropLast().min()!, engine.valueBlock)
                }
            }
        }
        // The level of 4,647 items on two cores: six runs, three a core, not five.
        var two = MRPEngine(model: model)
        two.workers = WideWorkers(width: 2)
        XCTAssertEqual(two.runCuts(4647).count - 1, 6)
        XCTAssertEqual(two.runCuts(0), [0], "no items, no run")
        // A block that does not divide `largestRun` still keeps every run within it.
        two.valueBlock = 100
        let cuts = two.runCuts(2048)
        XCTAssertTrue((0..<cuts.count - 1).allSatisfy { cuts[$0 + 1] - cuts[$0] <= MRPEngine.largestRun && cuts[$0] % 100 == 0 }, "\(cuts)")
    }

    /// The inventory value per bucket (kpis.csv's `inventory_value_peak`) is summed per
    /// block of 64 items of a level in planning order, item after item, then block after
    /// block: the same sums to the last bit whether a level is cut into runs of 64, 128 or
    /// 1024 items or sized by the cores, and netted on one core or all of them.
    func testTheInventoryValueDoesNotDependOnTheRunsToTheLastBit() throws {
        let model = try generatedModel(3000, seed: 5, shape: .realistic)
        let (schedule, _) = Planner.materialPlan(model)
        let inputs = MRPEngine(model: model).inputs()
        let worth = CostRollup(model: model, chosen: inputs.chosen).valuation(on: model.plan.start)
        func plan(_ size: Int?, workers: any Workers) -> MRPResult {
            var engine = MRPEngine(model: model, mps: schedule, valuation: worth)
            engine.runSize = size
            engine.workers = workers
            return engine.run(record: true)
        }
        let reference = plan(64, workers: SerialWorkers())
        // The blocks' sums from the record, in the order the engine is to add them.
        var expected = ContiguousArray<Double>(repeating: 0, count: reference.bucketCount)
        var levels = 0
        for level in model.levelRanges() {
            levels += 1
            for blockStart in stride(from: level.lowerBound, to: level.upperBound, by: 64) {
                var block = ContiguousArray<Double>(repeating: 0, count: reference.bucketCount)
                for index in blockStart..<min(blockStart + 64, level.upperBound) {
                    let item = model.planningOrder[index]
                    guard model.items.type[item] != .phantom else { continue } // no stock of its own
                    for t in block.indices {
                        let poh = reference.projectedOnHand[item * reference.bucketCount + t]
                        if worth[item] != 0 && poh > 0 { block[t] += poh * worth[item] }
                    }
                }
                for t in expected.indices { expected[t] += block[t] }
            }
        }
        XCTAssertGreaterThan(levels, 3)
        XCTAssertTrue(model.plan.plansFromMPS, "the products' stock from their master-schedule orders too")
        XCTAssertTrue(model.levelRanges().contains { $0.count > 4 * 128 }, "levels cut into several runs of 64 and of 128")
        XCTAssertGreaterThan(expected.max() ?? 0, 0)
        XCTAssertEqual(reference.inventoryValue.map(\.bitPattern), expected.map(\.bitPattern))
        for (size, workers) in [(128, CoreWorkers()), (1024, CoreWorkers()), (nil, CoreWorkers()), (nil, SerialWorkers()),
                                (nil, CoreWorkers(pinned: true))] as [(Int?, any Workers)] {
            let cut = plan(size, workers: workers)
            XCTAssertEqual(cut.inventoryValue.map(\.bitPattern), expected.map(\.bitPattern), "runs of \(size.map(String.init) ?? "any size")")
            XCTAssertEqual(cut.orders, reference.orders)
        }
    }

    /// The load check reads only the make items' orders, item by item in planning order:
    /// the same hours, to the last bit, as adding up every make order in the MRP's order
    /// (each week of each work center summed in the same order).
    func testTheLoadCheckAddsTheMakeOrdersInTheMRPsOrder() throws {
        let model = try generatedModel(3000, seed: 9, shape: .realistic)
        let (schedule, mrp) = Planner.materialPlan(model)
        let weeks = schedule.weekly.count
        var expected = ContiguousArray<Double>(repeating: 0, count: model.workcenters.count * weeks)
        for order in mrp.orders where order.kind == .make {
            let week = order.releaseBucket / mrp.calendar.bucketsPerWeek
            guard week < weeks else { continue }
            let item = order.item, own = model.items.workcenter[item]
            if own >= 0 && (model.items.runHours[item] > 0 || model.items.setupHours[item] > 0) {
                expected[own * weeks + week] += model.items.setupHours[item] + model.items.runHours[item] * order.quantity
            }
            for step in model.routings where step.item == item {
                expected[step.workcenter * weeks + week] += step.setupHours + step.runHours * order.quantity
            }
        }
        XCTAssertGreaterThan(mrp.orders.filter { $0.kind == .make }.count, 1000)
        XCTAssertGreaterThan(mrp.orders.filter { $0.kind == .buy }.count, 1000)
        XCTAssertGreaterThan(expected.filter { $0 > 0 }.count, 20)
        XCTAssertEqual(MRPLoad.hours(model: model, mrp: mrp, weeks: weeks).map(\.bitPattern), expected.map(\.bitPattern))
    }

    /// The MRP keeps the items' gross requirements as terms logged per level and summed
    /// when the level is netted: each item's requirement per bucket must be its ramp and
    /// demand plus what its parents' orders and pass-through ask of it, rebuilt here from
    /// the result with the BOM lines effective in each bucket (day buckets, so effectivity
    /// dates cut inside weeks; phantoms pass through).
    func testGrossRequirementsAreTheIndependentAndDependentTerms() throws {
        let folder = scratchPath("takt-mrp-gross")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var files = ModelGenerator(itemCount: 2000, seed: 5, shape: .stress).files()
        let plan = String(decoding: files["plan.yaml"]!, as: UTF8.self)
        XCTAssertTrue(plan.contains("bucket: week\n"))
        files["plan.yaml"] = Array(plan.replacingOccurrences(of: "bucket: week\n", with: "bucket: day\n").utf8)
        try OutputFolder.write(files, to: folder)
        let model = try ModelLoader.load(folder: folder)
        XCTAssertEqual(model.plan.bucket, .day)
        XCTAssertTrue(model.items.type.contains(.phantom))
        XCTAssertTrue(model.bom.effectiveTo.contains { $0 != Int.max }, "some BOM lines end")
        let (schedule, _) = Planner.materialPlan(model)
        var engine = MRPEngine(model: model, mps: schedule)
        engine.halvesFrom = 1 // every level's terms grouped in two halves
        let mrp = engine.run(record: true)
        let buckets = mrp.bucketCount
        var expected = [Double](repeating: 0, count: model.items.count * buckets)
        for requirement in mrp.independent { expected[requirement.item * buckets + requirement.bucket] += requirement.quantity }
        let ranges = mrp.orderRanges()
        var dependentTerms = 0
        for item in 0..<model.items.count {
            mrp.forEachDependentRequirement(of: item, model: model, orderRanges: ranges) { _, t, quantity in
                expected[item * buckets + t] += quantity
                dependentTerms += 1
            }
        }
        XCTAssertGreaterThan(dependentTerms, 10_000)
        XCTAssertEqual(mrp.gross.count, expected.count)
        var nonZero = 0
        for k in expected.indices {
            if expected[k] != 0 { nonZero += 1 }
            XCTAssertEqual(mrp.gross[k], expected[k], accuracy: 1e-9 * max(1, abs(expected[k])), "item \(k / buckets), bucket \(k % buckets)")
        }
        XCTAssertGreaterThan(nonZero, 1000)
    }

    /// The gross-requirement log reuses one level's grouped buffers for the next only once
    /// that level's `LevelGross` is gone: a level still held keeps its terms when the next
    /// is taken, and every level's terms come back grouped by item in log order.
    func testGrossLogReusesALevelsBuffersOnlyOnceItIsLetGo() {
        for halvesFrom in [1, Int.max] {
            var log = GrossLog(levels: 3, halvesFrom: halvesFrom, workers: CoreWorkers())
            // Level 0: places 0..<2, level 1: places 2..<5, level 2: places 5..<7.
            func term(_ place: Int, _ bucket: Int, _ quantity: Double) -> GrossEntry {
                GrossEntry(place: Int32(place), bucket: Int32(bucket), quantity: quantity)
            }
            // Chunks of two terms: the log takes a level's terms across chunks, in order.
            func chunked(_ levels: [[GrossEntry]]) -> [ChunkedArray<GrossEntry>] {
                levels.map { ChunkedArray($0, chunkBytes: 2 * MemoryLayout<GrossEntry>.stride) }
            }
            log.append(byLevel: chunked([[term(1, 0, 1), term(0, 2, 2), term(1, 1, 3)],
                                         [term(4, 0, 4), term(2, 1, 5)], [term(6, 3, 6)]]))
            log.append(byLevel: chunked([[], [term(2, 2, 7), term(3, 0, 8), term(4, 1, 9)], [term(5, 0, 10), term(6, 1, 11)]]))
            /// Each item's (bucket, quantity) terms, in the order they come.
            func terms(_ gross: LevelGross, items: Int) -> [[[Double]]] {
                (0..<items).map { r in
                    (gross.start[r]..<gross.start[r + 1]).map { [Double(gross.bucket[$0]), gross.quantity[$0]] }
                }
            }
            let level0 = log.take(level: 0, first: 0, last: 2)
            XCTAssertEqual(terms(level0, items: 2), [[[2, 2]], [[0, 1], [1, 3]]])
            // Level 0 is still held: level 1 gets buffers of its own.
            let level1 = log.take(level: 1, first: 2, last: 5)
            XCTAssertNotEqual(level1.quantity.pointer.baseAddress, level0.quantity.pointer.baseAddress)
            XCTAssertEqual(terms(level0, items: 2), [[[2, 2]], [[0, 1], [1, 3]]], "the held level is untouched")
            XCTAssertEqual(terms(level1, items: 3), [[[1, 5], [2, 7]], [[0, 8]], [[0, 4], [1, 9]]])
            // Level 1 let go (level 0 still held): level 2 reuses level 1's buffers.
            let kept = level1.quantity.pointer.baseAddress
            _ = consume level1
            let level2 = log.take(level: 2, first: 5, last: 7)
            XCTAssertEqual(level2.quantity.pointer.baseAddress, kept)
            XCTAssertEqual(terms(level2, items: 2), [[[0, 10]], [[3, 6], [1, 11]]])
            XCTAssertEqual(terms(level0, items: 2), [[[2, 2]], [[0, 1], [1, 3]]])
        }
    }

    /// Orders are the run's largest array (70 M at 4M items in day buckets): 24 bytes each,
    /// the item, both buckets, the kind and the past-due flag packed in one word, each read
    /// back unchanged at the edges of its range and kept when another is set.
    func testPlannedOrderPacksIntoTwentyFourBytes() {
        XCTAssertEqual(MemoryLayout<PlannedOrder>.stride, 24)
        for kind in ItemType.allCases {
            for pastDue in [false, true] {
                for (item, due) in [(0, 0), (7, 1), ((1 << 27) - 1, 259), (123_456, (1 << 13) - 1)] {
                    let release = max(0, due - 3)
                    var order = PlannedOrder(item: item, kind: kind, quantity: 2.5, receiptQuantity: 2, releaseBucket: release,
                                             dueBucket: due, pastDue: pastDue)
                    XCTAssertEqual([order.item, order.releaseBucket, order.dueBucket], [item, release, due])
                    XCTAssertEqual(order.kind, kind)
                    XCTAssertEqual(order.pastDue, pastDue)
                    XCTAssertEqual([order.quantity, order.receiptQuantity], [2.5, 2])
                    order.dueBucket = 5
                    XCTAssertEqual([order.item, order.releaseBucket, order.dueBucket], [item, release, 5])
                    XCTAssertEqual(order.kind, kind, "setting the due bucket keeps the kind")
                    XCTAssertEqual(order.pastDue, pastDue)
                    order.pastDue.toggle()
                    order.releaseBucket = (1 << 13) - 1
                    XCTAssertEqual([order.item, order.releaseBucket, order.dueBucket], [item, (1 << 13) - 1, 5])
                    XCTAssertEqual(order.pastDue, !pastDue)
                    XCTAssertEqual(order.kind, kind)
                }
            }
        }
    }

    /// `no_source`: a bought item MRP orders with no offer and no unit_cost, in a model that
    /// names suppliers; one row per item (first order date, all its orders). A part with a
    /// unit_cost, or a model without suppliers.csv, gets none.
    func testABoughtItemNobodyCanBeAskedForIsAnException() throws {
        var files = [
            "plan.yaml": planYAML(weeks: 6),
            "items.csv": "item,type,lead_time_days,unit_cost\nTOP,make,0,0\nSOURCED,buy,5,0\nPRICED,buy,5,4\nORPHAN,buy,10,0\n",
            "bom.csv": "parent,component,qty_per\nTOP,SOURCED,1\nTOP,PRICED,1\nTOP,ORPHAN,2\n",
            "demand.csv": "item,date,quantity\nTOP,2027-01-25,5\nTOP,2027-02-08,7\n",
            "suppliers.csv": "supplier,item,lead_time_days,unit_price\nACME,SOURCED,5,3\n",
        ]
        let result = Planner.run(try TempModel(files).load())
        let rows = result.mrp.exceptions.filter { $0.kind == .noSource }
        XCTAssertEqual(rows.map { result.model.items.names[$0.item] }, ["ORPHAN"])
        XCTAssertEqual(rows.first?.quantity, 24)
        XCTAssertEqual(rows.first?.date, Day(iso: "2027-01-11"))
        XCTAssertEqual(rows.first?.message, "bought item with no supplier in suppliers.csv and no unit_cost: 24 to order from 2027-01-11 on; name a supplier and its price")
        files["suppliers.csv"] = nil
        XCTAssertTrue(Planner.run(try TempModel(files).load()).mrp.exceptions.allSatisfy { $0.kind != .noSource })
    }

    /// `frozen_weeks`: no new order due inside the fence, one `inside_fence` row per item,
    /// the shortfall covered at the fence (day buckets: 5 per week); a fence over the whole
    /// horizon plans nothing; a fence beyond 520 weeks is refused with its line.
    func testThePlanningTimeFence() throws {
        func run(_ fence: Int, bucket: String = "week") throws -> PlanResult {
            Planner.run(try TempModel([
                "plan.yaml": planYAML(weeks: 4, bucket: bucket, extra: "frozen_weeks: \(fence)\n"),
                "items.csv": "item,type,lead_time_days\nP,buy,0\n",
                "demand.csv": "item,date,quantity\nP,2027-01-04,3\nP,2027-01-12,4\nP,2027-01-25,5\n",
            ]).load())
        }
        let weeks = try run(2)
        XCTAssertEqual(weeks.mrp.orders.map { [$0.dueBucket, Int($0.quantity)] }, [[2, 7], [3, 5]])
        let fenced = weeks.mrp.exceptions.filter { $0.kind == .insideFence }
        XCTAssertEqual(fenced.map { [$0.date.description, NumberFormat.quantity($0.quantity)] }, [["2027-01-04", "7"]])
        let days = try run(1, bucket: "day")
        XCTAssertEqual(days.mrp.orders.map { days.mrp.calendar.bucketStart[$0.dueBucket].description }, ["2027-01-11", "2027-01-12", "2027-01-25"],
                       "the 3 of 01-04 wait for 01-11, the first day after the fence")
        XCTAssertTrue(try run(4).mrp.orders.isEmpty)
        XCTAssertTrue(try run(0).mrp.exceptions.allSatisfy { $0.kind != .insideFence })
        let refused = try TempModel(["plan.yaml": planYAML(weeks: 4, extra: "frozen_weeks: 600\n"), "items.csv": "item,type\nP,buy\n"]).errors()
        XCTAssertEqual(refused, ["plan.yaml:6: frozen_weeks must be at most 520, got 600"])
    }
}

/// The MRP's runs put together on all cores (`MRPEngine.joinOrders`): the same orders in
/// run order as one core appending them, every run dropped.
final class JoinOrdersTests: XCTestCase {
    func testRunsJoinInOrderOnEveryCoreAndAreDropped() {
        var serial: [PlannedOrder] = []
        var runs: [(orders: ChunkedArray<PlannedOrder>, exceptions: [MRPException])] = (0..<300).map { r in
            // Some runs empty, some large, so that the pieces cut inside long stretches;
            // some a whole number of chunks (of 10 orders), the others with a last one part full.
            let count = r % 7 == 0 ? 0 : (r % 50 == 0 ? 5_000 + r : (r % 3 == 0 ? 10 * (r % 6) : r % 60 + 1))
            let orders = (0..<count).map { k in
                PlannedOrder(item: r, kind: .buy, quantity: Double(k), receiptQuantity: Double(k) + 0.5,
                             releaseBucket: k % 13, dueBucket: k % 13 + 1, pastDue: k % 3 == 0)
            }
            serial.append(contentsOf: orders)
            return (ChunkedArray(orders, chunkBytes: 10 * MemoryLayout<PlannedOrder>.stride), [])
        }
        XCTAssertTrue(runs.contains { $0.orders.chunks.count > 100 })
        XCTAssertTrue(runs.contains { $0.orders.count > 0 && $0.orders.count % 10 == 0 }, "a run whose last chunk is full")
        XCTAssertGreaterThan(serial.count, 10_000)
        var serialRuns = runs
        XCTAssertEqual(MRPEngine.joinOrders(&runs, workers: CoreWorkers()), serial)
        XCTAssertTrue(runs.allSatisfy { $0.orders.isEmpty }, "every run dropped once copied")
        XCTAssertEqual(MRPEngine.joinOrders(&serialRuns, workers: SerialWorkers()), serial)
        var none: [(orders: ChunkedArray<PlannedOrder>, exceptions: [MRPException])] = []
        XCTAssertEqual(MRPEngine.joinOrders(&none, workers: CoreWorkers()), [])
    }
}

/// Elements appended in bounded chunks (`ChunkedArray`): every element once, in order, the
/// chunks full but the last, none empty and none above the size asked.
final class ChunkedArrayTests: XCTestCase {
    func testChunksHoldEveryElementInOrderAndNoneGrowsPastItsSize() {
        for (count, perChunk) in [(0, 4), (1, 4), (4, 4), (5, 4), (1000, 7), (3, 1)] {
            let chunked = ChunkedArray(0..<count, chunkBytes: perChunk * MemoryLayout<Int>.stride)
            XCTAssertEqual(chunked.count, count)
            XCTAssertEqual(chunked.isEmpty, count == 0)
            XCTAssertEqual(chunked.joined, Array(0..<count))
            let chunks = chunked.chunks
            XCTAssertEqual(chunks.count, (count + perChunk - 1) / perChunk, "\(count) in chunks of \(perChunk)")
            XCTAssertEqual(chunks.flatMap { $0 }, Array(0..<count), "the chunks, in order, are the elements")
            XCTAssertTrue(chunks.allSatisfy { !$0.isEmpty && $0.count <= perChunk })
            XCTAssertTrue(chunks.dropLast().allSatisfy { $0.count == perChunk }, "only the last chunk is part full")
            var seen: [Int] = []
            chunked.forEachChunk { seen.append(contentsOf: $0) }
            XCTAssertEqual(seen, Array(0..<count))
        }
    }
}
