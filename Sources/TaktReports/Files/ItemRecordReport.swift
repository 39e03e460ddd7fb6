import TaktModel
import TaktInput
import TaktPlanning

/// `takt record`'s renderings of an `ItemRecord`: a list of its supply and demand
/// elements in date order (the default, as an ERP's stock/requirements list shows them),
/// a text record with one column per bucket that has an entry (`--grid`), and a CSV with
/// one row per bucket.
public enum ItemRecordReport {
    /// The record as text: a header, the elements list (or, with `grid`, the time-phased
    /// grid), the projection's side, open receipts, action messages, pegging and where-used.
    public static func text(_ record: ItemRecord, model: PlanningModel, projection: Projection? = nil,
                            mrp: MRPResult? = nil, grid: Bool = true) -> String {
        let dates = record.calendar.bucketStart
        let buckets = dates.count
        var receiptsDue = [Double](repeating: 0, count: buckets)
        for receipt in record.receipts { receiptsDue[receipt.dueBucket] += receipt.quantity }
        var rows: [(String, [Double])] = [("gross requirements", record.gross)]
        for source in record.sources { rows.append(("  " + source.name, source.quantity)) }
        rows.append(("open receipts (due)", receiptsDue))
        if record.receipts.contains(where: { $0.movedTo != nil }) {
            rows.append(("open receipts (after pull-in)", record.scheduled))
        }
        rows.append(("projected on hand", record.projectedOnHand))
        if record.type == .phantom {
            rows.append(("passed to components", record.passedThrough))
        } else {
            rows += [("net requirement", record.netRequirement), ("planned receipts", record.plannedReceipts),
                     ("planned releases", record.plannedReleases)]
        }
        // Columns: every bucket with an entry other than the projected on hand, and bucket 0.
        let columns = (0..<buckets).filter { t in
            t == 0 || rows.contains { $0.0 != "projected on hand" && abs($0.1[t]) > 1e-9 }
        }
        var out = "\(record.name) (\(record.type))"
        let description = model.items.itemDescription[record.item]
        if !description.isEmpty { out += " — \(description)" }
        out += "\n"
        var facts = ["on hand \(NumberFormat.quantity(record.onHand)) \(model.items.uom(record.item))"]
        if record.type != .phantom {
            facts.append("safety stock \(NumberFormat.quantity(record.safetyStock))")
            facts.append("lead time \(record.calendar.count(record.leadTimeBuckets))")
            facts.append(record.fromMasterSchedule ? "planned from the master schedule (mps.csv)" : "lot rule \(model.items.lotRule[record.item])")
        } else {
            facts.append("phantom: netted, then passed to its components")
        }
        out += facts.joined(separator: " · ") + "\n\n"
        if grid {
            out += gridText(rows: rows, columns: columns, dates: dates)
        } else {
            out += TextTable.aligned(elements(record, model: model, projection: projection, mrp: mrp))
        }
        return out + details(record, model: model, projection: projection, mrp: mrp)
    }

    /// The time-phased grid: one line per row, one column per bucket in `columns`.
    static func gridText(rows: [(String, [Double])], columns: [Int], dates: ContiguousArray<Day>) -> String {
        var out = ""
        let labelWidth = rows.map(\.0.count).max() ?? 0
        let cells = columns.map { t in [dates[t].description] + rows.map { NumberFormat.fixed($0.1[t], decimals: 2) } }
        let widths = cells.map { $0.map(\.count).max() ?? 0 }
        func line(_ label: String, _ index: Int) -> String {
            var text = label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            for (c, column) in cells.enumerated() {
                text += "  " + String(repeating: " ", count: widths[c] - column[index].count) + column[index]
            }
            return text + "\n"
        }
        out += line("", 0)
        for (k, row) in rows.enumerated() { out += line(row.0, k + 1) }
        return out
    }

