/// The criteria Takt evaluates itself at every gate (contract §2c; the KPI criteria when
/// `kpis:` sets a target). A manual criterion of `gates.csv` may not take one of these
/// names: its row would be mistaken for Takt's own.
public enum BuiltInCriterion: String, CaseIterable, Sendable {
    case material, capacity, supplier
    case cost, delivery
    case supplierDelivery = "supplier_delivery"
    case yield
}
