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
        let (mrp, mrpMs) = timed { MRPEngine(model: model).run(record: false) }
        let (capacity, capacityMs) = timed { CapacityPlanner(model: model).run(writeLPTo: lpFolder) }
        return decide(model, mrp: mrp, capacity: capacity, nameRank: model.items.nameRank(),
                      timings: [("mrp", mrpMs), ("capacity", capacityMs)])
    }

    /// `run` on two cores: the items' name order and the capacity LPs (which need only the
    /// model) are made on a second core beside the MRP, and gates and risks follow them
    /// there once the MRP is done, while `meanwhile` runs on this core with the MRP result
    /// and the name order (`takt plan` pegs and writes the material files there, which
    /// nothing after the MRP needs). GLPK stays on one thread, as it must.
    public static func run<T>(_ model: PlanningModel, writeLPTo lpFolder: String? = nil,
                              meanwhile: (MRPResult, ContiguousArray<Int>) throws -> T) rethrows -> (PlanResult, T) {
        let mrpSlot = ConcurrentSlots<(MRPResult, Double)>(count: 1)
        let mrpDone = DispatchSemaphore(value: 0)
        let rankSlot = ConcurrentSlots<ContiguousArray<Int>>(count: 1)
        let rankDone = DispatchSemaphore(value: 0)
        let slot = ConcurrentSlots<PlanResult>(count: 1)
        let done = DispatchGroup()
        // A queue of its own (it gets a thread even when every pooled one waits, as in
        // `takt whatif`, where the runs themselves fill the pool).
        DispatchQueue(label: "takt.plan.decide").async(group: done) {
            let rank = model.items.nameRank()
            rankSlot.set(0, rank)
            rankDone.signal()
            let (capacity, capacityMs) = timed { CapacityPlanner(model: model).run(writeLPTo: lpFolder) }
            Trace.mark("capacity done")
            mrpDone.wait()
            let (mrp, mrpMs) = mrpSlot.values[0]!
            slot.set(0, decide(model, mrp: mrp, capacity: capacity, nameRank: rank,
                               timings: [("mrp", mrpMs), ("capacity", capacityMs)]))
        }
        defer { done.wait() }
        Trace.mark("mrp start")
        let (mrp, mrpMs) = timed { MRPEngine(model: model).run(record: false) }
        mrpSlot.set(0, (mrp, mrpMs))
        mrpDone.signal()
        Trace.mark("mrp done")
        rankDone.wait()
        let value = try meanwhile(mrp, rankSlot.values[0]!)
        Trace.mark("meanwhile done")
        done.wait()
        Trace.mark("decide joined")
        return (slot.values[0]!, value)
    }

    /// Gates and risks, from the MRP and the capacity LPs.
    static func decide(_ model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], nameRank: ContiguousArray<Int>,
                       timings start: [(String, Double)]) -> PlanResult {
        var timings = start
        func stage<T>(_ name: String, _ body: () -> T) -> T {
            let (value, ms) = timed(body)
            timings.append((name, ms))
            return value
        }
        let gates = stage("gates") { GateEvaluator(model: model, mrp: mrp, capacity: capacity, nameRank: nameRank).evaluate() }
        Trace.mark("gates done")
        let risks = stage("risks") {
            RiskRegister(model: model, mrp: mrp, capacity: capacity, gates: gates, nameRank: nameRank).build()
        }
        Trace.mark("risks done")
        return PlanResult(model: model, mrp: mrp, capacity: capacity, gates: gates, risks: risks, timings: timings)
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let clock = ContinuousClock.now
        let value = try body()
        return (value, (ContinuousClock.now - clock).milliseconds)
    }
}
