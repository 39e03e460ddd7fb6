import TaktModel
import TaktInput

/// A gate's or criterion's verdict, worst last (contract §2c).
public enum GateStatus: String, Sendable, Comparable, CaseIterable {
    case go
    case atRisk = "at_risk"
    case noGo = "no_go"

    private var rank: Int {
        switch self {
        case .go: 0
        case .atRisk: 1
        case .noGo: 2
        }
    }

    public static func < (lhs: GateStatus, rhs: GateStatus) -> Bool { lhs.rank < rhs.rank }
}

/// One criterion of a gate with the evidence behind its status.
public struct CriterionResult: Sendable, Hashable {
    public var criterion: String
    public var status: GateStatus
    public var evidence: String
    /// Who owns a manual criterion (gates.csv), else empty.
    public var owner: String = ""
    /// The buy items behind an at-risk `supplier` criterion, in name order, each with the
    /// offer that makes it a risk (`GateEvaluator.supplierReason` says why).
    public var items: [SupplierEntry] = []

    public static func == (a: CriterionResult, b: CriterionResult) -> Bool {
        a.criterion == b.criterion && a.status == b.status && a.evidence == b.evidence && a.owner == b.owner
            && a.items == b.items
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(criterion)
        hasher.combine(status)
        hasher.combine(evidence)
    }
}

/// A buy item behind an at-risk `supplier` criterion and its chosen offer, in 8 bytes (a
/// stress model has over a million of them, one a risk each).
public struct SupplierEntry: Sendable, Hashable {
    @Int32Field public private(set) var item: Int
    /// Index into `model.offers`.
    @Int32Field public private(set) var offer: Int

    public init(item: Int, offer: Int) {
        self.item = item
        self.offer = offer
    }
}

/// A gate evaluated at the end of its phase.
public struct GateResult: Sendable, Hashable {
    public var gate: String
    public var phase: Int
    public var phaseName: String
    /// The start date of the first bucket after the phase.
    public var date: Day
    /// The first day of the phase.
    public var phaseStart: Day
    public var status: GateStatus
    public var criteria: [CriterionResult]
    /// When the gate can be held (`GateForecast`, §2d); nil = open.
    public var forecast: Day? = nil
    /// What sets the forecast (the latest delivery or a manual criterion's due date).
    public var forecastReason: String = ""
}

/// Evaluates each phase's gate from the material, capacity, supplier and manual criteria
/// (contract §2c).
///
/// Behaviour:
/// - `material`: no_go when a delivery needed inside the phase comes late (§2d) for a
///   cause other than `capacity`; at_risk on a `past_due` order (a safety-stock rebuild,
///   or a shortage whose late deliveries fall outside the phase) or a `reschedule_in`
///   dated inside the phase;
/// - `capacity`: no_go when `B* > 1e-6` (or the LP was not solved), at_risk when a work
///   center is above 90 % utilization or on overtime in the phase;
/// - `supplier`: at_risk when a buy item due inside the phase has a chosen supplier that
///   is not contracted or below 90 % on time;
/// - manual rows: done → go; not done → at_risk, or no_go once `due_date <= start`;
/// - the gate is its worst criterion.
public struct GateEvaluator {
    public let model: PlanningModel
    public let mrp: MRPResult
    public let capacity: [PhaseCapacity]
    public let projection: Projection
    /// Each item's place in name order, when the caller has it (else made when needed).
    let nameRank: ContiguousArray<Int>?

