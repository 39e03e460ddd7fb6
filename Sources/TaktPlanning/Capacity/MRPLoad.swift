import TaktModel
import TaktInput

/// The load check of the MRP's make orders against each phase week's capacity (contract
/// §4 `capacity.csv` `mrp_load_hours`, `exceptions.csv` `overload`).
///
/// Behaviour:
/// - each make planned order loads, in the week it is released, each of its work centers
///   (items.csv `workcenter` and `routings.csv` rows) with its setup hours once plus run
///   hours × order quantity;
/// - a phase week whose `mrp_load_hours` exceeds `capacity_hours + overtime_hours` by more
///   than 5 % is an `overload` exception: item = the work center, date = the week,
///   quantity = the hours above capacity and overtime.
///
/// This is where service demand, safety-stock builds and lot sizes load a work center
/// beyond what the master schedule planned.
public enum MRPLoad {
    /// Load per work center and plan week, `workcenter × weeks + week`.
    public static func hours(model: PlanningModel, mrp: MRPResult, weeks: Int) -> ContiguousArray<Double> {
        let items = model.items
        let centers = model.workcenters.count
        var load = ContiguousArray<Double>(repeating: 0, count: centers * weeks)
        // Each item's routing rows, CSR by item.
        var start = [Int](repeating: 0, count: items.count + 1)
        for step in model.routings { start[step.item + 1] += 1 }
        for i in 0..<items.count { start[i + 1] += start[i] }
        var fill = start
        var steps = [Int](repeating: 0, count: model.routings.count)
        for (k, step) in model.routings.enumerated() {
            steps[fill[step.item]] = k
            fill[step.item] += 1
        }
        let perWeek = mrp.calendar.bucketsPerWeek
        // The make items' orders only, item by item in planning order: the orders' own
        // order (the MRP plans item by item in that order), so every sum adds up as over
        // all the orders, without reading the bought items' (most of them).
        for item in model.planningOrder where items.type[item] == .make {
            let own = items.workcenter[item]
            let loadsOwn = own >= 0 && (items.runHours[item] > 0 || items.setupHours[item] > 0)
            for order in mrp.orders[mrp.orderRange(of: item)] where order.kind == .make {
                let week = order.releaseBucket / perWeek
                guard week < weeks else { continue }
                if loadsOwn {
                    load[own * weeks + week] += items.setupHours[item] + items.runHours[item] * order.quantity
                }
                for s in start[item]..<start[item + 1] {
                    let step = model.routings[steps[s]]
                    load[step.workcenter * weeks + week] += step.setupHours + step.runHours * order.quantity
                }
            }
        }
        return load
    }

    /// The hours of a week's MRP load (`mrpLoadHours`) that not even the overtime its work
    /// center allows absorbs — beyond capacity plus the larger of the allowed and the
    /// planned overtime; 0 when it fits. The one rule behind the overload message's remedy,
    /// the report's capacity line and, with `isOverload`, the heat map's dark red.
    public static func beyondAllowedOvertime(_ row: CapacityRow, model: PlanningModel) -> Double {
        let overtime = max(row.overtimeHours, model.workcenters[row.workcenter].overtimeHoursPerWeek)
        return max(0, row.mrpLoadHours - row.capacityHours - overtime)
    }

    /// Whether a week's MRP load is an `overload` (§4 `exceptions.csv`): more than 5 % above
    /// the week's capacity and planned overtime.
    public static func isOverload(_ row: CapacityRow) -> Bool {
        row.mrpLoadHours > (row.capacityHours + row.overtimeHours) * 1.05 + 1e-9
    }

    /// Fills `mrpLoadHours` of every capacity row and returns the `overload` exceptions, in
    /// week order, then work-center order.
    public static func check(model: PlanningModel, mrp: MRPResult, weekly: BucketCalendar,
                             capacity: inout [PhaseCapacity]) -> [MRPException] {
        let weeks = weekly.count
        let load = hours(model: model, mrp: mrp, weeks: weeks)
        let weekStart = weekly.bucketStart
        var overloads: [MRPException] = []
        for p in capacity.indices {
            for r in capacity[p].capacity.indices {
                let hours = CapacityPlanner.clean(load[capacity[p].capacity[r].workcenter * weeks + capacity[p].capacity[r].week])
                capacity[p].capacity[r].mrpLoadHours = hours
                let row = capacity[p].capacity[r]
                let available = row.capacityHours + row.overtimeHours
                if isOverload(row) {
                    let excess = hours - available
                    let name = model.workcenters[row.workcenter].name
                    // What would absorb it: the overtime the work center allows, or not.
                    let allowed = max(0, model.workcenters[row.workcenter].overtimeHoursPerWeek)
                    let beyond = beyondAllowedOvertime(row, model: model)
                    let h = { (value: Double) in NumberFormat.fixed(value, decimals: 1) }
                    let remedy = beyond <= 1e-9
                        ? "; within the \(h(allowed)) h of overtime allowed: plan \(h(excess)) h more overtime"
                        : "; \(h(beyond)) h beyond the \(h(allowed)) h of overtime allowed: move or split orders"
                    overloads.append(MRPException(
                        item: -1, kind: .overload, date: weekStart[row.week], quantity: excess,
                        message: "\(name): MRP orders released this week need \(h(hours)) h against \(h(available)) h of capacity and planned overtime (\(h(excess)) h over)" + remedy,
                        workcenter: row.workcenter))
                }
            }
        }
        return overloads
    }
}
