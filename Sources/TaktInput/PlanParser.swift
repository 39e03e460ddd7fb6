import Yams
import TaktModel

/// Reads `plan.yaml` (contract §1) and the `plan:` part of scenarios, reporting every
/// problem with the YAML line it is on.
struct PlanParser {
    let file: String
    var sink: DiagnosticSink
    /// Whether an unknown key that is no likely misspelling of a known one is read past
    /// (`ignored`, plan.yaml) rather than an error (a scenario, Takt's own format).
    var readsPastUnknownKeys = false
    /// The keys read past (`PlanSettings.ignoredKeys`).
    var ignored: [PlanSettings.IgnoredKey] = []

    /// A product as written, before its item is resolved.
    struct ProductEntry {
        var item: String
        var fullRatePerWeek: Double
        var line: Int
        /// Its own backlog cost (§2b priority), when given.
        var backlogPerUnitWeek: Double?
    }

    struct RawPlan {
        var start = Day(number: 0)
        var startLine = 1
        var horizonWeeks: Int?
        var bucket = BucketKind.week
        var products: [ProductEntry] = []
        var phases: [Phase] = []
        var costs = PlanCosts()
        var escalation = EscalationLevel.defaults
        var escalationLine: Int?
        var mps = MPSMode.capacity
        var wholeUnits = true
        var rescheduleInWeeks = 4
        var frozenWeeks = 0
        var kpis = KPITargets()
        var lateWeeks: ClosedRange<Int> = 1...4
        /// `cost_per_unit` entries by product name, resolved once the items are known.
        var costTargets: [(product: String, target: KPITargets.Target, line: Int)] = []
        /// Keys read past (`PlanParser.ignored`).
        var ignoredKeys: [PlanSettings.IgnoredKey] = []
    }

    init(file: String, sink: DiagnosticSink = DiagnosticSink()) {
        self.file = file
        self.sink = sink
    }

    static func compose(_ text: String, file: String, sink: inout DiagnosticSink) -> Node? {
        do {
            // The basic resolver: Takt reads every scalar as text and parses numbers, dates and
            // booleans itself, and the default resolver's tag regexes run on ICU, whose
            // matcher aborted the process now and then on Linux (seen in the test suite).
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            var (line, problem) = Self.describe(error)
            if case let .duplicatedKeysInMapping(duplicates, context) = error {
                line = Self.repeatLine(of: duplicates.first ?? "", after: context.mark, in: text)
            }
            // libyaml may point one line past the end of a file with no final newline.
            let lines = max(1, Self.lines(of: text).count - (text.last.map(Self.isLineBreak) == true ? 1 : 0))
            sink.error(file, min(line, lines), .invalidYAML(problem))
        } catch {
            sink.error(file, 1, .invalidYAML("\(error)"))
        }
        return nil
    }

