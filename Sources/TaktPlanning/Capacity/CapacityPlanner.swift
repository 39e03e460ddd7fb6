import TaktModel
import TaktInput

/// One row of `capacity.csv` (contract §4).
public struct CapacityRow: Sendable, Hashable {
    public var phase: Int
    public var week: Int
    public var workcenter: Int
    public var capacityHours: Double
    public var loadHours: Double
    public var overtimeHours: Double
    /// `100 × load / capacity`; 0 when the capacity is 0.
    public var utilizationPct: Double
    /// How much the phase objective falls per extra regular hour (≥ 0, minus the row dual).
    public var shadowPrice: Double
    /// What the MRP's make orders released this week load the center with (`MRPLoad`).
    public var mrpLoadHours: Double = 0
}

/// The capacity LP of one phase, solved (contract §2b).
public struct PhaseCapacity: Sendable {
    public var phase: Int
    public var name: String
    /// Weekly buckets of the phase, cut at the horizon.
    public var weeks: Range<Int>
    public var status: LPStatus
    /// The second step's objective (the phase's reported objective).
    public var objective: Double
    /// `B* = min Σ_p B[p,last]`, the first step's optimum.
    public var minimumFinalBacklog: Double
    public var lpRows: Int
    public var lpColumns: Int
    /// Capacity rows the lazy-row solve needed (the others are slack, dual 0).
    public var capacityRowsSolved: Int
    /// Products the step-2 LP held (the others stayed just-in-time; `ProductSifting`).
    public var productsSolved: Int
    public var solveMilliseconds: Double
    /// Per product (plan order): completions, inventory and backlog per week of the phase.
    public var completions: [[Double]]
    /// Per product (plan order): `I[p,t]` and `B[p,t]` per week of the phase.
    public var inventory: [[Double]]
    public var backlog: [[Double]]
    public var finalInventory: [Double]
    public var finalBacklog: [Double]
    /// Per work center and week of the phase.
    public var capacity: [CapacityRow]
    /// The whole second-step LP as solved (contract §4 `lp/PHASE.lp`), kept only when the
    /// planner was asked to (`--write-lp`).
    public var lp: WrittenLP?

    /// The phase cannot reach its ramp target even with all overtime (§2b).
    public var hasShortfall: Bool { status == .optimal && minimumFinalBacklog > 1e-6 }
}

/// Builds and solves one LP per phase with GLPK, carrying inventory and backlog from
/// phase to phase (contract §2b).
///
/// Behaviour:
/// - weekly buckets always (also for `bucket: day`); `d[p,t]` = the product's weekly ramp
///   plus its demand rows;
/// - step 1 minimises the final backlog `B*`; step 2 caps it at `B*(1 + 1e-9) + 1e-9` and
///   minimises holding + backlog + overtime cost; duals come from step 2;
/// - a phase past the horizon has no LP; a failed solve carries nothing forward.
public struct CapacityPlanner {
    public let model: PlanningModel
    public let calendar: BucketCalendar
    /// How the LPs are solved; both give the §2b optimum.
    public var strategy: Strategy
    /// The cores the run hours are computed on (`RunHours.compute`); the LPs stay on one.
    public var workers: any Workers = SerialWorkers()

    /// `lazyRows` is the fast path `takt plan` uses; `wholeLP` solves §2b word for word
    /// (both steps on the whole LP, primal simplex) and serves as the reference
    /// the tests hold the fast path to.
    public enum Strategy: Sendable { case lazyRows, wholeLP }

    public init(model: PlanningModel, strategy: Strategy = .lazyRows) {
        self.model = model
        self.strategy = strategy
        calendar = BucketCalendar.weeks(of: model.plan)
    }

    /// Weekly ramp, demand and open receipts per product (plan order) over the whole
    /// horizon (§2b `d` and `r`).
    public func weeklyFlows() -> ProductFlows {
        ProductFlows(model: model, weeks: calendar.count)
    }

    public func run(keepLP: Bool = false) -> [PhaseCapacity] {
        run(flows: weeklyFlows(), keepLP: keepLP)
    }

    /// Solves the phases in order on `flows` (`weeklyFlows()`); with `keepLP`, each phase
    /// keeps its whole second-step LP (`PhaseCapacity.lp`).
    public func run(flows: ProductFlows, keepLP: Bool = false) -> [PhaseCapacity] {
        let ranges = calendar.phaseRanges(model.plan.phases)
        var inventory = model.plan.products.map { model.items.onHand[$0.item] }
        var backlog = [Double](repeating: 0, count: model.plan.products.count)
        var results: [PhaseCapacity] = []
        // Run hours on each phase's first day, all phases in one call (later phases redo
        // only what BOM effectivity changes).
        let planned = model.plan.phases.indices.filter { !ranges[$0].isEmpty }
        let hoursByPhase = RunHours.compute(model: model, on: planned.map { calendar.bucketStart[ranges[$0].lowerBound] },
                                            for: model.plan.products.map(\.item), workers: workers)
        Trace.mark("run hours done")
        for (k, _) in model.plan.phases.enumerated() where !ranges[k].isEmpty {
            let hours = hoursByPhase[planned.firstIndex(of: k)!]
            let result = solvePhase(k, weeks: ranges[k], flows: flows, hours: hours,
                                    startInventory: inventory, startBacklog: backlog, keepLP: keepLP)
            if result.status == .optimal {
                inventory = result.finalInventory
                backlog = result.finalBacklog
            }
            results.append(result)
        }
        return results
    }

