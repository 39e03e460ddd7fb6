import TaktModel
import TaktInput

/// Where a phase LP's columns sit when it holds only some of the products (contract
/// §2b): slot `s` holds product `members[s]` with `x`, `I` and `B` for each of the `n`
/// weeks (`3n` columns a slot), then `O` per work center and week. With every product a
/// member, slot = product and this is the whole LP's layout.
struct PhaseLayout {
    let weeks: Int
    /// Products (plan order) that have columns, ascending.
    let members: [Int]
    let centerCount: Int
    /// Per product: its slot, or -1 when the LP leaves it out.
    let slot: [Int]

    init(weeks: Int, members: [Int], productCount: Int, centerCount: Int) {
        self.weeks = weeks
        self.members = members
        self.centerCount = centerCount
        var slot = [Int](repeating: -1, count: productCount)
        for (s, p) in members.enumerated() { slot[p] = s }
        self.slot = slot
    }

    var isWhole: Bool { members.count == slot.count }
    var columnCount: Int { 3 * weeks * members.count + weeks * centerCount }
    func x(_ s: Int, _ t: Int) -> Int { 3 * weeks * s + t }
    func inv(_ s: Int, _ t: Int) -> Int { 3 * weeks * s + weeks + t }
    func back(_ s: Int, _ t: Int) -> Int { 3 * weeks * s + 2 * weeks + t }
    func over(_ w: Int, _ t: Int) -> Int { 3 * weeks * members.count + weeks * w + t }

    /// The column of this LP that holds whole-LP column `column`, or nil when its product
    /// is left out.
    func column(ofWhole column: Int) -> Int? {
        let perProduct = 3 * weeks
        let products = slot.count
        guard column < perProduct * products else { return column - perProduct * products + perProduct * members.count }
        let s = slot[column / perProduct]
        return s < 0 ? nil : perProduct * s + column % perProduct
    }
}

/// A solved round's basis by its layout: column statuses, balance rows (slot × n + t),
/// capacity rows by `k = w × n + t` (0 where not in the LP) and the final-backlog row.
struct CarriedBasis {
    let layout: PhaseLayout
    let columns: [Int32]
    let balanceRows: [Int32]
    let capacityRows: [Int32]
    let finalRow: Int32
}

/// Step 2 of a phase solved on the products the capacity rations, the others held at
/// their just-in-time schedule (contract §2b; the optimum of the whole LP).
///
/// In the realistic models' Steady State a few percent of the products end up off
/// just-in-time (86 of 2,000 at 1M items), yet every product's rows sit in the LP and make
/// each dual simplex iteration slow. So, like the lazy capacity rows but for columns:
/// - the LP starts with the products step 1 leaves short (and any needed so that the
///   others' just-in-time load fits capacity with all overtime); should that LP be
///   infeasible, it starts again with the products needed so that the others'
///   just-in-time loads and the short ones' step-1 totals spread evenly fit every week
///   (a schedule that proves it feasible);
/// - a product left out is held at just-in-time: its load comes off the capacity rows'
///   right-hand side, its holding cost is added to the objective;
/// - after each solve every left-out product is priced at the LP's duals in its
///   just-in-time basis; those with a negative reduced cost join (the most negative
///   first, at most 50 or as many as are in), and the LP is solved again from the last
///   basis (the previous solution plus their just-in-time schedules is still feasible);
/// - when none is left to join, the LP's basis with the left-out products' just-in-time
///   bases is optimal for the whole LP (primal feasible, and dual feasible by the pricing),
///   so values and duals are those of a whole-LP optimum.
/// When more than half the products would join, the whole LP is solved instead.
extension CapacityPlanner {
    /// The products step 2 starts with: those step 1 leaves short (`totals < need⁺`),
    /// then, for each center and week where the load would exceed capacity with all
    /// overtime, the products loading it most in that week until it fits. The load counts
    /// the others at just-in-time and, when `spread`, the members at their step-1 totals
    /// spread evenly over the phase — a schedule that meets every row and `B*`, so the LP
    /// is feasible; without `spread` only the others' load is checked (fewer members; the
    /// LP may then turn out infeasible). Nil when it takes more than half the products.
    func initialMembers(weeks n: Int, totals: [Double], needs: [Double], justInTime completions: (Int, Int) -> Double,
                        perCenter: [[(product: Int, hours: Double)]], hours: [RunHours.Load], spread: Bool) -> [Int]? {
        let productCount = totals.count
        var member = (0..<productCount).map { totals[$0] < needs[$0] - 1e-9 * max(1, needs[$0]) }
        var count = member.filter { $0 }.count
        let limit = productCount / 2
        // A member's weekly share: its total / n, or nothing.
        let share = { (p: Int) in spread ? totals[p] / Double(n) : 0 }
        // load[w n + t]: left-out products at just-in-time, members at their share.
        var load = [Double](repeating: 0, count: model.workcenters.count * n)
        for (w, entries) in perCenter.enumerated() {
            for (p, h) in entries {
                for t in 0..<n { load[w * n + t] += h * (member[p] ? share(p) : completions(p, t)) }
            }
        }
        for (w, center) in model.workcenters.enumerated() where !perCenter[w].isEmpty {
            let capacity = center.weeklyCapacity + max(0, center.overtimeHoursPerWeek)
            let allowed = capacity + 1e-9 * max(1, capacity)
            for t in 0..<n where load[w * n + t] > allowed {
                // Those that lower this week's load most as members (a left-out product's
                // total is its need).
                var candidates: [(product: Int, relief: Double)] = []
                for (p, h) in perCenter[w] where !member[p] {
                    let relief = h * (completions(p, t) - share(p))
                    if relief > 0 { candidates.append((p, relief)) }
                }
                candidates.sort { $0.relief != $1.relief ? $0.relief > $1.relief : $0.product < $1.product }
                for candidate in candidates where load[w * n + t] > allowed {
                    let p = candidate.product
                    member[p] = true
                    count += 1
                    if count > limit { return nil }
                    for (v, h) in hours[p] where h > 0 {
                        for s in 0..<n { load[v * n + s] += h * (share(p) - completions(p, s)) }
                    }
                }
                if load[w * n + t] > allowed { return nil }
            }
        }
        return (0..<productCount).filter { member[$0] }
    }

