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
            if let available = worst.availableBucket {
                worstText = "+\(dates[available].number - dates[worst.needBucket].number) days: due \(dates[worst.needBucket]), arrives \(dates[available])"
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
                .map { "\($0.key) \(NumberFormat.quantity($0.value))" }.joined(separator: ", ")
            rows.append(LateDeliveries(item: model.items.names[deliveries[k].item], lateUnits: late.reduce(0) { $0 + $1.lateQuantity },
                                       dueUnits: mine.reduce(0) { $0 + $1.quantity }, lateCount: late.count, count: mine.count,
                                       worst: worstText, causes: causes))
        }
        return rows
    }

    /// The block as Markdown: a table, or a sentence when everything arrives on time.
    func lateDeliveriesMarkdown() -> String {
        var out = "### Late deliveries (what will arrive, `deliveries.csv`)\n\n"
        guard !lateDeliveries.isEmpty else { return out + "Every ramp week and demand row arrives on time.\n\n" }
        out += "| Item | Units late | Deliveries late | Worst | Late units by cause |\n|---|---|---|---|---|\n"
        for row in lateDeliveries {
            out += "| \(cell(row.item)) | \(NumberFormat.quantity(row.lateUnits)) of \(NumberFormat.quantity(row.dueUnits)) | "
                + "\(row.lateCount) of \(row.count) | \(cell(row.worst)) | \(cell(row.causes)) |\n"
        }
        return out + "\n"
    }
}