    /// `hours[p]`: the run hours of product `p` (`RunHours`).
    func solvePhase(_ phaseIndex: Int, weeks: Range<Int>, flows: ProductFlows, hours: [RunHours.Load],
                    startInventory: [Double], startBacklog: [Double], keepLP: Bool) -> PhaseCapacity {
        // What each week needs of new completions: `d[p,t] - r[p,t]`.
        let demand = flows.netOfReceipts
        let products = model.plan.products
        let centers = model.workcenters
        let n = weeks.count
        let productNames = Self.uniqueIdentifiers(products.map { model.items.names[$0.item] })
        let centerNames = Self.uniqueIdentifiers(centers.map(\.name))
        // Columns of the whole LP: x, I, B per product and week (3n per product), then O
        // per work center and week; rows: one balance row per product and week.
        let whole = PhaseLayout(weeks: n, members: Array(products.indices), productCount: products.count,
                                centerCount: centers.count)
        let x = products.indices.map { p in (0..<n).map { whole.x(p, $0) } }
        let inv = products.indices.map { p in (0..<n).map { whole.inv(p, $0) } }
        let back = products.indices.map { p in (0..<n).map { whole.back(p, $0) } }
        let over = centers.indices.map { w in (0..<n).map { whole.over(w, $0) } }
        let columnCount = whole.columnCount
        let balanceRowCount = n * products.count
        /// The LP of `layout`'s products with names and balance rows, built only when GLPK
        /// solves or writes it.
        func makeLP(_ layout: PhaseLayout) -> LinearProgram {
            var lp = LinearProgram(name: Self.identifier(model.plan.phases[phaseIndex].name))
            for p in layout.members {
                let name = productNames[p]
                for t in 0..<n { lp.addColumn("x_\(name)_\(t + 1)", .lower(0)) }
                for t in 0..<n { lp.addColumn("I_\(name)_\(t + 1)", .lower(0)) }
                for t in 0..<n { lp.addColumn("B_\(name)_\(t + 1)", .lower(0)) }
            }
            for (w, name) in centerNames.enumerated() {
                let limit = centers[w].overtimeHoursPerWeek
                for t in 0..<n { lp.addColumn("O_\(name)_\(t + 1)", limit > 0 ? .range(0, limit) : .fixed(0)) }
            }
            // Balance rows: I[t-1] - B[t-1] + x[t] + r[t] - d[t] = I[t] - B[t], with d - r as
            // the right-hand side; row slot × n + t.
            for (s, p) in layout.members.enumerated() {
                for t in 0..<n {
                    let d = demand[p][weeks.lowerBound + t]
                    let rhs = t == 0 ? d - startInventory[p] + startBacklog[p] : d
                    let row = lp.addRow("bal_\(productNames[p])_\(t + 1)", .fixed(rhs))
                    lp.set(row: row, column: layout.x(s, t), 1)
                    lp.set(row: row, column: layout.inv(s, t), -1)
                    lp.set(row: row, column: layout.back(s, t), 1)
                    if t > 0 {
                        lp.set(row: row, column: layout.inv(s, t - 1), 1)
                        lp.set(row: row, column: layout.back(s, t - 1), -1)
                    }
                }
            }
            return lp
        }
        // Capacity rows: Σ_p h[p,w] x[p,t] - O[w,t] <= C[w], row k = w × n + t.
        var perCenter = [[(product: Int, hours: Double)]](repeating: [], count: centers.count)
        for p in products.indices {
            for (w, h) in hours[p] where h > 0 { perCenter[w].append((p, h)) }
        }
        let capacityRows = CapacityRows(centers: centers, names: centerNames, weeks: n, perCenter: perCenter, whole: whole)
        func finalBacklogTerms(_ layout: PhaseLayout) -> [(column: Int, value: Double)] {
            layout.members.indices.map { (column: layout.back($0, n - 1), value: 1.0) }
        }
        let c = model.plan.costs
        func costs(_ layout: PhaseLayout) -> [(column: Int, value: Double)] {
            var costs: [(column: Int, value: Double)] = []
            for (s, p) in layout.members.enumerated() {
                let backlogCost = model.plan.backlogCost(ofProduct: p)
                for t in 0..<n {
                    costs.append((layout.inv(s, t), c.holdingPerUnitWeek))
                    costs.append((layout.back(s, t), backlogCost))
                }
            }
            for (w, center) in centers.enumerated() where center.overtimeCostPerHour != 0 {
                for t in 0..<n { costs.append((layout.over(w, t), center.overtimeCostPerHour)) }
            }
            return costs
        }

        let clock = ContinuousClock.now
        if strategy == .wholeLP {
            return solveWholeLP(phaseIndex, weeks: weeks, lp: makeLP(whole), capacityRows: capacityRows, columnsOf: (x, inv, back, over),
                                finalBacklogTerms: finalBacklogTerms(whole), costs: costs(whole), keepLP: keepLP, clock: clock)
        }
        // Step 1: B* from the phase's aggregate LP (`minimumFinalBacklog`).
        let first = minimumFinalBacklog(weeks: weeks, demand: demand, perCenter: perCenter,
                                        startInventory: startInventory, startBacklog: startBacklog)
        let tightCenters = first.tightCenters
        Trace.mark("phase \(phaseIndex): step 1 done, \(tightCenters.count) tight centers")
        var status = first.status
        var bestBacklog = 0.0
        var objective = 0.0
        var backlogCap: Double?
        let jit = justInTime(weeks: weeks, demand: demand, startInventory: startInventory, startBacklog: startBacklog,
                             columnsOf: (x, inv, back), columnCount: columnCount)
        // Products whose just-in-time schedule is not optimal even with every capacity row
        // slack: they start step 2's LP.
        var offJustInTime: [Int] = []
        // No center is tight in step 1: when just-in-time production overloads no week
        // either, every capacity row is slack with a dual of 0, and just-in-time is the
        // optimum if each product's schedule is optimal at those duals
        // (`justInTimeIsOptimal`) — no simplex needed. It need not be: an open receipt due
        // after a need can clear a backlog more cheaply than making now and holding the
        // receipt (backlog × the weeks until it arrives against holding × the weeks it
        // would sit); such products go to the LP.
        if status == .optimal && tightCenters.isEmpty {
            let loads = capacityRows.loads { jit[x[$0][$1]] }
            let fits = !loads.indices.contains { loads[$0] > capacityRows.limit($0) + 1e-9 * max(1, capacityRows.limit($0)) }
            if fits {
                offJustInTime = products.indices.filter { p in
                    !justInTimeIsOptimal(p, weeks: n, makes: { jit[x[p][$0]] > 0 }, holds: { jit[inv[p][$0]] > 0 })
                }
            }
            if fits && offJustInTime.isEmpty {
                let solveMs = (ContinuousClock.now - clock).milliseconds
                var result = phaseResult(phaseIndex, weeks: weeks, status: .optimal,
                                   objective: costs(whole).reduce(0) { $0 + $1.value * jit[$1.column] }, bestBacklog: first.backlog,
                                   rows: balanceRowCount + 1, columns: columnCount, rowsSolved: 0, productsSolved: 0, solveMs: solveMs,
                                   capacityRows: capacityRows, columnsOf: (x, inv, back, over),
                                   value: { Self.clean(jit[$0]) }, dual: { _ in 0 })
                if keepLP {
                    result.lp = wholeLP(makeLP(whole), capacityRows: capacityRows, backlogCap: first.backlog * (1 + 1e-9) + 1e-9,
                                        finalBacklogTerms: finalBacklogTerms(whole), costs: costs(whole))
                }
                return result
            }
        }
        var layout = whole
        // The solved LP's figures by whole-LP column and capacity row (left-out products at
        // just-in-time, rows not solved with a dual of 0).
        var values: [Double] = []
        var duals: [Double] = []
        var rowsSolved = 0
        // Capacity rows solved, kept from one round of products to the next.
        var active = [Bool](repeating: false, count: capacityRows.count)
        for w in tightCenters { for t in 0..<n { active[w * n + t] = true } }
        // The last round's basis, which the next round starts from.
        var carried: CarriedBasis?
        if status == .optimal {
            bestBacklog = first.backlog
            backlogCap = bestBacklog * (1 + 1e-9) + 1e-9
            let makes = { (p: Int, t: Int) in jit[x[p][t]] > 0 }
            func start(spread: Bool) -> PhaseLayout {
                guard var members = initialMembers(weeks: n, totals: first.totals, needs: first.needs,
                                                   justInTime: { jit[x[$0][$1]] }, perCenter: perCenter, hours: hours,
                                                   spread: spread) else { return whole }
                if !offJustInTime.isEmpty {
                    members = Set(members).union(offJustInTime).sorted()
                    if members.count > products.count / 2 { return whole }
                }
                return PhaseLayout(weeks: n, members: members, productCount: products.count, centerCount: centers.count)
            }
            // First the fewest members; should their LP be infeasible, those that make it
            // feasible; then all products.
            layout = start(spread: false)
            var spreadTried = false
            while true {
                // A left-out product's load comes off the rows' capacity.
                let held = layout.isWhole ? [] : capacityRows.loads { layout.slot[$0] < 0 ? jit[x[$0][$1]] : 0 }
                var problem = GLPKProblem(makeLP(layout))
                Trace.mark("phase \(phaseIndex): GLPK problem loaded, \(layout.members.count) products")
                var rowOf = [Int](repeating: -1, count: capacityRows.count)
                func activate(_ k: Int) {
                    rowOf[k] = problem.addRow(capacityRows.name(k), .upper(capacityRows.limit(k) - (held.isEmpty ? 0 : held[k])),
                                              capacityRows.entries(k, in: layout))
                }
                for k in active.indices where active[k] { activate(k) }
                /// Adds the rows not in the LP whose load `loads[k]` against their limit
                /// passes `test`; how many.
                func join(_ loads: [Double], _ test: (_ load: Double, _ limit: Double) -> Bool) -> Int {
                    var added = 0
                    for k in loads.indices where rowOf[k] < 0 && test(loads[k], capacityRows.limit(k)) {
                        active[k] = true
                        activate(k)
                        added += 1
                    }
                    return added
                }
                let finalRow = problem.addRow("final_backlog", .upper(backlogCap!), finalBacklogTerms(layout))
                /// The next round: this optimal basis carried, `joining` added to the products.
                func grow(_ joining: [Int]) {
                    carried = CarriedBasis(layout: layout,
                                           columns: (0..<layout.columnCount).map { problem.status(column: $0) },
                                           balanceRows: (0..<layout.members.count * n).map { problem.status(row: $0) },
                                           capacityRows: rowOf.map { $0 >= 0 ? problem.status(row: $0) : 0 },
                                           finalRow: problem.status(row: finalRow))
                    let members = (layout.members + joining).sorted()
                    layout = members.count > products.count / 2 ? whole
                        : PhaseLayout(weeks: n, members: members, productCount: products.count, centerCount: centers.count)
                }
                problem.setObjective(costs(layout))
                // Start basis: just-in-time production. In each balance row the completion is
                // basic when the week needs one, else the inventory; capacity and final-backlog
                // rows are slack; overtime is nonbasic at 0. The basis is triangular (so never
                // singular) and holds the optimum's shape for every product no tight center
                // touches, so only the rationed products cost iterations.
                for (s, p) in layout.members.enumerated() {
                    for t in 0..<n {
                        let produce = makes(p, t)
                        problem.setStatus(column: layout.x(s, t), basic: produce)
                        problem.setStatus(column: layout.inv(s, t), basic: !produce)
                        problem.setStatus(row: s * n + t, basic: false)
                    }
                }
                // A later round starts from the last round's optimal basis, the joining
                // products just-in-time: still feasible (their load moved from the right-hand
                // side into the rows), so the primal simplex goes on from there.
                if let old = carried {
                    for (s, p) in layout.members.enumerated() where old.layout.slot[p] >= 0 {
                        let o = old.layout.slot[p]
                        for t in 0..<n {
                            problem.setStatus(column: layout.x(s, t), old.columns[old.layout.x(o, t)])
                            problem.setStatus(column: layout.inv(s, t), old.columns[old.layout.inv(o, t)])
                            problem.setStatus(column: layout.back(s, t), old.columns[old.layout.back(o, t)])
                            problem.setStatus(row: s * n + t, old.balanceRows[o * n + t])
                        }
                    }
                    for w in centers.indices {
                        for t in 0..<n { problem.setStatus(column: layout.over(w, t), old.columns[old.layout.over(w, t)]) }
                    }
                    for k in rowOf.indices where rowOf[k] >= 0 && old.capacityRows[k] != 0 {
                        problem.setStatus(row: rowOf[k], old.capacityRows[k])
                    }
                    problem.setStatus(row: finalRow, old.finalRow)
                }
                // Dual simplex from the just-in-time basis (primal from a carried one), with
                // steepest-edge pricing: about twice as fast as Dantzig pricing on the
                // realistic models' LPs (docs/performance.md, "The capacity LP's pricing").
                status = problem.solve(method: carried == nil ? .dual : .primal, steepestEdge: true)
                Trace.mark("phase \(phaseIndex): first solve, \(rowOf.filter { $0 >= 0 }.count) capacity rows")
                // Lazy capacity rows: each is dense (every product that reaches the center) and
                // most never bind, so the LP starts with the rows of the centers tight in step 1
                // and gains, round by round, the rows its solution (left-out products at
                // just-in-time) violates, by dual simplex from the last basis. When none is
                // violated the rows left out are slack with a dual of 0.
                while status == .optimal {
                    let loads = capacityRows.loads { p, t in
                        layout.slot[p] < 0 ? jit[x[p][t]] : problem.value(column: layout.x(layout.slot[p], t))
                    }
                    let added = join(loads) { load, capacity in load > capacity + 1e-9 * max(1, capacity) }
                    if added == 0 { break }
                    status = problem.solve(method: .dual, steepestEdge: true)
                    Trace.mark("phase \(phaseIndex): re-solve with \(added) more rows")
                }
                // A solve that fails on part of the products is done again on more of them.
                if status != .optimal && !layout.isWhole {
                    Trace.mark("phase \(phaseIndex): \(layout.members.count) products not enough")
                    layout = spreadTried ? whole : start(spread: true)
                    spreadTried = true
                    carried = nil
                    continue
                }
                if status != .optimal { break }
                duals = problem.duals(ofRows: rowOf)
                if !layout.isWhole {
                    let joining = productsToAdd(layout: layout, weeks: n, hours: hours, capacityDual: duals,
                                                finalDual: problem.dual(row: finalRow), makes: makes,
                                                holds: { jit[inv[$0][$1]] > 0 }, limit: max(50, layout.members.count))
                    Trace.mark("phase \(phaseIndex): \(joining.count) more products priced in")
                    if !joining.isEmpty {
                        grow(joining)
                        continue
                    }
                }
                // Optimal for the whole LP: a left-out product adds its just-in-time holding.
                objective = problem.objective
                values = (0..<columnCount).map { column in
                    layout.column(ofWhole: column).map { problem.value(column: $0) } ?? jit[column]
                }
                // A row left out because its load never passed it may be exactly full: one
                // more hour elsewhere would then need it (an extra hour at one center is
                // worth less when the next unit also needs overtime at another). Such rows
                // join the LP (basic at their bound: the optimum stands) before the duals are
                // read, so that the shadow prices see them.
                let joined = join(capacityRows.loads { p, t in values[x[p][t]] }) { load, capacity in
                    load >= capacity - 1e-9 * max(1, capacity)
                }
                if joined == 0 || problem.solve(method: .dual, steepestEdge: true) == .optimal {
                    if joined > 0 { duals = problem.duals(ofRows: rowOf) }
                    // With products held at just-in-time, an extra hour may be worth more to a
                    // held one than to those in the LP: the held products that would join at
                    // the duals just above a capacity join, and the duals are read again.
                    let members = layout
                    let joining = Self.marginalDuals(&problem, rows: rowOf, duals: &duals, finalRow: (finalRow, bestBacklog),
                                                     joining: layout.isWhole ? nil : { all, finalDual in
                        self.productsToAdd(layout: members, weeks: n, hours: hours, capacityDual: all, finalDual: finalDual,
                                           makes: makes, holds: { jit[inv[$0][$1]] > 0 }, limit: max(50, members.members.count))
                    })
                    if !joining.isEmpty {
                        Trace.mark("phase \(phaseIndex): \(joining.count) more products priced in above a capacity")
                        grow(joining)
                        continue
                    }
                }
                for p in products.indices where layout.slot[p] < 0 {
                    for t in 0..<n { objective += c.holdingPerUnitWeek * jit[inv[p][t]] }
                }
                rowsSolved = rowOf.filter { $0 >= 0 }.count
                break
            }
        }
        let elapsed = ContinuousClock.now - clock
        let solveMs = elapsed.milliseconds
        let solved = status == .optimal
        var result = phaseResult(phaseIndex, weeks: weeks, status: status, objective: objective, bestBacklog: bestBacklog,
                           rows: balanceRowCount + capacityRows.count + (backlogCap == nil ? 0 : 1), columns: columnCount,
                           rowsSolved: rowsSolved, productsSolved: solved ? layout.members.count : 0, solveMs: solveMs,
                           capacityRows: capacityRows, columnsOf: (x, inv, back, over),
                           value: { solved ? Self.clean(values[$0]) : 0 },
                           dual: { solved ? duals[$0] : 0 })
        if keepLP {
            result.lp = wholeLP(makeLP(whole), capacityRows: capacityRows, backlogCap: backlogCap,
                                finalBacklogTerms: finalBacklogTerms(whole), costs: costs(whole))
        }
        return result
    }

