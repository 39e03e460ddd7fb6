import TaktModel
import TaktInput
import TaktPlanning

/// Plain-text tables for the terminal: columns padded to their widest cell, two spaces
/// apart, no trailing spaces.
public enum TextTable {
    public static func aligned(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows {
            for (k, cell) in row.enumerated() {
                if k < widths.count { widths[k] = max(widths[k], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            var line = row.enumerated().map { k, cell in
                k == row.count - 1 ? cell : cell.padding(toLength: widths[k], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
