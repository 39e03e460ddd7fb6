import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports

/// The whole run, in one direction: the capacity LPs (one per phase) → the master
/// schedule → MRP (exploding it) → the load check of the MRP orders → the projection of
/// what will arrive → gates, KPIs and risks. The output files are rendered from the
/// result (`PlanOutputs`).
public enum Planner {
    /// Plans `model`. With `keepLP`, each phase keeps its second-step LP
    /// (`PhaseCapacity.lp`); with `record`, the MRP keeps every item's time-phased record
    /// (`takt record`).
    public static func run(_ model: PlanningModel, keepLP: Bool = false, record: Bool = false,
                           previous: PreviousRun? = nil) -> PlanResult {
        let material = material(model, keepLP: keepLP, record: record, kpiCosts: true)
        let (schedule, mrp, capacity, unitCosts) = (material.schedule, material.mrp, material.capacity, material.unitCosts)
        var timings = material.timings
        let rank = model.items.nameRank()
        let (projection, projectionMs) = timed { project(model, mps: schedule, mrp: mrp, nameRank: rank) }
        timings.append(("projection", projectionMs))
        return decide(model, mps: schedule, mrp: mrp, capacity: capacity, projection: projection, nameRank: rank,
                      timings: timings, previous: previous, unitCosts: unitCosts)
    }

    /// The material plan alone — the LPs, the master schedule and the MRP (with its record
    /// when asked) — without gates, risks or files: what `takt record` needs.
    /// With `recordOf`, only that item's record is kept.
    public static func materialPlan(_ model: PlanningModel, record: Bool = false, recordOf item: Int? = nil)
        -> (mps: MasterSchedule, mrp: MRPResult) {
        let material = material(model, keepLP: false, record: record, recordOf: item)
        return (material.schedule, material.mrp)
    }

    /// The phase LPs alone (`takt cost`: a phase's overtime per unit).
    public static func capacity(_ model: PlanningModel) -> [PhaseCapacity] {
        var planner = CapacityPlanner(model: model)
        planner.workers = CoreWorkers()
        return planner.run(flows: planner.weeklyFlows())
    }

    /// The LPs, the master schedule, the MRP and its load check, on this thread (GLPK stays
    /// on one thread, as it must). With `kpiCosts`, also the KPIs' unit costs
    /// (`KPIReport.unitCostsByEpoch`), made on the second core: `decide` waits for them.
    /// With `projectionRank` (the items' name order, when it comes), the projection's plan
    /// is made there too, beside the load check (`Material.projectionPlan`).
    static func material(_ model: PlanningModel, keepLP: Bool, record: Bool = false, recordOf item: Int? = nil,
                         kpiCosts: Bool = false,
                         projectionRank: (@Sendable () -> ContiguousArray<Int>)? = nil) -> Material {
        Progress.shared.report("solving the capacity LPs", share: 0.3)
        // What the MRP needs of the model alone (the stock valuation, suppliers, lead times,
        // receipts by item, the model's warnings) is made on a second core while GLPK
        // solves on this one.
        let lane = DispatchQueue.lane("mrp.inputs")
        let prepared = Pending(on: lane) {
            // The suppliers are chosen once, for the MRP, the valuation and the KPIs' costs.
            let inputs = MRPEngine(model: model).inputs()
            let rollup = CostRollup(model: model, chosen: inputs.chosen)
            return (rollup.valuation(on: model.plan.start), inputs, rollup)
        }
        // The KPIs' unit costs, after what the MRP waits for (the same lane).
        let unitCosts = kpiCosts ? Pending(on: lane) { KPIReport.unitCostsByEpoch(prepared.value.2) } : nil
        var planner = CapacityPlanner(model: model)
        planner.workers = CoreWorkers()
        let flows = planner.weeklyFlows()
        var (capacity, capacityMs) = timed { planner.run(flows: flows, keepLP: keepLP) }
        Trace.mark("capacity done")
        let schedule = MasterSchedule(model: model, capacity: capacity, flows: flows, weekly: planner.calendar)
        Progress.shared.report("MRP", share: 0.5)
        let (valuation, inputs, _) = prepared.value
        var (mrp, mrpMs) = timed {
            var engine = MRPEngine(model: model, mps: schedule, valuation: valuation)
            engine.workers = CoreWorkers(pinned: true)
            return engine.run(record: record, onlyItem: item, inputs: inputs)
        }
        Trace.mark("mrp done")
        // The load check on this core (the make items' orders) and beside it the no-source
        // exceptions (the orders of items with no source).
        let planned = mrp
        let beside = Pending(on: .lane("mrp.after")) { NoSource.exceptions(model: model, mrp: planned) }
        // The projection reads none of the exceptions appended below (overloads, no source):
        // its plan may be made from the MRP's result as it stands.
        let projectionPlan = projectionRank.map { rank in
            Pending(on: .lane("projection.plan")) { ProjectionPlan(model: model, mrp: planned, mps: schedule, nameRank: rank()) }
        }
        let (overloads, loadMs) = timed { MRPLoad.check(model: model, mrp: mrp, weekly: schedule.weekly, capacity: &capacity) }
        let sourceless = beside.value
        // Room for exactly these: appending to the MRP's exact-sized array would double it.
        mrp.exceptions.reserveCapacity(mrp.exceptions.count + overloads.count + sourceless.count)
        mrp.exceptions.append(contentsOf: overloads)
        mrp.exceptions.append(contentsOf: sourceless)
        return Material(schedule: schedule, mrp: mrp, capacity: capacity,
                        timings: [("capacity", capacityMs), ("mrp", mrpMs), ("mrp load check", loadMs)], unitCosts: unitCosts,
                        overflow: mrp.firstOverflowingOrder.map { mrp.orders[$0].item }, projectionPlan: projectionPlan)
    }