    /// The phase's figures from a solved LP: `value` of a column, `dual` of capacity row
    /// `k = w × n + t` (GLPK's sign; the shadow price is its negative, at least 0).
    func phaseResult(_ phaseIndex: Int, weeks: Range<Int>, status: LPStatus, objective: Double, bestBacklog: Double,
                     rows rowCount: Int, columns: Int, rowsSolved: Int, productsSolved: Int, solveMs: Double,
                     capacityRows: CapacityRows,
                     columnsOf c: (x: [[Int]], inv: [[Int]], back: [[Int]], over: [[Int]]),
                     value: (Int) -> Double, dual: (Int) -> Double) -> PhaseCapacity {
        let n = weeks.count
        let productCount = model.plan.products.count
        var rows: [CapacityRow] = []
        let loads = capacityRows.loads { value(c.x[$0][$1]) }
        for (w, center) in model.workcenters.enumerated() {
            for t in 0..<n {
                let load = loads[w * n + t]
                let capacity = center.weeklyCapacity
                rows.append(CapacityRow(phase: phaseIndex, week: weeks.lowerBound + t, workcenter: w,
                                        capacityHours: capacity, loadHours: Self.clean(load),
                                        overtimeHours: value(c.over[w][t]),
                                        utilizationPct: capacity > 0 ? Self.clean(100 * load / capacity) : 0,
                                        shadowPrice: max(0, Self.clean(-dual(w * n + t)))))
            }
        }
        return PhaseCapacity(
            phase: phaseIndex, name: model.plan.phases[phaseIndex].name, weeks: weeks, status: status,
            objective: objective, minimumFinalBacklog: bestBacklog, lpRows: rowCount, lpColumns: columns,
            capacityRowsSolved: rowsSolved, productsSolved: productsSolved, solveMilliseconds: solveMs,
            completions: (0..<productCount).map { p in (0..<n).map { value(c.x[p][$0]) } },
            inventory: (0..<productCount).map { p in (0..<n).map { value(c.inv[p][$0]) } },
            backlog: (0..<productCount).map { p in (0..<n).map { value(c.back[p][$0]) } },
            finalInventory: (0..<productCount).map { value(c.inv[$0][n - 1]) },
            finalBacklog: (0..<productCount).map { value(c.back[$0][n - 1]) },
            capacity: rows)
    }

