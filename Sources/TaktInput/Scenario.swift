import Foundation
import Yams
import TaktModel

/// A what-if scenario (contract §3): changes applied on top of a loaded model, without
/// re-reading or re-validating the base files.
public struct Scenario: Sendable {
    public var name: String
    public var file: String
    /// SHA-256 of the file's bytes (summary.json's `scenarios`).
    public var sha256 = ""
    /// The line of the `name:` key; 1 when the name is the file's (a clash of names is
    /// reported there, `FILE:LINE:` as every input problem).
    public var nameLine = 1
    var phases: [Phase]?
    var products: [RampProduct]?
    var costs: PlanCosts?
    var leadTimeDays: [(item: Int, days: Double)] = []
    var supplierLeadTimeDays: [(offer: Int, days: Double)] = []
    var onHand: [(item: Int, quantity: Double)] = []
    var demandScale: Double?
    /// Product item → factor.
    var rateScale: [(item: Int, factor: Double, line: Int)] = []
    var workcenterHoursPerDay: [(workcenter: Int, hours: Double)] = []
    /// §2 rescheduling check window for this run.
    var rescheduleInWeeks: Int?
    /// Open receipts of a supplier that come `weeks` later (`supplier_slip_weeks`).
    var supplierSlips: [(supplier: Int, weeks: Int)] = []
    /// Open receipts by reference that come later or on another date (`receipts`); every
    /// line of a reference moves.
    var receiptMoves: [(receipts: [Int], move: ReceiptMove)] = []

    enum ReceiptMove {
        case slip(weeks: Int)
        case due(Day)
    }

