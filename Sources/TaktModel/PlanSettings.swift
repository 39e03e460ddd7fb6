/// The time grid of a plan (contract §1 `bucket`).
public enum BucketKind: String, Sendable {
    case week, day
}

/// A ramp end item: `full_rate_per_week` at 100 % capacity.
public struct RampProduct: Sendable, Hashable {
    public var item: Int
    public var fullRatePerWeek: Double
    public var line: Int
    /// The product's own backlog cost per unit and week in the capacity LP (contract §2b:
    /// its priority); nil takes `costs.backlog_per_unit_week`.
    public var backlogPerUnitWeek: Double?

    package init(item: Int, fullRatePerWeek: Double, line: Int, backlogPerUnitWeek: Double? = nil) {
        self.item = item
        self.fullRatePerWeek = fullRatePerWeek
        self.line = line
        self.backlogPerUnitWeek = backlogPerUnitWeek
    }
}

/// A phase of the ramp: consecutive from `start`, `capacityFrom` → `capacityTo` linearly.
public struct Phase: Sendable, Hashable {
    public var name: String
    public var weeks: Int
    public var capacityFrom: Double
    public var capacityTo: Double
    public var gate: String?
    public var line: Int

    package init(name: String, weeks: Int, capacityFrom: Double, capacityTo: Double, gate: String?, line: Int) {
        self.name = name
        self.weeks = weeks
        self.capacityFrom = capacityFrom
        self.capacityTo = capacityTo
        self.gate = gate
        self.line = line
    }
}

/// Costs of the capacity LP and of EOQ (contract §1 `costs:`).
public struct PlanCosts: Sendable, Hashable {
    public var holdingPerUnitWeek: Double = 1.0
    public var backlogPerUnitWeek: Double = 50.0
    public var holdingRatePerYear: Double = 0.25
    /// Overhead on material, labour and overtime in the cost roll-up, in percent.
    public var overheadPct: Double = 0
    public init() {}
}

/// KPI targets (`kpis:` in plan.yaml): each optional, each with an optional owner.
public struct KPITargets: Sendable, Hashable {
    public struct Target: Sendable, Hashable {
        public var value: Double
        /// Who answers for the KPI; empty: the escalation level's owner.
        public var owner: String
        public init(value: Double, owner: String = "") {
            self.value = value
            self.owner = owner
        }
    }

    /// Product (item id) → target cost per unit.
    public var costPerUnit: [Int: Target] = [:]
    public var onTimeDeliveryPct: Target?
    public var supplierOnTimePct: Target?
    public var firstPassYieldPct: Target?
    public init() {}

    public var isEmpty: Bool {
        costPerUnit.isEmpty && onTimeDeliveryPct == nil && supplierOnTimePct == nil && firstPassYieldPct == nil
    }
}

/// An escalation level: who owns a risk of this level and how fast they must respond.
public struct EscalationLevel: Sendable, Hashable {
    public var level: Int
    public var owner: String
    public var respondWithinDays: Int

    package init(level: Int, owner: String, respondWithinDays: Int) {
        self.level = level
        self.owner = owner
        self.respondWithinDays = respondWithinDays
    }

    /// The contract example's levels, used when plan.yaml has no `escalation:`.
    public static let defaults: [EscalationLevel] = [
        EscalationLevel(level: 1, owner: "Functional lead", respondWithinDays: 2),
        EscalationLevel(level: 2, owner: "Program Manager", respondWithinDays: 5),
        EscalationLevel(level: 3, owner: "VP Operations", respondWithinDays: 0),
    ]
}

/// What MRP plans the products by (contract §2a `mps`).
public enum MPSMode: String, Sendable {
    /// The capacity LP's completions `x[p,t]` are the products' planned orders.
    case capacity
    /// Products are netted against their ramp and demand like any item (infinite capacity).
    case ramp
}

