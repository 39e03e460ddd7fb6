import Foundation

/// One line of an indented multi-level explosion (`takt explode`).
public struct ExplosionLine: Sendable, Hashable {
    public var level: Int
    public var item: Int
    public var qtyPer: Double
    public var scrapPct: Double
    /// Quantity per the exploded top quantity: the product of `qty_per × (1 + scrap/100)`
    /// down the path (yield is not applied: it is an order-sizing rule).
    public var extended: Double
}

/// Indented explosion of one item's BOM (issue 2), depth first in file order, with the
/// lines effective on `day` (all lines when nil).
public enum Explosion {
    public static func explode(_ model: PlanningModel, item: Int, quantity: Double, on day: Day?) -> [ExplosionLine] {
        var lines: [ExplosionLine] = [ExplosionLine(level: 0, item: item, qtyPer: 1, scrapPct: 0, extended: quantity)]
        func visit(_ parent: Int, _ parentQuantity: Double, _ level: Int) {
            let bom = model.bom
            for k in bom.parentRange(parent) {
                let line = bom.byParent[k]
                if let day, !bom.isEffective(line, on: day.number) { continue }
                let component = bom.component[line]
                let extended = parentQuantity * bom.extendedQty(line)
                lines.append(ExplosionLine(level: level, item: component, qtyPer: bom.qtyPer[line],
                                           scrapPct: bom.scrapPct[line], extended: extended))
                visit(component, extended, level + 1)
            }
        }
        visit(item, quantity, 1)
        return lines
    }

    /// The explosion as an aligned text table.
    public static func render(_ model: PlanningModel, _ lines: [ExplosionLine]) -> String {
        let chosen = SupplierChoice.choose(model)
        var rows: [[String]] = [["LEVEL", "ITEM", "TYPE", "QTY PER", "SCRAP %", "EXTENDED", "LEAD TIME (DAYS)", "LLC"]]
        for line in lines {
            let indent = String(repeating: "  ", count: line.level)
            let type = model.items.type[line.item]
            let lead = type == .phantom ? "-" : NumberFormat.quantity(SupplierChoice.leadTimeDays(item: line.item, chosen: chosen, model))
            rows.append([
                String(repeating: ".", count: line.level) + String(line.level),
                indent + model.items.names[line.item],
                type.description,
                line.level == 0 ? "" : NumberFormat.quantity(line.qtyPer),
                line.level == 0 ? "" : NumberFormat.quantity(line.scrapPct),
                NumberFormat.quantity(line.extended),
                lead,
                String(model.lowLevelCode[line.item]),
            ])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, text in
                c == 1 || c == 0 || c == 2 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }
}
