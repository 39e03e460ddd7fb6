import Foundation
import GRDB

/// What an existing history must pass before a run writes to it or `takt history` reads it;
/// each check reads only, and a file that fails one is left exactly as it was.
///
/// Behaviour:
/// - `checkFile`: a regular file holding an SQLite database of Takt's (application id
///   'TAKT'), or one with no tables at all, or an empty file (a new history);
/// - `checkIntegrity`: the write-ahead log beside the file (`FILE-wal`) belongs to it, and
///   SQLite's `quick_check` passes. Each run's close moves the log into the file and then
///   renews the file's epoch; every recorded run writes the epoch's row, so a log carries
///   the epoch of the file state it follows. The log belongs when the file's own epoch
///   (read with the log ignored) is the log's — or, for a log that holds only a renewal
///   (a close cut short), the one it replaced. A log left beside a history restored from
///   an older backup would otherwise be replayed over it silently.
/// - A history the user may only read (another owner's file, a read-only folder or mount)
///   is read without the shared-memory file SQLite would make beside it (`immutable`),
///   which is safe only when there is no log to replay: with one, it says so.
extension PlanHistory {
    /// Before anything opens it: a path that exists must be a regular file (a FIFO, device
    /// or socket would block or read something else), and not a symbolic link to nothing.
    static func checkKind(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, stat(path, &info) != 0 {
            throw Problem(description: "\(path): a symbolic link to nothing; give the history file itself")
        }
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw Problem(description: "\(path): not a regular file")
        }
    }

    /// A file that exists (a regular one: `checkKind`) must be an SQLite database of
    /// Takt's, or one with no tables at all; checked without opening it for writing (a pool
    /// would switch it to WAL).
    static func checkFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { return } // made anew
        guard info.st_size > 0 else { return }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Problem(description: "\(path): cannot be read") }
        let header = [UInt8](handle.readData(ofLength: 100))
        try? handle.close()
        guard header.count == 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw Problem(description: "\(path): not a Takt history (not an SQLite database)")
        }
        let id = header[68..<72].reduce(Int32(0)) { $0 << 8 | Int32($1) }
        if id == applicationID { return }
        // The header may lag behind a write-ahead log not yet checkpointed: ask SQLite,
        // read-only.
        let (found, tables): (Int32, Int)
        do {
            (found, tables) = try readOnce(path) { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
        } catch {
            throw Problem(description: "\(path): cannot be used as a Takt history: \(words(error))")
        }
        guard found == applicationID || (found == 0 && tables == 0) else {
            throw Problem(description: "\(path): not a Takt history (an SQLite database of another application)")
        }
    }

    /// An existing history's log must belong to it and SQLite's `quick_check` must pass
    /// before anything is written to it: a file that fails either is refused and left
    /// exactly as it was (opening it for writing would replay the log and migrate it).
    /// The caller holds the file's lock, so no Takt run checkpoints into it meanwhile.
    static func checkIntegrity(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_size > 0 else { return }
        // The siblings SQLite makes to read a WAL database go again if they were not there.
        let siblings = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
        var refused = true
        defer {
            if refused {
                for sibling in siblings where stat(sibling, &info) == 0 && (sibling.hasSuffix("-shm") || info.st_size == 0) {
                    unlink(sibling)
                }
            }
        }
        let verdict: [String]
        do {
            // A file caught in the middle of taking its log in (a close cut short, a full disk)
            // cannot be read alone: its log then decides, through `quick_check`.
            if hasLog(path), let own = (try? readOnce(path, ignoringLog: true, epoch)) ?? nil {
                let logged = try readOnce(path) { db in try epochs(db) }
                if let logged, own != logged.epoch && !(logged.writes == 0 && own == logged.previous) {
                    throw Problem(description: "\(path)-wal: a write-ahead log of another state of \(path) (a history restored from a backup beside an old log?); both left as they were — move \(path)-wal away to use \(path) as it is")
                }
            }
            verdict = try readOnce(path) { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "\(path): cannot be used as a Takt history: \(words(error)); left as it was")
        }
        guard verdict == ["ok"] else {
            throw Problem(description: "\(path): damaged (SQLite's quick_check: \(verdict.joined(separator: "; "))); left as it was — restore it from a backup")
        }
        refused = false
    }

    /// Whether a write-ahead log with something in it lies beside `path`.
    static func hasLog(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    /// The history's epoch (renewed each time a run's close has moved the log into the
    /// file), the one it replaced and the runs recorded since; nil in a history made
    /// before the epoch was kept.
    static func epochs(_ db: Database) throws -> (epoch: String, previous: String, writes: Int)? {
        guard try db.tableExists("log_identity") else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT epoch, previous, writes FROM log_identity") else { return nil }
        return (row["epoch"], row["previous"], row["writes"])
    }

    static func epoch(_ db: Database) throws -> String? { try epochs(db)?.epoch }

    /// How a history is opened to be read or checked: read-only, waiting up to a minute
    /// for a writer.
    static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(60)
        return configuration
    }

    /// Opens `path` to read: with its log, as SQLite reads a WAL database; with the log
    /// ignored (`ignoringLog`), or when the user may not write the shared-memory file and
    /// there is no log to replay, as an immutable file.
    static func openToRead(_ path: String, ignoringLog: Bool = false) throws -> DatabaseQueue {
        if !ignoringLog {
            do {
                let queue = try DatabaseQueue(path: path, configuration: readOnly)
                _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                return queue
            } catch let error as DatabaseError where mayOnlyRead(error) && !hasLog(path) {
                // Read below without the shared-memory file.
            } catch let error as DatabaseError where mayOnlyRead(error) {
                throw Problem(description: "\(path): may only be read, and \(path)-wal holds runs not yet moved into it; read it as a user who may write its folder, or ask its owner to move the log in (sqlite3 \(path) 'PRAGMA wal_checkpoint(TRUNCATE)')")
            }
        }
        return try DatabaseQueue(path: "file:" + uriEscaped(path) + "?immutable=1", configuration: readOnly)
    }

    /// One read of `path` (see `openToRead`), closing it again.
    static func readOnce<T>(_ path: String, ignoringLog: Bool = false, _ body: (Database) throws -> T) throws -> T {
        let queue = try openToRead(path, ignoringLog: ignoringLog)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// SQLite's answer when the shared-memory file beside a WAL database cannot be made or
    /// written by this user.
    static func mayOnlyRead(_ error: DatabaseError) -> Bool {
        [ResultCode.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode.primaryResultCode)
    }

    /// `path` as the path part of an SQLite URI: `%`, `?` and `#` escaped.
    static func uriEscaped(_ path: String) -> String {
        var text = ""
        for character in path {
            switch character {
            case "%": text += "%25"
            case "?": text += "%3f"
            case "#": text += "%23"
            default: text.append(character)
            }
        }
        return text
    }
}
