import TaktModel
import TaktInput
import TaktPlanning

/// The sections of the weekly status report that need more than a list: ranked, grouped,
/// one line per risk, each line naming an owner and a date.
extension StatusReport {
    /// What a work center did in one phase's LP.
    struct CenterInPhase {
        var phase: String
        /// The start date of the phase's first week (its weeks are 7 days apart).
        var firstWeek: Day
        /// 1-based weeks of the phase with a shadow price (≥ 0.005 per hour).
        var bindingWeeks: [Int] = []
        var peakUtilization = 0.0
        var overtimeHours = 0.0
        var overtimeCost = 0.0
        var bestPrice = 0.0
    }

    /// Per work center, what each phase's LP says of it.
    static func centerFacts(_ result: PlanResult) -> [[CenterInPhase]] {
        let centers = result.model.workcenters
        var facts = [[CenterInPhase]](repeating: [], count: centers.count)
        for phase in result.capacity where phase.status == .optimal {
            let firstWeek = result.mps.weekly.bucketStart[phase.weeks.lowerBound]
            var perCenter = centers.indices.map { _ in CenterInPhase(phase: phase.name, firstWeek: firstWeek) }
            for row in phase.capacity {
                var fact = perCenter[row.workcenter]
                if row.shadowPrice >= 0.005 { fact.bindingWeeks.append(row.week - phase.weeks.lowerBound + 1) }
                fact.peakUtilization = max(fact.peakUtilization, row.utilizationPct)
                fact.overtimeHours += row.overtimeHours
                fact.overtimeCost += row.overtimeHours * centers[row.workcenter].overtimeCostPerHour
                fact.bestPrice = max(fact.bestPrice, row.shadowPrice)
                perCenter[row.workcenter] = fact
            }
            for w in centers.indices { facts[w].append(perCenter[w]) }
        }
        return facts
    }

    /// `3–5, 8` from sorted week numbers; with `firstWeek` (week 1's start date) the
    /// spans' start dates instead: `2027-01-18 to 2027-02-01, 2027-02-22`.
    static func spans(_ weeks: [Int], firstWeek: Day? = nil) -> String {
        var parts: [String] = []
        var k = 0
        func label(_ week: Int) -> String { firstWeek.map { "\($0.adding(days: 7 * (week - 1)))" } ?? "\(week)" }
        while k < weeks.count {
            var end = k
            while end + 1 < weeks.count, weeks[end + 1] == weeks[end] + 1 { end += 1 }
            parts.append(end == k ? label(weeks[k]) : "\(label(weeks[k]))\(firstWeek == nil ? "–" : " to ")\(label(weeks[end]))")
            k = end + 1
        }
        return parts.joined(separator: ", ")
    }

    /// One work center's LP story across the phases: where it binds, its peak, overtime
    /// and what an hour is worth; or that it never binds.
    static func centerStory(_ facts: [CenterInPhase]) -> String {
        let binding = facts.filter { !$0.bindingWeeks.isEmpty }
        guard !binding.isEmpty else {
            let peak = facts.max { $0.peakUtilization < $1.peakUtilization }
            return "is never the bottleneck" + (peak.map { " (loaded up to \(NumberFormat.fixed($0.peakUtilization, decimals: 1)) % in \($0.phase))" } ?? "")
        }
        return "is the bottleneck in " + binding.map { fact in
            let plural = fact.bindingWeeks.count == 1 ? "" : "s"
            var text = "\(fact.phase) week\(plural) \(spans(fact.bindingWeeks)) "
                + "(week\(plural) of \(spans(fact.bindingWeeks, firstWeek: fact.firstWeek)); loaded up to \(NumberFormat.fixed(fact.peakUtilization, decimals: 1)) %"
            if fact.overtimeHours > 1e-9 {
                text += ", \(NumberFormat.fixed(fact.overtimeHours, decimals: 1)) h overtime costing \(NumberFormat.fixed(fact.overtimeCost, decimals: 2))"
            }
            return text + ", an extra hour saves up to \(NumberFormat.fixed(fact.bestPrice, decimals: 2)) of the plan's cost)"
        }.joined(separator: "; ")
    }

    /// The first `count` of `items` in the order `ahead` gives, without sorting them all
    /// (a large model has a hundred thousand risks and the report shows fifteen).
    static func leading(_ items: some Sequence<Int>, count: Int, by ahead: (Int, Int) -> Bool) -> [Int] {
        var leaders = Leaders(count: count)
        for item in items { leaders.offer(item, by: ahead) }
        return leaders.best
    }

    /// The first `count` of the items offered one by one, in the order `ahead` gives
    /// (`leading`, for items found on the way).
    struct Leaders {
        private(set) var best: [Int] = []
        let count: Int

        init(count: Int) {
            self.count = count
            best.reserveCapacity(count + 1)
        }

        mutating func offer(_ item: Int, by ahead: (Int, Int) -> Bool) {
            guard best.count < count || ahead(item, best[best.count - 1]) else { return }
            var position = best.count
            while position > 0 && ahead(item, best[position - 1]) { position -= 1 }
            best.insert(item, at: position)
            if best.count > count { best.removeLast() }
        }
    }

    /// What makes a gate no-go on material, for its blocker line: the items its phase's late
    /// deliveries wait for (their `cause`, §2d; not capacity), the latest first,
    /// each with the kind of risk that says it in full — a `shortage` (its action in the
    /// shortage lines and the procurement actions), an `expedite` (a pull-in).
    struct MaterialCauses {
        let result: PlanResult
        /// Items with a `shortage` risk (a projected shortage, §2c), and items with an
        /// `expedite` risk (a `reschedule_in`).
        var short: Set<Int> = [], pulled: Set<Int> = []

        init(_ result: PlanResult) {
            self.result = result
            for shortage in result.projection.shortages { short.insert(shortage.item) }
            for exception in result.mrp.exceptions where exception.kind == .rescheduleIn { pulled.insert(exception.item) }
        }

        /// `late deliveries wait for the shortage of MCU-H7 (shortage risk), the pull-ins of
        /// CAM-V1, PCB-MAIN (expedite risks)`: the five items whose deliveries come
        /// latest (what the gate's forecast follows), then with the most late units; then
        /// how many more.
        func describe(_ gate: GateResult) -> String {
            let dates = result.mrp.calendar.bucketStart
            let names = result.model.items.names
            // Per cause: its latest delivery's lateness in buckets (not delivered: past every
            // bucket) and its late units.
            var worst: [Int: (buckets: Int, units: Double)] = [:]
            for delivery in result.projection.deliveries where delivery.isLate {
                guard case .item(let item)? = delivery.cause else { continue }
                let need = dates[delivery.needBucket]
                guard need >= gate.phaseStart, need < gate.date else { continue }
                let late = delivery.availableBucket.map { $0 - delivery.needBucket } ?? dates.count
                let before = worst[item] ?? (0, 0)
                worst[item] = (max(before.buckets, late), before.units + delivery.lateQuantity)
            }
            guard !worst.isEmpty else { return "late deliveries (see the late deliveries above)" }
            let ranked = worst.keys.sorted { a, b in
                let (x, y) = (worst[a]!, worst[b]!)
                if x.buckets != y.buckets { return x.buckets > y.buckets }
                return x.units != y.units ? x.units > y.units : names[a] < names[b]
            }
            var (shortages, pullIns, others): ([String], [String], [String]) = ([], [], [])
            for item in ranked.prefix(5) {
                let name = names[item]
                if short.contains(item) { shortages.append(name) } else if pulled.contains(item) { pullIns.append(name) } else { others.append(name) }
            }
            var shown: [String] = []
            // Where each is said in full: its risk in risks.csv (the lines of this report are
            // capped, and rank by other measures).
            if !shortages.isEmpty { shown.append("the shortage\(shortages.count == 1 ? "" : "s") of \(shortages.joined(separator: ", ")) (shortage risk\(shortages.count == 1 ? "" : "s"))") }
            if !pullIns.isEmpty { shown.append("the pull-in\(pullIns.count == 1 ? "" : "s") of \(pullIns.joined(separator: ", ")) (expedite risk\(pullIns.count == 1 ? "" : "s"))") }
            if !others.isEmpty { shown.append(others.joined(separator: ", ")) }
            return "late deliveries wait for " + shown.joined(separator: ", ") + (ranked.count > 5 ? " and \(ranked.count - 5) more" : "")
        }
    }

    /// Who holds a phase's capacity shortfall: of the `capacity` risks dated at its gate
    /// (one per product behind, §2c), the owner of the most escalated and the earliest
    /// respond-by — so the gate's blocker, the capacity section and `risks.csv` name one
    /// owner and deadline; nil when there is none.
    static func capacityRisksHolder(_ result: PlanResult, gateDate: Day) -> (owner: String, date: Day)? {
        let risks = result.risks
        let capacity = risks.indices.filter { risks.records[$0].kind == .capacity && risks.records[$0].date == gateDate }
        return ActionOwners.mostEscalated(capacity, in: risks).map { (risks[$0.risk].owner, $0.earliest) }
    }

