import CGLPK
import TaktModel
import TaktInput

/// A linear program and the objective it is written with (contract §4 `lp/PHASE.lp`):
/// what `--write-lp` writes, as GLPK would solve it.
public struct WrittenLP: Sendable {
    public var program: LinearProgram
    public var objective: [(column: Int, value: Double)]
}

/// A linear program described in Swift: columns, rows and a sparse matrix.
/// Nothing here touches C; `GLPKProblem` turns it into a GLPK problem in bulk.
public struct LinearProgram: Sendable {
    public enum Bound: Sendable, Equatable {
        case free
        case lower(Double)
        case upper(Double)
        case range(Double, Double)
        case fixed(Double)
    }

    public var name: String
    public var columnNames: [String] = []
    public var columnBounds: [Bound] = []
    public var rowNames: [String] = []
    public var rowBounds: [Bound] = []
    /// Sparse matrix as triplets, 0-based.
    public var entryRow: ContiguousArray<Int32> = []
    public var entryColumn: ContiguousArray<Int32> = []
    public var entryValue: ContiguousArray<Double> = []

    public init(name: String) { self.name = name }

    public var columnCount: Int { columnNames.count }
    public var rowCount: Int { rowNames.count }

    @discardableResult
    public mutating func addColumn(_ name: String, _ bound: Bound) -> Int {
        columnNames.append(name)
        columnBounds.append(bound)
        return columnNames.count - 1
    }

    @discardableResult
    public mutating func addRow(_ name: String, _ bound: Bound) -> Int {
        rowNames.append(name)
        rowBounds.append(bound)
        return rowNames.count - 1
    }

    public mutating func set(row: Int, column: Int, _ value: Double) {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < columnCount, "LP index out of range")
        entryRow.append(Int32(row))
        entryColumn.append(Int32(column))
        entryValue.append(value)
    }
}

/// How a solve ended, reported honestly (issue: optimal, infeasible, unbounded or an error).
public enum LPStatus: Sendable, Equatable, CustomStringConvertible {
    case optimal
    case infeasible
    case unbounded
    case undefined
    case error(Int)

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .undefined: "undefined"
        case .error(let code): "error \(code)"
        }
    }
}

/// The only owner of a GLPK problem (STYLE habit 6): noncopyable, so it cannot be freed
/// twice; every index is checked in Swift before a call, since GLPK aborts the process
/// on a bad one. Terminal output is switched off in the same thread that solves.
/// Keep one instance inside one thread: GLPK's environment is per thread.
public struct GLPKProblem: ~Copyable {
    private let prob: OpaquePointer
    public private(set) var rowCount: Int
    public let columnCount: Int

    /// Builds the problem with one bulk `glp_load_matrix` call.
    public init(_ lp: LinearProgram) {
        glp_term_out(GLP_OFF)
        prob = glp_create_prob()
        glp_set_prob_name(prob, lp.name)
        glp_set_obj_dir(prob, GLP_MIN)
        rowCount = lp.rowCount
        columnCount = lp.columnCount
        if lp.rowCount > 0 { glp_add_rows(prob, Int32(lp.rowCount)) }
        if lp.columnCount > 0 { glp_add_cols(prob, Int32(lp.columnCount)) }
        for (i, name) in lp.rowNames.enumerated() {
            glp_set_row_name(prob, Int32(i + 1), name)
            Self.apply(lp.rowBounds[i]) { glp_set_row_bnds(prob, Int32(i + 1), $0, $1, $2) }
        }
        for (j, name) in lp.columnNames.enumerated() {
            glp_set_col_name(prob, Int32(j + 1), name)
            Self.apply(lp.columnBounds[j]) { glp_set_col_bnds(prob, Int32(j + 1), $0, $1, $2) }
        }
        // 1-based arrays; element 0 is ignored by GLPK.
        let count = lp.entryValue.count
        var ia = [Int32](repeating: 0, count: count + 1)
        var ja = [Int32](repeating: 0, count: count + 1)
        var ar = [Double](repeating: 0, count: count + 1)
        for k in 0..<count {
            precondition(Int(lp.entryRow[k]) < lp.rowCount && Int(lp.entryColumn[k]) < lp.columnCount)
            ia[k + 1] = lp.entryRow[k] + 1
            ja[k + 1] = lp.entryColumn[k] + 1
            ar[k + 1] = lp.entryValue[k]
        }
        glp_load_matrix(prob, Int32(count), ia, ja, ar)
    }

    deinit { glp_delete_prob(prob) }

