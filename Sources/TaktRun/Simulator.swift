import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// `takt simulate` (contract §2e): plans once — the LPs, the master schedule, the MRP —
/// then repeats only the projection once per sample with supply late at random
/// (`LatenessDraws`), and counts each gate's forecast and the cause of its phase's
/// latest delivery (`GateSampling`).
///
/// Behaviour:
/// - samples are numbered 1…N; a shard `I/K` runs samples I, I+K, I+2K, …;
/// - the samples are spread over every core in contiguous runs, each with its own pass;
///   the runs' counts are added up, so the tally does not depend on the cores.
public enum Simulator {
    /// The most samples a run may ask for: 10^12 (at about a millisecond a sample, decades
    /// on a large machine). Below it no count the run works out overflows: the samples'
    /// split among the cores (`count × core`) nor the percentiles (`seen × denominator`).
    public static let largestSampleCount = 1_000_000_000_000

    /// The samples of shard `index` (1-based) of `count` among `samples`.
    public static func samples(_ samples: Int, shard: (index: Int, count: Int)) -> SampleNumbers {
        SampleNumbers(from: shard.index, through: samples, by: shard.count)
    }

    /// Runs the samples `numbers` of `model` with `seed`.
    public static func run<Numbers: RandomAccessCollection & Sendable>(_ model: PlanningModel, samples numbers: Numbers,
                                                                        seed: UInt64) -> SimulationTally
        where Numbers.Element == Int {
        Progress.shared.report("planning", share: 0)
        let material = Planner.material(model, keepLP: false)
        let (schedule, mrp) = (material.schedule, material.mrp)
        return run(ProjectionPlan(model: model, mrp: mrp, mps: schedule), samples: numbers, seed: seed)
    }

    /// Runs the samples `numbers` of a plan already made (`takt plan --simulate`).
    public static func run<Numbers: RandomAccessCollection & Sendable>(_ projectionPlan: ProjectionPlan, samples numbers: Numbers,
                                                                        seed: UInt64) -> SimulationTally
        where Numbers.Element == Int {
        let plan = projectionPlan.cachingRows()
        let draws = LatenessDraws(plan: plan, seed: seed)
        let sampling = GateSampling(plan: plan)
        let cores = max(1, min(Cores.available, numbers.count))
        let done = SampleCounter(total: numbers.count)
        let tallies = CoreWorkers().map(cores) { core -> SimulationTally in
            let part = numbers[numbers.index(numbers.startIndex, offsetBy: numbers.count * core / cores)
                               ..< numbers.index(numbers.startIndex, offsetBy: numbers.count * (core + 1) / cores)]
            var tally = sampling.emptyTally()
            var pass = ProjectionPass(plan: plan)
            for sample in part {
                pass.run(sample: sample, draws: draws)
                sampling.count(pass, into: &tally)
                done.finishedOne()
            }
            return tally
        }
        var total = sampling.emptyTally()
        for tally in tallies { total.add(tally) }
        return total
    }
}

/// Samples done, for the progress display.
private final class SampleCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int

    init(total: Int) { self.total = total }

    func finishedOne() {
        lock.lock()
        done += 1
        let share = Double(done) / Double(max(1, total))
        let text = "\(done) of \(total) samples"
        lock.unlock()
        Progress.shared.report(text, share: share)
    }
}
