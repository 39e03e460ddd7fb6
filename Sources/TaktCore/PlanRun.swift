import Foundation

/// Everything one planning run produced (contract §4's files are rendered from it).
/// Pegging is not kept: it is computed while `pegging.csv` is written (`Pegging.walk`).
public struct PlanResult: Sendable {
    public var model: PlanningModel
    public var mrp: MRPResult
    public var capacity: [PhaseCapacity]
    public var gates: [GateResult]
    public var risks: [Risk]
    /// Stage name → milliseconds, in run order.
    public var timings: [(stage: String, milliseconds: Double)]

    public var warnings: [Warning] { mrp.warnings }
}

/// The whole run: MRP, one capacity LP per phase, gates and risks.
public enum Planner {
    /// Plans `model`. With `writeLPTo`, each phase's second-step LP is written there as
    /// `PHASE.lp` (the folder must exist).
    public static func run(_ model: PlanningModel, writeLPTo lpFolder: String? = nil) -> PlanResult {
        let (mrp, mrpMs) = timed { MRPEngine(model: model).run() }
        return decide(model, mrp: mrp, writeLPTo: lpFolder, timings: [("mrp", mrpMs)])
    }

    /// `run` with the capacity LPs, gates and risks on a second core while `meanwhile`
    /// runs on this one with the MRP result (`takt plan` pegs and writes `pegging.csv`
    /// there, which nothing after the MRP needs). GLPK stays on one thread, as it must.
    public static func run<T>(_ model: PlanningModel, writeLPTo lpFolder: String? = nil,
                              meanwhile: (MRPResult) throws -> T) rethrows -> (PlanResult, T) {
        let (mrp, mrpMs) = timed { MRPEngine(model: model).run() }
        let slot = ConcurrentSlots<PlanResult>(count: 1)
        let done = DispatchGroup()
        // A queue of its own (it gets a thread even when every pooled one waits, as in
        // `takt whatif`, where the runs themselves fill the pool).
        DispatchQueue(label: "takt.plan.decide").async(group: done) {
            slot.set(0, decide(model, mrp: mrp, writeLPTo: lpFolder, timings: [("mrp", mrpMs)]))
        }
        defer { done.wait() }
        let value = try meanwhile(mrp)
        done.wait()
        return (slot.values[0]!, value)
    }

    static func decide(_ model: PlanningModel, mrp: MRPResult, writeLPTo lpFolder: String?,
                       timings start: [(String, Double)]) -> PlanResult {
        var timings = start
        func stage<T>(_ name: String, _ body: () -> T) -> T {
            let (value, ms) = timed(body)
            timings.append((name, ms))
            return value
        }
        let capacity = stage("capacity") { CapacityPlanner(model: model).run(writeLPTo: lpFolder) }
        let gates = stage("gates") { GateEvaluator(model: model, mrp: mrp, capacity: capacity).evaluate() }
        let risks = stage("risks") { RiskRegister(model: model, mrp: mrp, capacity: capacity, gates: gates).build() }
        return PlanResult(model: model, mrp: mrp, capacity: capacity, gates: gates, risks: risks, timings: timings)
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock.now
        let value = try body()
        return (value, (ContinuousClock.now - clock).milliseconds)
    }
}