    /// The line of the second `key:` of a block mapping whose first key is at `first`: the
    /// next line down, within the mapping, that holds `key` (plain or quoted) at the same
    /// column. `first`'s line when there is none (a flow mapping, `{a: 1, a: 2}`, repeats
    /// it on one line).
    static func repeatLine(of key: String, after first: Mark, in text: String) -> Int {
        let lines = Self.lines(of: text)
        let indent = max(0, first.column - 1)
        guard first.line >= 1, first.line < lines.count, !key.isEmpty else { return max(1, first.line) }
        for k in first.line..<lines.count {
            let line = Substring(lines[k])
            let body = line.drop { $0 == " " }
            if body.isEmpty || body.hasPrefix("#") || body.allSatisfy({ $0 == "\t" || $0 == " " }) { continue }
            let leading = line.count - body.count
            // A line less indented ends the mapping.
            if leading < indent { break }
            guard leading == indent else { continue }
            for spelled in [key, "\"\(key)\"", "'\(key)'"] where body.hasPrefix(spelled) {
                if body.dropFirst(spelled.count).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":") { return k + 1 }
            }
        }
        return max(1, first.line)
    }

    /// The text's lines as YAML counts them: LF, CRLF (one `Character` in Swift), CR, NEL,
    /// and the line and paragraph separators each end one.
    static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: isLineBreak)
    }

    static func isLineBreak(_ c: Character) -> Bool {
        c == "\n" || c == "\r\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
    }

    private static func describe(_ error: YamlError) -> (Int, String) {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return (mark.line, problem)
        case let .reader(problem, _, _, _):
            return (1, problem)
        case let .duplicatedKeysInMapping(duplicates, _):
            return (1, "duplicate keys \(duplicates.joined(separator: ", "))")
        default:
            return (1, "\(error)")
        }
    }

    func line(_ node: Node?) -> Int { node?.mark?.line ?? 1 }

    /// A value's YAML key (a diagnostic's column) and the name its messages give it: the
    /// key itself, `lead_time_days of A` (`of`), or `phase "Ramp": weeks` (`phase`).
    /// Only a plain literal converts: a composed name is made by `of` or `phase`, so the
    /// key is never read back out of the name.
    struct Field: ExpressibleByStringLiteral {
        let key: String
        let name: String

        init(stringLiteral key: String) { (self.key, name) = (key, key) }
        private init(key: String, name: String) { (self.key, self.name) = (key, name) }

        /// `KEY of SUBJECT`: a key under an item, product or supplier.
        static func of(_ key: String, _ subject: String) -> Field { Field(key: key, name: "\(key) of \(subject)") }

        /// `phase "NAME": KEY`.
        static func phase(_ phase: String, _ key: String) -> Field { Field(key: key, name: "phase \"\(phase)\": \(key)") }
    }

    /// Every key of `map` that is not in `known`: an error when a known key is close to it
    /// (a misspelt `horizon_week` must not silently plan 52 weeks), else, in plan.yaml
    /// (`readsPastUnknownKeys`), read past with a warning (`ignored`): §1 names the keys
    /// Takt reads, not the only ones a plan may hold.
    mutating func rejectUnknownKeys(_ map: Node.Mapping, known: [String], in context: String) {
        for (key, _) in map {
            let name = key.string ?? ""
            guard !known.contains(name) else { continue }
            let nearest = Spelling.nearest(to: name, in: known)
            if nearest == nil && readsPastUnknownKeys {
                ignored.append(.init(line: line(key), key: name, context: context))
            } else {
                sink.error(file, line(key), .unknownKey(name, context: context, nearest: nearest), column: name)
            }
        }
    }

    static let planKeys = ["start", "horizon_weeks", "bucket", "mps", "whole_units", "reschedule_in_weeks", "frozen_weeks", "products",
                           "phases", "costs", "escalation", "kpis", "simulation"]

    /// The horizon of a plan that gives neither `horizon_weeks` nor phases: a year.
    static let defaultHorizonWeeks = 52

    /// The longest horizon and phase accepted: ten years of weeks.
    static let maximumWeeks = 520

    mutating func parsePlan(_ root: Node) -> RawPlan {
        var plan = RawPlan()
        guard let mapping = root.mapping else {
            sink.error(file, line(root), .notAMappingOfKeys(subject: "plan.yaml", keys: "start, horizon_weeks, …"))
            return plan
        }
        rejectUnknownKeys(mapping, known: Self.planKeys, in: "")
        if let node = mapping["start"] {
            if let day = Day(iso: node.string ?? "") {
                plan.start = day
                plan.startLine = line(node)
            } else {
                sink.error(file, line(node), .notADate(field: "start", text: node.string ?? ""), column: "start")
            }
        } else {
            sink.error(file, line(root), .missingKey("start"), column: "start")
        }
        if let node = mapping["horizon_weeks"] {
            if let text = node.scalar?.string, let value = DecimalParser.parse(text), value == value.rounded(), value > Double(Self.maximumWeeks) {
                sink.error(file, line(node), .horizonTooLong(text: text), column: "horizon_weeks")
            } else {
                plan.horizonWeeks = wholeNumber(node, name: "horizon_weeks", minimum: 1)
            }
            if let weeks = plan.horizonWeeks, weeks > Self.maximumWeeks {
                sink.error(file, line(node), .horizonTooLong(text: "\(weeks)"), column: "horizon_weeks")
                plan.horizonWeeks = nil
            }
        }
        if let node = mapping["bucket"] {
            switch node.string {
            case "week": plan.bucket = .week
            case "day": plan.bucket = .day
            default: sink.error(file, line(node), .unknownBucket(node.string ?? ""), column: "bucket")
            }
        }
        if let node = mapping["products"] { plan.products = parseProducts(node) }
        if let node = mapping["phases"] { plan.phases = parsePhases(node) }
        if let node = mapping["costs"] { plan.costs = parseCosts(node, base: PlanCosts()) }
        if let node = mapping["escalation"] {
            plan.escalation = parseEscalation(node)
            plan.escalationLine = line(node)
        }
        if let node = mapping["mps"] {
            if let mode = MPSMode(rawValue: node.string ?? "") {
                plan.mps = mode
            } else {
                sink.error(file, line(node), .unknownMPS(node.string ?? ""), column: "mps")
            }
        }
        if let node = mapping["whole_units"], let value = boolean(node, name: "whole_units") { plan.wholeUnits = value }
        if let node = mapping["reschedule_in_weeks"], let weeks = horizonWeeks(node, name: "reschedule_in_weeks") { plan.rescheduleInWeeks = weeks }
        if let node = mapping["frozen_weeks"], let weeks = horizonWeeks(node, name: "frozen_weeks") { plan.frozenWeeks = weeks }
        if let node = mapping["kpis"] { parseKPIs(node, into: &plan) }
        if let node = mapping["simulation"], let weeks = parseSimulation(node) { plan.lateWeeks = weeks }
        return plan
    }

    mutating func parseProducts(_ node: Node) -> [ProductEntry] {
        guard let sequence = node.sequence else {
            sink.error(file, line(node), .notAList(field: "products"), column: "products")
            return []
        }
        var products: [ProductEntry] = []
        var seen: [String: Int] = [:]
        for entry in sequence {
            guard let map = entry.mapping else {
                sink.error(file, line(entry), .productEntryNotAMapping, column: "products")
                continue
            }
            rejectUnknownKeys(map, known: ["item", "full_rate_per_week", "backlog_per_unit_week"], in: " in a product")
            guard let itemNode = map["item"], let item = itemNode.string, !item.isEmpty else {
                sink.error(file, line(entry), .entryMissingKey(entry: "product", name: nil, key: "item"), column: "item")
                continue
            }
            if let first = seen[item] {
                sink.error(file, line(itemNode), .duplicateName(.product, item, firstLine: first), column: "item")
                continue
            }
            seen[item] = line(itemNode)
            var rate = 0.0
            if let rateNode = map["full_rate_per_week"] {
                rate = number(rateNode, name: "full_rate_per_week") ?? 0
            } else {
                sink.error(file, line(entry), .entryMissingKey(entry: "product", name: item, key: "full_rate_per_week"), column: "full_rate_per_week")
            }
            var backlog: Double?
            if let node = map["backlog_per_unit_week"] { backlog = lpCost(node, name: "backlog_per_unit_week") }
            products.append(ProductEntry(item: item, fullRatePerWeek: rate, line: line(itemNode), backlogPerUnitWeek: backlog))
        }
        return products
    }

    mutating func parsePhases(_ node: Node) -> [Phase] {
        guard let sequence = node.sequence else {
            sink.error(file, line(node), .notAList(field: "phases"), column: "phases")
            return []
        }
        var phases: [Phase] = []
        var names: [String: Int] = [:]
        for entry in sequence {
            guard let map = entry.mapping else {
                sink.error(file, line(entry), .phaseEntryNotAMapping, column: "phases")
                continue
            }
            rejectUnknownKeys(map, known: ["name", "weeks", "capacity_pct", "gate"], in: " in a phase")
            if let nameNode = map["name"], nameNode.scalar == nil {
                sink.error(file, line(nameNode), .notAText(field: "a phase's name"), column: "name")
                continue
            }
            let name = map["name"]?.string ?? ""
            if name.isEmpty {
                sink.error(file, line(entry), .entryMissingKey(entry: "phase", name: nil, key: "name"), column: "name")
                continue
            }
            if let first = names[name] {
                sink.error(file, line(map["name"]), .duplicateName(.phase, name, firstLine: first), column: "name")
                continue
            }
            names[name] = line(map["name"])
            var weeks = 0
            if let weeksNode = map["weeks"] {
                let field = Field.phase(name, "weeks")
                weeks = wholeNumber(weeksNode, name: field, minimum: 1) ?? 0
                if weeks > Self.maximumWeeks {
                    sink.error(file, line(weeksNode), .atMost(field: field.name, limit: Self.maximumWeeks, text: "\(weeks)"), column: field.key)
                    weeks = 0
                }
            } else {
                sink.error(file, line(entry), .entryMissingKey(entry: "phase", name: name, key: "weeks"), column: "weeks")
            }
            var from = 0.0
            var to = 0.0
            if let capNode = map["capacity_pct"] {
                if let list = capNode.sequence {
                    let values = Array(list)
                    if values.count == 2,
                       let a = number(values[0], name: .phase(name, "capacity_pct")),
                       let b = number(values[1], name: .phase(name, "capacity_pct")) {
                        from = a
                        to = b
                    } else if values.count != 2 {
                        sink.error(file, line(capNode), .capacityPctShape(phase: name), column: "capacity_pct")
                    }
                } else if let value = number(capNode, name: .phase(name, "capacity_pct")) {
                    from = value
                    to = value
                }
            } else {
                sink.error(file, line(entry), .entryMissingKey(entry: "phase", name: name, key: "capacity_pct"), column: "capacity_pct")
            }
            var gate: String?
            if let gateNode = map["gate"] {
                // One gate by name: a list or a mapping would leave the phase without its gate.
                if gateNode.scalar == nil {
                    sink.error(file, line(gateNode), .notAText(field: Field.phase(name, "gate").name), column: "gate")
                } else if let text = gateNode.string, !text.isEmpty {
                    gate = text
                }
            }
            phases.append(Phase(name: name, weeks: weeks, capacityFrom: from, capacityTo: to, gate: gate, line: line(map["name"])))
        }
        return phases
    }

    /// §2e `simulation: {late_weeks: [from, to]}`: whole weeks, `0 <= from <= to <= 520`.
    mutating func parseSimulation(_ node: Node) -> ClosedRange<Int>? {
        guard let map = node.mapping else {
            sink.error(file, line(node), .notAMapping(field: "simulation", expected: "late_weeks: [from, to]"), column: "simulation")
            return nil
        }
        rejectUnknownKeys(map, known: ["late_weeks"], in: " in simulation")
        guard let weeksNode = map["late_weeks"] else { return nil }
        guard let list = weeksNode.sequence, list.count == 2 else {
            sink.error(file, line(weeksNode), .lateWeeksShape, column: "late_weeks")
            return nil
        }
        guard let from = wholeNumber(list[0], name: "late_weeks", minimum: 0),
              let to = wholeNumber(list[1], name: "late_weeks", minimum: 0) else { return nil }
        guard from <= to else {
            sink.error(file, line(weeksNode), .lateWeeksOrder(from: from, to: to), column: "late_weeks")
            return nil
        }
        guard to <= Self.maximumWeeks else {
            sink.error(file, line(weeksNode), .atMost(field: "late_weeks", limit: Self.maximumWeeks, text: "\(to)"), column: "late_weeks")
            return nil
        }
        return from...to
    }

    mutating func parseCosts(_ node: Node, base: PlanCosts) -> PlanCosts {
        var costs = base
        guard let map = node.mapping else {
            sink.error(file, line(node), .notAMapping(field: "costs", expected: nil), column: "costs")
            return costs
        }
        rejectUnknownKeys(map, known: ["holding_per_unit_week", "backlog_per_unit_week", "holding_rate_per_year", "overhead_pct"],
                          in: " in costs")
        if let n = map["overhead_pct"], let v = number(n, name: "overhead_pct") { costs.overheadPct = v }
        if let n = map["holding_per_unit_week"], let v = lpCost(n, name: "holding_per_unit_week") { costs.holdingPerUnitWeek = v }
        if let n = map["backlog_per_unit_week"], let v = lpCost(n, name: "backlog_per_unit_week") { costs.backlogPerUnitWeek = v }
        if let n = map["holding_rate_per_year"], let v = number(n, name: "holding_rate_per_year") { costs.holdingRatePerYear = v }
        return costs
    }

    static let kpiKeys = KPIKind.targeted.map(\.rawValue)

    /// `kpis:` — `cost_per_unit: {PRODUCT: target}` and three percentages; each target a
    /// number or `{target: N, owner: NAME}`.
    mutating func parseKPIs(_ node: Node, into plan: inout RawPlan) {
        guard let map = node.mapping else {
            sink.error(file, line(node), .notAMapping(field: "kpis", expected: Self.kpiKeys.joined(separator: ", ")), column: "kpis")
            return
        }
        rejectUnknownKeys(map, known: Self.kpiKeys, in: " in kpis")
        if let costs = map["cost_per_unit"] {
            if let products = costs.mapping {
                for (key, value) in products {
                    guard let product = key.string, !product.isEmpty else { continue }
                    if let target = kpiTarget(value, name: .of("cost_per_unit", product), percent: false) {
                        plan.costTargets.append((product, target, line(key)))
                    }
                }
            } else {
                sink.error(file, line(costs), .costTargetsShape, column: "cost_per_unit")
            }
        }
        if let n = map["on_time_delivery_pct"] { plan.kpis.onTimeDeliveryPct = kpiTarget(n, name: "on_time_delivery_pct", percent: true) }
        if let n = map["supplier_on_time_pct"] { plan.kpis.supplierOnTimePct = kpiTarget(n, name: "supplier_on_time_pct", percent: true) }
        if let n = map["first_pass_yield_pct"] { plan.kpis.firstPassYieldPct = kpiTarget(n, name: "first_pass_yield_pct", percent: true) }
    }

    /// A number, or `{target: N, owner: NAME}`; a percentage at most 100.
    mutating func kpiTarget(_ node: Node, name field: Field, percent: Bool) -> KPITargets.Target? {
        var valueNode = node
        var owner = ""
        if let map = node.mapping {
            rejectUnknownKeys(map, known: ["target", "owner"], in: " in \(field.name)")
            guard let target = map["target"] else {
                sink.error(file, line(node), .kpiWithoutTarget(field.name), column: field.key)
                return nil
            }
            valueNode = target
            if let node = map["owner"] {
                // One owner, by name: a list or a mapping would be dropped without a word.
                guard node.scalar != nil, let text = node.string else {
                    sink.error(file, line(node), .ownerNotOneName(kpi: field.name), column: "owner")
                    return nil
                }
                owner = text
            }
        }
        guard let value = number(valueNode, name: field) else { return nil }
        if percent && value > 100 {
            sink.error(file, line(valueNode), .atMost(field: field.name, limit: 100, text: valueNode.scalar?.string ?? ""), column: field.key)
            return nil
        }
        return KPITargets.Target(value: value, owner: owner)
    }

    mutating func parseEscalation(_ node: Node) -> [EscalationLevel] {
        guard let sequence = node.sequence else {
            sink.error(file, line(node), .notAList(field: "escalation"), column: "escalation")
            return EscalationLevel.defaults
        }
        var levels: [EscalationLevel] = []
        for entry in sequence {
            guard let map = entry.mapping, let levelNode = map["level"] else {
                sink.error(file, line(entry), .escalationEntryIncomplete, column: "escalation")
                continue
            }
            rejectUnknownKeys(map, known: ["level", "owner", "respond_within_days"], in: " in an escalation level")
            guard let level = wholeNumber(levelNode, name: "level", minimum: 1) else { continue }
            if levels.contains(where: { $0.level == level }) {
                sink.error(file, line(levelNode), .duplicateEscalationLevel(level), column: "level")
                continue
            }
            let owner = map["owner"]?.string ?? ""
            var days = 0
            if let d = map["respond_within_days"] { days = wholeNumber(d, name: "respond_within_days", minimum: 0) ?? 0 }
            levels.append(EscalationLevel(level: level, owner: owner, respondWithinDays: days))
        }
        return levels
    }

    /// A finite number ≥ 0.
    mutating func number(_ node: Node, name field: Field) -> Double? {
        guard let text = node.scalar?.string, let value = DecimalParser.parse(text) else {
            sink.error(file, line(node), .notANumber(field: field.name, text: node.scalar?.string ?? "…"), column: field.key)
            return nil
        }
        guard value >= 0 else {
            sink.error(file, line(node), .outOfRange(field: field.name, rule: .nonNegative, text: text), column: field.key)
            return nil
        }
        guard value <= TableReader.largest else {
            sink.error(file, line(node), .tooLarge(field: field.name, text: text), column: field.key)
            return nil
        }
        return value + 0.0
    }

    /// A lead time of a scenario: a number of days from 0 to `TableReader.largestDays`.
    mutating func days(_ node: Node, name field: Field) -> Double? {
        guard let value = number(node, name: field) else { return nil }
        guard value <= TableReader.largestDays else {
            sink.error(file, line(node), .outOfRange(field: field.name, rule: .days, text: node.scalar?.string ?? "…"), column: field.key)
            return nil
        }
        return value
    }

    /// The largest cost the capacity LP takes: GLPK's simplex loses its optimum far above
    /// (at 1e12 it reported a wrong objective), so larger costs are refused.
    static let largestLPCost = 1e9

    /// A cost of the capacity LP: a number from 0 to `largestLPCost`.
    mutating func lpCost(_ node: Node, name field: Field) -> Double? {
        guard let value = number(node, name: field) else { return nil }
        guard value <= Self.largestLPCost else {
            sink.error(file, line(node), .beyondSolverLimit(field: field.name, text: node.scalar?.string ?? ""), column: field.key)
            return nil
        }
        return value
    }

    /// `true` or `false` (also `True`, `TRUE`, `False`, `FALSE`: YAML 1.2's spellings, as
    /// the CSV files' booleans take any case).
    mutating func boolean(_ node: Node, name field: Field) -> Bool? {
        switch node.scalar?.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            sink.error(file, line(node), .notABoolean(field: field.name, text: node.scalar?.string ?? "…"), column: field.key)
            return nil
        }
    }

    /// `reschedule_in_weeks`, `frozen_weeks`: a whole number of weeks, 0 (off) up to the
    /// longest horizon.
    mutating func horizonWeeks(_ node: Node, name field: Field) -> Int? {
        guard let weeks = wholeNumber(node, name: field, minimum: 0) else { return nil }
        guard weeks <= Self.maximumWeeks else {
            sink.error(file, line(node), .atMost(field: field.name, limit: Self.maximumWeeks, text: "\(weeks)"), column: field.key)
            return nil
        }
        return weeks
    }

    /// A count of weeks, days or levels: a whole number from `minimum` to `largestCount`
    /// (a hundred years, counted in days), so that no date computed from it leaves the calendar.
    mutating func wholeNumber(_ node: Node, name field: Field, minimum: Int) -> Int? {
        guard let text = node.scalar?.string, let value = DecimalParser.parse(text),
              value == value.rounded(), abs(value) < 1e9 else {
            sink.error(file, line(node), .notAWholeNumber(field: field.name, minimum: minimum, text: node.scalar?.string ?? "…"), column: field.key)
            return nil
        }
        guard Int(value) >= minimum else {
            sink.error(file, line(node), .belowMinimum(field: field.name, minimum: minimum, text: text), column: field.key)
            return nil
        }
        guard Int(value) <= Self.largestCount else {
            sink.error(file, line(node), .atMost(field: field.name, limit: Self.largestCount, text: text), column: field.key)
            return nil
        }
        return Int(value)
    }

    /// The largest count `wholeNumber` takes (docs/model.md, limits).
    static let largestCount = 36_500
}
