/// Work-center hours of one good unit of an item and all its make and phantom
/// descendants (contract §2b `h[p,w]`).
///
/// Behaviour:
/// - an item's own hours are its items.csv `workcenter`/`run_hours` plus its routing
///   rows; setup hours stay out;
/// - one good unit of a `make` item starts `100 / yield_pct` units, each taking the item's
///   own hours and `qty_per × (1 + scrap/100)` of each component; phantoms pass through
///   with no yield; `buy` components add nothing; lead times are ignored;
/// - only BOM lines effective on `day` count.
///
/// - Complexity: O(lines × work centers touched), one pass deepest level first.
public enum RunHours {
    /// Sparse hours per work center.
    public typealias Load = [(workcenter: Int, hours: Double)]

    public static func compute(model: PlanningModel, on day: Day) -> [Load] {
        let items = model.items
        let bom = model.bom
        var own = [[Int: Double]](repeating: [:], count: items.count)
        for item in 0..<items.count where items.workcenter[item] >= 0 && items.runHours[item] > 0 {
            own[item][items.workcenter[item], default: 0] += items.runHours[item]
        }
        for step in model.routings where step.runHours > 0 {
            own[step.item][step.workcenter, default: 0] += step.runHours
        }
        var result = [Load](repeating: [], count: items.count)
        for item in model.planningOrder.reversed() {
            var total = own[item]
            if items.type[item] != .buy {
                for k in bom.parentRange(item) {
                    let line = bom.byParent[k]
                    let component = bom.component[line]
                    guard items.type[component] != .buy, bom.isEffective(line, on: day.number) else { continue }
                    let per = bom.extendedQty(line)
                    for (w, h) in result[component] { total[w, default: 0] += per * h }
                }
            }
            let starts = items.type[item] == .make ? 100 / items.yieldPct[item] : 1
            result[item] = total.keys.sorted().map { ($0, total[$0]! * starts) }
        }
        return result
    }
}
