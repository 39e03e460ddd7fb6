import Foundation
import GRDB
import GRDBSQLite
import TaktModel
import TaktInput
import TaktPlanning

extension PlanHistory {
    /// What the runs before `planDate` said, in one read snapshot: the latest in detail
    /// (gates, criteria, risks, purchases), every one for the milestone trend; nil when
    /// there is no earlier run (the trail still says whether this date is recorded).
    public func previous(before planDate: Day) throws -> PreviousRun {
        do {
            return try pool.read { db in
                let date = planDate.description
                let replacing = try Int.fetchOne(db, sql: "SELECT count(*) FROM run WHERE plan_date = ?", arguments: [date]) ?? 0 > 0
                let runs = try Row.fetchAll(db, sql: "SELECT id, plan_date FROM run WHERE plan_date < ? ORDER BY plan_date",
                                            arguments: [date])
                var previous = PreviousRun()
                var trail = HistoryTrail(file: path, runs: [], forecasts: [:], replacing: replacing)
                trail.runs = runs.compactMap { Day(iso: $0["plan_date"] as String) }
                let gateRows = try Row.fetchAll(db, sql: """
                    SELECT r.plan_date, g.gate, g.forecast_date, g.status FROM gate g JOIN run r ON r.id = g.run_id
                    WHERE r.plan_date < ? ORDER BY r.plan_date, g.position
                    """, arguments: [date])
                for row in gateRows {
                    guard let day = Day(iso: row["plan_date"] as String) else { continue }
                    let forecast = (row["forecast_date"] as String?).flatMap { Day(iso: $0) }
                    trail.forecasts[row["gate"], default: []].append((day, forecast, row["status"]))
                }
                previous.trail = trail
                guard let last = runs.last else { return previous }
                let id: Int64 = last["id"]
                for row in try Row.fetchAll(db, sql: "SELECT gate, planned_date, forecast_date, status FROM gate WHERE run_id = ?",
                                            arguments: [id]) {
                    let gate: String = row["gate"]
                    previous.gates[gate] = (row["status"], row["planned_date"])
                    previous.gateForecasts[gate] = (row["forecast_date"] as String?) ?? "open"
                }
                for row in try Row.fetchAll(db, sql: "SELECT gate, criterion, status FROM gate_criterion WHERE run_id = ?",
                                            arguments: [id]) {
                    previous.criteria[row["gate"], default: [:]][row["criterion"]] = row["status"]
                }
                for row in try Row.fetchAll(db, sql: "SELECT risk_id, level, owner, respond_by, first_seen, impact, message FROM risk WHERE run_id = ?",
                                            arguments: [id]) {
                    let key: String = row["risk_id"]
                    let level: Int = row["level"]
                    previous.risks[key] = level
                    previous.riskMessages[key] = row["message"]
                    if key.hasPrefix("shortage:") || key.hasPrefix("capacity:"),
                       let figure = PreviousRun.RiskFigure.parse(id: key, impact: row["impact"]) {
                        previous.riskFigures[key] = figure
                    }
                    if let respondBy = Day(iso: row["respond_by"] as String), let first = Day(iso: row["first_seen"] as String) {
                        previous.riskStates[key] = PreviousRun.RiskState(level: level, owner: row["owner"], respondBy: respondBy,
                                                                         firstSeen: first)
                    }
                }
                for row in try Row.fetchAll(db, sql: "SELECT phase, product, kpi, value FROM kpi WHERE run_id = ? AND value IS NOT NULL",
                                            arguments: [id]) {
                    previous.kpis[(row["phase"] as String) + "|" + (row["product"] as String) + "|" + (row["kpi"] as String)] = row["value"]
                }
                // Stepped through SQLite's C API: a large model's run holds a million rows.
                var purchases = PurchaseList()
                var nameIndex: [Int64: Int32] = [:]
                let names = try db.makeStatement(sql: "SELECT id, text FROM name")
                while sqlite3_step(names.sqliteStatement) == SQLITE_ROW {
                    let text = String(cString: sqlite3_column_text(names.sqliteStatement, 1))
                    nameIndex[sqlite3_column_int64(names.sqliteStatement, 0)] = purchases.intern(text)
                }
                sqlite3_reset(names.sqliteStatement)
                let rows = try db.makeStatement(sql: "SELECT supplier_id, item_id, quantity, need_day, order_day, late FROM purchase WHERE run_id = ? ORDER BY rowid")
                sqlite3_bind_int64(rows.sqliteStatement, 1, id)
                var code = sqlite3_step(rows.sqliteStatement)
                while code == SQLITE_ROW {
                    let statement = rows.sqliteStatement
                    purchases.append(supplier: nameIndex[sqlite3_column_int64(statement, 0)] ?? purchases.intern(""),
                                     item: nameIndex[sqlite3_column_int64(statement, 1)] ?? purchases.intern(""),
                                     quantity: sqlite3_column_double(statement, 2),
                                     needDate: Day(number: Int(sqlite3_column_int64(statement, 3))),
                                     orderDate: Day(number: Int(sqlite3_column_int64(statement, 4))),
                                     late: sqlite3_column_int64(statement, 5) != 0)
                    code = sqlite3_step(statement)
                }
                sqlite3_reset(rows.sqliteStatement)
                guard code == SQLITE_DONE else {
                    throw Problem(description: "\(path): reading last week's purchases failed: \(String(cString: sqlite3_errstr(code)))")
                }
                previous.purchases = purchases
                return previous
            }
        } catch {
            throw Problem(description: "\(path): cannot be read as a Takt history: \(Self.words(error))")
        }
    }

