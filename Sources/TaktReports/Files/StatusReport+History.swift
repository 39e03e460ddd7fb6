import TaktModel
import TaktInput
import TaktPlanning

/// The parts of the weekly status report that compare this run with earlier ones: each
/// gate's forecast against its baseline and last week, the escalation tracker, and the
/// purchase suggestions that changed.
extension StatusReport {
    /// `+14`, `0`, `-7`: days from `a` to `b`.
    static func days(from a: Day, to b: Day) -> String {
        let d = b.number - a.number
        return d > 0 ? "+\(d)" : "\(d)"
    }

    /// `1 week`, `3 weeks`: an age in days, in whole weeks.
    static func weeks(_ days: Int) -> String {
        let n = days / 7
        return n == 1 ? "1 week" : "\(n) weeks"
    }

    /// One row per gate: planned date, status, forecast; the baseline (the first recorded
    /// run's forecast, or this one's when this is the first), last week's forecast, the
    /// slip in days since last week, and what moved it.
    mutating func describeMilestones(_ result: PlanResult, previous: PreviousRun?, owner: String) {
        for gate in result.gates {
            let forecast = gate.forecast?.description ?? "open"
            var baseline = forecast
            if let first = previous?.trail?.forecasts[gate.gate]?.first {
                baseline = first.forecast?.description ?? "open"
            }
            let last = previous?.gateForecasts[gate.gate]
            var slip = "—"
            if let last, let lastDay = Day(iso: last), let now = gate.forecast {
                slip = Self.days(from: lastDay, to: now)
            } else if let last, last != forecast {
                slip = forecast == "open" ? "open" : "from open"
            }
            var changes: [String] = []
            if let previous {
                if let before = previous.gates[gate.gate] {
                    if before.status != gate.status.rawValue { changes.append("status \(before.status) → \(gate.status.rawValue)") }
                    if before.date != gate.date.description { changes.append("date \(before.date) → \(gate.date)") }
                    let criteria = previous.criteria[gate.gate] ?? [:]
                    for criterion in gate.criteria {
                        if let was = criteria[criterion.criterion], was != criterion.status.rawValue {
                            changes.append("\(criterion.criterion) \(was) → \(criterion.status.rawValue)")
                        } else if criteria[criterion.criterion] == nil, !criteria.isEmpty {
                            changes.append("\(criterion.criterion) new (\(criterion.status.rawValue))")
                        }
                    }
                } else {
                    changes.append("new gate")
                }
            }
            if let last, last != forecast {
                changes.append("forecast \(last) → \(forecast)")
            }
            if let now = gate.forecast, let base = Day(iso: baseline), now != base {
                let behind = now.number - base.number
                changes.append("\(abs(behind)) days \(behind > 0 ? "behind" : "ahead of") baseline")
            }
            let moved = changes.isEmpty ? (previous == nil ? "first report" : "no change") : changes.joined(separator: "; ")
            var milestone = Milestone(gate: gate.gate, phase: gate.phaseName, date: gate.date, status: gate.status,
                                      forecast: forecast, baseline: baseline, lastForecast: last ?? "—", slip: slip,
                                      moved: moved, why: gate.forecastReason, owner: owner)
            if let confidence = result.confidence?.confidence(of: gate.gate) {
                milestone.confidence = "\(NumberFormat.fixed(100 * confidence.onTime, decimals: 1)) % on time, P90 "
                    + (confidence.p90?.description ?? "open")
            }
            milestones.append(milestone)
        }
    }

    /// The decisions that answer each risk (decisions.csv `risks`), as text, by risk id: the
    /// decisions in file order, each once. Made once and looked up per risk.
    static func responses(in model: PlanningModel) -> [String: String] {
        var answers: [String: [Int]] = [:]
        for (d, decision) in model.decisions.enumerated() {
            for id in decision.risks where answers[id]?.last != d { answers[id, default: []].append(d) }
        }
        return answers.mapValues { decisions in
            decisions.map { d in
                let decision = model.decisions[d]
                return "\(decision.decision) (\(decision.owner.isEmpty ? "no owner" : decision.owner), \(decision.status) \(decision.date))"
            }.joined(separator: "; ")
        }
    }

