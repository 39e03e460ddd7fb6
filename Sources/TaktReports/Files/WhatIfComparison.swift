import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// One planned run of a what-if comparison: what the comparison needs of it (its files
/// went to its folder and its planning state is dropped, so that a comparison of many
/// large runs holds only the runs in progress).
public struct WhatIfRun: Sendable {
    public var name: String
    /// The run's folder under the output folder.
    public var folder: String
    public var figures: RunFigures
    public var warnings: [Warning]
    /// Each gate's status and forecast date (`open` when none), in plan order.
    public var gates: [(gate: String, status: GateStatus, forecast: String)] = []
    /// The whole plan of the base run, when asked for (to record it in a history).
    public var result: PlanResult?
    /// What the run changes against base, in words (`Scenario.changes`); empty for base.
    public var changes: String = ""

    package init(name: String, folder: String, figures: RunFigures, warnings: [Warning], gates: [(gate: String, status: GateStatus, forecast: String)] = [],
                 result: PlanResult? = nil, changes: String = "") {
        self.changes = changes
        self.name = name
        self.folder = folder
        self.figures = figures
        self.warnings = warnings
        self.gates = gates
        self.result = result
    }
}

/// A what-if comparison (contract §3 `takt whatif`): the run folders' names, `compare.csv`,
/// the comparison table and the top folder's `summary.json`. The runs themselves are
/// planned by `WhatIf.run` (TaktRun).
public enum WhatIf {
    /// Problems with the scenarios' names as run folders: a name that is `base` or one of
    /// the files `whatif` writes beside the runs, or two scenarios whose folders would be
    /// the same. Each names the file(s) it comes from. Folders are compared ignoring case
    /// (`FileNames.key`): on a file system that ignores it, `Late` and `late` are one folder.
    public static func nameProblems(_ scenarios: [Scenario]) -> [String] {
        let reserved = ["base", "compare.csv", "compare.html", "summary.json"]
        var problems: [String] = []
        var seen: [String: String] = [:]
        for scenario in scenarios {
            let folder = FileNames.key(FileNames.stem(scenario.name))
            if reserved.contains(folder) || reserved.contains(FileNames.key(scenario.name)) {
                problems.append("\(scenario.file):\(scenario.nameLine): scenario name \"\(scenario.name)\" is taken by whatif's own output (base, compare.csv, compare.html, summary.json)")
            } else if let first = seen[folder] {
                problems.append("\(scenario.file):\(scenario.nameLine): scenario name \"\(scenario.name)\" gives the same run folder as \(first)")
            } else {
                seen[folder] = scenario.file
            }
        }
        return problems
    }

    /// Folder names of the runs: the scenario names as `FileNames.stem` writes them, unique ignoring case.
    public static func folderNames(_ names: [String]) -> [String] {
        FileNames.unique(names) { stem, n in stem + String(repeating: "_", count: n - 1) }
    }

    public static let compareColumns = ["scenario", "planned_orders", "purchase_amount", "past_due", "shortage_qty",
                                        "backlog_units", "overtime_hours", "lp_objective", "gates_go",
                                        "gates_at_risk", "gates_no_go", "risks_level3", "cost_per_unit",
                                        "on_time_delivery_pct", "late_units", "gates_late", "gate_days_late"]

    /// The figures of `compare.csv` in column order; nil where a run has nothing to
    /// measure (a cost without products).
    static func values(_ f: RunFigures) -> [Double?] {
        [Double(f.plannedOrders), f.purchaseAmount, Double(f.pastDue), f.shortageQty, f.backlogUnits,
         f.overtimeHours, f.lpObjective, Double(f.gatesGo), Double(f.gatesAtRisk), Double(f.gatesNoGo),
         Double(f.risksLevel3), f.costPerUnit, f.onTimeDeliveryPct, f.lateUnits, Double(f.gatesLate), Double(f.gateDaysLate)]
    }

    /// `compare.csv`: a row per run, base first.
    public static func compareCSV(_ runs: [WhatIfRun]) -> [UInt8] {
        var csv = CSVWriter(header: compareColumns)
        for run in runs {
            csv.field(run.name)
            for value in values(run.figures) {
                if let value { csv.field(value) } else { csv.field("") }
            }
            csv.endRow()
        }
        return csv.bytes
    }

