import Foundation

/// Last week's output folder, read for the report's "what moved" and "risk changes".
public struct PreviousRun: Sendable {
    /// Gate name → (status, date).
    public var gates: [String: (status: String, date: String)] = [:]
    /// Risk id → level.
    public var risks: [String: Int] = [:]
    public var riskMessages: [String: String] = [:]

    public init() {}

    /// Why `folder` cannot be last week's output, or nil when it can: it must exist, not be
    /// the model folder, and hold the `summary.json` of a `takt plan` run.
    public static func problem(folder: String, modelFolder: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "--previous \(folder): no such folder"
        }
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        if resolved == URL(fileURLWithPath: modelFolder).standardizedFileURL.resolvingSymlinksInPath().path {
            return "--previous \(folder): that is the model folder, not last week's output"
        }
        guard let data = FileManager.default.contents(atPath: folder + "/summary.json"),
              let summary = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              summary["counts"] is [String: Any], summary["lp"] != nil else {
            return "--previous \(folder): not a takt plan output (no summary.json of a plan run)"
        }
        return nil
    }

    /// Reads `gates.json` and `risks.csv` of a previous `takt plan` output; missing or
    /// unreadable files count as empty.
    public static func load(folder: String) -> PreviousRun {
        var previous = PreviousRun()
        if let data = FileManager.default.contents(atPath: folder + "/gates.json"),
           let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for gate in list {
                if let name = gate["gate"] as? String {
                    previous.gates[name] = (gate["status"] as? String ?? "", gate["date"] as? String ?? "")
                }
            }
        }
        if let data = FileManager.default.contents(atPath: folder + "/risks.csv") {
            var sink = DiagnosticSink()
            if let table = CSVTable.parse([UInt8](data), file: "risks.csv", sink: &sink),
               let id = table.column("id"), let level = table.column("level") {
                let message = table.column("message") ?? -1
                for row in 0..<table.rowCount {
                    let key = table.string(row, id)
                    previous.risks[key] = Int(table.string(row, level)) ?? 0
                    previous.riskMessages[key] = message >= 0 ? table.string(row, message) : ""
                }
            }
        }
        return previous
    }
}
