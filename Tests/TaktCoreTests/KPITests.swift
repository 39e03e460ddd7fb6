import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// The cost roll-up and the projected KPIs (`CostRollup`, `KPIReport`), worked by hand.
final class KPITests: XCTestCase {
    static let drone: PlanningModel = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! ModelLoader.load(folder: root.appendingPathComponent("fixtures/drone").path)
    }()

    /// The drone on 2027-01-04 (CAM-V1 in the BOM), prices of the chosen offers:
    /// FRAME-ASSY = 18 + 4 × 3.5 + 8 × 1.02 × 0.02 = 32.1632 material, 0.05 h × 35 = 1.75 labour;
    /// PCB-ASSY (95 % yield) = (6 + 9.5 + phantom SENSOR-KIT 4.2 + 1.1) / 0.95 = 21.894737
    /// material, (0.12 h × 60 + 0.02 h × 45) / 0.95 = 8.526316 labour;
    /// DRONE-X1 = 32.1632 + 4 × 14 (MotoTech, the cheapest contracted) + 4 × 1.05 × 0.4
    /// + 21.894737 + 22 + 16 + 0.1632 = 149.901137 material; 0.15 × 40 + 0.05 × 45 + 1.75
    /// + 8.526316 = 18.526316 labour; yield 95 %.
    func testTheDroneRollsUpByHand() throws {
        let model = Self.drone
        let costs = CostRollup(model: model).unitCosts(on: Day(iso: "2027-01-04")!)
        let id = { model.items.id($0)! }
        assertClose(costs.material[id("FRAME-ASSY")], 32.1632)
        assertClose(costs.labour[id("FRAME-ASSY")], 1.75)
        assertClose(costs.material[id("SENSOR-KIT")], 5.3)
        assertClose(costs.material[id("PCB-ASSY")], 20.8 / 0.95)
        assertClose(costs.labour[id("PCB-ASSY")], 8.1 / 0.95)
        assertClose(costs.material[id("DRONE-X1")], 149.901137)
        assertClose(costs.labour[id("DRONE-X1")], 8.25 + 1.75 + 8.1 / 0.95)
        assertClose(costs.firstPassYield[id("DRONE-X1")], 0.95)
        // From 2027-05-01 the rev-2 camera (OptiCam, 21) replaces rev 1 (22).
        assertClose(CostRollup(model: model).unitCosts(on: Day(iso: "2027-05-03")!).material[id("DRONE-X1")], 148.901137)
    }

    /// A phase that starts past the horizon has every KPI row a planned phase has (§2d:
    /// on-time delivery empty, no deliveries), its unit cost without overtime, and no
    /// status: its gate gets no KPI criterion.
    func testAPhasePastTheHorizonHasItsRowsUnjudged() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = scratchPath("takt-short-horizon")
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("fixtures/drone").path, toPath: folder)
        let plan = try String(contentsOfFile: folder + "/plan.yaml", encoding: .utf8)
        try plan.replacingOccurrences(of: "horizon_weeks: 52", with: "horizon_weeks: 20")
            .write(toFile: folder + "/plan.yaml", atomically: true, encoding: .utf8)
        let model = try ModelLoader.load(folder: folder)
        let result = Planner.run(model)
        let phases = model.plan.phases.count
        XCTAssertEqual(result.capacity.map(\.phase), [0, 1, 2], "Ramp II and Steady State start past week 20")
        let product = model.items.id("DRONE-X1")!
        for k in 0..<phases {
            XCTAssertEqual(result.kpis.rows.filter { $0.phase == k && $0.product == product && $0.kpi == .onTimeDeliveryPct }.count, 1, "phase \(k)")
        }
        let windows = model.plan.phaseWindows
        for k in 3..<phases {
            let mine = result.kpis.rows.filter { $0.phase == k }
            XCTAssertEqual(mine.map(\.kpi), [.costPerUnit, .materialCost, .labourCost, .overtimeCost, .overheadCost, .onTimeDeliveryPct,
                                           .firstPassYieldPct, .supplierOnTimePct, .inventoryValuePeak])
            XCTAssertTrue(mine.allSatisfy { $0.status == nil }, "nothing judged")
            XCTAssertNil(mine.first { $0.kpi == .onTimeDeliveryPct }!.value)
            XCTAssertEqual(mine.first { $0.kpi == .onTimeDeliveryPct }!.target, model.plan.kpis.onTimeDeliveryPct?.value)
            let unit = CostRollup(model: model, chosen: result.mrp.chosenOffer).unitCosts(on: windows[k].lowerBound)
            let bare = unit.material[product] + unit.labour[product]
            assertClose(mine.first { $0.kpi == .costPerUnit }!.value!, bare * (1 + model.plan.costs.overheadPct / 100))
            XCTAssertEqual(mine.first { $0.kpi == .overtimeCost }!.value, 0)
            let gate = result.gates.first { $0.phase == k }!
            XCTAssertTrue(gate.criteria.allSatisfy { !KPIReport.criterionNames.contains($0.criterion) }, "\(gate.criteria.map(\.criterion))")
        }
        // The headline cost (compare.csv) stays the last planned phase's.
        XCTAssertEqual(result.kpis.costs.map(\.phase).max(), 2)
    }

    /// The drone's camera lines change on 2027-05-01 (rev 1 ends 04-30, rev 2 starts 05-01):
    /// days before share one key, days from then another.
    func testEffectivityEpochsChangeOnlyWhereALineStartsOrStops() throws {
        let days = ["2027-01-04", "2027-04-30", "2027-05-01", "2028-01-03"].map { Day(iso: $0)! }
        let epochs = Self.drone.bom.effectivityEpochs(of: days)
        XCTAssertEqual(epochs[0], epochs[1])
        XCTAssertNotEqual(epochs[1], epochs[2])
        XCTAssertEqual(epochs[2], epochs[3])
    }

    /// The unit costs `takt plan` makes ahead on its second core (one per BOM epoch: the
    /// drone's BOM changes on 2027-05-01) give the KPIs the report makes on its own.
    func testUnitCostsMadeAheadGiveTheSameKPIs() throws {
        let model = Self.drone
        let result = Planner.run(model)
        let ahead = KPIReport.unitCostsByEpoch(CostRollup(model: model, chosen: result.mrp.chosenOffer))
        XCTAssertEqual(ahead.count, 2)
        let withCosts = KPIReport(model: model, mps: result.mps, mrp: result.mrp, capacity: result.capacity,
                                  projection: result.projection, unitCosts: ahead)
        let alone = KPIReport(model: model, mps: result.mps, mrp: result.mrp, capacity: result.capacity, projection: result.projection)
        XCTAssertFalse(alone.rows.isEmpty)
        XCTAssertEqual(withCosts.rows, alone.rows)
        XCTAssertEqual(result.kpis.rows, alone.rows)
    }

    /// The epochs' costs are rolled up in one reused buffer: each epoch's products cost
    /// what a fresh roll-up on that epoch's first day gives (the drone's second epoch
    /// drops a BOM line, so a figure left over from the first would show).
    func testEachEpochCostsWhatAFreshRollUpGives() throws {
        let model = Self.drone
        let rollup = CostRollup(model: model)
        let windows = model.plan.phaseWindows
        let epochs = model.bom.effectivityEpochs(of: windows.map(\.lowerBound))
        let byEpoch = KPIReport.unitCostsByEpoch(rollup)
        XCTAssertEqual(Set(epochs).count, 2)
        for (k, window) in windows.enumerated() {
            let fresh = rollup.unitCosts(on: window.lowerBound).of(model.plan.products.map(\.item))
            XCTAssertEqual(byEpoch[epochs[k]], fresh, "phase \(k)")
        }
        let first = try XCTUnwrap(byEpoch[epochs.first!]), last = try XCTUnwrap(byEpoch[epochs.last!])
        XCTAssertNotEqual(first, last, "the BOM change moves a product's cost")
    }

    /// A buffer rolled up again on another day redoes only the items above a line whose
    /// effectivity changed: every item's three figures are the same numbers as a fresh
    /// roll-up on that day, whichever day came before (later, earlier, or the same), on a
    /// generated model whose BOM lines start and stop through the plan.
    func testARollUpOnAnotherDayEqualsAFreshOneForEveryItem() throws {
        let model = try generatedModel(3000, seed: 21, shape: .stress)
        let rollup = CostRollup(model: model)
        let start = model.plan.start
        let days = [0, 70, 140, 70, 0, 0, 300].map { start.adding(days: $0) }
        XCTAssertGreaterThan(Set(model.bom.effectivityEpochs(of: days)).count, 2, "the model's BOM must change over these days")
        var reused = rollup.unitCosts(on: days[0])
        var redone = 0
        for day in days.dropFirst() {
            let before = reused
            rollup.rollUp(on: day, into: &reused)
            let fresh = rollup.unitCosts(on: day)
            let differing = reused.material.indices.filter {
                (reused.material[$0], reused.labour[$0], reused.firstPassYield[$0])
                    != (fresh.material[$0], fresh.labour[$0], fresh.firstPassYield[$0])
            }
            XCTAssertEqual(differing.count, 0, "\(day): items \(differing.prefix(5)) differ from a fresh roll-up")
            redone += zip(before.material, reused.material).filter { $0 != $1 }.count
        }
        XCTAssertGreaterThan(redone, 0, "some item's cost must move between the days")
    }

    /// The phase's cost adds overtime per master-schedule unit and 15 % overhead.
    func testAProductsPhaseCostAddsOvertimeAndOverhead() throws {
        let result = Planner.run(Self.drone)
        let pre = result.kpis.costs.first { $0.phase == 0 }!
        assertClose(pre.overtime, 0)
        assertClose(pre.overhead, 0.15 * (149.901137 + 18.526316))
        assertClose(pre.total, 193.691571)
        // Steady State: SMT's overtime cost over all its completions.
        let steady = result.capacity.last!
        let overtimeCost = steady.capacity.reduce(0) { $0 + $1.overtimeHours * Self.drone.workcenters[$1.workcenter].overtimeCostPerHour }
        let units = steady.completions[0].reduce(0, +)
        XCTAssertGreaterThan(overtimeCost, 2000)
        let last = result.kpis.costs.last!
        assertClose(last.overtime, overtimeCost / units)
        assertClose(last.total, (148.901137 + 18.526316 + overtimeCost / units) * 1.15)
        XCTAssertEqual(RunFigures(result).costPerUnit.map { ($0 * 1e4).rounded() / 1e4 }, (last.total * 1e4).rounded() / 1e4)
    }

    /// A bought part at 90 % yield: MRP orders 100 / 90 of it per good unit, so a good unit
    /// costs its price / 0.9 in the roll-up and in its parent; in stock it is worth its price.
    func testABoughtPartsYieldLossIsCostedAsMRPOrdersIt() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type,yield_pct,unit_cost\nTOP,make,100,0\nPART,buy,90,9\n",
            "bom.csv": "parent,component,qty_per\nTOP,PART,2\n",
            "demand.csv": "item,date,quantity\nTOP,2027-01-11,9\n",
        ]).load()
        let rollup = CostRollup(model: model)
        let costs = rollup.unitCosts(on: model.plan.start)
        let (top, part) = (model.items.id("TOP")!, model.items.id("PART")!)
        assertClose(costs.material[part], 10)
        assertClose(costs.material[top], 20)
        assertClose(rollup.valuation(on: model.plan.start)[part], 9)
        // What MRP buys for the 9 TOPs: 18 good PARTs, ordered as 20 at 9 each = 180 = 9 × 20.
        let result = Planner.run(model)
        let bought = result.mrp.orders.filter { $0.item == part }.reduce(0) { $0 + $1.quantity }
        assertClose(bought * 9, 9 * costs.material[top])
    }

    /// Stock valuation rolls up only the made items without a `unit_cost` and what lies
    /// below them; each gets the whole roll-up's figure, and an unpriced item under a priced
    /// one (or beside the unpriced ones) is still costed.
    func testValuationRollsUpOnlyTheUnpricedItemsWithTheWholeRollUpsFigures() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2),
            "workcenters.csv": "workcenter,hours_per_day,cost_per_hour\nWC,8,50\n",
            "items.csv": """
                item,type,yield_pct,unit_cost,workcenter,run_hours
                PRICED,make,100,500,WC,1
                LOOSE,make,80,0,WC,2
                SUB,make,100,30,WC,0.5
                GHOST,phantom,100,0,,0
                INNER,make,100,0,WC,0.25
                PART,buy,90,9,,0
                """,
            "bom.csv": "parent,component,qty_per,scrap_pct\nPRICED,INNER,1,0\nLOOSE,SUB,2,10\nLOOSE,GHOST,1,0\nSUB,PART,3,0\nGHOST,PART,1,0\nINNER,PART,4,0\n",
            "demand.csv": "item,date,quantity\nPRICED,2027-01-11,1\n",
        ]).load()
        let rollup = CostRollup(model: model)
        let whole = rollup.unitCosts(on: model.plan.start)
        let value = rollup.valuation(on: model.plan.start)
        let id = { (name: String) in model.items.id(name)! }
        XCTAssertEqual(value[id("PRICED")], 500)
        XCTAssertEqual(value[id("SUB")], 30)
        XCTAssertEqual(value[id("PART")], 9)
        for name in ["LOOSE", "GHOST", "INNER"] {
            XCTAssertGreaterThan(whole.total(id(name)), 0, name)
            XCTAssertEqual(value[id(name)], whole.total(id(name)), name)
        }
        // LOOSE by hand: 100/80 starts, each 2 h at 50 and 2.2 SUB (rolled: 0.5 h at 50 and
        // 3 PART at 10) and 1 GHOST (1 PART at 10).
        assertClose(value[id("LOOSE")], 1.25 * (100 + 2.2 * (25 + 30) + 10))
    }

    func plan(_ model: PlanningModel, targets: (inout KPITargets) -> Void) -> PlanResult {
        var changed = model
        targets(&changed.plan.kpis)
        return Planner.run(changed)
    }

    /// Cost per unit 193.69 in Pre-Production: within ±10 % of 180, at risk against 175
    /// (+10.7 %), no-go against 160 (+21.1 %); the miss is a kpi risk of its owner.
    func testTheCostCriterionAtTenAndTwentyPercent() throws {
        let drone = Self.drone.items.id("DRONE-X1")!
        for (target, status) in [(180.0, GateStatus.go), (175, .atRisk), (160, .noGo)] {
            let result = plan(Self.drone) { $0 = KPITargets(); $0.costPerUnit[drone] = .init(value: target, owner: "Finance") }
            let cost = result.gates[0].criteria.first { $0.criterion == "cost" }!
            XCTAssertEqual(cost.status, status, "target \(target)")
            XCTAssertEqual(cost.owner, "Finance")
            let risk = result.risks.first { $0.id == "kpi:DRONE-X1 cost_per_unit:2027-03-08" }
            if status == .go {
                XCTAssertNil(risk)
            } else {
                XCTAssertEqual(risk?.level, status == .noGo ? 2 : 1)
                XCTAssertEqual(risk?.owner, "Finance")
            }
        }
        // One risk per miss, naming every gate it touches with the figure there (193.69 in
        // the first two phases, 192.54 in the next two, 192.87 in Steady State).
        let atRisk = plan(Self.drone) { $0 = KPITargets(); $0.costPerUnit[drone] = .init(value: 175, owner: "Finance") }
        let costRisks = atRisk.risks.filter { $0.kind == .kpi && $0.item == "DRONE-X1 cost_per_unit" }
        XCTAssertEqual(costRisks.count, 1)
        XCTAssertEqual(costRisks.first?.impact, "Gate 1, Gate 2, Gate 3, Gate 4, Gate 5 at_risk on cost_per_unit")
        XCTAssertEqual(costRisks.first?.message,
                       "Gate 1 (Pre-Production), Gate 2 (Soft Launch): DRONE-X1 cost per unit 193.69 vs target 175 (+10.7 %); "
                       + "Gate 3 (Ramp I), Gate 4 (Ramp II): DRONE-X1 cost per unit 192.54 vs target 175 (+10 %); "
                       + "Gate 5 (Steady State): DRONE-X1 cost per unit 192.87 vs target 175 (+10.2 %)")
        // A KPI miss is not escalated by age: last week's deadline passed, it stays level 1
        // with its owner and gets a new deadline.
        var risks = atRisk.risks
        let id = costRisks[0].id
        EscalationTracker.apply(to: &risks, previous: [id: PreviousRun.RiskState(level: 1, owner: "Finance", respondBy: Day(iso: "2026-12-30")!,
                                                                                firstSeen: Day(iso: "2026-12-28")!)],
                                plan: Self.drone.plan)
        let carried = risks.first { $0.id == id }!
        XCTAssertEqual(carried.level, 1)
        XCTAssertEqual(carried.owner, "Finance")
        XCTAssertNil(carried.escalatedFrom)
        XCTAssertEqual(carried.firstSeen, Day(iso: "2026-12-28"))
        let noGo = plan(Self.drone) { $0 = KPITargets(); $0.costPerUnit[drone] = .init(value: 160) }
        XCTAssertEqual(noGo.gates[1].criteria.first { $0.criterion == "cost" }?.evidence, "DRONE-X1 cost per unit 193.69 vs target 160 (+21.1 %)")
        // A gate no-go on cost keeps the forecast its deliveries give (§2d).
        XCTAssertEqual(noGo.gates[1].status, .noGo)
        XCTAssertEqual(noGo.gates[1].forecast?.description, "2027-05-31")
        XCTAssertEqual(noGo.risks.first { $0.kind == .kpi }?.owner, "Program Manager", "without an owner: the level's")
    }

    /// Soft Launch needs 8 × 50 + 40 (SO-2001) = 440 drones; the projection delivers only
    /// the 20 in stock on time (fixtures/drone/RECORD.md: the first week waits for PCB-MAIN's
    /// receipt, the next ones for MCU-H7 and CAM-V1): 20 / 440 = 4.55 %, more than 10 points
    /// under 95: no_go.
    func testOnTimeDeliveryIsTheProjectionsShareOnTime() throws {
        let result = Planner.run(Self.drone)
        let soft = result.kpis.rows.first { $0.phase == 1 && $0.kpi == .onTimeDeliveryPct }!
        assertClose(soft.value!, 100 * 20 / 440)
        XCTAssertEqual(soft.status, .noGo)
        XCTAssertNil(result.kpis.rows.first { $0.phase == 0 && $0.kpi == .onTimeDeliveryPct }!.value, "nothing required")
    }

    /// 48 a week against a ramp of 100: the projection delivers week 1's requirement with
    /// weeks 1–3's output (48 on time, 52 late), week 2's is short after week 4 (not
    /// delivered), weeks 3–4 get nothing: 48 / 400 = 12 % on time.
    func testOnTimeDeliveryWithACapacityBacklog() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 12, products: "  - {item: P, full_rate_per_week: 100}\n",
                                  phases: "  - {name: Build, weeks: 4, capacity_pct: 100, gate: G}\n",
                                  extra: "kpis:\n  on_time_delivery_pct: 95\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,0,ASSY,1\n",
            "workcenters.csv": "workcenter,hours_per_day,overtime_hours_per_week,overtime_cost_per_hour\nASSY,8,8,1\n",
        ]).load()
        let result = Planner.run(model)
        let otd = result.kpis.rows.first { $0.kpi == .onTimeDeliveryPct }!
        assertClose(otd.value!, 12)
        XCTAssertEqual(otd.status, .noGo, "more than 10 points below 95")
        XCTAssertEqual(result.gates[0].criteria.first { $0.criterion == "delivery" }?.status, .noGo)
    }

    /// A at 90 % on time for 10 a week, B at 100 % for 30 a week: (10 × 90 + 30 × 100) / 40.
    func testSupplierOnTimeIsWeightedByAmount() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 6, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Build, weeks: 2, capacity_pct: 100, gate: G}\n",
                                  extra: "kpis:\n  supplier_on_time_pct: {target: 98, owner: Buyer}\n"),
            "items.csv": "item,type,lead_time_days\nP,make,0\nA,buy,0\nB,buy,0\n",
            "bom.csv": "parent,component,qty_per\nP,A,1\nP,B,1\n",
            "suppliers.csv": "supplier,item,lead_time_days,unit_price,on_time_pct\nS1,A,0,1,90\nS2,B,0,3,100\n",
        ]).load()
        let result = Planner.run(model)
        let row = result.kpis.rows.first { $0.kpi == .supplierOnTimePct }!
        assertClose(row.value!, 97.5)
        XCTAssertEqual(row.status, .atRisk)
        let risk = result.risks.first { $0.kind == .kpi }!
        XCTAssertEqual(risk.id, "kpi:supplier_on_time_pct:2027-01-18")
        XCTAssertEqual(risk.owner, "Buyer")
        let csv = String(decoding: DecisionTables.kpis(result), as: UTF8.self)
        XCTAssertTrue(csv.contains("\nBuild,,supplier_on_time_pct,97.5,98,at_risk\n"), csv)
    }

    /// The purchase sums read the bought items' stretches of the orders: to the last bit
    /// what a pass over every buy order, in the MRP's order, adds up; and the run's
    /// past-due count, taken from the exceptions, is the past-due orders'.
    func testPurchaseSumsAddTheBuyOrdersInTheMRPsOrder() throws {
        let model = try generatedModel(3000, seed: 11, shape: .realistic)
        let result = Planner.run(model)
        let mrp = result.mrp
        let windows = model.plan.phaseWindows
        let phaseOf = mrp.calendar.rangeOfEachBucket(windows)
        var weight = [Double](repeating: 0, count: windows.count), weighted = weight
        var (amount, counted) = (0.0, 0)
        for order in mrp.orders where order.kind == .buy {
            amount += order.quantity * SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model)
            let offer = mrp.chosenOffer[order.item], k = phaseOf[order.dueBucket]
            guard offer >= 0, k >= 0 else { continue }
            let phaseAmount = order.quantity * SupplierChoice.price(model.offers[offer], model)
            weight[k] += phaseAmount
            weighted[k] += phaseAmount * model.offers[offer].onTimePct
            counted += 1
        }
        XCTAssertGreaterThan(counted, 1000)
        XCTAssertGreaterThan(weight.filter { $0 > 0 }.count, 2)
        let sums = KPIReport.purchaseSums(model: model, mrp: mrp)
        XCTAssertEqual(sums.amount.bitPattern, amount.bitPattern)
        XCTAssertEqual(sums.weight.map(\.bitPattern), weight.map(\.bitPattern))
        XCTAssertEqual(sums.weighted.map(\.bitPattern), weighted.map(\.bitPattern))
        XCTAssertEqual(result.figures.purchaseAmount.bitPattern, amount.bitPattern)
        let pastDue = mrp.orders.count { $0.pastDue }
        XCTAssertGreaterThan(pastDue, 0)
        XCTAssertEqual(result.figures.pastDue, pastDue)
    }

    func testBadKPIInputIsReportedWithItsLine() throws {
        let files = { (kpis: String) in [
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Build, weeks: 2, capacity_pct: 100}\n", extra: "kpis:\n" + kpis),
            "items.csv": "item,type\nP,make\nC,buy\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
        ] }
        let line = 11 // the first line under `kpis:` in these files
        XCTAssertEqual(try TempModel(files("  on_time_pct: 95\n")).errors(),
                       ["plan.yaml:\(line): unknown key \"on_time_pct\" in kpis (did you mean \"on_time_delivery_pct\"?)"])
        XCTAssertEqual(try TempModel(files("  cost_per_unit: {P: cheap}\n")).errors(),
                       ["plan.yaml:\(line): cost_per_unit of P is not a number: \"cheap\""])
        XCTAssertEqual(try TempModel(files("  supplier_on_time_pct: 120\n")).errors(),
                       ["plan.yaml:\(line): supplier_on_time_pct must be at most 100, got 120"])
        XCTAssertEqual(try TempModel(files("  cost_per_unit: {C: 5}\n")).errors(),
                       ["plan.yaml:\(line): kpis: cost_per_unit names \"C\", which is not a product of the plan"])
        // A key no known one is spelt like is read past, with a warning.
        let who = try TempModel(files("  first_pass_yield_pct: {target: 90, who: QA}\n"))
        XCTAssertEqual(who.errors(), [])
        XCTAssertEqual(PlanWarnings.of(try who.load()).map { "\($0)".components(separatedBy: "/").last! },
                       ["plan.yaml:\(line): warning: unknown key \"who\" in first_pass_yield_pct; ignored (no key Takt reads is spelt like it)"])
        XCTAssertEqual(try TempModel(files("  first_pass_yield_pct: {target: 90, owner: QA}\n")).errors(), [])
    }
}