    /// §4 `shadow_price`: how much the objective falls per extra hour of each binding
    /// capacity row (`rows[k]`: the problem's row of capacity row `k`, -1 when not in the
    /// LP; `duals[k]`: its GLPK dual, replaced in place). A dual says that only while the
    /// basis stays optimal as the capacity grows (`activeBoundRange` reaches above it). At a
    /// degenerate optimum — the final-backlog cap or another row binding as well — the basis
    /// changes at once, and the dual GLPK gives may be any of several: a product's whole
    /// backlog cost where one more hour saves a few weeks of another's. There the row's
    /// capacity is raised (an hour, then less until no breakpoint lies between), the LP
    /// solved again by dual simplex from the optimal basis, and the dual of the basis that
    /// is optimal from the capacity up to there taken: the objective's rate of fall just
    /// above the capacity. Capacity and basis are then put back. Call right after an
    /// optimal solve; at most `marginalBudget` rows.
    ///
    /// An LP that leaves products out (held at just-in-time) passes `joining`: given the
    /// duals of the capacity rows (`k`, 0 where not in the LP) and the final-backlog row's
    /// (`finalRow`), the held products that would join at them (`productsToAdd`). The
    /// LP's fall above the capacity is the whole LP's only when none would: the held
    /// products' schedules do not move with the capacity, so the basis with theirs added
    /// stays optimal for the whole LP exactly when they price out. Those that would, at the
    /// duals read with the cap at `B*` or just above any row looked at, are returned (every
    /// row looked at, the basis put back): the caller adds them all at once and reads the
    /// duals again.
    @discardableResult
    static func marginalDuals(_ problem: inout GLPKProblem, rows: [Int], duals: inout [Double],
                              finalRow: (row: Int, bestBacklog: Double)? = nil,
                              joining: ((_ duals: [Double], _ finalDual: Double) -> [Int])? = nil) -> [Int] {
        // Step 2 caps the final backlog a sliver above `B*` (1e-9 of it), so that GLPK finds
        // it feasible. An extra hour may first go to using up that sliver, a fall that lasts
        // a few millionths of an hour and vanishes with the sliver: the duals are read with
        // the cap at `B*` itself (within GLPK's feasibility tolerance), then it is put back.
        var joiners = Set<Int>()
        var sliver: (row: Int, bound: Double)?
        if let (row, best) = finalRow, problem.upperBound(row: row) > best {
            sliver = (row, problem.upperBound(row: row))
            problem.setUpperBound(row: row, best)
            if problem.solve(method: .dual, steepestEdge: true) == .optimal {
                duals = problem.duals(ofRows: rows)
                // The held products were priced at the duals with the sliver: again at these.
                if let joining { joiners.formUnion(joining(duals, problem.dual(row: row))) }
            } else {
                problem.setUpperBound(row: row, sliver!.bound)
                sliver = nil
                guard problem.solve(method: .primal, steepestEdge: true) == .optimal else { return joiners.sorted() }
            }
        }
        defer {
            if let (row, bound) = sliver {
                problem.setUpperBound(row: row, bound)
                _ = problem.solve(method: .primal, steepestEdge: true)
            }
        }
        var saved: (columns: [Int32], rows: [Int32])?
        var budget = max(marginalBudget, marginalWork / max(1, problem.columnCount))
        for k in rows.indices where rows[k] >= 0 && duals[k] < -1e-12 {
            let row = rows[k]
            let capacity = problem.upperBound(row: row)
            // A basis that stays optimal for less than a millionth more is degenerate too.
            let slack = 1e-6 * max(1, abs(capacity))
            guard let range = problem.activeBoundRange(row: row), range.upperBound <= capacity + slack else { continue }
            // A large LP with many such rows keeps GLPK's duals past the budget (each row
            // costs a few re-solves of the whole LP).
            guard budget > 0 else { break }
            budget -= 1
            let basis = saved ?? ((0..<problem.columnCount).map { problem.status(column: $0) },
                                  (0..<problem.rowCount).map { problem.status(row: $0) })
            saved = basis
            var step = 1.0
            for _ in 0..<8 {
                problem.setUpperBound(row: row, capacity + step)
                guard problem.solve(method: .dual, steepestEdge: true) == .optimal else { break }
                // The row's dual from the capacity up: nonbasic with no breakpoint between,
                // or slack above a capacity it does not use up (no fall at all).
                var fall: Double?
                if let above = problem.activeBoundRange(row: row) {
                    if above.lowerBound <= capacity + slack { fall = min(0, problem.dual(row: row)) }
                } else if problem.activity(row: row) <= capacity + slack {
                    fall = 0
                }
                if let fall {
                    let joins = joining?(problem.duals(ofRows: rows),
                                         finalRow.map { problem.dual(row: $0.row) } ?? 0) ?? []
                    if joins.isEmpty { duals[k] = fall } else { joiners.formUnion(joins) }
                    break
                }
                step /= 8
            }
            problem.setUpperBound(row: row, capacity)
            for (j, status) in basis.columns.enumerated() { problem.setStatus(column: j, status) }
            for (i, status) in basis.rows.enumerated() { problem.setStatus(row: i, status) }
            // The optimal basis back, or no more rows looked at.
            guard problem.solve(method: .primal, steepestEdge: true) == .optimal else { break }
        }
        return joiners.sorted()
    }

