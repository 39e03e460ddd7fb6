/// Everything one planning run produced (contract §4's files are rendered from it).
public struct PlanResult: Sendable {
    public var model: PlanningModel
    public var mrp: MRPResult
    public var pegging: PeggingResult
    public var capacity: [PhaseCapacity]
    public var gates: [GateResult]
    public var risks: [Risk]
    /// Stage name → milliseconds, in run order.
    public var timings: [(stage: String, milliseconds: Double)]

    public var warnings: [Warning] { mrp.warnings }
}

/// The whole run: MRP, pegging, one capacity LP per phase, gates and risks.
public enum Planner {
    /// Plans `model`. With `writeLPTo`, each phase's second-step LP is written there as
    /// `PHASE.lp` (the folder must exist).
    public static func run(_ model: PlanningModel, writeLPTo lpFolder: String? = nil) -> PlanResult {
        var timings: [(String, Double)] = []
        func timed<T>(_ stage: String, _ body: () -> T) -> T {
            let clock = ContinuousClock.now
            let value = body()
            let elapsed = ContinuousClock.now - clock
            timings.append((stage, elapsed.milliseconds))
            return value
        }
        let mrp = timed("mrp") { MRPEngine(model: model).run() }
        let pegging = timed("pegging") { Pegging.run(model: model, mrp: mrp) }
        let capacity = timed("capacity") { CapacityPlanner(model: model).run(writeLPTo: lpFolder) }
        let gates = timed("gates") { GateEvaluator(model: model, mrp: mrp, capacity: capacity).evaluate() }
        let risks = timed("risks") { RiskRegister(model: model, mrp: mrp, capacity: capacity, gates: gates).build() }
        return PlanResult(model: model, mrp: mrp, pegging: pegging, capacity: capacity, gates: gates,
                          risks: risks, timings: timings)
    }
}
