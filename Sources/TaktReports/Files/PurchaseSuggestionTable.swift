import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// `purchase_suggestions.csv` (contract §4), rendered one supplier at a time so that two
/// cores can share it: each supplier's rows depend on nothing but its own orders, and
/// `OrderedBlocks` puts them in the file in supplier order whoever rendered them.
///
/// Rows go by supplier name (no supplier first), order date, item name, need date, the
/// largest quantity first, then MRP order. The MRP plans item by item, so each item's
/// orders are one run in due order, hence in order-date order too (release = due - lead
/// time, or bucket 0). The runs are sorted by (supplier rank, item rank); then, one
/// supplier at a time, its orders are copied into a small buffer (one jump into the orders
/// per item, not per order: at 1M items the orders far exceed the cache) and put in
/// order-date order by a counting sort that keeps item order: integers only, and the only
/// comparison sort is of a split's orders.
package struct PurchaseSuggestionTable: Sendable {
    package static let header = CSVWriter(header: ["supplier", "item", "quantity", "order_date", "need_date", "unit_price", "amount", "late", "projected_date"]).bytes

    private struct Run {
        var key: UInt64
        var start: Int32
        var end: Int32
    }

    private let model: PlanningModel
    private let orders: [PlannedOrder]
    /// Each order's projected available bucket (`Projection.orderAvailable`).
    private let available: ContiguousArray<Int32>
    /// Each item's chosen supplier offer (a buy order's), or -1.
    private let chosenOffer: ContiguousArray<Int>
    private let buckets: Int
    private let names: EscapedFields
    private let dates: EscapedFields
    private let suppliers: EscapedFields
    private let flags = EscapedFields(["false", "true"])
    private let offerPrice: ContiguousArray<Double>
    private let offerSupplierField: ContiguousArray<Int32>
    private let runs: [Run]
    /// Where each supplier's runs start in `runs` (suppliers with orders, in rank order),
    /// then `runs.count`.
    private let supplierStart: [Int]

    package init(model: PlanningModel, mrp: MRPResult, projection: Projection, labels: MaterialTables.ItemLabels) {
        self.model = model
        orders = mrp.orders
        available = projection.orderAvailable
        chosenOffer = mrp.chosenOffer
        buckets = mrp.bucketCount
        names = labels.names
        dates = EscapedFields(days: mrp.calendar.bucketStart)
        suppliers = EscapedFields([""] + model.supplierNames)
        let supplierOrder = model.supplierNames.indices.sorted { model.supplierNames[$0] < model.supplierNames[$1] }
        var supplierRank = [Int](repeating: 0, count: model.supplierNames.count)
        for (position, s) in supplierOrder.enumerated() { supplierRank[s] = position + 1 }
        // Each offer's supplier rank and price in flat arrays: a whole `SupplierOffer` per
        // order misses the cache at 1M items.
        let offerSupplier = ContiguousArray(model.offers.map { Int32(supplierRank[$0.supplier]) })
        offerPrice = ContiguousArray(model.offers.map { SupplierChoice.price($0, model) })
        offerSupplierField = ContiguousArray(model.offers.map { Int32($0.supplier + 1) })
        let rank = labels.rank
        var runs: [Run] = []
        var k = 0
        while k < orders.count {
            var end = k + 1
            while end < orders.count, orders[end].item == orders[k].item { end += 1 }
            if orders[k].kind == .buy {
                let offer = chosenOffer[orders[k].item]
                let supplier = offer >= 0 ? UInt64(offerSupplier[offer]) : 0
                runs.append(Run(key: supplier << 32 | UInt64(rank[orders[k].item]), start: Int32(k), end: Int32(end)))
            }
            k = end
        }
        runs.sort { $0.key < $1.key }
        var starts: [Int] = []
        for (j, run) in runs.enumerated() where j == 0 || run.key >> 32 != runs[j - 1].key >> 32 { starts.append(j) }
        starts.append(runs.count)
        self.runs = runs
        supplierStart = starts
    }

    /// Suppliers with rows (the blocks `render` takes).
    package var supplierCount: Int { supplierStart.count - 1 }

    /// The rows of the `s`-th supplier with orders, in chunks of about 1 MB (the last
    /// one smaller).
    package func render(_ s: Int, emit: ([UInt8]) throws -> Void) rethrows {
        // The supplier's orders (item order), then their positions in row order.
        var local: [PlannedOrder] = []
        var localAvailable: [Int32] = []
        for run in runs[supplierStart[s]..<supplierStart[s + 1]] {
            local.append(contentsOf: orders[Int(run.start)..<Int(run.end)])
            localAvailable.append(contentsOf: available[Int(run.start)..<Int(run.end)])
        }
        var next = [Int](repeating: 0, count: buckets + 1)
        for order in local { next[order.releaseBucket + 1] += 1 }
        for t in 1...buckets { next[t] += next[t - 1] }
        var ordered = [Int32](repeating: 0, count: local.count)
        for (j, order) in local.enumerated() {
            ordered[next[order.releaseBucket]] = Int32(j)
            next[order.releaseBucket] += 1
        }
        // Orders of one item, order date and need date (a split) go largest first, then
        // in MRP order (`local` keeps it).
        var from = 0
        while from < ordered.count {
            let head = local[Int(ordered[from])]
            var to = from + 1
            while to < ordered.count, local[Int(ordered[to])].item == head.item,
                  local[Int(ordered[to])].dueBucket == head.dueBucket,
                  local[Int(ordered[to])].releaseBucket == head.releaseBucket {
                to += 1
            }
            if to - from > 1 {
                ordered[from..<to].sort { a, b in
                    let (x, y) = (local[Int(a)].quantity, local[Int(b)].quantity)
                    return x != y ? x > y : a < b
                }
            }
            from = to
        }
        var csv = CSVWriter() // `header` goes first, once, apart
        var rows = RowAssembler(rowLimit: suppliers.maxLength + names.maxLength + 3 * dates.maxLength
                                + 3 * NumberFormat.maxFastWidth + 17)
        defer { rows.release() }
        let unitCost = model.items.unitCost
        try suppliers.withRaw { supplierBytes, supplierStart in
            try names.withRaw { nameBytes, nameStart in
                try dates.withRaw { dateBytes, dateStart in
                    try flags.withRaw { flagBytes, flagStart in
                        for index in ordered {
                            let entry = local[Int(index)]
                            let offer = chosenOffer[entry.item]
                            let price = offer >= 0 ? offerPrice[offer] : unitCost[entry.item]
                            let supplier = offer >= 0 ? Int(offerSupplierField[offer]) : 0
                            let release = entry.releaseBucket, due = entry.dueBucket
                            let late = entry.pastDue ? 1 : 0
                            let projected = Int(localAvailable[Int(index)])
                            let mark = rows.used
                            rows.put(supplierBytes, supplierStart, supplier)
                            rows.put(0x2C)
                            rows.put(nameBytes, nameStart, entry.item)
                            rows.put(0x2C)
                            var fast = rows.put(number: entry.quantity)
                            if fast {
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, release)
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, due)
                                rows.put(0x2C)
                                fast = rows.put(number: price)
                            }
                            if fast {
                                rows.put(0x2C)
                                fast = rows.put(number: entry.quantity * price)
                            }
                            if fast {
                                rows.put(0x2C)
                                rows.put(flagBytes, flagStart, late)
                                rows.put(0x2C)
                                if projected < buckets { rows.put(dateBytes, dateStart, projected) }
                                rows.put(0x0A)
                            } else {
                                // A number beyond the fast path: this row field by field.
                                rows.rewind(to: mark)
                                rows.handOver(to: &csv)
                                csv.field(supplier, of: suppliers)
                                csv.field(entry.item, of: names)
                                csv.field(entry.quantity)
                                csv.field(release, of: dates)
                                csv.field(due, of: dates)
                                csv.field(price)
                                csv.field(entry.quantity * price)
                                csv.field(late, of: flags)
                                if projected < buckets { csv.field(projected, of: dates) } else { csv.field("") }
                                csv.endRow()
                            }
                            if rows.isFull {
                                rows.handOver(to: &csv)
                                try csv.flush(atLeast: MaterialTables.chunk, emit)
                            }
                        }
                    }
                }
            }
        }
        rows.handOver(to: &csv)
        try csv.flush(emit)
    }
}