    /// The degenerate capacity rows re-solved for at one reading of the duals
    /// (`marginalDuals`): 32, or more in a small LP, as many as keep rows × columns
    /// within `marginalWork` (a small model's every row; each re-solve costs about the
    /// LP's size).
    static let marginalBudget = 32
    static let marginalWork = 100_000

    /// §2b word for word on the whole LP: step 1, then step 2 warm-started from step 1's
    /// basis (the reference for `lazyRows`).
    func solveWholeLP(_ phaseIndex: Int, weeks: Range<Int>, lp core: LinearProgram, capacityRows: CapacityRows,
                      columnsOf c: (x: [[Int]], inv: [[Int]], back: [[Int]], over: [[Int]]),
                      finalBacklogTerms: [(column: Int, value: Double)], costs: [(column: Int, value: Double)],
                      keepLP: Bool, clock: ContinuousClock.Instant) -> PhaseCapacity {
        var lp = core
        let rowOf = capacityRows.add(to: &lp)
        var problem = GLPKProblem(lp)
        problem.setObjective(finalBacklogTerms)
        var status = problem.solve()
        var bestBacklog = 0.0
        var objective = 0.0
        let capped = status == .optimal
        if capped {
            bestBacklog = max(0, problem.objective)
            problem.addRow("final_backlog", .upper(bestBacklog * (1 + 1e-9) + 1e-9), finalBacklogTerms)
            problem.setObjective(costs)
            status = problem.solve()
            objective = status == .optimal ? problem.objective : 0
        }
        let solved = status == .optimal
        let values = solved ? (0..<problem.columnCount).map { problem.value(column: $0) } : []
        var duals = solved ? rowOf.map { problem.dual(row: $0) } : []
        if solved {
            Self.marginalDuals(&problem, rows: rowOf, duals: &duals, finalRow: (problem.rowCount - 1, bestBacklog))
        }
        let solveMs = (ContinuousClock.now - clock).milliseconds
        var result = phaseResult(phaseIndex, weeks: weeks, status: status, objective: objective, bestBacklog: bestBacklog,
                           rows: problem.rowCount, columns: problem.columnCount, rowsSolved: capacityRows.count,
                           productsSolved: model.plan.products.count,
                           solveMs: solveMs, capacityRows: capacityRows, columnsOf: c,
                           value: { solved ? Self.clean(values[$0]) : 0 },
                           dual: { solved ? duals[$0] : 0 })
        if keepLP {
            result.lp = wholeLP(core, capacityRows: capacityRows, backlogCap: capped ? bestBacklog * (1 + 1e-9) + 1e-9 : nil,
                                finalBacklogTerms: finalBacklogTerms, costs: costs)
        }
        return result
    }