    /// Risks seen in an earlier run or answered by a decision: since when, how old, the
    /// deadline, the response and its outcome (escalated, still open). Escalated ones
    /// first, then by level, then oldest first.
    mutating func describeTracker(_ result: PlanResult, owner: String, carried: [Int: String] = [:]) {
        let model = result.model
        let start = model.plan.start
        var responses = Self.responses(in: model)
        var responseDue = EscalationTracker.responseDue(model.decisions, start: start)
        // A risk re-dated under a new id keeps the decisions that named its old id.
        for (k, old) in carried {
            let id = result.risks[k].id
            if responses[id] == nil, let response = responses[old] { responses[id] = response }
            if responseDue[id] == nil, let due = responseDue[old] { responseDue[id] = due }
        }
        let followed = result.risks.indices.filter { k in
            let risk = result.risks[k]
            return (risk.firstSeen.map { $0 < start } ?? false) || (!responses.isEmpty && responses[risk.id] != nil)
        }
        let ordered = followed.sorted { a, b in
            let x = result.risks[a], y = result.risks[b]
            if (x.missedRespondBy != nil) != (y.missedRespondBy != nil) { return x.missedRespondBy != nil }
            if x.level != y.level { return x.level > y.level }
            let fx = x.firstSeen ?? start, fy = y.firstSeen ?? start
            if fx != fy { return fx < fy }
            return a < b
        }
        let (lines, supplierGates) = Self.supplierLines(ordered, result)
        for k in lines {
            tracker.append({
                let risk = result.risks[k]
                let first = risk.firstSeen ?? start
                let gates = supplierGates[k]
                var text = (gates == nil ? risk.id : "supplier:\(risk.item)") + " (level \(risk.level)"
                    + (gates.map { ", " + $0.joined(separator: ", ") } ?? "")
                    + ", open since \(first), \(Self.weeks(start.number - first.number)))"
                // Past its deadline with a response under way (`EscalationTracker`): held, due
                // with the decision.
                let held = risk.missedRespondBy != nil && risk.escalatedFrom == nil && responseDue[risk.id] == risk.respondBy
                if let missed = risk.missedRespondBy {
                    text += held ? ": respond-by \(missed) passed, a response is under way"
                        : risk.escalatedFrom.map { ": respond-by \(missed) passed, escalated from level \($0)" }
                        ?? ": respond-by \(missed) passed at the highest level"
                }
                text += " — response: " + (responses[risk.id] ?? "none recorded")
                text += " — outcome: " + (risk.escalatedFrom != nil ? "escalated"
                    : held ? "held at level \(risk.level) until the response is due, \(risk.respondBy)"
                    : responseDue[risk.id] == risk.respondBy ? "still open, due with its response" : "still open")
                return Line(text: text, owner: risk.owner, date: risk.respondBy)
            }())
        }
    }