    /// The top folder's `summary.json`: the runs and their folders (it also marks the
    /// folder as Takt's own, so that a later run may replace it).
    public static func summary(_ runs: [WhatIfRun]) -> [UInt8] {
        let json = JSONValue.object([
            ("takt_output", .string("whatif")),
            ("whatif", .array(runs.map { run in
                .object([("name", .string(run.name)), ("folder", .string(run.folder))])
            })),
        ])
        return Array(json.rendered().utf8)
    }

    /// The gates of all runs, in the order they first appear.
    public static func gateNames(_ runs: [WhatIfRun]) -> [String] {
        var names: [String] = []
        for run in runs { for gate in run.gates where !names.contains(gate.gate) { names.append(gate.gate) } }
        return names
    }

    /// A run's forecast date of gate `name` (`open` when none), or nil when its plan has no
    /// such gate.
    public static func gateForecast(_ run: WhatIfRun, _ name: String) -> String? {
        run.gates.first { $0.gate == name }?.forecast
    }

    /// A run's status of gate `name`, or nil when its plan has no such gate.
    public static func gateStatus(_ run: WhatIfRun, _ name: String) -> String? {
        run.gates.first { $0.gate == name }?.status.rawValue
    }

    /// What differs in `run`'s gates from base's, one line a gate: `Gate 2: forecast
    /// 2027-05-31 → 2027-06-07 (+7 days)`, `Gate 3: at_risk → no_go`; with whether it is
    /// better (+1: an earlier forecast, a better status), worse (-1) or both (0).
    public static func gateChanges(_ run: WhatIfRun, base: WhatIfRun) -> [(text: String, verdict: Int)] {
        let rank = ["go": 0, "at_risk": 1, "no_go": 2]
        return gateNames([base, run]).compactMap { name in
            var parts: [String] = []
            var better = false, worse = false
            let (before, after) = (gateStatus(base, name) ?? "—", gateStatus(run, name) ?? "—")
            if before != after {
                parts.append("\(before) → \(after)")
                if let a = rank[before], let b = rank[after] { if b < a { better = true } else { worse = true } }
            }
            let (from, to) = (gateForecast(base, name) ?? "—", gateForecast(run, name) ?? "—")
            if from != to {
                var change = "forecast \(from) → \(to)"
                if let a = Day(iso: from), let b = Day(iso: to) {
                    change += " (\(b.number > a.number ? "+" : "")\(b.number - a.number) days)"
                    if b < a { better = true } else { worse = true }
                } else if to == "open" {
                    worse = true
                } else if from == "open" {
                    better = true
                }
                parts.append(change)
            }
            return parts.isEmpty ? nil : ("\(name): " + parts.joined(separator: ", "), better == worse ? 0 : better ? 1 : -1)
        }
    }

    public static func table(_ runs: [WhatIfRun]) -> String {
        guard let base = runs.first else { return "" }
        let baseValues = values(base.figures)
        var rows: [[String]] = [["figure"] + runs.map(\.name)]
        for (k, column) in compareColumns.dropFirst().enumerated() {
            var row = [column]
            for (index, run) in runs.enumerated() {
                guard let v = values(run.figures)[k] else {
                    row.append("—")
                    continue
                }
                var cell = NumberFormat.fixed(v, decimals: 2)
                if index > 0, let before = baseValues[k] {
                    let delta = v - before
                    // A change too small to show at two decimals is no change.
                    let shown = NumberFormat.fixed(delta, decimals: 2)
                    if shown != "0" && shown != "-0" { cell += " (\(delta > 0 ? "+" : "")\(shown))" }
                }
                row.append(cell)
            }
            rows.append(row)
        }
        // Each gate's status and forecast per run, a change against base marked with `*`.
        for name in gateNames(runs) {
            rows.append([name] + runs.enumerated().map { index, run in
                let status = gateStatus(run, name)
                let forecast = gateForecast(run, name)
                let changed = index > 0 && (status != gateStatus(base, name) || forecast != gateForecast(base, name))
                return (status ?? "—") + (forecast.map { " " + $0 } ?? "") + (changed ? " *" : "")
            })
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, text in
                c == 0 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