    /// Blockers: each no-go gate once (its no-go criteria named), then the shortages
    /// grouped by the end item and week they hit first, then by supplier; ranked by level,
    /// value at risk and date. Level-3 risks of other kinds follow, one line each.
    mutating func describeBlockers(_ result: PlanResult, owner: String, delays: [Int32: Int] = [:]) {
        let model = result.model
        let plan = model.plan
        let respondBy = plan.respondBy(level: 2)
        var materialCauses: MaterialCauses?
        for gate in result.gates where gate.status == .noGo {
            let criteria = gate.criteria.filter { $0.status == .noGo }
            let named = criteria.map { criterion in
                guard criterion.criterion == "material" else { return "\(criterion.criterion): \(criterion.evidence)" }
                if materialCauses == nil { materialCauses = MaterialCauses(result) }
                return "material: " + materialCauses!.describe(gate)
            }
            let owners = Set(criteria.map(\.owner).filter { !$0.isEmpty })
            // A capacity no-go is the capacity risks' (§2c): as they stand after escalation.
            let holder = criteria.contains { $0.criterion == "capacity" } ? Self.capacityRisksHolder(result, gateDate: gate.date) : nil
            // The criteria's one owner with the level-2 deadline, else the capacity risks'
            // owner and deadline, else the level-2 owner's.
            let (who, by) = owners.count == 1 ? (owners.first!, respondBy) : holder ?? (owner, respondBy)
            blockers.append(Line(text: "\(gate.gate) (\(gate.phaseName), \(gate.date)) is no-go on \(named.joined(separator: "; "))",
                                 owner: who, date: by))
        }
        /// A group: the end item and week its shortages hit first, or the one shortage item
        /// whose late deliveries are put down to none of its own. Its figures in 56 bytes;
        /// its lines are worded only when shown (a stress-shaped model has a hundred
        /// thousand groups and the report shows fifteen).
        struct Group {
            /// The late components' worth at their prices.
            var value = 0.0
            /// What the group's shortages make late of the end item hit (`lateItem`), in its
            /// own units, over every delivery of it they delay (not only the first week's),
            /// and what those units cost, each at the item's cost of a unit in the phase of
            /// its need date (a product's roll-up, `kpis.csv`).
            var lateUnits = 0.0, lateWorth = 0.0
            /// The need bucket of the last of those deliveries (the first is `keyBucket`).
            var lastBucket: Int32 = -1
            var level: Int32 = 0
            var date: Int32, respondBy: Int32
            /// The risk whose owner answers for the group: the first of its highest level.
            var ownerRisk: Int32
            /// The end item hit and the bucket of its need (`keyBucket` -1: a group of one
            /// shortage item, named by its first risk `keyRisk`).
            var keyItem: Int32 = -1, keyBucket: Int32 = -1, keyRisk: Int32
            /// -1 when no delivery is hit. `costPhase`: the phase whose cost of a unit
            /// prices the late units, -1 when one of them has none, -2 when they fall in
            /// several phases (each priced at its own).
            var lateItem: Int32 = -1, costPhase: Int32 = -1

            /// What the late deliveries are worth: their units at the product's cost, else
            /// the late components at their prices.
            var worth: Double { lateItem >= 0 && costPhase != -1 ? lateWorth : value }

            mutating func add(_ risk: Risk, index: Int) {
                if risk.level > Int(level) { ownerRisk = Int32(index) }
                level = max(level, Int32(clamping: risk.level))
                value += risk.valueAtRisk
                date = min(date, Int32(clamping: risk.date.number))
                respondBy = min(respondBy, Int32(clamping: risk.respondBy.number))
            }
        }
        // A product's cost of a unit in each phase (kpis.csv's roll-up), by item.
        var productCost: [Int: [Int: Double]] = [:]
        for cost in result.kpis.costs { productCost[cost.product, default: [:]][cost.phase] = cost.total }
        let windows = model.plan.phaseWindows
        let names = model.items.names
        let dates = result.mrp.calendar.bucketStart
        let risks = result.risks
        let shortageRisks = risks.records.reduce(0) { $0 + ($1.kind == .shortage ? 1 : 0) }
        /// The phase each bucket's start falls in (worked out once, for every delivery's need).
        let phaseOfBucket = dates.map { day in windows.firstIndex { $0.contains(day) } }
        /// An item's cost of a unit in the phase of a need bucket, with that phase; nil when
        /// none is known.
        func phaseCost(_ item: Int, _ bucket: Int) -> (phase: Int, cost: Double)? {
            guard let phase = phaseOfBucket[bucket], let cost = productCost[item]?[phase] else { return nil }
            return (phase, cost)
        }
        // The groups found: hit ones by (end item, bucket), the others by item (its index,
        // else its name).
        var hitGroup = [UInt64: Int32](minimumCapacity: shortageRisks)
        var unhitGroup: [Int: Int32] = [:], unhitNamed: [String: Int32] = [:]
        var groups: [Group] = []
        groups.reserveCapacity(shortageRisks)
        /// Each shortage risk (by index in `risks`) and its group, in risk order.
        var members: [(risk: Int32, group: Int32)] = []
        members.reserveCapacity(shortageRisks)
        for k in risks.indices where risks.records[k].kind == .shortage {
            let risk = risks[k]
            let hit = risk.delayed.first
            let g: Int
            if let hit {
                let key = UInt64(hit.item) << 32 | UInt64(UInt32(hit.needBucket))
                if let found = hitGroup[key] { g = Int(found) } else {
                    g = groups.count
                    hitGroup[key] = Int32(g)
                    var group = Group(date: Int32(clamping: risk.date.number), respondBy: Int32(clamping: risk.respondBy.number),
                                      ownerRisk: Int32(k), keyItem: Int32(hit.item), keyBucket: Int32(hit.needBucket), keyRisk: Int32(k))
                    group.lateItem = Int32(hit.item)
                    group.costPhase = phaseCost(hit.item, hit.needBucket).map { Int32($0.phase) } ?? -1
                    groups.append(group)
                }
                // Every delivery of the end item this shortage delays (a delivery has one
                // cause, so no two shortages count one twice).
                for delivery in risk.delayed where delivery.item == Int(groups[g].lateItem) {
                    groups[g].lateUnits += delivery.lateQuantity
                    groups[g].lastBucket = max(groups[g].lastBucket, Int32(delivery.needBucket))
                    if let (phase, cost) = phaseCost(delivery.item, delivery.needBucket) {
                        groups[g].lateWorth += delivery.lateQuantity * cost
                        if groups[g].costPhase >= 0 && groups[g].costPhase != Int32(phase) { groups[g].costPhase = -2 }
                    } else {
                        groups[g].costPhase = -1
                    }
                }
            } else {
                let item = risk.itemIndex(in: model.items)
                if let found = item.map({ unhitGroup[$0] }) ?? unhitNamed[risk.item] { g = Int(found) } else {
                    g = groups.count
                    if let item { unhitGroup[item] = Int32(g) } else { unhitNamed[risk.item] = Int32(g) }
                    groups.append(Group(date: Int32(clamping: risk.date.number), respondBy: Int32(clamping: risk.respondBy.number),
                                        ownerRisk: Int32(k), keyRisk: Int32(k)))
                }
            }
            groups[g].add(risk, index: k)
            members.append((Int32(k), Int32(g)))
        }
        func keyText(_ group: Group) -> String {
            group.keyBucket >= 0 ? "\(names[Int(group.keyItem)]) week of \(dates[Int(group.keyBucket)])"
                : "\(risks[Int(group.keyRisk)].item) (no late delivery put down to it)"
        }
        // Ranked by level, worth, date, then the group's text; only the shown ones in order.
        let shown = Self.leading(groups.indices, count: Self.sectionLimit) { a, b in
            let (x, y) = (groups[a], groups[b])
            if x.level != y.level { return x.level > y.level }
            if x.worth != y.worth { return x.worth > y.worth }
            if x.date != y.date { return x.date < y.date }
            return keyText(x) < keyText(y)
        }
        // The shown groups' parts, in risk order: each shortage item's supplier and what is late.
        var position = [Int: Int](minimumCapacity: shown.count)
        for (p, g) in shown.enumerated() { position[g] = p }
        var parts = [[(supplier: String, text: String, item: Int?)]](repeating: [], count: shown.count)
        for member in members {
            guard let p = position[Int(member.group)] else { continue }
            let risk = risks[Int(member.risk)]
            let item = risk.itemIndex(in: model.items)
            let supplier = item.flatMap { item in
                result.mrp.chosenOffer[item] >= 0 ? model.supplierNames[model.offers[result.mrp.chosenOffer[item]].supplier] : nil
            } ?? (item.map { model.items.type[$0] == .make ? "made here" : "no supplier" } ?? "")
            parts[p].append((supplier, "\(risk.item) \(NumberFormat.fixed(risk.quantity, decimals: 2)) units late from \(risk.date), worth \(NumberFormat.fixed(risk.valueAtRisk, decimals: 2))", item))
        }
        // The shortage's one action (§2d; procurement actions say it in full): the last
        // shortage of the item has the say.
        let named = Set(parts.joined().compactMap(\.item))
        var remedies: [Int: String] = [:]
        for shortage in result.projection.shortages where named.contains(shortage.item) {
            if let expedite = shortage.expedite {
                let receipt = model.receipts[expedite.receipt]
                remedies[shortage.item] = " (expedite \(receipt.label) by \(result.mrp.calendar.count(expedite.buckets)))"
            } else if model.items.type[shortage.item] == .buy {
                remedies[shortage.item] = " (order now" + (shortage.availableBucket.map { ": all there by \(dates[$0]))" } ?? ")")
            }
        }
        for (p, g) in shown.enumerated() {
            let group = groups[g]
            blockers.append({
                let bySupplier = Dictionary(grouping: parts[p], by: \.supplier)
                let text = bySupplier.keys.sorted().map { supplier in
                    "\(supplier): " + bySupplier[supplier]!.map { $0.text + ($0.item.flatMap { remedies[$0] } ?? "") }.joined(separator: ", ")
                }.joined(separator: "; ")
                var late = ""
                if group.lateItem >= 0 {
                    let units = group.lateUnits
                    let until = group.lastBucket > group.keyBucket ? " (due \(dates[Int(group.keyBucket)]) to \(dates[Int(group.lastBucket)]))" : ""
                    late = ": \(NumberFormat.quantity(units)) \(names[Int(group.lateItem)]) late\(until)"
                    if group.costPhase >= 0, let (_, cost) = phaseCost(Int(group.lateItem), Int(group.keyBucket)) {
                        late += ", worth \(NumberFormat.fixed(group.lateWorth, decimals: 2)) at \(NumberFormat.fixed(cost, decimals: 2)) a unit (\(model.plan.phases[Int(group.costPhase)].name) cost)"
                    } else if group.costPhase == -2 {
                        late += ", worth \(NumberFormat.fixed(group.lateWorth, decimals: 2)) at each phase's cost of a unit"
                    }
                }
                return Line(text: "\(keyText(group)) is hit by shortages (level \(group.level))\(late) — components: \(text)",
                            owner: risks[Int(group.ownerRisk)].owner, date: Day(number: Int(group.respondBy)))
            }())
        }
        blockers.skip(groups.count - shown.count)
        // Level-3 risks of other kinds (level 3 and above): the higher level, then those
        // delaying deliveries the most, then by value at risk, then in the risks' order.
        let others = risks.indices.filter { risks.records[$0].kind != .shortage && risks.records[$0].level >= 3 }
        for k in others.sorted(by: { Self.riskAhead($0, $1, risks, delays) ?? ($0 < $1) }) {
            let risk = risks[k]
            blockers.append(Line(text: "\(risk.id): \(risk.message)", owner: risk.owner, date: risk.respondBy))
        }
    }