    /// Purchase suggestions against last week's, per supplier and item: new, dropped,
    /// quantity changed, need date moved. Pairs are made exact first (same date and
    /// quantity: unchanged), then on the same date (quantity changed), then in date order
    /// (date moved); what is left is new or dropped — or, when this week's receipts hold
    /// the `takt release` id of its item and need date, ordered. Listed by supplier, date, item.
    ///
    /// Both weeks' rows (a million each at 100k items) are keyed by integers — names of
    /// last week mapped once to this week's items and suppliers — and grouped by sorting;
    /// texts are made only for the lines shown.
    mutating func describePurchaseChanges(_ result: PlanResult, previous: PurchaseList, owner: String) {
        let model = result.model
        let mrp = result.mrp
        let days = mrp.calendar.bucketStart.map { Int32($0.number) }
        // Names of both weeks: this week's suppliers and items first, then names only
        // last week had.
        var supplierNames = [""] + model.supplierNames // index 0: no supplier
        var supplierOf: [String: Int] = [:]
        for (k, name) in supplierNames.enumerated() where supplierOf[name] == nil { supplierOf[name] = k }
        var itemNames: [String] = []
        var foreign: [String: Int] = [:]
        func itemIndex(_ name: String) -> Int {
            if let id = model.items.id(name) { return id }
            if let k = foreign[name] { return k }
            itemNames.append(name)
            foreign[name] = model.items.count + itemNames.count - 1
            return model.items.count + itemNames.count - 1
        }
        var previousSupplier = [Int](repeating: 0, count: previous.names.count)
        var previousItem = [Int](repeating: -1, count: previous.names.count)
        for k in 0..<previous.count {
            let s = Int(previous.supplier[k]), i = Int(previous.item[k])
            if previousItem[i] < 0 { previousItem[i] = itemIndex(previous.names[i]) }
            if previousSupplier[s] == 0, !previous.names[s].isEmpty {
                if let known = supplierOf[previous.names[s]] {
                    previousSupplier[s] = known
                } else {
                    supplierOf[previous.names[s]] = supplierNames.count
                    previousSupplier[s] = supplierNames.count
                    supplierNames.append(previous.names[s])
                }
            }
        }
        let suppliers = supplierNames.count
        struct Row {
            var key: Int
            var day: Int32
            var now: Bool
            var quantity: Double
            var orderDay: Int32
            var late: Bool
        }
        var rows: [Row] = []
        rows.reserveCapacity(previous.count + mrp.orders.count)
        for k in 0..<previous.count {
            rows.append(Row(key: previousItem[Int(previous.item[k])] * suppliers + previousSupplier[Int(previous.supplier[k])],
                            day: previous.needDay[k], now: false, quantity: previous.quantity[k],
                            orderDay: previous.orderDay[k], late: previous.late[k]))
        }
        for order in mrp.orders where order.kind == .buy {
            let offer = mrp.chosenOffer[order.item]
            let supplier = offer >= 0 ? model.offers[offer].supplier + 1 : 0
            rows.append(Row(key: order.item * suppliers + supplier, day: days[order.dueBucket], now: true, quantity: order.quantity,
                            orderDay: days[order.releaseBucket], late: order.pastDue))
        }
        rows.sort { $0.key != $1.key ? $0.key < $1.key : $0.day < $1.day }

        /// 0 quantity changed, 1 date moved, 2 dropped, 3 new, 4 order date or lateness
        /// changed (same need date and quantity: a lead time moved).
        struct Change {
            var key: Int
            var kind: UInt8
            var oldDay: Int32, newDay: Int32
            var oldQuantity: Double, newQuantity: Double
            var oldOrder: Int32 = 0, newOrder: Int32 = 0
            var oldLate = false, newLate = false
        }
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }
        var changes: [Change] = []
        // One key's rows of each week (both in need-date order), which of last week's are
        // paired, and, for this week's, the next one not paired at or after each (a
        // union-find over the row list, sentinel at the end): each search starts at its
        // date's first unpaired row and none is removed, so a key with tens of thousands of
        // orders on one date (a `max_lot` split) pairs without a pass over its rows per row.
        var a: [Row] = [], b: [Row] = []
        var aPaired: [Bool] = []
        var bNext: [Int] = []
        /// This week's quantities, each date's sorted: whether a date has a quantity near
        /// another's is one binary search (when none has, its rows need no scan).
        var bQuantities: [Double] = []
        /// The first of this week's rows at or after `j` that is not paired (`b.count` past the end).
        func live(_ j: Int) -> Int {
            var j = j
            while bNext[j] != j {
                bNext[j] = bNext[bNext[j]]
                j = bNext[j]
            }
            return j
        }
        /// The first index of `range` at which `before` no longer holds (it holds on a
        /// leading stretch of the range): a binary search.
        func partition(_ range: Range<Int>, _ before: (Int) -> Bool) -> Int {
            var (lo, hi) = (range.lowerBound, range.upperBound)
            while lo < hi {
                let mid = (lo + hi) / 2
                if before(mid) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        /// This week's rows needed on `day`.
        func dayRange(_ day: Int32) -> Range<Int> {
            partition(0..<b.count) { b[$0].day < day }..<partition(0..<b.count) { b[$0].day <= day }
        }
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count, rows[end].key == rows[start].key { end += 1 }
            let key = rows[start].key
            a.removeAll(keepingCapacity: true)
            b.removeAll(keepingCapacity: true)
            for row in rows[start..<end] {
                if row.now { b.append(row) } else { a.append(row) }
            }
            start = end
            aPaired.removeAll(keepingCapacity: true)
            aPaired.append(contentsOf: repeatElement(false, count: a.count))
            bNext.removeAll(keepingCapacity: true)
            bNext.append(contentsOf: 0...b.count)
            bQuantities.removeAll(keepingCapacity: true)
            bQuantities.append(contentsOf: b.lazy.map(\.quantity))
            var from = 0
            while from < b.count {
                var to = from + 1
                while to < b.count, b[to].day == b[from].day { to += 1 }
                bQuantities[from..<to].sort()
                from = to
            }
            // Last week's rows from the last: each pairs with the first unpaired row of this
            // week's on its need date and of the same quantity (unchanged, or only its order
            // date or lateness moved: a lead time changed), then, of those left, with the
            // first on its need date (quantity changed).
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                let days = dayRange(a[i].day)
                // `same` holds only within 1e-6 × max(1, |a|, |b|): none of the date's
                // quantities in a window a little wider, no row to look for.
                let q = a[i].quantity, window = 1.001e-6 * max(1, abs(q))
                let nearest = partition(days) { bQuantities[$0] < q - window }
                guard nearest < days.upperBound, bQuantities[nearest] <= q + window else { continue }
                var j = live(days.lowerBound)
                while j < days.upperBound, !same(b[j].quantity, a[i].quantity) { j = live(j + 1) }
                guard j < days.upperBound else { continue }
                // A suggestion late both weeks is "order now" both weeks: its order date
                // is just the plan date, which moves with the plan.
                let moved = a[i].orderDay != b[j].orderDay && !(a[i].late && b[j].late)
                if previous.knowsOrderDates && (moved || a[i].late != b[j].late) {
                    changes.append(Change(key: key, kind: 4, oldDay: a[i].day, newDay: b[j].day, oldQuantity: a[i].quantity,
                                          newQuantity: b[j].quantity, oldOrder: a[i].orderDay, newOrder: b[j].orderDay,
                                          oldLate: a[i].late, newLate: b[j].late))
                }
                aPaired[i] = true
                bNext[j] = j + 1
            }
            for i in stride(from: a.count - 1, through: 0, by: -1) where !aPaired[i] {
                let days = dayRange(a[i].day)
                let j = live(days.lowerBound)
                guard j < days.upperBound else { continue }
                changes.append(Change(key: key, kind: 0, oldDay: a[i].day, newDay: b[j].day, oldQuantity: a[i].quantity,
                                      newQuantity: b[j].quantity, oldOrder: a[i].orderDay, newOrder: b[j].orderDay,
                                      oldLate: a[i].late, newLate: b[j].late))
                aPaired[i] = true
                bNext[j] = j + 1
            }
            // What is left, in date order: paired one to one (need date moved), then dropped or new.
            let leftOld = a.indices.filter { !aPaired[$0] }.map { a[$0] }
            let leftNew = b.indices.filter { bNext[$0] == $0 }.map { b[$0] }
            for (old, new) in zip(leftOld, leftNew) {
                changes.append(Change(key: key, kind: 1, oldDay: old.day, newDay: new.day, oldQuantity: old.quantity,
                                      newQuantity: new.quantity, oldOrder: old.orderDay, newOrder: new.orderDay,
                                      oldLate: old.late, newLate: new.late))
            }
            for old in leftOld.dropFirst(leftNew.count) {
                changes.append(Change(key: key, kind: 2, oldDay: old.day, newDay: old.day, oldQuantity: old.quantity, newQuantity: 0,
                                      oldOrder: old.orderDay, oldLate: old.late))
            }
            for new in leftNew.dropFirst(leftOld.count) {
                changes.append(Change(key: key, kind: 3, oldDay: new.day, newDay: new.day, oldQuantity: 0, newQuantity: new.quantity,
                                      newOrder: new.orderDay, newLate: new.late))
            }
        }
        guard !changes.isEmpty else {
            purchaseChangesFile = CSVWriter(header: Self.purchaseChangesHeader).bytes
            return
        }
        // By supplier name, date, item name, kind: ranks, not string compares per pair.
        let supplierRank = Self.ranks(supplierNames)
        let modelRank = model.items.nameRank()
        let foreignRank = Self.ranks(itemNames)
        func itemName(_ k: Int) -> String { k < model.items.count ? model.items.names[k] : itemNames[k - model.items.count] }
        func itemRank(_ k: Int) -> Int { k < model.items.count ? modelRank[k] : model.items.count + foreignRank[k - model.items.count] }
        changes.sort { x, y in
            let (sx, sy) = (supplierRank[x.key % suppliers], supplierRank[y.key % suppliers])
            if sx != sy { return sx < sy }
            let (dx, dy) = (min(x.oldDay, x.newDay), min(y.oldDay, y.newDay))
            if dx != dy { return dx < dy }
            let (ix, iy) = (itemRank(x.key / suppliers), itemRank(y.key / suppliers))
            if ix != iy { return ix < iy }
            if x.kind != y.kind { return x.kind < y.kind }
            return (x.oldQuantity, x.newQuantity) < (y.oldQuantity, y.newQuantity)
        }
        let respondBy = model.plan.respondBy(level: 1)
        let q = NumberFormat.quantity
        // A suggestion that `takt release` turned into an open receipt is gone because it
        // was ordered: its receipt's reference is `PL-ITEM-YYYYMMDD-N` with its need date,
        // and the receipt is what the order brings in good (its quantity × yield). Each
        // receipt answers one dropped suggestion.
        var released: [String: [(reference: String, quantity: Double, item: Int)]] = [:]
        for receipt in model.receipts where receipt.reference.hasPrefix("PL-") {
            guard let dash = receipt.reference.lastIndex(of: "-") else { continue }
            released[String(receipt.reference[..<dash]), default: []].append((receipt.reference, receipt.quantity, receipt.item))
        }
        for key in released.keys { released[key]!.sort { $0.reference < $1.reference } }
        func ordered(_ stem: String, quantity: Double) -> String? {
            guard let candidates = released[stem] else { return nil }
            let yieldFactor = { (item: Int) in model.items.startedPerGood(item) }
            guard let k = candidates.firstIndex(where: { candidate in
                let good = candidate.quantity * yieldFactor(candidate.item)
                return quantity >= candidate.quantity - 1e-6 && quantity <= good.rounded(.up) + 1e-6
            }) else { return nil }
            released[stem]!.remove(at: k)
            return candidates[k].reference
        }
        // Each dropped suggestion's receipt, once, in list order (the lines and the file say the same).
        let orderedAs: [String?] = changes.map { change in
            guard change.kind == 2, !released.isEmpty else { return nil }
            let day = String(Day(number: Int(change.oldDay)).description.filter { $0 != "-" })
            return ordered("PL-\(itemName(change.key / suppliers))-\(day)", quantity: change.oldQuantity)
        }
        // Suggestions ordered since (`takt release`) are what the buyer did, not a change to
        // act on: listed after the real changes, so that past the report's cap those show.
        let listed = changes.indices.filter { orderedAs[$0] == nil } + changes.indices.filter { orderedAs[$0] != nil }
        // purchase_changes.csv: every change, the list's order, both weeks' figures.
        var file = CSVWriter(header: Self.purchaseChangesHeader)
        let kinds = ["quantity", "need_date", "dropped", "new", "order_date"]
        let flags = ["false", "true"]
        for c in listed {
            let change = changes[c]
            let supplier = supplierNames[change.key % suppliers]
            file.field(supplier)
            file.field(itemName(change.key / suppliers))
            file.field(change.kind == 2 && orderedAs[c] != nil ? "ordered" : kinds[Int(change.kind)])
            if change.kind == 2 {
                for _ in 0..<4 { file.field("") }
            } else {
                file.field(Day(number: Int(change.newDay)).description)
                file.field(change.newQuantity)
                file.field(Day(number: Int(change.newOrder)).description)
                file.field(flags[change.newLate ? 1 : 0])
            }
            if change.kind == 3 {
                for _ in 0..<4 { file.field("") }
            } else {
                file.field(Day(number: Int(change.oldDay)).description)
                file.field(change.oldQuantity)
                file.field(previous.knowsOrderDates ? Day(number: Int(change.oldOrder)).description : "")
                file.field(previous.knowsOrderDates ? flags[change.oldLate ? 1 : 0] : "")
            }
            file.field(orderedAs[c] ?? "")
            file.endRow()
        }
        purchaseChangesFile = file.bytes
        for c in listed {
            let change = changes[c]
            purchaseChanges.append({
                let supplier = supplierNames[change.key % suppliers]
                let item = itemName(change.key / suppliers)
                let (old, new) = (Day(number: Int(change.oldDay)), Day(number: Int(change.newDay)))
                let text: String
                switch change.kind {
                case 0: text = "\(item) needed \(old): quantity \(q(change.oldQuantity)) → \(q(change.newQuantity))"
                case 1:
                    let quantity = same(change.oldQuantity, change.newQuantity) ? q(change.newQuantity)
                        : "\(q(change.oldQuantity)) → \(q(change.newQuantity))"
                    text = "\(item) \(quantity): need date \(old) → \(new) (\(Self.days(from: old, to: new)) days)"
                case 2:
                    if let reference = orderedAs[c] {
                        text = "\(item) \(q(change.oldQuantity)) needed \(old): ordered as \(reference) (an open receipt now)"
                    } else {
                        text = "\(item) \(q(change.oldQuantity)) needed \(old): dropped"
                    }
                case 4:
                    let (from, to) = (Day(number: Int(change.oldOrder)), Day(number: Int(change.newOrder)))
                    var parts: [String] = []
                    if from != to {
                        let shift = Self.days(from: from, to: to)
                        parts.append("order date \(from) → \(to) (\(shift) days)")
                    }
                    if change.newLate != change.oldLate { parts.append(change.newLate ? "now late" : "no longer late") }
                    text = "\(item) \(q(change.newQuantity)) needed \(new): " + parts.joined(separator: ", ")
                default: text = "\(item) \(q(change.newQuantity)) needed \(new): new"
                }
                return Line(text: "\(supplier.isEmpty ? "(no supplier)" : supplier): \(text)", owner: owner, date: respondBy)
            }())
        }
    }

    /// The risks (indices into `result.risks`, in the order given) that get a line of their
    /// own: a supplier's risks of one item with one level and deadline (one per gate it
    /// touches: they share their facts and escalate together) are one line, at the first
    /// one's place, with the gates they touch (by index of that first one; a single risk
    /// keeps its id).
    static func supplierLines(_ indices: [Int], _ result: PlanResult) -> (lines: [Int], gates: [Int: [String]]) {
        struct Key: Hashable {
            var item: Int
            var name: String
            var level: Int
            var respondBy: Day
        }
        let gateByDate = Self.gateByDate(result)
        var first: [Key: Int] = [:]
        var gates: [Int: [String]] = [:]
        var lines: [Int] = []
        for k in indices {
            guard result.risks.records[k].kind == .supplier else {
                lines.append(k)
                continue
            }
            let risk = result.risks[k]
            let item = risk.itemIndex(in: result.model.items)
            let key = Key(item: item ?? -1, name: item == nil ? risk.item : "", level: risk.level, respondBy: risk.respondBy)
            let gate = gateByDate[risk.date] ?? risk.date.description
            if let at = first[key] {
                gates[at]!.append(gate)
            } else {
                first[key] = k
                gates[k] = [gate]
                lines.append(k)
            }
        }
        return (lines, gates.filter { $0.value.count > 1 })
    }

    /// Each gate by its date (the first gate of a date), for naming the gate a supplier
    /// risk is dated at.
    static func gateByDate(_ result: PlanResult) -> [Day: String] {
        Dictionary(result.gates.map { ($0.date, $0.gate) }, uniquingKeysWith: { a, _ in a })
    }

    /// Each name's place in sorted order.
    static func ranks(_ names: [String]) -> [Int] {
        var rank = [Int](repeating: 0, count: names.count)
        for (position, k) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[k] = position }
        return rank
    }
}