    /// The whole §2b LP, every capacity row included (the problem the lazy rows solve),
    /// with the second step's objective; the first step's when it was not solved.
    func wholeLP(_ lp: LinearProgram, capacityRows: CapacityRows, backlogCap: Double?,
                 finalBacklogTerms: [(column: Int, value: Double)], costs: [(column: Int, value: Double)]) -> WrittenLP {
        var full = lp
        _ = capacityRows.add(to: &full)
        if let backlogCap {
            let row = full.addRow("final_backlog", .upper(backlogCap))
            for (column, value) in finalBacklogTerms { full.set(row: row, column: column, value) }
        }
        return WrittenLP(program: full, objective: backlogCap == nil ? finalBacklogTerms : costs)
    }

    /// Every product made just in time, by column of the whole LP: `x[t] = max(0, need)`,
    /// `I[t]` what is left, `B = 0` (the optimum of a product that no capacity limits).
    func justInTime(weeks: Range<Int>, demand: [[Double]], startInventory: [Double], startBacklog: [Double],
                    columnsOf c: (x: [[Int]], inv: [[Int]], back: [[Int]]), columnCount: Int) -> [Double] {
        var values = [Double](repeating: 0, count: columnCount)
        for p in c.x.indices {
            var available = startInventory[p] - startBacklog[p]
            for t in 0..<weeks.count {
                let need = demand[p][weeks.lowerBound + t] - available
                if need > 0 {
                    values[c.x[p][t]] = need
                    available = 0
                } else {
                    values[c.inv[p][t]] = -need
                    available = -need
                }
            }
        }
        return values
    }

