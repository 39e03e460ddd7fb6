import Foundation
import XCTest

/// The README and docs are tested: every `takt …` line of their shell blocks runs on the
/// fixtures (from the package root, `out/` replaced by a scratch folder, globs expanded)
/// and exits 0, and every output line shown under it (`#  …`) appears in what it prints.
final class ReadmeTests: XCTestCase {
    struct Example {
        var file: String
        var line: Int
        var command: String
        var shown: [String]
    }

    static func examples() throws -> [Example] {
        let root = CLIRunner.packageRoot
        var files = ["README.md"]
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        files += docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        var examples: [Example] = []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            var inShell = false
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(raw)
                if line.hasPrefix("```") {
                    inShell = !inShell && line.hasPrefix("```sh")
                    continue
                }
                guard inShell else { continue }
                if line.hasPrefix("takt ") {
                    let command = line.components(separatedBy: "  #").first!.trimmingCharacters(in: .whitespaces)
                    examples.append(Example(file: file, line: n + 1, command: command, shown: []))
                } else if line.hasPrefix("#  "), !examples.isEmpty, examples[examples.count - 1].file == file {
                    examples[examples.count - 1].shown.append(String(line.dropFirst(3)))
                }
            }
        }
        return examples
    }

    /// Words split at spaces, as a shell would for these examples: `"Gate 1"` is one word.
    static func words(_ command: String) -> [String] {
        var words: [String] = [], current = "", quoted = false
        for c in command {
            if c == "\"" { quoted.toggle(); continue }
            if c == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    func testEveryCommandInTheReadmeAndDocsRuns() throws {
        let examples = try Self.examples()
        XCTAssertGreaterThanOrEqual(examples.count, 5, "the walk-through's commands")
        let scratch = CLIRunner.temporaryFolder()
        for example in examples {
            var arguments: [String] = []
            for word in Self.words(example.command).dropFirst() {
                if word.contains("*") {
                    // A glob: the matching files, sorted, as a shell would.
                    let folder = (word as NSString).deletingLastPathComponent
                    let pattern = (word as NSString).lastPathComponent
                    let names = (try? FileManager.default.contentsOfDirectory(
                        atPath: CLIRunner.packageRoot.appendingPathComponent(folder).path)) ?? []
                    let suffix = pattern.replacingOccurrences(of: "*", with: "")
                    arguments += names.filter { $0.hasSuffix(suffix) }.sorted().map { folder + "/" + $0 }
                } else if word.hasPrefix("out/") {
                    arguments.append(scratch + "/" + word)
                } else {
                    arguments.append(word)
                }
            }
            let run = try CLIRunner.run(arguments, in: CLIRunner.packageRoot)
            let place = "\(example.file):\(example.line): \(example.command)"
            XCTAssertEqual(run.status, 0, "\(place)\n\(run.stderr)")
            let printed = run.stdout.replacingOccurrences(of: scratch + "/", with: "")
            for line in example.shown {
                let expected = line.hasSuffix("...") ? String(line.dropLast(3)) : line
                XCTAssertTrue(printed.contains(expected), "\(place): expected \"\(expected)\" in\n\(printed)")
            }
        }
    }
}
