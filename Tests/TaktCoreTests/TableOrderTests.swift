import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// The sorts and the run-hours pass that were rewritten for speed hold the orders and
/// values their plain definitions give, on a generated model.
final class TableOrderTests: XCTestCase {
    static let model: PlanningModel = {
        let folder = scratchPath("takt-order")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try! OutputFolder.write(ModelGenerator(itemCount: 3000, seed: 11, shape: .stress).files(), to: folder)
        return try! ModelLoader.load(folder: folder)
    }()

    static let result = Planner.run(model)
    static let files = PlanOutputs.files(result, pegging: false)

    func rows(_ name: String) -> [[Substring]] {
        String(decoding: Self.files[name]!, as: UTF8.self).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// Supplier, order date, item, need date, then the largest quantity first (§4).
    func testPurchaseSuggestionsFollowTheirOrder() {
        let rows = rows("purchase_suggestions.csv")
        let mrp = Self.result.mrp
        XCTAssertEqual(rows.count, mrp.orders.count { $0.kind == .buy })
        XCTAssertGreaterThan(Set(rows.map { $0[0] }).count, 10)
        for (a, b) in zip(rows, rows.dropFirst()) {
            let x = (a[0], a[3], a[1], a[4]), y = (b[0], b[3], b[1], b[4])
            XCTAssertTrue(x < y || (x == y && Double(a[2])! >= Double(b[2])!), "\(a) before \(b)")
        }
    }

    /// Every buy order is one row with its item's chosen price (written once an item's run),
    /// the quantity times it as amount, whether it is past due and its projected date; a
    /// price beyond the fast number path (above 9e9 with decimals) sends its rows field by
    /// field, with the same fields.
    func testPurchaseRowsCarryTheirItemsPriceAndAmount() {
        var model = Self.model
        for k in model.offers.indices where k % 7 == 0 { model.offers[k].unitPrice = 12_345_678_901.25 }
        let result = Planner.run(model)
        let mrp = result.mrp
        let file = String(decoding: PlanOutputs.files(result, pegging: false)["purchase_suggestions.csv"]!, as: UTF8.self)
        let rows = file.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let starts = mrp.calendar.bucketStart
        var expected: [String] = []
        let available = result.projection.orderAvailable
        for (k, order) in mrp.orders.enumerated() where order.kind == .buy {
            let price = SupplierChoice.price(item: order.item, chosen: mrp.chosenOffer, model)
            let projected = Int(available[k]) < mrp.bucketCount ? "\(starts[Int(available[k])])" : ""
            expected.append([model.items.names[order.item], NumberFormat.quantity(order.quantity), "\(starts[order.releaseBucket])",
                             "\(starts[order.dueBucket])", NumberFormat.quantity(price),
                             NumberFormat.quantity(order.quantity * price), order.pastDue ? "true" : "false", projected].joined(separator: ","))
        }
        let written = rows.map { [$0[1], $0[2], $0[3], $0[4], $0[5], $0[6], $0[7], $0[8]].joined(separator: ",") }
        XCTAssertEqual(written.sorted(), expected.sorted())
        XCTAssertGreaterThan(rows.count { $0[7] == "true" }, 0, "past-due rows")
        XCTAssertGreaterThan(rows.count { $0[8] != $0[4] }, 0, "rows projected after their need date")
        XCTAssertGreaterThan(rows.count { $0[5] == "12345678901.25" }, 10, "rows past the fast path")
        XCTAssertGreaterThan(rows.count { $0[5] != "12345678901.25" }, 1000)
    }

    /// A purchase order that arrives past the horizon has no projected date, however far
    /// past: in day buckets a lead time of 16,400 days puts the arrival 16,400 buckets on,
    /// past what a row of the file's block keeps of a bucket (14 bits).
    func testAPurchaseArrivingFarPastTheHorizonHasNoProjectedDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var model = try ModelLoader.load(folder: root.appendingPathComponent("fixtures/drone").path)
        model.plan.bucket = .day
        let before = Planner.run(model)
        let bought = Set(before.mrp.orders.filter { $0.kind == .buy }.map(\.item))
        let item = try XCTUnwrap(bought.min { model.items.names[$0] < model.items.names[$1] })
        model.items.leadTimeDays[item] = 16_400
        for k in model.offers.indices where model.offers[k].item == item { model.offers[k].leadTimeDays = 16_400 }
        let result = Planner.run(model)
        let file = String(decoding: PlanOutputs.files(result, pegging: false)["purchase_suggestions.csv"]!, as: UTF8.self)
        let rows = file.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let mine = rows.filter { $0[1] == model.items.names[item] }
        XCTAssertFalse(mine.isEmpty)
        for row in mine {
            XCTAssertEqual(row[7], "true", "\(row)")
            XCTAssertEqual(row[8], "", "\(row)")
        }
        XCTAssertGreaterThan(rows.count { $0[8] != "" }, 0, "other rows keep their dates")
    }