    /// Whether product `p`'s just-in-time schedule (`makes`: the weeks it makes something,
    /// `holds`: those that end with stock) is optimal for its own columns at the LP's duals
    /// (`cost[t]`: what a unit made in week `t` costs in hours at the capacity rows' duals,
    /// `Σ_w h[p,w] (-dual[w,t])`, 0 where every row is slack; `finalDual`: the final-backlog
    /// row's): whether balance duals `u[t]` exist under which no column has a negative
    /// reduced cost and its positive columns have 0 (LP duality) — `x[t]`: `u[t] <= c[t]`,
    /// `=` where it makes; `I[t]`: `u[t] >= u[t+1] - h`, `=` where it holds stock; `B[t]`:
    /// `u[t] <= u[t+1] + b` (the last week's `b - finalDual`); `u[n] = 0`. Each constraint
    /// links two neighbouring weeks, so one pass from the last week back, keeping the
    /// interval each `u[t]` may take, decides it exactly, whichever of the optimum's bases
    /// the schedule sits on.
    func justInTimeIsOptimal(_ p: Int, weeks n: Int, cost: (Int) -> Double = { _ in 0 }, finalDual: Double = 0,
                             makes: (Int) -> Bool, holds: (Int) -> Bool) -> Bool {
        let h = model.plan.costs.holdingPerUnitWeek
        let b = model.plan.backlogCost(ofProduct: p)
        let tolerance = 1e-7 * (1 + max(abs(h), abs(b)))
        // The values u[t + 1] may take (u[n] = 0).
        var (low, high) = (0.0, 0.0)
        for t in stride(from: n - 1, through: 0, by: -1) {
            var next = (low: low - h, high: holds(t) ? high - h : high + b - (t == n - 1 ? finalDual : 0))
            let c = cost(t)
            next.high = min(next.high, c)
            if makes(t) { next.low = max(next.low, c) }
            guard next.low <= next.high + tolerance else { return false }
            (low, high) = (next.low, max(next.low, next.high))
        }
        return true
    }

    /// Step 1 of §2b, `B* = min Σ_p B[p,last]`, solved on the phase's aggregate LP.
    ///
    /// Within a phase every week has the same capacity `C[w] + overtime` and the same
    /// hours `h[p,w]`, and in step 1 nothing is priced but the final backlog, which depends
    /// only on each product's total completions `X[p]`. Totals reachable week by week are
    /// exactly those with `Σ_p h[p,w] X[p] <= n (C[w] + overtime[w])` (spread `X / n` over
    /// the `n` weeks), and making more than `need[p]` (the phase's demand less its open
    /// receipts, less the opening inventory plus the opening backlog) never lowers the
    /// backlog, so `B* = Σ_p (need[p]⁺ - X[p])` for the largest `Σ_p X[p]` with
    /// `0 <= X[p] <= need[p]⁺` and those rows: `P` bounded columns and `W` rows instead of
    /// `(3P + W) n` columns and `(P + W) n` rows.
    /// Also returns the work centers whose aggregate row is tight (they seed step 2's rows)
    /// and each product's totals `X[p]` and `need[p]⁺` (which seed its products).
    func minimumFinalBacklog(weeks: Range<Int>, demand: [[Double]],
                             perCenter: [[(product: Int, hours: Double)]],
                             startInventory: [Double], startBacklog: [Double])
        -> (status: LPStatus, backlog: Double, tightCenters: [Int], totals: [Double], needs: [Double]) {
        let productCount = model.plan.products.count
        let n = Double(weeks.count)
        let needs = (0..<productCount).map { p in
            max(0, weeks.reduce(0) { $0 + demand[p][$1] } - startInventory[p] + startBacklog[p])
        }
        // Every product's whole need fits every center with room to spare (more than the
        // tightness tolerance below): that is the LP's one optimum, every X at its upper
        // bound and every row slack (so basic, its dual 0), which GLPK returns too: no
        // backlog, no tight center. At 1M items (2,000 products, 100 centers) building and
        // presolving that LP took 25–35 ms a phase.
        // The same limit and the same tightness test decide both: the shortcut is taken
        // exactly when the LP's answer would name no tight center.
        let limits = model.workcenters.map { n * ($0.weeklyCapacity + max(0, $0.overtimeHoursPerWeek)) }
        func loadsToTheLimit(_ w: Int, _ amounts: [Double]) -> Bool {
            var load = 0.0
            for (p, h) in perCenter[w] { load += h * amounts[p] }
            return load >= limits[w] - 1e-7 * max(1, limits[w])
        }
        if !model.workcenters.indices.contains(where: { !perCenter[$0].isEmpty && loadsToTheLimit($0, needs) }) {
            return (.optimal, 0, [], needs, needs)
        }
        var lp = LinearProgram(name: "final_backlog")
        for p in 0..<productCount { lp.addColumn("X\(p)", .range(0, needs[p])) }
        var centerRows: [Int] = []
        for w in model.workcenters.indices {
            let row = lp.addRow("cap\(w)", .upper(limits[w]))
            for (p, h) in perCenter[w] { lp.set(row: row, column: p, h) }
            centerRows.append(row)
        }
        var problem = GLPKProblem(lp)
        problem.setObjective((0..<productCount).map { (column: $0, value: -1.0) })
        let status = problem.solve()
        guard status == .optimal else { return (status, 0, [], [], needs) }
        let totals = (0..<productCount).map { min(needs[$0], max(0, problem.value(column: $0))) }
        var tight: [Int] = []
        for w in model.workcenters.indices where !perCenter[w].isEmpty {
            if loadsToTheLimit(w, totals) || problem.dual(row: centerRows[w]) != 0 { tight.append(w) }
        }
        let backlog = zip(needs, totals).reduce(0) { $0 + ($1.0 - $1.1) }
        return (status, max(0, backlog), tight, totals, needs)
    }

