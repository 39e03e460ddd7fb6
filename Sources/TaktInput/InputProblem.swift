import TaktModel

/// What is wrong with an input, with the values that make it concrete (contract §1: a bad
/// model, plan or scenario exits 2 with `FILE:LINE: what is wrong`). The cases are the
/// whole list of input errors; their text is made in one place, `message`
/// (`InputProblem+Wording.swift`), so that a test can assert a case and its fields and one
/// golden file holds the wording of every case.
///
/// `field` names what the user wrote the value under: a CSV column (`lead_time_days`), a
/// YAML key (`horizon_weeks`), or a key with its context (`phase "Ramp": weeks`).
public enum InputProblem: Hashable, Sendable {
    // Files and folders.
    case folderNotFound
    case fileMissing
    case isAFolder
    case notARegularFile
    case unreadable
    case scenarioUnreadable
    case fileTooLarge
    case notUTF8
    case emptyCSV
    case emptyPlan

    // CSV structure.
    case unterminatedQuote
    case textAfterClosingQuote
    case duplicateColumn(String)
    case tooManyFields(fields: Int, header: Int)
    case missingColumn(String)
    case noItems

    // YAML structure.
    case invalidYAML(String)
    /// `subject` must be a mapping of keys (`keys`): the whole of plan.yaml or a scenario.
    case notAMappingOfKeys(subject: String, keys: String)
    /// `field` must be a mapping; `expected` says of what, when the key alone does not.
    case notAMapping(field: String, expected: String?)
    case notAList(field: String)
    /// A key that takes one name or text given a list or a mapping.
    case notAText(field: String)
    /// A key no reader knows; `context` is where (" in a phase"), `nearest` a known key
    /// spelled alike.
    case unknownKey(String, context: String, nearest: String?)
    case unknownScenarioKey(String, nearest: String?)
    case missingKey(String)
    /// A list entry (`product`, `phase`) without one of its keys; `name` is the entry's own
    /// name when it has one.
    case entryMissingKey(entry: String, name: String?, key: String)
    case productEntryNotAMapping
    case phaseEntryNotAMapping
    case escalationEntryIncomplete
    case capacityPctShape(phase: String)
    case lateWeeksShape
    case lateWeeksOrder(from: Int, to: Int)
    case costTargetsShape
    case kpiWithoutTarget(String)
    case ownerNotOneName(kpi: String)
    case scenarioNameEmpty
    case scenarioPlanKey(String)
    case receiptChangeShape(reference: String)

    // Values. `text` is the value as written.
    case empty(field: String)
    case notANumber(field: String, text: String)
    /// Beyond `TableReader.largest` (1e15).
    case tooLarge(field: String, text: String)
    case outOfRange(field: String, rule: ValueRule, text: String)
    case atMost(field: String, limit: Int, text: String)
    /// A cost of the capacity LP above `PlanParser.largestLPCost` (1e9).
    case beyondSolverLimit(field: String, text: String)
    /// A lot bound below the outputs' six decimals.
    case belowOutputPrecision(field: String, text: String)
    case notAWholeNumber(field: String, minimum: Int, text: String)
    case belowMinimum(field: String, minimum: Int, text: String)
    case horizonTooLong(text: String)
    case notADate(field: String, text: String)
    case notABoolean(field: String, text: String)
    case planEndsPastCalendar(start: Day, weeks: Int)
    case unknownType(String)
    case unknownLotRule(String)
    case unknownBucket(String)
    case unknownMPS(String)
    case unknownStatus(String)
    case lotSizeMissing(rule: String)
    case tooManyUnits

    // Names and references.
    case duplicateName(NameKind, String, firstLine: Int)
    case duplicateSupplier(supplier: String, item: String, firstLine: Int)
    case duplicateRouting(item: String, workcenter: String, firstLine: Int)
    case duplicateCriterion(criterion: String, gate: String, firstLine: Int)
    case duplicateBOMLine(parent: String, component: String, firstLine: Int)
    case duplicateEscalationLevel(Int)
    case unknownName(NameKind, String)
    /// A supplier a scenario names; `nearest` is a supplier spelled alike.
    case unknownScenarioSupplier(String, nearest: String?)
    case unknownSupplierItem(String)
    case unknownReceipt(reference: String, nearest: String?)
    case supplierWithoutReceipts(String)
    case builtInCriterion(String)
    case productNotAnItem(String)
    case costTargetNotAProduct(String)
    case rateScaleNotAProduct(String)

    // BOM rules.
    /// The items of a cycle, the first repeated at the end.
    case bomCycle([String])
    case productIsComponent(product: String, parent: String)
    /// A product a scenario plans that the BOM uses as a component at `bomLine`.
    case scenarioProductIsComponent(product: String, parent: String, bomLine: Int)
}

/// The kinds of named things a model declares once and refers to by name.
public enum NameKind: String, Hashable, Sendable {
    case item, workcenter, supplier, product, phase
}

/// A range a number must lie in.
public enum ValueRule: Hashable, Sendable {
    case nonNegative
    case positive
    /// `(0, 100]`, for yields.
    case percentAboveZero
    /// `[0, 100]`.
    case percent
    /// `[0, 36,500]` days, for lead times (`docs/model.md`, limits).
    case days
}