    /// For each risk id an overdue open decision names (its `risks` column), the risk's
    /// index when it is open: one pass over the risks, made only when such a decision exists.
    static func risksNamedByOverdueDecisions(_ result: PlanResult, carried: [Int: String] = [:]) -> [String: Int] {
        let start = result.model.plan.start
        let named = Set(result.model.decisions.filter { $0.status == "open" && $0.date < start }.flatMap(\.risks))
        guard !named.isEmpty else { return [:] }
        var found: [String: Int] = [:]
        for (k, risk) in result.risks.enumerated() where named.contains(risk.id) { found[risk.id] = k }
        // A risk re-dated under a new id answers to its old one (`EscalationTracker.redated`).
        for (k, old) in carried where named.contains(old) && found[old] == nil { found[old] = k }
        return found
    }


    /// Open decisions (a decision that names a work center shows what the LP says of it)
    /// and the gates within four weeks that need a go/no-go call.
    mutating func describeDecisions(_ result: PlanResult, owner: String, carried: [Int: String] = [:]) {
        let model = result.model
        let facts = Self.centerFacts(result)
        let named = Self.risksNamedByOverdueDecisions(result, carried: carried)
        for decision in model.decisions where decision.status == "open" {
            var text = decision.decision
            if !decision.gate.isEmpty { text += " (\(decision.gate))" }
            if !decision.impact.isEmpty { text += " — impact: \(decision.impact)" }
            let words = Set((decision.decision + " " + decision.rationale).split { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "_" }
                .map(String.init))
            for (w, center) in model.workcenters.enumerated() where words.contains(center.name) {
                text += " — capacity: \(center.name) \(Self.centerStory(facts[w]))"
            }
            // Past its date and still open: said, with how long, due now (the plan date), and
            // among the actions that lead "This week" (what waits on it cannot wait behind a
            // small purchase). One that answers open risks goes to the owner of the most
            // escalated of them, as each action does (`ActionOwners`): once the decision's
            // date has passed, its risks escalate again (`EscalationTracker`).
            let start = model.plan.start
            guard decision.date < start else {
                decisions.append(Line(text: text, owner: decision.owner, date: decision.date))
                continue
            }
            let days = start.number - decision.date.number
            text += " — overdue: due \(decision.date), \(days) days ago"
            var lineOwner = decision.owner
            var level = 0
            // Of the open risks it answers (`named`), the most escalated.
            if let k = ActionOwners.mostEscalated(decision.risks.compactMap { named[$0] }, in: result.risks)?.risk {
                let risk = result.risks[k]
                level = risk.level
                text += "; it answers \(risk.id), now at level \(risk.level)"
                if risk.owner != decision.owner {
                    text += ": raised to \(risk.owner) (decision owner: \(decision.owner.isEmpty ? "none" : decision.owner))"
                    lineOwner = risk.owner
                }
            }
            decisions.append(Line(text: text, owner: lineOwner, date: start, urgent: true, pressure: level * 100_000 + min(days, 99_999)))
        }
        for gate in result.gates where gate.date <= model.plan.start.adding(days: 28) {
            decisions.append(Line(text: "go/no-go call for \(gate.gate) (\(gate.phaseName)), now \(gate.status.rawValue)",
                                  owner: owner, date: gate.date))
        }
    }

    /// Whether risk `a` goes before `b` in a list of risks: the higher level, then the
    /// longer lateness of the deliveries it delays (`delays`: what a gate's forecast
    /// follows), then the more value at risk; nil when they tie on all three (each list
    /// breaks the tie its own way).
    static func riskAhead(_ a: Int, _ b: Int, _ risks: RiskList, _ delays: [Int32: Int]) -> Bool? {
        let (x, y) = (risks.records[a], risks.records[b])
        if x.level != y.level { return x.level > y.level }
        let (u, v) = (delays[Int32(a)] ?? -1, delays[Int32(b)] ?? -1)
        if u != v { return u > v }
        if x.valueAtRisk != y.valueAtRisk { return x.valueAtRisk > y.valueAtRisk }
        return nil
    }

    /// `KIND:ITEM:` of a risk id `KIND:ITEM:DATE` (the item may hold colons: the date is
    /// the last part).
    static func kindAndItem(_ id: String) -> String {
        guard let last = id.lastIndex(of: ":") else { return id }
        return String(id[...last])
    }

