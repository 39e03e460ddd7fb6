import Foundation

/// Writes a run's files so that the output folder is never half-written (contract §1,
/// issue 8).
///
/// Behaviour:
/// - files go to a temporary folder beside the target, which is swapped in by rename
///   only when every file is written; a failed run removes it and leaves the old folder;
/// - an existing target is replaced only when it is empty, a previous Takt output (it
///   holds `summary.json`), or `force` is given;
/// - the target may not be the model folder, contain it, or lie inside it.
public enum OutputFolder {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Checks that `target` may be written for a model in `modelFolder`.
    public static func check(target: String, modelFolders: [String], force: Bool) throws {
        guard !target.isEmpty else { throw Refusal(description: "--out is empty: give the output folder") }
        let out = absolute(target)
        for folder in modelFolders {
            let model = absolute(folder)
            if out == model || model.hasPrefix(out + "/") || out.hasPrefix(model + "/") {
                throw Refusal(description: "\(target): refusing to write output in or over the model folder \(folder)")
            }
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Refusal(description: "\(target): exists and is not a folder")
        }
        if force { return }
        let contents = (try? fm.contentsOfDirectory(atPath: out)) ?? []
        if contents.isEmpty || contents.contains("summary.json") { return }
        throw Refusal(description: "\(target): exists and is not a Takt output folder (no summary.json); use --force to replace it")
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
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let pid = ProcessInfo.processInfo.processIdentifier
        let temporary = parent + "/.\(name).takt-tmp-\(pid)"
        let old = parent + "/.\(name).takt-old-\(pid)"
        try? fm.removeItem(atPath: temporary)
        try fm.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            try body(temporary)
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
        if fm.fileExists(atPath: out) {
            try? fm.removeItem(atPath: old)
            try fm.moveItem(atPath: out, toPath: old)
            do {
                try fm.moveItem(atPath: temporary, toPath: out)
            } catch {
                try? fm.moveItem(atPath: old, toPath: out)
                try? fm.removeItem(atPath: temporary)
                throw error
            }
            try? fm.removeItem(atPath: old)
        } else {
            try fm.moveItem(atPath: temporary, toPath: out)
        }
    }
}
