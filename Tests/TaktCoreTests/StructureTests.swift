import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// Contract §2: phantoms, scrap, yield through the BOM, effectivity, supplier choice.
final class StructureTests: XCTestCase {
    /// TOP (make, L=1, yield 80) ← KIT (phantom, on hand 5) ← SCREW (2 per kit, 10 % scrap).
    /// TOP needs 8 in week 2 → order 10 released week 1 → KIT gross 10 in week 1, 5 from
    /// stock, 5 passed through → SCREW gross 5 × 2 × 1.1 = 11 in week 1.
    func testPhantomNetsItsStockThenBlowsThroughWithScrap() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 3),
            "items.csv": "item,type,lead_time_days,yield_pct,safety_stock,lot_rule,lot_size\nTOP,make,5,80,0,lfl,0\nKIT,phantom,15,100,99,foq,1000\nSCREW,buy,0,100,0,lfl,0\n",
            "bom.csv": "parent,component,qty_per,scrap_pct\nTOP,KIT,1,0\nKIT,SCREW,2,10\n",
            "inventory.csv": "item,on_hand\nKIT,5\n",
            "demand.csv": "item,date,quantity\nTOP,2027-01-18,8\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        assertClose(mrp.row(mrp.gross, "KIT", model), [0, 10, 0])
        assertClose(mrp.row(mrp.gross, "SCREW", model), [0, 11, 0])
        XCTAssertTrue(mrp.orders(of: "KIT", in: model).isEmpty, "phantoms get no planned orders")
        assertClose(mrp.row(mrp.projectedOnHand, "KIT", model), [5, 0, 0])
        // SCREW has no lead time: its order is due and released in week 1.
        XCTAssertEqual(mrp.orders(of: "SCREW", in: model).map(\.releaseBucket), [1])
    }

    /// Effectivity is read on the release bucket's start date: rev A until 2027-01-17, rev B after.
    func testBOMEffectivityOnTheReleaseDate() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 4),
            "items.csv": "item,type,lead_time_days\nTOP,make,5\nREVA,buy,0\nREVB,buy,0\n",
            "bom.csv": "parent,component,qty_per,effective_from,effective_to\nTOP,REVA,1,,2027-01-17\nTOP,REVB,1,2027-01-18,\n",
            "demand.csv": "item,date,quantity\nTOP,2027-01-11,1\nTOP,2027-01-18,2\nTOP,2027-01-25,4\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        // Releases: week 0 (1), week 1 (2), week 2 (4); week 2 starts 2027-01-18.
        assertClose(mrp.row(mrp.gross, "REVA", model), [1, 2, 0, 0])
        assertClose(mrp.row(mrp.gross, "REVB", model), [0, 0, 4, 0])
    }

    func testSupplierChoiceOrder() throws {
        let files: (String) -> [String: String] = { offers in [
            "plan.yaml": planYAML(weeks: 2),
            "items.csv": "item,type,lead_time_days,unit_cost\nX,buy,5,10\n",
            "suppliers.csv": "supplier,item,unit_price,contracted,preferred,lead_time_days\n" + offers,
        ] }
        func chosen(_ offers: String) throws -> String {
            let model = try TempModel(files(offers)).load()
            let offer = SupplierChoice.choose(model)[0]
            return model.supplierNames[model.offers[offer].supplier]
        }
        // Preferred wins over cheaper.
        XCTAssertEqual(try chosen("A,X,9,true,false,5\nB,X,12,false,true,5\n"), "B")
        // Else the cheapest contracted, even if a non-contracted one is cheaper.
        XCTAssertEqual(try chosen("A,X,9,false,false,5\nB,X,12,true,false,5\nC,X,11,true,false,5\n"), "C")
        // Else the cheapest; unit_price defaults to the item's unit_cost (10).
        XCTAssertEqual(try chosen("A,X,11,false,false,5\nB,X,,false,false,5\n"), "B")
        // Ties go to the name that sorts first.
        XCTAssertEqual(try chosen("Zed,X,9,true,false,5\nAcme,X,9,true,false,5\n"), "Acme")
    }

    func testChosenSuppliersLeadTimeIsUsed() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 5),
            "items.csv": "item,type,lead_time_days\nX,buy,5\n",
            "suppliers.csv": "supplier,item,lead_time_days,preferred\nFAR,X,16,true\nNEAR,X,1,false\n",
            "demand.csv": "item,date,quantity\nX,2027-02-01,1\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        XCTAssertEqual(mrp.orders(of: "X", in: model).map(\.releaseBucket), [0], "ceil(16/5) = 4 weeks before week 4")
    }

    /// Action messages: out when needed later, cancel when never needed.
    func testRescheduleOutAndCancel() throws {
        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 6),
            "items.csv": "item,type\nX,buy\n",
            "receipts.csv": "item,quantity,due_date,reference\nX,10,2027-01-04,EARLY\nX,10,2027-01-11,SPARE\nX,10,2027-01-18,ONTIME\n",
            "demand.csv": "item,date,quantity\nX,2027-01-18,5\nX,2027-01-25,5\nX,2027-02-01,10\n",
        ]).load()
        let mrp = MRPEngine(model: model).run()
        let actions = mrp.exceptions.map { "\($0.kind.rawValue) \($0.date)" }
        // EARLY (week 0) first needed in week 2 → out; SPARE needed week 4 → out; ONTIME never → cancel.
        XCTAssertEqual(actions, ["reschedule_out 2027-01-18", "reschedule_out 2027-02-01", "cancel 2027-01-18"])
    }
}
