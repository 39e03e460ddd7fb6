import Foundation
import XCTest

/// End to end: the built binary's exit codes, messages and files (contract §1, §3, §4).
final class CLITests: XCTestCase {
    func testEveryInvalidFixtureFailsWithItsExactMessageAndWritesNothing() throws {
        let root = CLIRunner.fixture("invalid")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for name in cases {
            let model = root + "/" + name
            let expected = try String(contentsOfFile: model + "/expected.txt", encoding: .utf8)
                .replacingOccurrences(of: "{M}", with: model)
            let check = try CLIRunner.run(["check", model])
            XCTAssertEqual(check.status, 2, name)
            XCTAssertEqual(check.stderr, expected, name)
            let out = CLIRunner.temporaryFolder() + "/out"
            let plan = try CLIRunner.run(["plan", model, "--out", out])
            XCTAssertEqual(plan.status, 2, name)
            XCTAssertEqual(plan.stderr, expected, "plan rejects what check rejects: \(name)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no output for \(name)")
        }
    }

    func testCheckDroneSucceedsWithASummary() throws {
        let result = try CLIRunner.run(["check", CLIRunner.fixture("drone")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("16 items, 16 BOM lines, 4 levels"), result.stdout)
    }

    func testPlanWritesEveryFileAndIsDeterministic() throws {
        let folder = CLIRunner.temporaryFolder()
        let first = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/a", "--write-lp"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/b", "--write-lp"])
        XCTAssertEqual(second.status, 0)
        let expected = ["capacity.csv", "deliveries.csv", "exceptions.csv", "gates.json", "kpis.csv", "lp", "mps.csv", "planned_orders.csv",
                        "purchase_suggestions.csv", "report.html", "report.md", "risks.csv", "summary.json"]
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/a").sorted(), expected)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/a/lp").sorted(),
                       ["Pre-Production.lp", "Ramp I.lp", "Ramp II.lp", "Soft Launch.lp", "Steady State.lp", "index.csv"])
        for name in expected where name != "lp" && name != "summary.json" {
            let a = FileManager.default.contents(atPath: folder + "/a/" + name)
            XCTAssertEqual(a, FileManager.default.contents(atPath: folder + "/b/" + name), name)
        }
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/a/summary.json"))) as! [String: Any]
        let lp = summary["lp"] as! [[String: Any]]
        XCTAssertEqual(lp.map { $0["phase"] as! String }, ["Pre-Production", "Soft Launch", "Ramp I", "Ramp II", "Steady State"])
        XCTAssertEqual(Set(lp.map { $0["status"] as! String }), ["optimal"])
        // Only Ramp II's LP needs the drone in it (it builds ahead of SMT's limit); Steady
        // State covers SMT with overtime and makes the drone just in time.
        XCTAssertEqual(lp.map { $0["products_solved"] as! Int }, [0, 0, 0, 1, 0])
        let inputs = summary["inputs"] as! [String: String]
        XCTAssertEqual(inputs["items.csv"]?.count, 64)
        XCTAssertTrue(first.stdout.contains("SMT is the bottleneck in"), first.stdout)
    }

    /// `pegging.csv` only with `--pegging` (§3, §4); every other file identical to a run without it.
    func testPeggingIsWrittenOnlyOnRequest() throws {
        let folder = CLIRunner.temporaryFolder()
        let full = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/full", "--pegging"])
        XCTAssertEqual(full.status, 0, full.stderr)
        let lean = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/lean"])
        XCTAssertEqual(lean.status, 0, lean.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/full").sorted()
        XCTAssertTrue(names.contains("pegging.csv"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/lean").sorted(),
                       names.filter { $0 != "pegging.csv" })
        for name in names where name != "pegging.csv" && name != "summary.json" {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/lean/" + name),
                           FileManager.default.contents(atPath: folder + "/full/" + name), name)
        }
        func counts(_ run: String) throws -> [String: Any] {
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/\(run)/summary.json"))) as! [String: Any]
            return summary["counts"] as! [String: Any]
        }
        XCTAssertGreaterThan(try counts("full")["pegging_rows"] as! Int, 0)
        // The order counts by kind are those of planned_orders.csv.
        let kinds = try String(contentsOfFile: folder + "/lean/planned_orders.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] }
        XCTAssertEqual(try counts("lean")["make_orders"] as? Int, kinds.count { $0 == "make" })
        XCTAssertEqual(try counts("lean")["buy_orders"] as? Int, kinds.count { $0 == "buy" })
        XCTAssertGreaterThan(kinds.count { $0 == "make" }, 0)
        XCTAssertTrue(try counts("lean")["pegging_rows"] is NSNull)
        XCTAssertEqual(lean.stdout, full.stdout.replacingOccurrences(of: folder + "/full", with: folder + "/lean"))
    }

    /// `takt record` (§3): the text record, `--csv`, a scenario, and an unknown item.
    func testRecordPrintsOneItem() throws {
        let text = try CLIRunner.run(["record", CLIRunner.fixture("mps-prebuild"), "C"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("C (buy) — a bought component\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Where used:\n  P: qty per 2\n"), text.stdout)
        // The default is the list of elements; --grid the time-phased grid.
        XCTAssertTrue(text.stdout.contains("\ndate        element"), text.stdout)
        for words in ["gross requirement: parent P", "projected on hand", "net requirement", "planned receipt (purchase order), release "] {
            XCTAssertTrue(text.stdout.contains(words), "\(words): \(text.stdout)")
        }
        XCTAssertFalse(text.stdout.contains("gross requirements"), text.stdout)
        let grid = try CLIRunner.run(["record", CLIRunner.fixture("mps-prebuild"), "C", "--grid"])
        XCTAssertTrue(grid.stdout.contains("\ngross requirements "), grid.stdout)
        XCTAssertFalse(grid.stdout.contains("\ndate        element"), grid.stdout)
        // The projection's side: when the late orders arrive and when the item's own
        // requirements are delivered (§2d).
        let mcu = try CLIRunner.run(["record", CLIRunner.fixture("drone"), "MCU-H7"])
        XCTAssertTrue(mcu.stdout.contains("  order of 1800 due 2027-03-01: arrives 2027-03-29 (+28 days) — should have been released before the plan start\n  7 planned orders arrive on the due date\n"), mcu.stdout)
        let drone = try CLIRunner.run(["record", CLIRunner.fixture("drone"), "DRONE-X1"])
        XCTAssertTrue(drone.stdout.contains("  ramp 50 needed 2027-03-22: delivered 2027-04-19 (+28 days), waiting for MCU-H7\n"), drone.stdout)
        XCTAssertTrue(drone.stdout.contains("  34 of its 45 ramp weeks and demand rows delivered on time\n"), drone.stdout)
        let csv = try CLIRunner.run(["record", CLIRunner.fixture("mps-prebuild"), "C", "--csv"])
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 9)
        let folder = CLIRunner.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "on_hand: {C: 0}\n".write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let changed = try CLIRunner.run(["record", CLIRunner.fixture("mps-prebuild"), "C", "--csv", "--scenario", folder + "/s.yaml"])
        XCTAssertTrue(changed.stdout.contains("\n2027-01-04,100,parent P=100,0,0,0,100,100,"), changed.stdout)
        let unknown = try CLIRunner.run(["record", CLIRunner.fixture("drone"), "MCU-H8"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown item \"MCU-H8\"") && unknown.stderr.contains("closest: MCU-H7"), unknown.stderr)
    }

    /// `takt` with no command is a usage error (exit 2, the help on stderr); asking for
    /// the help is not (exit 0, on stdout).
    func testNoCommandIsAUsageError() throws {
        let bare = try CLIRunner.run([])
        XCTAssertEqual(bare.status, 2)
        XCTAssertTrue(bare.stderr.contains("USAGE: takt <subcommand>"), bare.stderr)
        XCTAssertEqual(bare.stdout, "")
        let help = try CLIRunner.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: takt <subcommand>"), help.stdout)
    }

    /// The progress line: drawn on a terminal (here after 0 ms; a second by default),
    /// never when stderr is not a terminal or with --quiet.
    func testProgressOnlyOnATerminal() throws {
        let folder = CLIRunner.temporaryFolder()
        let plain = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/a"])
        XCTAssertEqual(plain.stderr, "", "no progress without a terminal")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        func onTerminal(_ extra: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let command = "\(CLIRunner.binary.path) plan \(CLIRunner.fixture("drone")) --out \(folder)/b \(extra)"
            process.arguments = ["-qec", command, "/dev/null"]
            process.environment = ["TAKT_PROGRESS_AFTER_MS": "0", "PATH": "/usr/bin:/bin"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let shown = try onTerminal("")
        XCTAssertTrue(shown.contains("takt: MRP … 50 %"), shown)
        XCTAssertTrue(shown.contains("planned 16 items"), shown)
        XCTAssertFalse(try onTerminal("--quiet").contains("takt: MRP"))
    }

    /// Warnings (input the plan leaves out) are shown by check and plan — at most 20 on
    /// stderr, then a count — and listed in summary.json and the report.
    func testWarningsInCheckPlanSummaryAndReport() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = folder + "/m"
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        try "start: 2027-01-04\nhorizon_weeks: 2\n".write(toFile: model + "/plan.yaml", atomically: true, encoding: .utf8)
        try "item,type\nA,buy\n".write(toFile: model + "/items.csv", atomically: true, encoding: .utf8)
        let rows = (1...25).map { "A,2027-03-\(String(format: "%02d", $0)),1" }.joined(separator: "\n")
        try ("item,date,quantity\n" + rows + "\n").write(toFile: model + "/demand.csv", atomically: true, encoding: .utf8)
        let check = try CLIRunner.run(["check", model])
        XCTAssertEqual(check.status, 0)
        XCTAssertEqual(check.stderr.split(separator: "\n").count, 21)
        XCTAssertTrue(check.stderr.hasPrefix("\(model)/demand.csv:2: warning: demand dated 2027-03-01 is past the horizon (ends 2027-01-17); ignored\n"), check.stderr)
        XCTAssertTrue(check.stderr.hasSuffix("… 5 more warnings\n"), check.stderr)
        let plan = try CLIRunner.run(["plan", model, "--out", folder + "/out"])
        XCTAssertTrue(plan.stderr.hasSuffix("… 5 more warnings in summary.json\n"), plan.stderr)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/out/summary.json"))) as! [String: Any]
        XCTAssertEqual((summary["warnings"] as! [String]).count, 25)
        let report = try String(contentsOfFile: folder + "/out/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("## Warnings: input the plan leaves out\n\n- demand.csv:2: warning: demand dated 2027-03-01"), report)
        XCTAssertTrue(report.contains("- … and 10 more"), report)
    }

    /// Usage errors a user met: each exits 2 with the reason, and writes nothing.
    func testBadArgumentsExitTwoWithTheReason() throws {
        let drone = CLIRunner.fixture("drone")
        for qty in ["-1", "0x10", "1e308"] {
            let run = try CLIRunner.run(["explode", drone, "FRAME-ASSY", "--qty", qty])
            XCTAssertEqual(run.status, 2, qty)
            XCTAssertTrue(run.stderr.contains("--qty must be a number > 0 and at most 1e15, got \"\(qty)\""), run.stderr)
        }
        let folder = CLIRunner.temporaryFolder()
        let previous = try CLIRunner.run(["plan", drone, "--out", folder + "/p", "--previous", folder + "/missing"])
        XCTAssertEqual(previous.status, 2)
        XCTAssertEqual(previous.stderr, "--previous \(folder)/missing: no such folder\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/p"))
        try "# the name of whatif's own folder\nname: base\n".write(toFile: folder + "/base.yaml", atomically: true, encoding: .utf8)
        let clash = try CLIRunner.run(["whatif", drone, folder + "/base.yaml", "--out", folder + "/w"])
        XCTAssertEqual(clash.status, 2)
        XCTAssertTrue(clash.stderr.contains("base.yaml:2: scenario name \"base\" is taken"), clash.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/w"))
        let empty = try CLIRunner.run(["plan", drone, "--out", ""])
        XCTAssertEqual(empty.status, 2)
    }

    /// A `--previous` output whose risks or gates cannot be read stops the run (exit 2,
    /// `FILE:LINE:`), rather than a report that calls every risk and gate new.
    func testAPreviousOutputWithBrokenFilesIsRefused() throws {
        let drone = CLIRunner.fixture("drone")
        let folder = CLIRunner.temporaryFolder()
        let last = folder + "/last"
        XCTAssertEqual(try CLIRunner.run(["plan", drone, "--out", last, "--quiet"]).status, 0)
        let fine = try CLIRunner.run(["plan", drone, "--out", folder + "/ok", "--previous", last, "--quiet"])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        var risks = try String(contentsOfFile: last + "/risks.csv", encoding: .utf8)
        // A risk the history escalated to a level 4 that `escalation:` lists is a plan run's.
        risks += "shortage:Y:2027-01-04,shortage,Y,4,CEO,2027-01-04,,escalated\n"
        try risks.write(toFile: last + "/risks.csv", atomically: true, encoding: .utf8)
        let escalated = try CLIRunner.run(["plan", drone, "--out", folder + "/ok", "--previous", last, "--quiet"])
        XCTAssertEqual(escalated.status, 0, escalated.stderr)
        let lines = risks.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        try (risks + "shortage:X:2027-01-04,shortage,X,high,Someone,2027-01-04,,\n").write(toFile: last + "/risks.csv", atomically: true, encoding: .utf8)
        let badLevel = try CLIRunner.run(["plan", drone, "--out", folder + "/p", "--previous", last])
        XCTAssertEqual(badLevel.status, 2)
        XCTAssertTrue(badLevel.stderr.hasPrefix("\(last)/risks.csv:\(lines + 1): not a risk of a takt plan run"), badLevel.stderr)
        try "id,kind\n".write(toFile: last + "/risks.csv", atomically: true, encoding: .utf8)
        let noLevel = try CLIRunner.run(["plan", drone, "--out", folder + "/p", "--previous", last])
        XCTAssertEqual(noLevel.status, 2)
        XCTAssertEqual(noLevel.stderr, "\(last)/risks.csv:1: no column level: not the file a takt plan run writes\n")
        try FileManager.default.removeItem(atPath: last + "/gates.json")
        let noGates = try CLIRunner.run(["plan", drone, "--out", folder + "/p", "--previous", last])
        XCTAssertEqual(noGates.status, 2)
        XCTAssertEqual(noGates.stderr, "\(last)/gates.json:1: missing or unreadable: last week's gates are not known\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/p"))
    }

    func testOutputFolderIsReplacedOnlyWhenItIsTakts() throws {
        let folder = CLIRunner.temporaryFolder()
        let foreign = folder + "/docs"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try "keep me".write(toFile: foreign + "/notes.txt", atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", foreign])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("not a Takt output folder"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: foreign + "/notes.txt", encoding: .utf8), "keep me")
        // An empty folder and a previous output are fine; a failed run leaves the previous output.
        let out = folder + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", out]).status, 0)
        let before = FileManager.default.contents(atPath: out + "/planned_orders.csv")
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("invalid/bom-cycle"), "--out", out]).status, 2)
        XCTAssertEqual(FileManager.default.contents(atPath: out + "/planned_orders.csv"), before)
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", out]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["docs", "out"], "no temporary folders left")
        // --force writes over anything but the model folder, and removes only Takt's files:
        // the others (a file, a folder) are carried into the new folder; a Takt file of an
        // earlier run that this run does not write goes.
        try FileManager.default.createDirectory(atPath: foreign + "/drafts", withIntermediateDirectories: true)
        try "draft".write(toFile: foreign + "/drafts/a.md", atomically: true, encoding: .utf8)
        // An archived week's output kept in the folder is the user's too.
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", foreign + "/2027-W05", "--quiet"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", foreign, "--force", "--pegging"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign + "/pegging.csv"))
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", foreign, "--force"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: foreign + "/notes.txt", encoding: .utf8), "keep me")
        XCTAssertEqual(try String(contentsOfFile: foreign + "/drafts/a.md", encoding: .utf8), "draft")
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign + "/planned_orders.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: foreign + "/pegging.csv"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: foreign + "/2027-W05/summary.json"))
        // A killed run's replaced folder still holding a foreign file: carried over, not lost.
        let leftover = folder + "/.docs.takt-old-999999999"
        try FileManager.default.createDirectory(atPath: leftover, withIntermediateDirectories: true)
        try "old".write(toFile: leftover + "/lost.txt", atomically: true, encoding: .utf8)
        try "{}".write(toFile: leftover + "/summary.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", foreign, "--force"]).status, 0)
        XCTAssertEqual(try String(contentsOfFile: foreign + "/lost.txt", encoding: .utf8), "old")
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover))
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", CLIRunner.fixture("drone"), "--force"]).status, 2)
    }

    /// A second name for the model folder (a bind mount) is seen through: `--out` on it,
    /// or on a folder above it, and a history inside it are refused, the model untouched.
    /// Needs root and `unshare` (a private mount namespace).
    func testABindMountOfTheModelIsSeenThrough() throws {
        let unshare = "/usr/bin/unshare"
        try XCTSkipUnless(getuid() == 0 && FileManager.default.isExecutableFile(atPath: unshare), "needs root and unshare")
        let folder = CLIRunner.temporaryFolder()
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("drone"), toPath: folder + "/model")
        try FileManager.default.createDirectory(atPath: folder + "/bind", withIntermediateDirectories: true)
        let takt = CLIRunner.binary.path
        let script = """
            mount --bind \(folder) \(folder)/bind || exit 99
            \(takt) plan \(folder)/model --out \(folder)/bind/model --force; echo "out=$?"
            \(takt) plan \(folder)/model --out \(folder)/bind --force; echo "above=$?"
            \(takt) plan \(folder)/model --out \(folder)/o --history \(folder)/bind/model/h.db; echo "history=$?"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unshare)
        process.arguments = ["-m", "sh", "-c", script]
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, FileHandle.nullDevice)
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try XCTSkipIf(process.terminationStatus == 99 || output.isEmpty, "mount --bind not allowed here")
        XCTAssertEqual(output.split(separator: "\n"), ["out=2", "above=2", "history=2"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/model").sorted(),
                       try FileManager.default.contentsOfDirectory(atPath: CLIRunner.fixture("drone")).sorted())
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/o"))
    }

    /// Output-folder safety: Takt's own output is recognised by its marker, a run cleans up
    /// after killed runs (and puts back a target left only as its old copy), a scenario
    /// inside --out is refused, and an I/O failure exits 2 with the reason in words.
    func testOutputFolderSafety() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        // A summary.json alone does not make a folder Takt's.
        let lookalike = folder + "/lookalike"
        try FileManager.default.createDirectory(atPath: lookalike, withIntermediateDirectories: true)
        try "{}".write(toFile: lookalike + "/summary.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["plan", drone, "--out", lookalike]).status, 2)
        // Leftovers of killed runs (a process id that cannot be running) are removed, and a
        // target missing after a kill between the two renames is put back first.
        let out = folder + "/out"
        XCTAssertEqual(try CLIRunner.run(["plan", drone, "--out", out]).status, 0)
        let dead = "999999999"
        try FileManager.default.createDirectory(atPath: folder + "/.out.takt-tmp-\(dead)", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: out, toPath: folder + "/.out.takt-old-\(dead)")
        let marker = folder + "/.out.takt-old-\(dead)/marker.txt"
        try "previous".write(toFile: marker, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("invalid/bom-cycle"), "--out", out]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["plan", drone, "--out", out, "--force"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["lookalike", "out"], "leftovers removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/marker.txt"), "the restored copy was replaced, its foreign file kept")
        // A scenario inside --out would be deleted by the run that reads it.
        try "name: inside\n".write(toFile: out + "/s.yaml", atomically: true, encoding: .utf8)
        let inside = try CLIRunner.run(["plan", drone, "--scenario", out + "/s.yaml", "--out", out, "--force"])
        XCTAssertEqual(inside.status, 2)
        XCTAssertTrue(inside.stderr.contains("which this run reads"), inside.stderr)
        // A path through a file: exit 2, the path and the reason in words.
        try "x".write(toFile: folder + "/file", atomically: true, encoding: .utf8)
        let blocked = try CLIRunner.run(["plan", drone, "--out", folder + "/file/sub"])
        XCTAssertEqual(blocked.status, 2)
        XCTAssertTrue(blocked.stderr.contains("/file: cannot create folder (a file is in the way: it is a file, not a folder)"), blocked.stderr)
        XCTAssertFalse(blocked.stderr.contains("NSCocoaErrorDomain"), blocked.stderr)
    }

    /// `--out` at a mount point (which cannot be renamed) is written in place, twice over.
    func testOutputAtAMountPoint() throws {
        let folder = CLIRunner.temporaryFolder()
        let mountPoint = folder + "/volume"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        func run(_ tool: String, _ arguments: [String]) throws -> Int32 { try CLIRunner.output(of: tool, arguments).status }
        guard FileManager.default.isExecutableFile(atPath: "/bin/mount"),
              try run("/bin/mount", ["-t", "tmpfs", "tmpfs", mountPoint]) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root)")
        }
        defer { _ = try? run("/bin/umount", [mountPoint]) }
        for _ in 0..<2 {
            let plan = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", mountPoint, "--quiet"])
            XCTAssertEqual(plan.status, 0, plan.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: mountPoint + "/planned_orders.csv"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["volume"], "no temporary folder left beside it")
    }

    func testFailOnNoGoExitsOne() throws {
        let out = CLIRunner.temporaryFolder() + "/out"
        let result = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", out, "--fail-on-no-go"])
        XCTAssertEqual(result.status, 1, "the drone's Gate 1 is no_go (an overdue PFMEA)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/gates.json"), "outputs are still written")
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", out]).status, 0)
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try CLIRunner.run(["plan"]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["frobnicate"]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["explode", CLIRunner.fixture("drone"), "NOPE"]).status, 2)
        let near = try CLIRunner.run(["explode", CLIRunner.fixture("drone"), "DRONE-X2"])
        XCTAssertEqual(near.status, 2)
        XCTAssertTrue(near.stderr.contains("unknown item \"DRONE-X2\"") && near.stderr.contains("closest: DRONE-X1"), near.stderr)
        XCTAssertEqual(try CLIRunner.run(["--help"]).status, 0)
        let help = try CLIRunner.run(["plan", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--write-lp"))
    }

    func testExplodeShowsExtendedQuantitiesAndPhantoms() throws {
        let result = try CLIRunner.run(["explode", CLIRunner.fixture("drone"), "DRONE-X1", "--qty", "10", "--date", "2027-06-01"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.contains("SENSOR-KIT") && $0.contains("phantom") })
        XCTAssertTrue(lines.contains { $0.contains("PROP-5IN") && $0.contains(" 42 ") }, "4 × 1.05 × 10")
        XCTAssertFalse(lines.contains { $0.contains("CAM-V1") }, "rev 1 is out of effect on 2027-06-01")
        XCTAssertTrue(lines.contains { $0.contains("      IMU-6X") }, "level 3 is indented")
    }

    func testGenerateIsDeterministicAndValid() throws {
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "500", "--out", folder + "/a", "--seed", "7"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "500", "--out", folder + "/b", "--seed", "7"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "500", "--out", folder + "/c", "--seed", "8"]).status, 0)
        let a = FileManager.default.contents(atPath: folder + "/a/bom.csv")
        XCTAssertEqual(a, FileManager.default.contents(atPath: folder + "/b/bom.csv"))
        XCTAssertNotEqual(a, FileManager.default.contents(atPath: folder + "/c/bom.csv"))
        let check = try CLIRunner.run(["check", folder + "/a"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(try CLIRunner.run(["plan", folder + "/a", "--out", folder + "/plan"]).status, 0)
        // --products and --workcenters size the plan and the shop floor.
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "500", "--out", folder + "/d", "--products", "12",
                                          "--workcenters", "7"]).status, 0)
        let plan = try String(contentsOfFile: folder + "/d/plan.yaml", encoding: .utf8)
        XCTAssertEqual(plan.components(separatedBy: "full_rate_per_week").count - 1, 12)
        let centers = try String(contentsOfFile: folder + "/d/workcenters.csv", encoding: .utf8)
        XCTAssertEqual(centers.split(separator: "\n").count, 1 + 7)
        XCTAssertEqual(try CLIRunner.run(["check", folder + "/d"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "500", "--out", folder + "/e", "--products", "400"]).status, 2)
    }

    /// A process held to one core (`taskset`, a container's cpuset) plans as on a one-core
    /// machine: `Cores.available` reads the affinity mask, which Foundation's processor
    /// count does not, and the simulation makes one pass per available core.
    func testTheCoresOfTheAffinityMaskAreTheOnesUsed() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else { throw XCTSkip("no taskset") }
        // The first CPU this process may use (a container may not have CPU 0).
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let allowed = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        let cpu = allowed.flatMap { $0.split(separator: "\t").last?.prefix { $0.isNumber } }.map(String.init) ?? "0"
        let (exit, text) = try CLIRunner.output(of: "/usr/bin/taskset",
                                                ["-c", cpu, CLIRunner.binary.path, "bench", "--items", "200", "--runs", "1"])
        XCTAssertEqual(exit, 0)
        XCTAssertTrue(text.hasPrefix("takt bench: a realistic model of 200 items (seed 1), 1 run on 1 core, heap on "), text)
    }

    /// `takt bench` plans a generated model N times and says how long each run took per
    /// planned order and the peak memory; `takt plan --timings` prints the stage table.
    func testBenchAndTimingsSayWhereTheTimeGoes() throws {
        let bench = try CLIRunner.run(["bench", "--items", "300", "--runs", "2"])
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let lines = bench.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, bench.stdout)
        XCTAssertTrue(lines[0].hasPrefix("takt bench: a realistic model of 300 items (seed 1), 2 runs"), bench.stdout)
        // The heap on huge pages where the system leaves them to the program and this test's
        // environment sets no glibc tunables (or asks for them): the command started itself
        // again asking for them (this machine's glibc has the tunable: HugePagesTests).
        let mode = (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)) ?? ""
        let tunables = ProcessInfo.processInfo.environment["GLIBC_TUNABLES"]
        let huge = mode.contains("[always]")
            || (mode.contains("[madvise]") && (tunables == nil || tunables!.split(separator: ":").contains("glibc.malloc.hugetlb=1")))
        XCTAssertTrue(lines[0].hasSuffix(huge ? "heap on huge pages" : "heap on 4 KB pages"), "\(mode): \(bench.stdout)")
        XCTAssertTrue(lines[1].hasPrefix("run 1: ") && lines[1].hasSuffix("ns per planned order"), bench.stdout)
        XCTAssertTrue(lines[3].hasPrefix("best ") && lines[3].contains("peak memory"), bench.stdout)
        // The same planned orders each run, and as many as `takt plan` of the same model makes.
        let counts = lines[1...2].map { $0.split(separator: ",")[2].trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(counts[0], counts[1])
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["generate", "--items", "300", "--out", folder + "/m"]).status, 0)
        let plan = try CLIRunner.run(["plan", folder + "/m", "--out", folder + "/o", "--timings"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains(": \(counts[0].split(separator: " ")[0]) planned orders"), "\(plan.stdout) vs \(counts[0])")
        for stage in ["load the model", "capacity", "mrp", "projection", "render planned_orders.csv", "status report contents", "whole run"] {
            XCTAssertTrue(plan.stderr.contains(stage + " "), "\(stage): \(plan.stderr)")
        }
        XCTAssertEqual(try CLIRunner.run(["bench", "--items", "300", "--runs", "0"]).status, 2)
    }

    /// A negative number given to a numeric option is named with its value (it read as a
    /// missing value before).
    func testNegativeNumbersAreNamed() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        for (arguments, message) in [(["generate", "--items", "-1", "--out", folder + "/g"], "--items must be between 4 and 50000000, got -1"),
                                     (["simulate", drone, "--samples", "-3", "--out", folder + "/s"], "--samples must be at least 1, got -3"),
                                     (["explode", drone, "DRONE-X1", "--depth", "-5"], "--depth must be 0 or more, got -5"),
                                     (["plan", drone, "--out", folder + "/p", "--simulate", "-2"], "--simulate must be at least 1 sample, got -2"),
                                     // Past 10^12 the run's counts could overflow: refused, not crashed.
                                     (["simulate", drone, "--samples", "5000000000000000000", "--out", folder + "/s"],
                                      "--samples must be at most 1000000000000, got 5000000000000000000"),
                                     (["plan", drone, "--out", folder + "/p", "--simulate", "1000000000001"],
                                      "--simulate must be at most 1000000000000 samples, got 1000000000001"),
                                     (["generate", "--items", "100", "--seed", "-1", "--out", folder + "/g"], "-1")] {
            let run = try CLIRunner.run(arguments)
            XCTAssertEqual(run.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("Missing value"), run.stderr)
        }
    }

    /// §3: `whatif` writes one folder per scenario under the scenario's own name, spaces
    /// and accents included: the folder a reader builds from compare.csv's `scenario`.
    func testWhatIfRunFoldersAreTheScenarioNames() throws {
        let folder = CLIRunner.temporaryFolder()
        try "name: late pcb\ndemand_scale: 1.1\n".write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        try "name: café\n".write(toFile: folder + "/b.yaml", atomically: true, encoding: .utf8)
        let whatif = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), folder + "/a.yaml", folder + "/b.yaml",
                                        "--out", folder + "/w", "--quiet"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        let compare = try String(contentsOfFile: folder + "/w/compare.csv", encoding: .utf8).split(separator: "\n")
        let names = compare.dropFirst().map { String($0.split(separator: ",")[0]) }
        XCTAssertEqual(names, ["base", "late pcb", "café"])
        for name in names {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/w/" + name + "/planned_orders.csv"), name)
        }
        // Each run's summary.json names the scenario it applied, with the file's SHA-256
        // (sha256sum of the bytes written above); the base run has none.
        func summary(_ run: String) throws -> [String: Any] {
            let data = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/w/" + run + "/summary.json"))
            return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        XCTAssertNil(try summary("base")["scenarios"])
        let applied = try XCTUnwrap(try summary("late pcb")["scenarios"] as? [[String: String]])
        XCTAssertEqual(applied, [["name": "late pcb", "file": "a.yaml", "sha256": "1b1254835f526f8156a9a2ce8f8801d09d726c8dde3d1d085db8797c636d5be3"]])
    }

    func testWhatIfComparesWithTheIndividualRuns() throws {
        let folder = CLIRunner.temporaryFolder()
        let scenarios = CLIRunner.fixture("drone/scenarios")
        let whatif = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), scenarios + "/late-pcb.yaml",
                                        scenarios + "/second-smt-shift.yaml", "--out", folder + "/w"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        let compare = try String(contentsOfFile: folder + "/w/compare.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(compare[0], "scenario,planned_orders,purchase_amount,past_due,shortage_qty,backlog_units,overtime_hours,lp_objective,gates_go,gates_at_risk,gates_no_go,risks_level3,cost_per_unit,on_time_delivery_pct,late_units,gates_late,gate_days_late")
        XCTAssertEqual(compare.map { $0.split(separator: ",")[0] }, ["scenario", "base", "late-pcb", "second-smt-shift"])
        let board = try String(contentsOfFile: folder + "/w/compare.html", encoding: .utf8)
        XCTAssertEqual(board.components(separatedBy: "<svg").count - 1, 2, "one chart of changes per scenario")
        // What each scenario changes, the figures with their change marked better or worse.
        XCTAssertTrue(board.contains("<li><b>late-pcb</b>: ACME Circuits's lead time for PCB-MAIN 40 days; ACME Circuits's open receipts 3 weeks later</li>"), board)
        XCTAssertTrue(board.contains("<td class=\"worse\">62 (+32)</td>"), "late-pcb's shortage is worse: \(board)")
        XCTAssertTrue(board.contains("<td class=\"better\">0 (-53.68)</td>"), "the second shift needs no overtime: \(board)")
        XCTAssertTrue(board.contains("Short quantity (units) <span class=\"key\">shortage_qty</span>"), board)
        // The product figures say which product they are of.
        XCTAssertTrue(board.contains("Cost per unit of DRONE-X1 (last phase) <span class=\"key\">cost_per_unit</span>"), board)
        XCTAssertTrue(board.contains("On-time delivery of DRONE-X1 (%) <span class=\"key\">on_time_delivery_pct</span>"), board)
        XCTAssertTrue(board.contains(">no_go · forecast <span style=\"white-space:nowrap\">2027-05-31</span></td>"), "Gate 2's status and forecast date: \(board)")
        // The projection's figures: base's Gate 2 (28 days) and Gate 3 (14) late, 545 units
        // late in all. late-pcb delays the drones PCB-MAIN already made late (03-08, 03-15)
        // by more days: the same units, and Gate 2's forecast stays MCU-H7's +28.
        let rows = compare.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(Array(rows[1].suffix(3)), ["545", "2", "42"], "base: \(rows[1])")
        XCTAssertEqual(Array(rows[2].suffix(3)), ["545", "2", "42"], "late-pcb: \(rows[2])")
        // A microcontroller quoted 80 days instead of 60 moves Gate 2 a week and nothing
        // else in the figures: gate_days_late says it, and its card names the gate.
        try "name: late-mcu\nsupplier_lead_time_days: {\"ChipSource/MCU-H7\": 80}\n".write(toFile: folder + "/late-mcu.yaml", atomically: true, encoding: .utf8)
        let mcu = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), folder + "/late-mcu.yaml", "--out", folder + "/m"])
        XCTAssertEqual(mcu.status, 0, mcu.stderr)
        let mcuRows = try String(contentsOfFile: folder + "/m/compare.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(mcuRows[2], "late-mcu,486,2002547.2,1,30,0,53.684211,2639.539474,0,2,3,0,192.868413,96.029144,545,2,49")
        let mcuBoard = try String(contentsOfFile: folder + "/m/compare.html", encoding: .utf8)
        XCTAssertTrue(mcuBoard.contains("Gate 2: forecast 2027-05-31 → 2027-06-07 (+7 days)"), mcuBoard)
        XCTAssertFalse(mcuBoard.contains("No key figure"), mcuBoard)
        XCTAssertTrue(mcu.stdout.contains("no_go 2027-06-07 *"), mcu.stdout)
        XCTAssertTrue(mcuBoard.contains("<p class=\"worse\" style=\"margin:2px 0\">Gate 2: forecast 2027-05-31 → 2027-06-07 (+7 days)</p>"), mcuBoard)
        // Quoted 30 days instead: Gate 2 a week earlier, marked better.
        try "name: fast-mcu\nsupplier_lead_time_days: {\"ChipSource/MCU-H7\": 30}\n".write(toFile: folder + "/fast-mcu.yaml", atomically: true, encoding: .utf8)
        let fast = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), folder + "/fast-mcu.yaml", "--out", folder + "/f"])
        XCTAssertEqual(fast.status, 0, fast.stderr)
        let fastBoard = try String(contentsOfFile: folder + "/f/compare.html", encoding: .utf8)
        XCTAssertTrue(fastBoard.contains("<p class=\"better\" style=\"margin:2px 0\">Gate 2: forecast 2027-05-31 → 2027-05-24 (-7 days)</p>"), fastBoard)
        XCTAssertFalse(board.contains("<script"))
        XCTAssertTrue(whatif.stdout.contains("late-pcb") && whatif.stdout.contains("overtime_hours"), whatif.stdout)
        // Each scenario's folder equals a plain `takt plan --scenario` run.
        let single = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--scenario", scenarios + "/late-pcb.yaml", "--out", folder + "/p"])
        XCTAssertEqual(single.status, 0, single.stderr)
        for name in ["planned_orders.csv", "capacity.csv", "risks.csv", "gates.json"] {
            XCTAssertEqual(FileManager.default.contents(atPath: folder + "/w/late-pcb/" + name),
                           FileManager.default.contents(atPath: folder + "/p/" + name), name)
        }
        let base = try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/base"])
        XCTAssertEqual(base.status, 0)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/w/base/planned_orders.csv"),
                       FileManager.default.contents(atPath: folder + "/base/planned_orders.csv"))
        // --pegging: the same comparison, with pegging.csv in the run folders.
        let pegged = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), scenarios + "/late-pcb.yaml",
                                        scenarios + "/second-smt-shift.yaml", "--out", folder + "/pegged", "--pegging"])
        XCTAssertEqual(pegged.status, 0, pegged.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/pegged/compare.csv"),
                       FileManager.default.contents(atPath: folder + "/w/compare.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/w/late-pcb/pegging.csv"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/pegged/late-pcb/pegging.csv"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/pegged/late-pcb/planned_orders.csv"))
        // A broken scenario: exit 2, FILE:LINE, no output.
        let broken = folder + "/broken.yaml"
        try "name: broken\nlead_time_days:\n  NOPE: 3\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let failed = try CLIRunner.run(["whatif", CLIRunner.fixture("drone"), broken, "--out", folder + "/x"])
        XCTAssertEqual(failed.status, 2)
        XCTAssertEqual(failed.stderr, "\(broken):3: unknown item \"NOPE\"\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/x"))
    }
}

/// `takt cost`: the drone's unit cost and why (KPITests works the figures by hand).
final class CostCommandTests: XCTestCase {
    func testCostShowsTheBreakdownAndTheCostedBOM() throws {
        let run = try CLIRunner.run(["cost", CLIRunner.fixture("drone"), "DRONE-X1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "DRONE-X1 on 2027-01-04 (Pre-Production): 193.69 a unit")
        XCTAssertEqual(lines[1], "  material 149.9 (77.4 %), labour 18.53 (9.6 %), overtime 0 (0 %), overhead 25.26 (13 %; 15 % of the others)")
        XCTAssertTrue(lines.contains { $0.hasPrefix(".1       MOTOR-2207    buy      4        4         14         56             28.9 %") }, run.stdout)
        XCTAssertTrue(lines.contains { $0.contains("SENSOR-KIT") && $0.contains("phantom") && $0.contains("1.052632") }, run.stdout)
        XCTAssertEqual(lines.last, "labour by work center: FINAL 6 (3.1 %), FRAME 1.75 (0.9 %), SMT 7.58 (3.9 %), TEST 3.2 (1.7 %)")
        // In Steady State the rev-2 camera is in the BOM and SMT's overtime is shared out.
        let later = try CLIRunner.run(["cost", CLIRunner.fixture("drone"), "DRONE-X1", "--date", "2027-10-04"])
        XCTAssertTrue(later.stdout.hasPrefix("DRONE-X1 on 2027-10-04 (Steady State): 192.87 a unit\n"), later.stdout)
        XCTAssertTrue(later.stdout.contains("CAM-V2") && !later.stdout.contains("CAM-V1"), later.stdout)
        let unknown = try CLIRunner.run(["cost", CLIRunner.fixture("drone"), "DRONE-X2"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("closest: DRONE-X1"), unknown.stderr)
    }
}

/// The HTML board in a real browser (headless Chromium), when one is installed.
final class BrowserTests: XCTestCase {
    func testReportRendersInHeadlessChromium() throws {
        guard ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium not installed (apt-get install chromium); scripts/render-report.sh does the same by hand")
        }
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/out", "--quiet"]).status, 0)
        let process = Process()
        process.executableURL = CLIRunner.packageRoot.appendingPathComponent("scripts/render-report.sh")
        process.arguments = [folder + "/out/report.html", folder + "/board.png"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder + "/board.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertGreaterThan(png.count, 20_000, "the board has content")
    }

    /// Every text of every chart stays inside its SVG in a real browser, and the axes are
    /// labelled: report.html (drone), compare.html (the drone's scenarios) and the third
    /// weekly report (its milestone trend chart).
    func testNoChartTextOverflowsItsCard() throws {
        guard let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium not installed (apt-get install chromium)")
        }
        let folder = CLIRunner.temporaryFolder()
        XCTAssertEqual(try CLIRunner.run(["plan", CLIRunner.fixture("drone"), "--out", folder + "/out", "--quiet"]).status, 0)
        let scenarios = CLIRunner.fixture("drone/scenarios")
        let names = try FileManager.default.contentsOfDirectory(atPath: scenarios).sorted().map { scenarios + "/" + $0 }
        XCTAssertEqual(try CLIRunner.run(["whatif", CLIRunner.fixture("drone")] + names + ["--out", folder + "/w"]).status, 0)
        try FileManager.default.createDirectory(atPath: folder + "/h", withIntermediateDirectories: true)
        _ = try HistoryTests.threeWeeks(into: folder + "/h")
        // A probe appended to a copy of each page lists the texts outside their SVG's box.
        let probe = """
        <script>(function () { const out = []; document.querySelectorAll('svg').forEach((svg, i) => {
          const box = svg.getBoundingClientRect(); svg.querySelectorAll('text').forEach(t => { const b = t.getBoundingClientRect();
          if (b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5)
            out.push(i + ': ' + t.textContent); }); });
          const pre = document.createElement('pre'); pre.textContent = 'OVERFLOW' + '[' + out.join('|') + ']'; document.body.appendChild(pre); })();
        </script>
        """
        for (page, labels) in [("out/report.html", ["2027-03-08", "Soft Launch", "Steady State", "above 100 %", "DRONE-X1", "500",
                                                     "■ overhead", "peak 53400 (2027-03-01)", "target 170", "DRONE-X1 cost per unit · Pre-Production"]),
                               ("w/compare.html", ["purchase_amount", "late-pcb", "no_go", "Short quantity (units)"]),
                               ("h/out-3/report.html", ["report week", "2027-01-11", "open", "Gate 5"])] {
            let html = try String(contentsOfFile: folder + "/" + page, encoding: .utf8)
            let probed = folder + "/" + page.replacingOccurrences(of: ".html", with: "-probe.html")
            try html.replacingOccurrences(of: "</body></html>", with: probe + "</body></html>").write(toFile: probed, atomically: true, encoding: .utf8)
            // A laptop and a narrow window: the charts scale to the page, nothing spills.
            for width in [1150, 900] {
                let dom = try CLIRunner.output(of: browser, ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=\(width),1900",
                                                             "--dump-dom", "file://" + probed]).stdout
                XCTAssertTrue(dom.contains("OVERFLOW[]"), "\(page) at \(width) px: \(dom.components(separatedBy: "OVERFLOW").last ?? dom)")
                for label in labels { XCTAssertTrue(dom.contains(label), "\(page) shows \(label)") }
            }
        }
    }
}

/// Inputs found by fuzzing, replayed through the harness's plain build.
final class FuzzRegressionTests: XCTestCase {
    func testFuzzRegressionsRunCleanly() throws {
        let replay = CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("TaktFuzz")
        let root = CLIRunner.fixture("fuzz-regressions")
        for target in ["csv", "plan", "scenario", "model", "explode"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: root + "/" + target).sorted()
            XCTAssertFalse(files.isEmpty, target)
            let process = Process()
            process.executableURL = replay
            process.arguments = files.map { root + "/" + target + "/" + $0 }
            process.environment = ["TAKT_FUZZ_TARGET": target]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(target): \(text)")
            XCTAssertEqual(text.split(separator: "\n").count, files.count, "every input replayed: \(target)")
            // Its scratch model folder is removed when it exits.
            for base in ["/dev/shm/", NSTemporaryDirectory()] {
                let scratch = base + (base.hasSuffix("/") ? "" : "/") + "takt-fuzz-\(process.processIdentifier)"
                XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), "\(target): \(scratch) left behind")
            }
        }
    }
}

/// `takt whatif --shard I/K` and `takt whatif merge`: shards of one comparison merge into
/// the files one comparison of every run writes.
final class WhatIfShardTests: XCTestCase {
    func testShardsMergeIntoTheComparisonOfEveryRun() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        let scenarios = ["late-pcb", "ramp-80", "second-smt-shift"].map { CLIRunner.fixture("drone/scenarios/\($0).yaml") }
        let whole = try CLIRunner.run(["whatif", drone] + scenarios + ["--out", folder + "/whole"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        // Four runs in three shards: 1/3 plans base and second-smt-shift, 2/3 late-pcb, 3/3 ramp-80.
        for shard in 1...3 {
            let run = try CLIRunner.run(["whatif", drone] + scenarios + ["--shard", "\(shard)/3", "--out", folder + "/s\(shard)"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let names = { (shard: Int) in try FileManager.default.contentsOfDirectory(atPath: folder + "/s\(shard)").sorted() }
        XCTAssertEqual(try names(1), ["base", "second-smt-shift", "summary.json"])
        XCTAssertEqual(try names(3), ["ramp-80", "summary.json"])
        let merge = try CLIRunner.run(["whatif", "merge", folder + "/s3", folder + "/s1", folder + "/s2", "--out", folder + "/merged"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(whole.stdout.contains("overtime_hours"), whole.stdout)
        XCTAssertEqual(merge.stdout, whole.stdout, "the same comparison table")
        for file in ["compare.csv", "compare.html", "summary.json"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/merged/" + file)),
                           try Data(contentsOf: URL(fileURLWithPath: folder + "/whole/" + file)), file)
        }
        // Every run's files too (but summary.json, whose timings differ).
        for run in ["base", "late-pcb", "ramp-80", "second-smt-shift"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder + "/whole/" + run) where file != "summary.json" {
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/merged/\(run)/" + file)),
                               try Data(contentsOf: URL(fileURLWithPath: folder + "/whole/\(run)/" + file)), "\(run)/\(file)")
            }
        }
        // A shard missing or given twice is refused with exit 2 and nothing written.
        let missing = try CLIRunner.run(["whatif", "merge", folder + "/s1", folder + "/s2", "--out", folder + "/bad"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("missing shard 3/3"), missing.stderr)
        let twice = try CLIRunner.run(["whatif", "merge", folder + "/s1", folder + "/s1", folder + "/s2", folder + "/s3", "--out", folder + "/bad"])
        XCTAssertEqual(twice.status, 2)
        XCTAssertTrue(twice.stderr.contains("given twice"), twice.stderr)
        // Shards of another comparison (the scenarios in another order) are refused.
        let reordered = try CLIRunner.run(["whatif", drone] + scenarios.reversed() + ["--shard", "2/3", "--out", folder + "/r2"])
        XCTAssertEqual(reordered.status, 0, reordered.stderr)
        let mixed = try CLIRunner.run(["whatif", "merge", folder + "/s1", folder + "/r2", folder + "/s3", "--out", folder + "/bad"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("not a shard of the same comparison"), mixed.stderr)
        // So are shards planned with another version of a scenario file under the same name.
        try FileManager.default.createDirectory(atPath: folder + "/alt", withIntermediateDirectories: true)
        let changed = try String(contentsOfFile: scenarios[0], encoding: .utf8) + "demand_scale: 1.05\n"
        try changed.write(toFile: folder + "/alt/late-pcb.yaml", atomically: true, encoding: .utf8)
        let edited = try CLIRunner.run(["whatif", drone, folder + "/alt/late-pcb.yaml"] + scenarios.dropFirst()
                                        + ["--shard", "2/3", "--out", folder + "/e2"])
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let stale = try CLIRunner.run(["whatif", "merge", folder + "/s1", folder + "/e2", folder + "/s3", "--out", folder + "/bad"])
        XCTAssertEqual(stale.status, 2)
        XCTAssertTrue(stale.stderr.contains("not a shard of the same comparison"), stale.stderr)
        let notShard = try CLIRunner.run(["whatif", "merge", folder + "/whole", "--out", folder + "/bad"])
        XCTAssertEqual(notShard.status, 2)
        // A shard an older takt wrote (no late_units among its figures, no format in its
        // comparison) is told to run again, not merged.
        try FileManager.default.copyItem(atPath: folder + "/s2", toPath: folder + "/old2")
        var summary = try String(contentsOfFile: folder + "/old2/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"late_units\""), summary)
        summary = summary.replacingOccurrences(of: "\"late_units\"", with: "\"unknown_figure\"")
        try summary.write(toFile: folder + "/old2/summary.json", atomically: true, encoding: .utf8)
        let older = try CLIRunner.run(["whatif", "merge", folder + "/s1", folder + "/old2", folder + "/s3", "--out", folder + "/bad"])
        XCTAssertEqual(older.status, 2)
        XCTAssertTrue(older.stderr.contains("\(folder)/old2: not a shard of takt whatif (no summary.json of a --shard run), or one written by another takt version: run that shard again"), older.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/bad"))
        XCTAssertEqual(try CLIRunner.run(["whatif", drone, scenarios[0], "--shard", "3/2", "--out", folder + "/x"]).status, 2)
    }
}

/// `takt simulate` and `takt simulate merge` through the command line (contract §2e).
final class SimulateCommandTests: XCTestCase {
    func testShardsMergeIntoTheBytesOfOneRun() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        let whole = try CLIRunner.run(["simulate", drone, "--samples", "90", "--seed", "4", "--out", folder + "/whole"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        XCTAssertTrue(whole.stdout.hasPrefix("simulated 90 samples: Gate 1 on time 100 %"), whole.stdout)
        for shard in 1...3 {
            let run = try CLIRunner.run(["simulate", drone, "--samples", "90", "--seed", "4", "--shard", "\(shard)/3",
                                         "--out", folder + "/s\(shard)", "--quiet"])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let merge = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s2", folder + "/s3", "--out", folder + "/merged"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        // Every file byte for byte, summary.json too (it holds no timing); so does a second
        // run with the same seed.
        let again = try CLIRunner.run(["simulate", drone, "--samples", "90", "--seed", "4", "--out", folder + "/again", "--quiet"])
        XCTAssertEqual(again.status, 0, again.stderr)
        for file in ["simulation.csv", "criticality.csv", "summary.json"] {
            for other in ["merged", "again"] {
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/\(other)/" + file)),
                               try Data(contentsOf: URL(fileURLWithPath: folder + "/whole/" + file)), "\(other)/\(file)")
            }
        }
        let header = try String(contentsOfFile: folder + "/whole/simulation.csv", encoding: .utf8).split(separator: "\n")[0]
        XCTAssertEqual(header, "gate,phase,date,samples,p_on_time,p50_date,p90_date,p_open")
        // A shard missing, or given twice, is refused with exit 2 and nothing written.
        let missing = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s2", "--out", folder + "/bad"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("missing shard 3/3"), missing.stderr)
        let twice = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s1", folder + "/s2", "--out", folder + "/bad"])
        XCTAssertEqual(twice.status, 2)
        XCTAssertTrue(twice.stderr.contains("given twice"), twice.stderr)
        // A shard of another model (its suppliers.csv changed), with the same
        // seed, samples and gates, is not a shard of this simulation.
        try FileManager.default.copyItem(atPath: drone, toPath: folder + "/other")
        let offers = try String(contentsOfFile: folder + "/other/suppliers.csv", encoding: .utf8)
        // A blank line at the end: the same offers, other bytes.
        try (offers + "\n").write(toFile: folder + "/other/suppliers.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLIRunner.run(["simulate", folder + "/other", "--samples", "90", "--seed", "4", "--shard", "3/3",
                                          "--out", folder + "/o3", "--quiet"]).status, 0)
        let other = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s2", folder + "/o3", "--out", folder + "/bad"])
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.stderr.contains("\(folder)/o3: not a shard of the same simulation as \(folder)/s1: its suppliers.csv differs"),
                      other.stderr)
        // A shard whose tally was edited so that it no longer adds up.
        try FileManager.default.copyItem(atPath: folder + "/s3", toPath: folder + "/e3")
        let summary = try String(contentsOfFile: folder + "/e3/summary.json", encoding: .utf8)
        let edited = summary.replacingOccurrences(of: "\"open\": 0", with: "\"open\": 5")
        XCTAssertNotEqual(edited, summary, "the drone's gates have a count of open forecasts")
        try edited.write(toFile: folder + "/e3/summary.json", atomically: true, encoding: .utf8)
        let tampered = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s2", folder + "/e3", "--out", folder + "/bad"])
        XCTAssertEqual(tampered.status, 2)
        XCTAssertTrue(tampered.stderr.contains("does not add up"), tampered.stderr)
        // A shard an earlier takt wrote (no inputs named): told to run it again.
        try FileManager.default.copyItem(atPath: folder + "/s3", toPath: folder + "/old3")
        var old = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/old3/summary.json"))) as! [String: Any]
        old["inputs"] = nil
        try JSONSerialization.data(withJSONObject: old).write(to: URL(fileURLWithPath: folder + "/old3/summary.json"))
        let older = try CLIRunner.run(["simulate", "merge", folder + "/s1", folder + "/s2", folder + "/old3", "--out", folder + "/bad"])
        XCTAssertEqual(older.status, 2)
        XCTAssertTrue(older.stderr.contains("\(folder)/old3: its summary.json names no inputs (an earlier takt wrote it)"), older.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/bad"))
        // Bad options are usage errors.
        XCTAssertEqual(try CLIRunner.run(["simulate", drone, "--samples", "0", "--out", folder + "/x"]).status, 2)
        XCTAssertEqual(try CLIRunner.run(["simulate", drone, "--samples", "5", "--shard", "4/3", "--out", folder + "/x"]).status, 2)
    }

    /// A model whose phases name no gate has nothing to simulate: said on stderr, the
    /// files written with their headers only.
    func testAModelWithoutGatesIsSaidToHaveNothingToSimulate() throws {
        let folder = CLIRunner.temporaryFolder()
        let model = CLIRunner.fixture("suppliers-actions")
        let run = try CLIRunner.run(["simulate", model, "--samples", "5", "--out", folder + "/s"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(model)/plan.yaml:1: warning: no phase names a gate: simulation.csv and criticality.csv have no rows"), run.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/s/simulation.csv", encoding: .utf8),
                       "gate,phase,date,samples,p_on_time,p50_date,p90_date,p_open\n")
    }

    /// plan.yaml's simulation key is checked like every other key.
    func testLateWeeksAreValidated() throws {
        let folder = CLIRunner.temporaryFolder()
        try FileManager.default.copyItem(atPath: CLIRunner.fixture("projection-pull-in"), toPath: folder + "/m")
        let plan = try String(contentsOfFile: folder + "/m/plan.yaml", encoding: .utf8)
        try (plan + "simulation: {late_weeks: [4, 1]}\n").write(toFile: folder + "/m/plan.yaml", atomically: true, encoding: .utf8)
        let check = try CLIRunner.run(["check", folder + "/m"])
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.stderr.contains("plan.yaml:12: late_weeks must go from the fewer weeks to the more, got [4, 1]"), check.stderr)
    }
}

extension SimulateCommandTests {
    /// `takt plan --simulate N`: each gate's confidence in gates.json, the report and the
    /// history, the same as `takt simulate` gives for the same samples and seed.
    func testPlanWithSimulateCarriesEachGatesConfidence() throws {
        let folder = CLIRunner.temporaryFolder()
        let drone = CLIRunner.fixture("drone")
        let plan = try CLIRunner.run(["plan", drone, "--out", folder + "/plan", "--simulate", "60", "--seed", "3",
                                      "--history", folder + "/h.db", "--quiet"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let sim = try CLIRunner.run(["simulate", drone, "--samples", "60", "--seed", "3", "--out", folder + "/sim", "--quiet"])
        XCTAssertEqual(sim.status, 0, sim.stderr)
        let rows = try String(contentsOfFile: folder + "/sim/simulation.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let gates = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/plan/gates.json"))) as! [[String: Any]]
        XCTAssertEqual(gates.count, rows.count)
        for (gate, row) in zip(gates, rows) {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(gate["gate"] as? String, fields[0])
            XCTAssertEqual((gate["p_on_time"] as? NSNumber)?.doubleValue, Double(fields[4]), fields[0])
            XCTAssertEqual(gate["p90_date"] as? String, fields[6], fields[0])
        }
        let report = try String(contentsOfFile: folder + "/plan/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("| Slip (days) | Confidence | What moved |"), report)
        XCTAssertTrue(report.contains("| 0 % on time, P90 2027-06-07 |"), report)
        // The HTML gate timeline shows each gate's share on time under its date.
        let html = try String(contentsOfFile: folder + "/plan/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("fill=\"#333\">100 % on time</text>"), "Gate 1 in the timeline")
        XCTAssertEqual(html.components(separatedBy: " % on time</text>").count - 1, gates.count)
        let trail = try CLIRunner.run(["history", folder + "/h.db", "--gate", "Gate 1", "--csv"])
        XCTAssertEqual(trail.status, 0, trail.stderr)
        XCTAssertTrue(trail.stdout.hasPrefix("plan_date,planned_date,status,forecast_date,slip_days,forecast_reason,p_on_time,p90_date\n"), trail.stdout)
        XCTAssertTrue(trail.stdout.contains(",1,2027-03-08\n"), trail.stdout)
        // Without --simulate, gates.json has no confidence.
        XCTAssertEqual(try CLIRunner.run(["plan", drone, "--out", folder + "/plain", "--quiet"]).status, 0)
        XCTAssertFalse(try String(contentsOfFile: folder + "/plain/gates.json", encoding: .utf8).contains("p_on_time"))
    }
}