    /// New, escalated and closed risks against last week: one line per risk id, except
    /// supplier risks, which are one line per item with the gates they touch; ranked by
    /// level, value at risk and date.
    /// `ids`: each risk's id, when last week is known.
    mutating func describeRiskChanges(_ result: PlanResult, previous: PreviousRun?, owner: String, delays: [Int32: Int] = [:],
                                      carried: [Int: String], ids: [String]) {
        // The risks not known last week, by index; without last week every one (nil).
        var fresh: [Int]? = previous == nil ? nil : []
        var escalated: [(risk: Int, from: Int)] = []
        for (k, risk) in result.risks.enumerated() where previous != nil {
            // A finding re-dated under a new id (`EscalationTracker.redated`) is last week's
            // risk: not new, and escalated when its level went up.
            if let previous, let level = previous.risks[ids[k]] ?? carried[k].flatMap({ previous.risks[$0] }) {
                if risk.level > level { escalated.append((k, level)) }
            } else {
                fresh!.append(k)
            }
        }
        // A supplier's escalated risks of one item are one line, naming the gates.
        let from = Dictionary(uniqueKeysWithValues: escalated.map { ($0.risk, $0.from) })
        let (escalatedLines, escalatedGates) = Self.supplierLines(escalated.map(\.risk), result)
        // The highest level first, then those delaying deliveries the most, then by value at
        // risk, then in the risks' order.
        for k in escalatedLines.sorted(by: { Self.riskAhead($0, $1, result.risks, delays) ?? ($0 < $1) }) {
            escalatedRisks.append({
                let risk = result.risks[k]
                let why = risk.missedRespondBy.map { ", respond-by \($0) passed" } ?? ""
                if let gates = escalatedGates[k] {
                    let reason = risk.message.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
                    return Line(text: "supplier:\(risk.item) (level \(from[k]!) → \(risk.level)\(why), \(gates.joined(separator: ", "))): \(reason)",
                                owner: risk.owner, date: risk.respondBy)
                }
                return Line(text: "\(risk.id) (level \(from[k]!) → \(risk.level)\(why)): \(risk.message)",
                            owner: risk.owner, date: risk.respondBy)
            }())
        }
        // Supplier risks: one line per item (its first new one), naming the gates.
        let risks = result.risks
        func forEachFresh(_ body: (Int) -> Void) {
            if let fresh { fresh.forEach(body) } else { risks.indices.forEach(body) }
        }
        let model = result.model
        /// A supplier risk's item: by index where the risk or its name gives one.
        enum ItemKey: Hashable { case index(Int), name(String) }
        func itemKey(_ k: Int) -> ItemKey {
            let risk = risks[k]
            if let item = risk.itemIndex(in: model.items) { return .index(item) }
            return .name(risk.item)
        }
        let records = risks.records
        func ahead(_ a: Int, _ b: Int) -> Bool {
            if let order = Self.riskAhead(a, b, risks, delays) { return order }
            let (x, y) = (records[a], records[b])
            if x.date != y.date { return x.date < y.date }
            return risks[a].id < risks[b].id
        }
        // The lines: each new risk but a supplier one, and each item's first new supplier
        // risk. Only those shown need an order (and a text): the first ones, then a count.
        var supplierSeen = [Bool](repeating: false, count: model.items.count)
        var supplierSeenByName: Set<String> = []
        var leaders = Leaders(count: Self.sectionLimit)
        var candidates = 0
        forEachFresh { k in
            if records[k].kind == .supplier {
                switch itemKey(k) {
                case .index(let item):
                    guard !supplierSeen[item] else { return }
                    supplierSeen[item] = true
                case .name(let name):
                    guard supplierSeenByName.insert(name).inserted else { return }
                }
            }
            candidates += 1
            leaders.offer(k, by: ahead)
        }
        let shown = leaders.best
        // The gates of the shown supplier lines' items: every new supplier risk of the item.
        let gateByDate = Self.gateByDate(result)
        var supplierGates: [ItemKey: [String]] = [:]
        for k in shown where records[k].kind == .supplier { supplierGates[itemKey(k)] = [] }
        if !supplierGates.isEmpty {
            forEachFresh { k in
                guard records[k].kind == .supplier else { return }
                let key = itemKey(k)
                guard supplierGates[key] != nil else { return }
                let date = records[k].date
                supplierGates[key]!.append(gateByDate[date] ?? date.description)
            }
        }
        for k in shown {
            newRisks.append({
                let risk = risks[k]
                if risk.kind == .supplier, let gates = supplierGates[itemKey(k)] {
                    let reason = risk.message.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
                    return Line(text: "supplier:\(risk.item) (level \(risk.level), \(gates.joined(separator: ", "))): \(reason)",
                                owner: risk.owner, date: risk.respondBy)
                }
                return Line(text: "\(risk.id) (level \(risk.level)): \(risk.message)" + (risk.delayed.isEmpty ? "" : " — \(risk.briefImpact)"),
                            owner: risk.owner, date: risk.respondBy)
            }())
        }
        // The rest are counted (`leading` keeps every candidate when there are fewer).
        newRisks.skip(candidates - shown.count)
        newRiskRows = fresh?.count ?? risks.count
        if let previous {
            let current = Set(ids)
            let start = result.model.plan.start
            let responses = Self.responses(in: result.model)
            let gone = previous.risks.keys.filter { !current.contains($0) }.sorted()
            // A finding that is still there under another date is re-dated, not resolved: a
            // shortage, safety-stock or expedite risk of the same item that is new this week
            // (`KIND:ITEM:` the same; the kinds whose date moves with the plan).
            var redated: [String: [String]] = [:]
            let movable = EscalationTracker.movable.map { $0.rawValue + ":" }
            let wanted = Set(gone.filter { id in movable.contains { id.hasPrefix($0) } }.map(Self.kindAndItem))
            if !wanted.isEmpty {
                for id in current where previous.risks[id] == nil {
                    let key = Self.kindAndItem(id)
                    if wanted.contains(key) { redated[key, default: []].append(id) }
                }
                for key in redated.keys { redated[key]!.sort() }
            }
            // An overdue manual criterion whose due date moved past today is no longer a
            // risk, but it is not done either: said when the criterion's text names one row
            // of gates.csv (a risk's id does not name its gate).
            var rows: [String: [GateCriterionRow]] = [:]
            for row in result.model.gateCriteria { rows["gate_criterion:\(row.criterion):", default: []].append(row) }
            var undone: [String: Day] = [:]
            for (key, list) in rows where list.count == 1 && !list[0].done {
                if let due = list[0].dueDate, due > start { undone[key] = due }
            }
            for id in gone {
                var text = "\(id): \(previous.riskMessages[id] ?? "")"
                if let state = previous.riskStates[id] {
                    text += " — closed in the run of \(start), open since \(state.firstSeen) (\(Self.weeks(start.number - state.firstSeen.number)))"
                }
                let now = redated[Self.kindAndItem(id)]
                if let now {
                    text += " — not resolved: still open as \(now.joined(separator: ", ")) (its date moved)"
                } else if let due = undone[Self.kindAndItem(id)] {
                    text += " — not done: its due date moved to \(due)"
                }
                if let response = responses[id] { text += " — response: \(response) — outcome: " + (now == nil ? "closed" : "still open under its new id") }
                // Who held it (the history's state, else last week's risks.csv), closed on
                // this run's date.
                let holder = previous.riskStates[id]?.owner ?? previous.riskOwners[id]
                closedRisks.append(Line(text: text, owner: holder ?? owner, date: start))
            }
        }
    }

