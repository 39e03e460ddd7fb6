import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// `takt generate` (contract §3): valid models at every size, down to the smallest.
final class GeneratorTests: XCTestCase {
    func testTinyAndOddSizesLoadAndPlan() throws {
        for shape in ModelGenerator.Shape.allCases {
            for items in [4, 5, 6, 7, 8, 9, 10, 11, 23, 120, 450] {
                let folder = scratchPath("takt-gen-\(items)")
                defer { try? FileManager.default.removeItem(atPath: folder) }
                try OutputFolder.write(ModelGenerator(itemCount: items, seed: UInt64(items), shape: shape).files(), to: folder)
                let model = try ModelLoader.load(folder: folder)
                XCTAssertEqual(model.items.count, items, "\(shape) \(items) items")
                XCTAssertFalse(model.plan.products.isEmpty)
                let result = Planner.run(model)
                XCTAssertEqual(result.capacity.count, 5, "\(shape) \(items) items")
            }
        }
    }

    /// A buy item's 1–3 offers name distinct suppliers whatever their count: at 1,400 and
    /// 2,800 items there are 7 and 14 suppliers, where offers 7 apart used to repeat one
    /// (`suppliers.csv`: duplicate supplier for an item).
    func testOffersNameDistinctSuppliersWhenTheirCountIsAMultipleOfSeven() throws {
        for shape in ModelGenerator.Shape.allCases {
            for items in [1_400, 2_800] {
                let folder = scratchPath("takt-gen-\(items)")
                defer { try? FileManager.default.removeItem(atPath: folder) }
                try OutputFolder.write(ModelGenerator(itemCount: items, seed: 3, shape: shape).files(), to: folder)
                let model = try ModelLoader.load(folder: folder)
                XCTAssertEqual(model.supplierNames.count, items / 200, "\(shape) \(items) items")
                XCTAssertGreaterThan(model.offers.count, model.items.type.filter { $0 == .buy }.count, "some items multi-sourced")
            }
        }
    }

    /// The same seed gives the same bytes; another seed other bytes.
    func testTheSameSeedGivesTheSameBytes() {
        for shape in ModelGenerator.Shape.allCases {
            let a = ModelGenerator(itemCount: 3000, seed: 7, shape: shape).files()
            XCTAssertEqual(a, ModelGenerator(itemCount: 3000, seed: 7, shape: shape).files(), "\(shape)")
            XCTAssertNotEqual(a["bom.csv"], ModelGenerator(itemCount: 3000, seed: 8, shape: shape).files()["bom.csv"], "\(shape)")
        }
    }

    /// The realistic shape: about N/500 products in
    /// families, mostly own trees 3–6 levels deep, commodity parts shared across products,
    /// work centers mostly 60–95 % loaded, a handful of past-due items, and at most 1.5
    /// planned orders per item and week.
    func testTheRealisticShapeLooksLikeAnItemMaster() throws {
        let folder = scratchPath("takt-gen-real")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 20_000, seed: 2).files(), to: folder)
        let model = try ModelLoader.load(folder: folder)
        XCTAssertEqual(model.items.count, 20_000)
        XCTAssertEqual(model.plan.products.count, 40)
        XCTAssertTrue((4...8).contains(model.maxLevel + 1), "levels \(model.maxLevel + 1)")
        // Commodity parts: used by many parents; most other parts by one.
        let bom = model.bom
        let buy = (0..<model.items.count).filter { model.items.type[$0] == .buy }
        let usedByMany = buy.filter { bom.componentRange($0).count >= 5 }
        let share = Double(usedByMany.count) / Double(buy.count)
        XCTAssertTrue((0.05...0.3).contains(share), "share of widely used buy parts \(share)")
        for line in 0..<bom.count where model.items.type[bom.component[line]] == .make {
            XCTAssertLessThanOrEqual(bom.qtyPer[line], 2)
        }
        XCTAssertLessThanOrEqual(bom.qtyPer.max() ?? 0, 12)
        let result = Planner.run(model)
        let orders = Double(result.mrp.orders.count) / Double(model.items.count * result.mrp.bucketCount)
        XCTAssertLessThanOrEqual(orders, 1.5)
        let pastDueItems = Set(result.mrp.exceptions.filter { $0.kind == .pastDue }.map(\.item))
        XCTAssertTrue((1...20).contains(pastDueItems.count), "past-due items \(pastDueItems.count)")
        var peak = [Double](repeating: 0, count: model.workcenters.count)
        for row in result.capacity.last!.capacity { peak[row.workcenter] = max(peak[row.workcenter], row.utilizationPct) }
        let inBand = peak.filter { (55...100.5).contains($0) }.count
        XCTAssertGreaterThanOrEqual(Double(inBand) / Double(peak.count), 0.75, "steady-state peaks \(peak)")
    }

    func testProductAndWorkCenterCountsAreHonoured() throws {
        let folder = scratchPath("takt-gen")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OutputFolder.write(ModelGenerator(itemCount: 2_000, seed: 9, products: 40, workcenters: 25).files(), to: folder)
        let model = try ModelLoader.load(folder: folder)
        XCTAssertEqual(model.plan.products.count, 40)
        XCTAssertEqual(model.workcenters.count, 25)
        XCTAssertTrue(model.plan.products.allSatisfy { model.lowLevelCode[$0.item] == 0 })
    }
}
