import Foundation
import TaktModel

/// What last week's run said, read for the report's "what moved", "risk changes" and
/// procurement changes: from its output folder (`--previous`) or from the history
/// (`--history`, which adds each risk's deadline and age and the trail of all runs).
public struct PreviousRun: Sendable {
    /// Gate name → (status, date).
    public var gates: [String: (status: String, date: String)] = [:]
    /// Gate name → forecast date (`open` when none); empty for outputs before forecasts.
    public var gateForecasts: [String: String] = [:]
    /// Gate name → criterion → status.
    public var criteria: [String: [String: String]] = [:]
    /// Risk id → level.
    public var risks: [String: Int] = [:]
    public var riskMessages: [String: String] = [:]
    /// Risk id → where it stood (history only: a folder's risks.csv has no first-seen date).
    public var riskStates: [String: RiskState] = [:]
    /// Last week's purchase suggestions; nil when unknown.
    public var purchases: PurchaseList?
    /// Every earlier run, from the history.
    public var trail: HistoryTrail?
    /// `kpis.csv` values by `PHASE|PRODUCT|KPI`.
    public var kpis: [String: Double] = [:]

    public init() {}

    /// A risk as last week left it: its (possibly escalated) level, owner and deadline.
    public struct RiskState: Sendable, Hashable {
        public var level: Int
        public var owner: String
        public var respondBy: Day
        public var firstSeen: Day

        package init(level: Int, owner: String, respondBy: Day, firstSeen: Day) {
            self.level = level
            self.owner = owner
            self.respondBy = respondBy
            self.firstSeen = firstSeen
        }
    }


    /// Why `folder` cannot be last week's output, or nil when it can: it must exist, not be
    /// the model folder, and hold the `summary.json` of a `takt plan` run.
    public static func problem(folder: String, modelFolder: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "--previous \(folder): no such folder"
        }
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        if resolved == URL(fileURLWithPath: modelFolder).standardizedFileURL.resolvingSymlinksInPath().path {
            return "--previous \(folder): that is the model folder, not last week's output"
        }
        guard let data = FileManager.default.contents(atPath: folder + "/summary.json"),
              let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              summary["counts"] is [String: Any], summary["lp"] != nil else {
            return "--previous \(folder): not a takt plan output (no summary.json of a plan run)"
        }
        return nil
    }

    /// Reads `gates.json` and `risks.csv` of a previous `takt plan` output; missing or
    /// unreadable files count as empty.
    public static func load(folder: String) -> PreviousRun {
        var previous = PreviousRun()
        if let data = FileManager.default.contents(atPath: folder + "/gates.json"),
           let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for gate in list {
                if let name = gate["gate"] as? String {
                    previous.gates[name] = (gate["status"] as? String ?? "", gate["date"] as? String ?? "")
                    if let forecast = gate["forecast_date"] as? String { previous.gateForecasts[name] = forecast }
                    for criterion in gate["criteria"] as? [[String: Any]] ?? [] {
                        if let text = criterion["criterion"] as? String, let status = criterion["status"] as? String {
                            previous.criteria[name, default: [:]][text] = status
                        }
                    }
                }
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/risks.csv") {
            var sink = DiagnosticSink()
            if let table = CSVTable.parse([UInt8](data), file: "risks.csv", sink: &sink),
               let id = table.column("id"), let level = table.column("level") {
                let message = table.column("message") ?? -1
                for row in 0..<table.rowCount {
                    let key = table.string(row, id)
                    previous.risks[key] = Int(table.string(row, level)) ?? 0
                    previous.riskMessages[key] = message >= 0 ? table.string(row, message) : ""
                }
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/kpis.csv") {
            var sink = DiagnosticSink()
            if let table = CSVTable.parse([UInt8](data), file: "kpis.csv", sink: &sink),
               let phase = table.column("phase"), let product = table.column("product"), let kpi = table.column("kpi"),
               let value = table.column("value") {
                for row in 0..<table.rowCount {
                    guard let v = Double(table.string(row, value)) else { continue }
                    previous.kpis[table.string(row, phase) + "|" + table.string(row, product) + "|" + table.string(row, kpi)] = v
                }
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/purchase_suggestions.csv") {
            var sink = DiagnosticSink()
            if let table = CSVTable.parse([UInt8](data), file: "purchase_suggestions.csv", sink: &sink),
               let supplier = table.column("supplier"), let item = table.column("item"),
               let quantity = table.column("quantity"), let need = table.column("need_date") {
                var lines = PurchaseList()
                let order = table.column("order_date"), late = table.column("late")
                for row in 0..<table.rowCount {
                    guard let q = Double(table.string(row, quantity)), let day = Day(iso: table.string(row, need)) else { continue }
                    lines.append(supplier: table.string(row, supplier), item: table.string(row, item), quantity: q, needDate: day,
                                 orderDate: order.flatMap { Day(iso: table.string(row, $0)) },
                                 late: late.map { table.string(row, $0) == "true" } ?? false)
                }
                previous.purchases = lines
            }
        }
        return previous
    }
}

/// Every earlier run of a history, for the milestone trend.
public struct HistoryTrail: Sendable {
    /// The history file, as given.
    public var file: String
    /// Plan dates of the earlier runs, oldest first.
    public var runs: [Day]
    /// Gate → its forecast at each earlier run (nil = open), oldest first.
    public var forecasts: [String: [(planDate: Day, forecast: Day?, status: String)]]
    /// A run of this plan date is already recorded (this run replaces it).
    public var replacing: Bool

    package init(file: String, runs: [Day], forecasts: [String: [(planDate: Day, forecast: Day?, status: String)]], replacing: Bool) {
        self.file = file
        self.runs = runs
        self.forecasts = forecasts
        self.replacing = replacing
    }
}