    /// Procurement actions, by supplier: every open receipt to cancel, pull in or push
    /// out (with its reference, quantity, dates, amount and reason) and every purchase
    /// that is already late.
    mutating func describeProcurement(_ result: PlanResult, urgent: UrgentOrders, owner: String, owners: ActionOwners) {
        let model = result.model
        let mrp = result.mrp
        let plan = model.plan
        let respondBy = plan.respondBy(level: 1)
        // Each action's text is made only if it is shown (a stress model has hundreds of
        // thousands): an action keeps its supplier as a code (`supplierName`), the day
        // number it goes by and its exception's index (`-1 - item` for a shortage's), 16
        // bytes, with room for one per exception and shortage; `key` (the start of its
        // text: the verb, then the reference or item) orders the actions of a day, made for
        // those that may show.
        var actions: [(supplier: Int32, date: Int32, exception: Int)] = []
        actions.reserveCapacity(mrp.exceptions.count + result.projection.shortages.count)
        /// A supplier's index, or -1 for work orders, -2 for no supplier.
        func supplier(ofItem item: Int, receiptSupplier: Int) -> Int32 {
            if receiptSupplier >= 0 { return Int32(receiptSupplier) }
            let offer = mrp.chosenOffer[item]
            return offer >= 0 ? Int32(model.offers[offer].supplier) : (model.items.type[item] == .make ? -1 : -2)
        }
        func supplierName(_ code: Int32) -> String {
            code >= 0 ? model.supplierNames[Int(code)] : code == -1 ? "(work orders)" : "(no supplier)"
        }
        // Receipts due before the plan start (`overdue`): a receipt with another action says
        // so on that line; one without gets a line to confirm it.
        var overdue: Set<Int> = [], actedOn: Set<Int> = []
        for exception in mrp.exceptions where exception.receipt >= 0 {
            if exception.kind == .overdue { overdue.insert(exception.receipt) } else { actedOn.insert(exception.receipt) }
        }
        func verb(_ exception: MRPException) -> String? {
            switch exception.kind {
            case .overdue where !actedOn.contains(exception.receipt): "confirm"
            case .rescheduleIn where mrp.receiptMovedTo[exception.receipt] >= 0: "pull in"
            case .rescheduleIn: "bring in"
            case .rescheduleOut: "push out"
            case .cancel: "cancel"
            default: nil
            }
        }
        // One action per projected shortage (§2d): the expedite that covers it replaces the
        // receipt's own move and the late re-order; else one "order now" for its late orders.
        // Each bought item's shortage (the last one listed), by index in the shortages.
        var shortageAt = [Int32](repeating: -1, count: model.items.count)
        for (k, shortage) in result.projection.shortages.enumerated() where model.items.type[shortage.item] == .buy {
            shortageAt[shortage.item] = Int32(k)
        }
        func shortageOf(_ item: Int) -> ProjectedShortage? {
            shortageAt[item] >= 0 ? result.projection.shortages[Int(shortageAt[item])] : nil
        }
        var expedited: Set<Int> = []
        for (k, shortage) in result.projection.shortages.enumerated() where shortageAt[shortage.item] == Int32(k) {
            if let receipt = shortage.expedite?.receipt { expedited.insert(receipt) }
        }
        // The open receipts MRP moves in, by shortage item: an "order now" says what they leave.
        var movedIn: [Int: [String]] = [:]
        for exception in mrp.exceptions where exception.kind == .rescheduleIn && exception.receipt >= 0 && shortageAt[exception.item] >= 0 {
            movedIn[exception.item, default: []].append(model.receipts[exception.receipt].label)
        }
        for (k, exception) in mrp.exceptions.enumerated() where exception.receipt >= 0 && !expedited.contains(exception.receipt) {
            guard verb(exception) != nil else { continue }
            let receipt = model.receipts[exception.receipt]
            // A receipt to confirm goes by its own due date (before the plan start, the most
            // overdue first), not its row's date (the first bucket's start).
            actions.append((supplier(ofItem: receipt.item, receiptSupplier: receipt.supplier),
                            Int32(clamping: (exception.kind == .overdue ? receipt.dueDate : exception.date).number), k))
        }
        // The past-due order quantity of each (item, due bucket), in one pass over the orders,
        // and each shortage item's.
        var lateQuantity: [Int: Double] = [:], lateTotal: [Int: Double] = [:]
        for o in urgent.pastDue {
            let order = mrp.orders[o]
            if shortageAt[order.item] >= 0 { lateTotal[order.item, default: 0] += order.quantity }
            lateQuantity[order.item * mrp.bucketCount + order.dueBucket, default: 0] += order.quantity
        }
        /// When the first late order of (item, due bucket) can arrive if placed now (the
        /// projection, §2d); nil without one. Looked up for the lines shown only.
        func arrival(_ item: Int, _ bucket: Int) -> Int? {
            urgent.pastDue.first { mrp.orders[$0].item == item && mrp.orders[$0].dueBucket == bucket }
                .map { Int(result.projection.orderAvailable[$0]) }
        }
        /// A shortage item's late orders, in order (for the lines shown only).
        func lateOrders(_ item: Int) -> [Int] { urgent.pastDue.filter { mrp.orders[$0].item == item } }
        // One past-due exception per (item, due bucket): the first order's (as `pastDueBuckets`).
        var last: (item: Int, date: Day)?
        for (k, exception) in mrp.exceptions.enumerated() where exception.kind == .pastDue {
            if let last, last.item == exception.item, last.date == exception.date { continue }
            last = (exception.item, exception.date)
            guard model.items.type[exception.item] == .buy, shortageAt[exception.item] < 0 else { continue }
            actions.append((supplier(ofItem: exception.item, receiptSupplier: -1), Int32(clamping: exception.date.number), k))
        }
        // A shortfall inside the planning time fence, a bought item without a source: the
        // buyer's to answer (expedite, accept the delay; name a supplier).
        for (k, exception) in mrp.exceptions.enumerated() where exception.kind == .insideFence || exception.kind == .noSource {
            actions.append((supplier(ofItem: exception.item, receiptSupplier: -1), Int32(clamping: exception.date.number), k))
        }
        // A shortage's action (an item is short once) goes by its first late need date.
        for shortage in result.projection.shortages where shortageAt[shortage.item] >= 0 {
            let receiptSupplier = shortage.expedite.map { model.receipts[$0.receipt].supplier } ?? -1
            actions.append((supplier(ofItem: shortage.item, receiptSupplier: receiptSupplier),
                            Int32(clamping: mrp.calendar.bucketStart[shortage.firstLateBucket].number), -1 - shortage.item))
        }
        /// The start of an action's text, which orders the actions of a supplier's day.
        func key(_ k: Int) -> String {
            if k < 0 {
                let item = -1 - k
                return shortageOf(item)!.expedite.map { "expedite \(model.receipts[$0.receipt].label) \(model.items.names[item]) " }
                    ?? "order now: \(model.items.names[item]) "
            }
            let exception = mrp.exceptions[k]
            if exception.receipt >= 0, let verb = verb(exception) { return "\(verb) \(model.receipts[exception.receipt].label) " }
            switch exception.kind {
            case .insideFence: return "inside the time fence: \(model.items.names[exception.item]) "
            case .noSource: return "no source: \(model.items.names[exception.item]) "
            default: return "order now, late: \(model.items.names[exception.item]) "
            }
        }
        func text(_ k: Int) -> String {
            if k < 0 { return shortageText(shortageOf(-1 - k)!) }
            let exception = mrp.exceptions[k]
            if let verb = verb(exception) {
                let receipt = model.receipts[exception.receipt]
                let item = receipt.item
                let price = SupplierChoice.price(item: item, chosen: mrp.chosenOffer, model)
                let head = "\(verb) \(receipt.label) \(model.items.names[item]) \(NumberFormat.quantity(receipt.quantity)) (amount \(NumberFormat.fixed(receipt.quantity * price, decimals: 2)))"
                let late = overdue.contains(exception.receipt)
                    ? " — it was due \(receipt.dueDate), \(plan.start.number - receipt.dueDate.number) days before the plan start: confirm with the supplier first" : ""
                switch verb {
                case "pull in":
                    // As the exception says: the pull-ins cover the bucket, or a new order
                    // due then covers the rest, or, inside the planning time fence, nothing.
                    let covers = exception.shortQuantity <= LotPolicy.tolerance ? "it covers the requirement there instead of a new order"
                        : (mrp.calendar.bucket(of: exception.date) ?? 0) < mrp.calendar.buckets(inWeeks: plan.frozenWeeks)
                        ? "it covers part of the requirement there; inside the planning time fence, no new order may be due then"
                        : "it covers part of the requirement there; a new order due then covers the rest"
                    return "\(head) from \(receipt.dueDate) to \(exception.date): \(covers)" + late + fallback(k)
                case "bring in": return "\(head) from \(receipt.dueDate) to \(exception.date): needed then" + late + fallback(k)
                case "push out": return "\(head) from \(receipt.dueDate) to \(exception.date): not needed before" + late
                case "confirm": return "\(head) due \(receipt.dueDate), \(plan.start.number - receipt.dueDate.number) days before the plan start: counted as arriving now; ask the supplier when it comes"
                default: return "\(head) due \(receipt.dueDate): no requirement left in the horizon" + Self.endedLine(of: item, model: model) + late
                }
            }
            let item = exception.item
            switch exception.kind {
            case .insideFence: return "\(model.items.names[item]) \(exception.message)"
            case .noSource: return "no source: \(model.items.names[item]) — \(exception.message)"
            default: break
            }
            let price = SupplierChoice.price(item: item, chosen: mrp.chosenOffer, model)
            let bucket = mrp.calendar.bucket(of: exception.date) ?? 0
            let quantity = lateQuantity[item * mrp.bucketCount + bucket] ?? 0
            let late = mrp.leadTimeBuckets[item] - bucket
            let short = exception.isShortage ? "\(NumberFormat.quantity(exception.shortQuantity)) short" : "a safety-stock rebuild"
            let arrives = arrival(item, bucket).map { a in
                a < mrp.bucketCount ? ", arrives \(mrp.calendar.bucketStart[a]) at the earliest" : ", cannot arrive within the horizon"
            } ?? ""
            return "order now, late: \(model.items.names[item]) \(NumberFormat.quantity(quantity)) needed \(exception.date)\(arrives), amount \(NumberFormat.fixed(quantity * price, decimals: 2)) (\(mrp.calendar.count(late)) too late; \(short))"
        }
        /// What to do if a pull-in the deliveries wait for (its expedite risk delays them,
        /// §2d) cannot be had: the receipt's quantity as a new order in its place, by the
        /// latest release that still meets the need (`need - L`, as MRP releases), or, when
        /// that is before the plan start, when one placed now arrives (`L`, as the
        /// projection places it); the quantity raised to the lot minimum and multiple (the
        /// item's, the chosen offer's MOQ and multiple); or that no new order comes sooner
        /// than the receipt as it stands. Empty when it delays nothing.
        /// `; if OptiCam cannot: order 400 CAM-V1 from OptiCam by 2027-03-29 in its place`.
        func fallback(_ k: Int) -> String {
            let exception = mrp.exceptions[k]
            guard owners.delaysDeliveries(answered(k)), let need = mrp.calendar.bucket(of: exception.date) else { return "" }
            let receipt = model.receipts[exception.receipt]
            let item = receipt.item
            let who = receipt.supplier >= 0 ? "if \(model.supplierNames[receipt.supplier]) cannot" : "if it cannot be brought in"
            let offer = mrp.chosenOffer[item]
            let buy = model.items.type[item] == .buy
            if buy && offer < 0 { return "" }
            // The item's lot minimum and multiple with the chosen offer's, as MRP sizes a lot
            // (the rule's own size plays no part in `adjusted`).
            let quantity = LotPolicy.resolve(item: item, offer: offer, annualDemand: 0, model: model).adjusted(receipt.quantity)
            let what = buy ? "order \(NumberFormat.quantity(quantity)) \(model.items.names[item]) from \(model.supplierNames[model.offers[offer].supplier])"
                : "start a work order of \(NumberFormat.quantity(quantity)) \(model.items.names[item])"
            let lead = mrp.leadTimeBuckets[item]
            let dates = mrp.calendar.bucketStart
            if need - lead >= 0 { return "; \(who): \(what) by \(dates[need - lead]) in its place" }
            // A new order placed now that comes no sooner than the receipt as it stands is no
            // way out: said as such (the supplier's answer is then the only one).
            guard lead < mrp.bucketCount, lead < Int(mrp.receiptDueBucket[exception.receipt]) else {
                let arrives = lead < mrp.bucketCount ? "arrives \(dates[lead])" : "cannot arrive within the horizon"
                return "; \(who), no new order comes sooner (one placed now \(arrives))"
            }
            return "; \(who): \(what) now, and it arrives \(dates[lead]) at the earliest, \(mrp.calendar.count(lead - need)) after it is needed"
        }
        /// `expedite PO-1003 MCU-H7 500 (amount 4750) by 5 weeks, from 2027-04-05 to
        /// 2027-03-01: it covers the 189 units that come late from 2027-03-01 (until
        /// 2027-03-29 otherwise)`,
        /// or `order now: MCU-H7 1800 due 2027-03-01, amount 17100, arrives 2027-03-29 at the
        /// earliest: 189 units late from 2027-03-01 until then`.
        func shortageText(_ shortage: ProjectedShortage) -> String {
            let item = shortage.item
            let price = SupplierChoice.price(item: item, chosen: mrp.chosenOffer, model)
            let dates = mrp.calendar.bucketStart
            let from = dates[shortage.firstLateBucket]
            let late = NumberFormat.fixed(shortage.lateQuantity, decimals: 2)
            let until = shortage.availableBucket.map { "until \(dates[$0])" } ?? "not all within the horizon"
            if let expedite = shortage.expedite {
                let receipt = model.receipts[expedite.receipt]
                let by = mrp.calendar.count(expedite.buckets)
                let orders = expedite.lateOrdersNeeded.map {
                    let after = Self.neededAfterExpedite($0.order, $0.bucket, model: model, mrp: mrp)
                    return "\(after.order) \(after.need)"
                }
                return "expedite \(receipt.label) \(model.items.names[item]) \(NumberFormat.quantity(receipt.quantity)) (amount \(NumberFormat.fixed(receipt.quantity * price, decimals: 2))) by \(by), from \(receipt.dueDate) to \(from): it covers the \(late) units that come late from \(from) (\(until) otherwise)" + (orders.isEmpty ? "" : "; then " + orders.joined(separator: "; "))
            }
            let orders = lateOrders(item)
            let quantity = orders.reduce(0.0) { $0 + mrp.orders[$1].quantity }
            let lots = orders.map { "\(NumberFormat.quantity(mrp.orders[$0].quantity)) due \(dates[mrp.orders[$0].dueBucket])" }
            let arrives = orders.first.map { o in
                let a = Int(result.projection.orderAvailable[o])
                return a < mrp.bucketCount ? ", arrives \(dates[a]) at the earliest" : ", cannot arrive within the horizon"
            } ?? ""
            // What the receipts' own moves (their lines here) still leave late.
            let moved = shortage.lateAfterMoves.map {
                "; \(NumberFormat.fixed($0, decimals: 2)) once \((movedIn[item] ?? []).joined(separator: ", ")) \(movedIn[item]?.count == 1 ? "is" : "are") brought in as well"
            } ?? ""
            return "order now: \(model.items.names[item]) \(lots.joined(separator: " + ")), amount \(NumberFormat.fixed(quantity * price, decimals: 2))\(arrives): \(late) units late from \(from) \(until)\(moved) — no open receipt due later covers them alone"
        }
        /// The risks an action answers (`ActionOwners`): a shortage's, and its expedite's; a
        /// pull-in's expedite; a late safety-stock rebuild's.
        func answered(_ k: Int) -> [ActionOwners.Answered] {
            if k < 0 {
                let shortage = shortageOf(-1 - k)!
                return owners.shortageAction(item: shortage.item, expediting: shortage.expedite?.receipt)
            }
            let exception = mrp.exceptions[k]
            switch exception.kind {
            case .rescheduleIn: return [.init(kind: .expedite, item: exception.item, date: exception.date)]
            case .pastDue where !exception.isShortage: return [.init(kind: .safetyStock, item: exception.item, date: exception.date)]
            default: return []
            }
        }
        /// Shortage actions, pull-ins and late purchases keep deliveries on time.
        func urgentAction(_ k: Int) -> Bool {
            k < 0 || [.rescheduleIn, .pastDue, .insideFence].contains(mrp.exceptions[k].kind)
        }
        /// What an action moves, in money: the receipt's amount, or the late orders'.
        func amount(_ k: Int) -> Double {
            if k < 0 {
                let shortage = shortageOf(-1 - k)!
                let price = SupplierChoice.price(item: shortage.item, chosen: mrp.chosenOffer, model)
                if let expedite = shortage.expedite { return model.receipts[expedite.receipt].quantity * price }
                return (lateTotal[shortage.item] ?? 0) * price
            }
            let exception = mrp.exceptions[k]
            if exception.receipt >= 0 {
                let receipt = model.receipts[exception.receipt]
                return receipt.quantity * SupplierChoice.price(item: receipt.item, chosen: mrp.chosenOffer, model)
            }
            if exception.kind == .insideFence || exception.kind == .noSource {
                return exception.quantity * SupplierChoice.price(item: exception.item, chosen: mrp.chosenOffer, model)
            }
            let bucket = mrp.calendar.bucket(of: exception.date) ?? 0
            return (lateQuantity[exception.item * mrp.bucketCount + bucket] ?? 0)
                * SupplierChoice.price(item: exception.item, chosen: mrp.chosenOffer, model)
        }
        // Past the section's cap, the actions shown are first those that keep deliveries on
        // time, by the level of the risk they answer, whether it delays deliveries and how
        // late (`ActionOwners.pressure`), then those moving the most money (a large cancel is
        // never hidden behind small moves of suppliers earlier in the alphabet), the earlier
        // in the list first among equals; they are listed by supplier, then date, then key.
        // Only the actions that show are put in that order: the cap's best, kept as the
        // actions are ranked one by one.
        let limit = StatusReport.sectionLimit
        var candidates = Array(actions.indices)
        typealias Rank = (urgent: Int, pressure: Int, amount: Double)
        func ahead(_ x: Rank, _ y: Rank) -> Bool {
            if x.urgent != y.urgent { return x.urgent > y.urgent }
            if x.pressure != y.pressure { return x.pressure > y.pressure }
            return StatusReport.moreMoney(x.amount, y.amount)
        }
        var ranks: [Rank] = []
        if actions.count > limit {
            ranks = actions.map { action in
                let urgent = urgentAction(action.exception)
                // A push-out of three days or less (a receipt due at a weekend moved to the
                // next bucket's Monday) is no call worth making: after every other action.
                var tier = urgent ? 1 : 0
                if action.exception >= 0, case let exception = mrp.exceptions[action.exception], exception.kind == .rescheduleOut,
                   exception.receipt >= 0, exception.date.number - model.receipts[exception.receipt].dueDate.number <= 3 {
                    tier = -1
                }
                return (tier, urgent ? owners.pressure(answered(action.exception)) : 0, amount(action.exception))
            }
            // The cap-th best rank; the actions at least that good are the candidates.
            var best: [Rank] = []
            for rank in ranks where best.count < limit || ahead(rank, best[best.count - 1]) {
                var position = best.count
                while position > 0 && ahead(rank, best[position - 1]) { position -= 1 }
                best.insert(rank, at: position)
                if best.count > limit { best.removeLast() }
            }
            let threshold = best[limit - 1]
            candidates = candidates.filter { !ahead(threshold, ranks[$0]) }
        }
        let keys = Dictionary(uniqueKeysWithValues: candidates.map { ($0, key(actions[$0].exception)) })
        // In list order (stable: the actions of one supplier, day and key stay as collected).
        candidates.sort { a, b in
            let (x, y) = (actions[a], actions[b])
            if x.supplier != y.supplier, case let (a, b) = (supplierName(x.supplier), supplierName(y.supplier)), a != b { return a < b }
            if x.date != y.date { return x.date < y.date }
            return keys[a]! < keys[b]!
        }
        if candidates.count > limit {
            // The best ranks, the earlier in the list first among equals.
            let ranked = candidates.indices.sorted { p, q in
                let (x, y) = (ranks[candidates[p]], ranks[candidates[q]])
                if ahead(x, y) != ahead(y, x) { return ahead(x, y) }
                return p < q
            }
            let kept = Set(ranked.prefix(limit))
            candidates = candidates.indices.filter { kept.contains($0) }.map { candidates[$0] }
        }
        procurement.skip(actions.count - candidates.count)
        for k in candidates {
            let action = actions[k]
            // An order to place now is due now, as in the next-week plan; a move of a
            // receipt is due when the level-1 response is.
            let orderNow = action.exception < 0 ? shortageOf(-1 - action.exception)!.expedite == nil
                : mrp.exceptions[action.exception].kind == .pastDue
            let urgent = urgentAction(action.exception)
            let answers = answered(action.exception)
            let (who, by) = owners.assign(answers, owner: owner, date: orderNow ? plan.start : respondBy, dueNow: orderNow)
            // Among the urgent lines of "This week", the level of the risk it answers goes
            // before the money (an overdue decision's goes with how long it is overdue).
            procurement.append(Line(text: "\(supplierName(action.supplier)): \(text(action.exception))", owner: who,
                                    date: by, weight: amount(action.exception), urgent: urgent,
                                    pressure: urgent ? owners.pressure(answers) : 0))
        }
    }

