import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// `report.html`: the status report as one self-contained page (inline CSS and SVG, no
/// scripts, opens offline) with the ramp, utilization heat map, gate timeline and top
/// shortages (contract §4).
public struct StatusReportHTML {
    let report: StatusReport
    let result: PlanResult

    public init(report: StatusReport, result: PlanResult) {
        self.report = report
        self.result = result
    }

    static func escape(_ text: String) -> String {
        // Byte by byte: the four are ASCII, and a name's other bytes pass as they are.
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func color(_ status: GateStatus) -> String {
        switch status {
        case .go: "#2e7d32"
        case .atRisk: "#f9a825"
        case .noGo: "#c62828"
        }
    }

    public func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(report.title))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:14px;margin:14px 0 4px}
        table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
        .d{white-space:nowrap}.go{color:#2e7d32}.at_risk{color:#b28704}.no_go{color:#c62828}.muted{color:#777}
        li{margin:3px 0;font-size:14px}svg{background:#fafafa;border:1px solid #eee;max-width:100%;height:auto}
        </style></head><body>
        <h1>\(Self.escape(report.title))</h1>
        <p class="muted">Week of \(report.weekOf). Every line names an owner and a date.</p>

        """
        html += list(report.thisWeekHeading, report.thisWeek, empty: "Nothing to order, move or decide this week.", limit: StatusReport.thisWeekLimit)
        if report.kpiLines.contains(where: { $0.target != nil }) { html += kpiTiles() }
        html += "<h2>Gate timeline</h2>\n" + gateTimeline()
        html += "<h2>Ramp target, master schedule and projected output</h2>\n" + rampChart()
        html += "<h2>Capacity: the MRP's load by work center</h2>\n<p class=\"muted\">Each cell: the hours the make orders released that week need at the work center (<code>mrp_load_hours</code>), in % of its regular capacity; above 100 % they need overtime, orange while within the overtime allowed (or less than 5 % beyond capacity and planned overtime, which is not an overload), dark red where section 7 lists an overload beyond the overtime allowed. The number at a row's end is its highest week; the capacity plan's own hours are in each cell's tooltip.</p>\n" + heatMap()
        html += "<h2>Top shortages</h2>\n" + topShortages()
        html += "<h2>1. Milestone movement</h2>\n"
        if !report.earlierRuns.isEmpty { html += milestoneTrend() }
        let simulated = report.milestones.contains { !$0.confidence.isEmpty }
        html += "<table><tr><th>Gate</th><th>Phase</th><th>Date</th><th>Status</th><th>Forecast</th><th>Baseline</th><th>Last week</th>"
            + "<th>Slip (days)</th>" + (simulated ? "<th>Confidence</th>" : "") + "<th>What moved</th><th>Owner</th></tr>\n"
        for m in report.milestones {
            html += "<tr><td>\(Self.escape(m.gate))</td><td>\(Self.escape(m.phase))</td><td class=\"d\">\(m.date)</td><td class=\"\(m.status.rawValue)\">\(m.status.rawValue)</td>"
                + "<td class=\"d\">\(m.forecast)</td><td class=\"d\">\(m.baseline)</td><td class=\"d\">\(m.lastForecast)</td><td>\(m.slip)</td>"
                + (simulated ? "<td>\(Self.escape(m.confidence))</td>" : "")
                + "<td>\(Self.escape(m.movedAndWhy))</td><td>\(Self.escape(m.owner))</td></tr>\n"
        }
        html += "</table>\n"
        if let note = report.previousOnlyNote { html += "<p class=\"muted\">\(Self.escape(note.replacingOccurrences(of: "`", with: "")))</p>\n" }
        html += "<h3>Late deliveries (what will arrive)</h3>\n"
        if report.lateDeliveries.isEmpty {
            html += "<p class=\"muted\">Every ramp week and demand row arrives on time.</p>\n"
        } else {
            html += "<table><tr><th>Item</th><th>Units late</th><th>Deliveries late</th><th>Worst</th><th>Late units by cause</th></tr>\n"
            let (rows, more) = report.lateDeliveriesShown
            for row in rows {
                html += "<tr><td>\(Self.escape(row.item))</td><td>\(StatusReport.lateOfDue(row))</td>"
                    + "<td>\(row.lateCount) of \(row.count)</td><td>\(Self.escape(row.worst))</td><td>\(Self.escape(row.causes))</td></tr>\n"
            }
            html += "</table>\n"
            if let more { html += "<p class=\"muted\">\(Self.escape(more))</p>\n" }
        }
        html += list("2. Blockers requiring action", report.blockers, empty: "No blockers.")
        html += list("3. Decisions needed", report.decisions, empty: "No decisions pending.")
        html += "<h2>4. Risk changes</h2>\n"
        if !report.comparedWithPrevious { html += "<p class=\"muted\">No previous run given: every risk is new.</p>\n" }
        if let note = report.previousOnlyNote { html += "<p class=\"muted\">\(Self.escape(note.replacingOccurrences(of: "`", with: "")))</p>\n" }
        html += list("New (\(report.newRisks.count))", report.newRisks, empty: "None.", level: 3, note: report.newRisksNote)
        html += list("Escalated (\(report.escalatedRisks.count))", report.escalatedRisks, empty: "None.", level: 3)
        if report.comparedWithPrevious {
            html += list("Worsened (\(report.worsenedRisks.count))", report.worsenedRisks, empty: "None.", level: 3)
        }
        html += list("Closed (\(report.closedRisks.count))", report.closedRisks, empty: "None.", level: 3)
        if !report.earlierRuns.isEmpty {
            html += list("Escalation tracker: open since an earlier run or answered by a decision (\(report.tracker.count))", report.tracker,
                         empty: "None.", level: 3)
        }
        html += list("5. Next-week plan", report.nextWeek, empty: "Nothing to release or buy next week.")
        html += list("6. Procurement actions", report.procurement, empty: "No receipt to move or cancel, no late purchase.")
        if report.comparedPurchases {
            html += list("Purchase suggestions changed since last week (\(report.purchaseChanges.count))", report.purchaseChanges,
                         empty: "None.", level: 3)
        }
        html += list("7. Capacity and the master schedule", report.capacity, empty: "No work center is a bottleneck; no MRP overloads.")
        html += "<h2>8. KPIs against targets</h2>\n" + kpiTable() + costBars() + inventoryCurve()
        if !report.warnings.isEmpty { html += list("Warnings: input the plan leaves out", report.warnings, empty: "") }
        html += "</body></html>\n"
        return html
    }

    private func list(_ heading: String, _ lines: StatusReport.Lines, empty: String, level: Int = 2,
                      limit: Int = StatusReport.sectionLimit, note: String? = nil) -> String {
        var out = "<h\(level)>\(Self.escape(heading))</h\(level)>\n"
        if let note { out += "<p class=\"muted\">\(Self.escape(note))</p>\n" }
        if lines.isEmpty { return out + "<p class=\"muted\">\(empty)</p>\n" }
        out += "<ul>\n"
        for line in lines.shown {
            out += "<li>\(Self.escape(line.text)) — <b>\(Self.escape(line.owner.isEmpty ? "unassigned" : line.owner))</b>, by \(line.date)</li>\n"
        }
        if let more = lines.moreLine { out += "<li class=\"muted\">\(Self.escape(more))</li>\n" }
        return out + "</ul>\n"
    }

    private func gateTimeline() -> String {
        let gates = result.gates
        guard !gates.isEmpty else { return "<p class=\"muted\">No gates.</p>\n" }
        // With `--simulate N`: each gate's confidence (§2e) under its date.
        var confidence: [String: String] = [:]
        for m in report.milestones where !m.confidence.isEmpty {
            confidence[m.gate] = String(m.confidence.prefix { $0 != "," })  // `81.2 % on time`
        }
        let width = 1000.0, height = confidence.isEmpty ? 90.0 : 104.0
        let first = Double(result.model.plan.start.number)
        let last = Double(max(gates.map(\.date.number).max()!, result.model.plan.start.number + 7))
        func x(_ day: Day) -> Double { 40 + (Double(day.number) - first) / (last - first) * (width - 80) }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"gate timeline\">\n"
        svg += "<line x1=\"40\" y1=\"40\" x2=\"\(Int(width - 40))\" y2=\"40\" stroke=\"#999\" stroke-width=\"2\"/>\n"
        for gate in gates {
            let cx = x(gate.date)
            svg += "<circle cx=\"\(fmt(cx))\" cy=\"40\" r=\"9\" fill=\"\(Self.color(gate.status))\"><title>\(Self.escape(gate.gate)): \(gate.status.rawValue)</title></circle>\n"
            svg += "<text x=\"\(fmt(cx))\" y=\"22\" font-size=\"11\" text-anchor=\"middle\">\(Self.escape(gate.gate))</text>\n"
            svg += "<text x=\"\(fmt(cx))\" y=\"68\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(gate.date)</text>\n"
            if let text = confidence[gate.gate] {
                svg += "<text x=\"\(fmt(cx))\" y=\"84\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">\(Self.escape(text))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Per product (at most six: those with late deliveries first, in the late-deliveries
    /// table's order, then by name): the ramp target (line), the master schedule
    /// `x` (bars), the projected output (line, §2d) and the backlog `B` (line), on a date axis with the phase boundaries and
    /// labelled y ticks.
    private func rampChart() -> String {
        let model = result.model
        let products = model.plan.products
        let weeks = model.plan.horizonWeeks
        guard weeks > 0, !products.isEmpty else { return "<p class=\"muted\">No ramp products.</p>\n" }
        let flows = result.mps.flows.requirement
        var backlog = [[Double]](repeating: [Double](repeating: 0, count: weeks), count: products.count)
        for row in result.mps.rows { backlog[row.product][row.week] = row.backlog }
        // A product the late-deliveries table ranks goes where it ranks there.
        var lateRank: [String: Int] = [:]
        for (k, row) in report.lateDeliveries.enumerated() { lateRank[row.item] = k }
        let order = products.indices.sorted { a, b in
            let (x, y) = (model.items.names[products[a].item], model.items.names[products[b].item])
            let (rx, ry) = (lateRank[x] ?? .max, lateRank[y] ?? .max)
            return rx != ry ? rx < ry : x < y
        }
        let projected = projectedOutput(weeks: weeks)
        var out = ""
        for p in order.prefix(6) {
            out += productChart(name: model.items.names[products[p].item], target: flows[p], planned: result.mps.planned[p],
                                projected: projected[p], backlog: backlog[p], weeks: weeks)
        }
        if order.count > 6 { out += "<p class=\"muted\">… and \(order.count - 6) more products in mps.csv</p>\n" }
        return out
    }

    /// Per ramp product and week: the units its planned orders complete in that week with
    /// the plan as decided (§2d: each order in the week of its projected available bucket;
    /// an order not there within the horizon counts nowhere).
    private func projectedOutput(weeks: Int) -> [[Double]] {
        let products = result.model.plan.products
        var output = [[Double]](repeating: [Double](repeating: 0, count: weeks), count: products.count)
        let mrp = result.mrp
        // Each product's own orders (its stretch of them), in their order.
        for (p, row) in products.enumerated() {
            for o in mrp.orderRange(of: row.item) {
                guard let a = result.projection.available(order: o, buckets: mrp.bucketCount),
                      let w = result.mps.weekly.bucket(of: mrp.calendar.bucketStart[a]), w < weeks else { continue }
                output[p][w] += mrp.orders[o].receiptQuantity
            }
        }
        return output
    }

    private func productChart(name: String, target: [Double], planned: [Double], projected: [Double], backlog: [Double], weeks: Int) -> String {
        let week = result.mps.weekly.bucketStart
        let start = result.model.plan.start
        let windows = result.model.plan.phaseWindows
        let top = Self.niceCeiling(max(1, (target + planned + projected + backlog).max() ?? 1))
        let width = 1000.0, height = 256.0, left = 60.0, right = 10.0, topY = 24.0, bottom = 200.0
        let barWidth = (width - left - right) / Double(weeks)
        func x(_ t: Double) -> Double { left + t * barWidth }
        func y(_ v: Double) -> Double { bottom - v / top * (bottom - topY) }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(name)): ramp target, master schedule, projected output and backlog\">\n"
        svg += "<text x=\"\(Int(left))\" y=\"14\" font-size=\"12\" font-weight=\"bold\">\(Self.escape(name))</text>\n"
        // Y ticks: 0, ¼, ½, ¾ and the top, labelled.
        for k in 0...4 {
            let value = top * Double(k) / 4
            svg += "<line x1=\"\(Int(left))\" y1=\"\(fmt(y(value)))\" x2=\"\(Int(width - right))\" y2=\"\(fmt(y(value)))\" stroke=\"#e0e0e0\"/>"
            svg += "<text x=\"\(Int(left - 4))\" y=\"\(fmt(y(value) + 4))\" font-size=\"10\" text-anchor=\"end\">\(NumberFormat.fixed(value, decimals: 1))</text>\n"
        }
        for t in 0..<weeks where planned[t] > 0 {
            svg += "<rect x=\"\(fmt(x(Double(t)) + 1))\" y=\"\(fmt(y(planned[t])))\" width=\"\(fmt(max(1, barWidth - 2)))\" height=\"\(fmt(bottom - y(planned[t])))\" fill=\"#90caf9\"><title>\(week[t]): master schedule \(NumberFormat.fixed(planned[t], decimals: 1)), projected output \(NumberFormat.fixed(projected[t], decimals: 1)), target \(NumberFormat.fixed(target[t], decimals: 1)), backlog \(NumberFormat.fixed(backlog[t], decimals: 1))</title></rect>\n"
        }
        func polyline(_ values: [Double], _ color: String, dash: Bool = false, through end: Int? = nil) -> String {
            let points = (0..<(end ?? weeks)).map { "\(fmt(x(Double($0) + 0.5))),\(fmt(y(values[$0])))" }.joined(separator: " ")
            return "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash ? " stroke-dasharray=\"5 3\"" : "")/>\n"
        }
        // The ramp is the plan's: its line ends with the last phase (after it the target is
        // no requirement, not a fall to 0).
        let planned = min(weeks, result.model.plan.phases.reduce(0) { $0 + $1.weeks })
        svg += polyline(target, "#c62828", through: planned)
        svg += polyline(projected, "#2e7d32")
        let hasBacklog = backlog.contains { $0 > 1e-6 }
        if hasBacklog { svg += polyline(backlog, "#6a1b9a", dash: true) }
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(bottom))\" stroke=\"#999\"/>\n"
        // Phase boundaries with their names, and the gate dates.
        var first = 0
        for (k, phase) in result.model.plan.phases.enumerated() where first < weeks {
            svg += "<line x1=\"\(fmt(x(Double(first))))\" y1=\"\(Int(topY))\" x2=\"\(fmt(x(Double(first))))\" y2=\"\(Int(bottom + 4))\" stroke=\"#999\" stroke-dasharray=\"2 2\"/>"
            svg += "<text x=\"\(fmt(x(Double(first)) + 3))\" y=\"\(Int(topY + 10))\" font-size=\"10\" fill=\"#555\">\(Self.escape(phase.name))</text>"
            svg += "<text x=\"\(fmt(x(Double(first))))\" y=\"\(Int(bottom + 16))\" font-size=\"10\" text-anchor=\"middle\">\(windows[k].lowerBound)</text>\n"
            first += phase.weeks
        }
        if first <= weeks, !windows.isEmpty {
            svg += "<text x=\"\(fmt(min(x(Double(first)), width - right - 30)))\" y=\"\(Int(bottom + 16))\" font-size=\"10\" text-anchor=\"middle\">\(windows.last!.upperBound)</text>\n"
        }
        // Gate markers at each gate's date, coloured by status.
        for gate in result.gates {
            guard let t = result.mps.weekly.bucket(of: gate.date) ?? (gate.date.number == result.mps.weekly.end.number ? weeks : nil),
                  gate.date >= start else { continue }
            let gx = x(Double(t))
            svg += "<path d=\"M\(fmt(gx)) \(fmt(bottom - 6)) l5 6 l-5 6 l-5 -6 z\" fill=\"\(Self.color(gate.status))\"><title>\(Self.escape(gate.gate)) \(gate.date): \(gate.status.rawValue)</title></path>"
            svg += "<text x=\"\(fmt(min(gx, width - right - 20)))\" y=\"\(Int(bottom + 28))\" font-size=\"9\" text-anchor=\"middle\" fill=\"\(Self.color(gate.status))\">\(Self.escape(gate.gate))</text>\n"
        }
        let legend = Int(bottom + 42)
        svg += "<text x=\"\(Int(left))\" y=\"\(legend)\" font-size=\"11\" fill=\"#c62828\">— ramp target + demand (units/week)</text>"
        svg += "<text x=\"300\" y=\"\(legend)\" font-size=\"11\" fill=\"#1e88e5\">■ master schedule (planned completions)</text>"
        svg += "<text x=\"540\" y=\"\(legend)\" font-size=\"11\" fill=\"#2e7d32\">— projected output (the plan as decided)</text>"
        // The capacity plan's backlog only where it has one (no legend for a line not drawn).
        if hasBacklog { svg += "<text x=\"800\" y=\"\(legend)\" font-size=\"11\" fill=\"#6a1b9a\">- - capacity plan's backlog at week end</text>" }
        svg += "\n"
        return svg + "</svg>\n"
    }

    /// The milestone trend analysis: x the report week, y each gate's forecast at that
    /// run, one line per gate, its planned date a dashed mark at the right edge, and the
    /// diagonal where forecast and report date meet (a gate reached). A forecast that was
    /// open is a gap, marked on the top edge. The y axis runs from the earliest of the
    /// report dates, planned dates and forecasts to the latest, with a dated line every
    /// week (spans up to 12 weeks) or at each month's first day (every second or third
    /// month on long spans), so that a week's slip shows.
    private func milestoneTrend() -> String {
        let palette = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457"]
        let runs = report.trend.flatMap { $0.points.map(\.run.number) }
        let forecasts = report.trend.flatMap { $0.points.compactMap(\.forecast?.number) }
        guard let firstRun = runs.min(), let lastRun = runs.max() else { return "" }
        var planned: [String: Int] = [:]
        for gate in result.gates { planned[gate.gate] = gate.date.number }
        let plannedDays = report.trend.compactMap { planned[$0.gate] }
        let low = min(firstRun, forecasts.min() ?? firstRun, plannedDays.min() ?? firstRun) - 3
        let high = max(lastRun + 7, forecasts.max() ?? lastRun, plannedDays.max() ?? lastRun) + 7
        let width = 1000.0, height = 370.0, left = 80.0, right = 150.0, top = 34.0, bottom = 310.0
        let xSpan = Double(max(lastRun - firstRun, 7))
        func x(_ day: Int) -> Double { left + Double(day - firstRun) / xSpan * (width - left - right) }
        func y(_ day: Int) -> Double { bottom - Double(day - low) / Double(high - low) * (bottom - top) }
        var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"milestone trend: each gate's forecast at each weekly run\">\n"
        for day in Self.dateTicks(from: low, to: high) {
            svg += "<line x1=\"\(Int(left))\" y1=\"\(fmt(y(day)))\" x2=\"\(Int(width - right))\" y2=\"\(fmt(y(day)))\" stroke=\"#e0e0e0\"/>"
            svg += "<text x=\"\(Int(left - 4))\" y=\"\(fmt(y(day) + 4))\" font-size=\"10\" text-anchor=\"end\">\(Day(number: day))</text>\n"
        }
        // X ticks: each run; a date under at most eight of them (the first and the last
        // always), so a year of weekly runs stays legible.
        let ticks = Set(runs).sorted()
        let every = max(1, (ticks.count + 7) / 8)
        for (k, run) in ticks.enumerated() {
            svg += "<line x1=\"\(fmt(x(run)))\" y1=\"\(Int(bottom))\" x2=\"\(fmt(x(run)))\" y2=\"\(Int(bottom + 4))\" stroke=\"#999\"/>"
            guard k % every == 0 || k == ticks.count - 1, k == ticks.count - 1 || ticks.count - 1 - k >= every else { continue }
            svg += "<text x=\"\(fmt(x(run)))\" y=\"\(Int(bottom + 16))\" font-size=\"10\" text-anchor=\"middle\">\(Day(number: run))</text>\n"
        }
        svg += "<text x=\"\(fmt((left + width - right) / 2))\" y=\"\(Int(bottom + 32))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">report week</text>\n"
        // The diagonal: forecast = report date.
        let diagonalEnd = min(lastRun, high)
        svg += "<line x1=\"\(fmt(x(firstRun)))\" y1=\"\(fmt(y(max(firstRun, low))))\" x2=\"\(fmt(x(diagonalEnd)))\" y2=\"\(fmt(y(diagonalEnd)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"><title>forecast = report date</title></line>\n"
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(bottom))\" stroke=\"#999\"/>\n"
        for (k, entry) in report.trend.enumerated() {
            let color = palette[k % palette.count]
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    svg += "<polyline points=\"\(segment.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                }
                segment = []
            }
            for point in entry.points {
                guard let forecast = point.forecast else {
                    // Open: a hollow marker above the plot, one row per gate (four rows).
                    flush()
                    svg += "<circle cx=\"\(fmt(x(point.run.number)))\" cy=\"\(fmt(top - 6 - 7 * Double(k % 4)))\" r=\"3\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"><title>\(Self.escape(entry.gate)) at \(point.run): forecast open</title></circle>\n"
                    continue
                }
                segment.append("\(fmt(x(point.run.number))),\(fmt(y(forecast.number)))")
                svg += "<circle cx=\"\(fmt(x(point.run.number)))\" cy=\"\(fmt(y(forecast.number)))\" r=\"3.5\" fill=\"\(color)\"><title>\(Self.escape(entry.gate)) at \(point.run): forecast \(forecast)</title></circle>\n"
            }
            flush()
            if let day = planned[entry.gate] {
                svg += "<line x1=\"\(Int(width - right - 14))\" y1=\"\(fmt(y(day)))\" x2=\"\(Int(width - right))\" y2=\"\(fmt(y(day)))\" stroke=\"\(color)\" stroke-width=\"3\" stroke-dasharray=\"3 2\"><title>\(Self.escape(entry.gate)) planned \(Day(number: day))</title></line>\n"
            }
            svg += "<text x=\"\(Int(width - right + 12))\" y=\"\(Int(top + 14 + Double(k) * 16))\" font-size=\"11\" fill=\"\(color)\">● \(Self.escape(entry.gate))</text>\n"
        }
        svg += "<text x=\"\(Int(width - right + 12))\" y=\"\(Int(top + 14 + Double(report.trend.count) * 16 + 4))\" font-size=\"11\" fill=\"#555\">○ above: open</text>\n"
        svg += "<text x=\"\(Int(width - right + 12))\" y=\"\(Int(top + 14 + Double(report.trend.count) * 16 + 20))\" font-size=\"11\" fill=\"#555\">- - at right: planned</text>\n"
        return svg + "</svg>\n"
    }

    /// Dated lines for a date axis from `low` to `high` (day numbers): each Monday on spans
    /// up to 12 weeks, else each month's first day — every second or third month when
    /// there would be more than 12.
    static func dateTicks(from low: Int, to high: Int) -> [Int] {
        if high - low <= 84 {
            let monday = low + (7 - (Day(number: low).weekday - 1)) % 7
            return Array(stride(from: monday, through: high, by: 7))
        }
        var (year, month, _) = Day(number: low).civil
        var firsts: [Int] = []
        while true {
            month += 1
            if month > 12 { (year, month) = (year + 1, 1) }
            guard let day = Day(year: year, month: month, day: 1), day.number <= high else { break }
            firsts.append(day.number)
        }
        let step = firsts.count > 24 ? 3 : firsts.count > 12 ? 2 : 1
        return firsts.enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    /// The KPIs' names on the tiles, in words (kpis.csv keeps its keys).
    static func label(_ kpi: KPIKind) -> String {
        switch kpi {
        case .costPerUnit: "cost per unit"
        case .onTimeDeliveryPct: "on-time delivery %"
        case .firstPassYieldPct: "first-pass yield %"
        case .supplierOnTimePct: "supplier on-time %"
        default: kpi.rawValue
        }
    }

    /// A tile per KPI with a target: its value in the phase of the next gate (the first
    /// phase whose gate is not passed), coloured by status.
    private func kpiTiles() -> String {
        var out = "<div style=\"display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 4px\">"
        let next = result.gates.first { $0.date > result.model.plan.start }.map { result.model.plan.phases[$0.phase].name }
        for line in report.kpiLines where line.target != nil {
            guard let cell = line.cells.first(where: { $0.phase == next && $0.value != nil }) ?? line.cells.first(where: { $0.value != nil }),
                  let value = cell.value else { continue }
            let color = cell.status.map(Self.color) ?? "#555"
            let label = Self.label(line.kpi)
            let name = line.product.isEmpty ? label : "\(line.product) \(label)"
            out += "<div style=\"border:1px solid #ddd;border-left:6px solid \(color);padding:6px 10px;min-width:170px;background:#fff\">"
                + "<div class=\"muted\" style=\"font-size:12px\">\(Self.escape(name)) · \(Self.escape(cell.phase))</div>"
                + "<div style=\"font-size:20px;color:\(color)\">\(NumberFormat.fixed(value, decimals: 2))</div>"
                + "<div class=\"muted\" style=\"font-size:12px\">target \(NumberFormat.quantity(line.target!)) · \(cell.status?.rawValue ?? "")"
                + " · \(Self.escape(line.owner))</div></div>"
        }
        return out + "</div>\n"
    }

    private func kpiTable() -> String {
        guard let phases = report.kpiLines.first?.cells.map(\.phase) else {
            return "<p class=\"muted\">No KPIs: the plan has no products or no phase inside the horizon.</p>\n"
        }
        var out = "<table><tr><th>KPI</th><th>Product</th><th>Target</th><th>Owner</th>"
            + phases.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr>\n"
        let (lines, more) = report.kpiLinesShown
        for line in lines {
            out += "<tr><td>\(line.kpi.rawValue)</td><td>\(Self.escape(line.product.isEmpty ? "all" : line.product))</td>"
                + "<td>\(line.target.map { NumberFormat.quantity($0) } ?? "—")</td><td>\(Self.escape(line.owner))</td>"
            for cell in line.cells {
                out += "<td class=\"\(cell.status?.rawValue ?? "")\">\(Self.escape(StatusReport.kpiCellText(cell)))</td>"
            }
            out += "</tr>\n"
        }
        out += "</table>\n"
        if let more { out += "<p class=\"muted\">\(Self.escape(more))</p>\n" }
        return out
    }

    /// Per product (at most six: those with late deliveries first, then by name), one
    /// stacked bar per phase: material, labour, overtime,
    /// overhead, with the total at its end.
    private func costBars() -> String {
        let products = report.unitCostProductOrder.prefix(6)
        guard !products.isEmpty else { return "" }
        let colors = ["#42a5f5", "#66bb6a", "#ffa726", "#ab47bc"]
        let parts = ["material", "labour", "overtime", "overhead"]
        var out = "<h3>Cost of one unit by phase</h3>\n"
        for product in products {
            let rows = report.unitCosts.filter { $0.product == product }
            // The product's cost target (kpis: cost_per_unit), drawn across the bars.
            let target = result.model.items.id(product).flatMap { result.model.plan.kpis.costPerUnit[$0]?.value }
            let top = max(rows.map(\.total).max() ?? 1, target ?? 0, 1e-9)
            let width = 1000.0, left = 120.0, right = 90.0, barHeight = 22.0
            let height = Double(rows.count) * barHeight + 40
            var svg = "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(product)): cost of one unit by phase\">\n"
            svg += "<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"bold\">\(Self.escape(product))</text>\n"
            for (r, row) in rows.enumerated() {
                let y = 22 + Double(r) * barHeight
                svg += "<text x=\"4\" y=\"\(fmt(y + 14))\" font-size=\"11\">\(Self.escape(row.phase))</text>"
                var x = left
                for (k, value) in [row.material, row.labour, row.overtime, row.overhead].enumerated() where value > 0 {
                    let w = value / top * (width - left - right)
                    svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(w))\" height=\"\(fmt(barHeight - 7))\" fill=\"\(colors[k])\"><title>\(Self.escape(row.phase)) \(parts[k]) \(fmt(value))</title></rect>"
                    x += w
                }
                svg += "<text x=\"\(fmt(x + 6))\" y=\"\(fmt(y + 14))\" font-size=\"11\">\(fmt(row.total))</text>\n"
            }
            let legendY = Int(height - 4)
            for (k, part) in parts.enumerated() {
                svg += "<text x=\"\(Int(left) + k * 110)\" y=\"\(legendY)\" font-size=\"11\" fill=\"\(colors[k])\">■ \(part)</text>"
            }
            if let target {
                let tx = left + target / top * (width - left - right)
                svg += "<line x1=\"\(fmt(tx))\" y1=\"20\" x2=\"\(fmt(tx))\" y2=\"\(fmt(height - 18))\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"4 3\"><title>target \(fmt(target))</title></line>"
                svg += "<text x=\"\(Int(left) + 4 * 110)\" y=\"\(legendY)\" font-size=\"11\" fill=\"#c62828\">- - target \(NumberFormat.fixed(target, decimals: 2)) a unit</text>"
            }
            out += svg + "\n</svg>\n"
        }
        return out
    }

    /// Σ projected on-hand × valuation per bucket, with the peak marked.
    private func inventoryCurve() -> String {
        let values = result.kpis.inventoryValue
        guard values.count > 1, let peak = values.max(), peak > 0 else { return "" }
        let dates = result.mrp.calendar.bucketStart
        let top = Self.niceCeiling(peak)
        let width = 1000.0, height = 220.0, left = 80.0, right = 10.0, topY = 24.0, bottom = 180.0
        func x(_ t: Int) -> Double { left + Double(t) / Double(values.count - 1) * (width - left - right) }
        func y(_ v: Double) -> Double { bottom - v / top * (bottom - topY) }
        var svg = "<h3>Inventory value</h3>\n<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"inventory value by week\">\n"
        svg += "<text x=\"\(Int(left))\" y=\"14\" font-size=\"11\" fill=\"#555\">value of the projected on hand, all items (on hand × price or standard cost), week by week</text>\n"
        for k in 0...4 {
            let v = top * Double(k) / 4
            svg += "<line x1=\"\(Int(left))\" y1=\"\(fmt(y(v)))\" x2=\"\(Int(width - right))\" y2=\"\(fmt(y(v)))\" stroke=\"#e0e0e0\"/>"
            svg += "<text x=\"\(Int(left - 4))\" y=\"\(fmt(y(v) + 4))\" font-size=\"10\" text-anchor=\"end\">\(NumberFormat.fixed(v, decimals: 0))</text>\n"
        }
        let points = values.indices.map { "\(fmt(x($0))),\(fmt(y(values[$0])))" }.joined(separator: " ")
        svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"#00838f\" stroke-width=\"2\"/>\n"
        let peakAt = values.firstIndex(of: peak)!
        svg += "<circle cx=\"\(fmt(x(peakAt)))\" cy=\"\(fmt(y(peak)))\" r=\"4\" fill=\"#00838f\"><title>peak \(fmt(peak)) in the week of \(dates[peakAt])</title></circle>"
        let anchor = x(peakAt) > width / 2 ? "end" : "start"
        svg += "<text x=\"\(fmt(x(peakAt) + (anchor == "end" ? -8 : 8)))\" y=\"\(fmt(y(peak) + 4))\" font-size=\"11\" text-anchor=\"\(anchor)\">peak \(NumberFormat.fixed(peak, decimals: 0)) (\(dates[peakAt]))</text>\n"
        for t in stride(from: 0, to: values.count, by: max(1, values.count / 6)) {
            svg += "<text x=\"\(fmt(x(t)))\" y=\"\(Int(bottom + 16))\" font-size=\"10\" text-anchor=\"\(t == 0 ? "start" : "middle")\">\(dates[t])</text>"
        }
        svg += "<line x1=\"\(Int(left))\" y1=\"\(Int(bottom))\" x2=\"\(Int(width - right))\" y2=\"\(Int(bottom))\" stroke=\"#999\"/>\n"
        return svg + "</svg>\n"
    }

    /// The smallest 1, 2, 2.5 or 5 × 10^k at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value - 1e-9 { return step * magnitude }
        return 10 * magnitude
    }

    private func heatMap() -> String {
        let centers = result.model.workcenters
        let rows = result.capacity.flatMap(\.capacity)
        guard !centers.isEmpty, !rows.isEmpty else { return "<p class=\"muted\">No work centers.</p>\n" }
        let weeks = (rows.map(\.week).max() ?? 0) + 1
        let order = centers.indices.sorted { centers[$0].name < centers[$1].name }
        let cell = max(4.0, min(18.0, 880.0 / Double(weeks)))
        let left = 110.0
        // Each row ends with its peak utilization, readable where the cells are too narrow
        // for their own numbers (a year of weeks).
        let peakWidth = 56.0
        let width = max(left + 870, left + cell * Double(weeks) + 10) + peakWidth
        let peakX = width - peakWidth + 6
        /// A cell prints its utilization only when the text would be legible: the picture is
        /// drawn about 980 px wide and shown smaller in a narrow window.
        let cellNumbers = cell * 0.42 >= 7.5
        var svg = ""
        // One capacity picture: the load of the MRP's make orders in their release week
        // (mrp_load_hours) against regular capacity; the LP's plan is in each cell's title.
        var utilization = [[Double]](repeating: [Double](repeating: -1, count: weeks), count: centers.count)
        var beyond = [[Bool]](repeating: [Bool](repeating: false, count: weeks), count: centers.count)
        // Each cell's capacity row (the last one of its center and week), for its title.
        var rowOf = [[Int]](repeating: [Int](repeating: -1, count: weeks), count: centers.count)
        for (index, row) in rows.enumerated() {
            let u = row.capacityHours > 1e-9 ? 100 * row.mrpLoadHours / row.capacityHours : (row.mrpLoadHours > 1e-9 ? 999 : 0)
            utilization[row.workcenter][row.week] = u
            // Dark red where section 7 and exceptions.csv have an overload beyond the overtime
            // allowed: more than 5 % above capacity and planned overtime (§4), and beyond the
            // overtime allowed.
            beyond[row.workcenter][row.week] = MRPLoad.beyondAllowedOvertime(row, model: result.model) > 1e-9 && MRPLoad.isOverload(row)
            rowOf[row.workcenter][row.week] = index
        }
        // Thousands of cells (work centers × weeks), each with a tooltip of six numbers:
        // written as bytes, not as interpolated strings.
        let weekStarts = (0..<weeks).map { Array(result.mps.weekly.bucketStart[$0].description.utf8) }
        var cells: [UInt8] = []
        cells.reserveCapacity(rows.count * 420)
        func put(_ text: String) { cells.append(contentsOf: text.utf8) }
        func put(_ value: Double, decimals: Int) { NumberFormat.append(value, decimals: decimals, to: &cells) }
        for (r, w) in order.enumerated() {
            let y0 = 20 + Double(r) * cell
            let name = Self.escape(centers[w].name)
            put("<text x=\"4\" y=\""); put(y0 + cell * 0.75, decimals: 2); put("\" font-size=\"11\">"); put(name); put("</text>\n")
            let allowed = max(0, centers[w].overtimeHoursPerWeek)
            if let top = utilization[w].indices.max(by: { utilization[w][$0] < utilization[w][$1] }), case let peak = utilization[w][top], peak >= 0 {
                let color = peak > 100 + 1e-9 ? (beyond[w][top] ? "#b71c1c" : "#ef6c00") : "#222"
                put("<text x=\""); put(peakX, decimals: 2); put("\" y=\""); put(y0 + cell * 0.75, decimals: 2)
                put("\" font-size=\"11\" fill=\""); put(color); put("\">"); put(String(Int(peak.rounded()))); put(" %</text>\n")
            }
            for t in 0..<weeks where utilization[w][t] >= 0 {
                let u = utilization[w][t]
                let row = rows[rowOf[w][t]]
                let fill = u > 100 + 1e-9 && !beyond[w][t] ? "#ef6c00" : heat(u)
                put("<rect x=\""); put(left + Double(t) * cell, decimals: 2)
                put("\" y=\""); put(y0, decimals: 2)
                put("\" width=\""); put(cell - 1, decimals: 2)
                put("\" height=\""); put(cell - 1, decimals: 2)
                put("\" fill=\""); put(fill); put("\"><title>")
                // The title's only text that may need escaping is the center's name.
                put(name); put(" week of "); cells.append(contentsOf: weekStarts[t])
                put(": MRP orders released this week need "); put(row.mrpLoadHours, decimals: 1)
                put(" h of "); put(row.capacityHours, decimals: 1)
                put(" h ("); put(u, decimals: 1)
                put(" %), overtime allowed "); put(allowed, decimals: 1)
                put(" h; the capacity plan: "); put(row.loadHours, decimals: 1)
                put(" h with "); put(row.overtimeHours, decimals: 1)
                put(" h overtime</title></rect>\n")
                // The utilization printed where it matters (90 % and above) and legible.
                if cellNumbers && u >= 90 - 1e-9 {
                    put("<text x=\""); put(left + Double(t) * cell + (cell - 1) / 2, decimals: 2)
                    put("\" y=\""); put(y0 + cell * 0.68, decimals: 2)
                    put("\" font-size=\""); put(min(9, cell * 0.42), decimals: 2)
                    put("\" text-anchor=\"middle\" fill=\""); put(u > 100 + 1e-9 ? "#fff" : "#222")
                    put("\">"); put(String(Int(u.rounded()))); put("</text>\n")
                }
            }
        }
        svg += String(decoding: cells, as: UTF8.self)
        // Date axis: each phase's first week, labelled; a label that would run into the one
        // before it (short phases under narrow cells) goes on the next line.
        let axisY = 20 + cell * Double(centers.count) + 12
        var lineEnds: [Double] = []
        for (k, window) in result.model.plan.phaseWindows.enumerated() {
            guard let t = result.mps.weekly.bucket(of: window.lowerBound), t < weeks,
                  window.lowerBound >= result.model.plan.start else { continue }
            let x = left + Double(t) * cell
            let label = "\(window.lowerBound) \(result.model.plan.phases[k].name)"
            let line = lineEnds.firstIndex { $0 <= x } ?? lineEnds.count
            if line == lineEnds.count { lineEnds.append(0) }
            // About 5 px a character at 9 px.
            lineEnds[line] = x + 2 + 5.0 * Double(label.count) + 6
            let y = axisY + 11 * Double(line)
            svg += "<line x1=\"\(fmt(x))\" y1=\"18\" x2=\"\(fmt(x))\" y2=\"\(fmt(axisY - 8))\" stroke=\"#555\" stroke-dasharray=\"2 2\"/>"
            svg += "<text x=\"\(fmt(x + 2))\" y=\"\(fmt(y))\" font-size=\"9\">\(Self.escape(label))</text>\n"
        }
        svg += "<text x=\"\(fmt(peakX))\" y=\"12\" font-size=\"10\" fill=\"#555\">peak</text>\n"
        // Legend, under the axis's last line.
        let legendY = axisY + 11 * Double(max(0, lineEnds.count - 1)) + 16
        var x = left
        for (color, label, step) in [("#a5d6a7", "below 70 %", 80.0), ("#ffe082", "70–90 %", 70), ("#ef9a9a", "90–100 %", 80),
                                     ("#ef6c00", "above 100 %, within allowed overtime (or the 5 % an overload tolerates)", 390),
                                     ("#b71c1c", "beyond allowed overtime", 150),
                                     ("#eeeeee", "no MRP load", 90)] {
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(legendY - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(fmt(x + 14))\" y=\"\(fmt(legendY))\" font-size=\"10\">\(label)</text>"
            x += step
        }
        svg += "\n"
        let height = legendY + 18
        return "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"utilization heat map\">\n"
            + svg + "</svg>\n"
    }

    private func heat(_ utilization: Double) -> String {
        switch utilization {
        case ..<0.5: "#eeeeee"
        case ..<70: "#a5d6a7"
        case ..<90.000001: "#ffe082"
        case ..<100.000001: "#ef9a9a"
        default: "#b71c1c"
        }
    }

    private func topShortages() -> String {
        // The ten largest by level, then by what the late units are worth (units of
        // different items do not compare), picked by index (no copy of every shortage:
        // millions of risks).
        let risks = result.risks
        let records = risks.records
        let largest = StatusReport.leading(risks.indices.lazy.filter { records[$0].kind == .shortage }, count: 10) { a, b in
            let (x, y) = (records[a], records[b])
            if x.level != y.level { return x.level > y.level }
            if x.valueAtRisk != y.valueAtRisk { return x.valueAtRisk > y.valueAtRisk }
            return x.quantity != y.quantity ? x.quantity > y.quantity : risks[a].id < risks[b].id
        }
        let shortages = largest.map { risks[$0] }
        guard !shortages.isEmpty else {
            // No shortage, yet deliveries may be late for open receipts kept on their dates
            // (§2d): said, so that an empty table is not read as "material is fine".
            let waiting = result.projection.deliveries.contains { $0.isLate && $0.cause != nil && $0.cause != .capacity }
            return waiting
                ? "<p class=\"muted\">No shortage risks: the late deliveries wait for open receipts to pull in (procurement actions, expedite risks).</p>\n"
                : "<p class=\"muted\">No shortages.</p>\n"
        }
        var out = "<table><tr><th>Item</th><th>Late from (first need)</th><th>Units late</th><th>Worth</th><th>Level</th><th>Owner</th><th>Respond by</th></tr>\n"
        for risk in shortages {
            out += "<tr><td>\(Self.escape(risk.item))</td><td>\(risk.date)</td><td>\(NumberFormat.quantity(risk.quantity))</td>"
                + "<td>\(NumberFormat.fixed(risk.valueAtRisk, decimals: 2))</td><td>\(risk.level)</td><td>\(Self.escape(risk.owner))</td><td>\(risk.respondBy)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    private func fmt(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2) }
}
