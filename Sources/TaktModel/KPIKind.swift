/// The figures of `kpis.csv` (contract §2b), named as its `kpi` column writes them. The
/// four with a target in plan.yaml's `kpis:` are also gate criteria (`criterion`); the
/// others are shown beside them.
public enum KPIKind: String, CaseIterable, Sendable, Hashable, Comparable {
    case costPerUnit = "cost_per_unit"
    case materialCost = "material_cost"
    case labourCost = "labour_cost"
    case overtimeCost = "overtime_cost"
    case overheadCost = "overhead_cost"
    case onTimeDeliveryPct = "on_time_delivery_pct"
    case firstPassYieldPct = "first_pass_yield_pct"
    case supplierOnTimePct = "supplier_on_time_pct"
    case inventoryValuePeak = "inventory_value_peak"

    /// The KPIs plan.yaml's `kpis:` may give a target, in the order their criteria stand
    /// at a gate.
    public static let targeted: [KPIKind] = [.costPerUnit, .onTimeDeliveryPct, .supplierOnTimePct, .firstPassYieldPct]

    /// The gate criterion a target on this KPI makes; nil for a figure without a target.
    public var criterion: BuiltInCriterion? {
        switch self {
        case .costPerUnit: .cost
        case .onTimeDeliveryPct: .delivery
        case .supplierOnTimePct: .supplierDelivery
        case .firstPassYieldPct: .yield
        default: nil
        }
    }

    public static func < (a: KPIKind, b: KPIKind) -> Bool { a.rawValue < b.rawValue }
}
