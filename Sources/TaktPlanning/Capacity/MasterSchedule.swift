import TaktModel
import TaktInput

/// The master production schedule (contract §2a): the capacity LP's completions `x[p,t]`
/// per product and phase week, with the flows they balance, as `mps.csv` reports them.
///
/// Behaviour:
/// - one row per product and week of every phase inside the horizon (phases whose LP
///   failed show 0 completions);
/// - `planned` is `x` rounded to 6 decimals, exactly as written in `mps.csv`; MRP plans
///   the products from these values under `mps: capacity`.
public struct MasterSchedule: Sendable {
    public struct Row: Sendable, Hashable {
        /// Index into `plan.products`.
        public var product: Int
        /// Weekly bucket.
        public var week: Int
        /// Index into `plan.phases`.
        public var phase: Int
        public var target: Double
        public var demand: Double
        public var receipts: Double
        /// `x[p,t]`, rounded to 6 decimals.
        public var planned: Double
        public var inventory: Double
        public var backlog: Double
    }

    /// Products in plan order, each week in order.
    public var rows: [Row]
    /// `planned[p][week]`: the rounded completions, 0 outside the phases.
    public var planned: [[Double]]
    /// The first week after the last phase (cut at the horizon).
    public var endWeek: Int
    public var flows: ProductFlows
    /// The weekly calendar of the LPs, `mps.csv` and `capacity.csv` (also for `bucket: day`).
    public var weekly: BucketCalendar

    public init(model: PlanningModel, capacity: [PhaseCapacity], flows: ProductFlows, weekly: BucketCalendar) {
        self.flows = flows
        self.weekly = weekly
        let weeks = weekly.count
        let products = model.plan.products.count
        planned = [[Double]](repeating: [Double](repeating: 0, count: weeks), count: products)
        rows = []
        endWeek = min(weeks, model.plan.phases.reduce(0) { $0 + $1.weeks })
        for p in 0..<products {
            for phase in capacity {
                for (i, week) in phase.weeks.enumerated() {
                    let x = Self.rounded(phase.completions[p][i])
                    planned[p][week] = x
                    rows.append(Row(product: p, week: week, phase: phase.phase, target: flows.target[p][week],
                                    demand: flows.demand[p][week], receipts: flows.receipts[p][week], planned: x,
                                    inventory: phase.inventory[p][i], backlog: phase.backlog[p][i]))
                }
            }
        }
    }

    /// `x` rounded to 6 decimals, as `NumberFormat` writes it.
    static func rounded(_ x: Double) -> Double {
        let value = (abs(x) * 1e6).rounded() / 1e6
        return x < 0 ? -value : value
    }
}
