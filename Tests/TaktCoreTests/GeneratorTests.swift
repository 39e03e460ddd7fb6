import Foundation
import XCTest
@testable import TaktCore

/// `takt generate` (contract §3): valid models at every size, down to the smallest.
final class GeneratorTests: XCTestCase {
    func testTinyAndOddSizesLoadAndPlan() throws {
        for items in [4, 5, 6, 7, 8, 9, 10, 11, 23, 120] {
            let folder = scratchPath("takt-gen-\(items)")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try OutputFolder.write(ModelGenerator(itemCount: items, seed: UInt64(items)).files(), to: folder)
            let model = try ModelLoader.load(folder: folder)
            XCTAssertEqual(model.items.count, items, "\(items) items")
            XCTAssertFalse(model.plan.products.isEmpty)
            let result = Planner.run(model)
            XCTAssertEqual(result.capacity.count, 5, "\(items) items")
        }
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
