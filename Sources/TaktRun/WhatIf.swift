import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports

/// Plans the base and each scenario (contract §3 `takt whatif`).
///
/// Behaviour:
/// - runs go in parallel on the available cores; each works on its own copy of the
///   model (copy-on-write), so results do not depend on the number of threads;
/// - runs keep the order given: `base` first, then the scenarios;
/// - each run's files are written to `folder/<run folder>/` as they are rendered
///   (`pegging.csv` only with `pegging`: no figure of `compare.csv` depends on it).
extension WhatIf {
    /// With `previous` (last week's run, from a history), the base run reports against it
    /// and keeps its whole plan in `result`.
    public static func run(base: PlanningModel, scenarios: [Scenario], writeLP: Bool, pegging: Bool = false,
                           previous: PreviousRun? = nil, into folder: String) throws -> [WhatIfRun] {
        let models = [("base", base)] + scenarios.map { ($0.name, $0.apply(to: base)) }
        let folders = folderNames(models.map(\.0))
        let slots = ConcurrentSlots<Result<WhatIfRun, Error>>(count: models.count)
        DispatchQueue.concurrentPerform(iterations: models.count) { k in
            do {
                var sink = FolderSink(folder: folder + "/" + folders[k])
                try sink.makeFolder()
                let last = k == 0 ? previous : nil
                let result = try Planner.plan(models[k].1, writeLP: writeLP, pegging: pegging, previous: last, into: &sink)
                slots.set(k, .success(WhatIfRun(name: models[k].0, folder: folders[k], figures: result.figures,
                                                warnings: result.warnings, gates: result.gates.map { ($0.gate, $0.status) },
                                                result: last != nil ? result : nil)))
                Progress.shared.runFinished(of: models.count)
            } catch {
                slots.set(k, .failure(error))
            }
        }
        return try slots.values.map { try $0!.get() }
    }
}
