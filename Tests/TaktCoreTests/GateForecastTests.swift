import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// `forecast_date` of gates.json (`GateForecast`) and the escalation of risks carried from
/// last week's run (`EscalationTracker`), worked by hand.
final class GateForecastTests: XCTestCase {
    /// P needs 1 h of ASSY a unit; ASSY has 40 h a week and 8 h of overtime: at most 48 a
    /// week against a ramp of 100, so four weeks end 400 − 192 = 208 behind.
    func capacityModel(gates: String? = nil) throws -> PlanningModel {
        var files = [
            "plan.yaml": planYAML(weeks: 12, products: "  - {item: P, full_rate_per_week: 100}\n",
                                  phases: "  - {name: Build, weeks: 4, capacity_pct: 100, gate: G}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,make,0,ASSY,1\n",
            "workcenters.csv": "workcenter,hours_per_day,overtime_hours_per_week,overtime_cost_per_hour\nASSY,8,8,1\n",
        ]
        if let gates { files["gates.csv"] = gates }
        return try TempModel(files).load()
    }

    /// 48 a week against a ramp of 100: weeks 2–4's requirements are never delivered
    /// within the horizon (the phase ends 208 behind and nothing is made after it), so the
    /// forecast is open and names the first of them.
    func testAGateWithADeliveryNotMadeWithinTheHorizonIsOpen() throws {
        let result = Planner.run(try capacityModel())
        assertClose(result.capacity[0].finalBacklog[0], 208)
        let gate = result.gates[0]
        XCTAssertEqual(gate.status, .noGo)
        XCTAssertNil(gate.forecast)
        XCTAssertEqual(gate.forecastReason, "P ramp due 2027-01-11 (capacity) is not delivered within the horizon")
        let json = String(decoding: DecisionTables.gates(result), as: UTF8.self)
        XCTAssertTrue(json.contains("\"forecast_date\": \"open\""), json)
    }

    /// C (30 working days: L = 6 weeks) is needed from the first week and cannot arrive
    /// before 2027-02-15; both ramp weeks of the phase are delivered then, the first 42
    /// days late: the gate (2027-01-18) is forecast 42 days later.
    func testAGateIsForecastItsLargestLatenessAfterItsDate() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Build, weeks: 2, capacity_pct: 100, gate: G}\n"),
            "items.csv": "item,type,lead_time_days\nP,make,0\nC,buy,30\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
        ]).load()
        let result = Planner.run(model)
        XCTAssertEqual(result.gates[0].status, .noGo)
        XCTAssertEqual(result.gates[0].date.description, "2027-01-18")
        XCTAssertEqual(result.gates[0].forecast?.description, "2027-03-01")
        XCTAssertEqual(result.gates[0].forecastReason, "P ramp due 2027-01-04 (C) arrives 2027-02-15 (+42 days)")
    }

    /// A manual criterion not done holds the gate until its due date when that is later;
    /// an overdue one makes the gate no_go but gives no later date.
    func testAManualCriterionDueLaterHoldsTheGate() throws {
        func run(_ due: String) throws -> GateResult {
            let model = try TempModel([
                "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 10}\n",
                                      phases: "  - {name: Build, weeks: 2, capacity_pct: 100, gate: G}\n"),
                "items.csv": "item,type,lead_time_days\nP,make,0\n",
                "gates.csv": "gate,criterion,done,owner,evidence,due_date\nG,Sign-off,false,QA,,\(due)\n",
            ]).load()
            return Planner.run(model).gates[0]
        }
        let later = try run("2027-03-22")
        XCTAssertEqual(later.forecast?.description, "2027-03-22")
        XCTAssertEqual(later.forecastReason, "\"Sign-off\" due 2027-03-22")
        let overdue = try run("2027-01-01")
        XCTAssertEqual(overdue.status, .noGo)
        XCTAssertEqual(overdue.forecast, overdue.date)
    }

    func testAGateWithEveryDeliveryOnTimeIsForecastOnItsDate() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 8, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Build, weeks: 2, capacity_pct: 100, gate: G}\n"),
            "items.csv": "item,type,lead_time_days\nP,make,0\n",
        ]).load()
        let gate = Planner.run(model).gates[0]
        XCTAssertEqual(gate.status, .go)
        XCTAssertEqual(gate.forecast, gate.date)
        XCTAssertEqual(gate.forecastReason, "every delivery of the phase on time")
    }
}

final class EscalationTrackerTests: XCTestCase {
    func settings() throws -> PlanSettings {
        try TempModel([
            "plan.yaml": planYAML(weeks: 4, extra: """
                escalation:
                  - {level: 1, owner: Lead, respond_within_days: 2}
                  - {level: 2, owner: PM, respond_within_days: 5}
                  - {level: 3, owner: VP, respond_within_days: 0}

                """),
            "items.csv": "item,type\nA,buy\n",
        ]).load().plan
    }

    func risk(_ id: String, level: Int, owner: String, respondBy: String) -> Risk {
        Risk(id: id, kind: .shortage, item: "A", level: level, owner: owner, respondBy: Day(iso: respondBy)!,
             date: Day(iso: "2027-02-01")!, impact: "", message: "", quantity: 1)
    }