    /// The stock/requirements list — the time-phased record read down a page: the stock at
    /// the start, then per bucket its receipts (open receipts where MRP counts them — moved
    /// ones at their new date —, then planned receipts order by order with their release,
    /// or what a phantom passes on) before its gross requirements (one line per source),
    /// each with the projected on hand after it; a bucket's last line shows the bucket's
    /// projected on hand, its first planned receipt the bucket's net requirement. A planned
    /// order the projection brings later says when it arrives.
    static func elements(_ record: ItemRecord, model: PlanningModel, projection: Projection?, mrp: MRPResult?) -> [[String]] {
        let dates = record.calendar.bucketStart
        let buckets = dates.count
        let q = NumberFormat.quantity
        func signed(_ value: Double) -> String { value > 0 ? "+" + q(value) : q(value) }
        var rows = [["date", "element", "quantity", "projected on hand", "net requirement", "projected arrival"]]
        var available = record.onHand
        rows.append([dates[0].description, "on hand at the start", q(record.onHand), q(available), "", ""])
        var receiptsAt = [[ItemRecord.Receipt]](repeating: [], count: buckets)
        for receipt in record.receipts { receiptsAt[receipt.movedTo ?? receipt.dueBucket].append(receipt) }
        var ordersAt = [[Int]](repeating: [], count: buckets)
        if let mrp {
            for (o, order) in mrp.orders.enumerated() where order.item == record.item { ordersAt[order.dueBucket].append(o) }
        }
        for t in 0..<buckets {
            for receipt in receiptsAt[t] {
                available += receipt.quantity
                var text = "open receipt" + (receipt.reference.isEmpty ? "" : " " + receipt.reference)
                if !receipt.supplier.isEmpty { text += " \(receipt.supplier)" }
                if receipt.movedTo != nil { text += " (pulled in from \(dates[receipt.dueBucket]))" }
                rows.append([dates[t].description, text, signed(receipt.quantity), q(available), "", ""])
            }
            // The bucket's net requirement goes on its first planned receipt.
            var net = record.netRequirement[t] > 1e-9 ? q(record.netRequirement[t]) : ""
            if let mrp {
                for o in ordersAt[t] {
                    let order = mrp.orders[o]
                    available += order.receiptQuantity
                    let release = order.pastDue ? "release past due" : "release \(dates[order.releaseBucket])"
                    var arrives = ""
                    if let projection {
                        let a = Int(projection.orderAvailable[o])
                        arrives = a == t ? "" : a < buckets ? "\(dates[a]) (+\(dates[a].number - dates[t].number) days)" : "beyond the horizon"
                    }
                    rows.append([dates[t].description, "planned receipt (\(order.kind == .buy ? "purchase" : "work") order), \(release)",
                                 signed(order.receiptQuantity), q(available), net, arrives])
                    net = ""
                }
            } else if record.plannedReceipts[t] > 1e-9 {
                available += record.plannedReceipts[t]
                rows.append([dates[t].description, "planned receipts", signed(record.plannedReceipts[t]), q(available), net, ""])
            }
            if record.type == .phantom && record.passedThrough[t] > 1e-9 {
                available += record.passedThrough[t]
                rows.append([dates[t].description, "passed to its components", signed(record.passedThrough[t]), q(available), "", ""])
            }
            for source in record.sources where abs(source.quantity[t]) > 1e-9 {
                available -= source.quantity[t]
                rows.append([dates[t].description, "gross requirement: \(source.name)", signed(-source.quantity[t]), q(available), "", ""])
            }
            // Carried as MRP carries it (whole-unit rounding and tolerances included).
            available = record.projectedOnHand[t]
        }
        return rows
    }

    /// Everything after the record itself: the projection's side, open receipts, action
    /// messages, pegging and where-used.
    static func details(_ record: ItemRecord, model: PlanningModel, projection: Projection?, mrp: MRPResult?) -> String {
        let dates = record.calendar.bucketStart
        var out = ""
        if let projection, let mrp { out += projected(record, projection: projection, mrp: mrp, model: model) }

        out += "\nOpen receipts:\n"
        if record.receipts.isEmpty { out += "  none\n" }
        for receipt in record.receipts {
            var text = "  \(receipt.reference.isEmpty ? "(no reference)" : receipt.reference)"
            if !receipt.supplier.isEmpty { text += " from \(receipt.supplier)" }
            text += ": \(NumberFormat.quantity(receipt.quantity)) due \(dates[receipt.dueBucket])"
            if let moved = receipt.movedTo { text += ", pulled in to \(dates[moved]) by the rescheduling check" }
            out += text + "\n"
        }
        out += "\nAction messages:\n"
        if record.exceptions.isEmpty { out += "  none\n" }
        for exception in record.exceptions {
            out += "  \(exception.date) \(exception.kind.rawValue) \(NumberFormat.quantity(exception.quantity)): \(exception.message)\n"
        }
        out += "\nPegging (planned receipts → end-item requirements, first in first out):\n"
        if record.pegging.isEmpty { out += "  none\n" }
        for peg in record.pegging {
            out += "  receipt due \(dates[peg.dueBucket]): \(NumberFormat.quantity(peg.quantity)) for \(peg.endItem) \(dates[peg.endBucket]) (\(peg.source))\n"
        }
        out += "\nWhere used:\n"
        if record.usedIn.isEmpty { out += "  none (an end item)\n" }
        for use in record.usedIn {
            var text = "  \(use.parent): qty per \(NumberFormat.quantity(use.qtyPer))"
            if use.scrapPct > 0 { text += ", scrap \(NumberFormat.quantity(use.scrapPct)) %" }
            if use.effectiveFrom != nil || use.effectiveTo != nil {
                text += ", effective \(use.effectiveFrom?.description ?? "…") to \(use.effectiveTo?.description ?? "…")"
            }
            out += text + "\n"
        }
        return out
    }

