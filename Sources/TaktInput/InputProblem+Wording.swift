import TaktModel

extension InputProblem {
    /// The text after `FILE:LINE: ` (contract §1). Every input error's wording is here.
    public var message: String {
        switch self {
        case .folderNotFound: "model folder not found"
        case .fileMissing: "required file is missing"
        case .isAFolder: "is a folder, not a file"
        case .notARegularFile: "is not a regular file (a device, pipe or socket)"
        case .unreadable: "cannot be read"
        case .scenarioUnreadable: "scenario file not found or unreadable"
        case .fileTooLarge: "file is too large (at most 4 GiB)"
        case .notUTF8: "file is not UTF-8 text (a byte that is not UTF-8, or a NUL byte)"
        case .emptyCSV: "file is empty: a header row is required"
        case .emptyPlan: "file is empty: start is required"

        case .unterminatedQuote: "unterminated quoted field"
        case .textAfterClosingQuote: "unexpected text after a closing quote"
        case .duplicateColumn(let name): "duplicate column \(quoted(name)) in the header"
        case let .tooManyFields(fields, header): "row has \(fields) fields but the header has \(header) (an unquoted comma?)"
        case .missingColumn(let name): "missing required column \(quoted(name))"
        case .noItems: "no items: the file has only its header row"

        case .invalidYAML(let problem): "invalid YAML: \(problem)"
        case let .notAMappingOfKeys(subject, keys): "\(subject) must be a mapping of keys (\(keys))"
        case let .notAMapping(field, expected): "\(field) must be a mapping" + (expected.map { " (\($0))" } ?? "")
        case .notAList(let field): "\(field) must be a list"
        case .notAText(let field): "\(field) must be text, not a list or a mapping"
        case let .unknownKey(name, context, nearest): "unknown key \(quoted(name))\(context)\(didYouMean(nearest))"
        case let .unknownScenarioKey(name, nearest): "unknown scenario key \(quoted(name))\(didYouMean(nearest))"
        case .missingKey(let key): "missing required key \(quoted(key))"
        case let .entryMissingKey(entry, name, key): "\(entry)\(name.map { " " + quoted($0) } ?? "") is missing \(quoted(key))"
        case .productEntryNotAMapping: "a product must be a mapping with item and full_rate_per_week"
        case .phaseEntryNotAMapping: "a phase must be a mapping with name, weeks and capacity_pct"
        case .escalationEntryIncomplete: "an escalation entry needs level, owner and respond_within_days"
        case .capacityPctShape(let phase): "phase \(quoted(phase)): capacity_pct must be a number or [from, to]"
        case .lateWeeksShape: "late_weeks must be a list of two whole numbers [from, to]"
        case let .lateWeeksOrder(from, to): "late_weeks must go from the fewer weeks to the more, got [\(from), \(to)]"
        case .costTargetsShape: "kpis: cost_per_unit must map each product to its target cost, e.g. {DRONE-X1: 180}"
        case .kpiWithoutTarget(let name): "\(name) needs a target"
        case .ownerNotOneName(let kpi): "owner in \(kpi) must be one name, not a list or a mapping"
        case .scenarioNameEmpty: "name must be a non-empty text"
        case .scenarioPlanKey(let key): "plan: only phases, products and costs can be replaced, not \(quoted(key))"
        case .receiptChangeShape(let reference): "receipts: \(reference) takes one of {slip_weeks: N} or {due_date: YYYY-MM-DD}"

        case .empty(let field): "\(field) is empty"
        case let .notANumber(field, text): "\(field) is not a number: \(quoted(text))"
        case let .tooLarge(field, text): "\(field) is too large (at most 1e15), got \(text)"
        case let .outOfRange(field, rule, text): "\(field) \(Self.expectation(rule)), got \(text)"
        case let .atMost(field, limit, text): "\(field) must be at most \(limit), got \(text)"
        case let .beyondSolverLimit(field, text): "\(field) must be at most 1e9 (the LP solver is not reliable above), got \(text)"
        case let .belowOutputPrecision(field, text): "\(field) must be 0 (none) or at least 0.000001 (outputs have 6 decimals), got \(text)"
        case let .notAWholeNumber(field, minimum, text): "\(field) must be a whole number >= \(minimum), got \(quoted(text))"
        case let .belowMinimum(field, minimum, text): "\(field) must be a whole number >= \(minimum), got \(text)"
        case .horizonTooLong(let text): "horizon_weeks must be at most \(PlanParser.maximumWeeks) (ten years), got \(text)"
        case let .notADate(field, text): "\(field) is not a valid YYYY-MM-DD date: \(quoted(text))"
        case let .notABoolean(field, text): "\(field) must be true or false, got \(quoted(text))"
        case let .planEndsPastCalendar(start, weeks): "the plan from \(start) over \(weeks) weeks would end after 9999-12-31"
        case .unknownType(let text): "unknown type \(quoted(text)) (expected make, buy or phantom)"
        case .unknownLotRule(let text): "unknown lot_rule \(quoted(text)) (expected lfl, foq, poq or eoq)"
        case .unknownBucket(let text): "unknown bucket \(quoted(text)) (expected week or day)"
        case .unknownMPS(let text): "unknown mps \(quoted(text)) (expected capacity or ramp)"
        case .unknownStatus(let text): "status must be open or decided, got \(quoted(text))"
        case .lotSizeMissing(let rule): "lot_size must be > 0 for lot_rule \(rule)"
        case .tooManyUnits: "uom: more than 65535 different units of measure"

        case let .duplicateName(kind, name, first): "duplicate \(kind.rawValue) \(quoted(name)) (first on line \(first))"
        case let .duplicateSupplier(supplier, item, first):
            "duplicate supplier \(quoted(supplier)) for item \(quoted(item)) (first on line \(first))"
        case let .duplicateRouting(item, workcenter, first):
            "duplicate routing \(quoted(item)) at \(quoted(workcenter)) (first on line \(first))"
        case let .duplicateCriterion(criterion, gate, first):
            "duplicate criterion \(quoted(criterion)) of gate \(quoted(gate)) (first on line \(first))"
        case let .duplicateBOMLine(parent, component, first): "duplicate BOM line \(parent) -> \(component) (first on line \(first))"
        case .duplicateEscalationLevel(let level): "duplicate escalation level \(level)"
        case let .unknownName(kind, name): "unknown \(kind.rawValue) \(quoted(name))"
        case let .unknownScenarioSupplier(name, nearest): "unknown supplier \(quoted(name))\(didYouMean(nearest))"
        case .unknownSupplierItem(let key): "unknown supplier/item \(quoted(key)) (expected SUPPLIER/ITEM of suppliers.csv)"
        case let .unknownReceipt(reference, nearest):
            "receipts: no open receipt with reference \(quoted(reference)) in receipts.csv\(didYouMean(nearest))"
        case .supplierWithoutReceipts(let supplier): "supplier_slip_weeks: \(supplier) has no open receipt in receipts.csv"
        case .builtInCriterion(let name):
            "criterion \(quoted(name)) is one Takt evaluates itself "
                + "(\(BuiltInCriterion.allCases.map(\.rawValue).joined(separator: ", "))): give the manual one another name"
        case .productNotAnItem(let name): "product \(quoted(name)) is not an item"
        case .costTargetNotAProduct(let name): "kpis: cost_per_unit names \(quoted(name)), which is not a product of the plan"
        case .rateScaleNotAProduct(let name): "rate_scale: \(quoted(name)) is not a product of the plan"

        case .bomCycle(let names): "BOM cycle: " + names.joined(separator: " -> ")
        case let .productIsComponent(product, parent):
            "product \(product) is a component of \(parent): under mps: capacity a product is planned by the master schedule "
                + "and cannot also be a component (use mps: ramp)"
        case let .scenarioProductIsComponent(product, parent, bomLine):
            "product \(quoted(product)) is a component of \(parent) (bom.csv line \(bomLine)): under mps: capacity a product cannot also be a component"
        }
    }

    /// What a number breaking `rule` should have been.
    static func expectation(_ rule: ValueRule) -> String {
        switch rule {
        case .nonNegative: "must be >= 0"
        case .positive: "must be > 0"
        case .percentAboveZero: "must be in (0, 100]"
        case .percent: "must be in [0, 100]"
        case .days: "must be from 0 to \(Int(TableReader.largestDays)) days"
        }
    }

    private func quoted(_ text: String) -> String { "\"" + text + "\"" }

    private func didYouMean(_ nearest: String?) -> String { nearest.map { " (did you mean \"\($0)\"?)" } ?? "" }
}
