import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// Writes a run's files so that the output folder is never half-written (contract §1).
///
/// Behaviour:
/// - files go to a temporary folder beside the target, swapped in when every file is
///   written: by one atomic exchange (`renameat2` with `RENAME_EXCHANGE`) where the file
///   system has it, else by two renames; a failed run removes its temporary folder;
/// - a run first removes the temporary folders of runs whose process is gone, and puts
///   back a target that a run killed between its two renames left only as its old copy;
/// - a target that cannot be renamed (a mount point) is written in place: emptied of its
///   previous Takt files, then filled;
/// - an existing target is replaced only when it is empty or Takt's own output (its
///   `summary.json` says `takt_output`, and it holds nothing Takt does not write), or
///   `force` is given — and then only the entries the new folder has again are replaced:
///   the others are given back to the new folder (also out of a killed run's leftovers),
///   or the replaced folder is kept beside it (`settle`);
/// - a target may not be, hold or lie inside the model folder, nor hold an input file of
///   the run (a scenario) or the history; the root and the home folder are refused.
public enum OutputFolder {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// `path` absolute, standardized, symbolic links resolved — in the part of it that
    /// exists too when the rest does not yet (`ol/h.db` with `ol` a link to `out` is
    /// `…/out/h.db` before `h.db` is made), so that placement rules compare real places.
    public static func absolute(_ path: String) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        var head = standardized
        var rest: [Substring] = []
        while true {
            if let real = realpath(head, nil) {
                defer { free(real) }
                let resolved = String(cString: real)
                guard !rest.isEmpty else { return resolved }
                return (resolved == "/" ? "" : resolved) + "/" + rest.reversed().joined(separator: "/")
            }
            guard let up = parent(of: head), let slash = head.lastIndex(of: "/") else { return standardized }
            rest.append(head[head.index(after: slash)...])
            head = up
        }
    }

    /// The folder holding `path` (absolute), nil for the root.
    static func parent(of path: String) -> String? {
        guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `path` lies inside `folder` (both absolute): `folder + "/"` a prefix, the
    /// root folder holding everything.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        folder == "/" ? path != "/" : path.hasPrefix(folder + "/")
    }

    /// Whether `folder` is `path` or one of its ancestors, compared as file-system objects
    /// (device and inode) along `path`'s existing part: a bind mount or a second name of
    /// the same folder is seen through where paths differ.
    static func holds(_ folder: String, _ path: String) -> Bool {
        var target = stat()
        guard stat(folder, &target) == 0 else { return false }
        var current: String? = absolute(path)
        while let place = current {
            var info = stat()
            if stat(place, &info) == 0 && info.st_dev == target.st_dev && info.st_ino == target.st_ino { return true }
            current = parent(of: place)
        }
        return false
    }

    /// The files and folders Takt writes into an output folder, by kind of output.
    static let ownFiles: [String: Set<String>] = [
        "plan": ["mps.csv", "planned_orders.csv", "purchase_suggestions.csv", "exceptions.csv", "capacity.csv", "risks.csv",
                 "gates.json", "report.md", "report.html", "summary.json", "pegging.csv", "lp", "kpis.csv", "deliveries.csv",
                 "purchase_changes.csv"],
        "whatif": ["compare.csv", "compare.html", "summary.json"],
        "simulate": ["simulation.csv", "criticality.csv", "summary.json"],
        "release": Set(["plan.yaml", "released.csv", "summary.json"] + ModelLoader.csvFiles),
        "generate": ["plan.yaml", "items.csv", "bom.csv", "inventory.csv", "receipts.csv", "demand.csv", "suppliers.csv",
                     "workcenters.csv", "routings.csv", "gates.csv", "decisions.csv", "summary.json"],
    ]

    /// The kind of output `folder`'s summary.json declares, whatever else the folder holds.
    static func declaredKind(_ folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/summary.json"),
              let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return summary["takt_output"] as? String
    }

    /// Whether `entry` of `folder` is one Takt writes into an output of `kind`: one of its
    /// files, or for `whatif` a run folder (a plan output itself).
    static func isTakts(_ entry: String, in folder: String, kind: String) -> Bool {
        ownFiles[kind]?.contains(entry) == true || (kind == "whatif" && taktOutputKind(folder + "/" + entry) == "plan")
    }

    /// The kind of Takt output `folder` is (`plan`, `whatif`, `generate`), or nil when it
    /// is not one: its `summary.json` must say so and every entry must be Takt's.
    public static func taktOutputKind(_ folder: String) -> String? {
        guard let kind = declaredKind(folder), ownFiles[kind] != nil,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        for entry in entries where !isTakts(entry, in: folder, kind: kind) { return nil }
        return kind
    }

    /// Checks that `target` may be written for a model in `modelFolders` with the input
    /// files `inputs` (scenarios).
    public static func check(target: String, modelFolders: [String], inputs: [String] = [], force: Bool) throws {
        guard !target.isEmpty else { throw Refusal(description: "--out is empty: give the output folder") }
        let out = absolute(target)
        // The root and the home folder are never an output folder, --force or not: the run
        // replaces the folder it writes, and would take everything beneath with it.
        let homes = Set([NSHomeDirectory(), ProcessInfo.processInfo.environment["HOME"] ?? "/"].map(absolute))
        if out == "/" || homes.contains(out) {
            throw Refusal(description: "\(target): refusing to write output over \(out == "/" ? "the root folder" : "the home folder")")
        }
        for folder in modelFolders {
            let model = absolute(folder)
            if out == model || isInside(model, out) || isInside(out, model) || holds(out, model) || holds(model, out) {
                throw Refusal(description: "\(target): refusing to write output in or over the model folder \(folder)")
            }
        }
        for input in inputs where isInside(absolute(input), out) || holds(out, input) {
            throw Refusal(description: "\(target): holds \(input), which this run reads; the run would replace it")
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Refusal(description: "\(target): exists and is not a folder")
        }
        if force { return }
        let contents = (try? fm.contentsOfDirectory(atPath: out)) ?? []
        if contents.isEmpty || taktOutputKind(out) != nil { return }
        throw Refusal(description: "\(target): exists and is not a Takt output folder (no summary.json of Takt's, or files Takt does not write); use --force to replace it")
    }

    /// Writes `files` (relative path → bytes) as the folder `target`, atomically.
    public static func write(_ files: [String: [UInt8]], to target: String) throws {
        try write(to: target) { temporary in
            var sink = FolderSink(folder: temporary)
            for name in files.keys.sorted() { try sink.put(name, files[name]!) }
        }
    }

    /// Runs `body` with a fresh temporary folder beside `target`, then swaps it in.
    public static func write(to target: String, _ body: (String) throws -> Void) throws {
        let fm = FileManager.default
        let out = absolute(target)
        let parent = (out as NSString).deletingLastPathComponent
        let name = (out as NSString).lastPathComponent
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw FolderSink.Failure(description: "\(parent): cannot create folder (\(IOReason.of(error)))")
        }
        recover(parent: parent, name: name)
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent + "/.\(name).takt-tmp-\(pid)"
        let old = parent + "/.\(name).takt-old-\(pid)"
        try? fm.removeItem(atPath: temporary)
        if mkdir(temporary, 0o755) != 0 {
            throw FolderSink.Failure(description: "\(temporary): cannot create folder (\(IOReason.current()))")
        }
        do {
            try body(temporary)
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        guard fm.fileExists(atPath: out) else {
            guard rename(temporary, out) == 0 else {
                let reason = IOReason.current()
                try? fm.removeItem(atPath: temporary)
                throw FolderSink.Failure(description: "\(out): cannot create (\(reason))")
            }
            return
        }
        // One atomic exchange where the file system has it: the target is never missing.
        if exchange(temporary, out) {
            // The replaced folder is `old` from here on: a run killed now leaves it for the
            // next run to carry from (a `tmp` leftover is a half-written output, removed).
            if rename(temporary, old) == 0 {
                settle(replaced: old, into: out, parent: parent, name: name)
            } else {
                settle(replaced: temporary, into: out, parent: parent, name: name)
            }
            return
        }
        if errno == EBUSY {
            // A mount point cannot be renamed: write into it, removing what `settle` would
            // not give back: the entries this run writes again and Takt's earlier files.
            do {
                let kind = declaredKind(out)
                let incoming = Set(try fm.contentsOfDirectory(atPath: temporary))
                for entry in try fm.contentsOfDirectory(atPath: out)
                where incoming.contains(entry) || kind.map({ isTakts(entry, in: out, kind: $0) }) == true {
                    try fm.removeItem(atPath: out + "/" + entry)
                }
                for entry in try fm.contentsOfDirectory(atPath: temporary) {
                    try fm.moveItem(atPath: temporary + "/" + entry, toPath: out + "/" + entry)
                }
                try? fm.removeItem(atPath: temporary)
                return
            } catch {
                try? fm.removeItem(atPath: temporary)
                throw FolderSink.Failure(description: "\(out): cannot write into the folder (\(IOReason.of(error)))")
            }
        }
        // Two renames; a run killed between them leaves `old`, which the next run puts back.
        try? fm.removeItem(atPath: old)
        guard rename(out, old) == 0 else {
            let reason = IOReason.current()
            try? fm.removeItem(atPath: temporary)
            throw FolderSink.Failure(description: "\(out): cannot replace (\(reason))")
        }
        guard rename(temporary, out) == 0 else {
            let reason = IOReason.current()
            _ = rename(old, out)
            try? fm.removeItem(atPath: temporary)
            throw FolderSink.Failure(description: "\(out): cannot replace (\(reason))")
        }
        settle(replaced: old, into: out, parent: parent, name: name)
    }

    /// Disposes of the folder a run replaced: a Takt output goes whole; a folder written
    /// over with `--force` gives its entries that the new folder does not have (the user's
    /// files) back to it first — only the entries this run wrote anew are replaced. An entry
    /// that cannot be moved (a mount point, no permission) keeps the replaced folder, as
    /// `NAME.kept-by-takt-PID` beside the output: nothing the run did not write is deleted.
    static func settle(replaced: String, into out: String, parent: String, name: String) {
        let fm = FileManager.default
        // The kind its summary.json declares (a Takt output, or a folder Takt wrote into
        // with --force before) says which entries are Takt's; the others are the user's.
        let kind = declaredKind(replaced)
        var carried = true
        for entry in (try? fm.contentsOfDirectory(atPath: replaced)) ?? []
        where !fm.fileExists(atPath: out + "/" + entry) && kind.map({ isTakts(entry, in: replaced, kind: $0) }) != true {
            if rename(replaced + "/" + entry, out + "/" + entry) != 0 { carried = false }
        }
        if !carried {
            _ = rename(replaced, parent + "/\(name).kept-by-takt-\(ProcessInfo.processInfo.processIdentifier)")
            return
        }
        // Its files removed on every core first: handing a large file's pages back (the
        // 0.8 GB of planned_orders.csv at 1M items) is most of the time the removal takes.
        // A folder is not unlinked (EISDIR): `removeItem` takes it with what is left.
        let entries = ((try? fm.contentsOfDirectory(atPath: replaced)) ?? []).map { replaced + "/" + $0 }
        DispatchQueue.concurrentPerform(iterations: entries.count) { k in _ = unlink(entries[k]) }
        try? fm.removeItem(atPath: replaced)
    }

    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2`, looked up once (Swift's Glibc module does not declare it).
    static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }

    /// Swaps two paths atomically (`RENAME_EXCHANGE`); false, with `errno` set, where the
    /// system or file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else {
            errno = ENOSYS
            return false
        }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */) == 0
    }

    /// Cleans up after runs that were killed: removes the temporary and old folders of
    /// `name` whose process is gone, after putting a missing target back from its old copy.
    static func recover(parent: String, name: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent) else { return }
        let target = parent + "/" + name
        for entry in entries.sorted() {
            for (kind, prefix) in [("tmp", ".\(name).takt-tmp-"), ("old", ".\(name).takt-old-")] where entry.hasPrefix(prefix) {
                guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
                let path = parent + "/" + entry
                if kind == "old" && !fm.fileExists(atPath: target) && rename(path, target) == 0 { continue }
                // A replaced folder caught before the user's entries were given back.
                if kind == "old" && fm.fileExists(atPath: target) {
                    settle(replaced: path, into: target, parent: parent, name: name)
                    continue
                }
                try? fm.removeItem(atPath: path)
            }
        }
    }
}

/// I/O failures in words: "no space left on device", "permission denied".
public enum IOReason {
    /// The current `errno`, in words.
    public static func current() -> String { String(cString: strerror(errno)).lowercased() }

    /// A Foundation or POSIX error, in words.
    public static func of(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))).lowercased() }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return "no space left on device"
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
        case NSFileWriteFileExistsError: return "a file is in the way: it is a file, not a folder"
        default: return ns.localizedDescription
        }
    }
}