    /// One row per bucket: `date,gross,gross_sources,scheduled_receipts,projected_on_hand,
    /// safety_stock,net_requirement,planned_receipts,planned_releases,actions`.
    public static func csv(_ record: ItemRecord) -> [UInt8] {
        let dates = record.calendar.bucketStart
        var csv = CSVWriter(header: ["date", "gross", "gross_sources", "scheduled_receipts", "projected_on_hand", "safety_stock",
                                     "net_requirement", "planned_receipts", "planned_releases", "actions"])
        for t in 0..<dates.count {
            csv.field(dates[t])
            csv.field(record.gross[t])
            csv.field(record.sources.filter { abs($0.quantity[t]) > 1e-9 }
                .map { "\($0.name)=\(NumberFormat.quantity($0.quantity[t]))" }.joined(separator: "; "))
            csv.field(record.scheduled[t])
            csv.field(record.projectedOnHand[t])
            csv.field(record.safetyStock)
            csv.field(record.netRequirement[t])
            csv.field(record.plannedReceipts[t])
            csv.field(record.plannedReleases[t])
            csv.field(record.exceptions.filter { $0.date == dates[t] }.map { "\($0.kind.rawValue) \(NumberFormat.quantity($0.quantity))" }
                .joined(separator: "; "))
            csv.endRow()
        }
        return csv.bytes
    }

    /// What the projection (§2d) says of the item: when its late planned orders arrive,
    /// and when its own requirements (ramp weeks, demand rows) are delivered.
    static func projected(_ record: ItemRecord, projection: Projection, mrp: MRPResult, model: PlanningModel) -> String {
        let dates = record.calendar.bucketStart
        let buckets = dates.count
        var out = "\nProjected arrivals (the plan as decided; deliveries.csv, projected_date):\n"
        var onTime = 0
        var lines: [String] = []
        for (o, order) in mrp.orders.enumerated() where order.item == record.item {
            let a = Int(projection.orderAvailable[o])
            if a == order.dueBucket {
                onTime += 1
                continue
            }
            let when = a < buckets ? "arrives \(dates[a]) (+\(dates[a].number - dates[order.dueBucket].number) days)"
                : "does not arrive within the horizon"
            let why = order.pastDue ? "should have been released before the plan start" : "waits for its components"
            lines.append("  order of \(NumberFormat.quantity(order.receiptQuantity)) due \(dates[order.dueBucket]): \(when) — \(why)")
        }
        out += lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        out += "  \(onTime) planned order\(onTime == 1 ? "" : "s") arrive\(onTime == 1 ? "s" : "") on the due date\n"
        let own = projection.deliveries.filter { $0.item == record.item }
        for delivery in own where delivery.isLate {
            var text = "  \(delivery.source) \(NumberFormat.quantity(delivery.quantity)) needed \(dates[delivery.needBucket]): "
            if let available = delivery.availableBucket {
                text += "delivered \(dates[available]) (+\(dates[available].number - dates[delivery.needBucket].number) days)"
            } else {
                text += "not delivered within the horizon"
            }
            switch delivery.cause {
            case .item(let item)?: text += ", waiting for \(model.items.names[item])"
            case .capacity?: text += ", capacity"
            case nil: break
            }
            out += text + "\n"
        }
        if !own.isEmpty {
            let late = own.filter(\.isLate).count
            out += "  \(own.count - late) of its \(own.count) ramp weeks and demand rows delivered on time\n"
        }
        return out
    }
}
