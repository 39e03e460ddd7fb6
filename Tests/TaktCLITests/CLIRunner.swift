import Foundation
import XCTest

/// Runs the built `takt` binary, as a user would.
struct CLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `takt` executable next to the test bundle (SwiftPM builds every product for `swift test`).
    static var binary: URL {
        var directory = Bundle(for: BundleFinder.self).bundleURL.deletingLastPathComponent()
        let candidate = directory.appendingPathComponent("takt")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = packageRoot.appendingPathComponent(".build/debug")
        return directory.appendingPathComponent("takt")
    }

    static func fixture(_ name: String) -> String { packageRoot.appendingPathComponent("fixtures/" + name).path }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, file: StaticString = #filePath,
                    line: UInt = #line) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs another program (a browser, `taskset`, `mount`) with `arguments`: its exit
    /// status and what it printed on stdout; its stderr is dropped (a browser's is long
    /// enough to fill a pipe nobody reads).
    static func output(of tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// This test process's scratch folder, removed when the process exits.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "takt-cli-tests-\(getpid())-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLIRunner.scratch) }
        return path
    }()

    static func temporaryFolder() -> String {
        let path = scratch + "/takt-cli-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

final class BundleFinder {}
