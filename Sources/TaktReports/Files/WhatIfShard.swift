import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// One shard of a what-if comparison (`takt whatif --shard I/K`): the runs it planned, at
/// their places among all the runs (base 0, then the scenarios in the order given), with
/// what `compare.csv` and `compare.html` need of each — so that `takt whatif merge` writes
/// the files one comparison of every run writes, byte for byte.
///
/// Behaviour:
/// - shard I of K plans the runs at places I−1, I−1+K, I−1+2K, …;
/// - its `summary.json` names the shard, the number of runs in all and, per run, its place,
///   name, folder, gate statuses, figures (each as Swift's shortest text that reads
///   back to the same number) and the product the cost and on-time figures are of.
public struct WhatIfShard: Sendable {
    public var index: Int
    public var count: Int
    /// How many runs the whole comparison has (base included).
    public var totalRuns: Int
    /// The shard's runs and their places, in place order.
    public var runs: [(place: Int, run: WhatIfRun)]
    /// What makes two shards parts of one comparison: the model's input files (their
    /// SHA-256s), every run's name in order, the scenario files' SHA-256s, and the options
    /// that shape the run folders.
    public var comparison: String

    public init(index: Int, count: Int, totalRuns: Int, runs: [(place: Int, run: WhatIfRun)], comparison: String) {
        (self.index, self.count, self.totalRuns, self.runs, self.comparison) = (index, count, totalRuns, runs, comparison)
    }

    /// `comparison` of a run of `model` with runs `names` (base first), the scenario files
    /// of digests `scenarios` (in order: two versions of one file under one name are two
    /// comparisons) and these options.
    public static func comparison(model: PlanningModel, names: [String], scenarios: [String] = [], writeLP: Bool,
                                  pegging: Bool) -> String {
        let inputs = model.inputDigests.keys.sorted().map { "\($0)=\(model.inputDigests[$0]!)" }
        return (["format=\(format)"] + inputs + ["runs=" + names.joined(separator: "/"), "scenarios=" + scenarios.joined(separator: "/"),
                                                 "write_lp=\(writeLP)", "pegging=\(pegging)"]).joined(separator: ";")
    }

    /// The shard format: raised whenever the figures a shard keeps change, so that shards
    /// of two takt versions never merge (2: the projection's late_units, gates_late and
    /// gate_days_late; 3: the product the cost and on-time figures are of).
    static let format = 3

    /// The places shard `index` of `count` plans among `total` runs.
    public static func places(index: Int, count: Int, total: Int) -> [Int] {
        Array(stride(from: index - 1, to: total, by: count))
    }

    /// The shard folder's `summary.json`.
    public func summary() -> [UInt8] {
        let json = JSONValue.object([
            ("takt_output", .string("whatif")),
            ("shard", .string("\(index)/\(count)")),
            ("runs_in_all", .integer(totalRuns)),
            ("comparison", .string(comparison)),
            ("whatif", .array(runs.map { place, run in
                .object([("place", .integer(place)), ("name", .string(run.name)), ("folder", .string(run.folder)),
                         ("changes", .string(run.changes)),
                         ("headline_product", run.figures.headlineProduct.map { .string($0) } ?? .null),
                         ("gates", .array(run.gates.map { .array([.string($0.gate), .string($0.status.rawValue), .string($0.forecast)]) })),
                         ("figures", .object(zip(WhatIf.compareColumns.dropFirst(), WhatIf.values(run.figures)).map { column, value in
                             (column, value.map { .string("\($0)") } ?? .null)
                         }))])
            })),
        ])
        return Array(json.rendered().utf8)
    }