    /// (`MCU-H7 1800 planned for 2027-03-01`, `is needed 2027-04-26, to be placed by
    /// 2027-02-01`): a late order of a shortage, and when it is needed once the expedite
    /// that covers the shortage is done.
    /// `placeNow` when even then its lead time leaves no later date than the plan's first
    /// bucket to place it (`is needed 2027-04-26, to be placed now: its lead time leaves no
    /// later date`): the order is not to be held.
    static func neededAfterExpedite(_ o: Int, _ bucket: Int?, model: PlanningModel, mrp: MRPResult) -> (order: String, need: String, placeNow: Bool) {
        let order = mrp.orders[o]
        let dates = mrp.calendar.bucketStart
        let head = "\(model.items.names[order.item]) \(NumberFormat.quantity(order.quantity)) planned for \(dates[order.dueBucket])"
        guard let bucket else { return (head, "is not needed within the horizon", false) }
        let placeBy = bucket - mrp.leadTimeBuckets[order.item]
        if placeBy <= 0 {
            return (head, "is needed \(dates[bucket]), to be placed now: its lead time leaves no later date", true)
        }
        return (head, "is needed \(dates[bucket]), to be placed by \(dates[placeBy])", false)
    }

    /// ` (BOM line P → ITEM ended DATE)` when a line using the item stopped being
    /// effective inside the horizon: the likely reason a receipt is no longer needed.
    static func endedLine(of item: Int, model: PlanningModel) -> String {
        let bom = model.bom
        let end = BucketCalendar(plan: model.plan).end.number
        var ended: [Int] = []
        bom.forEachUse(of: item) { line in
            if bom.effectiveTo[line] != Int.max && bom.effectiveTo[line] < end { ended.append(line) }
        }
        guard let line = ended.max(by: { bom.effectiveTo[$0] < bom.effectiveTo[$1] }) else { return "" }
        return " (BOM line \(model.items.names[bom.parent[line]]) → \(model.items.names[item]) ended \(Day(number: bom.effectiveTo[line])))"
    }

