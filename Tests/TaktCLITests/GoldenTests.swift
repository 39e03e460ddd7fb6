import Foundation
import XCTest

/// Golden files: each `fixtures/NAME/expected/` was checked by hand once (see the
/// fixture's RECORD.md) and is compared exactly, numbers with a 1e-6 relative tolerance.
/// `RECORD_SNAPSHOTS=1 swift test` rewrites them — and fails, so that nobody records
/// by accident.
final class GoldenTests: XCTestCase {
    /// Every model folder with an `expected/` folder (found, not listed; drone-weekly is a
    /// sequence of models with a test of its own).
    static var fixtures: [String] {
        let root = CLIRunner.fixture("")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: root + "/" + $0 + "/expected")
                && FileManager.default.fileExists(atPath: root + "/" + $0 + "/plan.yaml")
        }.sorted()
    }
    static let compared = ["mps.csv", "planned_orders.csv", "deliveries.csv", "purchase_suggestions.csv", "exceptions.csv", "pegging.csv",
                           "capacity.csv", "risks.csv", "gates.json", "kpis.csv", "report.md"]

    func testFixturesMatchTheirGoldenOutputs() throws {
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        XCTAssertGreaterThanOrEqual(Self.fixtures.count, 5)
        for name in Self.fixtures {
            let model = CLIRunner.fixture(name)
            let out = CLIRunner.temporaryFolder() + "/out"
            let run = try CLIRunner.run(["plan", model, "--out", out, "--quiet", "--pegging"])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            let expected = model + "/expected"
            for file in Self.compared {
                let actual = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
                if record {
                    try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
                    try actual.write(toFile: expected + "/" + file, atomically: true, encoding: .utf8)
                    continue
                }
                let golden = try String(contentsOfFile: expected + "/" + file, encoding: .utf8)
                Self.compare(actual, golden, "\(name)/\(file)")
            }
        }
        if record { XCTFail("golden files rewritten (RECORD_SNAPSHOTS=1): check them by hand, then run again without it") }
    }

    /// `reschedule_in_weeks: 0` is the check turned off: the suppliers-actions fixture plans
    /// exactly what it planned before the check existed (its goldens of then: MOTOR 100
    /// past due, PCB 50, and advice to bring both receipts in).
    func testWindowZeroReproducesThePlanBeforeTheCheck() throws {
        let folder = CLIRunner.temporaryFolder()
        try "reschedule_in_weeks: 0\n".write(toFile: folder + "/off.yaml", atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["plan", CLIRunner.fixture("suppliers-actions"), "--scenario", folder + "/off.yaml",
                                     "--out", folder + "/out", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try String(contentsOfFile: folder + "/out/planned_orders.csv", encoding: .utf8), """
            item,kind,quantity,release_date,due_date,projected_date
            MOTOR,buy,100,2027-01-04,2027-01-11,2027-01-18
            PCB,buy,50,2027-01-11,2027-02-01,2027-02-01

            """)
        let exceptions = try String(contentsOfFile: folder + "/out/exceptions.csv", encoding: .utf8)
        XCTAssertTrue(exceptions.contains("\nMOTOR,reschedule_in,2027-01-11,20,open receipt PO-M1 of 20 due 2027-01-18 is needed by 2027-01-11: bring it in,\n"), exceptions)
        XCTAssertTrue(exceptions.contains("\nPCB,reschedule_in,2027-02-01,40,open receipt PO-P1 of 40 due 2027-02-08 is needed by 2027-02-01: bring it in,\n"), exceptions)
        XCTAssertTrue(exceptions.contains("\nMOTOR,past_due,2027-01-11,100,"), exceptions)
    }

    /// Line by line, token by token; tokens that are both numbers compare with a relative
    /// tolerance of 1e-6, everything else exactly.
    static func compare(_ actual: String, _ golden: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let g = golden.split(separator: "\n", omittingEmptySubsequences: false)
        guard a.count == g.count else {
            XCTFail("\(label): \(a.count) lines, expected \(g.count)", file: file, line: line)
            return
        }
        for (k, (x, y)) in zip(a, g).enumerated() where x != y {
            let xs = tokens(x), ys = tokens(y)
            let same = xs.count == ys.count && zip(xs, ys).allSatisfy { p, q in
                if p == q { return true }
                guard let u = Double(p), let v = Double(q) else { return false }
                return abs(u - v) <= 1e-6 * max(1, abs(v))
            }
            if !same {
                XCTFail("\(label):\(k + 1): got\n\(x)\nexpected\n\(y)", file: file, line: line)
                return
            }
        }
    }

    static func tokens(_ line: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        for c in line {
            if c == "," || c == " " || c == "\"" || c == ":" || c == "|" {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out
    }
}
