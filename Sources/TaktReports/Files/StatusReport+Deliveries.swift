import TaktModel
import TaktInput
import TaktPlanning

/// The report's "Late deliveries" block (contract §2d): per item with independent
/// requirements that the projection delivers late, how much, how late at worst, and which
/// items (and suppliers) cause it — the story the gate forecasts and the shortages tell, in
/// the units the program counts.
extension StatusReport {
    /// One row of the block.
    public struct LateDeliveries: Sendable, Hashable {
        public var item: String
        public var lateUnits: Double
        public var dueUnits: Double
        public var lateCount: Int
        public var count: Int
        /// `+28 days: due 2027-03-22, arrives 2027-04-19`, or `not delivered within the
        /// horizon: due …`.
        public var worst: String
        /// `MCU-H7 (ChipSource) 200, …`: the late units by cause, most first.
        public var causes: String
        /// Days the worst delivery comes late; `Int.max` when it is not delivered within the
        /// horizon (what ranks the rows).
        public var worstDays: Int
    }

    static func lateDeliveries(_ result: PlanResult) -> [LateDeliveries] {
        let model = result.model
        let dates = result.mrp.calendar.bucketStart
        var rows: [LateDeliveries] = []
        var k = 0
        let deliveries = result.projection.deliveries
        while k < deliveries.count {
            var end = k + 1
            while end < deliveries.count, deliveries[end].item == deliveries[k].item { end += 1 }
            let mine = deliveries[k..<end]
            let late = mine.filter(\.isLate)
            defer { k = end }
            guard !late.isEmpty else { continue }
            // The worst: not delivered first, else the most days late (the first among equals).
            var worst = late.first!
            for delivery in late {
                guard let available = delivery.availableBucket else { worst = delivery; break }
                if let best = worst.availableBucket,
                   dates[available].number - dates[delivery.needBucket].number > dates[best].number - dates[worst.needBucket].number {
                    worst = delivery
                }
            }
            let worstText: String
            var worstDays = Int.max
            if let available = worst.availableBucket {
                worstDays = dates[available].number - dates[worst.needBucket].number
                worstText = "+\(worstDays) days: due \(dates[worst.needBucket]), arrives \(dates[available])"
            } else {
                worstText = "not delivered within the horizon: due \(dates[worst.needBucket])"
            }
            var byCause: [String: Double] = [:]
            for delivery in late {
                let name: String
                switch delivery.cause {
                case .item(let item)?:
                    let offer = result.mrp.chosenOffer[item]
                    let supplier = model.items.type[item] == .buy && offer >= 0 ? " (\(model.supplierNames[model.offers[offer].supplier]))" : ""
                    name = model.items.names[item] + supplier
                case .capacity?: name = "capacity"
                case nil: name = "—"
                }
                byCause[name, default: 0] += delivery.lateQuantity
            }
            let causes = byCause.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key) \(NumberFormat.fixed($0.value, decimals: 2))" }.joined(separator: ", ")
            rows.append(LateDeliveries(item: model.items.names[deliveries[k].item], lateUnits: late.reduce(0) { $0 + $1.lateQuantity },
                                       dueUnits: mine.reduce(0) { $0 + $1.quantity }, lateCount: late.count, count: mine.count,
                                       worst: worstText, causes: causes, worstDays: worstDays))
        }
        // The worst first (not delivered, then the most days late: what a gate's forecast
        // follows), then the most units late, then by name.
        rows.sort {
            if $0.worstDays != $1.worstDays { return $0.worstDays > $1.worstDays }
            if $0.lateUnits != $1.lateUnits { return $0.lateUnits > $1.lateUnits }
            return $0.item < $1.item
        }
        return rows
    }

    /// The rows the block shows (the first `sectionLimit`), and what it says of the rest.
    var lateDeliveriesShown: (rows: ArraySlice<LateDeliveries>, more: String?) {
        let rest = lateDeliveries.count - Self.sectionLimit
        return (lateDeliveries.prefix(Self.sectionLimit),
                rest > 0 ? "… and \(rest) more item\(rest == 1 ? "" : "s") with late deliveries in deliveries.csv (days_late above 0, or no projected_date)" : nil)
    }

    /// `12.5 of 440`: units late of units due, two decimals at most.
    static func lateOfDue(_ row: LateDeliveries) -> String {
        "\(NumberFormat.fixed(row.lateUnits, decimals: 2)) of \(NumberFormat.fixed(row.dueUnits, decimals: 2))"
    }

    /// The block as Markdown: a table, or a sentence when everything arrives on time.
    func lateDeliveriesMarkdown() -> String {
        var out = "### Late deliveries (what will arrive, `deliveries.csv`)\n\n"
        guard !lateDeliveries.isEmpty else { return out + "Every ramp week and demand row arrives on time.\n\n" }
        out += "| Item | Units late | Deliveries late | Worst | Late units by cause |\n|---|---|---|---|---|\n"
        let (rows, more) = lateDeliveriesShown
        for row in rows {
            out += "| \(cell(row.item)) | \(Self.lateOfDue(row)) | "
                + "\(row.lateCount) of \(row.count) | \(cell(row.worst)) | \(cell(row.causes)) |\n"
        }
        if let more { out += "\n" + more + "\n" }
        return out + "\n"
    }
}
