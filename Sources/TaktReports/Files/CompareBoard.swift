import TaktModel
import TaktInput
import TaktPlanning

/// `compare.html` of `takt whatif`, for a decision: what each scenario changes, a table of
/// the key figures with each scenario's change against base marked better or worse, one
/// chart per scenario of those changes (bars from zero = base, in % of base), and the
/// gates' statuses side by side. Inline CSS and SVG, no scripts.
public enum CompareBoard {
    /// Each figure of `compare.csv` (after `scenario`): a label people read, and which way
    /// is better (+1 more, -1 less, 0 neither).
    static let figures: [(label: String, better: Int)] = [
        ("Planned orders", 0), ("Purchase amount", -1), ("Past-due orders", -1), ("Short quantity (units)", -1),
        ("Backlog (units)", -1), ("Overtime (hours)", -1), ("Capacity plan cost", -1), ("Gates go", 1),
        ("Gates at risk", -1), ("Gates no-go", -1), ("Level-3 risks", -1), ("Cost per unit", -1),
        ("On-time delivery (%)", 1), ("Units delivered late", -1), ("Gates forecast late", -1),
        ("Gate days late", -1),
    ]

    /// `figures`' labels for `runs`: the cost per unit and on-time delivery name the product
    /// they are of (the plan's first: one product among many, not the portfolio).
    static func labels(_ runs: [WhatIfRun]) -> [String] {
        let product = runs.first?.figures.headlineProduct
        return figures.map { figure in
            switch figure.label {
            case "Cost per unit": product.map { "Cost per unit of \($0) (last phase)" } ?? "Cost per unit (first product, last phase)"
            case "On-time delivery (%)": product.map { "On-time delivery of \($0) (%)" } ?? "On-time delivery of the first product (%)"
            default: figure.label
            }
        }
    }