    /// Rounds solver noise (|v| < 1e-9) to 0.
    static func clean(_ value: Double) -> Double { abs(value) < 1e-9 ? 0 : value }

    /// A name usable in CPLEX LP format: letters, digits and `_` only.
    static func identifier(_ text: String) -> String {
        let mapped = text.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) ? Character(s) : "_"
        }
        let name = String(mapped.prefix(120))
        return name.isEmpty ? "_" : name
    }

    /// Identifiers for a list of names, made unique by a numeric suffix where two collide
    /// (`P-1` and `P_1` become `P_1` and `P_1_2`; a suffix never lands on another name's
    /// identifier).
    package static func uniqueIdentifiers(_ names: [String]) -> [String] {
        let plain = names.map(identifier)
        var used = Set<String>()
        var taken = [String: Int]()
        for id in plain { taken[id, default: 0] += 1 }
        return plain.map { id in
            var unique = id, n = 1
            while used.contains(unique) || (unique != id && taken[unique] != nil) {
                n += 1
                unique = "\(id)_\(n)"
            }
            used.insert(unique)
            return unique
        }
    }
}

/// The capacity rows of one phase's LP, `Σ_p h[p,w] x[p,t] - O[w,t] <= C[w]` (§2b), row
/// `k = w × n + t`: one description for the rows added lazily (to the whole LP or one of
/// part of the products), the whole LP written with `--write-lp` or solved as the
/// reference, and the loads reported in capacity.csv.
struct CapacityRows {
    let centers: [WorkCenter]
    /// LP identifiers of the centers.
    let names: [String]
    let weeks: Int
    /// Per center: the products it serves and their hours per unit, `h[p,w] > 0`.
    let perCenter: [[(product: Int, hours: Double)]]
    /// The whole LP's columns.
    let whole: PhaseLayout

    var count: Int { centers.count * weeks }

    func name(_ k: Int) -> String {
        let (w, t) = k.quotientAndRemainder(dividingBy: weeks)
        return "cap_\(names[w])_\(t + 1)"
    }

    /// `C[w]`, the row's regular capacity.
    func limit(_ k: Int) -> Double { centers[k / weeks].weeklyCapacity }

    /// Row `k`'s entries in the columns of `layout` (the whole LP's by default): the
    /// products it holds, and the center's overtime.
    func entries(_ k: Int, in layout: PhaseLayout? = nil) -> [(column: Int, value: Double)] {
        let layout = layout ?? whole
        let (w, t) = k.quotientAndRemainder(dividingBy: weeks)
        var entries: [(column: Int, value: Double)] = []
        for (p, h) in perCenter[w] where layout.slot[p] >= 0 { entries.append((layout.x(layout.slot[p], t), h)) }
        entries.append((layout.over(w, t), -1))
        return entries
    }

    /// Each row's load `Σ_p h[p,w] x[p,t]` for completions `x(p, t)` (asked once per
    /// product and week, not once per row entry).
    func loads(_ completions: (Int, Int) -> Double) -> [Double] {
        let productCount = whole.slot.count
        var flat = [Double](repeating: 0, count: productCount * weeks)
        for p in 0..<productCount {
            for t in 0..<weeks { flat[p * weeks + t] = completions(p, t) }
        }
        var load = [Double](repeating: 0, count: count)
        for w in centers.indices {
            for (p, h) in perCenter[w] {
                for t in 0..<weeks { load[w * weeks + t] += h * flat[p * weeks + t] }
            }
        }
        return load
    }

    /// Appends every row to `lp`, in row order; their indices.
    func add(to lp: inout LinearProgram) -> [Int] {
        (0..<count).map { k in
            let row = lp.addRow(name(k), .upper(limit(k)))
            for (column, value) in entries(k) { lp.set(row: row, column: column, value) }
            return row
        }
    }
}
