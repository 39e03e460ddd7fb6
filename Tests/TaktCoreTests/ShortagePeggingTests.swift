import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2c `shortage` impact: whom a shortage hits, pegged only as far in time as the
/// shortages need (`ShortagePegging.horizons`).
final class ShortagePeggingTests: XCTestCase {
    /// P (ramp 10 a week, lead 0) takes 2 C a unit; C is bought with a 15-day lead time
    /// (3 weeks), so its orders due in weeks 0–2 are past due.
    private func model(cLot: String) throws -> PlanningModel {
        try TempModel([
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 8, capacity_pct: 100}\n"),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size\nP,make,0,lfl,0\nC,buy,15,\(cLot)\nD,buy,0,lfl,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,2\nP,D,1\n",
        ]).load()
    }

    private func horizons(_ model: PlanningModel, _ mrp: MRPResult) -> Pegging.Horizon {
        let wanted = ShortagePegging.shortages(mrp)
        let mark = model.bom.ancestors(of: wanted.keys, itemCount: model.items.count)
        return ShortagePegging.horizons(model: model, mrp: mrp, mark: mark,
                                        shortBucket: ShortagePegging.latestShortage(wanted, itemCount: model.items.count))
    }

    /// Lot for lot: C's supply due through its last shortage (week 2) is 3 × 20 = 60, which
    /// its requirements pass in week 3 (80); P must then peg its orders released by week 3
    /// (due by week 3, lead 0): 40 units, which its ramp passes in week 4. D is not short
    /// and has no short descendant: not pegged.
    func testAHorizonReachesTheFirstRequirementsThatUseUpTheSupply() throws {
        let model = try model(cLot: "lfl,0")
        let mrp = Planner.run(model).mrp
        let (p, c, d) = (model.items.id("P")!, model.items.id("C")!, model.items.id("D")!)
        let horizon = horizons(model, mrp)
        XCTAssertEqual([horizon.through[c], horizon.requirementsThrough[c]], [2, 3])
        XCTAssertEqual([horizon.through[p], horizon.requirementsThrough[p]], [3, 4])
        XCTAssertEqual([horizon.through[d], horizon.requirementsThrough[d]], [-1, -1])
        let hits = try XCTUnwrap(ShortagePegging.hits(model: model, mrp: mrp, limited: true))
        let weeks = hits.keys.sorted().map { hits[$0]!.first.map { "\($0.endBucket) \(NumberFormat.quantity($0.quantity))" } }
        XCTAssertEqual(weeks, [["0 20"], ["1 20"], ["2 20"]])
    }

    /// A fixed order of 100 due in week 0 (past due) serves weeks 0–4 (20 a week) first in,
    /// first out: C must take its requirements through week 5, the first that passes 100;
    /// P then pegs its orders released by week 5, which its ramp passes in week 6.
    func testALotServingLaterWeeksStretchesTheHorizon() throws {
        let model = try model(cLot: "foq,100")
        let mrp = Planner.run(model).mrp
        let (p, c) = (model.items.id("P")!, model.items.id("C")!)
        let horizon = horizons(model, mrp)
        XCTAssertEqual([horizon.through[c], horizon.requirementsThrough[c]], [0, 5])
        XCTAssertEqual([horizon.through[p], horizon.requirementsThrough[p]], [5, 6])
        let hits = try XCTUnwrap(ShortagePegging.hits(model: model, mrp: mrp, limited: true))
        XCTAssertEqual(hits, try XCTUnwrap(ShortagePegging.hits(model: model, mrp: mrp, limited: false)))
    }

    /// On generated models of both shapes, in week and day buckets, the limited walk holds
    /// (no horizon found too short), gives every shortage the same hits as pegging the
    /// short items' ancestors in full, and pegs most items only part of the horizon (and
    /// some ancestors not at all).
    func testLimitedPeggingGivesTheHitsOfTheWholeWalk() throws {
        var skipped = 0
        for (seed, shape, bucket) in [(3, ModelGenerator.Shape.stress, "week"), (4, .stress, "day"),
                                      (5, .realistic, "week"), (6, .realistic, "day")] {
            var files = ModelGenerator(itemCount: shape == .stress ? 2000 : 4000, seed: UInt64(seed), shape: shape).files()
            files["plan.yaml"] = Array(String(decoding: files["plan.yaml"]!, as: UTF8.self)
                .replacingOccurrences(of: "bucket: week", with: "bucket: \(bucket)").utf8)
            let folder = scratchPath("takt-shortage-pegging")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try OutputFolder.write(files, to: folder)
            let model = try ModelLoader.load(folder: folder)
            let mrp = Planner.run(model).mrp
            let label = "\(shape) seed \(seed), \(bucket) buckets"
            let whole = try XCTUnwrap(ShortagePegging.hits(model: model, mrp: mrp, limited: false))
            let limited = try XCTUnwrap(ShortagePegging.hits(model: model, mrp: mrp, limited: true), label)
            XCTAssertFalse(whole.isEmpty, label)
            XCTAssertGreaterThan(whole.values.reduce(0) { $0 + $1.count }, whole.count, label)
            XCTAssertEqual(limited, whole, label)

            let wanted = ShortagePegging.shortages(mrp)
            let mark = model.bom.ancestors(of: wanted.keys, itemCount: model.items.count)
            let horizon = horizons(model, mrp)
            let marked = mark.indices.filter { mark[$0] }
            let cut = marked.filter { horizon.requirementsThrough[$0] >= 0 && Int(horizon.requirementsThrough[$0]) < mrp.bucketCount - 1 }
            XCTAssertGreaterThan(cut.count, marked.count / 2, label)
            skipped += marked.filter { horizon.through[$0] < 0 }.count
        }
        XCTAssertGreaterThan(skipped, 0)
    }

    /// A hit is 16 bytes (25 M of them at 1M items in day buckets); its packed fields read
    /// back at the edges of their ranges.
    func testHitPacksItsRequirementIntoSixteenBytes() {
        XCTAssertEqual(MemoryLayout<ShortagePegging.Hit>.stride, 16)
        for (item, bucket, source) in [(0, 0, 0), ((1 << 27) - 1, 2599, (1 << 24) - 1), (12345, (1 << 13) - 1, 1), (1, 1, 0)] {
            let hit = ShortagePegging.Hit(endItem: item, endBucket: bucket, source: source, quantity: 4.25)
            XCTAssertEqual(hit.endItem, item)
            XCTAssertEqual(hit.endBucket, bucket)
            XCTAssertEqual(hit.source, source)
            XCTAssertEqual(hit.quantity, 4.25)
        }
    }

    /// A shortage keeps its first five hits, their count, and its units per end item and
    /// KPI cell summed in hit order (what the on-time delivery KPI divides); hits outside
    /// every cell count but miss nothing.
    func testAShortageKeepsItsFirstHitsAndItsMissesPerEndItemAndCell() {
        // Buckets 0–2 in cell 0, 3–4 in cell 1, bucket 5 outside the phases.
        let cells: ContiguousArray<Int32> = [0, 0, 0, 1, 1, -1]
        let hits = [(1, 0, 0.1), (2, 0, 4), (1, 1, 0.2), (1, 2, 0.7), (2, 3, 5), (1, 4, 1), (1, 5, 9)].map {
            ShortagePegging.Hit(endItem: $0.0, endBucket: $0.1, source: 0, quantity: $0.2)
        }
        let impact = ShortagePegging.condense(hits, cells: cells)
        XCTAssertEqual(impact.count, 7)
        XCTAssertEqual(impact.first, Array(hits.prefix(5)))
        XCTAssertEqual(impact.misses.map { "\($0.endItem)@\($0.cell)" }, ["1@0", "2@0", "2@1", "1@1"])
        XCTAssertEqual(impact.misses.map(\.quantity), [0.1 + 0.2 + 0.7, 4, 5, 1], "summed in hit order")
        XCTAssertEqual(MemoryLayout<ShortagePegging.Miss>.stride, 16)
    }
}