    /// Reads and validates a scenario file against `model`; every problem is reported
    /// as `FILE:LINE: message`.
    public static func load(path: String, model: PlanningModel) throws -> Scenario {
        var sink = DiagnosticSink()
        let defaultName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var scenario = Scenario(name: defaultName, file: path)
        guard case .success(let bytes) = FileBytes.read(path) else {
            sink.error(path, 1, .scenarioUnreadable)
            try sink.throwIfAny()
            return scenario
        }
        scenario.sha256 = InputDigest.hex(bytes)
        if let bad = UTF8Check.firstInvalidLine(bytes) {
            sink.error(path, bad, .notUTF8)
            try sink.throwIfAny()
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let root = PlanParser.compose(text, file: path, sink: &sink) else {
            try sink.throwIfAny()
            return scenario  // an empty file changes nothing
        }
        var parser = PlanParser(file: path)
        guard let map = root.mapping else {
            sink.error(path, parser.line(root), .notAMappingOfKeys(subject: "a scenario", keys: "name, plan, lead_time_days, …"))
            try sink.throwIfAny()
            return scenario
        }
        let known: Set = ["name", "plan", "lead_time_days", "supplier_lead_time_days", "on_hand", "demand_scale",
                          "rate_scale", "workcenter_hours_per_day", "reschedule_in_weeks", "receipts", "supplier_slip_weeks"]
        for (key, _) in map {
            let name = key.string ?? ""
            if !known.contains(name) {
                sink.error(path, parser.line(key), .unknownScenarioKey(name, nearest: Spelling.nearest(to: name, in: known.sorted())), column: name)
            }
        }
        if let node = map["name"] {
            if let name = node.string, !name.isEmpty { (scenario.name, scenario.nameLine) = (name, parser.line(node)) } else { sink.error(path, parser.line(node), .scenarioNameEmpty, column: "name") }
        }
        if let node = map["plan"] {
            if let plan = node.mapping {
                for (key, _) in plan where !["phases", "products", "costs"].contains(key.string ?? "") {
                    sink.error(path, parser.line(key), .scenarioPlanKey(key.string ?? ""), column: "plan")
                }
                if let phases = plan["phases"] { scenario.phases = parser.parsePhases(phases) }
                if let products = plan["products"] {
                    scenario.products = parser.parseProducts(products).compactMap { entry in
                        guard let id = model.items.id(entry.item) else {
                            parser.sink.error(path, entry.line, .productNotAnItem(entry.item), column: "item")
                            return nil
                        }
                        return RampProduct(item: id, fullRatePerWeek: entry.fullRatePerWeek, line: entry.line,
                                         backlogPerUnitWeek: entry.backlogPerUnitWeek)
                    }
                }
                // §3: `costs` replaces plan.yaml's key as a whole, as `phases` and `products`
                // do: a cost the scenario does not name is at its default, not plan.yaml's.
                if let costs = plan["costs"] { scenario.costs = parser.parseCosts(costs, base: PlanCosts()) }
            } else {
                sink.error(path, parser.line(node), .notAMapping(field: "plan", expected: nil), column: "plan")
            }
        }
        func entries(_ key: String) -> [(key: String, value: Node, line: Int)] {
            guard let node = map[key] else { return [] }
            guard let mapping = node.mapping else {
                parser.sink.error(path, parser.line(node), .notAMapping(field: key, expected: nil), column: key)
                return []
            }
            return mapping.map { ($0.key.string ?? "", $0.value, parser.line($0.key)) }
        }
        /// The item an entry of the mapping `key` names (the diagnostic's column).
        func item(_ name: String, _ line: Int, in key: String) -> Int? {
            if let id = model.items.id(name) { return id }
            parser.sink.error(path, line, .unknownName(.item, name), column: key)
            return nil
        }
        for entry in entries("lead_time_days") {
            if let id = item(entry.key, entry.line, in: "lead_time_days"), let days = parser.days(entry.value, name: .of("lead_time_days", entry.key)) {
                scenario.leadTimeDays.append((id, days))
            }
        }
        for entry in entries("supplier_lead_time_days") {
            guard let days = parser.days(entry.value, name: .of("supplier_lead_time_days", entry.key)) else { continue }
            if let offer = Self.offer(named: entry.key, model) {
                scenario.supplierLeadTimeDays.append((offer, days))
            } else {
                parser.sink.error(path, entry.line, .unknownSupplierItem(entry.key), column: "supplier_lead_time_days")
            }
        }
        for entry in entries("on_hand") {
            if let id = item(entry.key, entry.line, in: "on_hand"), let quantity = parser.number(entry.value, name: .of("on_hand", entry.key)) {
                scenario.onHand.append((id, quantity))
            }
        }
        if let node = map["demand_scale"] { scenario.demandScale = parser.number(node, name: "demand_scale") }
        for entry in entries("rate_scale") {
            if let id = item(entry.key, entry.line, in: "rate_scale"), let factor = parser.number(entry.value, name: .of("rate_scale", entry.key)) {
                scenario.rateScale.append((id, factor, entry.line))
            }
        }
        // The look-ups below, each made once for all entries.
        var workcenterIndex: [String: Int] = [:]
        for (w, center) in model.workcenters.enumerated() where workcenterIndex[center.name] == nil { workcenterIndex[center.name] = w }
        for entry in entries("workcenter_hours_per_day") {
            guard let hours = parser.number(entry.value, name: .of("workcenter_hours_per_day", entry.key)) else { continue }
            if let w = workcenterIndex[entry.key] {
                scenario.workcenterHoursPerDay.append((w, hours))
            } else {
                parser.sink.error(path, entry.line, .unknownName(.workcenter, entry.key), column: "workcenter_hours_per_day")
            }
        }
        if let node = map["reschedule_in_weeks"] { scenario.rescheduleInWeeks = parser.horizonWeeks(node, name: "reschedule_in_weeks") }
        let slipEntries = entries("supplier_slip_weeks")
        var supplierIndex: [String: Int] = [:]
        var supplierHasReceipts: Set<Int> = []
        if !slipEntries.isEmpty {
            for (k, name) in model.supplierNames.enumerated() where supplierIndex[name] == nil { supplierIndex[name] = k }
            for receipt in model.receipts where receipt.supplier >= 0 { supplierHasReceipts.insert(receipt.supplier) }
        }
        for entry in slipEntries {
            guard let weeks = parser.wholeNumber(entry.value, name: .of("supplier_slip_weeks", entry.key), minimum: 0) else { continue }
            if let supplier = supplierIndex[entry.key] {
                if !supplierHasReceipts.contains(supplier) {
                    parser.sink.error(path, entry.line, .supplierWithoutReceipts(entry.key), column: "supplier_slip_weeks")
                }
                scenario.supplierSlips.append((supplier, weeks))
            } else {
                parser.sink.error(path, entry.line, .unknownScenarioSupplier(entry.key, nearest: Spelling.nearest(to: entry.key, in: model.supplierNames)),
                                  column: "supplier_slip_weeks")
            }
        }
        let receiptEntries = entries("receipts")
        // Each reference's receipts in file order; the references in order, for a spelling
        // suggestion (made at the first unknown one; none once the errors are only counted).
        var receiptsOf: [String: [Int]] = [:]
        if !receiptEntries.isEmpty {
            for (k, receipt) in model.receipts.enumerated() { receiptsOf[receipt.reference, default: []].append(k) }
        }
        var references: [String]?
        for entry in receiptEntries {
            guard let lines = receiptsOf[entry.key] else {
                var nearest: String?
                if !parser.sink.isFull {
                    if references == nil { references = receiptsOf.keys.filter { !$0.isEmpty }.sorted() }
                    nearest = Spelling.nearest(to: entry.key, in: references!)
                }
                parser.sink.error(path, entry.line, .unknownReceipt(reference: entry.key, nearest: nearest),
                                  column: "receipts")
                continue
            }
            guard let change = entry.value.mapping, change.count == 1, let (key, value) = change.first,
                  let name = key.string, ["slip_weeks", "due_date"].contains(name) else {
                parser.sink.error(path, parser.line(entry.value), .receiptChangeShape(reference: entry.key), column: "receipts")
                continue
            }
            if name == "slip_weeks" {
                if let weeks = parser.wholeNumber(value, name: .of("slip_weeks", entry.key), minimum: 0) {
                    scenario.receiptMoves.append((lines, .slip(weeks: weeks)))
                }
            } else if let day = Day(iso: value.string ?? "") {
                scenario.receiptMoves.append((lines, .due(day)))
            } else {
                parser.sink.error(path, parser.line(value), .notADate(field: "due_date of \(entry.key)", text: value.string ?? ""), column: "due_date")
            }
        }
        // rate_scale must name a product of the (possibly replaced) plan.
        let products = Set((scenario.products ?? model.plan.products).map(\.item))
        for entry in scenario.rateScale where !products.contains(entry.item) {
            parser.sink.error(path, entry.line, .rateScaleNotAProduct(model.items.names[entry.item]), column: "rate_scale")
        }
        // §2a: under mps: capacity, replaced products may not be components either.
        if let replaced = scenario.products, model.plan.mps == .capacity {
            for line in BOM.linesUsingProducts(replaced.map(\.item), model.bom) {
                let product = model.bom.component[line]
                parser.sink.error(path, replaced.first { $0.item == product }!.line,
                                  .scenarioProductIsComponent(product: model.items.names[product], parent: model.items.names[model.bom.parent[line]],
                                                              bomLine: model.bom.sourceLine[line]))
            }
        }
        sink.merge(parser.sink)
        try sink.throwIfAny()
        return scenario
    }

    /// The offer named `SUPPLIER/ITEM` (either name may itself contain `/`), the first in
    /// suppliers.csv order when several match.
    static func offer(named key: String, _ model: PlanningModel) -> Int? {
        // Each `/` may end the supplier's name (either name may hold one): the item after it
        // is looked up, and only its own offers are compared (not every offer of the model).
        var first: Int?
        for slash in key.indices where key[slash] == "/" {
            guard let item = model.items.id(String(key[key.index(after: slash)...])) else { continue }
            let supplier = key[..<slash]
            for k in model.offerStart[item]..<model.offerStart[item + 1] {
                let o = model.offerByItem[k]
                if model.supplierNames[model.offers[o].supplier] == supplier { first = min(first ?? o, o) }
            }
        }
        return first
    }

    /// The model with this scenario's changes (contract §3). A new `lead_time_days` of a
    /// buy item also replaces its supplier offers' lead times, so that it takes effect
    /// whichever supplier is chosen; `supplier_lead_time_days` then sets single offers.
    /// What the scenario changes, in words, for a comparison: "lead time of MCU-H7 70
    /// days; demand × 1.2; PCB-MAIN's receipts …". In the order `apply` applies them.
    public func changes(in base: PlanningModel) -> String {
        let q = NumberFormat.quantity
        let items = base.items.names
        var parts: [String] = []
        if phases != nil { parts.append("the phases replaced") }
        if products != nil { parts.append("the products replaced") }
        if costs != nil { parts.append("the LP costs replaced") }
        for change in leadTimeDays { parts.append("lead time of \(items[change.item]) \(q(change.days)) days") }
        for change in supplierLeadTimeDays {
            let offer = base.offers[change.offer]
            parts.append("\(base.supplierNames[offer.supplier])'s lead time for \(items[offer.item]) \(q(change.days)) days")
        }
        for change in onHand { parts.append("on hand of \(items[change.item]) \(q(change.quantity))") }
        if let demandScale { parts.append("demand × \(q(demandScale))") }
        for change in rateScale { parts.append("full rate of \(items[change.item]) × \(q(change.factor))") }
        for change in workcenterHoursPerDay {
            parts.append("\(base.workcenters[change.workcenter].name) \(q(change.hours)) hours a day")
        }
        if let rescheduleInWeeks { parts.append("rescheduling window \(rescheduleInWeeks) weeks") }
        for slip in supplierSlips { parts.append("\(base.supplierNames[slip.supplier])'s open receipts \(slip.weeks) weeks later") }
        for change in receiptMoves {
            let label = change.receipts.first.map { base.receipts[$0].label } ?? "a receipt"
            switch change.move {
            case .slip(let weeks): parts.append("\(label) \(weeks) weeks later")
            case .due(let day): parts.append("\(label) due \(day)")
            }
        }
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }

    public func apply(to base: PlanningModel) -> PlanningModel {
        var model = base
        model.scenarios.append(AppliedScenario(name: name, file: (file as NSString).lastPathComponent, sha256: sha256))
        if let phases { (model.plan.phases, model.plan.phasesFile) = (phases, file) }
        if let products { (model.plan.products, model.plan.productsFile) = (products, file) }
        if let costs { model.plan.costs = costs }
        for change in leadTimeDays {
            model.items.leadTimeDays[change.item] = change.days
            for k in model.offerStart[change.item]..<model.offerStart[change.item + 1] {
                model.offers[model.offerByItem[k]].leadTimeDays = change.days
            }
        }
        for change in supplierLeadTimeDays { model.offers[change.offer].leadTimeDays = change.days }
        for change in onHand { model.items.onHand[change.item] = change.quantity }
        if let demandScale {
            for k in model.demand.indices { model.demand[k].quantity *= demandScale }
        }
        for change in rateScale {
            for k in model.plan.products.indices where model.plan.products[k].item == change.item {
                model.plan.products[k].fullRatePerWeek *= change.factor
            }
        }
        for change in workcenterHoursPerDay { model.workcenters[change.workcenter].hoursPerDay = change.hours }
        if let rescheduleInWeeks { model.plan.rescheduleInWeeks = rescheduleInWeeks }
        // A supplier's slip first, then a reference's own move (a due_date wins).
        for slip in supplierSlips {
            for k in model.receipts.indices where model.receipts[k].supplier == slip.supplier {
                model.receipts[k].dueDate = model.receipts[k].dueDate.adding(days: 7 * slip.weeks)
            }
        }
        for change in receiptMoves {
            for k in change.receipts {
                switch change.move {
                case .slip(let weeks): model.receipts[k].dueDate = model.receipts[k].dueDate.adding(days: 7 * weeks)
                case .due(let day): model.receipts[k].dueDate = day
                }
            }
        }
        return model
    }
}
