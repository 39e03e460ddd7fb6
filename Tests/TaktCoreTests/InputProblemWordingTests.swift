import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput

/// The wording of every input error (contract §1), held in one golden file,
/// `Goldens/input-problems.txt`: one line per case, `case: message`. A new case does not
/// compile here until it has a sample (the switch in `index` has no default), and the
/// test fails until the golden has its line (`RECORD_SNAPSHOTS=1` rewrites it; read the
/// difference before committing it).
final class InputProblemWordingTests: XCTestCase {
    /// One of each case, with fields a planner might meet.
    static let samples: [InputProblem] = [
        .folderNotFound, .fileMissing, .isAFolder, .notARegularFile, .unreadable, .scenarioUnreadable,
        .fileTooLarge, .notUTF8, .emptyCSV, .emptyPlan,
        .unterminatedQuote, .textAfterClosingQuote, .duplicateColumn("on_hand"), .tooManyFields(fields: 4, header: 3),
        .missingColumn("qty_per"), .noItems,
        .invalidYAML("did not find expected key"),
        .notAMappingOfKeys(subject: "plan.yaml", keys: "start, horizon_weeks, …"),
        .notAMapping(field: "simulation", expected: "late_weeks: [from, to]"),
        .notAList(field: "phases"),
        .notAText(field: "phase \"Ramp\": gate"),
        .unknownKey("horizon_week", context: "", nearest: "horizon_weeks"),
        .unknownScenarioKey("lead_time", nearest: "lead_time_days"),
        .missingKey("start"),
        .entryMissingKey(entry: "phase", name: "Ramp", key: "weeks"),
        .productEntryNotAMapping, .phaseEntryNotAMapping, .escalationEntryIncomplete,
        .capacityPctShape(phase: "Ramp"), .lateWeeksShape, .lateWeeksOrder(from: 4, to: 1), .costTargetsShape,
        .kpiWithoutTarget("on_time_delivery_pct"), .ownerNotOneName(kpi: "first_pass_yield_pct"),
        .scenarioNameEmpty, .scenarioPlanKey("start"), .receiptChangeShape(reference: "PO-7"),
        .empty(field: "qty_per"), .notANumber(field: "lot_size", text: "ten"), .tooLarge(field: "on_hand", text: "1e16"),
        .outOfRange(field: "yield_pct", rule: .percentAboveZero, text: "0"),
        .atMost(field: "days_per_week", limit: 7, text: "8"),
        .beyondSolverLimit(field: "overtime_cost_per_hour", text: "1e10"),
        .belowOutputPrecision(field: "max_lot", text: "0.0000001"),
        .notAWholeNumber(field: "frozen_weeks", minimum: 0, text: "1.5"),
        .belowMinimum(field: "horizon_weeks", minimum: 1, text: "0"),
        .horizonTooLong(text: "600"),
        .notADate(field: "due_date", text: "2027-02-30"), .notABoolean(field: "contracted", text: "yes"),
        .planEndsPastCalendar(start: Day(iso: "9999-06-07")!, weeks: 52),
        .unknownType("gizmo"), .unknownLotRule("fixed"), .unknownBucket("month"), .unknownMPS("auto"),
        .unknownStatus("closed"), .lotSizeMissing(rule: "foq"), .tooManyUnits,
        .duplicateName(.workcenter, "WC-ASSY", firstLine: 2),
        .duplicateSupplier(supplier: "ACME", item: "MOTOR-2207", firstLine: 3),
        .duplicateRouting(item: "FRAME", workcenter: "WC-CNC", firstLine: 4),
        .duplicateCriterion(criterion: "FCC filed", gate: "G2", firstLine: 5),
        .duplicateBOMLine(parent: "DRONE-X1", component: "FRAME", firstLine: 6),
        .duplicateEscalationLevel(2),
        .unknownName(.supplier, "ACME GmbH"),
        .unknownScenarioSupplier("ACME", nearest: "ACMEE"),
        .unknownSupplierItem("ACME/NOPE"),
        .unknownReceipt(reference: "PO-71", nearest: "PO-7"),
        .supplierWithoutReceipts("ACME"),
        .builtInCriterion("material"),
        .productNotAnItem("DRONE-X9"), .costTargetNotAProduct("FRAME"), .rateScaleNotAProduct("FRAME"),
        .bomCycle(["B", "C", "D", "B"]),
        .productIsComponent(product: "DRONE-X1", parent: "KIT"),
        .scenarioProductIsComponent(product: "DRONE-X1", parent: "KIT", bomLine: 9),
    ]

