import Foundation
import TaktReports

/// The `paths` fuzz target: the bytes pick an `--out` and a `--history` path from a small
/// vocabulary (`..`, `.`, links to the model, to a parent and to themselves, the root,
/// missing folders) inside a sandbox; whatever `OutputFolder.check` and
/// `PlanHistory.placeProblem` accept must pass an oracle that asks the kernel, not path
/// strings: the folder written is not the model folder, the root or an ancestor of the
/// model, and the history lies neither in the model folder nor in the output folder.
/// Nothing is written: a violation stops the fuzzer.
enum PathRulesTarget {
    /// The sandbox: `model/` (with a file), `a/b/`, `other/`, and links `l-model` → model,
    /// `l-up` → `..`, `a/l-top` → `..`, `l-self` → itself, `l-none` → nowhere.
    static let root: String = {
        let base = FuzzTargets.folder + "-paths"
        let fm = FileManager.default
        try? fm.removeItem(atPath: base)
        try? fm.createDirectory(atPath: base + "/model", withIntermediateDirectories: true)
        try? fm.createDirectory(atPath: base + "/a/b", withIntermediateDirectories: true)
        try? fm.createDirectory(atPath: base + "/other", withIntermediateDirectories: true)
        _ = fm.createFile(atPath: base + "/model/items.csv", contents: Data("item\n".utf8))
        symlink(base + "/model", base + "/l-model")
        symlink("..", base + "/l-up")
        symlink("..", base + "/a/l-top")
        symlink(base + "/l-self", base + "/l-self")
        symlink(base + "/none", base + "/l-none")
        return base
    }()

    static let words = ["model", "a", "b", "other", "..", ".", "l-model", "l-up", "l-top", "l-self", "l-none",
                        "x", "", "h.db", "out", "items.csv"]

    /// A path from bytes: the first picks the start (the sandbox, the root, or relative to
    /// the working folder), each next one a word; 0xFF ends it.
    static func path(_ bytes: inout ArraySlice<UInt8>) -> String {
        guard let first = bytes.popFirst() else { return root }
        var path = [root, "/", root + "/a", root + "/model"][Int(first) % 4]
        while let byte = bytes.popFirst(), byte != 0xFF {
            path += (path.hasSuffix("/") ? "" : "/") + words[Int(byte) % words.count]
        }
        return path
    }

    /// The device and inode of `path`'s nearest existing ancestor-or-self and of each of
    /// its ancestors up to the root, as the kernel resolves them (`/..` appended).
    static func chain(_ path: String) -> [(dev_t, ino_t)] {
        var existing = path
        var info = stat()
        // The nearest existing folder: a file's own folder, a missing path's first
        // existing ancestor.
        while stat(existing, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            guard let slash = existing.lastIndex(of: "/"), existing != "/" else { return [] }
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
        var ids: [(dev_t, ino_t)] = []
        var current = existing
        for _ in 0..<64 {
            guard stat(current, &info) == 0 else { break }
            if ids.contains(where: { $0 == (info.st_dev, info.st_ino) }) { break }
            ids.append((info.st_dev, info.st_ino))
            current += "/.."
        }
        return ids
    }

    static func id(_ path: String) -> (dev_t, ino_t)? {
        var info = stat()
        return stat(path, &info) == 0 ? (info.st_dev, info.st_ino) : nil
    }

    static func run(_ bytes: [UInt8]) {
        var rest = bytes[...]
        let out = path(&rest)
        let history = path(&rest)
        let model = root + "/model"
        guard (try? OutputFolder.check(target: out, modelFolders: [model], force: true)) != nil else { return }
        // The folder the writer replaces: `out` as the writer resolves it.
        let written = OutputFolder.absolute(out)
        let modelID = id(model)!
        if let outID = id(written) {
            if chain(model).contains(where: { $0 == outID }) { fatalError("--out \(out) is the model folder or holds it") }
            if outID == id("/")! { fatalError("--out \(out) is the root folder") }
        }
        if chain(written).contains(where: { $0 == modelID }) { fatalError("--out \(out) lies in the model folder") }
        guard PlanHistory.placeProblem(history, model: model, out: out) == nil else { return }
        let file = OutputFolder.absolute(history)
        if chain(file).contains(where: { $0 == modelID }) { fatalError("--history \(history) lies in the model folder") }
        if let outID = id(written), chain(file).contains(where: { $0 == outID }) {
            fatalError("--history \(history) lies in --out \(out)")
        }
    }
}
