import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2b: small LPs whose optimum and duals are worked out by hand.
final class CapacityLPTests: XCTestCase {
    /// One product P (1 h at W per unit), demand by week, one phase.
    func solve(demand: [Double], hoursPerDay: Double, overtime: Double = 0, overtimeCost: Double = 0,
               onHand: Double = 0, phases: String? = nil) throws -> [PhaseCapacity] {
        var rows = "item,date,quantity\n"
        for (t, q) in demand.enumerated() where q > 0 { rows += "P,\(Day(iso: "2027-01-04")!.adding(days: 7 * t)),\(q)\n" }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: demand.count, products: "  - {item: P, full_rate_per_week: 0}\n",
                                  phases: phases ?? "  - {name: Only, weeks: \(demand.count), capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\nW,\(hoursPerDay),1,\(overtime),\(overtimeCost)\n",
            "demand.csv": rows,
            "inventory.csv": "item,on_hand\nP,\(onHand)\n",
        ]).load()
        return CapacityPlanner(model: model).run()
    }

    /// Capacity 12/week, demand 14 then 6: week 1 leaves 2 in backlog (cost 100), cleared
    /// in week 2. One more hour in week 1 saves 50; week 2 does not bind.
    func testOneBindingWorkCenter() throws {
        let phase = try solve(demand: [14, 6], hoursPerDay: 12)[0]
        XCTAssertEqual(phase.status, .optimal)
        assertClose(phase.minimumFinalBacklog, 0)
        assertClose(phase.objective, 100)
        assertClose(phase.capacity.map(\.shadowPrice), [50, 0])
        assertClose(phase.capacity.map(\.loadHours), [12, 8])
        assertClose(phase.capacity.map(\.utilizationPct), [100, 100 * 8 / 12.0])
        XCTAssertFalse(phase.hasShortfall)
    }

    /// Overtime at 20/h beats backlog at 50/unit-week: 2 h of overtime, objective 40, and a
    /// regular hour is worth the overtime it saves.
    func testOvertimeThatPaysForItself() throws {
        let phase = try solve(demand: [14, 6], hoursPerDay: 12, overtime: 5, overtimeCost: 20)[0]
        assertClose(phase.objective, 40)
        assertClose(phase.capacity.map(\.overtimeHours), [2, 0])
        assertClose(phase.capacity.map(\.shadowPrice), [20, 0])
    }

    /// §4: the shadow price is how much the objective falls per extra hour, also where the
    /// optimum is degenerate and GLPK's dual could be another. P1 (backlog 2 a unit-week) and
    /// P2 (200) share W, 10 h a week plus 5 h of overtime at 3; the ramp needs P1 5, 7.5, 10
    /// and P2 10, 15, 20, so 15 a week is made, B* = 22.5 (all P1), and the final-backlog
    /// cap binds with every capacity row. P2 is never late, so an extra hour cannot save
    /// 200: it makes one more P1 earlier, 2 a week for the weeks it comes sooner — 6 in
    /// week 1 (3 weeks), and in weeks 2 and 3 also 6, by making P2 later within its stock.
    /// Objective 80 of P1 backlog + 45 of overtime. Both strategies say so.
    func testShadowPriceIsTheFallPerExtraHourAtADegenerateOptimum() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P1, full_rate_per_week: 10, backlog_per_unit_week: 2}\n"
                                    + "  - {item: P2, full_rate_per_week: 20, backlog_per_unit_week: 200}\n",
                                  phases: "  - {name: Ph0, weeks: 3, capacity_pct: [50, 100]}\n",
                                  extra: "costs: {holding_per_unit_week: 0}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP1,make,W,1\nP2,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\nW,2,5,5,3\n",
        ]).load()
        for strategy in [CapacityPlanner.Strategy.lazyRows, .wholeLP] {
            let phase = CapacityPlanner(model: model, strategy: strategy).run()[0]
            assertClose(phase.minimumFinalBacklog, 22.5)
            assertClose(phase.objective, 125)
            assertClose(phase.capacity.map(\.shadowPrice), [6, 6, 6])
        }
    }

    /// A row the lazy solve never needed may be exactly full, and one more hour elsewhere
    /// then needs it: P takes 0.5 h at W2 (10 h, no overtime) and 1 h at W1 (20 h, 5 h of
    /// overtime at 3); the ramp asks 40, backlog costs 10. 20 are made, W2 and W1 both full.
    /// One more W2 hour makes 2 more, which take 2 h of W1 overtime: 20 saved, 6 spent, 14
    /// (not the 20 of the LP without W1's row).
    func testAnExtraHourCountsTheOvertimeItCallsForAtAFullCenter() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 1, products: "  - {item: P, full_rate_per_week: 40}\n",
                                  phases: "  - {name: Ph, weeks: 1, capacity_pct: 100}\n",
                                  extra: "costs: {backlog_per_unit_week: 10}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W2,0.5\n",
            "routings.csv": "item,workcenter,run_hours\nP,W1,1\n",
            "workcenters.csv": "workcenter,hours_per_day,overtime_hours_per_week,overtime_cost_per_hour\nW1,4,5,3\nW2,2,0,0\n",
        ]).load()
        for strategy in [CapacityPlanner.Strategy.lazyRows, .wholeLP] {
            let phase = CapacityPlanner(model: model, strategy: strategy).run()[0]
            assertClose(phase.objective, 200)
            let byCenter = Dictionary(uniqueKeysWithValues: phase.capacity.map { (model.workcenters[$0.workcenter].name, $0.shadowPrice) })
            assertClose([byCenter["W1"]!, byCenter["W2"]!], [0, 14])
        }
    }

    /// With products held at just-in-time, an extra hour may be worth less to those in the
    /// LP than the whole LP says. Ph0 (3 weeks, ramp 100 → 150 %): P0 (20 a week, backlog
    /// 200, 1 h at W1, 0.5 h at W0) is short, P1 (10 a week, 1 h at W0) keeps up and starts
    /// outside the LP. W1 (10 h, no overtime) is full every week; W0 takes overtime at 40
    /// and is full in week 3. One more W1 hour makes one more P0 that needs 0.5 h of W0:
    /// in weeks 1 and 2 overtime (600 − 20, 400 − 20); in week 3 P1 makes half a unit a
    /// week earlier on week 2's overtime, held a week at 3: 200 − 20 − 1.5 = 178.5 (180
    /// with P1 held still).
    func testAHeldProductThatMustMoveForAnExtraHourCountsInItsShadowPrice() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 7, products: "  - {item: P0, full_rate_per_week: 20, backlog_per_unit_week: 200}\n"
                                    + "  - {item: P1, full_rate_per_week: 10, backlog_per_unit_week: 200}\n",
                                  phases: "  - {name: Ph0, weeks: 3, capacity_pct: [100, 150]}\n"
                                    + "  - {name: Ph1, weeks: 4, capacity_pct: 100}\n",
                                  extra: "costs: {holding_per_unit_week: 3, backlog_per_unit_week: 10}\n"),
            "items.csv": "item,type,workcenter,run_hours,on_hand\nP0,make,W1,1,5\nP1,make,W0,1,10\n",
            "routings.csv": "item,workcenter,run_hours\nP0,W0,0.5\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\n"
                + "W0,2,5,10,40\nW1,2,5,0,3\n",
        ]).load()
        for strategy in [CapacityPlanner.Strategy.lazyRows, .wholeLP] {
            let phase = CapacityPlanner(model: model, strategy: strategy).run()[0]
            let w1 = phase.capacity.filter { model.workcenters[$0.workcenter].name == "W1" }
            assertClose(w1.map(\.shadowPrice), [580, 380, 178.5])
        }
    }

    /// 40 copies of the pair above, each on its own two centers: 40 degenerate W rows in
    /// week 3, more than the 32 a large LP re-solves for. A small LP re-solves every one.
    func testASmallLPReSolvesEveryDegenerateRow() throws {
        var products = "", items = "item,type,workcenter,run_hours,on_hand\n", routings = "item,workcenter,run_hours\n"
        var centers = "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\n"
        for k in 0..<40 {
            let (a, b, u, v) = (String(format: "A%02d", k), String(format: "B%02d", k), String(format: "U%02d", k), String(format: "V%02d", k))
            products += "  - {item: \(a), full_rate_per_week: 20, backlog_per_unit_week: 200}\n"
                + "  - {item: \(b), full_rate_per_week: 10, backlog_per_unit_week: 200}\n"
            items += "\(a),make,\(v),1,5\n\(b),make,\(u),1,10\n"
            routings += "\(a),\(u),0.5\n"
            centers += "\(u),2,5,10,40\n\(v),2,5,0,3\n"
        }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 7, products: products,
                                  phases: "  - {name: Ph0, weeks: 3, capacity_pct: [100, 150]}\n  - {name: Ph1, weeks: 4, capacity_pct: 100}\n",
                                  extra: "costs: {holding_per_unit_week: 3, backlog_per_unit_week: 10}\n"),
            "items.csv": items, "routings.csv": routings, "workcenters.csv": centers,
        ]).load()
        let phase = CapacityPlanner(model: model).run()[0]
        let lastWeek = phase.capacity.filter { model.workcenters[$0.workcenter].name.hasPrefix("V") && $0.week == phase.weeks.upperBound - 1 }
        XCTAssertEqual(lastWeek.count, 40)
        assertClose(lastWeek.map(\.shadowPrice), [Double](repeating: 178.5, count: 40))
    }

    /// Step 2 caps the final backlog a sliver above `B*`; a capacity row's dual may then be
    /// the value of using up that sliver (66.67 here, for a few millionths of an hour). With
    /// the cap at `B*` itself an extra W0 hour in Ph1 saves nothing (glpsol --exact on the
    /// written LP: the fall per hour tends to 0 as the cap tends to `B*`).
    func testTheFinalBacklogsSliverGivesNoShadowPrice() throws {
        let products = [("P0", 10, ", backlog_per_unit_week: 200"), ("P1", 30, ""), ("P4", 30, ""), ("P5", 10, ""),
                        ("P7", 10, ", backlog_per_unit_week: 50"), ("P10", 30, ", backlog_per_unit_week: 1"), ("P11", 30, "")]
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 6, products: products.map { "  - {item: \($0.0), full_rate_per_week: \($0.1)\($0.2)}\n" }.joined(),
                                  phases: "  - {name: Ph0, weeks: 4, capacity_pct: 120}\n  - {name: Ph1, weeks: 1, capacity_pct: [100, 150]}\n",
                                  extra: "costs: {holding_per_unit_week: 0.5, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours,on_hand\nP0,make,W1,0.25,5\nP1,make,W3,0.5,0\nP4,make,W0,1,0\n"
                + "P5,make,W1,0.25,0\nP7,make,W1,1,10\nP10,make,W2,0.25,10\nP11,make,W1,1,5\n",
            "routings.csv": "item,workcenter,run_hours\nP0,W0,2\nP0,W3,1\nP1,W1,0.5\nP4,W2,1\nP5,W0,0.5\nP10,W3,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\n"
                + "W0,2,5,0,40\nW1,4,5,0,40\nW2,1,5,0,1\nW3,1,5,5,3\n",
        ]).load()
        for strategy in [CapacityPlanner.Strategy.lazyRows, .wholeLP] {
            let phase = CapacityPlanner(model: model, strategy: strategy).run()[1]
            let byCenter = Dictionary(uniqueKeysWithValues: phase.capacity.map { (model.workcenters[$0.workcenter].name, $0.shadowPrice) })
            assertClose(byCenter["W0"]!, 0)
            assertClose(phase.capacity.map(\.loadHours), [10, 20, 5, 10])
        }
    }

    /// Overtime at 60/h costs more than a week of backlog: none is used.
    func testOvertimeThatDoesNotPay() throws {
        let phase = try solve(demand: [14, 6], hoursPerDay: 12, overtime: 5, overtimeCost: 60)[0]
        assertClose(phase.objective, 100)
        assertClose(phase.capacity.map(\.overtimeHours), [0, 0])
    }

    /// …unless the backlog would stay at the phase's end: step 1 buys it anyway.
    func testStepOneBuysOvertimeToReachTheRamp() throws {
        let phase = try solve(demand: [0, 14], hoursPerDay: 12, overtime: 5, overtimeCost: 500)[0]
        assertClose(phase.minimumFinalBacklog, 0)
        // Cheapest: build 2 in week 1 and hold them (cost 2) instead of overtime (1000).
        assertClose(phase.objective, 2)
        let expensive = try solve(demand: [14], hoursPerDay: 12, overtime: 5, overtimeCost: 500)[0]
        assertClose(expensive.minimumFinalBacklog, 0)
        assertClose(expensive.objective, 1000)
        XCTAssertFalse(expensive.hasShortfall)
    }

    /// Step 1 on two products and two centers of 10 hours (A: 1 h of each product; B: 2 h of
    /// Q): whole needs that fit with room need no LP (no backlog, no tight center); a center
    /// loaded exactly to its limit is tight, and one beyond it leaves a backlog.
    func testStepOneTellsRoomFromATightCenter() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 1, products: "  - {item: P, full_rate_per_week: 0}\n  - {item: Q, full_rate_per_week: 0}\n"),
            "items.csv": "item,type\nP,make\nQ,make\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nA,10,1\nB,10,1\n",
        ]).load()
        let planner = CapacityPlanner(model: model)
        let perCenter: [[(product: Int, hours: Double)]] = [[(0, 1), (1, 1)], [(1, 2)]]
        func stepOne(_ p: Double, _ q: Double) -> (status: LPStatus, backlog: Double, tightCenters: [Int], totals: [Double], needs: [Double]) {
            planner.minimumFinalBacklog(weeks: 0..<1, demand: [[p], [q]], perCenter: perCenter, startInventory: [0, 0], startBacklog: [0, 0])
        }
        let room = stepOne(4, 3)
        XCTAssertEqual(room.status, .optimal)
        XCTAssertEqual(room.backlog, 0)
        XCTAssertEqual(room.tightCenters, [])
        XCTAssertEqual(room.totals, [4, 3])
        let exact = stepOne(4, 5)
        XCTAssertEqual(exact.status, .optimal)
        assertClose(exact.backlog, 0)
        XCTAssertEqual(exact.tightCenters, [1], "B is loaded to its 10 hours")
        assertClose(exact.totals, [4, 5])
        let over = stepOne(4, 6)
        assertClose(over.backlog, 1)
        XCTAssertTrue(over.tightCenters.contains(1))
        assertClose(over.totals, [4, 5])
    }

    func testBacklogThatCannotBeCleared() throws {
        let phase = try solve(demand: [10, 10], hoursPerDay: 8)[0]
        assertClose(phase.minimumFinalBacklog, 4)
        XCTAssertTrue(phase.hasShortfall)
        assertClose(phase.finalBacklog, [4])
        // Backlog 2 after week 1 and 4 after week 2: 50 × 6.
        assertClose(phase.objective, 300)
    }

    /// A phase a hair short: 40.0003 a week against 40 hours. B* is 0.0006, not 0: the
    /// work center's hours bound the product's total within 1e-3 of its need, which
    /// GLPK's presolver took for redundant (B* came out 0 and step 2 infeasible, and the
    /// phase planned nothing). The whole LP, word for word, agrees.
    func testAShortfallOfAFewTenThousandthsIsKept() throws {
        for demand in [[40.0003, 40.0003], [40.000002, 40.000002], [40.0005, 40]] {
            let phase = try solve(demand: demand, hoursPerDay: 40)[0]
            XCTAssertEqual(phase.status, .optimal, "\(demand)")
            let short = demand.reduce(0, +) - 80
            XCTAssertEqual(phase.minimumFinalBacklog, short, accuracy: 1e-9, "\(demand)")
            XCTAssertEqual(phase.hasShortfall, short > 1e-6, "\(demand)")
            assertClose(phase.capacity.map(\.loadHours), [40, 40])
            assertClose(phase.finalBacklog, [short])
        }
        let rows = "item,date,quantity\nP,2027-01-04,40.0003\nP,2027-01-11,40.0003\n"
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: "  - {item: P, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Only, weeks: 2, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nW,40,1\n",
            "demand.csv": rows,
        ]).load()
        let whole = CapacityPlanner(model: model, strategy: .wholeLP).run()[0]
        XCTAssertEqual(whole.status, .optimal)
        XCTAssertEqual(whole.minimumFinalBacklog, 0.0006, accuracy: 1e-9)
        // The plan builds what the hours allow: an order of 40 each week (§2a).
        let (plan, _) = try Planner.plan(model, writeLP: false)
        XCTAssertEqual(plan.mrp.orders.map(\.quantity), [40, 40])
        XCTAssertEqual(plan.mrp.orders.map(\.dueBucket), [0, 1])
        // What says so reads 0.0006, not 0 (rounded to one decimal it would).
        let lines = StatusReport(plan, previous: nil).capacity.shown.map(\.text)
        XCTAssertTrue(lines.contains("Only cannot reach its ramp even with all overtime: 0.0006 units behind at its end (P 0.0006)"), "\(lines)")
        XCTAssertEqual(CapacityBriefing.lines(plan).last, "Only cannot reach its ramp: 0.0006 units behind at its end even with all overtime")
    }

    /// On hand 15; phase A (1 week) needs 5 with no capacity: 10 carried into phase B, which
    /// needs 30 with 10 hours: 10 short at its end.
    func testInventoryCarriedBetweenPhasesAndZeroCapacityPhase() throws {
        let phases = "  - {name: A, weeks: 1, capacity_pct: 0}\n  - {name: B, weeks: 1, capacity_pct: 0}\n"
        let result = try solve(demand: [5, 30], hoursPerDay: 10, onHand: 15, phases: phases)
        XCTAssertEqual(result.count, 2)
        assertClose(result[0].finalInventory, [10])
        assertClose(result[0].objective, 10, "holding 10 units for a week")
        assertClose(result[1].minimumFinalBacklog, 10)
    }

    /// `h[p,w]` follows make and phantom descendants with qty_per, scrap and yield.
    func testRunHoursThroughTheBOM() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 1),
            "items.csv": "item,type,workcenter,run_hours,yield_pct\nP,make,A,1,50\nK,phantom,,0,100\nS,make,B,2,80\nBUY,buy,B,7,100\n",
            "bom.csv": "parent,component,qty_per,scrap_pct\nP,K,2,0\nK,S,1,10\nP,BUY,1,0\n",
            "routings.csv": "item,workcenter,run_hours\nP,B,0.5\n",
            "workcenters.csv": "workcenter,hours_per_day\nA,8\nB,8\n",
        ]).load()
        let p = model.items.id("P")!
        let hours = RunHours.compute(model: model, on: model.plan.start, for: [p])[0]
        // P: 2 starts per good unit (yield 50): A = 2 × 1; B = 2 × (0.5 + 2 × 1.1 × (2 / 0.8)).
        XCTAssertEqual(hours.map(\.workcenter), [0, 1])
        let a = hours[0].hours
        let b = hours[1].hours
        assertClose(a, 2)
        assertClose(b, 2 * (0.5 + 2 * 1.1 * 2.5))
    }

    /// The fast path (aggregate step 1, lazy capacity rows, just-in-time start basis, only
    /// the rationed products in the LP) against §2b solved word for word on the whole LP,
    /// on a generated model whose phases run from idle to short of capacity: same status,
    /// `B*`, objective and final backlog, every capacity row of the whole LP holds
    /// (including those never added), and every product's weeks balance, those left out of
    /// the LP included.
    func testLazyRowsMatchTheWholeLP() throws {
        let folder = scratchPath("takt-lazy")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 3000, seed: 5, products: 40, workcenters: 15, shape: .stress).files(), to: folder)
        let model = try ModelLoader.load(folder: folder)
        let fast = CapacityPlanner(model: model).run()
        let reference = CapacityPlanner(model: model, strategy: .wholeLP).run()
        XCTAssertEqual(fast.count, 5)
        XCTAssertTrue(fast.contains { $0.hasShortfall }, "the model should fall short somewhere")
        XCTAssertTrue(fast.contains { $0.capacityRowsSolved > 0 && $0.capacityRowsSolved < $0.capacity.count })
        XCTAssertTrue(fast.contains { $0.productsSolved > 0 && $0.productsSolved < model.plan.products.count })
        let flows = CapacityPlanner(model: model).weeklyFlows().netOfReceipts
        var inventory = model.plan.products.map { model.items.onHand[$0.item] }
        var backlog = [Double](repeating: 0, count: model.plan.products.count)
        for (a, b) in zip(fast, reference) {
            for p in model.plan.products.indices {
                var net = inventory[p] - backlog[p]
                for (t, week) in a.weeks.enumerated() {
                    net += a.completions[p][t] - flows[p][week]
                    assertClose(a.inventory[p][t] - a.backlog[p][t], net, "\(a.name) product \(p) week \(week)")
                    XCTAssertGreaterThanOrEqual(min(a.completions[p][t], a.inventory[p][t], a.backlog[p][t]), 0)
                }
            }
            inventory = a.finalInventory
            backlog = a.finalBacklog
            XCTAssertEqual(a.status, .optimal, a.name)
            XCTAssertEqual(b.status, .optimal, b.name)
            assertClose(a.minimumFinalBacklog, b.minimumFinalBacklog, a.name)
            assertClose(a.objective, b.objective, a.name)
            assertClose(a.finalBacklog.reduce(0, +), b.finalBacklog.reduce(0, +), a.name)
            for row in a.capacity {
                let limit = row.capacityHours + row.overtimeHours
                XCTAssertLessThanOrEqual(row.loadHours, limit + 1e-6 * max(1, limit), "\(a.name) week \(row.week) center \(row.workcenter)")
                XCTAssertGreaterThanOrEqual(row.shadowPrice, 0)
            }
        }
    }

    /// The lazy products against the whole LP on generated models of both shapes with
    /// holding and backlog costs from 0.2 to 10 and 2 to 400 a unit-week (so prebuilding,
    /// backlog and overtime trade places): same status, `B*` and objective in every phase,
    /// and no capacity row overloaded. Each model has phases solved on part of its products.
    func testLazyProductsMatchTheWholeLPAcrossCostsAndShapes() throws {
        for seed in [3, 6, 7, 14, 15, 34] {
            let shape: ModelGenerator.Shape = seed % 3 == 0 ? .stress : .realistic
            let products = [15, 30, 60, 100][seed % 4]
            var files = ModelGenerator(itemCount: [3000, 5000, 8000][seed % 3], seed: UInt64(seed), products: products,
                                       workcenters: [4, 8, 15, 30][(seed / 4) % 4], shape: shape).files()
            let holding = [0.2, 1, 3, 10][seed % 4], backlog = [2.0, 5, 50, 400][(seed / 2) % 4]
            var plan = String(decoding: files["plan.yaml"]!, as: UTF8.self)
                .replacingOccurrences(of: "holding_per_unit_week: 1.0", with: "holding_per_unit_week: \(holding)")
                .replacingOccurrences(of: "backlog_per_unit_week: 50.0", with: "backlog_per_unit_week: \(backlog)")
            // Every third product with a priority of its own (§2b), 0.1 to 20 times the rest's.
            var k = 0
            plan = plan.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("    full_rate_per_week:") else { return String(line) }
                k += 1
                return k % 3 == 0 ? line + "\n    backlog_per_unit_week: \(backlog * [0.1, 3, 20][(k / 3) % 3])" : String(line)
            }.joined(separator: "\n")
            files["plan.yaml"] = Array(plan.utf8)
            let folder = scratchPath("takt-lazy-products")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try OutputFolder.write(files, to: folder)
            let model = try ModelLoader.load(folder: folder)
            XCTAssertEqual(model.plan.costs.backlogPerUnitWeek, backlog)
            XCTAssertEqual(model.plan.backlogCost(ofProduct: 2), backlog * 3)
            let fast = CapacityPlanner(model: model).run()
            let reference = CapacityPlanner(model: model, strategy: .wholeLP).run()
            XCTAssertTrue(fast.contains { $0.productsSolved > 0 && $0.productsSolved < products }, "seed \(seed)")
            for (a, b) in zip(fast, reference) {
                let label = "seed \(seed) \(a.name)"
                XCTAssertEqual(a.status, b.status, label)
                assertClose(a.minimumFinalBacklog, b.minimumFinalBacklog, label)
                assertClose(a.objective, b.objective, label)
                for row in a.capacity {
                    let limit = row.capacityHours + row.overtimeHours
                    XCTAssertLessThanOrEqual(row.loadHours, limit + 1e-6 * max(1, limit), label)
                }
            }
        }
    }

    /// Two products share W (10 h a week, 1 h a unit, no overtime), each ramped at 10 a
    /// week for two weeks: only 10 can be made a week. With its own backlog cost of 500
    /// (against 50) A is kept whole and B carries the whole backlog (20); with the costs
    /// swapped, B is kept whole. The whole LP agrees.
    func testAProductsOwnBacklogCostKeepsItWhole() throws {
        func run(_ a: String, _ b: String) throws -> [PhaseCapacity] {
            let model = try TempModel([
                "plan.yaml": planYAML(weeks: 4, products: "  - {item: A, full_rate_per_week: 10\(a)}\n  - {item: B, full_rate_per_week: 10\(b)}\n",
                                      phases: "  - {name: Build, weeks: 2, capacity_pct: 100}\n"),
                "items.csv": "item,type,lead_time_days,workcenter,run_hours\nA,make,0,W,1\nB,make,0,W,1\n",
                "workcenters.csv": "workcenter,hours_per_day,days_per_week\nW,2,5\n",
            ]).load()
            let fast = CapacityPlanner(model: model).run()
            let whole = CapacityPlanner(model: model, strategy: .wholeLP).run()
            assertClose(fast[0].objective, whole[0].objective)
            assertClose(fast[0].finalBacklog, whole[0].finalBacklog)
            return fast
        }
        let first = try run(", backlog_per_unit_week: 500", "")
        assertClose(first[0].finalBacklog, [0, 20])
        assertClose(first[0].completions[0], [10, 10])
        let second = try run("", ", backlog_per_unit_week: 500")
        assertClose(second[0].finalBacklog, [20, 0])
    }

    /// A product left out of the LP joins when its just-in-time schedule is not optimal at
    /// the LP's duals (by hand, h = 1, b = 50, 1 h of W per unit, made every week):
    /// - an hour of W in week 2 worth 10: making week 2's unit in week 1 and holding it costs
    ///   1 instead of 10 (`I[1]`'s reduced cost `1 + 0 - 10 = -9`) — joins; worth 0.5, it
    ///   stays (holding costs more than it saves);
    /// - an hour in week 1 worth 60: making week 1's unit a week late costs 50 of backlog
    ///   (`B[1]`: `50 - 60 + 0 = -10`) — joins;
    /// - the final-backlog row priced at -60 (its `≤` row tight): a backlog left at the end
    ///   costs more, never less — stays;
    /// - with stock for week 1 (nothing made then), an hour in week 2 worth 10: making week
    ///   2's unit in week 1 (`x[1]`: `0 - (10 - 1) = -9`) — joins.
    func testALeftOutProductJoinsWhenItsDualsPayForAnotherSchedule() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Only, weeks: 3, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
        ]).load()
        let planner = CapacityPlanner(model: model)
        let layout = PhaseLayout(weeks: 3, members: [], productCount: 1, centerCount: 1)
        // Just in time holds no stock here: making every week, the basis is the only one.
        let none: (Int, Int) -> Bool = { _, _ in false }
        func joins(_ duals: [Double], finalDual: Double = 0) -> Bool {
            planner.productsToAdd(layout: layout, weeks: 3, hours: [[(workcenter: 0, hours: 1)]], capacityDual: duals,
                                  finalDual: finalDual, makes: { _, _ in true }, holds: none) == [0]
        }
        XCTAssertFalse(joins([0, 0, 0]))
        XCTAssertTrue(joins([0, -10, 0]))
        XCTAssertFalse(joins([0, -0.5, 0]))
        XCTAssertTrue(joins([-60, 0, 0]))
        XCTAssertFalse(joins([0, 0, 0], finalDual: -60))
        XCTAssertEqual(planner.productsToAdd(layout: layout, weeks: 3, hours: [[(workcenter: 0, hours: 1)]],
                                             capacityDual: [0, -10, 0], finalDual: 0, makes: { _, t in t > 0 }, holds: none), [0])
        XCTAssertEqual(planner.productsToAdd(layout: layout, weeks: 3, hours: [[(workcenter: 0, hours: 1)]],
                                             capacityDual: [0, -0.5, 0], finalDual: 0, makes: { _, t in t > 0 }, holds: none), [])
        // With a limit, the most negative reduced cost first: 2 h a unit save twice as much.
        let two = PhaseLayout(weeks: 3, members: [], productCount: 2, centerCount: 1)
        let hours: [RunHours.Load] = [[(workcenter: 0, hours: 1)], [(workcenter: 0, hours: 2)]]
        XCTAssertEqual(planner.productsToAdd(layout: two, weeks: 3, hours: hours, capacityDual: [0, -10, 0],
                                             finalDual: 0, makes: { _, _ in true }, holds: none), [0, 1])
        XCTAssertEqual(planner.productsToAdd(layout: two, weeks: 3, hours: hours, capacityDual: [0, -10, 0],
                                             finalDual: 0, makes: { _, _ in true }, holds: none, limit: 1), [1])
        // A member is never priced.
        let member = PhaseLayout(weeks: 3, members: [0], productCount: 1, centerCount: 1)
        XCTAssertEqual(planner.productsToAdd(layout: member, weeks: 3, hours: [[(workcenter: 0, hours: 1)]],
                                             capacityDual: [0, -10, 0], finalDual: 0, makes: { _, _ in true }, holds: none), [])
    }

    /// A rationed product A (1 h of W per unit, 12 a week against 10 hours) is solved; B,
    /// which W never rations, stays out of the LP at just-in-time, and its stock still
    /// costs holding: 20 on hand against 5 a week holds 15 + 10 + 5 = 30 units-weeks. A's
    /// 2 units short a week cost 50 × (2 + 4 + 6) = 600; the objective is the whole LP's.
    func testALeftOutProductKeepsItsHoldingCost() throws {
        var rows = "item,date,quantity\n"
        for t in 0..<3 {
            let day = Day(iso: "2027-01-04")!.adding(days: 7 * t)
            rows += "A,\(day),12\nB,\(day),5\n"
        }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: A, full_rate_per_week: 0}\n  - {item: B, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Only, weeks: 3, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours\nA,make,W,1\nB,make,W,0.1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nW,10,1\n",
            "demand.csv": rows,
            "inventory.csv": "item,on_hand\nB,20\n",
        ]).load()
        let phase = CapacityPlanner(model: model).run()[0]
        let reference = CapacityPlanner(model: model, strategy: .wholeLP).run()[0]
        XCTAssertEqual(phase.productsSolved, 1)
        assertClose(phase.objective, 630)
        assertClose(reference.objective, 630)
        assertClose(phase.inventory[1], [15, 10, 5])
        assertClose(phase.backlog[0], [2, 4, 6])
        assertClose(phase.minimumFinalBacklog, 6)
    }

    /// Nothing tight, yet just-in-time is not the optimum: X needs 10 in week 1 and has an
    /// open receipt of 10 due in week 2. Making 10 now holds the receipt for the 9 weeks
    /// left (holding 1: 90); waiting a week for it costs one week of backlog (5 × 10 = 50).
    /// Y (no receipt) stays at just-in-time. Both equal the whole LP's optimum.
    func testAReceiptDueAfterANeedCanClearItsBacklogWithNothingTight() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 10, products: "  - {item: X, full_rate_per_week: 0}\n  - {item: Y, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Build, weeks: 10, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 5}\n"),
            "items.csv": "item,type,workcenter,run_hours\nX,make,W,1\nY,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
            "demand.csv": "item,date,quantity\nX,2027-01-04,10\nY,2027-01-11,4\n",
            "receipts.csv": "item,quantity,due_date,reference\nX,10,2027-01-11,PO1\n",
        ]).load()
        let phase = CapacityPlanner(model: model).run()[0]
        let reference = CapacityPlanner(model: model, strategy: .wholeLP).run()[0]
        assertClose(phase.objective, 50)
        assertClose(reference.objective, 50)
        assertClose(phase.completions[0], [Double](repeating: 0, count: 10))
        assertClose(phase.backlog[0], [10] + [Double](repeating: 0, count: 9))
        assertClose(phase.inventory[0], [Double](repeating: 0, count: 10))
        assertClose(phase.completions[1], [0, 4] + [Double](repeating: 0, count: 8))
        // Y's just-in-time schedule prices out (its weeks after the need hold nothing, a
        // degenerate basis the sifting's first test reads as a backlog that pays): only X
        // is in the LP.
        XCTAssertEqual(phase.productsSolved, 1)
        // With the receipt due in week 1 as well, just-in-time is the optimum again: no LP.
        var onTime = model
        onTime.receipts[0].dueDate = Day(iso: "2027-01-04")!
        let shortcut = CapacityPlanner(model: onTime).run()[0]
        XCTAssertEqual(shortcut.productsSolved, 0)
        assertClose(shortcut.objective, 0)
        // A receipt nobody needs, held 8 weeks (more than backlog / holding = 5): nothing to
        // decide, so no LP either (a week with no stock before it is no reason for one).
        let held = try TempModel([
            "plan.yaml": planYAML(weeks: 10, products: "  - {item: X, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Build, weeks: 10, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 5}\n"),
            "items.csv": "item,type,workcenter,run_hours\nX,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day\nW,8\n",
            "receipts.csv": "item,quantity,due_date,reference\nX,10,2027-01-18,PO1\n",
        ]).load()
        let idle = CapacityPlanner(model: held).run()[0]
        XCTAssertEqual(idle.productsSolved, 0)
        assertClose(idle.objective, 80)
        assertClose(idle.objective, CapacityPlanner(model: held, strategy: .wholeLP).run()[0].objective)
    }

    /// When the products step 1 leaves short cannot be scheduled around the others'
    /// just-in-time loads, the LP is started again with those that make it feasible. U and
    /// V hold 10 h a week; F needs 10 of U in week 1, G 10 of V in week 2, S one hour of
    /// each per unit, 10 a week (H1–H3 use Z, never full). Step 1: F, G and 10 of S, so
    /// `B* = 10`. S alone around F and G at just-in-time can make nothing (U is full in
    /// week 1, V in week 2), so F and G join. By hand: S makes its 10 in week 1, F's 10 wait
    /// a week (500) and S's second 10 stay short (500): 1000, the whole LP's optimum.
    func testShortProductsThatCannotFitBringInTheProductsInTheirWay() throws {
        var rows = "item,date,quantity\n"
        let week = [Day(iso: "2027-01-04")!, Day(iso: "2027-01-11")!]
        rows += "F,\(week[0]),10\nG,\(week[1]),10\nS,\(week[0]),10\nS,\(week[1]),10\n"
        for h in 1...3 { rows += "H\(h),\(week[0]),1\nH\(h),\(week[1]),1\n" }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: ["F", "G", "S", "H1", "H2", "H3"].map { "  - {item: \($0), full_rate_per_week: 0}\n" }.joined(),
                                  phases: "  - {name: Only, weeks: 2, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1, backlog_per_unit_week: 50}\n"),
            "items.csv": "item,type,workcenter,run_hours\nF,make,U,1\nG,make,V,1\nS,make,U,1\nH1,make,Z,1\nH2,make,Z,1\nH3,make,Z,1\n",
            "routings.csv": "item,workcenter,run_hours\nS,V,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nU,10,1\nV,10,1\nZ,100,1\n",
            "demand.csv": rows,
        ]).load()
        let phase = CapacityPlanner(model: model).run()[0]
        let reference = CapacityPlanner(model: model, strategy: .wholeLP).run()[0]
        XCTAssertEqual(phase.status, .optimal)
        XCTAssertEqual(phase.productsSolved, 3)
        assertClose(phase.minimumFinalBacklog, 10)
        assertClose(phase.objective, 1000)
        assertClose(reference.objective, 1000)
        assertClose(phase.finalBacklog.reduce(0, +), 10)
    }

    /// The largest costs plan.yaml and workcenters.csv accept (1e9) still give the optimum
    /// that a fresh solve of the written LP finds; larger ones are refused.
    func testTheLargestAcceptedCostsStayReliable() throws {
        let folder = scratchPath("takt-lp-big")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var rows = "item,date,quantity\n"
        for (t, q) in [14.0, 6, 9].enumerated() { rows += "P,\(Day(iso: "2027-01-04")!.adding(days: 7 * t)),\(q)\n" }
        var files = [
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Ramp I, weeks: 3, capacity_pct: 0}\n",
                                  extra: "costs: {holding_per_unit_week: 1e9, backlog_per_unit_week: 1e9}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\nW,12,1,1,1e9\n",
            "demand.csv": rows,
        ]
        let model = try TempModel(files).load()
        let phase = try writingLPs(CapacityPlanner(model: model).run(keepLP: true), of: model, to: folder)[0]
        let reread = try XCTUnwrap(GLPKProblem.solveLPFile(folder + "/Ramp I.lp"))
        XCTAssertEqual(reread.status, .optimal)
        assertClose(reread.objective, phase.objective)
        XCTAssertGreaterThan(phase.objective, 1e9)
        files["plan.yaml"] = files["plan.yaml"]!.replacingOccurrences(of: "backlog_per_unit_week: 1e9", with: "backlog_per_unit_week: 1e12")
        files["workcenters.csv"] = files["workcenters.csv"]!.replacingOccurrences(of: "1,1e9", with: "1,2e9")
        XCTAssertEqual(try TempModel(files).errors(), [
            "plan.yaml:10: backlog_per_unit_week must be at most 1e9 (the LP solver is not reliable above), got 1e12",
            "workcenters.csv:2: overtime_cost_per_hour must be at most 1e9 (the LP solver is not reliable above), got 2e9",
        ])
    }

    func testWrittenLPReadsBackToTheSameObjective() throws {
        let folder = scratchPath("takt-lp")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var rows = "item,date,quantity\n"
        for (t, q) in [14.0, 6, 9].enumerated() { rows += "P,\(Day(iso: "2027-01-04")!.adding(days: 7 * t)),\(q)\n" }
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3, products: "  - {item: P, full_rate_per_week: 0}\n",
                                  phases: "  - {name: Ramp I, weeks: 3, capacity_pct: 0}\n"),
            "items.csv": "item,type,workcenter,run_hours\nP,make,W,1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week,overtime_cost_per_hour\nW,12,1,1,30\n",
            "demand.csv": rows,
        ]).load()
        let phase = try writingLPs(CapacityPlanner(model: model).run(keepLP: true), of: model, to: folder)[0]
        let path = folder + "/Ramp I.lp"
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let reread = try XCTUnwrap(GLPKProblem.solveLPFile(path))
        XCTAssertEqual(reread.status, .optimal)
        assertClose(reread.objective, phase.objective)
        // glpsol (glpk-utils), when installed, agrees too.
        let glpsol = ["/usr/bin/glpsol", "/usr/local/bin/glpsol"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let glpsol else { throw XCTSkip("glpsol not installed (Debian glpk-utils)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: glpsol)
        process.arguments = ["--lp", path, "-o", folder + "/out.txt"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let report = try String(contentsOfFile: folder + "/out.txt", encoding: .utf8)
        let objectiveLine = try XCTUnwrap(report.split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let value = try XCTUnwrap(objectiveLine.split(separator: "=").last?.split(separator: " ").first.flatMap { Double($0) })
        assertClose(value, phase.objective)
    }

    /// With `bucket: day` the LP stays weekly, its demand the MRP's daily ramp summed:
    /// a [0, 100] phase of one week is 0, 25, 50, 75, 100 a day → 250 in the week.
    func testDayBucketsFeedTheWeeklyLPWithTheDailyRamp() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, bucket: "day", products: "  - {item: P, full_rate_per_week: 500}\n",
                                  phases: "  - {name: Ramp, weeks: 1, capacity_pct: [0, 100]}\n  - {name: Full, weeks: 1, capacity_pct: 100}\n"),
            "items.csv": "item,type\nP,make\n",
            "demand.csv": "item,date,quantity\nP,2027-01-10,7\n",
        ]).load()
        let demand = CapacityPlanner(model: model).weeklyFlows().requirement
        // The Sunday demand row falls on Monday 2027-01-11, in week 1 as in MRP.
        assertClose(demand[0], [250, 507])
        let mrp = MRPEngine(model: model).run()
        assertClose(mrp.row(mrp.gross, "P", model).reduce(0, +), 757)
    }

    func testInfeasibleProblemIsReportedNotCrashed() {
        var lp = LinearProgram(name: "bad")
        let x = lp.addColumn("x", .lower(0))
        let row = lp.addRow("r", .fixed(-1))
        lp.set(row: row, column: x, 1)
        var problem = GLPKProblem(lp)
        problem.setObjective([(x, 1)])
        XCTAssertEqual(problem.solve(), .infeasible)
        var unbounded = LinearProgram(name: "unbounded")
        let y = unbounded.addColumn("y", .free)
        var p2 = GLPKProblem(unbounded)
        p2.setObjective([(y, 1)])
        XCTAssertEqual(p2.solve(), .unbounded)
    }
}