    /// The case's place in the enum's order: a switch without default, so that a new case
    /// is a compile error here until it is given a number (and then a sample).
    static func index(_ problem: InputProblem) -> Int {
        switch problem {
        case .folderNotFound: 0
        case .fileMissing: 1
        case .isAFolder: 2
        case .notARegularFile: 3
        case .unreadable: 4
        case .scenarioUnreadable: 5
        case .fileTooLarge: 6
        case .notUTF8: 7
        case .emptyCSV: 8
        case .emptyPlan: 9
        case .unterminatedQuote: 10
        case .textAfterClosingQuote: 11
        case .duplicateColumn: 12
        case .tooManyFields: 13
        case .missingColumn: 14
        case .noItems: 15
        case .invalidYAML: 16
        case .notAMappingOfKeys: 17
        case .notAMapping: 18
        case .notAList: 19
        case .notAText: 20
        case .unknownKey: 21
        case .unknownScenarioKey: 22
        case .missingKey: 23
        case .entryMissingKey: 24
        case .productEntryNotAMapping: 25
        case .phaseEntryNotAMapping: 26
        case .escalationEntryIncomplete: 27
        case .capacityPctShape: 28
        case .lateWeeksShape: 29
        case .lateWeeksOrder: 30
        case .costTargetsShape: 31
        case .kpiWithoutTarget: 32
        case .ownerNotOneName: 33
        case .scenarioNameEmpty: 34
        case .scenarioPlanKey: 35
        case .receiptChangeShape: 36
        case .empty: 37
        case .notANumber: 38
        case .tooLarge: 39
        case .outOfRange: 40
        case .atMost: 41
        case .beyondSolverLimit: 42
        case .belowOutputPrecision: 43
        case .notAWholeNumber: 44
        case .belowMinimum: 45
        case .horizonTooLong: 46
        case .notADate: 47
        case .notABoolean: 48
        case .planEndsPastCalendar: 49
        case .unknownType: 50
        case .unknownLotRule: 51
        case .unknownBucket: 52
        case .unknownMPS: 53
        case .unknownStatus: 54
        case .lotSizeMissing: 55
        case .tooManyUnits: 56
        case .duplicateName: 57
        case .duplicateSupplier: 58
        case .duplicateRouting: 59
        case .duplicateCriterion: 60
        case .duplicateBOMLine: 61
        case .duplicateEscalationLevel: 62
        case .unknownName: 63
        case .unknownScenarioSupplier: 64
        case .unknownSupplierItem: 65
        case .unknownReceipt: 66
        case .supplierWithoutReceipts: 67
        case .builtInCriterion: 68
        case .productNotAnItem: 69
        case .costTargetNotAProduct: 70
        case .rateScaleNotAProduct: 71
        case .bomCycle: 72
        case .productIsComponent: 73
        case .scenarioProductIsComponent: 74
        }
    }

    static let caseCount = 75

    func testEveryCaseHasOneSampleInOrder() {
        XCTAssertEqual(Self.samples.map(Self.index), Array(0..<Self.caseCount))
    }

    func testWordingOfEveryCaseMatchesTheGolden() throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens/input-problems.txt")
        var text = ""
        for sample in Self.samples {
            // The case name as Swift prints it, then the message as the CLI prints it.
            let name = String(String(describing: sample).prefix { $0 != "(" })
            text += name + ": " + Diagnostic(SourceLocation(file: "f", line: 1), sample).message + "\n"
        }
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try String(contentsOf: golden, encoding: .utf8), text)
    }

    /// Variants a single sample does not show: every value rule, every kind of name, and
    /// the optional parts (a suggestion, an entry's own name, what a mapping should hold).
    func testVariantsOfTheParameterizedCases() {
        XCTAssertEqual([ValueRule.nonNegative, .positive, .percentAboveZero, .percent, .days].map {
            InputProblem.outOfRange(field: "x", rule: $0, text: "-1").message
        }, ["x must be >= 0, got -1", "x must be > 0, got -1", "x must be in (0, 100], got -1",
            "x must be in [0, 100], got -1", "x must be from 0 to 36500 days, got -1"])
        XCTAssertEqual(InputProblem.unknownName(.item, "A").message, "unknown item \"A\"")
        XCTAssertEqual(InputProblem.unknownName(.workcenter, "W").message, "unknown workcenter \"W\"")
        XCTAssertEqual(InputProblem.duplicateName(.phase, "Ramp", firstLine: 7).message, "duplicate phase \"Ramp\" (first on line 7)")
        XCTAssertEqual(InputProblem.unknownKey("x", context: " in a phase", nearest: nil).message, "unknown key \"x\" in a phase")
        XCTAssertEqual(InputProblem.entryMissingKey(entry: "product", name: nil, key: "item").message, "product is missing \"item\"")
        XCTAssertEqual(InputProblem.notAMapping(field: "costs", expected: nil).message, "costs must be a mapping")
    }

    /// A terminal escape in a name is shown, not acted on; the problem keeps the raw name.
    func testDescriptionShowsControlCharacters() {
        let d = Diagnostic(SourceLocation(file: "items.csv", line: 2), .unknownName(.item, "\u{1B}[31mRED"), column: "item")
        XCTAssertEqual(d.description, "items.csv:2: unknown item \"\\u{1B}[31mRED\"")
        XCTAssertEqual(d.problem, .unknownName(.item, "\u{1B}[31mRED"))
    }
}
