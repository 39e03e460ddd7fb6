import XCTest
@testable import TaktModel
@testable import TaktInput
@testable import TaktPlanning
@testable import TaktReports
@testable import TaktRun
@testable import TaktGenerate

/// The compact forms that keep a million-item run's memory down read back exactly what
/// they were given, at the edges of their ranges.
final class CompactStorageTests: XCTestCase {
    /// A planned order packs its buckets in 13 bits: the longest plan a model may give
    /// (plan.yaml's `horizon_weeks` limit, in day buckets at up to 7 a week) must fit, and
    /// the fields must round-trip at their limits.
    func testTheLongestPlanFitsAPlannedOrdersBuckets() {
        XCTAssertLessThanOrEqual(PlanParser.maximumWeeks * 7, PlannedOrder.bucketLimit)
        let last = PlannedOrder.bucketLimit - 1, item = PlannedOrder.itemLimit - 1
        let order = PlannedOrder(item: item, kind: .make, quantity: 2, receiptQuantity: 1, releaseBucket: last - 1,
                                 dueBucket: last, pastDue: true)
        XCTAssertEqual([order.item, order.releaseBucket, order.dueBucket], [item, last - 1, last])
        XCTAssertEqual(order.kind, .make)
        XCTAssertTrue(order.pastDue)
        XCTAssertEqual(MemoryLayout<PlannedOrder>.size, 24)
    }

    /// 56 bytes an offer; an absent lead time or price stays absent (not 0), a given 0
    /// stays 0, and each flag is kept apart from the other.
    func testASupplierOfferPacksIntoFiftySixBytes() {
        XCTAssertEqual(MemoryLayout<SupplierOffer>.stride, 56)
        for (lead, price) in [(nil, nil), (0.0, 0.0), (12.5, nil), (nil, 3.25)] as [(Double?, Double?)] {
            for contracted in [false, true] {
                for preferred in [false, true] {
                    var offer = SupplierOffer(supplier: 499, item: 3_999_999, leadTimeDays: lead, moq: 10, lotMultiple: 5,
                                              unitPrice: price, contracted: contracted, onTimePct: 87.5, preferred: preferred,
                                              line: 1_160_125)
                    XCTAssertEqual(offer.leadTimeDays, lead)
                    XCTAssertEqual(offer.unitPrice, price)
                    XCTAssertEqual([offer.contracted, offer.preferred], [contracted, preferred])
                    XCTAssertEqual([offer.supplier, offer.item, offer.line], [499, 3_999_999, 1_160_125])
                    XCTAssertEqual([offer.moq, offer.lotMultiple, offer.onTimePct], [10, 5, 87.5])
                    let before = offer
                    offer.contracted.toggle()
                    XCTAssertEqual(offer.preferred, preferred, "one flag set, the other kept")
                    XCTAssertNotEqual(offer, before)
                    offer.leadTimeDays = nil
                    XCTAssertNil(offer.leadTimeDays)
                }
            }
        }
    }

    /// A 32-bit column reads back every value it holds; a day column also the open ends of
    /// effectivity (`Int.min`, `Int.max`) as themselves; a BOM line open at an end is in
    /// effect on every day on that side.
    func testThirtyTwoBitColumnsKeepValuesAndOpenEnds() {
        let ids = [0, 1, -1, Int(Int32.max), Int(Int32.min), 740_000]
        var column = Int32Column(ids)
        XCTAssertEqual(Array(column), ids)
        XCTAssertEqual(column.storage.count, ids.count)
        column[2] = 3_999_999
        column.append(7)
        XCTAssertEqual(column[2], 3_999_999)
        XCTAssertEqual(column.last, 7)

        let days = [Int.min, Int.max, 0, -740_000, 740_000, Int(Int32.max) - 1, Int(Int32.min) + 1]
        var bounds = DayBoundColumn(days)
        XCTAssertEqual(Array(bounds), days)
        bounds.append(Int.max)
        XCTAssertEqual(bounds.last, Int.max)

        var bom = BOM()
        bom.append(parent: 0, component: 1, qtyPer: 1, scrapPct: 0, effectiveFrom: Int.min, effectiveTo: Int.max, line: 2)
        bom.append(parent: 0, component: 2, qtyPer: 1, scrapPct: 0, effectiveFrom: 100, effectiveTo: Int.max, line: 3)
        bom.append(parent: 0, component: 3, qtyPer: 1, scrapPct: 0, effectiveFrom: Int.min, effectiveTo: 100, line: 4)
        for day in [Int.min, -1_000_000, 99, 100, 101, 1_000_000, Int.max] {
            XCTAssertTrue(bom.isEffective(0, on: day))
            XCTAssertEqual(bom.isEffective(1, on: day), day >= 100, "from 100, day \(day)")
            XCTAssertEqual(bom.isEffective(2, on: day), day <= 100, "to 100, day \(day)")
        }
        // The walks: down from a parent (effective lines only, every line without a day),
        // up from a component; a second parent's line sits between them in file order.
        bom.append(parent: 4, component: 2, qtyPer: 1, scrapPct: 0, effectiveFrom: 50, effectiveTo: 60, line: 5)
        bom.buildIndex(itemCount: 5)
        func down(_ parent: Int, _ day: Int?) -> [Int] {
            var lines: [Int] = []
            bom.forEachLine(of: parent, effectiveOn: day) { lines.append($0) }
            return lines
        }
        XCTAssertEqual(down(0, nil), [0, 1, 2])
        XCTAssertEqual(down(0, 99), [0, 2])
        XCTAssertEqual(down(0, 100), [0, 1, 2])
        XCTAssertEqual(down(0, 101), [0, 1])
        XCTAssertEqual(down(4, 49), [])
        XCTAssertEqual(down(4, 60), [3])
        XCTAssertEqual(down(1, nil), [])
        var uses: [Int] = []
        bom.forEachUse(of: 2) { uses.append($0) }
        XCTAssertEqual(uses, [1, 3])
        XCTAssertTrue(BOM.isEffective(from: Int32.min, to: Int32.max, on: Int.min), "open ends take every day")
        XCTAssertFalse(BOM.isEffective(from: 50, to: 60, on: 61))
    }

