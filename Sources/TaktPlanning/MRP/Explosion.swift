import Foundation
import TaktModel
import TaktInput

/// One line of an indented multi-level explosion (`takt explode`).
public struct ExplosionLine: Sendable, Hashable {
    public var level: Int
    public var item: Int
    public var qtyPer: Double
    public var scrapPct: Double
    /// Quantity per the exploded top quantity: down the path, each `make` parent's good
    /// quantity × `100 / yield_pct` (what it must start) × `qty_per × (1 + scrap/100)`;
    /// phantoms pass theirs on unchanged — what MRP asks of the component.
    public var extended: Double
    /// When this item's components were already listed on an earlier line (a shared
    /// sub-tree), that line's index: its components are not repeated here.
    public var sameAs: Int?
    /// The BOM line (index in `model.bom`) this line comes from; nil for the top item.
    public var bomLine: Int?
}

/// An item's BOM exploded level by level (`takt explode`).
///
/// Behaviour:
/// - depth first in file order, without recursion (any depth), with the lines effective
///   on `day` (all lines when nil);
/// - a sub-tree met again is listed once: later lines of the same item show their
///   quantity and refer to the first (`sameAs`), so the output is linear in the BOM;
/// - `maxDepth` and `maxLines` cut the listing (`truncated` counts what was left out).
public enum Explosion {
    public struct Listing: Sendable {
        public var lines: [ExplosionLine]
        /// Lines left out by `maxLines`.
        public var truncated: Int
    }

    public static func explode(_ model: PlanningModel, item: Int, quantity: Double, on day: Day?,
                               maxDepth: Int = Int.max, maxLines: Int = Int.max) -> Listing {
        let bom = model.bom
        let items = model.items
        var lines: [ExplosionLine] = [ExplosionLine(level: 0, item: item, qtyPer: 1, scrapPct: 0, extended: quantity)]
        var firstLine = [Int](repeating: -1, count: items.count)
        firstLine[item] = 0
        var truncated = 0
        // Stack of (parent, its extended quantity, level of its components, next BOM index).
        var stack: [(parent: Int, quantity: Double, level: Int, next: Int)] = [(item, quantity, 1, bom.parentRange(item).lowerBound)]
        while var top = stack.popLast() {
            let range = bom.parentRange(top.parent)
            guard top.next < range.upperBound, top.level <= maxDepth else { continue }
            let line = bom.byParent[top.next]
            top.next += 1
            stack.append(top)
            if let day, !bom.isEffective(line, on: day.number) { continue }
            let component = bom.component[line]
            let extended = top.quantity * items.componentStartsPerGood(top.parent) * bom.extendedQty(line)
            // -1: not met yet; -2: met past `maxLines` (expanded, not listed).
            let seen = firstLine[component]
            let listed = lines.count < maxLines
            if listed {
                lines.append(ExplosionLine(level: top.level, item: component, qtyPer: bom.qtyPer[line],
                                           scrapPct: bom.scrapPct[line], extended: extended,
                                           sameAs: seen >= 0 && !bom.parentRange(component).isEmpty ? seen : nil,
                                           bomLine: line))
            } else {
                truncated += 1
            }
            if seen == -1 {
                firstLine[component] = listed ? lines.count - 1 : -2
                stack.append((component, extended, top.level + 1, bom.parentRange(component).lowerBound))
            }
        }
        return Listing(lines: lines, truncated: truncated)
    }

    /// One line per component with its total over every path (`--summary`), by name.
    public static func summary(_ model: PlanningModel, item: Int, quantity: Double, on day: Day?) -> [(item: Int, total: Double)] {
        let bom = model.bom
        let items = model.items
        // Totals in low-level-code order: every parent is complete before its components.
        var total = [Double](repeating: 0, count: items.count)
        total[item] = quantity
        var reached = [Bool](repeating: false, count: items.count)
        reached[item] = true
        for parent in model.planningOrder where reached[parent] && total[parent] > 0 {
            let perUnit = items.componentStartsPerGood(parent)
            bom.forEachLine(of: parent, effectiveOn: day?.number) { line in
                total[bom.component[line]] += total[parent] * perUnit * bom.extendedQty(line)
                reached[bom.component[line]] = true
            }
        }
        return items.names.indices.filter { reached[$0] && $0 != item }
            .sorted { items.names[$0] < items.names[$1] }.map { ($0, total[$0]) }
    }

    /// A BOM line's effectivity as the NOTE column says it ("from 2027-05-01", "until
    /// 2027-04-30", "2027-02-01 to 2027-04-30", or "never in effect" for a line whose
    /// `effective_to` is before its `effective_from`); nil for a line always in effect.
    static func effectivity(_ bom: BOM, _ line: Int) -> String? {
        let (from, to) = (bom.effectiveFrom[line], bom.effectiveTo[line])
        if from != Int.min && to != Int.max && to < from { return "never in effect" }
        switch (from == Int.min ? nil : Day(number: from), to == Int.max ? nil : Day(number: to)) {
        case (nil, nil): return nil
        case (let first?, nil): return "from \(first)"
        case (nil, let last?): return "until \(last)"
        case (let first?, let last?): return "\(first) to \(last)"
        }
    }

    /// The explosion as an aligned text table.
    public static func render(_ model: PlanningModel, _ listing: Listing) -> String {
        let chosen = SupplierChoice.choose(model)
        var rows: [[String]] = [["LEVEL", "ITEM", "TYPE", "QTY PER", "SCRAP %", "EXTENDED", "LEAD TIME (DAYS)", "LLC", "NOTE"]]
        for line in listing.lines {
            let indent = String(repeating: "  ", count: min(line.level, 40))
            let type = model.items.type[line.item]
            let lead = type == .phantom ? "-" : NumberFormat.quantity(SupplierChoice.leadTimeDays(item: line.item, chosen: chosen, model))
            rows.append([
                (line.level <= 40 ? String(repeating: ".", count: line.level) : "…") + String(line.level),
                indent + model.items.names[line.item],
                type.description,
                line.level == 0 ? "" : NumberFormat.quantity(line.qtyPer),
                line.level == 0 ? "" : NumberFormat.quantity(line.scrapPct),
                NumberFormat.quantity(line.extended),
                lead,
                String(model.lowLevelCode[line.item]),
                [line.bomLine.flatMap { effectivity(model.bom, $0) }, line.sameAs.map { "components as on line \($0 + 1)" }]
                    .compactMap { $0 }.joined(separator: "; "),
            ])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = rows.map { row in
            row.enumerated().map { c, text in
                c <= 2 || c == 8 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ").trailingSpacesRemoved
        }.joined(separator: "\n") + "\n"
        if listing.truncated > 0 { out += "… \(listing.truncated) more lines (--max-lines)\n" }
        return out
    }

    /// `--summary` as an aligned text table.
    public static func renderSummary(_ model: PlanningModel, _ totals: [(item: Int, total: Double)]) -> String {
        let width = max(4, totals.map { model.items.names[$0.item].count }.max() ?? 0)
        var out = "ITEM".padding(toLength: width, withPad: " ", startingAt: 0) + "  TYPE     TOTAL\n"
        for (item, total) in totals {
            out += model.items.names[item].padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + model.items.type[item].description.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                + NumberFormat.quantity(total) + "\n"
        }
        return out
    }
}

extension String {
    /// The text without the spaces at its end.
    var trailingSpacesRemoved: String {
        var text = Substring(self)
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
