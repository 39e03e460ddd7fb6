import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun

/// SplitMix64: a small, fast, seedable generator, identical on every platform.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// Uniform in `[0, 1)`.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A decimal in `[low, high]` rounded to `decimals`.
    mutating func decimal(_ low: Double, _ high: Double, decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return ((low + (high - low) * unit()) * scale).rounded() / scale
    }
}

/// `takt generate` (contract §3): a synthetic, valid model of about N items with several
/// BOM levels, shared components, phantoms, every lot rule, yields, scrap, effectivity,
/// buy items with 1–3 suppliers, work centers and routings, open receipts, demand, and
/// the phases and gates of the contract's example. The same seed gives the same bytes.
///
/// Behaviour:
/// - items sit on levels; every item below level 0 has a parent one level up, and parents
///   take extra components from deeper levels (a few popular ones are shared widely), so
///   the BOM is acyclic with about three lines per item;
/// - work-center hours per day are set from the full-rate load, so that some centers run
///   near or above 100 % at steady state.
public struct ModelGenerator {
    /// What the model looks like: `realistic` (the default, `ModelGenerator+Realistic`)
    /// or `stress` (quantities compounding through deep, widely shared levels).
    public enum Shape: String, Sendable, CaseIterable {
        case realistic, stress
    }

    public var itemCount: Int
    public var seed: UInt64
    public var shape: Shape
    /// End products in `plan.yaml`; default `N / 500` (on the stress shape at most 50).
    public var productCount: Int?
    /// Work centers; default `min(100, max(3, N / 1000))`.
    public var workcenterCount: Int?

    public init(itemCount: Int, seed: UInt64, products: Int? = nil, workcenters: Int? = nil, shape: Shape = .realistic) {
        self.itemCount = max(4, itemCount)
        self.seed = seed
        self.shape = shape
        productCount = products
        workcenterCount = workcenters
    }

    /// A generated BOM line.
    struct Line { var parent: Int, component: Int, qty: Double, scrap: Double, from: String, to: String }

    /// `bom.csv` of generated lines.
    static func bomCSV(_ items: [GeneratedItem], _ lines: [Line]) -> [UInt8] {
        var bom = CSVWriter(header: ["parent", "component", "qty_per", "scrap_pct", "effective_from", "effective_to"])
        for line in lines {
            bom.field(items[line.parent].name)
            bom.field(items[line.component].name)
            bom.field(line.qty)
            bom.field(line.scrap)
            bom.field(line.from)
            bom.field(line.to)
            bom.endRow()
        }
        return bom.bytes
    }

    /// A second work center for one make item in ten (`shortest`…0.02 hours a unit), and
    /// each work center's load at full rate from every make item's `need`.
    static func routingsAndLoad(_ items: [GeneratedItem], need: [Double], workcenters: Int, shortest: Double,
                                rng: inout SeededRandom) -> ([(item: Int, workcenter: Int, hours: Double)], [Double]) {
        var rows: [(item: Int, workcenter: Int, hours: Double)] = []
        var load = [Double](repeating: 0, count: workcenters)
        for i in items.indices where items[i].type == .make {
            load[items[i].workcenter] += need[i] * items[i].runHours
            if rng.chance(0.1) {
                let w = (items[i].workcenter + 1 + rng.below(workcenters - 1)) % workcenters
                let hours = rng.decimal(shortest, 0.02, decimals: 4)
                rows.append((i, w, hours))
                load[w] += need[i] * hours
            }
        }
        return (rows, load)
    }

    /// `routings.csv`: a second work center for some make items, half an hour of setup.
    static func routingsCSV(_ items: [GeneratedItem], _ rows: [(item: Int, workcenter: Int, hours: Double)]) -> [UInt8] {
        var routings = CSVWriter(header: ["item", "workcenter", "run_hours", "setup_hours"])
        for row in rows {
            routings.field(items[row.item].name)
            routings.field("WC-\(Self.padded(row.workcenter, 3))")
            routings.field(row.hours)
            routings.field(0.5)
            routings.endRow()
        }
        return routings.bytes
    }

