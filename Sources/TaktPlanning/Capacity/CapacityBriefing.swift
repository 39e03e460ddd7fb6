import TaktModel
import TaktInput

/// Plain-words lines about the bottleneck work centers, printed at the end of `takt plan`
/// ("SMT is the bottleneck in Ramp I weeks 3–9: an extra hour of SMT saves up to 48 of the
/// plan's cost"); the LP's own terms (binding rows, duals) stay in capacity.csv and docs.
public enum CapacityBriefing {
    public static func lines(_ result: PlanResult) -> [String] {
        var lines: [String] = []
        let centers = result.model.workcenters
        for phase in result.capacity where phase.status == .optimal {
            var byCenter: [Int: [(week: Int, price: Double)]] = [:]
            // Prices are shown with two decimals: an hour worth less than half a cent is
            // not worth a line ("worth up to 0").
            for row in phase.capacity where row.shadowPrice >= 0.005 {
                byCenter[row.workcenter, default: []].append((row.week - phase.weeks.lowerBound + 1, row.shadowPrice))
            }
            for w in byCenter.keys.sorted(by: { centers[$0].name < centers[$1].name }) {
                let weeks = byCenter[w]!.sorted { $0.week < $1.week }
                var spans: [String] = []
                var first = weeks[0].week, last = weeks[0].week
                for entry in weeks.dropFirst() {
                    if entry.week == last + 1 {
                        last = entry.week
                    } else {
                        spans.append(first == last ? "\(first)" : "\(first)–\(last)")
                        first = entry.week
                        last = entry.week
                    }
                }
                spans.append(first == last ? "\(first)" : "\(first)–\(last)")
                let best = weeks.map(\.price).max()!
                let label = spans.count == 1 && !spans[0].contains("–") ? "week" : "weeks"
                lines.append("\(centers[w].name) is the bottleneck in \(phase.name) \(label) \(spans.joined(separator: ", ")): an extra hour of \(centers[w].name) saves up to \(NumberFormat.fixed(best, decimals: 2)) of the plan's cost")
            }
            if phase.hasShortfall {
                lines.append("\(phase.name) cannot reach its ramp: \(NumberFormat.fixed(phase.minimumFinalBacklog, decimals: 2, apartFrom: 0)) units behind at its end even with all overtime")
            }
        }
        for phase in result.capacity where phase.status != .optimal {
            lines.append("\(phase.name): capacity LP \(phase.status)")
        }
        return lines
    }
}
