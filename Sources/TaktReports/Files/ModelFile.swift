import Foundation

/// The one change Takt makes to a model, on request (`takt release --apply`): a file
/// replaced whole and atomically — written beside it, the old one copied to a backup,
/// then renamed over it — so a reader sees the old file or the new one, never a part.
public enum ModelFile {
    /// Replaces `path` by `bytes`, keeping the old file as `backup` (a name in the same
    /// folder, replaced if present).
    public static func replace(_ path: String, with bytes: [UInt8], backup: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = folder + "/.\(name).takt-tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let fm = FileManager.default
        guard fm.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw FolderSink.Failure(description: "\(temporary): cannot write (\(IOReason.current()))")
        }
        do {
            if fm.fileExists(atPath: path) {
                try? fm.removeItem(atPath: folder + "/" + backup)
                try fm.copyItem(atPath: path, toPath: folder + "/" + backup)
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw FolderSink.Failure(description: "\(folder)/\(backup): cannot keep the previous file (\(IOReason.of(error)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = IOReason.current()
            try? fm.removeItem(atPath: temporary)
            throw FolderSink.Failure(description: "\(path): cannot replace (\(reason))")
        }
    }
}
