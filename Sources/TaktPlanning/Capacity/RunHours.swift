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

    /// One level's items computed by one core: their entries, flat, and each item's place
    /// in them (`nil` when it is unchanged since the day before).
    private struct Piece {
        var workcenter = ContiguousArray<Int32>()
        var hours = ContiguousArray<Double>()
        var spans: [(item: Int, span: Range<Int>?)] = []
    }

    /// The loads of `wanted` on each of `days`: `result[d][k]` is item `wanted[k]` on
    /// `days[d]`. Level by level, deepest first: a level's items depend only on deeper
    /// ones, so they are cut into pieces computed on all cores (`workers`), each item by
    /// one core in line order (the same sums on any number of cores), and the pieces'
    /// entries appended in order after the level.
    public static func compute(model: PlanningModel, on days: [Day], for wanted: [Int],
                               workers: any Workers = SerialWorkers()) -> [[Load]] {
        let items = model.items
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
        let (own, ownFrom) = (ownRows, ownStart)

        // The levels as ranges of the planning order, deepest first.
        let levels = model.levelRanges().reversed()

        // Every item's load on the current day, flat: entries begin[item]..<end[item] of
        // `workcenter`/`hours` (an unchanged item keeps the previous day's entries).
        var begin = ContiguousArray<Int>(repeating: 0, count: items.count)
        var end = ContiguousArray<Int>(repeating: 0, count: items.count)
        var changed = ContiguousArray<Bool>(repeating: true, count: items.count)
        var workcenter = ContiguousArray<Int32>()
        var hours = ContiguousArray<Double>()
        var result: [[Load]] = []
        for (d, day) in days.enumerated() {
            let today = day.number
            let before: Int? = d > 0 ? days[d - 1].number : nil
            for level in levels {
                let made = pieces(of: level, model: model, own: own, ownFrom: ownFrom,
                                  loads: Loads(workcenter: workcenter, hours: hours, begin: begin, end: end, changed: changed),
                                  today: today, before: before, workers: workers)
                for piece in made {
                    let offset = workcenter.count
                    workcenter.append(contentsOf: piece.workcenter)
                    hours.append(contentsOf: piece.hours)
                    for (item, span) in piece.spans {
                        changed[item] = span != nil
                        if let span {
                            begin[item] = offset + span.lowerBound
                            end[item] = offset + span.upperBound
                        }
                    }
                }
            }
            result.append(wanted.map { item in
                (begin[item]..<end[item]).map { (Int(workcenter[$0]), hours[$0]) }
            })
        }
        return result
    }

    /// Every item's load so far (`compute`'s flat arrays), read by a level's pieces.
    private struct Loads: Sendable {
        let workcenter: ContiguousArray<Int32>
        let hours: ContiguousArray<Double>
        let begin: ContiguousArray<Int>
        let end: ContiguousArray<Int>
        let changed: ContiguousArray<Bool>
    }

    /// The items of `level` (a range of the planning order) cut into pieces of at least
    /// 2,048 items, computed on all cores. `before`: the previous day, when there is one
    /// (an item none of whose lines toggles and none of whose components changed is
    /// left as it was).
    private static func pieces(of level: Range<Int>, model: PlanningModel, own: [(item: Int, workcenter: Int, hours: Double)],
                               ownFrom: [Int], loads: Loads, today: Int, before: Int?, workers: any Workers) -> [Piece] {
        let (items, bom, order, centers) = (model.items, model.bom, model.planningOrder, model.workcenters.count)
        let count = max(1, min(16, level.count / 2048))
        return workers.map(count) { p -> Piece in
            var piece = Piece()
            var scratch = [Double](repeating: 0, count: centers)
            var isTouched = [Bool](repeating: false, count: centers)
            var touched: [Int] = []
            let lower = level.lowerBound + p * level.count / count
            let upper = level.lowerBound + (p + 1) * level.count / count
            for item in order[lower..<upper] {
                if let before {
                    // Unchanged: no line of the item toggles and no made component changed.
                    let differs = items.type[item] != .buy
                        && bom.rollUpDiffers(item, on: today, from: before, counts: { items.type[$0] != .buy },
                                             changed: { loads.changed[$0] })
                    guard differs else {
                        piece.spans.append((item, nil))
                        continue
                    }
                }
                func add(_ w: Int, _ h: Double) {
                    if !isTouched[w] {
                        isTouched[w] = true
                        touched.append(w)
                    }
                    scratch[w] += h
                }
                for k in ownFrom[item]..<ownFrom[item + 1] { add(own[k].workcenter, own[k].hours) }
                if items.type[item] != .buy {
                    bom.forEachLine(of: item, effectiveOn: today) { line in
                        let component = bom.component[line]
                        guard items.type[component] != .buy else { return }
                        let per = bom.extendedQty(line)
                        for e in loads.begin[component]..<loads.end[component] {
                            add(Int(loads.workcenter[e]), per * loads.hours[e])
                        }
                    }
                }
                let starts = items.componentStartsPerGood(item)
                touched.sort()
                let first = piece.workcenter.count
                for w in touched {
                    piece.workcenter.append(Int32(w))
                    piece.hours.append(scratch[w] * starts)
                    scratch[w] = 0
                    isTouched[w] = false
                }
                piece.spans.append((item, first..<piece.workcenter.count))
                touched.removeAll(keepingCapacity: true)
            }
            return piece
        }
    }
}
