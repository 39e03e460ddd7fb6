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
    /// Risk id → its owner as last week's risks.csv gave it.
    public var riskOwners: [String: String] = [:]
    /// Risk id → what a `shortage` or `capacity` risk's impact said (its units late or
    /// behind, and when a shortage is all there): the report's "Worsened" list.
    public var riskFigures: [String: RiskFigure] = [:]
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


    /// The figures of a `shortage` or `capacity` risk's impact (contract §2c, §2d), read
    /// back from its text: `348 units late, all there by 2027-04-19; delays …` (or `all
    /// there open (not within the horizon)`) and `6800 units of output behind the ramp`.
    public struct RiskFigure: Sendable, Hashable {
        /// Units late (a shortage) or behind the ramp (a capacity risk).
        public var quantity: Double
        /// A shortage's "all there by" date; nil when some of it is not there within the
        /// horizon, or for a capacity risk.
        public var allThereBy: Day?

        public init(quantity: Double, allThereBy: Day?) {
            (self.quantity, self.allThereBy) = (quantity, allThereBy)
        }

        /// The figures of risk `id`'s `impact`, nil when the risk is of another kind or the
        /// text is not one a plan run writes (then the risk is not compared).
        public static func parse(id: String, impact: String) -> RiskFigure? {
            let shortage = id.hasPrefix("shortage:")
            guard shortage || id.hasPrefix("capacity:"), let space = impact.firstIndex(of: " "),
                  let quantity = Double(impact[..<space]), quantity.isFinite else { return nil }
            let rest = impact[space...]
            guard shortage else {
                return rest.hasPrefix(" units of output behind the ramp") ? RiskFigure(quantity: quantity, allThereBy: nil) : nil
            }
            let by = " units late, all there by "
            if rest.hasPrefix(by) {
                guard let day = Day(iso: String(rest.dropFirst(by.count).prefix(10))) else { return nil }
                return RiskFigure(quantity: quantity, allThereBy: day)
            }
            return rest.hasPrefix(" units late, all there open") ? RiskFigure(quantity: quantity, allThereBy: nil) : nil
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

    /// Why a `--previous` folder's files cannot be read, as `FILE:LINE: what is wrong`
    /// (contract §1's form for bad input: the run stops with exit 2).
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads `gates.json` and `risks.csv` of a previous `takt plan` output (both required:
    /// without them the report would call every risk new and every gate new), and its
    /// `kpis.csv` and `purchase_suggestions.csv` when there (older outputs lack them).
    /// A file that is there but is not what a plan run writes is an error.
    public static func load(folder: String) throws -> PreviousRun {
        var previous = PreviousRun()
        let gatesPath = folder + "/gates.json"
        guard let gatesData = FileManager.default.contents(atPath: gatesPath) else {
            throw Unreadable(description: "\(gatesPath):1: missing or unreadable: last week's gates are not known")
        }
        guard let list = try? JSONSerialization.jsonObject(with: gatesData) as? [[String: Any]],
              list.allSatisfy({ $0["gate"] is String && $0["status"] is String }) else {
            throw Unreadable(description: "\(gatesPath):1: not the gates.json of a takt plan run (a list of gates, each with its gate and status)")
        }
        for gate in list {
            let name = gate["gate"] as! String
            previous.gates[name] = (gate["status"] as! String, gate["date"] as? String ?? "")
            if let forecast = gate["forecast_date"] as? String { previous.gateForecasts[name] = forecast }
            for criterion in gate["criteria"] as? [[String: Any]] ?? [] {
                if let text = criterion["criterion"] as? String, let status = criterion["status"] as? String {
                    previous.criteria[name, default: [:]][text] = status
                }
            }
        }
        let risksPath = folder + "/risks.csv"
        guard let risksData = FileManager.default.contents(atPath: risksPath) else {
            throw Unreadable(description: "\(risksPath):1: missing or unreadable: last week's risks are not known")
        }
        let risks = try csv(risksData, path: risksPath, columns: ["id", "level"])
        let (id, level) = (risks.column("id")!, risks.column("level")!)
        let message = risks.column("message")
        let owner = risks.column("owner")
        let impact = risks.column("impact")
        for row in 0..<risks.rowCount {
            let key = risks.string(row, id)
            // Levels start at 1; the history escalates past 3 where `escalation:` lists more.
            guard !key.isEmpty, let value = Int(risks.string(row, level)), value >= 1 else {
                throw Unreadable(description: "\(risksPath):\(risks.line(row)): not a risk of a takt plan run "
                                 + "(an id and a whole level from 1, got \"\(key)\" at level \"\(risks.string(row, level))\")")
            }
            previous.risks[key] = value
            previous.riskMessages[key] = message.map { risks.string(row, $0) } ?? ""
            if let owner { previous.riskOwners[key] = risks.string(row, owner) }
            if let impact, let figure = RiskFigure.parse(id: key, impact: risks.string(row, impact)) {
                previous.riskFigures[key] = figure
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/kpis.csv") {
            let table = try csv(data, path: folder + "/kpis.csv", columns: ["phase", "product", "kpi", "value"])
            let (phase, product, kpi, value) = (table.column("phase")!, table.column("product")!, table.column("kpi")!, table.column("value")!)
            // A KPI with nothing to measure has no value: not compared.
            for row in 0..<table.rowCount {
                guard let v = Double(table.string(row, value)) else { continue }
                previous.kpis[table.string(row, phase) + "|" + table.string(row, product) + "|" + table.string(row, kpi)] = v
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/purchase_suggestions.csv") {
            let table = try csv(data, path: folder + "/purchase_suggestions.csv", columns: ["supplier", "item", "quantity", "need_date"])
            let (supplier, item) = (table.column("supplier")!, table.column("item")!)
            let (quantity, need) = (table.column("quantity")!, table.column("need_date")!)
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
        return previous
    }

    /// `data` parsed as CSV with `columns`; its first problem as `Unreadable` otherwise.
    static func csv(_ data: Data, path: String, columns: [String]) throws -> CSVTable {
        var sink = DiagnosticSink()
        guard let table = CSVTable.parse([UInt8](data), file: path, sink: &sink), sink.isEmpty else {
            throw Unreadable(description: sink.failure.diagnostics.first?.description ?? "\(path):1: not a CSV file")
        }
        if let missing = columns.first(where: { table.column($0) == nil }) {
            throw Unreadable(description: "\(path):1: no column \(missing): not the file a takt plan run writes")
        }
        return table
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
