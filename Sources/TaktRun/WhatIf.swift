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
    /// With `places`, only the runs at those places (0 the base, then the scenarios; `takt
    /// whatif --shard`), each in the folder it has in the whole comparison.
    public static func run(base: PlanningModel, scenarios: [Scenario], writeLP: Bool, pegging: Bool = false,
                           previous: PreviousRun? = nil, places: [Int]? = nil, into folder: String) throws -> [WhatIfRun] {
        let names = ["base"] + scenarios.map(\.name)
        let allFolders = folderNames(names)
        let chosen = places ?? Array(names.indices)
        let models = chosen.map { k in (names[k], k == 0 ? base : scenarios[k - 1].apply(to: base)) }
        let folders = chosen.map { allFolders[$0] }
        let slots = ConcurrentSlots<Result<WhatIfRun, Error>>(count: models.count)
        CoreWorkers().forEach(models.count) { k in
            do {
                var sink = FolderSink(folder: folder + "/" + folders[k])
                try sink.makeFolder()
                let last = chosen[k] == 0 ? previous : nil
                // The runs side by side fill the cores already: no extra purchase-file helpers.
                let result = try Planner.plan(models[k].1, writeLP: writeLP, pegging: pegging, previous: last, simulate: nil,
                                              into: &sink, helpers: 0)
                slots.set(k, .success(WhatIfRun(name: models[k].0, folder: folders[k], figures: result.figures,
                                                warnings: result.warnings, gates: result.gates.map { ($0.gate, $0.status, $0.forecast?.description ?? "open") },
                                                result: last != nil ? result : nil,
                                                changes: chosen[k] == 0 ? "" : scenarios[chosen[k] - 1].changes(in: base))))
                Progress.shared.runFinished(of: models.count)
            } catch {
                slots.set(k, .failure(error))
            }
        }
        return try slots.values.map { try $0!.get() }
    }
}