    struct GeneratedItem {
        var name: String
        var type: ItemType
        var level: Int
        var workcenter: Int = -1
        var runHours = 0.0
        var unitCost = 0.0
    }

    /// The model's files, by name.
    public func files() -> [String: [UInt8]] {
        shape == .realistic ? realisticFiles() : stressFiles()
    }

    /// The stress shape: items on levels, every item below level 0 with a parent one level
    /// up, parents taking extra components from deeper levels (a few popular ones shared
    /// widely), so that quantities compound and `max_lot` splits many orders.
    func stressFiles() -> [String: [UInt8]] {
        var rng = SeededRandom(seed: seed)
        let n = itemCount
        let productCount = min(n / 2, max(1, self.productCount ?? min(50, n / 500)))
        var levelCount = 4
        var scale = n
        while scale >= 1000 && levelCount < 8 {
            levelCount += 1
            scale /= 10
        }
        let workcenterCount = max(3, self.workcenterCount ?? min(100, n / 1000))
        let supplierCount = min(500, max(3, n / 200))

        // Level sizes: products on level 0, the rest growing with depth.
        var weights: [Double] = (1..<levelCount).map { Double($0) }
        let totalWeight = weights.reduce(0, +)
        weights = weights.map { $0 / totalWeight }
        var sizes = [productCount]
        var remaining = n - productCount
        for (k, w) in weights.enumerated() {
            let size = k == weights.count - 1 ? remaining : max(2, Int(Double(n - productCount) * w))
            sizes.append(min(size, remaining))
            remaining -= sizes.last!
        }
        // A tiny model runs out of items before the deepest levels: drop the empty ones, so
        // that every pick of a component lands on an item.
        while sizes.count > 1 && sizes.last == 0 { sizes.removeLast() }
        var items: [GeneratedItem] = []
        var levelStart: [Int] = []
        for (level, size) in sizes.enumerated() {
            levelStart.append(items.count)
            let last = level == sizes.count - 1
            for k in 0..<size {
                var type = ItemType.buy
                if level == 0 {
                    type = .make
                } else if !last {
                    // The first item of a level is always made, so that deeper levels have parents.
                    let u = rng.unit()
                    type = k == 0 || u < 0.5 ? .make : (u < 0.56 ? .phantom : .buy)
                }
                let prefix = level == 0 ? "PRD" : (type == .make ? "MK" : (type == .phantom ? "PH" : "BY"))
                items.append(GeneratedItem(name: "\(prefix)-\(level)-\(Self.padded(k, 6))", type: type, level: level))
            }
        }
        levelStart.append(items.count)
        let parentsByLevel: [[Int]] = (0..<sizes.count).map { level in
            (levelStart[level]..<levelStart[level + 1]).filter { items[$0].type != .buy }
        }

        // BOM lines: a parent one level up for every item, then extra components deeper down.
        var lines: [Line] = []
        var pairs = Set<Int>()
        func addLine(_ p: Int, _ c: Int) {
            guard pairs.insert(p &* 1_000_003 &+ c).inserted else { return }
            let u = rng.unit()
            let qty = u < 0.7 ? 1 : (u < 0.9 ? 2 : rng.decimal(0.1, 3, decimals: 3))
            let scrap = rng.chance(0.15) ? rng.decimal(0.5, 5, decimals: 1) : 0
            var from = "", to = ""
            if rng.chance(0.02) { from = "2027-0\(rng.int(3...9))-01" } else if rng.chance(0.02) { to = "2027-\(rng.int(10...12))-15" }
            lines.append(Line(parent: p, component: c, qty: max(0.001, qty), scrap: scrap, from: from, to: to))
        }
        for level in 1..<sizes.count {
            let parents = parentsByLevel[level - 1]
            for c in levelStart[level]..<levelStart[level + 1] { addLine(parents[rng.below(parents.count)], c) }
        }
        for level in 0..<(sizes.count - 1) {
            for p in parentsByLevel[level] {
                for _ in 0..<rng.int(1...3) {
                    let deeper = level + 1 + (rng.chance(0.75) ? 0 : rng.below(sizes.count - level - 1))
                    let size = sizes[deeper]
                    // 30 % of picks come from the first 2 % of the level: widely shared parts.
                    let index = rng.chance(0.3) ? rng.below(max(1, size / 50)) : rng.below(size)
                    addLine(p, levelStart[deeper] + index)
                }
            }
        }

        // Costs, work centers and the full-rate load that sizes them.
        for i in items.indices {
            items[i].unitCost = rng.decimal(0.05, 40, decimals: 2) * Double(levelCount - items[i].level)
            if items[i].type == .make {
                items[i].workcenter = rng.below(workcenterCount)
                items[i].runHours = rng.decimal(0.001, 0.05, decimals: 4)
            }
        }
        let rates = (0..<productCount).map { _ in Double(rng.int(2...20) * 50) }
        var need = [Double](repeating: 0, count: items.count)
        for p in 0..<productCount { need[p] = rates[p] }
        var linesByParent = [[Int]](repeating: [], count: items.count)
        for (k, line) in lines.enumerated() { linesByParent[line.parent].append(k) }
        for i in items.indices where items[i].type != .buy && need[i] > 0 {
            for k in linesByParent[i] { need[lines[k].component] += need[i] * lines[k].qty * (1 + lines[k].scrap / 100) }
        }
        let (routingRows, load) = Self.routingsAndLoad(items, need: need, workcenters: workcenterCount, shortest: 0.001, rng: &rng)

        var files: [String: [UInt8]] = [:]
        files["plan.yaml"] = Array(planYAML(products: (0..<productCount).map { (items[$0].name, rates[$0]) }).utf8)

        var wc = CSVWriter(header: ["workcenter", "hours_per_day", "days_per_week", "overtime_hours_per_week", "overtime_cost_per_hour"])
        for w in 0..<workcenterCount {
            let utilization = rng.decimal(0.7, 1.1, decimals: 2)
            wc.field("WC-\(Self.padded(w, 3))")
            wc.field(max(1, (load[w] / 5 / utilization * 10).rounded(.up) / 10))
            wc.field(5)
            wc.field(Double(rng.int(0...3) * 8))
            wc.field(Double(rng.int(40...90)))
            wc.endRow()
        }
        files["workcenters.csv"] = wc.bytes

        var itemCSV = CSVWriter(header: ["item", "type", "description", "lead_time_days", "lot_rule", "lot_size", "min_lot",
                                         "max_lot", "lot_multiple", "safety_stock", "yield_pct", "unit_cost", "order_cost",
                                         "workcenter", "run_hours", "setup_hours"])
        for (i, item) in items.enumerated() {
            let rules: [LotRule] = [.lfl, .foq, .poq, .poq, .eoq]
            let rule = item.type == .phantom || item.level == 0 ? LotRule.lfl : rules[rng.below(rules.count)]
            // Lots are sized against the item's full-rate weekly need.
            let weekly = max(1, need[i])
            itemCSV.field(item.name)
            itemCSV.field(item.type.description)
            itemCSV.field("\(item.type) part, level \(item.level)")
            itemCSV.field(item.type == .phantom ? 0 : Double(item.type == .buy ? rng.int(5...40) : rng.int(0...10)))
            itemCSV.field(rule.description)
            itemCSV.field(rule == .foq ? ((weekly * Double(rng.int(2...6)) / 25).rounded(.up) * 25) : (rule == .poq ? Double(rng.int(2...8)) : 0))
            itemCSV.field(rng.chance(0.1) ? Double(rng.int(1...10) * 10) : 0)
            itemCSV.field(rng.chance(0.03) ? ((weekly * Double(rng.int(3...10)) / 10).rounded(.up) * 10) : 0)
            itemCSV.field(rng.chance(0.1) ? Double([5, 10, 25, 50][rng.below(4)]) : 0)
            itemCSV.field(rng.chance(0.15) ? Double(rng.int(1...50)) : 0)
            itemCSV.field(item.type == .make && rng.chance(0.2) ? rng.decimal(92, 99.5, decimals: 1) : 100)
            itemCSV.field(item.unitCost)
            itemCSV.field(rule == .eoq ? Double(rng.int(20...200)) : 0)
            itemCSV.field(item.workcenter >= 0 ? "WC-\(Self.padded(item.workcenter, 3))" : "")
            itemCSV.field(item.runHours)
            itemCSV.field(item.workcenter >= 0 ? rng.decimal(0, 2, decimals: 1) : 0)
            itemCSV.endRow()
        }
        files["items.csv"] = itemCSV.bytes

        files["bom.csv"] = Self.bomCSV(items, lines)
        files["routings.csv"] = Self.routingsCSV(items, routingRows)

        var inventory = CSVWriter(header: ["item", "on_hand"])
        for (i, item) in items.enumerated() where rng.chance(0.5) {
            inventory.field(item.name)
            inventory.field(item.level == 0 ? Double(rng.int(0...50)) : (need[i] * rng.decimal(0, 6, decimals: 1)).rounded())
            inventory.endRow()
        }
        files["inventory.csv"] = inventory.bytes

        var supplierOf = [Int](repeating: -1, count: items.count)
        files["suppliers.csv"] = supplierOffers(items, supplierCount: supplierCount, rng: &rng, supplierOf: &supplierOf)

        var receipts = CSVWriter(header: ["item", "quantity", "due_date", "reference", "supplier"])
        let buyItems = items.indices.filter { items[$0].type == .buy }
        for k in 0..<max(1, n / 20) where !buyItems.isEmpty {
            let i = buyItems[rng.below(buyItems.count)]
            receipts.field(items[i].name)
            receipts.field(Double(rng.int(1...40) * 25))
            receipts.field(Day(year: 2027, month: 1, day: 4)!.adding(days: rng.int(0...60)))
            receipts.field("PO-\(Self.padded(k, 7))")
            receipts.field("SUP-\(Self.padded(supplierOf[i], 4))")
            receipts.endRow()
        }
        files["receipts.csv"] = receipts.bytes

        var demand = CSVWriter(header: ["item", "date", "quantity", "reference", "customer"])
        for k in 0..<max(2, n / 100) {
            let i = k < productCount ? k : productCount + rng.below(items.count - productCount)
            demand.field(items[i].name)
            demand.field(Day(year: 2027, month: 1, day: 4)!.adding(days: rng.int(0...363)))
            demand.field(Double(rng.int(1...50)))
            demand.field("SO-\(Self.padded(k, 7))")
            demand.field("CUST-\(Self.padded(rng.below(40), 3))")
            demand.endRow()
        }
        files["demand.csv"] = demand.bytes

        files["gates.csv"] = Self.gatesCSV
        files["decisions.csv"] = Self.decisionsCSV
        return files
    }