    public static func render(_ runs: [WhatIfRun]) -> String {
        let columns = Array(WhatIf.compareColumns.dropFirst())
        let labels = labels(runs)
        let values = runs.map { WhatIf.values($0.figures) }
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Takt what-if comparison</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
        .grid{display:flex;flex-wrap:wrap;gap:18px}.card{border:1px solid #eee;padding:8px 12px;background:#fafafa}
        h1{font-size:22px}h2{font-size:16px;margin:18px 0 6px}h3{font-size:14px;margin:4px 0}
        table{border-collapse:collapse;font-size:13px}td,th{padding:4px 8px;border-bottom:1px solid #eee;text-align:right}
        td:first-child,th:first-child{text-align:left}.key{color:#999;font-size:11px}.better{color:#2e7d32}.worse{color:#c62828}
        .muted{color:#777}svg{max-width:100%;height:auto}
        </style></head><body>
        <h1>What-if comparison</h1>
        <p class="muted">Each scenario is the base model with the changes listed; the figures are those of compare.csv, each run's full plan is in its folder.</p>
        <ul>

        """
        for run in runs {
            let what = run.changes.isEmpty ? (run.name == "base" ? "the model as it is" : "—") : run.changes
            html += "<li><b>\(StatusReportHTML.escape(run.name))</b>: \(StatusReportHTML.escape(what))</li>\n"
        }
        html += "</ul>\n<h2>Key figures against base</h2>\n<table><tr><th>figure</th>"
        for run in runs { html += "<th>\(StatusReportHTML.escape(run.name))</th>" }
        html += "</tr>\n"
        for (k, column) in columns.enumerated() {
            let meta = figures[k]
            html += "<tr><td>\(StatusReportHTML.escape(labels[k])) <span class=\"key\">\(column)</span></td>"
            for (r, value) in values.enumerated() {
                guard let v = value[k] else {
                    html += "<td class=\"muted\">—</td>"
                    continue
                }
                var cell = fmt(v)
                var style = ""
                if r > 0, let b = values[0][k] {
                    let delta = v - b
                    if abs(delta) > 1e-9 {
                        cell += " (\(delta > 0 ? "+" : "")\(fmt(delta)))"
                        let verdict = Double(meta.better) * delta
                        if verdict > 0 { style = " class=\"better\"" } else if verdict < 0 { style = " class=\"worse\"" }
                    }
                }
                html += "<td\(style)>\(cell)</td>"
            }
            html += "</tr>\n"
        }
        html += "</table>\n<p class=\"muted\"><span class=\"better\">green</span>: better than base; <span class=\"worse\">red</span>: worse; black: no better or worse (planned orders), or unchanged.</p>\n"
        if runs.count > 1 {
            html += "<h2>Change against base</h2>\n<div class=\"grid\">\n"
            for r in 1..<runs.count {
                html += deltaChart(runs[r].name, values[r], base: values[0], gates: WhatIf.gateChanges(runs[r], base: runs[0]))
            }
            html += "</div>\n"
        }
        html += gateTable(runs)
        return html + "</body></html>\n"
    }

    /// One scenario's changes against base, one bar per figure that changed, from the zero
    /// line: in % of the base value (capped at ±100 %), or — where base is 0 — a full bar;
    /// green better, red worse, grey neither; the change and its share beside it.
    /// Under it, each gate whose status or forecast differs from base (`gates`).
    static func deltaChart(_ name: String, _ values: [Double?], base: [Double?], gates: [(text: String, verdict: Int)] = []) -> String {
        let changed = figures.indices.filter { k in
            guard let v = values[k], let b = base[k] else { return false }
            return abs(v - b) > 1e-9
        }
        // Green an earlier forecast or a better status, red a later or worse one.
        let gateLines: String = gates.map { (change: (text: String, verdict: Int)) -> String in
            let style = change.verdict > 0 ? " class=\"better\"" : change.verdict < 0 ? " class=\"worse\"" : ""
            return "<p\(style) style=\"margin:2px 0\">\(StatusReportHTML.escape(change.text))</p>"
        }.joined()
        guard !changed.isEmpty else {
            return "<div class=\"card\"><h3>\(StatusReportHTML.escape(name))</h3>"
                + (gates.isEmpty ? "<p class=\"muted\">No key figure or gate changes.</p>" : gateLines) + "</div>\n"
        }
        let barHeight = 20.0, labelWidth = 160.0, half = 100.0, valueWidth = 160.0
        let width = labelWidth + 2 * half + valueWidth, height = Double(changed.count) * barHeight + 8
        let zero = labelWidth + half
        var svg = "<div class=\"card\"><h3>\(StatusReportHTML.escape(name))</h3><svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(StatusReportHTML.escape(name)) against base\">\n"
        svg += "<line x1=\"\(fmt(zero))\" y1=\"0\" x2=\"\(fmt(zero))\" y2=\"\(fmt(height))\" stroke=\"#999\"/>\n"
        for (row, k) in changed.enumerated() {
            let meta = figures[k]
            let y = 4 + Double(row) * barHeight
            svg += "<text x=\"0\" y=\"\(fmt(y + 14))\" font-size=\"11\">\(meta.label)</text>"
            let (v, b) = (values[k]!, base[k]!)
            let delta = v - b
            let share = abs(b) > 1e-9 ? delta / abs(b) : (abs(delta) > 1e-9 ? (delta > 0 ? 1 : -1) : 0)
            let length = min(1, abs(share)) * half
            let verdict = Double(meta.better) * delta
            let color = abs(delta) <= 1e-9 ? "#bbb" : verdict > 0 ? "#43a047" : verdict < 0 ? "#e53935" : "#90a4ae"
            let x = share < 0 ? zero - length : zero
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(max(1, length)))\" height=\"\(fmt(barHeight - 7))\" fill=\"\(color)\"/>"
            let percent = abs(100 * share) < 0.05 ? "under 0.1 %" : "\(share > 0 ? "+" : "")\(NumberFormat.fixed(100 * share, decimals: 1)) %"
            let label = "\(delta > 0 ? "+" : "")\(fmt(delta))" + (abs(b) > 1e-9 ? " (\(percent))" : "")
            svg += "<text x=\"\(fmt(zero + half + 6))\" y=\"\(fmt(y + 14))\" font-size=\"11\">\(label)</text>\n"
        }
        return svg + "</svg>" + gateLines + "</div>\n"
    }

    /// Each gate's status and forecast date per run; one that differs from base is marked.
    static func gateTable(_ runs: [WhatIfRun]) -> String {
        let names = WhatIf.gateNames(runs)
        guard !names.isEmpty, let base = runs.first else { return "" }
        var html = "<h2>Gates: status and forecast date</h2>\n<table><tr><th>gate</th>"
        for run in runs { html += "<th style=\"padding:4px 8px\">\(StatusReportHTML.escape(run.name))</th>" }
        html += "</tr>\n"
        let colors = ["go": "#2e7d32", "at_risk": "#b28704", "no_go": "#c62828"]
        for name in names {
            html += "<tr><td style=\"padding:4px 8px;white-space:nowrap\">\(StatusReportHTML.escape(name))</td>"
            for (index, run) in runs.enumerated() {
                let status = WhatIf.gateStatus(run, name)
                let forecast = WhatIf.gateForecast(run, name)
                let changed = index > 0 && (status != WhatIf.gateStatus(base, name) || forecast != WhatIf.gateForecast(base, name))
                let style = "padding:4px 8px;color:\(colors[status ?? ""] ?? "#777")" + (changed ? ";font-weight:bold;background:#fff3e0" : "")
                // A date is never broken over two lines (a narrow page wraps between words).
                let date = forecast.map { " · forecast <span style=\"white-space:nowrap\">\($0)</span>" } ?? ""
                html += "<td style=\"\(style)\">\(status ?? "—")\(date)\(changed ? " (changed)" : "")</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    private static func fmt(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2) }
}