    /// The left-out products whose just-in-time schedule is not optimal at the LP's duals:
    /// `capacityDual[w n + t]` (GLPK's sign, ≤ 0; 0 for rows not in the LP) and the
    /// final-backlog row's dual. In the just-in-time basis of a product (`x[t]` basic in
    /// the weeks it makes something, else `I[t]`) the balance duals are `u[t] = c[t]` where
    /// it makes, `u[t] = u[t+1] - h` where it does not (`-h` in the last week), with
    /// `c[t] = Σ_w h[p,w] (-dual[w,t])`; it prices out when every other column's reduced
    /// cost is at least 0: `x[t]` `c[t] - u[t]`, `I[t]` `h + u[t] - u[t+1]`, `B[t]`
    /// `b - u[t] + u[t+1]` (the last week's `B` also `- finalDual`). A product that fails
    /// this test joins only if `justInTimeIsOptimal` (given `holds`, the weeks that end
    /// with stock) finds no basis that prices it out. At most `limit` products, those
    /// with the most negative reduced cost.
    func productsToAdd(layout: PhaseLayout, weeks n: Int, hours: [RunHours.Load], capacityDual: [Double],
                       finalDual: Double, makes: (Int, Int) -> Bool, holds: (Int, Int) -> Bool,
                       limit: Int = .max) -> [Int] {
        let h = model.plan.costs.holdingPerUnitWeek
        let largestBacklogCost = model.plan.products.indices.map { model.plan.backlogCost(ofProduct: $0) }.max() ?? 0
        let tolerance = 1e-7 * (1 + max(abs(h), abs(largestBacklogCost)))
        var priced = [Bool](repeating: false, count: model.workcenters.count)
        for w in priced.indices { priced[w] = (0..<n).contains { capacityDual[w * n + $0] != 0 } }
        var cost = [Double](repeating: 0, count: n)
        var u = [Double](repeating: 0, count: n)
        var added: [(product: Int, reducedCost: Double)] = []
        for p in layout.slot.indices where layout.slot[p] < 0 {
            let b = model.plan.backlogCost(ofProduct: p)
            for t in 0..<n { cost[t] = 0 }
            for (w, hw) in hours[p] where hw > 0 && priced[w] {
                for t in 0..<n { cost[t] -= hw * capacityDual[w * n + t] }
            }
            for t in stride(from: n - 1, through: 0, by: -1) {
                u[t] = makes(p, t) ? cost[t] : (t == n - 1 ? -h : u[t + 1] - h)
            }
            var least = 0.0
            for t in 0..<n {
                let next = t == n - 1 ? 0 : u[t + 1]
                if !makes(p, t) { least = min(least, cost[t] - u[t]) }
                if makes(p, t) { least = min(least, h + u[t] - next) }
                least = min(least, b - u[t] + next - (t == n - 1 ? finalDual : 0))
            }
            // A negative reduced cost in this basis may come from its choice among the
            // optimum's bases (a week with no stock and nothing made is degenerate): such a
            // product joins only when no basis prices it out.
            if least < -tolerance, !justInTimeIsOptimal(p, weeks: n, cost: { cost[$0] }, finalDual: finalDual,
                                                         makes: { makes(p, $0) }, holds: { holds(p, $0) }) {
                added.append((p, least))
            }
        }
        // The most negative first, at most `limit` of them (sifting: the LP's next duals
        // tell whether the rest still pay).
        if added.count > limit {
            added.sort { $0.reducedCost != $1.reducedCost ? $0.reducedCost < $1.reducedCost : $0.product < $1.product }
            added.removeLast(added.count - limit)
        }
        return added.map(\.product).sorted()
    }
}
