import TaktModel
import TaktInput
import TaktPlanning

/// `takt cost MODEL ITEM [--date D]`: what one good unit of an item costs on a day, and
/// why — the breakdown (material, labour, the phase's overtime per unit for a product,
/// overhead) and the costed BOM, each line with its share of the total.
public enum CostReport {
    /// The text of `takt cost`. `capacity` gives the phase's overtime (products only);
    /// without it overtime is 0.
    public static func text(model: PlanningModel, item: Int, on day: Day, capacity: [PhaseCapacity]) -> String {
        let rollup = CostRollup(model: model)
        let costs = rollup.unitCosts(on: day)
        let plan = model.plan
        let windows = plan.phaseWindows
        let phase = windows.firstIndex { $0.contains(day) }
        let isProduct = plan.products.contains { $0.item == item }
        var overtime = 0.0
        if isProduct, let phase, let result = capacity.first(where: { $0.phase == phase }) {
            var cost = 0.0
            for row in result.capacity { cost += row.overtimeHours * model.workcenters[row.workcenter].overtimeCostPerHour }
            let units = result.completions.reduce(0) { $0 + $1.reduce(0, +) }
            overtime = units > 1e-9 ? cost / units : 0
        }
        let material = costs.material[item], labour = costs.labour[item]
        let overhead = (material + labour + overtime) * plan.costs.overheadPct / 100
        let total = material + labour + overtime + overhead
        func share(_ value: Double) -> String {
            total > 1e-12 ? NumberFormat.fixed(100 * value / total, decimals: 1) + " %" : "—"
        }
        let money = { NumberFormat.fixed($0, decimals: 2) }
        let names = model.items.names
        var out = "\(names[item]) on \(day)" + (phase.map { " (\(plan.phases[$0].name))" } ?? "") + ": \(money(total)) a unit\n"
        out += "  material \(money(material)) (\(share(material))), labour \(money(labour)) (\(share(labour))), "
            + "overtime \(money(overtime)) (\(share(overtime))), overhead \(money(overhead)) (\(share(overhead)); "
            + "\(NumberFormat.quantity(plan.costs.overheadPct)) % of the others)\n"
        if !isProduct { out += "  (overtime is spread over the master schedule's units: products only)\n" }
        out += "\n"
        let (lines, cut) = rollup.lines(of: item, on: day, costs: costs)
        let chosen = rollup.chosen
        var rows: [[String]] = [["LEVEL", "ITEM", "TYPE", "QTY PER", "EXTENDED", "UNIT COST", "EXTENDED COST", "SHARE", "SOURCE"]]
        for line in lines {
            let type = model.items.type[line.item]
            var source: String
            switch type {
            case .buy:
                let offer = chosen[line.item]
                source = offer >= 0 ? "\(model.supplierNames[model.offers[offer].supplier]) price" : "unit_cost"
            case .make:
                source = "yield \(NumberFormat.quantity(model.items.yieldPct[line.item])) %"
                if line.ownLabour > 1e-12 { source += ", own labour \(money(line.ownLabour))" }
            case .phantom:
                source = "phantom"
            }
            rows.append([
                String(repeating: ".", count: min(line.level, 40)) + String(line.level),
                String(repeating: "  ", count: min(line.level, 40)) + names[line.item],
                type.description,
                line.level == 0 ? "" : NumberFormat.quantity(line.quantityPer),
                NumberFormat.quantity(line.extended),
                money(line.unitCost),
                money(line.extendedCost),
                share(line.extendedCost),
                source,
            ])
        }
        out += TextTable.aligned(rows)
        if cut > 0 { out += "… \(cut) more lines not shown\n" }
        // Labour by work center, down the whole tree (routings grouped by item once, not
        // scanned per line).
        var byCenter = [Double](repeating: 0, count: model.workcenters.count)
        var routingsOf: [Int: [RoutingStep]] = [:]
        for step in model.routings { routingsOf[step.item, default: []].append(step) }
        for line in lines where model.items.type[line.item] != .buy {
            let started = model.items.componentStartsPerGood(line.item)
            if model.items.workcenter[line.item] >= 0 {
                let w = model.items.workcenter[line.item]
                byCenter[w] += line.extended * started * model.items.runHours[line.item] * model.workcenters[w].costPerHour
            }
            for step in routingsOf[line.item] ?? [] {
                byCenter[step.workcenter] += line.extended * started * step.runHours * model.workcenters[step.workcenter].costPerHour
            }
        }
        let centers = model.workcenters.indices.filter { byCenter[$0] > 1e-12 }.sorted { model.workcenters[$0].name < model.workcenters[$1].name }
        if !centers.isEmpty, cut == 0 {
            out += "\nlabour by work center: " + centers.map {
                "\(model.workcenters[$0].name) \(money(byCenter[$0])) (\(share(byCenter[$0])))"
            }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
