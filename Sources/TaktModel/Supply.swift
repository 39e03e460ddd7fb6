/// An open purchase or work order (contract §1 `receipts.csv`).
public struct OpenReceipt: Sendable, Hashable {
    public var item: Int
    public var quantity: Double
    public var dueDate: Day
    public var reference: String
    /// Supplier id, or -1.
    public var supplier: Int
    public var line: Int

    /// How a report names the receipt: its reference, else its line in receipts.csv.
    public var label: String { reference.isEmpty ? "line \(line)" : reference }

    public init(item: Int, quantity: Double, dueDate: Day, reference: String, supplier: Int, line: Int) {
        self.item = item
        self.quantity = quantity
        self.dueDate = dueDate
        self.reference = reference
        self.supplier = supplier
        self.line = line
    }
}

/// An independent demand row (contract §1 `demand.csv`).
public struct DemandRow: Sendable, Hashable {
    public var item: Int
    public var date: Day
    public var quantity: Double
    public var reference: String
    public var customer: String
    public var line: Int

    public init(item: Int, date: Day, quantity: Double, reference: String, customer: String, line: Int) {
        self.item = item
        self.date = date
        self.quantity = quantity
        self.reference = reference
        self.customer = customer
        self.line = line
    }
}

/// One supplier × item offer (contract §1 `suppliers.csv`). Optional values that default
/// to the item's are stored as nil so that scenario changes to the item still apply.
///
/// 56 bytes an offer (a million-item model has over a million): ids and the file line in
/// 32 bits, an absent lead time or price as NaN, both flags in one byte.
public struct SupplierOffer: Sendable, Hashable {
    @Int32Field public var supplier: Int
    @Int32Field public var item: Int
    private var storedLeadTimeDays: Double
    public var moq: Double
    public var lotMultiple: Double
    private var storedUnitPrice: Double
    public var onTimePct: Double
    @Int32Field public var line: Int
    private var flags: UInt8

    private static let contractedFlag: UInt8 = 1, preferredFlag: UInt8 = 2

    public init(supplier: Int, item: Int, leadTimeDays: Double?, moq: Double, lotMultiple: Double, unitPrice: Double?,
                contracted: Bool, onTimePct: Double, preferred: Bool, line: Int) {
        self.supplier = supplier
        self.item = item
        self.line = line
        storedLeadTimeDays = leadTimeDays ?? .nan
        self.moq = moq
        self.lotMultiple = lotMultiple
        storedUnitPrice = unitPrice ?? .nan
        self.onTimePct = onTimePct
        flags = (contracted ? Self.contractedFlag : 0) | (preferred ? Self.preferredFlag : 0)
    }

    /// nil: the item's `lead_time_days` (a given lead time is a number, never NaN).
    public var leadTimeDays: Double? {
        get { storedLeadTimeDays.isNaN ? nil : storedLeadTimeDays }
        set { storedLeadTimeDays = newValue ?? .nan }
    }
    /// nil: the item's `unit_cost`.
    public var unitPrice: Double? {
        get { storedUnitPrice.isNaN ? nil : storedUnitPrice }
        set { storedUnitPrice = newValue ?? .nan }
    }
    public var contracted: Bool {
        get { flags & Self.contractedFlag != 0 }
        set { flags = newValue ? flags | Self.contractedFlag : flags & ~Self.contractedFlag }
    }
    public var preferred: Bool {
        get { flags & Self.preferredFlag != 0 }
        set { flags = newValue ? flags | Self.preferredFlag : flags & ~Self.preferredFlag }
    }

    /// Equal when every field reads the same (an absent lead time or price equals another).
    public static func == (a: SupplierOffer, b: SupplierOffer) -> Bool {
        a.supplier == b.supplier && a.item == b.item && a.leadTimeDays == b.leadTimeDays && a.moq == b.moq
            && a.lotMultiple == b.lotMultiple && a.unitPrice == b.unitPrice && a.onTimePct == b.onTimePct
            && a.line == b.line && a.flags == b.flags
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(supplier)
        hasher.combine(item)
        hasher.combine(line)
    }
}

/// A work center (contract §1 `workcenters.csv`).
public struct WorkCenter: Sendable, Hashable {
    public var name: String
    public var hoursPerDay: Double
    public var daysPerWeek: Double
    public var overtimeHoursPerWeek: Double
    public var overtimeCostPerHour: Double
    public var line: Int
    /// What an hour of regular time costs (optional `cost_per_hour`, default 0): the
    /// labour of the cost roll-up.
    public var costPerHour: Double = 0

    package init(name: String, hoursPerDay: Double, daysPerWeek: Double, overtimeHoursPerWeek: Double, overtimeCostPerHour: Double, line: Int, costPerHour: Double = 0) {
        self.name = name
        self.hoursPerDay = hoursPerDay
        self.daysPerWeek = daysPerWeek
        self.overtimeHoursPerWeek = overtimeHoursPerWeek
        self.overtimeCostPerHour = overtimeCostPerHour
        self.line = line
        self.costPerHour = costPerHour
    }

    /// Regular hours a week: `C[w] = hours_per_day × days_per_week` (§2b).
    public var weeklyCapacity: Double { hoursPerDay * daysPerWeek }
}

/// A routing row: run hours of one unit of an item at a work center (contract §1 `routings.csv`).
public struct RoutingStep: Sendable, Hashable {
    public var item: Int
    public var workcenter: Int
    public var runHours: Double
    public var setupHours: Double
    public var line: Int

    package init(item: Int, workcenter: Int, runHours: Double, setupHours: Double, line: Int) {
        self.item = item
        self.workcenter = workcenter
        self.runHours = runHours
        self.setupHours = setupHours
        self.line = line
    }
}

/// A manual gate criterion (contract §1 `gates.csv`).
public struct GateCriterionRow: Sendable, Hashable {
    public var gate: String
    public var criterion: String
    public var done: Bool
    public var owner: String
    public var evidence: String
    public var dueDate: Day?
    public var line: Int

    package init(gate: String, criterion: String, done: Bool, owner: String, evidence: String, dueDate: Day?, line: Int) {
        self.gate = gate
        self.criterion = criterion
        self.done = done
        self.owner = owner
        self.evidence = evidence
        self.dueDate = dueDate
        self.line = line
    }
}

/// A decision-log entry (contract §1 `decisions.csv`).
public struct DecisionRow: Sendable, Hashable {
    public var date: Day
    public var decision: String
    public var owner: String
    public var gate: String
    public var rationale: String
    public var impact: String
    /// `open` or `decided`.
    public var status: String
    /// Risk ids this decision answers (the optional `risks` column, `;`-separated).
    public var risks: [String] = []
    public var line: Int

    package init(date: Day, decision: String, owner: String, gate: String, rationale: String, impact: String, status: String, risks: [String] = [], line: Int) {
        self.date = date
        self.decision = decision
        self.owner = owner
        self.gate = gate
        self.rationale = rationale
        self.impact = impact
        self.status = status
        self.risks = risks
        self.line = line
    }
}