/// `plan.yaml` after validation.
public struct PlanSettings: Sendable {
    public var start: Day
    /// The line of `start` in plan.yaml (its warnings).
    public var startLine = 1
    /// plan.yaml's `start` where the plan starts on another day: a Saturday or Sunday with
    /// day buckets, whose plan starts on the next Monday (`start`); nil otherwise.
    public var writtenStart: Day?
    public var horizonWeeks: Int
    public var bucket: BucketKind
    public var products: [RampProduct]
    public var phases: [Phase]
    /// The file `products` and `phases` (and their lines) come from when not plan.yaml: a
    /// scenario's that replaced them (its warnings point there).
    public var productsFile: String?
    public var phasesFile: String?
    public var costs: PlanCosts
    public var escalation: [EscalationLevel]
    /// The line of plan.yaml's `escalation:` list; nil when the defaults apply.
    public var escalationLine: Int?
    /// Keys of plan.yaml Takt does not know and no known key is a likely misspelling of
    /// (a note beside the plan, say): read past, each said as a warning (`PlanWarnings`).
    public var ignoredKeys: [IgnoredKey] = []

    /// A plan.yaml key read past: its line, the key, and where it is (` in a product`, or
    /// empty at the top level).
    public struct IgnoredKey: Sendable, Hashable {
        public var line: Int
        public var key: String
        public var context: String

        public init(line: Int, key: String, context: String) { (self.line, self.key, self.context) = (line, key, context) }
    }
    /// §2a: `capacity` (the default) or `ramp`.
    public var mps: MPSMode = .capacity
    /// §2: round planned receipts and order quantities up to whole units (default true).
    public var wholeUnits: Bool = true
    /// §2 rescheduling check: how many weeks ahead open receipts may be pulled in (0 = off).
    public var rescheduleInWeeks: Int = 4
    /// The planning time fence: no new planned order of a netted item is due inside the
    /// first `frozenWeeks` weeks (0 = none); see `ItemNetting`.
    public var frozenWeeks: Int = 0

    /// The respond-by date of a risk or action at escalation `level` raised on the plan date.
    public func respondBy(level: Int) -> Day { start.addingBusinessDays(escalationLevel(level).respondWithinDays) }
    /// KPI targets; empty when plan.yaml has no `kpis:`.
    public var kpis = KPITargets()
    /// §2e `simulation: {late_weeks: [from, to]}`: a late supply comes `k` weeks late, `k`
    /// drawn uniformly from `from…to` (default 1…4).
    public var lateWeeks: ClosedRange<Int> = 1...4

    public init(start: Day, horizonWeeks: Int, bucket: BucketKind, products: [RampProduct], phases: [Phase],
                costs: PlanCosts, escalation: [EscalationLevel]) {
        self.start = start
        self.horizonWeeks = horizonWeeks
        self.bucket = bucket
        self.products = products
        self.phases = phases
        self.costs = costs
        self.escalation = escalation
    }

    /// The declared dates of each phase, `[first day, first day after)`: consecutive from
    /// `start`, `7 × weeks` days each, also past the horizon (§2c: a gate's date counts
    /// the declared weeks).
    public var phaseWindows: [Range<Day>] {
        var windows: [Range<Day>] = []
        var first = start
        for phase in phases {
            let next = first.adding(days: 7 * phase.weeks)
            windows.append(first..<next)
            first = next
        }
        return windows
    }

    /// Products are planned from the capacity LP's master schedule (§2a).
    /// What a unit of product `p` (plan order) in backlog costs a week in the capacity LP
    /// (§2b): its own `backlog_per_unit_week`, else `costs.backlog_per_unit_week`.
    public func backlogCost(ofProduct p: Int) -> Double {
        (p < products.count ? products[p].backlogPerUnitWeek : nil) ?? costs.backlogPerUnitWeek
    }

    public var plansFromMPS: Bool { mps == .capacity && !products.isEmpty && !phases.isEmpty }

    /// The level's owner and window; a level plan.yaml does not list takes the nearest
    /// listed level below it (else above it), so that every risk has an owner.
    public func escalationLevel(_ level: Int) -> EscalationLevel {
        if let exact = escalation.first(where: { $0.level == level }) { return exact }
        let below = escalation.filter { $0.level < level }.max { $0.level < $1.level }
        let above = escalation.filter { $0.level > level }.min { $0.level < $1.level }
        guard let nearest = below ?? above else { return EscalationLevel(level: level, owner: "", respondWithinDays: 0) }
        return EscalationLevel(level: level, owner: nearest.owner, respondWithinDays: nearest.respondWithinDays)
    }
}
