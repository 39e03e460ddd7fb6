import XCTest
@testable import TaktCore

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
}