    private static func apply(_ bound: LinearProgram.Bound, _ set: (Int32, Double, Double) -> Void) {
        switch bound {
        case .free: set(GLP_FR, 0, 0)
        case .lower(let lo): set(GLP_LO, lo, 0)
        case .upper(let hi): set(GLP_UP, 0, hi)
        case .range(let lo, let hi): lo == hi ? set(GLP_FX, lo, hi) : set(GLP_DB, lo, hi)
        case .fixed(let value): set(GLP_FX, value, value)
        }
    }

    /// Replaces the objective (minimised); columns not named get 0.
    public mutating func setObjective(_ coefficients: [(column: Int, value: Double)]) {
        for j in 0..<columnCount { glp_set_obj_coef(prob, Int32(j + 1), 0) }
        for (column, value) in coefficients {
            precondition(column >= 0 && column < columnCount, "objective column out of range")
            glp_set_obj_coef(prob, Int32(column + 1), value)
        }
    }

    /// Appends a row `bound` over `Σ value × column` and returns its 0-based index; the new
    /// row's auxiliary variable is basic, so a valid basis stays valid.
    @discardableResult
    public mutating func addRow(_ name: String, _ bound: LinearProgram.Bound, _ entries: [(column: Int, value: Double)]) -> Int {
        let row = glp_add_rows(prob, 1)
        rowCount += 1
        glp_set_row_name(prob, row, name)
        Self.apply(bound) { glp_set_row_bnds(prob, row, $0, $1, $2) }
        var ind: [Int32] = [0]
        var val: [Double] = [0]
        for (column, value) in entries {
            precondition(column >= 0 && column < columnCount, "row column out of range")
            ind.append(Int32(column + 1))
            val.append(value)
        }
        glp_set_mat_row(prob, row, Int32(entries.count), ind, val)
        return Int(row) - 1
    }

    /// Marks a column basic, or nonbasic at its lower bound (fixed: at its value; free:
    /// at zero; upper-bounded only: at its upper bound). A start basis for `solve`; GLPK
    /// refactorizes it, and rejects a singular one (`.error`).
    public mutating func setStatus(column: Int, basic: Bool) {
        precondition(column >= 0 && column < columnCount, "column out of range")
        let j = Int32(column + 1)
        glp_set_col_stat(prob, j, basic ? GLP_BS : Self.nonbasic(glp_get_col_type(prob, j)))
    }

    /// Marks a row's auxiliary variable basic, or nonbasic at its bound.
    public mutating func setStatus(row: Int, basic: Bool) {
        precondition(row >= 0 && row < rowCount, "row out of range")
        let i = Int32(row + 1)
        glp_set_row_stat(prob, i, basic ? GLP_BS : Self.nonbasic(glp_get_row_type(prob, i)))
    }

    /// A column's or row's place in the current basis (GLPK's `GLP_BS`, `GLP_NL`, …), to
    /// carry a basis over to a rebuilt problem with `setStatus(column:_:)`.
    public func status(column: Int) -> Int32 {
        precondition(column >= 0 && column < columnCount, "column out of range")
        return glp_get_col_stat(prob, Int32(column + 1))
    }

    public func status(row: Int) -> Int32 {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return glp_get_row_stat(prob, Int32(row + 1))
    }

    /// Sets a status read by `status(column:)` from a problem with the same column bounds.
    public mutating func setStatus(column: Int, _ status: Int32) {
        precondition(column >= 0 && column < columnCount, "column out of range")
        precondition((GLP_BS...GLP_NS).contains(status), "not a basis status")
        glp_set_col_stat(prob, Int32(column + 1), status)
    }

    public mutating func setStatus(row: Int, _ status: Int32) {
        precondition(row >= 0 && row < rowCount, "row out of range")
        precondition((GLP_BS...GLP_NS).contains(status), "not a basis status")
        glp_set_row_stat(prob, Int32(row + 1), status)
    }

    private static func nonbasic(_ type: Int32) -> Int32 {
        switch type {
        case GLP_FX: GLP_NS
        case GLP_FR: GLP_NF
        case GLP_UP: GLP_NU
        default: GLP_NL
        }
    }

    /// Which simplex runs: the primal one suits a new objective over a feasible basis, the
    /// dual one a basis that added rows made infeasible (it falls back to the primal).
    public enum Method: Sendable { case primal, dual }

