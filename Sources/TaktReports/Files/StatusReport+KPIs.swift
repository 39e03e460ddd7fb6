import TaktModel
import TaktInput
import TaktPlanning

/// The report's KPI section: each KPI against its target by phase, and what a unit of
/// each product costs and why.
extension StatusReport {
    /// One KPI of one product (or of the whole plan) across the phases.
    public struct KPILine: Sendable, Hashable {
        public var kpi: KPIKind
        /// The product's name; empty for a phase-wide KPI.
        public var product: String
        public var target: Double?
        public var owner: String
        /// Per planned phase (plan order): the value, its status, the change since last week.
        public var cells: [KPICell]
    }

    /// One product's cost of one unit in one phase.
    public struct UnitCost: Sendable, Hashable {
        public var product: String
        public var phase: String
        public var material: Double
        public var labour: Double
        public var overtime: Double
        public var overhead: Double
        public var total: Double { material + labour + overtime + overhead }
    }

    public struct KPICell: Sendable, Hashable {
        public var phase: String
        public var value: Double?
        public var status: GateStatus?
        public var change: Double?
    }

    /// The KPIs shown: cost per unit of every product (with or without a target), and the
    /// three percentages when they have a target (on-time delivery and first-pass yield per
    /// product, supplier on-time once).
    mutating func describeKPIs(_ result: PlanResult, previous: PreviousRun?, owner: String) {
        let model = result.model
        let targets = model.plan.kpis
        let shown: [KPIKind] = [.costPerUnit] + [(KPIKind.onTimeDeliveryPct, targets.onTimeDeliveryPct), (.firstPassYieldPct, targets.firstPassYieldPct),
                                                 (.supplierOnTimePct, targets.supplierOnTimePct)].compactMap { $0.1 == nil ? nil : $0.0 }
        for cost in result.kpis.costs.sorted(by: {
            model.items.names[$0.product] != model.items.names[$1.product] ? model.items.names[$0.product] < model.items.names[$1.product]
                : $0.phase < $1.phase
        }) {
            unitCosts.append(UnitCost(product: model.items.names[cost.product], phase: model.plan.phases[cost.phase].name,
                                      material: cost.material, labour: cost.labour, overtime: cost.overtime, overhead: cost.overhead))
        }
        let values = result.kpis.inventoryValue
        if let peak = values.max(), peak > 0, let t = values.firstIndex(of: peak) {
            inventoryPeak = (peak, result.mrp.calendar.bucketStart[t])
        }
        for kpi in shown {
            // Each product's rows of this KPI, products in the order they first appear
            // (thousands of products: grouped once, not filtered per product).
            var products: [Int] = []
            var rowsOf: [Int: [KPIReport.Row]] = [:]
            for row in result.kpis.rows where row.kpi == kpi {
                if rowsOf[row.product] == nil { products.append(row.product) }
                rowsOf[row.product, default: []].append(row)
            }
            for product in products {
                let mine = rowsOf[product]!
                let productName = product >= 0 ? model.items.names[product] : ""
                let cells = mine.map { row -> KPICell in
                    let phase = model.plan.phases[row.phase].name
                    let before = previous?.kpis[phase + "|" + productName + "|" + kpi.rawValue]
                    return KPICell(phase: phase, value: row.value, status: row.status,
                                   change: row.value.flatMap { value in before.map { value - $0 } })
                }
                let kpiOwner = result.kpis.owner(of: kpi, product: product, targets)
                kpiLines.append(KPILine(kpi: kpi, product: productName, target: mine.first?.target,
                                        owner: kpiOwner.isEmpty ? owner : kpiOwner, cells: cells))
            }
        }
    }

    /// The KPI rows the section shows: all of them up to `sectionLimit`; past it the rows
    /// off target first (no_go, then at_risk in some phase), then those with a target, then
    /// those of products with late deliveries, listed in their own order; and how many more
    /// `kpis.csv` holds.
    var kpiLinesShown: (lines: [KPILine], more: String?) {
        guard kpiLines.count > Self.sectionLimit else { return (kpiLines, nil) }
        func weight(_ line: KPILine) -> Int {
            let statuses = line.cells.compactMap(\.status)
            if statuses.contains(.noGo) { return 3 }
            if statuses.contains(.atRisk) { return 2 }
            return line.target == nil ? 0 : 1
        }
        // Among equals, the products with late deliveries first (the unit-cost table's order).
        var lateRank: [String: Int] = [:]
        for (k, row) in lateDeliveries.enumerated() { lateRank[row.item] = k }
        let kept = Set(kpiLines.indices.sorted { a, b in
            let (x, y) = (weight(kpiLines[a]), weight(kpiLines[b]))
            if x != y { return x > y }
            let (ra, rb) = (lateRank[kpiLines[a].product] ?? .max, lateRank[kpiLines[b].product] ?? .max)
            return ra != rb ? ra < rb : a < b
        }.prefix(Self.sectionLimit))
        let rest = kpiLines.count - Self.sectionLimit
        return (kpiLines.indices.filter { kept.contains($0) }.map { kpiLines[$0] },
                "… and \(rest) more KPI row\(rest == 1 ? "" : "s") in kpis.csv")
    }

