import TaktModel
import TaktInput

/// The weekly flows of each ramp product that the capacity LP balances (contract §2b) and
/// `mps.csv` reports (§4): the ramp target, the demand rows and the open receipts.
///
/// Behaviour:
/// - weekly always, also for `bucket: day`, where each week sums its five working-day
///   buckets (a weekend date counts in the next Monday's week);
/// - dates before `start` fall in week 0; dates past the horizon are left out (the MRP
///   warns about them);
/// - products in plan order; `d[p,t] = target + demand`.
public struct ProductFlows: Sendable {
    /// The ramp requirement `full_rate_per_week × capacity_pct / 100` per product and week.
    public var target: [[Double]]
    /// The demand rows of each product, per week.
    public var demand: [[Double]]
    /// The open receipts of each product, per week (`r[p,t]`).
    public var receipts: [[Double]]

    public init(model: PlanningModel, weeks: Int) {
        let planCalendar = BucketCalendar(plan: model.plan)
        let perWeek = planCalendar.bucketsPerWeek
        let pct = planCalendar.capacityPct(model.plan.phases)
        let products = model.plan.products
        var index: [Int: Int] = [:]
        for (k, product) in products.enumerated() where index[product.item] == nil { index[product.item] = k }
        let zero = [[Double]](repeating: [Double](repeating: 0, count: weeks), count: products.count)
        target = zero
        demand = zero
        receipts = zero
        for (k, product) in products.enumerated() {
            for (t, value) in pct.enumerated() where value > 0 {
                target[k][t / perWeek] += product.fullRatePerWeek * value / 100 / Double(perWeek)
            }
        }
        for row in model.demand {
            guard let k = index[row.item], let t = planCalendar.bucket(of: row.date) else { continue }
            demand[k][t / perWeek] += row.quantity
        }
        for receipt in model.receipts {
            guard let k = index[receipt.item], let t = planCalendar.bucket(of: receipt.dueDate) else { continue }
            receipts[k][t / perWeek] += receipt.quantity
        }
    }

    /// `d[p,t]`: the ramp target plus the demand rows.
    public var requirement: [[Double]] {
        zip(target, demand).map { zip($0, $1).map(+) }
    }

    /// `d[p,t] - r[p,t]`: what each week needs of new completions, the right-hand side of
    /// the balance rows.
    public var netOfReceipts: [[Double]] {
        zip(requirement, receipts).map { zip($0, $1).map(-) }
    }
}
