import TaktModel
import TaktInput

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
/// - Complexity: O(Σ over lines of the component's work centers) for the first day, one
///   pass deepest level first on flat arrays (a dense scratch row per work center, no
///   dictionaries); each later day recomputes only the items whose subtree has a line
///   that starts or stops being effective between the two days, and shares the rest.
public enum RunHours {
    /// Sparse hours per work center, by work center.
    public typealias Load = [(workcenter: Int, hours: Double)]

    /// The loads of `wanted` (item ids), in that order.
    public static func compute(model: PlanningModel, on day: Day, for wanted: [Int]) -> [Load] {
        compute(model: model, on: [day], for: wanted)[0]
    }

    /// The loads of `wanted` on each of `days`: `result[d][k]` is item `wanted[k]` on
    /// `days[d]`. One function over 80 lines: one walk down the BOM per item, its stack
    /// and the per-day accumulators shared by every step of it.
    public static func compute(model: PlanningModel, on days: [Day], for wanted: [Int]) -> [[Load]] {
        let items = model.items
        let bom = model.bom
        let centers = model.workcenters.count
        // Own hours, as (item, work center, hours) triples sorted by item.
        var ownRows: [(item: Int, workcenter: Int, hours: Double)] = []
        for item in 0..<items.count where items.workcenter[item] >= 0 && items.runHours[item] > 0 {
            ownRows.append((item, items.workcenter[item], items.runHours[item]))
        }
        for step in model.routings where step.runHours > 0 { ownRows.append((step.item, step.workcenter, step.runHours)) }
        ownRows.sort { $0.item < $1.item }
        var ownStart = [Int](repeating: 0, count: items.count + 1)
        for row in ownRows { ownStart[row.item + 1] += 1 }
        for k in 0..<items.count { ownStart[k + 1] += ownStart[k] }

        // Every item's load on the current day, flat: entries begin[item]..<end[item] of
        // `workcenter`/`hours` (an unchanged item keeps the previous day's entries).
        var begin = [Int](repeating: 0, count: items.count)
        var end = [Int](repeating: 0, count: items.count)
        var changed = [Bool](repeating: true, count: items.count)
        var workcenter = ContiguousArray<Int32>()
        var hours = ContiguousArray<Double>()
        var scratch = [Double](repeating: 0, count: centers)
        var isTouched = [Bool](repeating: false, count: centers)
        var touched: [Int] = []
        var result: [[Load]] = []
        for (d, day) in days.enumerated() {
            let today = day.number
            for item in model.planningOrder.reversed() {
                if d > 0 {
                    // Unchanged: no line of the item toggles and no component changed.
                    let before = days[d - 1].number
                    var differs = false
                    if items.type[item] != .buy {
                        for k in bom.parentRange(item) {
                            let line = bom.byParent[k]
                            let component = bom.component[line]
                            guard items.type[component] != .buy else { continue }
                            if bom.isEffective(line, on: today) != bom.isEffective(line, on: before)
                                || (changed[component] && bom.isEffective(line, on: today)) {
                                differs = true
                                break
                            }
                        }
                    }
                    changed[item] = differs
                    guard differs else { continue }
                }
                func add(_ w: Int, _ h: Double) {
                    if !isTouched[w] {
                        isTouched[w] = true
                        touched.append(w)
                    }
                    scratch[w] += h
                }
                for k in ownStart[item]..<ownStart[item + 1] { add(ownRows[k].workcenter, ownRows[k].hours) }
                if items.type[item] != .buy {
                    bom.forEachLine(of: item, effectiveOn: today) { line in
                        let component = bom.component[line]
                        guard items.type[component] != .buy else { return }
                        let per = bom.extendedQty(line)
                        for e in begin[component]..<end[component] { add(Int(workcenter[e]), per * hours[e]) }
                    }
                }
                let starts = items.componentStartsPerGood(item)
                touched.sort()
                begin[item] = workcenter.count
                for w in touched {
                    workcenter.append(Int32(w))
                    hours.append(scratch[w] * starts)
                    scratch[w] = 0
                    isTouched[w] = false
                }
                end[item] = workcenter.count
                touched.removeAll(keepingCapacity: true)
            }
            result.append(wanted.map { item in
                (begin[item]..<end[item]).map { (Int(workcenter[$0]), hours[$0]) }
            })
        }
        return result
    }
}
