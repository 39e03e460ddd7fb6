import Foundation
import XCTest

/// No command writes or deletes anything but its `--out` folder, the history and their
/// temporary siblings: every command runs in a sandbox folder, and a listing of everything
/// else in it (path, kind, size, contents' digest) is the same before and after.
final class SandboxTests: XCTestCase {
    /// Every entry under `root` but the `allowed` top-level names, with what it holds.
    func listing(_ root: String, except allowed: Set<String>) throws -> [String] {
        let fm = FileManager.default
        var entries: [String] = []
        guard let walker = fm.enumerator(atPath: root) else { return [] }
        while let path = walker.nextObject() as? String {
            let top = String(path.split(separator: "/").first ?? "")
            if allowed.contains(top) {
                if !path.contains("/") { walker.skipDescendants() }
                continue
            }
            let full = root + "/" + path
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: full, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                entries.append("dir \(path)")
            } else {
                let data = try Data(contentsOf: URL(fileURLWithPath: full))
                var digest: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over every byte
                for byte in data { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
                entries.append("file \(path) \(data.count) \(String(digest, radix: 16))")
            }
        }
        return entries.sorted()
    }

    func testNoCommandTouchesAnythingButItsOutputAndHistory() throws {
        let sandbox = CLIRunner.temporaryFolder()
        let fm = FileManager.default
        try fm.copyItem(atPath: CLIRunner.fixture("drone"), toPath: sandbox + "/model")
        try fm.removeItem(atPath: sandbox + "/model/expected")
        try fm.createDirectory(atPath: sandbox + "/keep", withIntermediateDirectories: true)
        try "a file of the user's\n".write(toFile: sandbox + "/keep/notes.txt", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: sandbox + "/outlink", withDestinationPath: sandbox + "/keep")
        let model = sandbox + "/model"
        let scenarios = ["late-pcb", "ramp-80"].map { model + "/scenarios/\($0).yaml" }
        let outputs: Set<String> = ["out", "w", "w1", "w2", "wm", "sim", "s1", "s2", "sm", "gen", "h.db", "h.db-wal", "h.db-shm"]
        let before = try listing(sandbox, except: outputs)
        let commands: [([String], Int32)] = [
            (["check", model], 0),
            (["plan", model, "--out", sandbox + "/out", "--history", sandbox + "/h.db", "--quiet"], 0),
            (["plan", model, "--out", sandbox + "/out", "--history", sandbox + "/h.db", "--pegging", "--write-lp", "--quiet"], 0),
            (["whatif", model] + scenarios + ["--out", sandbox + "/w", "--quiet"], 0),
            (["whatif", model] + scenarios + ["--shard", "1/2", "--out", sandbox + "/w1", "--quiet"], 0),
            (["whatif", model] + scenarios + ["--shard", "2/2", "--out", sandbox + "/w2", "--quiet"], 0),
            (["whatif", "merge", sandbox + "/w1", sandbox + "/w2", "--out", sandbox + "/wm", "--quiet"], 0),
            (["simulate", model, "--samples", "20", "--out", sandbox + "/sim", "--quiet"], 0),
            (["simulate", model, "--samples", "20", "--shard", "1/2", "--out", sandbox + "/s1", "--quiet"], 0),
            (["simulate", model, "--samples", "20", "--shard", "2/2", "--out", sandbox + "/s2", "--quiet"], 0),
            (["simulate", "merge", sandbox + "/s1", sandbox + "/s2", "--out", sandbox + "/sm", "--quiet"], 0),
            (["record", model, "MCU-H7"], 0),
            (["explode", model, "DRONE-X1"], 0),
            (["cost", model, "DRONE-X1"], 0),
            (["history", sandbox + "/h.db"], 0),
            (["generate", "--items", "200", "--out", sandbox + "/gen"], 0),
            // Refused: over the model, over a folder of the user's (through a link too),
            // the history inside --out; nothing may change.
            (["plan", model, "--out", model, "--force", "--quiet"], 2),
            (["plan", model, "--out", sandbox + "/keep", "--quiet"], 2),
            (["plan", model, "--out", sandbox + "/outlink", "--quiet"], 2),
            (["plan", model, "--out", sandbox + "/out", "--history", sandbox + "/out/h.db", "--quiet"], 2),
            (["plan", model, "--out", sandbox, "--force", "--quiet"], 2),
        ]
        for (arguments, status) in commands {
            let run = try CLIRunner.run(arguments, in: URL(fileURLWithPath: sandbox))
            XCTAssertEqual(run.status, status, "\(arguments.joined(separator: " ")): \(run.stderr)")
            XCTAssertEqual(try listing(sandbox, except: outputs), before, "after \(arguments.joined(separator: " "))")
        }
        // And no temporary sibling is left behind.
        let top = try fm.contentsOfDirectory(atPath: sandbox).filter { !outputs.contains($0) }.sorted()
        XCTAssertEqual(top, ["keep", "model", "outlink"])
    }
}
