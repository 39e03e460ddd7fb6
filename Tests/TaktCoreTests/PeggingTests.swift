import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §4 `pegging.csv`: planned receipts tied to end-item requirements, FIFO.
final class PeggingTests: XCTestCase {
    func testMultiLevelFIFOPegging() throws {
        // P ramp 10/week for 3 weeks plus SO-7 of 5 in week 1; C (2 per P, foq 50, L 0).
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 3, capacity_pct: 100}\n"),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size\nP,make,0,lfl,0\nC,buy,0,foq,50\n",
            "bom.csv": "parent,component,qty_per\nP,C,2\n",
            "demand.csv": "item,date,quantity,reference\nP,2027-01-11,5,SO-7\n",
            "inventory.csv": "item,on_hand\nP,4\n",
        ]).load()
        let result = Planner.run(model)
        let names = model.items.names
        let pegging = Pegging.run(model: model, mrp: result.mrp)
        let rows = pegging.rows.map { "\(names[$0.item]) \($0.dueBucket) \(NumberFormat.quantity($0.quantity)) \(names[$0.endItem]) \($0.endBucket) \(pegging.sources[$0.source])" }
        // P: on hand 4 covers 4 of week 0's ramp; orders 6 (w0), 15 (w1), 10 (w2).
        // C: orders 50 in w0 (covers 12 + 30 + 8 of 20), then w2 needs 20 more → 50.
        XCTAssertEqual(rows, [
            "P 0 6 P 0 ramp",
            "P 1 10 P 1 ramp",
            "P 1 5 P 1 SO-7",
            "P 2 10 P 2 ramp",
            "C 0 12 P 0 ramp",
            "C 0 20 P 1 ramp",
            "C 0 10 P 1 SO-7",
            "C 0 8 P 2 ramp",
            "C 2 12 P 2 ramp",
        ])
    }

    /// An item with no requirement of its own (Q, ordered only to build its safety stock)
    /// still draws on its components: C's FIFO serves Q's 5 units in week 0 beside P's
    /// ramp, so each week's receipt of C serves that week's ramp (a walk that skipped Q
    /// would peg 5 of week 0's receipt to week 1's ramp, and so on).
    func testAnOrderForSafetyStockTakesItsShareOfTheComponentsFIFO() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 3, capacity_pct: 100}\n"),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size,safety_stock\nP,make,0,lfl,0,0\nQ,make,0,lfl,0,5\nC,buy,0,lfl,0,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\nQ,C,1\n",
        ]).load()
        let result = Planner.run(model)
        let names = model.items.names
        XCTAssertEqual(result.mrp.orders(of: "C", in: model).map(\.quantity), [15, 10, 10])
        let pegging = Pegging.run(model: model, mrp: result.mrp)
        let rows = pegging.rows.map { "\(names[$0.item]) \($0.dueBucket) \(NumberFormat.quantity($0.quantity)) \(names[$0.endItem]) \($0.endBucket)" }
        XCTAssertEqual(rows, ["P 0 10 P 0", "P 1 10 P 1", "P 2 10 P 2", "C 0 10 P 0", "C 1 10 P 1", "C 2 10 P 2"])
    }

    /// `pegging.csv` (rows assembled 16 bytes a field at a time) equals the rows of
    /// `Pegging.run` sorted and written field by field, with names longer than 16 and 32
    /// bytes, a quoted name, and a demand reference.
    func testPeggingFileEqualsTheRowsWrittenFieldByField() throws {
        let long = "SUBASSEMBLY-WITH-A-VERY-LONG-NAME-40-CHARS"
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: \"P, rev A\", full_rate_per_week: 10}\n",
                                  phases: "  - {name: Run, weeks: 4, capacity_pct: [50, 100]}\n"),
            "items.csv": "item,type,lead_time_days,lot_rule,lot_size\n\"P, rev A\",make,0,lfl,0\n\(long),make,5,foq,35\nMID-NAME-17-BYTES,buy,0,lfl,0\nC,buy,0,poq,2\n",
            "bom.csv": "parent,component,qty_per\n\"P, rev A\",\(long),1\n\"P, rev A\",MID-NAME-17-BYTES,3\n\(long),C,2.5\n",
            "demand.csv": "item,date,quantity,reference\n\(long),2027-01-18,4,\"SO \"\"7\"\"\"\n",
        ]).load()
        let result = Planner.run(model)
        let file = String(decoding: PlanOutputs.files(result, pegging: true)["pegging.csv"]!, as: UTF8.self)
        let pegging = Pegging.run(model: model, mrp: result.mrp)
        let names = model.items.names
        var expected = CSVWriter(header: ["item", "due_date", "quantity", "end_item", "end_date", "source"])
        var rows = pegging.rows
        var k = 0
        while k < rows.count {
            var end = k
            while end < rows.count, rows[end].item == rows[k].item { end += 1 }
            rows[k..<end].sort {
                ($0.dueBucket, $0.endBucket, names[$0.endItem], pegging.sources[$0.source])
                    < ($1.dueBucket, $1.endBucket, names[$1.endItem], pegging.sources[$1.source])
            }
            var r = k
            while r < end {
                var quantity = rows[r].quantity
                var next = r + 1
                while next < end, rows[next].dueBucket == rows[r].dueBucket, rows[next].endBucket == rows[r].endBucket,
                      rows[next].endItem == rows[r].endItem, rows[next].source == rows[r].source {
                    quantity += rows[next].quantity
                    next += 1
                }
                expected.field(names[rows[r].item])
                expected.field(result.mrp.calendar.bucketStart[rows[r].dueBucket])
                expected.field(quantity)
                expected.field(names[rows[r].endItem])
                expected.field(result.mrp.calendar.bucketStart[rows[r].endBucket])
                expected.field(pegging.sources[rows[r].source])
                expected.endRow()
                r = next
            }
            k = end
        }
        XCTAssertEqual(file, String(decoding: expected.bytes, as: UTF8.self))
        XCTAssertTrue(file.contains("\n\(long),") && file.contains(",\"P, rev A\",") && file.contains(",\"SO \"\"7\"\"\"\n"), file)
    }
    /// A ramp of fractions against a master schedule written to 6 decimals (5.714286 for
    /// 40/7): what a planned receipt has left, or a requirement still needs, within that
    /// rounding is no match of its own — no row of 0 for the next week, and the component
    /// rows stay whole (18 and 7, not 17.999999 and 7.000001).
    func testRoundingLeftoversMakeNoRowsOfTheirOwn() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: KIT, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Ramp, weeks: 8, capacity_pct: [50, 100]}\n", fractional: false),
            "items.csv": "item,type,lead_time_days\nKIT,make,0\nSUB,make,5\nPART,buy,5\n",
            "bom.csv": "parent,component,qty_per\nKIT,SUB,1\nSUB,PART,3\n",
        ]).load()
        let result = Planner.run(model)
        let rows = Pegging.run(model: model, mrp: result.mrp).rows
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            XCTAssertGreaterThanOrEqual(row.quantity, 5e-7, "a row the file would show as 0: \(row)")
            if model.items.names[row.item] != "KIT" {
                // SUB and PART orders are whole; what they serve of a week's fractions sums
                // per week to whole units within rounding, and no row is a whole number off
                // by a millionth.
                let off = abs(row.quantity - row.quantity.rounded())
                XCTAssertTrue(off < 1e-9 || off > 1e-4, "\(model.items.names[row.item]) \(row.quantity)")
            }
        }
    }

    /// The walk holds what each item passes down once and lets its components pull their
    /// shares when their turn comes; the rows must equal those of pushing each share to
    /// every component line by line as it is made (`pushedRows`, the plain reading of
    /// §4): same quantities to the last bit (equal keys summed in the same order). On a
    /// stress model in day buckets with phantoms, BOM lines that end, components shared
    /// across levels (a parent's shares held until its deepest component is pegged) and
    /// lot excess passed down untagged; with shares held in one word of key or two.
    func testPullingSharesGivesTheRowsOfPushingThemLineByLine() throws {
        let folder = scratchPath("takt-pegging-pull")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var files = ModelGenerator(itemCount: 1500, seed: 11, shape: .stress).files()
        let plan = String(decoding: files["plan.yaml"]!, as: UTF8.self)
        files["plan.yaml"] = Array(plan.replacingOccurrences(of: "bucket: week\n", with: "bucket: day\n").utf8)
        try OutputFolder.write(files, to: folder)
        let model = try ModelLoader.load(folder: folder)
        XCTAssertTrue(model.items.type.contains(.phantom))
        XCTAssertTrue(model.bom.effectiveTo.contains { $0 != Int.max }, "some BOM lines end")
        let bom = model.bom, code = model.lowLevelCode
        XCTAssertTrue((0..<bom.count).contains { code[bom.component[$0]] > code[bom.parent[$0]] + 1 },
                      "a component more than one level below a parent")
        let mrp = Planner.run(model).mrp
        let pushed = pushedRows(model: model, mrp: mrp)
        XCTAssertGreaterThan(pushed.count, 50_000)
        // Shares held in 12 bytes (this model's keys fit one word) and in 16.
        for compact in [true, false] {
            let pulled = Pegging.run(model: model, mrp: mrp, compactShares: compact).rows
            XCTAssertEqual(pulled.count, pushed.count, "compact \(compact)")
            if let k = pulled.indices.first(where: { pulled[$0] != pushed[$0] }) {
                XCTFail("compact \(compact), row \(k): \(pulled[k]) pulled, \(pushed[k]) pushed")
            }
        }
    }

    /// Pegging as §4 reads: every share of a make order (or a phantom's pass-through) is
    /// appended to each effective component line's requirements when it is pegged.
    private func pushedRows(model: PlanningModel, mrp: MRPResult) -> [PegRow] {
        let items = model.items, bom = model.bom
        let requirements = Pegging.Requirements(mrp)
        var fragments = [[Pegging.Fragment]](repeating: [], count: items.count)
        for (k, requirement) in mrp.independent.enumerated() {
            fragments[requirement.item].append(.init(key: UInt64(requirement.bucket) << 40 | UInt64(requirements.ofIndependent[k]),
                                                     quantity: requirement.quantity))
        }
        func pass(_ quantity: Double, from parent: Int, at bucket: Int, _ requirement: UInt64) {
            for k in bom.parentRange(parent) where bom.isEffective(bom.byParent[k], on: mrp.calendar.bucketStart[bucket].number) {
                let line = bom.byParent[k]
                fragments[bom.component[line]].append(.init(key: UInt64(bucket) << 40 | requirement,
                                                            quantity: quantity * bom.extendedQty(line)))
            }
        }
        let ranges = mrp.orderRanges()
        var rows: [PegRow] = []
        for item in model.planningOrder {
            var demand = fragments[item]
            fragments[item] = []
            Pegging.merge(&demand)
            // (bucket, quantity, order or -1, pass-through), open receipts first in a bucket.
            var supplies: [(bucket: Int, quantity: Double, order: Int, through: Bool)] = []
            if items.onHand[item] > 0 { supplies.append((-1, items.onHand[item], -1, false)) }
            for (k, receipt) in model.receipts.enumerated() where receipt.item == item {
                if let bucket = mrp.receiptBucket(k) { supplies.append((bucket, receipt.quantity, -1, false)) }
            }
            for t in 0..<mrp.bucketCount where items.type[item] == .phantom && mrp.passThrough(item, t) > 0 {
                supplies.append((t, mrp.passThrough(item, t), -1, true))
            }
            for k in ranges[item] where items.type[item] != .phantom {
                supplies.append((mrp.orders[k].dueBucket, mrp.orders[k].receiptQuantity, k, false))
            }
            supplies = supplies.enumerated().sorted { ($0.element.bucket, $0.offset) < ($1.element.bucket, $1.offset) }.map(\.element)
            var itemRows: [PegRow] = []
            var s = 0
            var left = supplies.first?.quantity ?? 0
            /// Takes `quantity` from the supplies for `requirement`, passing shares down.
            func take(_ quantity: Double, _ requirement: UInt64) {
                var need = quantity
                while need > LotPolicy.tolerance && s < supplies.count {
                    // A supply's rest within rounding goes with this match; a requirement's
                    // rest within rounding is met; a share the file would show as 0 has no row.
                    var taken = min(need, left)
                    if left - taken <= min(1e-6 * max(1, left), 1e-3) { taken = left }
                    let supply = supplies[s]
                    if taken > 0 && supply.order >= 0 {
                        let order = mrp.orders[supply.order]
                        if requirement != Pegging.Fragment.untagged && taken >= 5e-7 {
                            let r = Int(requirement)
                            itemRows.append(PegRow(item: item, dueBucket: order.dueBucket, quantity: taken,
                                                   endItem: Int(requirements.endItem[r]), endBucket: Int(requirements.endBucket[r]),
                                                   source: Int(requirements.source[r])))
                        }
                        if order.kind == .make { pass(taken * (order.quantity / order.receiptQuantity), from: item, at: order.releaseBucket, requirement) }
                    } else if taken > 0 && supply.through {
                        pass(taken, from: item, at: supply.bucket, requirement)
                    }
                    need = need - taken <= min(1e-6 * max(1, need), 1e-3) ? 0 : need - taken
                    left -= taken
                    if left <= LotPolicy.tolerance {
                        s += 1
                        left = s < supplies.count ? supplies[s].quantity : 0
                    }
                }
            }
            for fragment in demand { take(fragment.quantity, fragment.requirement) }
            // What no requirement takes still drives the components, untagged.
            while s < supplies.count {
                let supply = supplies[s]
                if left > LotPolicy.tolerance, supply.order >= 0, mrp.orders[supply.order].kind == .make {
                    let order = mrp.orders[supply.order]
                    pass(left * order.quantity / order.receiptQuantity, from: item, at: order.releaseBucket, Pegging.Fragment.untagged)
                } else if left > LotPolicy.tolerance && supply.through {
                    pass(left, from: item, at: supply.bucket, Pegging.Fragment.untagged)
                }
                s += 1
                left = s < supplies.count ? supplies[s].quantity : 0
            }
            rows += itemRows
        }
        return rows
    }
}
