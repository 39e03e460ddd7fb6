import Foundation
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports
import TaktRun

/// The realistic shape of `takt generate` (the default): a model that looks like a real
/// item master, for benchmarks and CI users who plan with it every week.
///
/// Behaviour:
/// - about `N / 500` end products in a few families; each product has mostly its own BOM
///   tree, 3–6 levels deep; sub-assemblies are shared within a family; about 15 % of the
///   purchased parts are commodity parts (fasteners, passives) used across many products;
/// - qty per 1–2 on make lines, up to 12 only on commodity parts;
/// - lot sizes, minimums and maximums sized to each item's average weekly requirement;
///   on-hand covers safety stock and each item's cumulative lead time into the soft
///   launch, then one planning pass adds what would still come out past due — except for
///   a handful of items, which stay short;
/// - work centers mostly 60–95 % loaded at full rate, a few above 100 %.
extension ModelGenerator {
    func realisticFiles() -> [String: [UInt8]] {
        var rng = SeededRandom(seed: seed)
        let n = itemCount
        let productCount = min(max(1, n / 4), max(1, self.productCount ?? n / 500))
        let familyCount = max(1, min(productCount, Int(Double(productCount).squareRoot().rounded())))
        let workcenterCount = max(3, self.workcenterCount ?? min(100, n / 1000))
        let supplierCount = min(500, max(3, n / 200))
        // About 15 % of the purchased parts (themselves about 70 % of the items).
        let commodityCount = max(1, min(n - productCount - 1, n * 10 / 100))
        // Small models have no family-shared sub-assemblies.
        let sharedPerFamily = n < 400 ? 0 : max(1, min(8, n / (familyCount * 400)))

        var items: [GeneratedItem] = []
        var lines: [Line] = []
        var pairs = Set<Int>()
        func addLine(_ p: Int, _ c: Int, qty: Double) {
            guard pairs.insert(p &* 2_000_003 &+ c).inserted else { return }
            let scrap = rng.chance(0.1) ? rng.decimal(0.5, 3, decimals: 1) : 0
            var from = "", to = ""
            if rng.chance(0.01) { from = "2027-0\(rng.int(3...9))-01" } else if rng.chance(0.01) { to = "2027-\(rng.int(10...12))-15" }
            lines.append(Line(parent: p, component: c, qty: qty, scrap: scrap, from: from, to: to))
        }
        func newItem(_ prefix: String, _ type: ItemType, level: Int) -> Int {
            items.append(GeneratedItem(name: "\(prefix)-\(Self.padded(items.count, 7))", type: type, level: level))
            return items.count - 1
        }
        // Products first (so that they are the first rows of items.csv), then commodities.
        let products = (0..<productCount).map { _ in newItem("FG", .make, level: 0) }
        let commodities = (0..<commodityCount).map { _ in newItem("CM", .buy, level: 9) }
        let family = (0..<productCount).map { $0 * familyCount / productCount }

        /// Grows a subtree of `budget` items under `root`, `depth` levels below it: level
        /// sizes grow about 2.2× a level; each item hangs under a make or phantom item one
        /// level up (every one of those gets at least one child), and about 30 % of the
        /// items above the last level are sub-assemblies.
        func grow(_ root: Int, budget: Int, depth wanted: Int) {
            guard budget > 0 else { return }
            let depth = min(wanted, budget)
            var weights: [Double] = []
            var w = 1.0
            for _ in 0..<depth {
                weights.append(w)
                w *= 2.2
            }
            let total = weights.reduce(0, +)
            var sizes = weights.map { max(1, Int(Double(budget) * $0 / total)) }
            sizes[depth - 1] = max(1, budget - sizes.dropLast().reduce(0, +))
            // Exactly `budget` items: trim the largest levels when the minimums overshoot.
            while sizes.reduce(0, +) > budget, let k = sizes.indices.max(by: { sizes[$0] < sizes[$1] }), sizes[k] > 1 {
                sizes[k] -= 1
            }
            var parents = [root]
            for (l, size) in sizes.enumerated() {
                let last = l == depth - 1
                var next: [Int] = []
                for k in 0..<size {
                    let u = rng.unit()
                    // The first item of a level is made, so that deeper levels have parents.
                    let type: ItemType = last ? .buy : (k == 0 || u < 0.3 ? .make : (u < 0.33 ? .phantom : .buy))
                    let child = newItem(type == .make ? "SA" : (type == .phantom ? "PH" : "PT"), type, level: l + 1)
                    // Parents in turn first (each gets a child), then at random.
                    let parent = k < parents.count ? parents[k] : parents[rng.below(parents.count)]
                    addLine(parent, child, qty: rng.chance(0.8) ? 1 : 2)
                    if type != .buy { next.append(child) }
                }
                // Commodity parts: fasteners and passives, several on most assemblies (each
                // commodity ends up under about eight of them, across products).
                for parent in parents where items[parent].type == .make && rng.chance(0.9) {
                    for _ in 0..<rng.int(4...8) {
                        addLine(parent, commodities[rng.below(commodities.count)], qty: Double(rng.int(1...12)))
                    }
                }
                if next.isEmpty { break }
                parents = next
            }
        }
        // Each family shares a few sub-assemblies, each a small tree of its own.
        var familyShared = [[Int]](repeating: [], count: familyCount)
        let sharedBudget = sharedPerFamily == 0 ? 0 : max(2, n / (familyCount * sharedPerFamily * 20))
        for f in 0..<familyCount {
            for _ in 0..<sharedPerFamily {
                let root = newItem("FS", .make, level: 1)
                grow(root, budget: sharedBudget, depth: rng.int(2...3))
                familyShared[f].append(root)
            }
        }
        let perProduct = max(1, (n - items.count) / productCount)
        for (k, product) in products.enumerated() {
            let budget = k == productCount - 1 ? max(1, n - items.count) : min(perProduct, max(0, n - items.count - (productCount - 1 - k)))
            grow(product, budget: budget, depth: rng.int(3...6))
            for shared in familyShared[family[k]] where rng.chance(0.7) { addLine(product, shared, qty: 1) }
        }

        // Levels (deepest appearance) and the full-rate weekly need of every item.
        var linesByParent = [[Int]](repeating: [], count: items.count)
        for (k, line) in lines.enumerated() { linesByParent[line.parent].append(k) }
        var level = [Int](repeating: 0, count: items.count)
        var order: [Int] = []  // parents before components
        var indegree = [Int](repeating: 0, count: items.count)
        for line in lines { indegree[line.component] += 1 }
        var ready = items.indices.filter { indegree[$0] == 0 }
        while let i = ready.popLast() {
            order.append(i)
            for k in linesByParent[i] {
                let c = lines[k].component
                level[c] = max(level[c], level[i] + 1)
                indegree[c] -= 1
                if indegree[c] == 0 { ready.append(c) }
            }
        }
        let rates = (0..<productCount).map { _ in Double(rng.int(2...20) * 25) }
        var need = [Double](repeating: 0, count: items.count)
        for (k, p) in products.enumerated() { need[p] = rates[k] }
        for i in order where items[i].type != .buy {
            for k in linesByParent[i] { need[lines[k].component] += need[i] * lines[k].qty * (1 + lines[k].scrap / 100) }
        }

        // Lead times, and the cumulative lead time (weeks) down each path.
        var leadDays = [Double](repeating: 0, count: items.count)
        for i in items.indices {
            switch items[i].type {
            case .make: leadDays[i] = Double(rng.int(0...5))
            case .buy: leadDays[i] = Double(rng.int(5...25))
            case .phantom: leadDays[i] = 0
            }
        }
        var cumulative = [Int](repeating: 0, count: items.count)
        for i in order {
            let own = Int((leadDays[i] / 5 - 1e-9).rounded(.up))
            cumulative[i] += max(0, own)
            for k in linesByParent[i] { cumulative[lines[k].component] = max(cumulative[lines[k].component], cumulative[i]) }
        }

        // Costs and work centers.
        for i in items.indices {
            items[i].unitCost = items[i].type == .buy
                ? (commodities.first == i || items[i].name.hasPrefix("CM") ? rng.decimal(0.01, 0.5, decimals: 3) : rng.decimal(0.5, 60, decimals: 2))
                : 0
            if items[i].type == .make {
                items[i].workcenter = rng.below(workcenterCount)
                items[i].runHours = rng.decimal(0.002, 0.05, decimals: 4)
            }
        }
        for i in order.reversed() where items[i].type != .buy {
            var cost = 0.0
            for k in linesByParent[i] { cost += lines[k].qty * items[lines[k].component].unitCost }
            items[i].unitCost = (cost * (items[i].type == .make ? 1.15 : 1) * 100).rounded() / 100
        }
        let (routingRows, load) = Self.routingsAndLoad(items, need: need, workcenters: workcenterCount, shortest: 0.002, rng: &rng)

        var files: [String: [UInt8]] = [:]
        files["plan.yaml"] = Array(planYAML(products: products.enumerated().map { (items[$1].name, rates[$0]) }).utf8)

        var wc = CSVWriter(header: ["workcenter", "hours_per_day", "days_per_week", "overtime_hours_per_week", "overtime_cost_per_hour"])
        for w in 0..<workcenterCount {
            // Mostly 60–95 % loaded at full rate; one in twenty above 100 %.
            let utilization = rng.chance(0.05) ? rng.decimal(1.02, 1.12, decimals: 2) : rng.decimal(0.6, 0.95, decimals: 2)
            wc.field("WC-\(Self.padded(w, 3))")
            wc.field(max(1, (load[w] / 5 / utilization * 10).rounded(.up) / 10))
            wc.field(5)
            wc.field(Double(rng.int(0...2) * 8))
            wc.field(Double(rng.int(40...90)))
            wc.endRow()
        }
        files["workcenters.csv"] = wc.bytes

        // The ramp starts in week 9 at 10 %: stock covers an item's cumulative lead time
        // into it, except for a handful of items.
        let rampStart = 9
        let shortItems = Set((0..<min(items.count, 5 + n / 20_000)).map { _ in rng.below(items.count) })
        var onHand = [Double](repeating: 0, count: items.count)
        var itemCSV = CSVWriter(header: ["item", "type", "description", "lead_time_days", "lot_rule", "lot_size", "min_lot",
                                         "max_lot", "lot_multiple", "safety_stock", "yield_pct", "unit_cost", "order_cost",
                                         "workcenter", "run_hours", "setup_hours"])
        for (i, item) in items.enumerated() {
            // Average weekly requirement over the plan: about 60 % of the full-rate need.
            let weekly = max(1, (need[i] * 0.6).rounded())
            let isProduct = i < productCount
            let rule: LotRule
            if item.type == .phantom || isProduct {
                rule = .lfl
            } else {
                let u = rng.unit()
                rule = u < 0.45 ? .lfl : (u < 0.65 ? .foq : (u < 0.85 ? .poq : .eoq))
            }
            let safety = !isProduct && item.type != .phantom && rng.chance(0.15) ? (weekly * rng.decimal(0.5, 1, decimals: 1)).rounded() : 0
            // Safety stock, and where the item's cumulative lead time reaches into the soft
            // launch (10 %), those weeks (the calibration below adds what lots pull forward).
            let covered = max(0, cumulative[i] - rampStart + 1)
            if !shortItems.contains(i) && item.type != .phantom && !isProduct {
                onHand[i] = safety + (need[i] * 0.1 * Double(covered) * 1.2).rounded(.up)
            }
            itemCSV.field(item.name)
            itemCSV.field(item.type.description)
            itemCSV.field(isProduct ? "end product, family \(family[i] + 1)" : "\(item.type) part")
            itemCSV.field(leadDays[i])
            itemCSV.field(rule.description)
            itemCSV.field(rule == .foq ? (weekly * Double(rng.int(2...4))).rounded(.up) : (rule == .poq ? Double(rng.int(2...4)) : 0))
            itemCSV.field(!isProduct && rng.chance(0.1) ? (weekly * 0.5).rounded(.up) : 0)
            itemCSV.field(!isProduct && rng.chance(0.03) ? (weekly * Double(rng.int(4...8))).rounded(.up) : 0)
            itemCSV.field(item.type == .buy && rng.chance(0.1) ? Double([5, 10, 25, 50][rng.below(4)]) : 0)
            itemCSV.field(safety)
            itemCSV.field(item.type == .make && rng.chance(0.2) ? rng.decimal(95, 99.5, decimals: 1) : 100)
            itemCSV.field(item.unitCost)
            // EOQ: Q ≈ 3 weeks of the annual requirement: S = H Q² / 2D.
            let annual = weekly * 52
            let q = weekly * 3
            itemCSV.field(rule == .eoq ? max(1, (item.unitCost * 0.25 * q * q / (2 * annual)).rounded()) : 0)
            itemCSV.field(item.workcenter >= 0 ? "WC-\(Self.padded(item.workcenter, 3))" : "")
            itemCSV.field(item.runHours)
            itemCSV.field(item.workcenter >= 0 ? rng.decimal(0, 1, decimals: 1) : 0)
            itemCSV.endRow()
        }
        files["items.csv"] = itemCSV.bytes

        files["bom.csv"] = Self.bomCSV(items, lines)
        files["routings.csv"] = Self.routingsCSV(items, routingRows)


        var supplierOf = [Int](repeating: -1, count: items.count)
        files["suppliers.csv"] = supplierOffers(items, supplierCount: supplierCount, rng: &rng, supplierOf: &supplierOf,
                                                 contracted: 0.97, onTime: 90...100)

        // Open receipts: the orders already placed for the soft launch, due within eight weeks.
        var receipts = CSVWriter(header: ["item", "quantity", "due_date", "reference", "supplier"])
        let buyItems = items.indices.filter { items[$0].type == .buy && need[$0] > 0 }
        for k in 0..<max(1, n / 50) where !buyItems.isEmpty {
            let i = buyItems[rng.below(buyItems.count)]
            receipts.field(items[i].name)
            receipts.field(max(1, (need[i] * 0.1 * Double(rng.int(2...6))).rounded()))
            receipts.field(Day(year: 2027, month: 1, day: 4)!.adding(days: rng.int(14...56)))
            receipts.field("PO-\(Self.padded(k, 7))")
            receipts.field("SUP-\(Self.padded(supplierOf[i], 4))")
            receipts.endRow()
        }
        files["receipts.csv"] = receipts.bytes

        // Demand rows: customer orders for the products and service parts, after the soft launch starts.
        var demand = CSVWriter(header: ["item", "date", "quantity", "reference", "customer"])
        for k in 0..<max(2, n / 200) {
            let i = k % 3 == 0 || buyItems.isEmpty ? products[rng.below(productCount)] : buyItems[rng.below(buyItems.count)]
            demand.field(items[i].name)
            demand.field(Day(year: 2027, month: 1, day: 4)!.adding(days: rng.int(70...350)))
            demand.field(Double(rng.int(1...20)))
            demand.field("SO-\(Self.padded(k, 7))")
            demand.field("CUST-\(Self.padded(rng.below(40), 3))")
            demand.endRow()
        }
        files["demand.csv"] = demand.bytes
        files["gates.csv"] = Self.gatesCSV
        files["decisions.csv"] = Self.decisionsCSV
        files["inventory.csv"] = inventoryCSV(items, onHand)

        // Calibration: plan the model once and give every item but the chosen few (and the
        // products, which the LP plans from their stock) the on-hand its past-due orders
        // would have brought, so that only a handful of items come out past due.
        let folder = NSTemporaryDirectory() + "takt-generate-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        if (try? OutputFolder.write(files, to: folder)) != nil, let model = try? ModelLoader.load(folder: folder, digests: false, workers: CoreWorkers()) {
            let result = Planner.run(model)
            var index: [String: Int] = [:]
            for (i, item) in items.enumerated() { index[item.name] = i }
            for order in result.mrp.orders where order.pastDue {
                guard let i = index[model.items.names[order.item]], i >= productCount, !shortItems.contains(i) else { continue }
                onHand[i] += order.receiptQuantity.rounded(.up)
            }
            files["inventory.csv"] = inventoryCSV(items, onHand)
        }
        return files
    }

    func inventoryCSV(_ items: [GeneratedItem], _ onHand: [Double]) -> [UInt8] {
        var inventory = CSVWriter(header: ["item", "on_hand"])
        for i in items.indices where onHand[i] > 0 {
            inventory.field(items[i].name)
            inventory.field(onHand[i])
            inventory.endRow()
        }
        return inventory.bytes
    }
}