    public init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], projection: Projection,
                nameRank: ContiguousArray<Int>? = nil) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.projection = projection
        self.nameRank = nameRank
    }

    public func evaluate() -> [GateResult] {
        var results: [GateResult] = []
        // The gated phases' date ranges.
        let windows = model.plan.phaseWindows
        let gated = model.plan.phases.enumerated().compactMap { k, phase in
            phase.gate.map { (phase: k, gate: $0, inside: windows[k]) }
        }
        var rank = nameRank
        let risky = riskyOffers(gated.map(\.inside))
        for (g, entry) in gated.enumerated() {
            let phase = model.plan.phases[entry.phase]
            var criteria = [material(entry.inside), capacityCriterion(entry.phase), supplier(risky[g], rank: &rank)]
            for row in model.gateCriteria where row.gate == entry.gate {
                criteria.append(manual(row))
            }
            let status = criteria.map(\.status).max() ?? .go
            results.append(GateResult(gate: entry.gate, phase: entry.phase, phaseName: phase.name, date: entry.inside.upperBound,
                                      phaseStart: entry.inside.lowerBound, status: status, criteria: criteria))
        }
        return results
    }

    /// Evidence lists name at most this many items; the rest are counted.
    static let evidenceLimit = 10

    func names(_ items: some Sequence<Int>) -> String {
        Self.list(Set(items).map { model.items.names[$0] }.sorted(), separator: ", ")
    }

    /// `a, b, c … and 12 more`.
    static func list(_ entries: [String], separator: String) -> String {
        list(entries, count: entries.count, separator: separator)
    }

    /// The same for the first entries of a list of `count`.
    static func list(_ first: [String], count: Int, separator: String) -> String {
        guard count > evidenceLimit else { return first.joined(separator: separator) }
        return first.prefix(evidenceLimit).joined(separator: separator) + " … and \(count - evidenceLimit) more"
    }

    /// §2c, §2d: no_go when a delivery needed inside the phase is late (late quantity
    /// above 1e-9, or not delivered) for a cause other than `capacity`; at_risk on a
    /// `past_due` order or a `reschedule_in` dated inside the phase.
    func material(_ inside: Range<Day>) -> CriterionResult {
        let dates = mrp.calendar.bucketStart
        // The phase's late deliveries; those late for want of capacity leave material go.
        let lateInside = projection.deliveries.filter { delivery in
            inside.contains(dates[delivery.needBucket]) && (delivery.lateQuantity > Tolerance.quantity || delivery.availableBucket == nil)
        }
        let late = lateInside.filter { $0.cause != .capacity }
        if !late.isEmpty {
            let shown = late.prefix(Self.evidenceLimit + 1).map { delivery -> String in
                var text = "\(model.items.names[delivery.item]) due \(dates[delivery.needBucket]) "
                if let available = delivery.availableBucket {
                    text += "+\(dates[available].number - dates[delivery.needBucket].number) days"
                } else {
                    text += "not delivered"
                }
                if case .item(let cause)? = delivery.cause { text += " (\(model.items.names[cause]))" }
                return text
            }
            return CriterionResult(criterion: BuiltInCriterion.material.rawValue, status: .noGo,
                                   evidence: "late deliveries: " + Self.list(shown, count: late.count, separator: ", "))
        }
        let pastDue = mrp.exceptions.filter { $0.kind == .pastDue && inside.contains($0.date) }
        let expedite = mrp.exceptions.filter { $0.kind == .rescheduleIn && inside.contains($0.date) }
        if !pastDue.isEmpty || !expedite.isEmpty {
            var parts: [String] = []
            let rebuilds = pastDue.filter(\.isSafetyStockRebuild), short = pastDue.filter(\.isShortage)
            if !short.isEmpty { parts.append("past due, its late deliveries outside the phase: \(names(short.map(\.item)))") }
            if !rebuilds.isEmpty { parts.append("safety stock rebuilt late: \(names(rebuilds.map(\.item)))") }
            if !expedite.isEmpty { parts.append("reschedule in: \(names(expedite.map(\.item)))") }
            return CriterionResult(criterion: BuiltInCriterion.material.rawValue, status: .atRisk, evidence: parts.joined(separator: "; "))
        }
        // Here every late delivery of the phase is late for capacity: the evidence says so
        // rather than calling every delivery on time.
        let deliveries = lateInside.isEmpty ? "every delivery of the phase on time"
            : "no delivery of the phase late for want of material (\(lateInside.count) late for capacity)"
        return CriterionResult(criterion: BuiltInCriterion.material.rawValue, status: .go,
                               evidence: deliveries + "; no past-due orders or expedites in the phase")
    }

    func capacityCriterion(_ phase: Int) -> CriterionResult {
        guard let result = capacity.first(where: { $0.phase == phase }) else {
            return CriterionResult(criterion: BuiltInCriterion.capacity.rawValue, status: .go, evidence: "phase is beyond the planning horizon")
        }
        guard result.status == .optimal else {
            return CriterionResult(criterion: BuiltInCriterion.capacity.rawValue, status: .noGo, evidence: "capacity LP \(result.status)")
        }
        if result.hasShortfall {
            let short = model.plan.products.indices.filter { result.finalBacklog[$0] > 1e-6 }
            let detail = short.map {
                "\(model.items.names[model.plan.products[$0].item]) \(NumberFormat.fixed(result.finalBacklog[$0], decimals: 1, apartFrom: 0)) units"
            }.joined(separator: ", ")
            return CriterionResult(criterion: BuiltInCriterion.capacity.rawValue, status: .noGo,
                                   evidence: "backlog at phase end even with all overtime: \(detail)")
        }
        var worst: [Int: (utilization: Double, overtime: Double)] = [:]
        for row in result.capacity where row.utilizationPct > 90 + 1e-9 || row.overtimeHours > 1e-9 {
            let previous = worst[row.workcenter] ?? (0, 0)
            worst[row.workcenter] = (max(previous.utilization, row.utilizationPct), previous.overtime + row.overtimeHours)
        }
        if !worst.isEmpty {
            let detail = worst.keys.sorted { model.workcenters[$0].name < model.workcenters[$1].name }.map { w in
                let entry = worst[w]!
                var text = "\(model.workcenters[w].name) peak \(NumberFormat.fixed(entry.utilization, decimals: 1, apartFrom: 90)) %"
                if entry.overtime > 1e-9 { text += ", \(NumberFormat.fixed(entry.overtime, decimals: 1)) h overtime" }
                return text
            }
            return CriterionResult(criterion: BuiltInCriterion.capacity.rawValue, status: .atRisk, evidence: Self.list(detail, separator: "; "))
        }
        return CriterionResult(criterion: BuiltInCriterion.capacity.rawValue, status: .go, evidence: "all work centers at or below 90 % without overtime")
    }

    /// Why `offer` makes its item a supplier risk (§2c: not contracted, or below 90 % on
    /// time), e.g. `BY-1 from SUP-7 (not contracted, on time 83.0 %)`; nil when it does not.
    /// Made when read: a stress model has a million risky offers.
    public static func supplierReason(offer: Int, model: PlanningModel) -> String? {
        var out: [UInt8] = []
        return appendSupplierReason(offer: offer, model: model, to: &out) ? String(decoding: out, as: UTF8.self) : nil
    }

    /// `supplierReason` written as UTF-8 onto `out` (`risks.csv`'s messages); false, and
    /// nothing written, when the offer is not a risk.
    @discardableResult
    static func appendSupplierReason(offer k: Int, model: PlanningModel, to out: inout [UInt8]) -> Bool {
        let offer = model.offers[k]
        guard isRisky(offer) else { return false }
        out.append(utf8: model.items.names[offer.item])
        out.append(utf8: " from ")
        out.append(utf8: model.supplierNames[offer.supplier])
        out.append(utf8: " (")
        if !offer.contracted { out.append(utf8: "not contracted") }
        if offer.onTimePct < 90 {
            if !offer.contracted { out.append(utf8: ", ") }
            out.append(utf8: "on time ")
            if offer.onTimePct >= 89.95 {
                // Not "90 %" for 89.99 % (made rarely: a stress model has a million of these).
                out.append(utf8: NumberFormat.fixed(offer.onTimePct, decimals: 1, apartFrom: 90))
            } else {
                NumberFormat.append(offer.onTimePct, decimals: 1, to: &out)
            }
            out.append(utf8: " %")
        }
        out.append(0x29)
        return true
    }

    /// Whether `offer` makes its item a supplier risk (`supplierReason`, without the text).
    static func isRisky(_ offer: SupplierOffer) -> Bool { !offer.contracted || offer.onTimePct < 90 }

    /// For each date range, the buy items with an order due inside it whose chosen offer is
    /// a risk, each with that offer, in the orders' order (an item at its first order due
    /// inside the range). Item by item, each item's orders being one stretch: only the
    /// items whose offer is a risk have their orders read (millions of orders at 1M items,
    /// most of them from safe offers), and one pass serves every gate.
    func riskyOffers(_ ranges: [Range<Day>]) -> [[SupplierEntry]] {
        let rangeOfBucket = mrp.calendar.rangeOfEachBucket(ranges)
        var found = [[SupplierEntry]](repeating: [], count: ranges.count)
        var seen = [Bool](repeating: false, count: ranges.count)
        for item in model.planningOrder {
            let chosen = mrp.chosenOffer[item]
            guard chosen >= 0, Self.isRisky(model.offers[chosen]) else { continue }
            let stretch = mrp.orderRange(of: item)
            guard !stretch.isEmpty else { continue }
            for g in seen.indices { seen[g] = false }
            for o in stretch {
                let order = mrp.orders[o]
                guard order.kind == .buy else { continue }
                let g = rangeOfBucket[order.dueBucket]
                guard g >= 0, !seen[g] else { continue }
                seen[g] = true
                found[g].append(SupplierEntry(item: item, offer: chosen))
            }
        }
        return found
    }

    /// at_risk when a buy item due in the phase comes from a risky offer (`riskyOffers`).
    func supplier(_ risky: [SupplierEntry], rank: inout ContiguousArray<Int>?) -> CriterionResult {
        if risky.isEmpty {
            return CriterionResult(criterion: BuiltInCriterion.supplier.rawValue, status: .go,
                                   evidence: "no buy item due in the phase comes from a supplier that is not contracted or below 90 % on time")
        }
        if rank == nil { rank = model.items.nameRank() }
        let order = rank!
        let entries = risky.sorted { order[$0.item] < order[$1.item] }
        let reasons = entries.prefix(Self.evidenceLimit + 1).map { Self.supplierReason(offer: $0.offer, model: model)! }
        return CriterionResult(criterion: BuiltInCriterion.supplier.rawValue, status: .atRisk,
                               evidence: Self.list(reasons, count: entries.count, separator: "; "), items: entries)
    }

    func manual(_ row: GateCriterionRow) -> CriterionResult {
        let status: GateStatus
        if row.done {
            status = .go
        } else if let due = row.dueDate, due <= model.plan.start {
            status = .noGo
        } else {
            status = .atRisk
        }
        // The gates.csv evidence text; without one, what is known: done, or not done by when.
        var evidence = row.evidence
        if evidence.isEmpty {
            evidence = row.done ? "done" : (row.dueDate.map { "not done, due \($0)" } ?? "not done")
        }
        return CriterionResult(criterion: row.criterion, status: status, evidence: evidence, owner: row.owner)
    }
}