    /// `suppliers.csv`: 1–3 offers per buy item (30 % of the multi-sourced ones with a
    /// preferred offer); `supplierOf` gets each item's first supplier.
    /// `contracted` is the share of contracted offers, `onTime` the range of `on_time_pct`.
    func supplierOffers(_ items: [GeneratedItem], supplierCount: Int, rng: inout SeededRandom,
                        supplierOf: inout [Int], contracted: Double = 0.6,
                        onTime: ClosedRange<Double> = 75...100) -> [UInt8] {
        var suppliers = CSVWriter(header: ["supplier", "item", "lead_time_days", "moq", "lot_multiple", "unit_price",
                                           "contracted", "on_time_pct", "preferred"])
        // An item's offers are `step` suppliers apart: 7, unless the count is a multiple of
        // 7 (then every 7th would be the same supplier). At least 3 suppliers: distinct.
        let step = supplierCount % 7 == 0 ? 1 : 7
        for (i, item) in items.enumerated() where item.type == .buy {
            let offers = rng.int(1...3)
            let preferred = offers > 1 && rng.chance(0.3) ? rng.below(offers) : -1
            let first = rng.below(supplierCount)
            for k in 0..<offers {
                let s = (first + k * step) % supplierCount
                if k == 0 { supplierOf[i] = s }
                suppliers.field("SUP-\(Self.padded(s, 4))")
                suppliers.field(item.name)
                suppliers.field(Double(rng.int(5...45)))
                suppliers.field(rng.chance(0.2) ? Double(rng.int(1...10) * 50) : 0)
                suppliers.field(rng.chance(0.2) ? Double([10, 25, 100][rng.below(3)]) : 0)
                suppliers.field((item.unitCost * rng.decimal(0.8, 1.2, decimals: 2) * 100).rounded() / 100)
                suppliers.field(rng.chance(contracted))
                suppliers.field(rng.decimal(onTime.lowerBound, onTime.upperBound, decimals: 0))
                suppliers.field(k == preferred)
                suppliers.endRow()
            }
        }
        return suppliers.bytes
    }

