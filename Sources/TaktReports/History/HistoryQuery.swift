import Foundation
import GRDB
import TaktModel
import TaktInput
import TaktPlanning

/// `takt history FILE`: what the recorded runs say, read-only, as tables (a header row,
/// then one row per run, oldest first).
///
/// - `runs()`: each run's key figures and gate statuses;
/// - `gate(_:)`: a gate's planned and forecast dates over time, with the slip since the
///   run before and what set the forecast;
/// - `risk(_:)`: a risk's life: level, owner, deadline and age at each run, and the run
///   it closed in;
/// - `item(_:)`: an item's planned orders and quantity at each run (and a product's
///   master schedule).
/// An unknown gate, risk or item throws `PlanHistory.Problem` naming the closest ones.
public struct HistoryQuery {
    let queue: DatabaseQueue
    public let path: String
    /// A shared lock of the file, held while the query is alive: no Takt run moves its log
    /// into the file under a reader (one reading it as immutable would see it change).
    let lock: FileLock

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw PlanHistory.Problem(description: "\(path): no such history (takt plan --history \(path) makes one)")
        }
        try PlanHistory.checkKind(path)
        lock = FileLock(path, exclusive: false)
        try PlanHistory.checkFile(path)
        try PlanHistory.checkIntegrity(path)
        do {
            queue = try PlanHistory.openToRead(path)
            let id = try queue.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
            guard id == PlanHistory.applicationID else { throw PlanHistory.Problem(description: "\(path): not a Takt history") }
        } catch let problem as PlanHistory.Problem {
            throw problem
        } catch {
            throw PlanHistory.Problem(description: "\(path): cannot be read as a Takt history: \(PlanHistory.words(error))")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let problem as PlanHistory.Problem {
            throw problem
        } catch {
            throw PlanHistory.Problem(description: "\(path): cannot be read as a Takt history: \(PlanHistory.words(error))")
        }
    }

    static func number(_ value: Double) -> String { NumberFormat.quantity(value) }

    public func runs() throws -> [[String]] {
        try read { db in
            var gateNames: [String] = []
            var statuses: [Int64: [String: String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT run_id, gate, status FROM gate ORDER BY run_id, position") {
                let gate: String = row["gate"]
                if !gateNames.contains(gate) { gateNames.append(gate) }
                statuses[row["run_id"], default: [:]][gate] = row["status"]
            }
            var table = [["plan_date", "model", "planned_orders", "purchase_amount", "past_due", "shortage_qty",
                          "backlog_units", "risks", "risks_level3"] + gateNames]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY plan_date") {
                let id: Int64 = row["id"]
                table.append([row["plan_date"], row["model"], String(row["planned_orders"] as Int),
                              NumberFormat.fixed(row["purchase_amount"], decimals: 2), String(row["past_due"] as Int),
                              Self.number(row["shortage_qty"]), Self.number(row["backlog_units"]), String(row["risks"] as Int),
                              String(row["risks_level3"] as Int)]
                             + gateNames.map { statuses[id]?[$0] ?? "—" })
            }
            return table
        }
    }

    public func gate(_ name: String) throws -> [[String]] {
        try read { db in
            // A history written before the confidence table (v3) is read without it.
            let confidence = try db.tableExists("gate_confidence")
            let rows = try Row.fetchAll(db, sql: confidence ? """
                SELECT r.plan_date, g.planned_date, g.status, g.forecast_date, g.forecast_reason, c.p_on_time, c.p90_date, c.samples
                FROM gate g JOIN run r ON r.id = g.run_id
                LEFT JOIN gate_confidence c ON c.run_id = g.run_id AND c.gate = g.gate
                WHERE g.gate = ? ORDER BY r.plan_date
                """ : """
                SELECT r.plan_date, g.planned_date, g.status, g.forecast_date, g.forecast_reason
                FROM gate g JOIN run r ON r.id = g.run_id WHERE g.gate = ? ORDER BY r.plan_date
                """, arguments: [name])
            if rows.isEmpty { try unknown("gate", name, sql: "SELECT DISTINCT gate FROM gate", db) }
            var table = [["plan_date", "planned_date", "status", "forecast_date", "slip_days", "forecast_reason", "p_on_time", "p90_date"]]
            var last: Day?
            for row in rows {
                let forecast = (row["forecast_date"] as String?).flatMap { Day(iso: $0) }
                let slip = forecast.flatMap { now in last.map { StatusReport.days(from: $0, to: now) } } ?? "—"
                // The confidence of a run planned with --simulate N, else —.
                let share = (row["p_on_time"] as Double?).map { NumberFormat.quantity($0) } ?? "—"
                let p90 = (row["samples"] as Int?) == nil ? "—" : (row["p90_date"] as String?) ?? "open"
                table.append([row["plan_date"], row["planned_date"], row["status"], forecast?.description ?? "open", slip,
                              row["forecast_reason"], share, p90])
                last = forecast
            }
            return table
        }
    }

    public func risk(_ id: String) throws -> [[String]] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.plan_date, k.level, k.owner, k.respond_by, k.first_seen, k.escalated_from, k.impact
                FROM risk k JOIN run r ON r.id = k.run_id WHERE k.risk_id = ? ORDER BY r.plan_date
                """, arguments: [id])
            if rows.isEmpty { try unknown("risk", id, sql: "SELECT DISTINCT risk_id FROM risk", db) }
            var byDate: [String: [String]] = [:]
            for row in rows {
                let plan = Day(iso: row["plan_date"] as String)!, first = Day(iso: row["first_seen"] as String) ?? plan
                let escalated = (row["escalated_from"] as Int?).map { "escalated from level \($0)" } ?? (first == plan ? "new" : "open")
                byDate[plan.description] = [plan.description, escalated, String(row["level"] as Int), row["owner"], row["respond_by"],
                                            first.description, String((plan.number - first.number) / 7), row["impact"]]
            }
            // Run by run: its row where it was open; in the first run without it after one
            // that had it, closed there.
            var table = [["plan_date", "state", "level", "owner", "respond_by", "first_seen", "age_weeks", "impact"]]
            var open = false
            for date in try String.fetchAll(db, sql: "SELECT plan_date FROM run ORDER BY plan_date") {
                if let row = byDate[date] {
                    table.append(row)
                    open = true
                } else if open {
                    table.append([date, "closed", "", "", "", "", "", ""])
                    open = false
                }
            }
            return table
        }
    }

    /// Every risk of a run (the latest, or the one of plan date `date`), as `risk` words each
    /// run's row: its state (new, open,
    /// escalated from level N), level, owner, deadline, first seen, age and impact; the
    /// highest level first, then the escalated ones, then by deadline, age and id — the
    /// list the report's escalated risks and tracker point to past their cap.
    public func risks(run date: String? = nil) throws -> [[String]] {
        try read { db in
            var table = [["risk_id", "state", "level", "owner", "respond_by", "first_seen", "age_weeks", "impact"]]
            let found = try date.map { try Row.fetchOne(db, sql: "SELECT id, plan_date FROM run WHERE plan_date = ?", arguments: [$0]) }
                ?? Row.fetchOne(db, sql: "SELECT id, plan_date FROM run ORDER BY plan_date DESC LIMIT 1")
            if let date, found == nil { try unknown("plan date", date, sql: "SELECT plan_date FROM run", db) }
            guard let run = found else { return table }
            let plan = Day(iso: run["plan_date"] as String)!
            let rows = try Row.fetchAll(db, sql: """
                SELECT risk_id, level, owner, respond_by, first_seen, escalated_from, impact FROM risk WHERE run_id = ?
                ORDER BY level DESC, escalated_from IS NULL, respond_by, first_seen, risk_id
                """, arguments: [run["id"] as Int64])
            for row in rows {
                let first = Day(iso: row["first_seen"] as String) ?? plan
                let state = (row["escalated_from"] as Int?).map { "escalated from level \($0)" } ?? (first == plan ? "new" : "open")
                table.append([row["risk_id"], state, String(row["level"] as Int), row["owner"], row["respond_by"], first.description,
                              String((plan.number - first.number) / 7), row["impact"]])
            }
            return table
        }
    }

    public func item(_ name: String) throws -> [[String]] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.plan_date, i.kind, i.orders, i.quantity, i.first_due,
                    (SELECT sum(m.planned) FROM mps m WHERE m.run_id = r.id AND m.product = ?) AS mps
                FROM run r LEFT JOIN item_plan_view i ON i.run_id = r.id AND i.item = ? ORDER BY r.plan_date
                """, arguments: [name, name])
            let known = try Int.fetchOne(db, sql: "SELECT count(*) FROM item_plan_view WHERE item = ?", arguments: [name]) ?? 0
                + (Int.fetchOne(db, sql: "SELECT count(*) FROM mps WHERE product = ?", arguments: [name]) ?? 0)
            if known == 0 { try unknown("item", name, sql: "SELECT DISTINCT item FROM item_plan_view", db) }
            var table = [["plan_date", "kind", "planned_orders", "planned_quantity", "first_due", "mps_planned"]]
            for row in rows {
                let orders = row["orders"] as Int?
                table.append([row["plan_date"], row["kind"] ?? "—", String(orders ?? 0),
                              Self.number(row["quantity"] ?? 0), row["first_due"] ?? "—",
                              (row["mps"] as Double?).map(Self.number) ?? "—"])
            }
            return table
        }
    }

    func unknown(_ what: String, _ name: String, sql: String, _ db: Database) throws -> Never {
        let names = try String.fetchAll(db, sql: sql)
        let close = Spelling.closest(to: name, in: names, count: 5)
        throw PlanHistory.Problem(description: "\(path): no \(what) \"\(name)\" in any recorded run"
                                  + (close.isEmpty ? "" : "; closest: \(close.joined(separator: ", "))"))
    }

    public static func csv(_ table: [[String]]) -> [UInt8] {
        guard let header = table.first else { return [] }
        var writer = CSVWriter(header: header)
        for row in table.dropFirst() {
            for cell in row { writer.field(cell) }
            writer.endRow()
        }
        return writer.bytes
    }
}