    /// The products whose costs the section shows, in order — those with late deliveries
    /// first, in the late-deliveries order, then by name — as many as fit `sectionLimit`
    /// rows (one at least); and what it says of the rest.
    var unitCostProducts: (products: [String], more: String?) {
        var rows: [String: Int] = [:]
        for cost in unitCosts { rows[cost.product, default: 0] += 1 }
        let ordered = unitCostProductOrder
        guard unitCosts.count > Self.sectionLimit else { return (ordered, nil) }
        var shown: [String] = [], used = 0
        for product in ordered where shown.isEmpty || used + rows[product]! <= Self.sectionLimit {
            shown.append(product)
            used += rows[product]!
        }
        let rest = ordered.count - shown.count
        return (shown, "… and \(rest) more product\(rest == 1 ? "" : "s") in kpis.csv (kpi cost_per_unit); `takt cost MODEL PRODUCT` explains one")
    }

    /// Every product with costs: those with late deliveries first, in the late-deliveries
    /// order, then by name.
    var unitCostProductOrder: [String] {
        var lateRank: [String: Int] = [:]
        for (k, row) in lateDeliveries.enumerated() { lateRank[row.item] = k }
        return Set(unitCosts.map(\.product)).sorted { x, y in
            let (rx, ry) = (lateRank[x] ?? .max, lateRank[y] ?? .max)
            return rx != ry ? rx < ry : x < y
        }
    }

    func kpiMarkdown() -> String {
        var out = "## 8. KPIs against targets\n\n"
        guard !kpiLines.isEmpty, let phases = kpiLines.first?.cells.map(\.phase) else {
            return out + "No KPIs: the plan has no products or no phase inside the horizon.\n\n"
        }
        out += "| KPI | Product | Target | Owner | " + phases.map(cell).joined(separator: " | ") + " |\n"
        out += "|---|---|---|---|" + String(repeating: "---|", count: phases.count) + "\n"
        let (lines, moreLines) = kpiLinesShown
        for line in lines {
            out += "| \(line.kpi.rawValue) | \(cell(line.product.isEmpty ? "all" : line.product)) | "
                + "\(line.target.map { NumberFormat.quantity($0) } ?? "—") | \(cell(line.owner)) | "
                + line.cells.map(Self.kpiCellText).joined(separator: " | ") + " |\n"
        }
        if let moreLines { out += "\n" + moreLines + "\n" }
        if let peak = inventoryPeak {
            out += "\nInventory value (projected on hand × price or standard cost, all items) peaks at "
                + "\(NumberFormat.fixed(peak.value, decimals: 2)) in the week of \(peak.date); each phase's peak is in kpis.csv.\n"
        }
        out += "\nCost of one unit by phase (material and labour rolled up the BOM on the phase's first day; "
            + "the phase's overtime spread over its master-schedule units; overhead on the three):\n\n"
        out += "| Product | Phase | Material | Labour | Overtime | Overhead | Total |\n|---|---|---|---|---|---|---|\n"
        let (products, moreProducts) = unitCostProducts
        let byProduct = Dictionary(grouping: unitCosts, by: \.product)
        for cost in products.flatMap({ byProduct[$0]! }) {
            let f = { NumberFormat.fixed($0, decimals: 2) }
            out += "| \(cell(cost.product)) | \(cell(cost.phase)) | \(f(cost.material)) | "
                + "\(f(cost.labour)) | \(f(cost.overtime)) | \(f(cost.overhead)) | \(f(cost.total)) |\n"
        }
        if let moreProducts { out += "\n" + moreProducts + "\n" }
        return out + "\n"
    }

    /// `193.69 at_risk (+1.2)`: value, status, change since last week.
    static func kpiCellText(_ c: KPICell) -> String {
        guard let value = c.value else { return "—" }
        var text = NumberFormat.fixed(value, decimals: 2)
        if let status = c.status { text += " \(status.rawValue)" }
        if let change = c.change, abs(change) >= 0.005 {
            text += " (\(change > 0 ? "+" : "")\(NumberFormat.fixed(change, decimals: 2)))"
        }
        return text
    }
}