    /// What `material` makes.
    struct Material {
        var schedule: MasterSchedule
        var mrp: MRPResult
        var capacity: [PhaseCapacity]
        var timings: [(String, Double)]
        /// The KPIs' unit costs, when asked for.
        var unitCosts: Pending<[Int: [Int: CostRollup.UnitCost]]>?
        /// The item of the first order whose quantities overflow to infinity (qty_per,
        /// scrap and yield compound through the BOM above it), nil when none does.
        var overflow: Int?
        /// The projection's plan, when asked for (`projectionRank`).
        var projectionPlan: Pending<ProjectionPlan>?
    }

    /// What will actually arrive with the plan as decided (§2d).
    /// `nameRank`: the items' name order when already made.
    public static func project(_ model: PlanningModel, mps: MasterSchedule, mrp: MRPResult,
                               nameRank: ContiguousArray<Int>? = nil) -> Projection {
        Projection(ProjectionPlan(model: model, mrp: mrp, mps: mps, nameRank: nameRank), workers: CoreWorkers())
    }

    /// Gates, KPIs and risks, from the MRP, the capacity LPs and the projection.
    static func decide(_ model: PlanningModel, mps: MasterSchedule, mrp: MRPResult, capacity: [PhaseCapacity],
                       projection: Projection, nameRank: ContiguousArray<Int>, timings start: [(String, Double)],
                       previous: PreviousRun? = nil,
                       unitCosts: Pending<[Int: [Int: CostRollup.UnitCost]]>? = nil) -> PlanResult {
        var timings = start
        func stage<T>(_ name: String, _ body: () -> T) -> T {
            let (value, ms) = timed(body)
            timings.append((name, ms))
            return value
        }
        var gates = stage("gates") {
            GateEvaluator(model: model, mrp: mrp, capacity: capacity, projection: projection, nameRank: nameRank).evaluate()
        }
        Trace.mark("gates done")
        let kpis = stage("kpis") {
            KPIReport(model: model, mps: mps, mrp: mrp, capacity: capacity, projection: projection, unitCosts: unitCosts?.value)
        }
        Trace.mark("kpis computed")
        // The KPI criteria join the gates; then the forecasts and the risks see every criterion.
        kpis.addCriteria(to: &gates, model: model)
        GateForecast(model: model, projection: projection, calendar: mrp.calendar).apply(to: &gates)
        Trace.mark("gate forecasts done")
        // The KPI risks merge in place, into room the register leaves for them.
        let kpiRisks = kpis.kpiRisks(gates: gates, model: model)
        var risks = stage("risks") {
            RiskRegister(model: model, mrp: mrp, capacity: capacity, gates: gates, projection: projection, nameRank: nameRank)
                .build(reserving: kpiRisks.count)
        }
        KPIReport.merge(kpiRisks, into: &risks)
        var carried: [Int: String] = [:]
        if let previous, previous.trail != nil {
            carried = EscalationTracker.apply(to: &risks, previous: previous.riskStates, plan: model.plan,
                                              responseDue: EscalationTracker.responseDue(model.decisions, start: model.plan.start))
        }
        Trace.mark("risks done")
        var result = PlanResult(model: model, mps: mps, mrp: mrp, capacity: capacity, projection: projection, gates: gates,
                                risks: risks, kpis: kpis, timings: timings)
        result.carriedFrom = carried
        result.computedFigures = RunFigures(result)
        return result
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        try Stopwatch.time(body)
    }
}