    /// Appends `result` as the run of its plan date, replacing one of the same date;
    /// returns whether it replaced one. One transaction: all of the run or nothing.
    @discardableResult
    public func record(_ result: PlanResult, recordedAt: Date = Date()) throws -> Bool {
        let model = result.model
        let mrp = result.mrp
        let figures = result.figures
        let names = model.items.names
        let stamp = ISO8601DateFormatter().string(from: recordedAt)
        let inputs = String(decoding: JSONValue.object(model.inputDigests.keys.sorted().map { ($0, .string(model.inputDigests[$0]!)) })
            .rendered().utf8, as: UTF8.self)
        // Under a shared lock of the file: a close settling the log (exclusive) never runs
        // between another run's transaction and its own checkpoint.
        let lock = FileLock(path, exclusive: false)
        defer { withExtendedLifetime(lock) {} }
        do {
            let replaced = try pool.write { db in
                let date = model.plan.start.description
                let replaced = try Int.fetchOne(db, sql: "SELECT count(*) FROM run WHERE plan_date = ?", arguments: [date]) ?? 0 > 0
                try db.execute(sql: "UPDATE log_identity SET writes = writes + 1")
                try db.execute(sql: "DELETE FROM run WHERE plan_date = ?", arguments: [date])
                Trace.mark("history: earlier run of the date deleted")
                try db.execute(sql: """
                    INSERT INTO run (plan_date, recorded_at, model, inputs, planned_orders, purchase_amount, past_due,
                        shortage_qty, backlog_units, overtime_hours, lp_objective, gates_go, gates_at_risk, gates_no_go,
                        risks, risks_level3)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [date, stamp, URL(fileURLWithPath: model.folder).lastPathComponent, inputs,
                                     figures.plannedOrders, figures.purchaseAmount, figures.pastDue, figures.shortageQty,
                                     figures.backlogUnits, figures.overtimeHours, figures.lpObjective, figures.gatesGo,
                                     figures.gatesAtRisk, figures.gatesNoGo, result.risks.count, figures.risksLevel3])
                let run = db.lastInsertedRowID
                let gate = try db.makeStatement(sql: "INSERT INTO gate VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                let criterion = try db.makeStatement(sql: "INSERT INTO gate_criterion VALUES (?, ?, ?, ?, ?, ?, ?)")
                let confidence = try db.makeStatement(sql: "INSERT INTO gate_confidence VALUES (?, ?, ?, ?, ?)")
                for (g, entry) in result.gates.enumerated() {
                    try gate.execute(arguments: [run, g, entry.gate, entry.phaseName, entry.date.description,
                                                 entry.forecast?.description, entry.forecastReason, entry.status.rawValue])
                    if let tally = result.confidence, let share = tally.confidence(of: entry.gate) {
                        try confidence.execute(arguments: [run, entry.gate, tally.samples, share.onTime, share.p90?.description])
                    }
                    for (c, row) in entry.criteria.enumerated() {
                        try criterion.execute(arguments: [run, entry.gate, c, row.criterion, row.status.rawValue, row.evidence, row.owner])
                    }
                }
                let risk = try db.makeStatement(sql: "INSERT INTO risk VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                for (k, entry) in result.risks.enumerated() {
                    try risk.execute(arguments: [run, k, entry.id, entry.kind.rawValue, entry.item, entry.level, entry.owner,
                                                 entry.respondBy.description, (entry.firstSeen ?? model.plan.start).description,
                                                 entry.escalatedFrom, entry.impact, entry.message])
                }
                let mps = try db.makeStatement(sql: "INSERT INTO mps VALUES (?, ?, ?, ?, ?, ?, ?)")
                let weeks = result.mps.weekly.bucketStart
                for row in result.mps.rows {
                    try mps.execute(arguments: [run, names[model.plan.products[row.product].item], weeks[row.week].description,
                                                model.plan.phases[row.phase].name, row.target, row.planned, row.backlog])
                }
                // Purchases and per-item totals in one pass over the orders.
                Trace.mark("history: run, gates, risks, mps written")
                // Each item's and supplier's id in the name table, made on first use.
                var intern = try BulkInsert(db, sql: "INSERT OR IGNORE INTO name(text) VALUES (?)")
                let lookup = try db.makeStatement(sql: "SELECT id FROM name WHERE text = ?")
                func id(_ text: String) throws -> Int {
                    intern.bind(text)
                    try intern.step()
                    return try Int.fetchOne(lookup, arguments: [text]) ?? 0
                }
                var itemID = [Int](repeating: -1, count: model.items.count)
                var supplierID = [Int](repeating: -1, count: model.supplierNames.count + 1) // last: no supplier
                func itemName(_ k: Int) throws -> Int {
                    if itemID[k] < 0 { itemID[k] = try id(names[k]) }
                    return itemID[k]
                }
                func supplierName(_ s: Int) throws -> Int {
                    let k = s >= 0 ? s : model.supplierNames.count
                    if supplierID[k] < 0 { supplierID[k] = try id(s >= 0 ? model.supplierNames[s] : "") }
                    return supplierID[k]
                }
                var purchase = try BulkInsert(db, sql: "INSERT INTO purchase VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                let offerPrice = model.offers.map { SupplierChoice.price($0, model) }
                let days = mrp.calendar.bucketStart.map(\.number)
                // Per item: orders, quantity, first due bucket (each item's orders are contiguous).
                var totals: [(item: Int, orders: Int, quantity: Double, firstDue: Int)] = []
                for order in mrp.orders {
                    if order.kind == .buy {
                        purchase.bind(Int(run))
                        let offer = mrp.chosenOffer[order.item]
                        purchase.bind(try supplierName(offer >= 0 ? model.offers[offer].supplier : -1))
                        purchase.bind(try itemName(order.item))
                        purchase.bind(order.quantity)
                        purchase.bind(days[order.releaseBucket])
                        purchase.bind(days[order.dueBucket])
                        purchase.bind(order.quantity * (offer >= 0 ? offerPrice[offer] : model.items.unitCost[order.item]))
                        purchase.bind(order.pastDue ? 1 : 0)
                        try purchase.step()
                    }
                    if let last = totals.last, last.item == order.item {
                        totals[totals.count - 1] = (last.item, last.orders + 1, last.quantity + order.quantity, min(last.firstDue, order.dueBucket))
                    } else {
                        totals.append((order.item, 1, order.quantity, order.dueBucket))
                    }
                }
                Trace.mark("history: purchases written")
                let kpi = try db.makeStatement(sql: "INSERT INTO kpi VALUES (?, ?, ?, ?, ?, ?, ?)")
                for row in result.kpis.rows {
                    try kpi.execute(arguments: [run, model.plan.phases[row.phase].name, row.product >= 0 ? names[row.product] : "",
                                                row.kpi.rawValue, row.value, row.target, row.status?.rawValue])
                }
                var item = try BulkInsert(db, sql: "INSERT OR REPLACE INTO item_plan VALUES (?, ?, ?, ?, ?, ?)")
                for total in totals {
                    item.bind(Int(run))
                    item.bind(try itemName(total.item))
                    item.bind(model.items.type[total.item] == .buy ? "buy" : "make")
                    item.bind(total.orders)
                    item.bind(total.quantity)
                    item.bind(days[total.firstDue])
                    try item.step()
                }
                return replaced
            }
            recorded = true
            return replaced
        } catch {
            throw Problem(description: "\(path): the run could not be recorded: \(Self.words(error))")
        }
    }
}