    /// Highest level first, then the earliest respond-by date, kind, item name and date;
    /// ids unique.
    func testRisksFollowTheirOrder() {
        let rows = rows("risks.csv")
        XCTAssertEqual(Set(rows.map { $0[3] }), ["1", "2", "3"])
        XCTAssertEqual(Set(rows.map { $0[0] }).count, rows.count)
        for (a, b) in zip(rows, rows.dropFirst()) {
            let x = (-Int(a[3])!, a[5], a[1], a[2], a[0].suffix(10)), y = (-Int(b[3])!, b[5], b[1], b[2], b[0].suffix(10))
            XCTAssertTrue(x < y, "\(a[0]) before \(b[0])")
        }
    }

    /// `RunHours` on all cores (a level of more than 4,096 items cut into pieces) gives
    /// every item the same loads, bit for bit, as on one core, on each of several days.
    func testRunHoursOnAllCoresEqualOneCore() throws {
        let folder = scratchPath("takt-runhours")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 40_000, seed: 5, shape: .stress).files(), to: folder)
        let model = try ModelLoader.load(folder: folder)
        let levelSizes = Dictionary(grouping: model.lowLevelCode, by: { $0 }).values.map(\.count)
        XCTAssertGreaterThan(levelSizes.max()!, 2 * 2048, "a level large enough to be cut")
        let everyItem = Array(0..<model.items.count)
        let days = [model.plan.start, model.plan.start.adding(days: 7 * 20), model.plan.start.adding(days: 7 * 45)]
        let serial = RunHours.compute(model: model, on: days, for: everyItem)
        let parallel = RunHours.compute(model: model, on: days, for: everyItem, workers: CoreWorkers())
        for d in days.indices {
            for item in everyItem {
                XCTAssertEqual(parallel[d][item].map(\.workcenter), serial[d][item].map(\.workcenter))
                XCTAssertEqual(parallel[d][item].map(\.hours.bitPattern), serial[d][item].map(\.hours.bitPattern))
            }
        }
        XCTAssertGreaterThan(serial[0].map(\.count).reduce(0, +), model.items.count / 10)
    }

    /// `RunHours` equals the recursive definition of §2b's `h[p,w]` for every product.
    func testRunHoursEqualTheRecursiveDefinition() {
        let model = Self.model
        let items = model.items, bom = model.bom
        for day in [model.plan.start, model.plan.start.adding(days: 7 * 30)] {
            var memo: [Int: [Int: Double]] = [:]
            func hours(_ item: Int) -> [Int: Double] {
                if let known = memo[item] { return known }
                var total: [Int: Double] = [:]
                if items.workcenter[item] >= 0 && items.runHours[item] > 0 { total[items.workcenter[item], default: 0] += items.runHours[item] }
                for step in model.routings where step.item == item && step.runHours > 0 { total[step.workcenter, default: 0] += step.runHours }
                for k in bom.parentRange(item) {
                    let line = bom.byParent[k]
                    let component = bom.component[line]
                    guard items.type[component] != .buy, bom.isEffective(line, on: day.number) else { continue }
                    for (w, h) in hours(component) { total[w, default: 0] += bom.extendedQty(line) * h }
                }
                let starts = items.type[item] == .make ? 100 / items.yieldPct[item] : 1
                memo[item] = total.mapValues { $0 * starts }
                return memo[item]!
            }
            let products = model.plan.products.map(\.item)
            let fast = RunHours.compute(model: model, on: day, for: products)
            for (p, product) in products.enumerated() {
                let expected = hours(product)
                XCTAssertEqual(fast[p].map(\.workcenter), expected.keys.sorted())
                for (w, h) in fast[p] { XCTAssertEqual(h, expected[w]!, accuracy: 1e-9 * max(1, abs(h))) }
            }
            XCTAssertGreaterThan(fast.map(\.count).reduce(0, +), products.count)
        }
    }

    /// Several days at once (later days redo only what effectivity changes) give what each
    /// day alone gives, on a model whose BOM lines start and stop between the days.
    func testRunHoursOverSeveralDaysEqualEachDayAlone() {
        let model = Self.model
        let bom = model.bom
        let days = [0, 9, 17, 26, 35, 60].map { model.plan.start.adding(days: 7 * $0) }
        let toggling = (0..<bom.count).filter { line in
            Set(days.map { bom.isEffective(line, on: $0.number) }).count > 1
        }
        XCTAssertGreaterThan(toggling.count, 10, "the model has lines that start or stop")
        let products = model.plan.products.map(\.item)
        let together = RunHours.compute(model: model, on: days, for: products)
        var differ = 0
        for (d, day) in days.enumerated() {
            let alone = RunHours.compute(model: model, on: day, for: products)
            for p in products.indices {
                XCTAssertEqual(together[d][p].map(\.workcenter), alone[p].map(\.workcenter))
                XCTAssertEqual(together[d][p].map(\.hours), alone[p].map(\.hours))
                if d > 0 && alone[p].map(\.hours) != together[d - 1][p].map(\.hours) { differ += 1 }
            }
        }
        XCTAssertGreaterThan(differ, 0, "some product's hours change from day to day")
    }

    /// Without the record, the MRP plans the same orders and exceptions and passes the
    /// same quantities through phantoms; only the record's arrays stay empty.
    func testMRPWithoutTheRecordPlansTheSame() {
        let full = MRPEngine(model: Self.model).run()
        let lean = MRPEngine(model: Self.model).run(record: false)
        XCTAssertEqual(lean.orders, full.orders)
        XCTAssertEqual(lean.exceptions, full.exceptions)
        XCTAssertTrue(lean.gross.isEmpty && lean.projectedOnHand.isEmpty && lean.plannedReceipts.isEmpty)
        XCTAssertEqual(full.gross.count, Self.model.items.count * full.bucketCount)
        let phantoms = (0..<Self.model.items.count).filter { Self.model.items.type[$0] == .phantom }
        XCTAssertFalse(phantoms.isEmpty)
        var passed = 0.0
        for item in phantoms {
            for t in 0..<full.bucketCount {
                XCTAssertEqual(lean.passThrough(item, t), full.passThrough(item, t))
                passed += lean.passThrough(item, t)
            }
        }
        XCTAssertGreaterThan(passed, 0)
        XCTAssertEqual(lean.passThrough(Self.model.plan.products[0].item, 3), 0)
    }

    /// The items' name order is the UTF-8 byte order, as the plain byte-by-byte compare of
    /// the names gives it: names sharing their first 8 bytes, shorter ones that are a
    /// prefix of longer ones, non-ASCII, composed and decomposed forms, the empty name.
    func testNameRankIsTheBytesOrder() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["A", "B", "a", "-", "0", "9", "é", "e\u{301}", "Z", " ", "~", "ß", "日"]
        var names: Set<String> = ["", "PART-0000000", "PART-0000000-X", "PART-000000", "PART-0000001", "ABCDEFGH", "ABCDEFGHI", "ABCDEFG"]
        while names.count < 3000 {
            let length = Int.random(in: 1...14, using: &generator)
            names.insert((0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined())
        }
        var items = ItemTable()
        items.names = names.shuffled(using: &generator)
        let expected = items.names.indices.sorted { items.names[$0].utf8.lexicographicallyPrecedes(items.names[$1].utf8) }
        let rank = items.nameRank()
        XCTAssertEqual(items.names.indices.sorted { rank[$0] < rank[$1] }, expected)
    }
}