    func testDeadlinesPassedEscalateOneLevelAndOthersKeepTheirDeadline() throws {
        let plan = try settings() // start 2027-01-04, a Monday
        var risks: RiskList = [
            risk("a", level: 1, owner: "Lead", respondBy: "2027-01-06"),  // new
            risk("b", level: 1, owner: "Lead", respondBy: "2027-01-06"),  // last week level 1 due 2027-01-01: passed
            risk("c", level: 3, owner: "VP", respondBy: "2027-01-04"),    // at the top, due 2026-12-28: passed
            risk("d", level: 1, owner: "Lead", respondBy: "2027-01-06"),  // last week level 2 due 2027-01-08: not yet
        ]
        let day = { Day(iso: $0)! }
        let previous: [String: PreviousRun.RiskState] = [
            "b": .init(level: 1, owner: "Lead", respondBy: day("2027-01-01"), firstSeen: day("2026-12-28")),
            "c": .init(level: 3, owner: "VP", respondBy: day("2026-12-28"), firstSeen: day("2026-12-21")),
            "d": .init(level: 2, owner: "PM", respondBy: day("2027-01-08"), firstSeen: day("2026-12-28")),
        ]
        EscalationTracker.apply(to: &risks, previous: previous, plan: plan)
        // Re-ordered: level 3, then level 2 by deadline (d 01-08, b 01-11), then level 1.
        XCTAssertEqual(risks.map(\.id), ["c", "d", "b", "a"])
        let byID = Dictionary(uniqueKeysWithValues: risks.map { ($0.id, $0) })
        XCTAssertEqual(byID["a"]!.firstSeen, plan.start)
        XCTAssertNil(byID["a"]!.escalatedFrom)
        // b: level 1 → 2, PM, start + 5 business days.
        XCTAssertEqual([byID["b"]!.level, byID["b"]!.escalatedFrom], [2, 1])
        XCTAssertEqual(byID["b"]!.owner, "PM")
        XCTAssertEqual(byID["b"]!.respondBy.description, "2027-01-11")
        XCTAssertEqual(byID["b"]!.missedRespondBy?.description, "2027-01-01")
        XCTAssertEqual(byID["b"]!.firstSeen?.description, "2026-12-28")
        // c: at the top, only the deadline renews.
        XCTAssertEqual(byID["c"]!.level, 3)
        XCTAssertNil(byID["c"]!.escalatedFrom)
        XCTAssertEqual(byID["c"]!.respondBy, plan.start)
        XCTAssertEqual(byID["c"]!.missedRespondBy?.description, "2026-12-28")
        // d: keeps last week's higher level, owner and deadline.
        XCTAssertEqual([byID["d"]!.level], [2])
        XCTAssertEqual(byID["d"]!.owner, "PM")
        XCTAssertEqual(byID["d"]!.respondBy.description, "2027-01-08")
        XCTAssertNil(byID["d"]!.missedRespondBy)
    }

    /// An open decision naming a risk, due on or after the plan date, holds its escalation.
    func testAResponseUnderWayHoldsTheLevel() throws {
        let plan = try settings() // start 2027-01-04
        let day = { Day(iso: $0)! }
        func decision(_ date: String, _ status: String, _ risk: String) -> DecisionRow {
            DecisionRow(date: day(date), decision: "answer", owner: "Buyer", gate: "", rationale: "", impact: "", status: status,
                        risks: [risk], line: 2)
        }
        let due = EscalationTracker.responseDue([decision("2027-01-08", "open", "held"), decision("2027-01-06", "open", "held"),
                                                 decision("2027-01-01", "open", "late"), decision("2027-01-08", "decided", "done")],
                                                start: plan.start)
        XCTAssertEqual(due, ["held": day("2027-01-06")], "open and not yet due only, the earliest")
        var risks: RiskList = [risk("held", level: 1, owner: "Lead", respondBy: "2027-01-06"),
                               risk("late", level: 1, owner: "Lead", respondBy: "2027-01-06")]
        let last = PreviousRun.RiskState(level: 2, owner: "PM", respondBy: day("2027-01-01"), firstSeen: day("2026-12-21"))
        EscalationTracker.apply(to: &risks, previous: ["held": last, "late": last], plan: plan, responseDue: due)
        let byID = Dictionary(uniqueKeysWithValues: risks.map { ($0.id, $0) })
        XCTAssertEqual(byID["held"]!.level, 2)
        XCTAssertEqual(byID["held"]!.owner, "PM")
        XCTAssertEqual(byID["held"]!.respondBy, day("2027-01-06"))
        XCTAssertNil(byID["held"]!.escalatedFrom)
        XCTAssertEqual(byID["held"]!.missedRespondBy, day("2027-01-01"))
        // Without a response under way: one level up, as ever.
        XCTAssertEqual(byID["late"]!.level, 3)
        XCTAssertEqual(byID["late"]!.owner, "VP")
    }
}