    /// A shard's `summary.json` read back; nil when it is not one.
    public static func read(_ bytes: [UInt8]) -> WhatIfShard? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              root["takt_output"] as? String == "whatif", let shard = root["shard"] as? String,
              let total = root["runs_in_all"] as? Int, let comparison = root["comparison"] as? String,
              let entries = root["whatif"] as? [[String: Any]] else { return nil }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
        var runs: [(place: Int, run: WhatIfRun)] = []
        for entry in entries {
            guard let place = entry["place"] as? Int, let name = entry["name"] as? String,
                  let folder = entry["folder"] as? String, !folder.isEmpty, !folder.contains("/"), folder != "..", folder != ".",
                  let gates = entry["gates"] as? [[String]],
                  let figures = entry["figures"] as? [String: Any] else { return nil }
            var statuses: [(gate: String, status: GateStatus, forecast: String)] = []
            for entry in gates {
                guard entry.count == 3, let status = GateStatus(rawValue: entry[1]) else { return nil }
                statuses.append((entry[0], status, entry[2]))
            }
            var values: [Double?] = []
            for column in WhatIf.compareColumns.dropFirst() {
                if figures[column] is NSNull { values.append(nil); continue }
                guard let text = figures[column] as? String, let value = Double(text) else { return nil }
                values.append(value)
            }
            guard var read = WhatIf.figures(values) else { return nil }
            read.headlineProduct = entry["headline_product"] as? String
            runs.append((place, WhatIfRun(name: name, folder: folder, figures: read, warnings: [], gates: statuses,
                                          changes: entry["changes"] as? String ?? "")))
        }
        return WhatIfShard(index: parts[0], count: parts[1], totalRuns: total, runs: runs, comparison: comparison)
    }
}

extension WhatIf {
    /// `values` read back into figures (nil when a whole-number figure is not one).
    static func figures(_ v: [Double?]) -> RunFigures? {
        guard v.count == compareColumns.count - 1 else { return nil }
        func whole(_ k: Int) -> Int? { v[k].flatMap { $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil } }
        guard let orders = whole(0), let purchase = v[1], let pastDue = whole(2), let shortage = v[3],
              let backlog = v[4], let overtime = v[5], let objective = v[6], let go = whole(7), let atRisk = whole(8),
              let noGo = whole(9), let level3 = whole(10), let late = v[13], let gatesLate = whole(14),
              let daysLate = whole(15) else { return nil }
        return RunFigures(plannedOrders: orders, purchaseAmount: purchase, pastDue: pastDue, shortageQty: shortage,
                          backlogUnits: backlog, overtimeHours: overtime, lpObjective: objective, gatesGo: go,
                          gatesAtRisk: atRisk, gatesNoGo: noGo, risksLevel3: level3, costPerUnit: v[11],
                          onTimeDeliveryPct: v[12], lateUnits: late, gatesLate: gatesLate, gateDaysLate: daysLate)
    }

    /// Why `shards` are not the shards of one comparison (counts or run totals differ, a
    /// shard given twice or missing, a place planned twice or not at all); nil when they are.
    public static func mergeProblem(_ shards: [WhatIfShard], folders: [String]) -> String? {
        let first = shards[0]
        var seen = Set<Int>(), places = Set<Int>()
        for (shard, folder) in zip(shards, folders) {
            guard shard.count == first.count, shard.totalRuns == first.totalRuns, shard.comparison == first.comparison else {
                return "\(folder): not a shard of the same comparison as \(folders[0]) (model files, scenarios and their order, --write-lp/--pegging or the shard count differ)"
            }
            guard seen.insert(shard.index).inserted else { return "\(folder): shard \(shard.index)/\(shard.count) given twice" }
            let expected = WhatIfShard.places(index: shard.index, count: shard.count, total: shard.totalRuns)
            guard shard.runs.map(\.place) == expected else {
                return "\(folder): shard \(shard.index)/\(shard.count) does not hold runs \(expected.map(String.init).joined(separator: ", "))"
            }
            places.formUnion(expected)
        }
        if seen.count != first.count {
            let missing = (1...first.count).filter { !seen.contains($0) }.map { "\($0)/\(first.count)" }
            return "missing shard\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
        }
        let runs = shards.flatMap(\.runs).sorted { $0.place < $1.place }
        guard runs.first?.run.name == "base" else { return "the merged runs do not start with the base run" }
        let folderNames = runs.map(\.run.folder)
        guard Set(folderNames).count == folderNames.count else { return "two runs of the shards have the same folder" }
        return nil
    }
}