    static let gatesCSV = Array("""
        gate,criterion,done,owner,evidence,due_date
        Gate 1,Design freeze signed off,true,Engineering lead,DR-3 minutes,2026-12-14
        Gate 1,PFMEA reviewed,false,Quality lead,,2027-02-26
        Gate 2,First-article inspection passed,false,Quality lead,,2027-04-23
        Gate 3,Line balanced at 50 % rate,false,Manufacturing engineering,,2027-06-25
        Gate 4,Supplier PPAP complete,false,Supplier quality,,2027-08-27
        Gate 5,Cost-down targets met,false,Program Manager,,2027-12-17

        """.utf8)

    static let decisionsCSV = Array("""
        date,decision,owner,gate,rationale,impact,status
        2026-12-10,Dual-source the main PCB,Procurement lead,Gate 2,Single source at risk,+3 % cost,decided
        2027-01-08,Add a second SMT shift for Ramp II,Operations director,Gate 4,Load above 90 %,overtime budget,open

        """.utf8)

    func planYAML(products: [(String, Double)]) -> String {
        var text = """
        # Generated by takt generate --items \(itemCount) --seed \(seed) --shape \(shape.rawValue)
        start: 2027-01-04
        horizon_weeks: 52
        bucket: week
        products:

        """
        for (name, rate) in products {
            text += "  - item: \(name)\n    full_rate_per_week: \(NumberFormat.quantity(rate))\n"
        }
        text += """
        phases:
          - {name: Pre-Production, weeks: 9, capacity_pct: 0, gate: Gate 1}
          - {name: Soft Launch, weeks: 8, capacity_pct: 10, gate: Gate 2}
          - {name: Ramp I, weeks: 9, capacity_pct: [10, 50], gate: Gate 3}
          - {name: Ramp II, weeks: 9, capacity_pct: [50, 100], gate: Gate 4}
          - {name: Steady State, weeks: 17, capacity_pct: 100, gate: Gate 5}
        costs:
          holding_per_unit_week: 1.0
          backlog_per_unit_week: 50.0
          holding_rate_per_year: 0.25
        escalation:
          - {level: 1, owner: Functional lead, respond_within_days: 2}
          - {level: 2, owner: Program Manager, respond_within_days: 5}
          - {level: 3, owner: VP Operations, respond_within_days: 0}

        """
        return text
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
