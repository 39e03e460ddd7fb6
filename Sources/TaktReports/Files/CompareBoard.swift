import TaktModel
import TaktInput
import TaktPlanning

/// `compare.html` of `takt whatif`: one small bar chart per key figure across the runs
/// (inline SVG, no scripts), base first, the change against base in each label.
public enum CompareBoard {
    public static func render(_ runs: [WhatIfRun]) -> String {
        let columns = Array(WhatIf.compareColumns.dropFirst())
        let values = runs.map { WhatIf.values($0.figures) }
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Takt what-if comparison</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222}
        .grid{display:flex;flex-wrap:wrap;gap:18px}.card{border:1px solid #eee;padding:8px 12px;background:#fafafa}
        h1{font-size:22px}h2{font-size:14px;margin:4px 0}
        </style></head><body>
        <h1>What-if comparison</h1>
        <p>\(runs.map { StatusReportHTML.escape($0.name) }.joined(separator: " · ")) — see compare.csv and each run's folder.</p>
        <div class="grid">

        """
        for (k, column) in columns.enumerated() {
            // A figure a run has nothing to measure for (no products) draws no bar.
            let known = values.map { $0[k] }
            let series = known.map { $0 ?? 0 }
            let top = max(series.map(abs).max() ?? 0, 1e-9)
            // Bars take what is left after the run names and the longest value label, so
            // every label stays inside its card.
            let barHeight = 22.0, width = 460.0, labelWidth = 130.0, valueWidth = 170.0
            let height = Double(runs.count) * barHeight + 8
            html += "<div class=\"card\"><h2>\(column)</h2><svg width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(column)\">\n"
            for (r, run) in runs.enumerated() {
                let y = 4 + Double(r) * barHeight
                let length = abs(series[r]) / top * (width - labelWidth - valueWidth)
                var label = known[r] == nil ? "—" : NumberFormat.fixed(series[r], decimals: 2)
                if r > 0, known[r] != nil, known[0] != nil {
                    let delta = series[r] - series[0]
                    if abs(delta) > 1e-9 { label += " (\(delta > 0 ? "+" : "")\(NumberFormat.fixed(delta, decimals: 2)))" }
                }
                html += "<text x=\"0\" y=\"\(fmt(y + 15))\" font-size=\"12\">\(StatusReportHTML.escape(run.name))</text>"
                html += "<rect x=\"\(Int(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(max(1, length)))\" height=\"\(fmt(barHeight - 7))\" fill=\"\(r == 0 ? "#90a4ae" : "#64b5f6")\"/>"
                html += "<text x=\"\(fmt(labelWidth + length + 6))\" y=\"\(fmt(y + 15))\" font-size=\"11\">\(label)</text>\n"
            }
            html += "</svg></div>\n"
        }
        html += "</div>\n" + gateTable(runs)
        return html + "</body></html>\n"
    }

    /// Each gate's status per run; a status that differs from base is marked.
    static func gateTable(_ runs: [WhatIfRun]) -> String {
        let names = WhatIf.gateNames(runs)
        guard !names.isEmpty, let base = runs.first else { return "" }
        var html = "<h2 style=\"margin-top:20px\">Gates</h2>\n<table style=\"border-collapse:collapse;font-size:13px\"><tr><th style=\"text-align:left;padding:4px 8px\">gate</th>"
        for run in runs { html += "<th style=\"padding:4px 8px\">\(StatusReportHTML.escape(run.name))</th>" }
        html += "</tr>\n"
        let colors = ["go": "#2e7d32", "at_risk": "#b28704", "no_go": "#c62828"]
        for name in names {
            html += "<tr><td style=\"padding:4px 8px\">\(StatusReportHTML.escape(name))</td>"
            for (index, run) in runs.enumerated() {
                let status = WhatIf.gateStatus(run, name)
                let changed = index > 0 && status != WhatIf.gateStatus(base, name)
                let style = "padding:4px 8px;color:\(colors[status ?? ""] ?? "#777")" + (changed ? ";font-weight:bold;background:#fff3e0" : "")
                html += "<td style=\"\(style)\">\(status ?? "—")\(changed ? " (changed)" : "")</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private static func fmt(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2) }
}