    /// Simplex, continuing from the current basis (a cold start from the standard basis,
    /// or a warm start after a new objective, added rows or `setStatus`).
    /// `steepestEdge: false` prices by Dantzig's rule: more, but much cheaper, iterations
    /// on problems with dense rows.
    ///
    /// Never with GLPK's presolver: it takes a row that bounds a single column for redundant
    /// when its bound is within about 1e-3 of the column's own, and drops it. Step 1's
    /// aggregate LP (`X ≤ 80.0006` a product's need, `X ≤ 80` its work center's hours) then
    /// made all 80.0006, `B* = 0` instead of 0.0006, and step 2, capped at that `B*`, was
    /// infeasible: a phase 0.0006 units short of its ramp planned nothing.
    public mutating func solve(method: Method = .primal, steepestEdge: Bool = true) -> LPStatus {
        glp_term_out(GLP_OFF)
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        parm.meth = method == .primal ? GLP_PRIMAL : GLP_DUALP
        parm.presolve = GLP_OFF
        parm.pricing = steepestEdge ? GLP_PT_PSE : GLP_PT_STD
        let code = glp_simplex(prob, &parm)
        switch code {
        case 0: break
        case GLP_ENOPFS: return .infeasible
        case GLP_ENODFS: return .unbounded
        default: return .error(Int(code))
        }
        switch glp_get_status(prob) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS, GLP_INFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default: return .undefined
        }
    }

    public var objective: Double { glp_get_obj_val(prob) }

    public func value(column: Int) -> Double {
        precondition(column >= 0 && column < columnCount, "column out of range")
        return glp_get_col_prim(prob, Int32(column + 1))
    }

    /// Row dual in GLPK's sign convention (minimisation: a binding `<=` row is ≤ 0).
    public func dual(row: Int) -> Double {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return glp_get_row_dual(prob, Int32(row + 1))
    }

    /// The duals of `rows` (problem rows, -1 for one not in the problem: 0 there).
    public func duals(ofRows rows: [Int]) -> [Double] {
        rows.map { $0 >= 0 ? dual(row: $0) : 0 }
    }

    /// The values row `row`'s active bound may take while the current basis stays primal
    /// feasible, hence optimal (`glp_analyze_bound`): over that range the objective moves
    /// by the row's dual per unit. Nil when the row is basic, or the basis is not optimal
    /// and factorized (call right after an optimal `solve`).
    public func activeBoundRange(row: Int) -> ClosedRange<Double>? {
        precondition(row >= 0 && row < rowCount, "row out of range")
        let i = Int32(row + 1)
        // GLPK stops the process when asked about a basis that is not optimal.
        guard glp_get_status(prob) == GLP_OPT, glp_bf_exists(prob) != 0, glp_get_row_stat(prob, i) != GLP_BS else { return nil }
        var (low, high) = (0.0, 0.0)
        var (lowVar, highVar): (Int32, Int32) = (0, 0)
        glp_analyze_bound(prob, i, &low, &lowVar, &high, &highVar)
        return min(low, high)...max(low, high)
    }

    /// A row's activity (the value of its auxiliary variable).
    public func activity(row: Int) -> Double {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return glp_get_row_prim(prob, Int32(row + 1))
    }

    /// The upper bound of a `<=` row.
    public func upperBound(row: Int) -> Double {
        precondition(row >= 0 && row < rowCount, "row out of range")
        return glp_get_row_ub(prob, Int32(row + 1))
    }

    /// Moves the upper bound of a `<=` row (the basis is kept: `solve` goes on from it).
    public mutating func setUpperBound(row: Int, _ value: Double) {
        precondition(row >= 0 && row < rowCount, "row out of range")
        glp_set_row_bnds(prob, Int32(row + 1), GLP_UP, 0, value)
    }

    /// Writes the problem in CPLEX LP format; false on failure.
    public func writeLP(to path: String) -> Bool {
        glp_term_out(GLP_OFF)
        return glp_write_lp(prob, nil, path) == 0
    }

    /// Reads a CPLEX LP file and solves it; the objective, or nil when it cannot be read
    /// or solved to optimality (used to check written files).
    public static func solveLPFile(_ path: String) -> (status: LPStatus, objective: Double)? {
        glp_term_out(GLP_OFF)
        guard let p = glp_create_prob() else { return nil }
        defer { glp_delete_prob(p) }
        guard glp_read_lp(p, nil, path) == 0 else { return nil }
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = GLP_MSG_OFF
        // No presolver, as in `solve` (it drops near-redundant singleton rows).
        let code = glp_simplex(p, &parm)
        guard code == 0 else { return (.error(Int(code)), 0) }
        return (glp_get_status(p) == GLP_OPT ? .optimal : .undefined, glp_get_obj_val(p))
    }
}
