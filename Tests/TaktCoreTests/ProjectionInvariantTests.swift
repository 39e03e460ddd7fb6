import Foundation
import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// What must hold of any projection (contract §2d), on generated models of both shapes in
/// week and day buckets.
final class ProjectionInvariantTests: XCTestCase {
    func generated(_ items: Int, seed: UInt64, shape: ModelGenerator.Shape, day: Bool = false) throws -> PlanningModel {
        try generatedModel(items, seed: seed, shape: shape, dayBuckets: day)
    }

    /// A phantom product under `mps: capacity` is netted as a phantom against its ramp (its
    /// on-hand 4, PO-1's 5 in week 2, then C's orders, 10 working days' lead); the projection
    /// follows the ramp the MRP netted: C's first two orders, released before the plan start,
    /// arrive 2027-01-18, so the ramp weeks 01-04 (6 of 10 not in stock) and 01-11 come 14
    /// and 7 days late, cause C — the gate no_go on material, its forecast 2027-03-01.
    func testAPhantomProductHasItsRampRows() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 6, products: "  - {item: P, full_rate_per_week: 10}\n",
                                  phases: "  - {name: Ph1, weeks: 6, capacity_pct: 100, gate: G1}\n"),
            "items.csv": "item,type,lead_time_days,workcenter,run_hours\nP,phantom,0,WC,1\nC,buy,10,,0\n",
            "bom.csv": "parent,component,qty_per\nP,C,1\n",
            "inventory.csv": "item,on_hand\nP,4\n",
            "receipts.csv": "item,quantity,due_date,reference\nP,5,2027-01-18,PO-1\n",
            "workcenters.csv": "workcenter,hours_per_day,days_per_week\nWC,8,5\n",
        ]).load()
        let result = Planner.run(model)
        let deliveries = result.projection.deliveries
        XCTAssertEqual(deliveries.map(\.needBucket), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(deliveries.map(\.quantity), [10, 10, 10, 10, 10, 10])
        XCTAssertEqual(deliveries.map(\.lateQuantity), [6, 10, 0, 0, 0, 0])
        XCTAssertEqual(deliveries.map(\.availableBucket), [2, 2, 2, 3, 4, 5])
        let c = model.items.id("C")!
        XCTAssertEqual(deliveries.prefix(2).map(\.cause), [.item(c), .item(c)])
        XCTAssertEqual(result.gates[0].status, .noGo)
        XCTAssertEqual(result.gates[0].forecast, Day(iso: "2027-03-01"))
    }

    func testInvariantsHoldOnGeneratedModels() throws {
        for (items, seed, shape, day) in [(3000, 1, ModelGenerator.Shape.realistic, false), (2000, 2, .stress, false),
                                          (1500, 3, .stress, true), (4000, 4, .realistic, true)] {
            let label = "\(shape) \(items) seed \(seed)\(day ? " day" : "")"
            let model = try generated(items, seed: UInt64(seed), shape: shape, day: day)
            let result = Planner.run(model)
            let projection = result.projection
            let buckets = result.mrp.bucketCount
            XCTAssertFalse(projection.deliveries.isEmpty, label)
            for delivery in projection.deliveries {
                XCTAssertGreaterThanOrEqual(delivery.lateQuantity, 0, label)
                XCTAssertLessThanOrEqual(delivery.lateQuantity, delivery.quantity * (1 + 1e-12), label)
                if let available = delivery.availableBucket {
                    XCTAssertGreaterThanOrEqual(available, delivery.needBucket, "no delivery before its need: \(label)")
                    XCTAssertLessThan(available, buckets, label)
                    if available == delivery.needBucket {
                        XCTAssertLessThanOrEqual(delivery.lateQuantity, 1e-9, "on time means nothing late: \(label)")
                        XCTAssertNil(delivery.cause, label)
                    } else {
                        XCTAssertNotNil(delivery.cause, "a late delivery has a cause: \(label)")
                    }
                } else {
                    XCTAssertNotNil(delivery.cause, label)
                }
            }
            // An order never arrives before its due bucket, nor before its lead time from today.
            for (o, order) in result.mrp.orders.enumerated() {
                let a = Int(projection.orderAvailable[o])
                XCTAssertGreaterThanOrEqual(a, order.dueBucket, label)
                XCTAssertGreaterThanOrEqual(a, result.mrp.leadTimeBuckets[order.item], label)
            }
            // Each shortage is an item with a past-due order, dated at a late requirement.
            let pastDueItems = Set(result.mrp.exceptions.filter { $0.kind == .pastDue }.map(\.item))
            for shortage in projection.shortages {
                XCTAssertTrue(pastDueItems.contains(shortage.item), label)
                XCTAssertGreaterThan(shortage.lateQuantity, 0, label)
            }
            // Nothing past due, pulled in or left in backlog: nothing late.
            let pulled = result.mrp.receiptMovedTo.contains { $0 >= 0 }
            let backlog = result.mps.rows.contains { $0.backlog > 1e-6 }
            if pastDueItems.isEmpty && !pulled && !backlog {
                XCTAssertTrue(projection.deliveries.allSatisfy { $0.availableBucket == $0.needBucket }, label)
            }
            // The shortages' late quantities and the deliveries they cause agree with the risks.
            let risks = result.risks.filter { $0.kind == .shortage }
            XCTAssertEqual(risks.count, projection.shortages.count, label)
        }
    }

    /// The rows `takt simulate` keeps and reads in place give the pass of rows made item by
    /// item, with and without delays.
    func testCachedRowsAllocateAsRowsMadeItemByItem() throws {
        let model = try generated(2000, seed: 5, shape: .stress)
        let material = Planner.material(model, keepLP: false)
        let (schedule, mrp) = (material.schedule, material.mrp)
        let plan = ProjectionPlan(model: model, mrp: mrp, mps: schedule)
        let draws = LatenessDraws(plan: plan, seed: 2)
        var plain = ProjectionPass(plan: plan), cached = ProjectionPass(plan: plan.cachingRows())
        for sample in [0, 1, 2] {
            if sample == 0 {
                plain.run()
                cached.run()
            } else {
                plain.run(sample: sample, draws: draws)
                cached.run(sample: sample, draws: draws)
            }
            XCTAssertEqual(plain.deliveryAvailable, cached.deliveryAvailable, "sample \(sample)")
            XCTAssertEqual(plain.deliveryLate, cached.deliveryLate, "sample \(sample)")
            XCTAssertEqual(plain.shortages, cached.shortages, "sample \(sample)")
        }
        XCTAssertTrue(plain.deliveryAvailable.contains { $0 == ProjectionPass.never } || plain.shortages.count > 0)
    }

    /// Without delays the items with an order released before the start are read from
    /// MRP's `past_due` exceptions: the same items as from the orders themselves (the path
    /// with delays, here all zero), on both shapes, week and day buckets.
    func testItemsThatMayBeLateFromExceptionsEqualThoseFromTheOrders() throws {
        for (shape, day) in [(ModelGenerator.Shape.stress, false), (.realistic, false), (.stress, true)] {
            let model = try generated(3000, seed: 9, shape: shape, day: day)
            let material = Planner.material(model, keepLP: false)
            let plan = ProjectionPlan(model: model, mrp: material.mrp, mps: material.schedule)
            let zero = SupplyDelays(receipt: ContiguousArray(repeating: 0, count: model.receipts.count),
                                    order: ContiguousArray(repeating: 0, count: material.mrp.orders.count))
            let fromExceptions = ProjectionPass(plan: plan).itemsThatMayBeLate()
            XCTAssertEqual(fromExceptions, ProjectionPass(plan: plan, delays: zero).itemsThatMayBeLate(), "\(shape) day \(day)")
            let pastDue = Set(material.mrp.orders.filter(\.pastDue).map(\.item))
            XCTAssertFalse(pastDue.isEmpty, "\(shape) day \(day): orders released before the start")
            XCTAssertTrue(pastDue.allSatisfy { fromExceptions[$0] })
        }
    }

    /// The two shortcuts of the pass give the full allocation: items none of whose supply
    /// comes later than MRP counted it are not allocated (`itemsThatMayBeLate`), and with two
    /// cores one makes the rows while the other allocates (`run(workers:)`); as planned and
    /// with delays, on both shapes, week and day buckets.
    func testShortcutsGiveTheFullAllocation() throws {
        for (items, seed, shape, day, fence) in [(2500, 11, ModelGenerator.Shape.realistic, false, 0), (2500, 12, .stress, false, 0),
                                                 (2500, 13, .realistic, true, 0), (2500, 14, .realistic, false, 3)] {
            let label = "\(shape) \(items) seed \(seed)\(day ? " day" : "")\(fence > 0 ? " frozen \(fence) weeks" : "")"
            var model = try generated(items, seed: UInt64(seed), shape: shape, day: day)
            // A time fence lets MRP's stock fall below zero inside it: those items are allocated.
            model.plan.frozenWeeks = fence
            let material = Planner.material(model, keepLP: false)
            let (schedule, mrp) = (material.schedule, material.mrp)
            let plan = ProjectionPlan(model: model, mrp: mrp, mps: schedule)
            XCTAssertGreaterThanOrEqual(plan.allocationOrder.count, 2 * ProjectionPass.chunkItems, label)
            XCTAssertEqual(mrp.exceptions.contains { $0.kind == .insideFence }, fence > 0, label)
            let draws = LatenessDraws(plan: plan, seed: 3)
            var full = ProjectionPass(plan: plan)
            full.allocatesEveryItem = true
            for sample in [0, 1, 2] {
                // The wide pass's order keys filled in five pieces.
                var serial = ProjectionPass(plan: plan), paired = ProjectionPass(plan: plan)
                var wide = ProjectionPass(plan: plan, workers: WideWorkers(width: 5))
                if sample == 0 {
                    full.run()
                    serial.run()
                    paired.run(workers: CoreWorkers())
                    wide.run(workers: WideWorkers(width: 5))
                    // The projection's own pieces (causes, arrivals) as wide as five cores.
                    let one = Projection(serial), five = Projection(wide, workers: WideWorkers(width: 5))
                    XCTAssertEqual(five.deliveries, one.deliveries, label)
                    XCTAssertEqual(five.orderAvailable, one.orderAvailable, label)
                } else {
                    full.run(sample: sample, draws: draws)
                    var delays = draws.noDelays()
                    draws.delays(sample: sample, into: &delays)
                    serial = ProjectionPass(plan: plan, delays: delays)
                    serial.run()
                    paired = ProjectionPass(plan: plan, delays: delays)
                    paired.run(workers: CoreWorkers())
                    wide = ProjectionPass(plan: plan, delays: delays, workers: WideWorkers(width: 5))
                    wide.run(workers: WideWorkers(width: 5))
                }
                let skipped = serial.itemsThatMayBeLate().filter { !$0 }.count
                XCTAssertGreaterThan(skipped, items / 10, "\(label) sample \(sample): the shortcut is exercised")
                for pass in [serial, paired, wide] {
                    XCTAssertEqual(pass.deliveryAvailable, full.deliveryAvailable, "\(label) sample \(sample)")
                    XCTAssertEqual(pass.deliveryLate, full.deliveryLate, "\(label) sample \(sample)")
                    XCTAssertEqual(pass.shortages, full.shortages, "\(label) sample \(sample)")
                    XCTAssertTrue(mrp.orders.indices.allSatisfy { pass.orderAvailable($0) == full.orderAvailable($0) }, "\(label) sample \(sample)")
                }
            }
            XCTAssertTrue(full.deliveryLate.contains { $0 > 1e-9 }, "\(label): something is late")
        }
    }

    /// With nothing past due and nothing pulled in, the projection is the MRP's plan: the
    /// lot-rules fixture delivers every demand row on time.
    func testAPlanWithNothingPastDueOrPulledInDeliversOnTime() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let model = try ModelLoader.load(folder: root.appendingPathComponent("fixtures/lot-rules").path)
        let result = Planner.run(model)
        XCTAssertTrue(result.mrp.exceptions.allSatisfy { $0.kind != .pastDue })
        XCTAssertFalse(result.projection.deliveries.isEmpty)
        XCTAssertTrue(result.projection.deliveries.allSatisfy { $0.availableBucket == $0.needBucket && $0.lateQuantity == 0 })
        XCTAssertTrue(result.projection.shortages.isEmpty)
    }
}

/// Every piece on the thread pool, cut for a machine of `width` cores (the stages cut into
/// `width` pieces however many cores this one has).
struct WideWorkers: Workers {
    let width: Int

    func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    func dropped(bytes: Int) {}

    var dropBatch: Int { .max }

    func beside<T>(_ other: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        other()
        return try body()
    }

    func pipeline<Piece: Sendable>(depth: Int, consume: @escaping @Sendable (Piece) -> Void,
                                   produce: (_ send: (Piece) -> Void) throws -> Void) rethrows {
        try produce(consume)
    }
}
