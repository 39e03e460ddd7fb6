import TaktModel

/// What a plan leaves out, as warnings (not errors): the model is valid, but some of its
/// numbers do not count. `takt check` and `takt plan` give the same list.
///
/// Behaviour (contract §2, §2a):
/// - demand rows and open receipts dated past the horizon are dropped;
/// - a BOM line whose `effective_to` is before its `effective_from` is never in effect;
/// - a plan.yaml key Takt does not read, and that is no likely misspelling of one it reads
///   (that is an error), is read past: a note kept beside the plan;
/// - under `mps: capacity`, a product's ramp and demand after the last phase are not
///   planned (one warning per product, with the units);
/// - two items whose names differ only in case are two items: likely a typing slip;
/// - a `buy` item's BOM lines are never planned (MRP buys the item whole): said once
///   per item, at its first line, as a likely slip in its `type`;
/// - a supplier offer for an item that is not `buy`, and that no open receipt of the item
///   from that supplier uses (§2e's on-time rate), is never used, nor a routing of a `buy`
///   item that is no product (bought whole, it loads no work center): likely slips in the
///   item's `type`;
/// - an `escalation:` list without one of the levels 1–3 gives that level's risks to the
///   nearest level listed (`PlanSettings.escalationLevel`): said once per level;
/// - two lines of one parent and component in effect on a same day both apply, their
///   quantities added (`BOM.overlaps`): said at the later line, as a likely engineering
///   change whose old line was not closed;
/// - a `gates.csv` row whose gate is no phase's `gate` in plan.yaml counts toward no gate
///   (its overdue risk is still raised): likely a typing slip in the gate's name; so is a
///   `decisions.csv` row's gate that no phase names (the report shows it beside the decision);
/// - under `mps: capacity`, a product that is not `make` gets no make order of its own
///   (§2a gives one a phase week): a `buy` product's orders are bought, a `phantom`'s
///   quantities pass to its components; said once per product, as a likely slip;
/// - under `mps: capacity`, products with no phases have no master schedule (§2a needs
///   both): netted like any item, said once at the first product;
/// - two phases that name one gate each get it decided at their end, on the same criteria:
///   likely a copied phase whose gate was not renamed;
/// - week buckets whose `start` is not a Monday run from that weekday (the contract's plan
///   date is a Monday for week buckets): planned as given, said once; with day buckets a
///   `start` on a Saturday or Sunday is the next Monday (`PlanSettings.writtenStart`), for
///   the buckets, the capacity plan's weeks and the gates alike: said once too. (`hours_per_day` above
///   24 is no slip: it is the whole work center's, all its lines together.)
public enum PlanWarnings {
    public static func of(_ model: PlanningModel) -> [Warning] {
        let calendar = BucketCalendar(plan: model.plan)
        let lastDay = calendar.end.adding(days: -1)
        var warnings: [Warning] = []
        for found in model.caseRepeats ?? model.items.caseRepeats() {
            let (item, first) = (found.item, found.first)
            warnings.append(Warning(SourceLocation(file: model.folder + "/items.csv", line: model.items.line[item]),
                                    "item \"\(model.items.names[item])\" differs from \"\(model.items.names[first])\" (line \(model.items.line[first])) only in case: they are two items"))
        }
        let bom = model.bom
        for item in model.items.type.indices where model.items.type[item] == .buy {
            let lines = bom.parentRange(item)
            guard !lines.isEmpty else { continue }
            let first = bom.sourceLine[bom.byParent[lines.lowerBound]]
            warnings.append(Warning(SourceLocation(file: model.folder + "/bom.csv", line: first),
                                    "\"\(model.items.names[item])\" is a buy item: MRP buys it whole, and its \(lines.count) BOM line\(lines.count == 1 ? "" : "s") \(lines.count == 1 ? "is" : "are") never planned (`takt explode` still lists \(lines.count == 1 ? "it" : "them"))"))
        }
        for overlap in bom.overlaps() {
            let (l, e) = (overlap.line, overlap.earlier)
            let (from, to) = (max(bom.effectiveFrom[l], bom.effectiveFrom[e]), min(bom.effectiveTo[l], bom.effectiveTo[e]))
            let days = switch (from == .min, to == .max) {
            case (true, true): "on every day"
            case (true, false): "up to \(Day(number: to))"
            case (false, true): "from \(Day(number: from))"
            case (false, false): "from \(Day(number: from)) to \(Day(number: to))"
            }
            warnings.append(Warning(SourceLocation(file: model.folder + "/bom.csv", line: bom.sourceLine[l]),
                                    "BOM line \(model.items.names[bom.parent[l]]) -> \(model.items.names[bom.component[l]]) is in effect with line \(bom.sourceLine[e]) \(days): both apply there and their quantities add up"))
        }
        // An offer of an item that is not bought still gives the on-time rate of its open
        // receipts from that supplier (§2e): only an offer no receipt uses is idle.
        var received: Set<Int> = []
        for receipt in model.receipts where receipt.supplier >= 0 {
            received.insert(receipt.item &* model.supplierNames.count &+ receipt.supplier)
        }
        for offer in model.offers where model.items.type[offer.item] != .buy
            && !received.contains(offer.item &* model.supplierNames.count &+ offer.supplier) {
            let supplier = model.supplierNames[offer.supplier]
            warnings.append(Warning(SourceLocation(file: model.folder + "/suppliers.csv", line: offer.line),
                                    "\(supplier) offers \"\(model.items.names[offer.item])\", a \(model.items.type[offer.item]) item: MRP never buys it, and no open receipt of it comes from \(supplier): the offer is never used"))
        }
        // A product's own hours count in the capacity LP whatever its type (§2b; a bought
        // product is warned about as such).
        let products = Set(model.plan.products.map(\.item))
        for step in model.routings where model.items.type[step.item] == .buy && !products.contains(step.item) {
            warnings.append(Warning(SourceLocation(file: model.folder + "/routings.csv", line: step.line),
                                    "routing of \"\(model.items.names[step.item])\" at \(model.workcenters[step.workcenter].name): it is a buy item, bought whole, and its hours load no work center"))
        }
        if let line = model.plan.escalationLine, model.plan.escalation.isEmpty {
            warnings.append(Warning(SourceLocation(file: model.folder + "/plan.yaml", line: line),
                                    "escalation lists no level: every risk has no owner and is due the day it is raised"))
        } else if let line = model.plan.escalationLine {
            // Each of the levels the risks use that the list leaves out.
            for level in 1...3 where !model.plan.escalation.contains(where: { $0.level == level }) {
                let stand = model.plan.escalationLevel(level)
                let whose = stand.owner.isEmpty ? "no owner" : "\"\(stand.owner)\""
                warnings.append(Warning(SourceLocation(file: model.folder + "/plan.yaml", line: line),
                                        "escalation names no level \(level): level-\(level) risks go to \(whose), to answer within \(stand.respondWithinDays) business day\(stand.respondWithinDays == 1 ? "" : "s") (the nearest level listed)"))
            }
        }
        let start = model.plan.start
        let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        if model.plan.bucket == .week && start.weekday != 1 {
            warnings.append(Warning(SourceLocation(file: model.folder + "/plan.yaml", line: model.plan.startLine),
                                    "start \(start) is a \(names[start.weekday - 1]), not a Monday: each week bucket runs \(names[start.weekday - 1]) to \(names[(start.weekday + 5) % 7])"))
        } else if let written = model.plan.writtenStart {
            warnings.append(Warning(SourceLocation(file: model.folder + "/plan.yaml", line: model.plan.startLine),
                                    "start \(written) is a \(names[written.weekday - 1]): with day buckets the plan starts on Monday \(start), its first working day (its buckets, the capacity plan's weeks and the gates' dates count from there)"))
        }
        // The phases' gates, each once, in phase order; a gate a later phase names again is
        // decided twice, at each phase's end, on the same criteria.
        var gates: [String] = []
        var namedBy: [String: String] = [:]
        for phase in model.plan.phases {
            guard let gate = phase.gate else { continue }
            if let first = namedBy[gate] {
                warnings.append(Warning(SourceLocation(file: model.plan.phasesFile ?? model.folder + "/plan.yaml", line: phase.line),
                                        "phase \"\(phase.name)\" names gate \"\(gate)\" as phase \"\(first)\" does: gates.json decides it at each phase's end, on the same criteria"))
            } else {
                namedBy[gate] = phase.name
                gates.append(gate)
            }
        }
        let known = gates.isEmpty ? "(no phase names one)" : "(" + gates.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
        for row in model.gateCriteria where !gates.contains(row.gate) {
            warnings.append(Warning(SourceLocation(file: model.folder + "/gates.csv", line: row.line),
                                    "gate \"\(row.gate)\" is no phase's gate in plan.yaml \(known): criterion \"\(row.criterion)\" counts toward no gate"))
        }
        for row in model.decisions where !row.gate.isEmpty && !gates.contains(row.gate) {
            warnings.append(Warning(SourceLocation(file: model.folder + "/decisions.csv", line: row.line),
                                    "gate \"\(row.gate)\" is no phase's gate in plan.yaml \(known): decision \"\(row.decision)\" is shown with a gate the plan does not have"))
        }
        for l in 0..<bom.count where bom.effectiveFrom[l] > bom.effectiveTo[l] {
            warnings.append(Warning(SourceLocation(file: model.folder + "/bom.csv", line: bom.sourceLine[l]),
                                    "effective_to \(Day(number: bom.effectiveTo[l])) is before effective_from \(Day(number: bom.effectiveFrom[l])): "
                                    + "\(model.items.names[bom.parent[l]]) → \(model.items.names[bom.component[l]]) is never in effect"))
        }
        for key in model.plan.ignoredKeys {
            warnings.append(Warning(SourceLocation(file: model.folder + "/plan.yaml", line: key.line),
                                    "unknown key \"\(key.key)\"\(key.context); ignored (no key Takt reads is spelt like it)"))
        }
        for row in model.demand where calendar.bucket(of: row.date) == nil {
            warnings.append(Warning(SourceLocation(file: model.folder + "/demand.csv", line: row.line),
                                    "demand dated \(row.date) is past the horizon (ends \(lastDay)); ignored"))
        }
        for receipt in model.receipts where calendar.bucket(of: receipt.dueDate) == nil {
            warnings.append(Warning(SourceLocation(file: model.folder + "/receipts.csv", line: receipt.line),
                                    "receipt due \(receipt.dueDate) is past the horizon (ends \(lastDay)); ignored"))
        }
        if model.plan.mps == .capacity, model.plan.phases.isEmpty, let first = model.plan.products.first {
            // §2a needs products and phases: without phases there is no capacity plan.
            warnings.append(Warning(SourceLocation(file: model.plan.productsFile ?? model.folder + "/plan.yaml", line: first.line),
                                    "products are listed but no phases: there is no ramp and no capacity plan, and the products are netted against their demand rows like any item (as under mps: ramp)"))
        }
        if model.plan.plansFromMPS {
            // The ramp is 0 after the last phase, so what is left there is demand rows.
            let endBucket = calendar.buckets(inWeeks: model.plan.phases.reduce(0) { $0 + $1.weeks })
            var after: [Int: Double] = [:]
            for row in model.demand {
                guard let t = calendar.bucket(of: row.date), t >= endBucket else { continue }
                after[row.item, default: 0] += row.quantity
            }
            for product in model.plan.products where model.items.type[product.item] != .make {
                let name = model.items.names[product.item]
                let what = model.items.type[product.item] == .buy
                    ? "its master schedule is bought (buy orders), and the LP counts only its own hours"
                    : "it is netted as a phantom against its ramp and demand, whatever the capacity plan (mps.csv) says, and what remains passes to its components, with no order of its own"
                warnings.append(Warning(SourceLocation(file: model.plan.productsFile ?? model.folder + "/plan.yaml", line: product.line),
                                        "product \"\(name)\" is a \(model.items.type[product.item]) item, not make: \(what)"))
            }
            for product in model.plan.products where model.items.type[product.item] != .phantom {
                guard let units = after[product.item], units > Tolerance.quantity else { continue }
                warnings.append(Warning(SourceLocation(file: model.plan.productsFile ?? model.folder + "/plan.yaml", line: product.line),
                                        "\(model.items.names[product.item]): \(NumberFormat.quantity(units)) units of ramp and demand after the last phase are not planned (mps: capacity)"))
            }
        }
        return warnings
    }
}
