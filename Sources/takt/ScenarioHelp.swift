/// The scenario keys, for the help of every command that takes a scenario file.
enum ScenarioHelp {
    static let keys = """
    A scenario is a YAML file; every key is optional: \
    name (defaults to the file name); \
    plan: {phases, products, costs} (replaces those keys of plan.yaml); \
    lead_time_days: {ITEM: days}; \
    supplier_lead_time_days: {"SUPPLIER/ITEM": days}; \
    on_hand: {ITEM: quantity}; \
    demand_scale: factor (every demand row); \
    rate_scale: {PRODUCT: factor}; \
    workcenter_hours_per_day: {WORKCENTER: hours}; \
    reschedule_in_weeks: weeks (the rescheduling check's window; 0 = off); \
    receipts: {REFERENCE: {slip_weeks: N} or {due_date: YYYY-MM-DD}} (open receipts by reference); \
    supplier_slip_weeks: {SUPPLIER: N} (every open receipt of a supplier, N weeks later).
    """
}
