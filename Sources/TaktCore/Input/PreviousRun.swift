import Foundation

/// Last week's output folder, read for the report's "what moved" and "risk changes".
public struct PreviousRun: Sendable {
    /// Gate name → (status, date).
    public var gates: [String: (status: String, date: String)] = [:]
    /// Risk id → level.
    public var risks: [String: Int] = [:]
    public var riskMessages: [String: String] = [:]

    public init() {}

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
