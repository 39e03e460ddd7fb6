import TaktModel
import TaktInput

/// Everything one planning run produced (contract §4's files are rendered from it).
/// Pegging is not kept: it is computed while `pegging.csv` is written (`Pegging.walk`).
public struct PlanResult: Sendable {
    public var model: PlanningModel
    /// The capacity LPs' master schedule (§2a) and the weekly flows it balances.
    public var mps: MasterSchedule
    public var mrp: MRPResult
    public var capacity: [PhaseCapacity]
    /// What will actually arrive (§2d): deliveries, projected order arrivals, shortages.
    public var projection: Projection
    public var gates: [GateResult]
    public var risks: RiskList
    /// With a history: for each risk that carries on last week's risk under a new id (its
    /// date moved, `EscalationTracker.redated`), last week's id, by index in `risks`.
    public var carriedFrom: [Int: String] = [:]
    /// Projected KPIs, cost roll-up and inventory value (`kpis.csv`).
    public var kpis: KPIReport
    /// With `takt plan --simulate N`: the Monte Carlo counts of each gate (§2e), for its
    /// confidence in gates.json, the report and the history; nil otherwise.
    public var confidence: SimulationTally?
    /// Stage name → milliseconds, in run order.
    public var timings: [(stage: String, milliseconds: Double)]
    /// The key figures, worked out once by `Planner.decide`.
    package var computedFigures: RunFigures?

    package init(model: PlanningModel, mps: MasterSchedule, mrp: MRPResult, capacity: [PhaseCapacity], projection: Projection, gates: [GateResult], risks: RiskList, kpis: KPIReport, timings: [(stage: String, milliseconds: Double)], computedFigures: RunFigures? = nil) {
        self.model = model
        self.mps = mps
        self.mrp = mrp
        self.capacity = capacity
        self.projection = projection
        self.gates = gates
        self.risks = risks
        self.kpis = kpis
        self.timings = timings
        self.computedFigures = computedFigures
    }

    public var warnings: [Warning] { mrp.warnings }
    /// The key figures of the run (`summary.json`, `compare.csv`, the history).
    public var figures: RunFigures { computedFigures ?? RunFigures(self) }
}
