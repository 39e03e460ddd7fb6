import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2c: each criterion and each risk kind driven to each status.
final class GatesAndRisksTests: XCTestCase {
    /// Two phases of 2 weeks (gates G1 on 2027-01-18, G2 on 2027-02-01).
    func run(items: String, extra: [String: String] = [:], hoursPerDay: Double = 100, overtime: Double = 0) throws -> PlanResult {
        var files = [
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: One, weeks: 2, capacity_pct: 100, gate: G1}\n  - {name: Two, weeks: 2, capacity_pct: 100, gate: G2}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,0,W,1\n" + items,
            "workcenters.csv": "workcenter,hours_per_day,days_per_week,overtime_hours_per_week\nW,\(hoursPerDay),1,\(overtime)\n",
            "inventory.csv": "item,on_hand\nP,0\n",
        ]
        for (k, v) in extra { files[k] = v }
        return Planner.run(try TempModel(files).load())
    }

    func criterion(_ result: PlanResult, _ gate: String, _ name: String) -> CriterionResult? {
        result.gates.first { $0.gate == gate }?.criteria.first { $0.criterion == name }
    }

    func testAllGoWhenNothingIsWrong() throws {
        let result = try run(items: "")
        XCTAssertEqual(result.gates.map(\.status), [.go, .go])
        XCTAssertEqual(result.gates.map(\.date), [Day(iso: "2027-01-18"), Day(iso: "2027-02-01")])
        XCTAssertTrue(result.risks.isEmpty)
    }

    /// Risks go by level, then kind, then item name (not by the id text: "C-2:…" sorts
    /// before "C:…" as text, but C comes before C-2 by name), then date.
    func testRisksGoByLevelKindNameAndDate() throws {
        let result = try run(items: "C-2,buy,15,,0\nC,buy,15,,0\n", extra: [
            "bom.csv": "parent,component,qty_per\nP,C-2,1\nP,C,1\n",
            "gates.csv": "gate,criterion,done,due_date\nG1,Zeta review,false,2027-01-04\nG1,Alpha review,false,2027-01-04\n",
        ])
        XCTAssertEqual(result.risks.map(\.id), [
            "shortage:C:2027-01-04", "shortage:C-2:2027-01-04",
            "gate_criterion:Alpha review:2027-01-04", "gate_criterion:Zeta review:2027-01-04",
        ])
        XCTAssertEqual(result.risks.map(\.level), [3, 3, 2, 2])
    }

    func testMaterialNoGoOnPastDueAndShortageRiskLevels() throws {
        // C takes 3 weeks: its orders due in weeks 0–2 should have been released before the
        // start; placed now, all arrive in week 3 (2027-01-25), and so do the P they make.
        let result = try run(items: "C,buy,15,,0\n", extra: ["bom.csv": "parent,component,qty_per\nP,C,1\n"])
        XCTAssertEqual(criterion(result, "G1", "material")?.status, .noGo)
        XCTAssertEqual(criterion(result, "G1", "material")?.evidence,
                       "late deliveries: P due 2027-01-04 +21 days (C), P due 2027-01-11 +14 days (C)")
        // Week 2 (2027-01-18) lies in phase Two.
        XCTAssertEqual(criterion(result, "G2", "material")?.status, .noGo)
        // One shortage for the item, dated at its first late requirement: before start + 14
        // days → level 3, whose owner responds the same day.
        let shortages = result.risks.filter { $0.kind == .shortage }
        XCTAssertEqual(shortages.map(\.id), ["shortage:C:2027-01-04"])
        XCTAssertEqual(shortages.map(\.level), [3])
        XCTAssertEqual(shortages[0].owner, "VP Operations")
        XCTAssertEqual(shortages[0].respondBy, Day(iso: "2027-01-04"))
        XCTAssertEqual(shortages[0].quantity, 30, "10 a week for weeks 0–2, all late")
    }

    /// A past-due order that only rebuilds safety stock (short quantity 0) is a level-1
    /// `safety_stock` risk and puts material at_risk, not no_go (§2c).
    func testASafetyStockRebuildIsNotAShortage() throws {
        let result = try run(items: "", extra: [
            "items.csv": "item,type,lead_time_days,workcenter,run_hours,safety_stock\nP,make,0,W,1,0\nC,buy,10,,0,40\n",
        ])
        let pastDue = result.mrp.exceptions.filter { $0.kind == .pastDue }
        XCTAssertEqual(pastDue.map(\.shortQuantity), [0])
        XCTAssertEqual(criterion(result, "G1", "material")?.status, .atRisk)
        XCTAssertEqual(criterion(result, "G1", "material")?.evidence, "safety stock rebuilt late: C")
        XCTAssertEqual(result.risks.map(\.id), ["safety_stock:C:2027-01-04"])
        XCTAssertEqual(result.risks.map(\.level), [1])
        XCTAssertEqual(RunFigures(result).shortageQty, 0)
        XCTAssertEqual(RunFigures(result).pastDue, 1)
    }

    /// The shortage's impact gives its late quantity in the item's units (two C a P), when
    /// it is all there, and the deliveries it delays in the product's units (§2d).
    func testAShortageNamesTheDeliveriesItDelays() throws {
        let result = try run(items: "C,buy,15,,0\n", extra: ["bom.csv": "parent,component,qty_per\nP,C,2\n"])
        let first = try XCTUnwrap(result.risks.first { $0.id == "shortage:C:2027-01-04" })
        XCTAssertEqual(first.impact, "60 units late, all there by 2027-01-25; delays P ramp 10 of 10 due 2027-01-04, arrives 2027-01-25 (+21 days), P ramp 10 of 10 due 2027-01-11, arrives 2027-01-25 (+14 days), P ramp 10 of 10 due 2027-01-18, arrives 2027-01-25 (+7 days)")
        XCTAssertEqual(first.message, "C: 60 units of its requirements come late from 2027-01-04: its orders should have been released before the plan start; no open receipt due later covers them: order now")
        XCTAssertEqual(first.delayedCount, 3)
    }

    /// The impact names every delivery the shortage delays, each quantity as the files write
    /// numbers (up to 6 decimals): seven demand rows of X, bought with 40 days' lead time,
    /// 0.123456 of each late. The status report's line names the first five, then the rest
    /// by count.
    func testAShortageImpactNamesEveryDelayedDeliveryToSixDecimals() throws {
        let demand = (0..<7).map { "X,\(Day(iso: "2027-01-04")!.adding(days: 7 * $0)),0.123456,SO-\($0 + 1)\n" }.joined()
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 10, phases: "  - {name: Build, weeks: 10, capacity_pct: 0, gate: G}\n"),
            "items.csv": "item,type,lead_time_days,unit_cost\nX,buy,40,1\n",
            "demand.csv": "item,date,quantity,reference\n" + demand,
        ]).load()
        let result = Planner.run(model)
        let risk = try XCTUnwrap(result.risks.first { $0.kind == .shortage })
        XCTAssertEqual(risk.delayedCount, 7)
        XCTAssertTrue(risk.impact.hasPrefix("0.864192 units late, all there by 2027-03-01; delays X SO-1 0.123456 of 0.123456 due 2027-01-04"), risk.impact)
        for k in 1...7 { XCTAssertTrue(risk.impact.contains("X SO-\(k) 0.123456 of 0.123456 due "), "SO-\(k): \(risk.impact)") }
        XCTAssertFalse(risk.impact.contains("more"), risk.impact)
        XCTAssertTrue(risk.message.hasPrefix("X: 0.864192 units of its requirements come late"), risk.message)
        // The report's line: five named, two counted.
        XCTAssertTrue(risk.briefImpact.contains("X SO-5 ") && !risk.briefImpact.contains("X SO-6 "), risk.briefImpact)
        XCTAssertTrue(risk.briefImpact.hasSuffix(" … and 2 more"), risk.briefImpact)
        // Texts written out (a renamed subject, a list with another wording) keep it brief.
        var renamed = risk
        renamed.item = "X-renamed"
        XCTAssertEqual(renamed.briefImpact, risk.briefImpact)
        XCTAssertEqual(renamed.impact, risk.impact)
        XCTAssertEqual(Risk(record: risk.writtenOut, wording: nil).briefImpact, risk.briefImpact)
        var risksFile = ""
        DecisionTables.risks(result) { risksFile += String(decoding: $0, as: UTF8.self) }
        XCTAssertTrue(risksFile.contains("X SO-7 0.123456 of 0.123456 due 2027-02-15"), risksFile)
        let markdown = StatusReport(result, previous: nil).markdown()
        XCTAssertTrue(markdown.contains("X SO-5 0.123456 of 0.123456 due 2027-02-01, arrives 2027-03-01 (+28 days) … and 2 more"), markdown)
        XCTAssertFalse(markdown.contains("X SO-6 "), markdown)
    }

    func testMaterialAtRiskOnRescheduleInAndExpediteRisk() throws {
        let result = try run(items: "C,buy,0,,0\n", extra: [
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
            "inventory.csv": "item,on_hand\nP,0\nC,10\n",
            "receipts.csv": "item,quantity,due_date,reference\nC,30,2027-01-25,PO-9\n",
        ])
        XCTAssertEqual(criterion(result, "G1", "material")?.status, .atRisk)
        let expedite = result.risks.filter { $0.kind == .expedite }
        XCTAssertEqual(expedite.map(\.id), ["expedite:C:2027-01-11"])
        XCTAssertEqual(expedite.first?.level, 1)
        XCTAssertEqual(expedite.first?.respondBy, Day(iso: "2027-01-06"))
    }

    func testCapacityAtRiskAboveNinetyPercentAndNoGoOnShortfall() throws {
        let busy = try run(items: "", hoursPerDay: 10.5)  // 10 of 10.5 h → 95 %
        XCTAssertEqual(criterion(busy, "G1", "capacity")?.status, .atRisk)
        let overtime = try run(items: "", hoursPerDay: 8, overtime: 5)  // needs 2 h overtime a week
        XCTAssertEqual(criterion(overtime, "G1", "capacity")?.status, .atRisk)
        XCTAssertTrue(overtime.risks.filter { $0.kind == .capacity }.isEmpty)
        let short = try run(items: "", hoursPerDay: 8)
        XCTAssertEqual(criterion(short, "G1", "capacity")?.status, .noGo)
        XCTAssertEqual(short.gates[0].status, .noGo)
        let risks = short.risks.filter { $0.kind == .capacity }
        XCTAssertEqual(risks.map(\.id), ["capacity:P:2027-01-18", "capacity:P:2027-02-01"])
        XCTAssertEqual(risks.map(\.level), [2, 2])
        // The ramp weeks come late for capacity: material stays go, and its evidence does
        // not call them on time.
        let late = short.projection.deliveries.filter { $0.needBucket < 2 && $0.lateQuantity > 1e-9 }
        XCTAssertEqual(late.count, 2)
        XCTAssertEqual(criterion(short, "G1", "material")?.status, .go)
        XCTAssertEqual(criterion(short, "G1", "material")?.evidence,
                       "no delivery of the phase late for want of material (2 late for capacity); no past-due orders or expedites in the phase")
        XCTAssertEqual(criterion(busy, "G1", "material")?.evidence,
                       "every delivery of the phase on time; no past-due orders or expedites in the phase")
    }

    /// §2c lists a `capacity` finding for every phase with `B* > 1e-6`: a phase without a
    /// gate raises its risks too, dated where its gate would be evaluated (the first bucket
    /// after the phase), and the message names no gate.
    func testAShortPhaseWithoutAGateRaisesCapacityRisksAtItsEnd() throws {
        let short = try run(items: "", extra: [
            "plan.yaml": planYAML(weeks: 4, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: One, weeks: 2, capacity_pct: 100}\n  - {name: Two, weeks: 2, capacity_pct: 100, gate: G2}\n"),
        ], hoursPerDay: 8)
        XCTAssertEqual(short.gates.map(\.gate), ["G2"])
        let risks = short.risks.filter { $0.kind == .capacity }
        XCTAssertEqual(risks.map(\.id), ["capacity:P:2027-01-18", "capacity:P:2027-02-01"])
        XCTAssertEqual(risks.map(\.message), ["P: One ends 4 units behind the ramp even with all overtime",
                                             "P: Two ends 8 units behind the ramp even with all overtime (G2)"])
    }

    func testSupplierAtRiskWhenNotContractedOrLate() throws {
        let extra = [
            "bom.csv": "parent,component,qty_per\nP,C,1\nP,D,1\nP,E,1\nP,F,1\n",
            "suppliers.csv": "supplier,item,contracted,on_time_pct\nS1,C,false,99\nS2,D,true,85\nS3,E,true,90\nS4,F,false,80\n",
        ]
        let result = try run(items: "C,buy,0,,0\nD,buy,0,,0\nE,buy,0,,0\nF,buy,0,,0\n", extra: extra)
        let supplier = try XCTUnwrap(criterion(result, "G1", "supplier"))
        XCTAssertEqual(supplier.status, .atRisk)
        XCTAssertEqual(supplier.items.map(\.item).map { result.model.items.names[$0] }, ["C", "D", "F"])
        XCTAssertEqual(supplier.items.map(\.offer), [0, 1, 3])
        XCTAssertEqual(supplier.evidence, "C from S1 (not contracted); D from S2 (on time 85 %); F from S4 (not contracted, on time 80 %)")
        let risks = result.risks.filter { $0.kind == .supplier }
        XCTAssertEqual(risks.map(\.id), ["supplier:C:2027-01-18", "supplier:C:2027-02-01", "supplier:D:2027-01-18",
                                         "supplier:D:2027-02-01", "supplier:F:2027-01-18", "supplier:F:2027-02-01"])
        XCTAssertEqual(risks.map(\.item), ["C", "C", "D", "D", "F", "F"])
        XCTAssertEqual(risks[0].message, "supplier risk before G1: C from S1 (not contracted)")
        XCTAssertEqual(risks[5].message, "supplier risk before G2: F from S4 (not contracted, on time 80 %)")
        XCTAssertEqual(risks[2].impact, "supply of D in One")
        XCTAssertNil(GateEvaluator.supplierReason(offer: 2, model: result.model), "E: contracted, 90 % on time")
    }

    func testManualCriteria() throws {
        let gates = """
        gate,criterion,done,owner,evidence,due_date
        G1,Signed off,true,Eng,minutes,2026-12-01
        G1,Overdue,false,Quality lead,,2027-01-04
        G2,Later,false,,,2027-01-20
        G2,No date,false,,,
        """
        let result = try run(items: "", extra: ["gates.csv": gates + "\n"])
        XCTAssertEqual(criterion(result, "G1", "Signed off")?.status, .go)
        XCTAssertEqual(criterion(result, "G1", "Signed off")?.evidence, "minutes")
        XCTAssertEqual(criterion(result, "G1", "Overdue")?.status, .noGo, "due on start counts as overdue")
        XCTAssertEqual(criterion(result, "G2", "Later")?.status, .atRisk)
        XCTAssertEqual(criterion(result, "G2", "No date")?.status, .atRisk)
        XCTAssertEqual(result.gates.map(\.status), [.noGo, .atRisk])
        let risk = try XCTUnwrap(result.risks.first { $0.kind == .gateCriterion })
        XCTAssertEqual(risk.id, "gate_criterion:Overdue:2027-01-04")
        XCTAssertEqual(risk.owner, "Quality lead", "the gates.csv owner takes precedence")
        XCTAssertEqual(risk.level, 2)
    }

    /// A manual criterion named like one Takt evaluates itself would be taken for it: refused,
    /// with every built-in name.
    func testAManualCriterionMayNotShadowABuiltInOne() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type\nA,buy\n",
            "gates.csv": "gate,criterion,done\nG1,material,false\nG1,Sign-off,false\nG2,supplier_delivery,true\n",
        ])
        XCTAssertEqual(model.problems(), [
            Problem("gates.csv", 2, .builtInCriterion("material"), column: "criterion"),
            Problem("gates.csv", 4, .builtInCriterion("supplier_delivery"), column: "criterion"),
        ])
        // Every KPI with a target makes a built-in criterion, so each is reserved too.
        XCTAssertEqual(KPIKind.targeted.map(\.criterion), [.cost, .delivery, .supplierDelivery, .yield])
        XCTAssertEqual(Set(KPIKind.allCases.filter { $0.criterion != nil }), Set(KPIKind.targeted))
    }

    func testBusinessDays() {
        let friday = Day(iso: "2027-01-08")!
        XCTAssertEqual(friday.addingBusinessDays(1), Day(iso: "2027-01-11"))
        XCTAssertEqual(friday.addingBusinessDays(0), friday)
        XCTAssertEqual(Day(iso: "2027-01-09")!.addingBusinessDays(0), Day(iso: "2027-01-11"), "a Saturday rolls to Monday")
        XCTAssertEqual(Day(iso: "2027-01-04")!.addingBusinessDays(5), Day(iso: "2027-01-11"))
    }

    /// A risk's owner reads back byte for byte as it was given: two spellings of one name
    /// (a precomposed "é" and an "e" with a combining accent) stay two owners, as every
    /// name in the model is compared by its bytes; the same bytes are the same owner.
    func testARisksOwnerKeepsItsBytes() {
        let composed = "Jos\u{E9}", decomposed = "Jose\u{301}"
        XCTAssertEqual(composed, decomposed, "Swift's == takes them as one")
        func risk(_ owner: String) -> Risk {
            Risk(id: "x", kind: .supplier, item: "A", level: 1, owner: owner, respondBy: Day(iso: "2027-01-04")!,
                 date: Day(iso: "2027-01-04")!, impact: "", message: "", quantity: 1)
        }
        let (a, b) = (risk(composed), risk(decomposed))
        XCTAssertEqual(Array(a.owner.utf8), Array(composed.utf8))
        XCTAssertEqual(Array(b.owner.utf8), Array(decomposed.utf8))
        XCTAssertNotEqual(a.ownerNumber, b.ownerNumber)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(risk(composed).ownerNumber, a.ownerNumber)
        XCTAssertEqual(risk(composed), a)
        var renamed = a
        renamed.owner = decomposed
        XCTAssertEqual(renamed.ownerNumber, b.ownerNumber)
    }

    /// A risk holds its finding's origin in one word and makes its texts when read: every
    /// kind of origin comes back as packed, at the largest indices the packing takes, and
    /// one beyond is refused (the register then writes the texts at once).
    func testARiskOriginPacksIntoOneWord() {
        let origins: [RiskWording.Origin] = [
            .exception(0), .exception((1 << 39) - 1), .capacity(phase: 1023, product: 7),
            .supplier(gate: 3, criterion: 2047, entry: (1 << 39) - 1), .supplier(gate: 0, criterion: 0, entry: 0),
            .criterion(row: 12), .shortage(0), .shortage((1 << 39) - 1),
        ]
        for origin in origins {
            for merged in [false, true] {
                let packed = RiskWording.pack(origin, merged: merged)
                XCTAssertNotNil(packed, "\(origin)")
                let back = RiskWording.unpack(packed ?? 0)
                XCTAssertEqual(back.origin, origin)
                XCTAssertEqual(back.merged, merged, "\(origin)")
            }
        }
        XCTAssertNil(RiskWording.pack(.exception(1 << 39), merged: false))
        XCTAssertNil(RiskWording.pack(.shortage(1 << 39), merged: false))
        XCTAssertNil(RiskWording.pack(.capacity(phase: 1024, product: 0), merged: false))
        XCTAssertNil(RiskWording.pack(.supplier(gate: 0, criterion: 2048, entry: 0), merged: false))
        XCTAssertLessThanOrEqual(MemoryLayout<RiskRecord>.stride, 64, "millions of risks on a stress model")
        // A finding keeps its origin packed, or kept apart when it does not pack.
        XCTAssertLessThanOrEqual(MemoryLayout<RiskRegister.Finding>.stride, 32, "millions of findings, sorted")
        let big = RiskWording.Origin.capacity(phase: 1024, product: 3)
        var findings = RiskRegister.Findings(spilled: [.shortage(5), big])
        for (packed, origin) in [(RiskWording.pack(.shortage(9), merged: false)!, RiskWording.Origin.shortage(9)),
                                 (RiskRegister.Finding.spilled | 1, big), (RiskRegister.Finding.spilled, .shortage(5))] {
            findings.list.append(RiskRegister.Finding(key: 0, quantity: 0, packedOrigin: packed, dateNumber: 0, level: 1, kind: .capacity))
            XCTAssertEqual(findings.origin(of: findings.list.last!), origin)
        }
    }

    /// The KPI risks merge into the register's list in place, each where a merge from the
    /// start puts it: before the first risk it goes ahead of (level, respond-by, kind),
    /// after the risks of its level and respond-by whose kinds sort first.
    func testKPIRisksMergeInPlaceWhereAForwardMergePutsThem() {
        let start = Day(iso: "2027-01-04")!
        func risk(_ id: String, _ kind: RiskKind, level: Int) -> Risk {
            Risk(id: id, kind: kind, item: id, level: level, owner: "o", respondBy: start.adding(days: 10 - level),
                 date: start, impact: "", message: "", quantity: 0)
        }
        let kinds: [RiskKind] = [.capacity, .expedite, .gateCriterion, .safetyStock, .shortage, .supplier]
        var register: [Risk] = []
        for level in [3, 2, 1] {
            for kind in kinds.sorted(by: { $0.rawValue < $1.rawValue }) where (level + kind.rawValue.count) % 3 != 0 {
                register.append(risk("\(kind.rawValue)-\(level)", kind, level: level))
            }
        }
        let found = [risk("k3", .kpi, level: 3), risk("k2a", .kpi, level: 2), risk("k2b", .kpi, level: 2), risk("k1", .kpi, level: 1)]
        func ahead(_ a: Risk, _ b: Risk) -> Bool {
            if a.level != b.level { return a.level > b.level }
            if a.respondBy != b.respondBy { return a.respondBy < b.respondBy }
            return a.kind.rawValue < b.kind.rawValue
        }
        var forward: [String] = []
        var k = 0
        for r in register {
            while k < found.count, ahead(found[k], r) { forward.append(found[k].id); k += 1 }
            forward.append(r.id)
        }
        forward += found[k...].map(\.id)
        var list = RiskList(register)
        KPIReport.merge(found, into: &list)
        XCTAssertEqual(list.map(\.id), forward)
        XCTAssertEqual(list.count, register.count + found.count)
        // The kpi risks sit among their level, after "gate_criterion", before "safety_stock".
        XCTAssertLessThan(list.map(\.id).firstIndex(of: "gate_criterion-2") ?? -1, list.map(\.id).firstIndex(of: "k2a")!)
        var empty = RiskList([])
        KPIReport.merge(found, into: &empty)
        XCTAssertEqual(empty.map(\.id), found.map(\.id))
    }

    /// Texts read from the plan (the register's risks) and texts given (a KPI risk's) are
    /// the same to a reader: a register risk copied with its texts written out equals it,
    /// and setting one text keeps the others.
    func testARiskReadsTheSameWhetherItsTextsAreMadeOrGiven() throws {
        let result = try run(items: "C,buy,15,,0\n", extra: ["bom.csv": "parent,component,qty_per\nP,C,2\n"])
        let risk = try XCTUnwrap(result.risks.first { $0.kind == .shortage })
        guard case .worded = risk.record.texts else { return XCTFail("a register risk makes its texts when read") }
        XCTAssertTrue(risk.impact.contains("units late") && risk.impact.contains("; delays "), risk.impact)
        var written = Risk(id: risk.id, kind: risk.kind, item: risk.item, level: risk.level, owner: risk.owner,
                           respondBy: risk.respondBy, date: risk.date, impact: risk.impact, message: risk.message,
                           quantity: risk.quantity, shortage: risk.shortage, valueAtRisk: risk.valueAtRisk)
        XCTAssertEqual(written.delayed, risk.delayed)
        XCTAssertEqual(written, risk)
        var changed = risk
        changed.message = "moved"
        XCTAssertEqual([changed.id, changed.impact, changed.message], [risk.id, risk.impact, "moved"])
        var renamed = risk
        renamed.item = "C2"
        XCTAssertEqual([renamed.item, renamed.id, renamed.message], ["C2", "shortage:C2:\(risk.date)", risk.message])
        // The item by index, where the risk was worded from the plan: the one its name reads.
        XCTAssertEqual(risk.itemIndex.map { result.model.items.names[$0] }, risk.item)
        XCTAssertNil(renamed.itemIndex, "a renamed risk's name is looked up")
        XCTAssertNil(written.itemIndex)
        for any in result.risks { if let k = any.itemIndex { XCTAssertEqual(result.model.items.names[k], any.item) } }
        written.level += 1
        XCTAssertNotEqual(written, risk)
    }

    /// A list of risks keeps records, none of which refers to the plan (only the list's one
    /// wording does), and a risk stored into a list of another plan has its texts written
    /// out, so it reads the same once that plan is gone.
    func testRiskRecordsHoldNoPlanAndAListKeepsOneWording() throws {
        let one = try run(items: "C,buy,15,,0\n", extra: ["bom.csv": "parent,component,qty_per\nP,C,2\n"])
        let other = try run(items: "D,buy,15,,0\n", extra: ["bom.csv": "parent,component,qty_per\nP,D,3\n"])
        let k = try XCTUnwrap(one.risks.firstIndex { $0.kind == .shortage })
        let foreign = try XCTUnwrap(other.risks.first { $0.kind == .shortage })
        /// Whether `value` or anything it holds is a `RiskWording` (the plan).
        func holdsPlan(_ value: Any) -> Bool {
            if value is RiskWording || value is PlanningModel || value is MRPResult { return true }
            return Mirror(reflecting: value).children.contains { holdsPlan($0.value) }
        }
        for record in one.risks.records { XCTAssertFalse(holdsPlan(record), "\(record.kind)") }
        XCTAssertTrue(holdsPlan(one.risks[k]), "a risk read from the list has the list's wording")
        var list = one.risks
        let own = list[k]
        list[k] = own
        XCTAssertEqual(list.records[k], one.risks.records[k], "a risk of the same plan keeps its packed record")
        list[k] = foreign
        guard case .written = list.records[k].texts else { return XCTFail("a risk of another plan is written out") }
        XCTAssertEqual(list[k], foreign)
        XCTAssertEqual([list[k].id, list[k].impact, list[k].message], [foreign.id, foreign.impact, foreign.message])
        XCTAssertTrue(list.wording === one.risks.wording)
        // Records compare what they store: the same finding, another owner, differs.
        var moved = one.risks.records[k]
        moved.owner += "-moved"
        XCTAssertNotEqual(moved, one.risks.records[k])
        XCTAssertEqual(RiskList([own, foreign]).map(\.id), [own.id, foreign.id])
    }
}