    /// The next week: work orders to release, and each purchase order to place with its
    /// item, quantity, need date, amount and lateness — and the open receipt of the same
    /// item that is to be pulled in to the same need date, so a buyer does not both
    /// expedite and re-order.
    mutating func describeNextWeek(_ result: PlanResult, urgent: UrgentOrders, owner: String, owners: ActionOwners) {
        let model = result.model
        let mrp = result.mrp
        let start = model.plan.start
        let dates = mrp.calendar.bucketStart
        // Purchases go by supplier name: each supplier's place in name order (equal names
        // share one), "(no supplier)" among them, so that the sort compares integers.
        let supplierNames = model.supplierNames + ["(no supplier)"]
        let noSupplier = supplierNames.count - 1
        let byName = supplierNames.indices.sorted { supplierNames[$0] < supplierNames[$1] }
        var supplierPlace = [Int](repeating: 0, count: supplierNames.count)
        for (k, s) in byName.enumerated() where k > 0 {
            let before = byName[k - 1]
            supplierPlace[s] = supplierPlace[before] + (supplierNames[s] == supplierNames[before] ? 0 : 1)
        }
        var makeCount = 0, makeItems: Set<Int> = []
        var purchases: [(place: Int, supplier: Int, order: PlannedOrder, index: Int)] = []
        for o in urgent.firstWeek {
            let order = mrp.orders[o]
            if order.kind == .make {
                makeCount += 1
                makeItems.insert(order.item)
            } else {
                let offer = mrp.chosenOffer[order.item]
                let supplier = offer >= 0 ? model.offers[offer].supplier : noSupplier
                purchases.append((supplierPlace[supplier], supplier, order, o))
            }
        }
        // When a late order placed now can arrive (the projection, §2d), by item and due bucket.
        var arrival: [Int: Int] = [:]
        for o in urgent.pastDue where mrp.orders[o].kind == .buy {
            let order = mrp.orders[o]
            arrival[order.item * mrp.bucketCount + order.dueBucket] = Int(result.projection.orderAvailable[o])
        }
        if makeCount > 0 {
            let names = makeItems.map { model.items.names[$0] }.sorted()
            let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
            nextWeek.append(Line(text: "release \(makeCount) work order\(makeCount == 1 ? "" : "s") (\(shown))",
                                 owner: owner, date: start))
        }
        // Open receipts pulled in or to be brought in, by item and need date.
        var pulled: [Int: [(date: Day, reference: String)]] = [:]
        for exception in mrp.exceptions where exception.kind == .rescheduleIn && exception.receipt >= 0 {
            let receipt = model.receipts[exception.receipt]
            pulled[receipt.item, default: []].append((exception.date, receipt.label))
        }
        purchases.sort {
            if $0.place != $1.place { return $0.place < $1.place }
            if $0.order.dueBucket != $1.order.dueBucket { return $0.order.dueBucket < $1.order.dueBucket }
            return model.items.names[$0.order.item] < model.items.names[$1.order.item]
        }
        // A projected shortage's one action is in the procurement actions (§2d): its late
        // orders are placed here as they will arrive, without a second action of their own.
        // Each item's shortage (the last listed), by index in the shortages.
        var shortageAt = [Int32](repeating: -1, count: model.items.count)
        for (k, shortage) in result.projection.shortages.enumerated() { shortageAt[shortage.item] = Int32(k) }
        func shortageOf(_ item: Int) -> ProjectedShortage? {
            shortageAt[item] >= 0 ? result.projection.shortages[Int(shortageAt[item])] : nil
        }
        var stated: Set<Int> = []  // the shortage items whose late orders are listed
        // Each shortage item's late purchases, in the order listed: one line gathers them.
        var lateGroup: [Int: [PlannedOrder]] = [:]
        for purchase in purchases where purchase.order.pastDue && shortageAt[purchase.order.item] >= 0 {
            lateGroup[purchase.order.item, default: []].append(purchase.order)
        }
        // The late orders an expedite holds, with the bucket each is then needed in (nil when
        // no row takes from it within the horizon): a value that is itself optional, so a
        // look-up's `if let` finds the order and keeps the bucket's nil.
        var heldNeed: [Int: Int?] = [:]
        for shortage in result.projection.shortages {
            for need in shortage.expedite?.lateOrdersNeeded ?? [] where heldNeed[need.order] == nil { heldNeed[need.order] = need.bucket }
        }
        // Past the section's cap, the lines shown are those answering the most pressing
        // risks (`ActionOwners.pressure`: a shortage's late orders, a late rebuild of safety
        // stock), then the largest amounts, still listed by supplier: a large model has
        // thousands of first-week purchases, and the first suppliers by name are not the
        // ones that matter. Each purchase that makes a line of its own, with its rank.
        let room = StatusReport.sectionLimit - nextWeek.count
        var shownPurchase: Set<Int>?
        do {
            var ranked: [(position: Int, pressure: Int, amount: Double)] = []
            var first: Set<Int> = []
            // A shortage item's pressure, once an item (its late orders are many).
            var shortagePressure: [Int: Int] = [:]
            for (position, (_, _, order, o)) in purchases.enumerated() {
                let price = SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model)
                if order.pastDue, shortageAt[order.item] >= 0, arrival[order.item * mrp.bucketCount + order.dueBucket] != nil {
                    let shortage = shortageOf(order.item)!
                    if let expedite = shortage.expedite, heldNeed[o] != nil {
                        let pressure = shortagePressure[order.item] ?? owners.pressure(owners.shortageAction(item: order.item, expediting: expedite.receipt))
                        shortagePressure[order.item] = pressure
                        ranked.append((position, pressure, order.quantity * price))
                    } else if first.insert(order.item).inserted {
                        let total = (lateGroup[order.item] ?? [order]).reduce(0.0) { $0 + $1.quantity }
                        ranked.append((position, owners.pressure(owners.shortageAction(item: order.item, expediting: nil)), total * price))
                    }
                } else {
                    let pressure = order.pastDue
                        ? owners.pressure([.init(kind: .safetyStock, item: order.item, date: dates[order.dueBucket])]) : 0
                    ranked.append((position, pressure, order.quantity * price))
                }
            }
            if ranked.count > room {
                ranked.sort { a, b in
                    if a.pressure != b.pressure { return a.pressure > b.pressure }
                    if !StatusReport.sameMoney(a.amount, b.amount) { return StatusReport.moreMoney(a.amount, b.amount) }
                    return a.position < b.position
                }
                shownPurchase = Set(ranked.prefix(max(0, room)).map(\.position))
            }
        }
        for (position, (_, s, order, o)) in purchases.enumerated() {
            let supplier = supplierNames[s]
            let need = dates[order.dueBucket]
            var amount: String {
                NumberFormat.fixed(order.quantity * SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model), decimals: 2)
            }
            if order.pastDue, shortageAt[order.item] >= 0, let a = arrival[order.item * mrp.bucketCount + order.dueBucket] {
                let shortage = shortageOf(order.item)!
                let arrives = a < mrp.bucketCount ? "arrives \(dates[a])" : "cannot arrive within the horizon"
                if let expedite = shortage.expedite, let needBucket = heldNeed[o] {
                    // Past the section's cap a line is only counted.
                    guard shownPurchase?.contains(position) ?? true else {
                        nextWeek.skip()
                        continue
                    }
                    let receipt = model.receipts[expedite.receipt]
                    let reference = receipt.label
                    let after = Self.neededAfterExpedite(o, needBucket, model: model, mrp: mrp)
                    // The expedite's owner and deadline (procurement actions), one date for
                    // one action: the shortage's risk and the receipt's pull-in's.
                    let answered = owners.shortageAction(item: order.item, expediting: expedite.receipt)
                    let (who, by) = owners.assign(answered, owner: owner, date: after.placeNow ? start : model.plan.respondBy(level: 1),
                                                  dueNow: after.placeNow)
                    // An order whose lead time leaves no later date than now to place it is
                    // placed now, expedite or not: there is nothing to hold.
                    let text = after.placeNow
                        ? "\(supplier): place \(after.order) now, amount \(amount): even once \(reference) is expedited, when it is needed \(dates[needBucket ?? order.dueBucket]), its lead time leaves no later date (see procurement actions)"
                        : "\(supplier): hold \(after.order), amount \(amount): once \(reference) is expedited it \(after.need) (see procurement actions)"
                    nextWeek.append(Line(text: text, owner: who, date: by))
                    continue
                }
                // Order now: the shortage's late orders in one line, at the first of them.
                guard stated.insert(order.item).inserted else { continue }
                guard shownPurchase?.contains(position) ?? true else {
                    nextWeek.skip()
                    continue
                }
                let group = lateGroup[order.item] ?? [order]
                let total = group.reduce(0.0) { $0 + $1.quantity }
                let price = SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model)
                let lots = group.count == 1 ? "" : " in \(group.count) orders"
                let planned = group.count == 1 ? "planned for \(need)" : "planned for \(need) to \(dates[group[group.count - 1].dueBucket])"
                var notes = ["\(NumberFormat.fixed(shortage.lateQuantity, decimals: 2)) units of \(model.items.names[order.item]) late until then"]
                let groupDates = Set(group.map { dates[$0.dueBucket] })
                let same = (pulled[order.item] ?? []).filter { groupDates.contains($0.date) }.map(\.reference)
                if !same.isEmpty { notes.append("pull in \(same.joined(separator: ", ")) as well") }
                let text = "\(supplier): place \(model.items.names[order.item]) \(NumberFormat.quantity(total)) now\(lots), \(arrives) (\(planned)), amount \(NumberFormat.fixed(total * price, decimals: 2)) — "
                    + (notes + ["see procurement actions"]).joined(separator: "; ")
                let (who, by) = owners.assign(owners.shortageAction(item: order.item, expediting: nil), owner: owner,
                                              date: dates[order.releaseBucket], dueNow: true)
                nextWeek.append(Line(text: text, owner: who, date: by, weight: total * price))
                continue
            }
            // Past the section's cap a line is only counted (thousands of first-week
            // purchases on a large model; the file lists them all).
            guard shownPurchase?.contains(position) ?? true else {
                nextWeek.skip()
                continue
            }
            var text = "\(supplier): place \(model.items.names[order.item]) \(NumberFormat.quantity(order.quantity)), need \(need), amount \(amount)"
            if order.pastDue {
                text += ", LATE"
                if let a = arrival[order.item * mrp.bucketCount + order.dueBucket] {
                    text += a < mrp.bucketCount ? " (arrives \(dates[a]) at the earliest)" : " (cannot arrive within the horizon)"
                }
            }
            let same = (pulled[order.item] ?? []).filter { $0.date == need }.map(\.reference)
            if !same.isEmpty { text += " — and pull in \(same.joined(separator: ", ")) to \(need) as well (see procurement actions)" }
            // A late rebuild of safety stock answers its `safety_stock` risk (§2c).
            let (who, by) = order.pastDue
                ? owners.assign([.init(kind: .safetyStock, item: order.item, date: need)], owner: owner, date: dates[order.releaseBucket],
                                dueNow: true)
                : (owner, dates[order.releaseBucket])
            nextWeek.append(Line(text: text, owner: who, date: by,
                                 weight: order.quantity * SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model)))
        }
    }

    /// The capacity story: per work center, where each phase's LP binds (weeks, peak,
    /// overtime and its cost, what an hour is worth), phases that cannot reach the ramp
    /// with each product's final backlog, and each center's MRP overload weeks.
    mutating func describeCapacity(_ result: PlanResult, owner: String) {
        let model = result.model
        let plan = model.plan
        let respondBy = plan.respondBy(level: 2)
        let centers = model.workcenters
        let facts = Self.centerFacts(result)
        for w in centers.indices.sorted(by: { centers[$0].name < centers[$1].name })
            where facts[w].contains(where: { !$0.bindingWeeks.isEmpty }) {
            capacity.append(Line(text: "\(centers[w].name) \(Self.centerStory(facts[w]))", owner: owner, date: respondBy))
        }
        for phase in result.capacity where phase.hasShortfall {
            let behind = plan.products.indices.filter { phase.finalBacklog[$0] > 1e-6 }.map {
                "\(model.items.names[plan.products[$0].item]) \(NumberFormat.fixed(phase.finalBacklog[$0], decimals: 1, apartFrom: 0))"
            }
            let holder = result.gates.first { $0.phase == phase.phase }.flatMap { Self.capacityRisksHolder(result, gateDate: $0.date) }
            capacity.append(Line(text: "\(phase.name) cannot reach its ramp even with all overtime: \(NumberFormat.fixed(phase.minimumFinalBacklog, decimals: 1, apartFrom: 0)) units behind at its end (\(behind.joined(separator: ", ")))",
                                 owner: holder?.owner ?? owner, date: holder?.date ?? respondBy))
        }
        for phase in result.capacity where phase.status != .optimal {
            capacity.append(Line(text: "\(phase.name): capacity LP \(phase.status)", owner: owner, date: respondBy))
        }
        var overloads: [Int: [MRPException]] = [:]
        for exception in result.mrp.exceptions where exception.kind == .overload {
            overloads[exception.workcenter, default: []].append(exception)
        }
        // Each (work center, week)'s capacity row, to tell what the allowed overtime absorbs.
        var capacityRow: [Int: CapacityRow] = [:]
        let weekCount = result.mps.weekly.count
        for phase in result.capacity {
            for row in phase.capacity { capacityRow[row.workcenter * weekCount + row.week] = row }
        }
        for w in overloads.keys.sorted(by: { centers[$0].name < centers[$1].name }) {
            let rows = overloads[w]!.sorted { $0.date < $1.date }
            let worst = rows.map(\.quantity).max() ?? 0
            let span = rows.count == 1 ? "the week of \(rows[0].date)" : "\(rows.count) weeks from \(rows[0].date) to \(rows[rows.count - 1].date)"
            let allowed = max(0, centers[w].overtimeHoursPerWeek)
            let beyond = rows.filter { row in
                let week = result.mps.weekly.bucket(of: row.date) ?? 0
                return capacityRow[w * weekCount + week].map { MRPLoad.beyondAllowedOvertime($0, model: model) > 1e-9 } ?? false
            }.count
            let remedy = beyond == 0
                ? "all within the \(NumberFormat.fixed(allowed, decimals: 1)) h of overtime allowed a week: plan up to \(NumberFormat.fixed(worst, decimals: 1)) h more overtime there"
                : "\(beyond) of them beyond the \(NumberFormat.fixed(allowed, decimals: 1)) h of overtime allowed: move or split orders"
            // A week to act before the first of them; inside the first week it is already late.
            let deadline = max(plan.start, rows[0].date.adding(days: -7))
            let late = rows[0].date.number - plan.start.number < 7 ? " (already this week: act now)" : ""
            capacity.append(Line(text: "\(centers[w].name): the MRP's orders need more than capacity and planned overtime (+5 %) in \(span), up to \(NumberFormat.fixed(worst, decimals: 1)) h over; \(remedy) — setup hours, lot sizes or demand outside the master schedule (exceptions.csv, overload)\(late)",
                                 owner: owner, date: deadline))
        }
    }
}
