import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun

/// `takt simulate` (contract §2e) against what can be worked out by hand.
final class SimulationTests: XCTestCase {
    /// P (made in 0 days) needs one of each buy part a week for its two-week phase; each
    /// part's order is due in the week it is needed, so any lateness of a part makes a P
    /// late and the gate (2027-01-18) slip: P(on time) is the product of the suppliers'
    /// on-time shares.
    func model(parts: [(name: String, onTime: Double)]) throws -> PlanningModel {
        var items = "item,type,lead_time_days\nP,make,0\n"
        var bom = "parent,component,qty_per\n"
        var offers = "supplier,item,lead_time_days,on_time_pct,contracted\n"
        for (k, part) in parts.enumerated() {
            items += "\(part.name),buy,5\n"
            bom += "P,\(part.name),1\n"
            offers += "S\(k),\(part.name),5,\(part.onTime),true\n"
        }
        return try TempModel([
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Build, weeks: 2, capacity_pct: 100, gate: G}\n",
                                  extra: "simulation: {late_weeks: [1, 2]}\n"),
            "items.csv": items, "bom.csv": bom, "suppliers.csv": offers,
            "inventory.csv": "item,on_hand\n" + parts.map { "\($0.name),10\n" }.joined(),
        ]).load()
    }

    func testOneSupplierAtEightyPercentIsOnTimeEightyPercentOfTheTime() throws {
        let tally = Simulator.run(try model(parts: [("A", 80)]), samples: Array(1...2000), seed: 11)
        let p = Double(tally.gates[0].onTime) / 2000
        // Within 3 sigma of 0.8: sigma = sqrt(0.8 × 0.2 / 2000) = 0.0089.
        XCTAssertEqual(p, 0.8, accuracy: 3 * (0.8 * 0.2 / 2000).squareRoot())
        // Every late sample is A's doing, at its supplier.
        XCTAssertEqual(tally.gates[0].causes.keys.sorted(), ["A"])
        XCTAssertEqual(tally.gates[0].causes["A"]?.supplier, "S0")
        XCTAssertEqual(tally.gates[0].causes["A"]!.samples + tally.gates[0].onTime, 2000)
        // 1 or 2 weeks late: the forecast is the gate's date, a week or two weeks later.
        XCTAssertEqual(Set(tally.gates[0].forecasts.keys), Set([0, 7, 14].map { Day(iso: "2027-01-18")!.number + $0 }))
    }

    func testTwoIndependentSuppliersMultiply() throws {
        let tally = Simulator.run(try model(parts: [("A", 80), ("B", 90)]), samples: Array(1...2000), seed: 5)
        let p = Double(tally.gates[0].onTime) / 2000
        XCTAssertEqual(p, 0.72, accuracy: 3 * (0.72 * 0.28 / 2000).squareRoot())
    }

    /// A supplier always on time: every sample on time, nobody to blame.
    func testASupplierAlwaysOnTimeGivesCertainty() throws {
        let tally = Simulator.run(try model(parts: [("A", 100)]), samples: Array(1...200), seed: 3)
        XCTAssertEqual(tally.gates[0].onTime, 200)
        XCTAssertTrue(tally.gates[0].causes.isEmpty)
        let csv = String(decoding: SimulationFiles.criticality(tally), as: UTF8.self)
        XCTAssertEqual(csv, "gate,item,supplier,share\n")
        let simulation = String(decoding: SimulationFiles.simulation(tally), as: UTF8.self)
        XCTAssertEqual(simulation, "gate,phase,date,samples,p_on_time,p50_date,p90_date,p_open\nG,Build,2027-01-18,200,1,2027-01-18,2027-01-18,0\n")
    }

    /// The same seed gives the same tally on one core and on every core, and shards add up
    /// to the whole run; another seed gives another tally.
    func testSeedsShardsAndCoresDoNotChangeTheCounts() throws {
        let model = try model(parts: [("A", 70), ("B", 85)])
        let whole = Simulator.run(model, samples: Array(1...300), seed: 9)
        var merged = Simulator.run(model, samples: Simulator.samples(300, shard: (1, 3)), seed: 9)
        for shard in 2...3 { merged.add(Simulator.run(model, samples: Simulator.samples(300, shard: (shard, 3)), seed: 9)) }
        XCTAssertEqual(merged, whole)
        XCTAssertEqual(SimulationFiles.simulation(merged), SimulationFiles.simulation(whole))
        XCTAssertEqual(SimulationFiles.criticality(merged), SimulationFiles.criticality(whole))
        // The tally survives summary.json (what `takt simulate merge` reads).
        let inputs = SimulationFiles.Inputs(model)
        XCTAssertEqual(inputs.digests.keys.sorted(), model.inputDigests.keys.sorted())
        let run = SimulationFiles.Run(seed: 9, samples: 300, shard: nil, lateWeeks: 1...2, inputs: inputs)
        let read = SimulationFiles.readShard(SimulationFiles.summary(whole, run: run))
        XCTAssertEqual(read?.tally, whole)
        XCTAssertEqual(read?.inputs, inputs)
        XCTAssertTrue(whole.isConsistent)
        var edited = whole
        edited.gates[0].open += 1
        XCTAssertFalse(edited.isConsistent, "a gate's forecasts no longer add up to the samples")
        XCTAssertNotEqual(Simulator.run(model, samples: Array(1...300), seed: 10), whole)
        XCTAssertEqual(Array(Simulator.samples(10, shard: (2, 4))), [2, 6, 10])
        XCTAssertEqual(Array(Simulator.samples(9, shard: (3, 3))), [3, 6, 9])
        XCTAssertEqual(Simulator.samples(2, shard: (3, 3)).count, 0)
        // A billion samples cost no memory to number: the numbers are worked out on demand.
        let many = Simulator.samples(1_000_000_000, shard: (2, 4))
        XCTAssertEqual(many.count, 250_000_000)
        XCTAssertEqual(many.last, 999_999_998)
    }

    /// One sample drawn twice is the same sample; a draw is independent of the others'
    /// order (counter-based), and an offer at 0 % is always late.
    func testDrawsAreKeyedBySampleAndSupply() throws {
        let model = try model(parts: [("A", 0)])
        let material = Planner.material(model, keepLP: false)
        let (schedule, mrp) = (material.schedule, material.mrp)
        let plan = ProjectionPlan(model: model, mrp: mrp, mps: schedule)
        let draws = LatenessDraws(plan: plan, seed: 1)
        var first = draws.noDelays(), again = draws.noDelays()
        draws.delays(sample: 7, into: &first)
        draws.delays(sample: 7, into: &again)
        XCTAssertEqual(first.order, again.order)
        let buy = mrp.orders.indices.filter { mrp.orders[$0].kind == .buy }
        XCTAssertFalse(buy.isEmpty)
        for o in buy { XCTAssertTrue([1, 2].contains(first.order[o]), "1 or 2 weeks late, always") }
    }
}