    /// Texts of any length (empty, inline, long, multi-byte) read back as given; the
    /// descriptions of items.csv, quoted commas and doubled quotes included, load into one.
    func testATextColumnReadsBackEachText() throws {
        let texts = ["", "short", "make part, level 0", "Überlänge – \"quoted\" text with ümlauts and more than 15 bytes", ""]
        let column = TextColumn(texts)
        XCTAssertEqual(Array(column), texts)
        XCTAssertEqual(column.count, 5)

        let model = try TempModel([
            "plan.yaml": planYAML(weeks: 2, products: "  - {item: P, full_rate_per_week: 1}\n",
                                  phases: "  - {name: One, weeks: 2, capacity_pct: 100}\n"),
            "items.csv": "item,type,description\nP,make,\"Drone, \"\"X1\"\" frame\"\nC,buy,\nD,buy,  motor  \n",
        ]).load()
        XCTAssertEqual(Array(model.items.itemDescription), ["Drone, \"X1\" frame", "", "motor"])
    }

    /// Sparse pass-through rows give what dense rows gave: each entry where it was set,
    /// 0 everywhere else, whatever order the rows came in.
    func testPassThroughRowsGiveTheirBucketsAndZeroElsewhere() {
        let entries: [PassThrough.Entry] = [
            .init(row: 2, bucket: 0, quantity: 1.5), .init(row: 2, bucket: 7, quantity: 2),
            .init(row: 0, bucket: 3, quantity: 4), .init(row: 2, bucket: 259, quantity: 0.25),
        ]
        let passed = PassThrough(rows: 4, entries: entries)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: 260), count: 4)
        for entry in entries { dense[Int(entry.row)][Int(entry.bucket)] = entry.quantity }
        for row in 0..<4 {
            for t in 0..<260 { XCTAssertEqual(passed.quantity(row: row, bucket: t), dense[row][t], "row \(row), bucket \(t)") }
        }
        XCTAssertEqual(passed.entries(ofRow: 2).map { passed.bucket[$0] }, [0, 7, 259])
        XCTAssertTrue(passed.entries(ofRow: 1).isEmpty)
        XCTAssertTrue(passed.entries(ofRow: 3).isEmpty)
    }

    /// A past-due exception holds no text: its message is made from its fields, word for
    /// word what exceptions.csv has always said, and reads the same as one given as text.
    func testAPastDueMessageIsMadeFromTheFields() {
        XCTAssertLessThanOrEqual(MemoryLayout<MRPException>.stride, 64)
        let due = Day(iso: "2027-03-01")!
        let short = MRPException(pastDue: 7, date: due, quantity: 1800, shortQuantity: 30,
                                 wording: PastDueWording(kind: .buy, late: 4, weekly: true))
        XCTAssertEqual(short.message, "buy order due 2027-03-01 should have been released 4 weeks before the plan start (30 short)")
        let rebuild = MRPException(pastDue: 7, date: due, quantity: 5, shortQuantity: 0,
                                   wording: PastDueWording(kind: .make, late: 1, weekly: false))
        XCTAssertEqual(rebuild.message,
                       "make order due 2027-03-01 should have been released 1 working day before the plan start (safety-stock rebuild, nothing short)")
        let given = MRPException(item: 7, kind: .pastDue, date: due, quantity: 1800, message: short.message, shortQuantity: 30)
        XCTAssertEqual(given, short)
        XCTAssertTrue(given.messageEquals(short))
        XCTAssertFalse(short.messageEquals(rebuild))
        var edited = short
        edited.message = "changed"
        XCTAssertEqual(edited.message, "changed")
        XCTAssertNotEqual(edited, short)
        XCTAssertEqual([short.item, short.receipt, short.workcenter], [7, -1, -1])
    }
}
