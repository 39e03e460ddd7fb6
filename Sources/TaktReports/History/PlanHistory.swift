import Foundation
import GRDB
import TaktModel
import TaktInput
import TaktPlanning

/// The weekly loop's memory: an embedded SQLite database (through GRDB, in WAL mode) that
/// each `takt plan --history FILE` appends its run to.
///
/// Behaviour:
/// - the schema is made and migrated by a versioned `DatabaseMigrator`; the file carries
///   SQLite's `application_id` 'TAKT', so a file of something else is refused, untouched;
/// - `previous(before:)` reads, in one snapshot, what the runs before a plan date said (the
///   latest one in detail, every one for the milestone trend);
/// - `record` writes one run in one transaction — after its output folder is in place — and
///   replaces a run of the same plan date (a re-plan after fixing data);
/// - several processes may write at once: each waits for the other's transaction (busy
///   timeout), and both runs are kept.
public final class PlanHistory {
    /// 'TAKT' in ASCII: SQLite's header field for the application that owns the file.
    public static let applicationID: Int32 = 0x5441_4B54

    public let path: String
    let pool: DatabasePool
    /// Whether `record` wrote a run (then `close` renews the epoch).
    var recorded = false

    /// A history file that cannot be used, in words (the CLI exits 2 with it).
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens (or creates) the history at `path`; a file that is not a Takt history, or is
    /// corrupt, throws `Problem` and is left as it was.
    public init(path: String) throws {
        self.path = path
        // Checking, creating and migrating happen under an exclusive `flock` of the file:
        // two runs starting on a new history at once would otherwise both migrate it.
        // (SQLite's own locks are `fcntl` locks, which `flock` does not touch.)
        try Self.checkKind(path)
        let lock = FileLock(path, exclusive: true, create: true)
        guard lock.isHeld else {
            throw Problem(description: "\(path): cannot be opened or made: \(String(cString: strerror(lock.failure)))")
        }
        defer { withExtendedLifetime(lock) {} }  // held to the end of the opening
        try Self.checkFile(path)
        try Self.checkIntegrity(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        configuration.label = "takt.history"
        // The file changes only in `close`, under the lock: the log check of a run opening
        // meanwhile reads a file that stands still.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            let id = try pool.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
            guard id == Self.applicationID else { throw Problem(description: "\(path): not a Takt history") }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "\(path): cannot be used as a Takt history: \(Self.words(error))")
        }
        // The log just checked goes into the file, under a new epoch: whatever moved the
        // file on since the last renewal (SQLite's own checkpoint when a failed run's
        // connection closed, a checkpoint by hand) is behind a renewal before this run
        // writes a log of its own.
        settle()
    }

    /// Moves the log into the file and renews the epoch (see `checkIntegrity`): checkpoint,
    /// renewal, checkpoint, under the file's exclusive lock (runs write their transactions
    /// under a shared one). A busy first checkpoint leaves everything as it is (the next
    /// open retries). If the second one fails, the renewal is undone only when the file
    /// does not hold it yet — the log and the file then still name the same epoch.
    func settle() {
        do {
            _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            let before = try pool.read { db in try Self.epochs(db)?.epoch }
            try pool.write { db in
                try db.execute(sql: "UPDATE log_identity SET previous = epoch, epoch = lower(hex(randomblob(8))), writes = 0")
            }
            do {
                _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            } catch {
                let inFile = try? Self.readOnce(path, ignoringLog: true, Self.epoch)
                if let before, inFile == before {
                    try pool.write { db in try db.execute(sql: "UPDATE log_identity SET epoch = previous") }
                }
                throw error
            }
        } catch {
            Trace.mark("history settle: \(error)") // a busy checkpoint is retried by the next open
        }
    }

    /// Why `path` may not hold the history of a run reading `model` and writing `out`:
    /// inside the model folder (a plan's inputs are not its memory) or inside the output
    /// folder (replaced as a whole by the run); nil when it may.
    public static func placeProblem(_ path: String, model: String, out: String) -> String? {
        let file = OutputFolder.absolute(path)
        if OutputFolder.isInside(file, OutputFolder.absolute(model)) || OutputFolder.holds(model, path) {
            return "--history \(path): inside the model folder \(model); keep the history beside the model, not in it"
        }
        let folder = OutputFolder.absolute(out)
        if OutputFolder.isInside(file, folder) || file == folder || OutputFolder.holds(out, path) {
            return "--history \(path): inside --out \(out), which every run replaces"
        }
        return nil
    }

    /// Closes the database: the write-ahead log is copied into the file and truncated
    /// (a large run's log would otherwise stay the size of its biggest transaction, or
    /// of a transaction that failed on a full disk); after a recorded run the epoch is
    /// renewed and copied in too, so a log written later names the file state it follows.
    /// Under the file's lock: a run checking the log meanwhile sees the file stand still.
    public func close() {
        let lock = FileLock(path, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        if recorded {
            settle()
        } else {
            // Nothing recorded (a failed transaction): only empty the log.
            do {
                _ = try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            } catch {
                Trace.mark("history close: \(error)")
            }
        }
        do {
            try pool.close()
        } catch {
            Trace.mark("history close: \(error)")
        }
    }

    static func words(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    plan_date TEXT NOT NULL UNIQUE,
                    recorded_at TEXT NOT NULL,
                    model TEXT NOT NULL,
                    inputs TEXT NOT NULL,
                    planned_orders INTEGER NOT NULL,
                    purchase_amount REAL NOT NULL,
                    past_due INTEGER NOT NULL,
                    shortage_qty REAL NOT NULL,
                    backlog_units REAL NOT NULL,
                    overtime_hours REAL NOT NULL,
                    lp_objective REAL NOT NULL,
                    gates_go INTEGER NOT NULL,
                    gates_at_risk INTEGER NOT NULL,
                    gates_no_go INTEGER NOT NULL,
                    risks INTEGER NOT NULL,
                    risks_level3 INTEGER NOT NULL
                );
                CREATE TABLE gate (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    gate TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    planned_date TEXT NOT NULL,
                    forecast_date TEXT,
                    forecast_reason TEXT NOT NULL,
                    status TEXT NOT NULL,
                    PRIMARY KEY (run_id, gate)
                );
                CREATE TABLE gate_criterion (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    gate TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    criterion TEXT NOT NULL,
                    status TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    PRIMARY KEY (run_id, gate, position)
                );
                CREATE TABLE risk (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    risk_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    item TEXT NOT NULL,
                    level INTEGER NOT NULL,
                    owner TEXT NOT NULL,
                    respond_by TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    escalated_from INTEGER,
                    impact TEXT NOT NULL,
                    message TEXT NOT NULL,
                    PRIMARY KEY (run_id, risk_id)
                );
                CREATE INDEX risk_by_id ON risk(risk_id);
                CREATE TABLE mps (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    product TEXT NOT NULL,
                    week TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    target REAL NOT NULL,
                    planned REAL NOT NULL,
                    backlog REAL NOT NULL,
                    PRIMARY KEY (run_id, product, week)
                );
                -- Names of items and suppliers, once: the big tables below refer to them by id.
                CREATE TABLE name (
                    id INTEGER PRIMARY KEY,
                    text TEXT NOT NULL UNIQUE
                );
                -- Every purchase suggestion; dates as day numbers (days since 1970-01-01).
                CREATE TABLE purchase (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    supplier_id INTEGER NOT NULL,
                    item_id INTEGER NOT NULL,
                    quantity REAL NOT NULL,
                    order_day INTEGER NOT NULL,
                    need_day INTEGER NOT NULL,
                    amount REAL NOT NULL,
                    late INTEGER NOT NULL
                );
                CREATE INDEX purchase_by_run ON purchase(run_id);
                CREATE TABLE item_plan (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    item_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    orders INTEGER NOT NULL,
                    quantity REAL NOT NULL,
                    first_due_day INTEGER NOT NULL,
                    PRIMARY KEY (run_id, item_id)
                );
                CREATE INDEX item_plan_by_item ON item_plan(item_id);
                -- The same, readable, for anyone who opens the file with sqlite3.
                CREATE VIEW purchase_view AS
                    SELECT p.run_id, s.text AS supplier, i.text AS item, p.quantity,
                        date(p.order_day * 86400, 'unixepoch') AS order_date, date(p.need_day * 86400, 'unixepoch') AS need_date,
                        p.amount, p.late
                    FROM purchase p JOIN name s ON s.id = p.supplier_id JOIN name i ON i.id = p.item_id;
                CREATE VIEW item_plan_view AS
                    SELECT p.run_id, i.text AS item, p.kind, p.orders, p.quantity,
                        date(p.first_due_day * 86400, 'unixepoch') AS first_due
                    FROM item_plan p JOIN name i ON i.id = p.item_id;
                """)
        }
        // v2: the projected KPIs of each run (kpis.csv), for the report's change since last week.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE kpi (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    phase TEXT NOT NULL,
                    product TEXT NOT NULL,
                    kpi TEXT NOT NULL,
                    value REAL,
                    target REAL,
                    status TEXT,
                    PRIMARY KEY (run_id, phase, product, kpi)
                );
                """)
        }
        // v3: each gate's confidence from `takt plan --simulate N` (§2e), when the run had one.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE gate_confidence (
                    run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    gate TEXT NOT NULL,
                    samples INTEGER NOT NULL,
                    p_on_time REAL NOT NULL,
                    p90_date TEXT,
                    PRIMARY KEY (run_id, gate)
                );
                """)
        }
        // v4: the epoch that ties a write-ahead log to the file state it was written on
        // (see `checkIntegrity`); every recorded run touches the row, so its log holds it.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE log_identity (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    epoch TEXT NOT NULL,
                    previous TEXT NOT NULL,
                    writes INTEGER NOT NULL
                );
                INSERT INTO log_identity VALUES (1, lower(hex(randomblob(8))), '', 0);
                """)
        }
        return migrator
    }
}
