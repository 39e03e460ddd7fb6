import GRDB
import GRDBSQLite
import TaktModel
import TaktInput
import TaktPlanning

/// Binds and steps one prepared `INSERT` through SQLite's C API: a run of a 100k-item
/// model writes over a million purchase rows, and binding them through `StatementArguments`
/// (an array of boxed values per row) cost more than SQLite's own work.
struct BulkInsert {
    let statement: Statement
    var column: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    /// SQLite copies the bytes (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ value: Int) {
        column += 1
        sqlite3_bind_int64(statement.sqliteStatement, column, Int64(value))
    }

    mutating func bind(_ value: Double) {
        column += 1
        sqlite3_bind_double(statement.sqliteStatement, column, value)
    }

    mutating func bind(_ value: String) {
        column += 1
        var text = value
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                // An empty buffer may have no address, which SQLite would bind as NULL.
                guard let address = $0.baseAddress, !$0.isEmpty else {
                    return sqlite3_bind_text(statement.sqliteStatement, column, "", 0, nil)
                }
                return sqlite3_bind_text(statement.sqliteStatement, column, address, Int32($0.count), Self.transient)
            }
        }
    }

    /// Inserts the bound row and starts the next.
    mutating func step() throws {
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        column = 0
        guard code == SQLITE_DONE else {
            throw PlanHistory.Problem(description: "insert failed: \(String(cString: sqlite3_errstr(code)))")
        }
    }
}
