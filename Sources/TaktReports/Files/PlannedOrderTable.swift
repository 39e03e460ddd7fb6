import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// `planned_orders.csv` (contract §4), rendered in blocks of items so that the cores can
/// share it: a block's rows depend on nothing but its items' orders, and `OrderedBlocks`
/// (or one thread, block after block) puts them in the file in order whoever rendered them.
///
/// Rows go by item name, due date, release date, the largest quantity first. The MRP plans
/// item by item, so each item's orders are one stretch (`MRPResult.orderRange`) in due
/// order: items go in name order and only a split's orders need sorting. `projected_date`
/// is the start of the bucket the order is available in (§2d), empty when not within the
/// horizon. A block holds the items of about `blockOrders` orders, emitted in chunks of
/// about 1 MB; the first block starts with the header. With no orders there is one block,
/// the header alone.
package struct PlannedOrderTable: Sendable {
    package static let header = CSVWriter(header: ["item", "kind", "quantity", "release_date", "due_date", "projected_date"]).bytes

    /// Orders a block holds, about (its last item's orders may take it past).
    package static let blockOrders = 1 << 15

    private let orders: [PlannedOrder]
    private let orderStart: ContiguousArray<Int32>
    private let orderEnd: ContiguousArray<Int32>
    /// Each order's projected available bucket (`Projection.orderAvailable`).
    private let available: ContiguousArray<Int32>
    private let buckets: Int
    private let names: EscapedFields
    private let dates: EscapedFields
    private let kinds = EscapedFields(["make", "buy"])
    /// The items with orders, in name order.
    private let items: ContiguousArray<Int32>
    /// Where each block's items start in `items`, then `items.count`.
    private let blockStart: [Int]
    /// Chunk buffers of blocks rendered, for the next ones (`render` runs on several
    /// threads at once): a buffer of a megabyte is a fresh mapping, page-faulted in anew
    /// (`FreedMemory.mapLargeBlocks`).
    private let spare = ConcurrentStack<[UInt8]>()

    package init(mrp: MRPResult, projection: Projection, labels: MaterialTables.ItemLabels,
                 blockOrders: Int = PlannedOrderTable.blockOrders) {
        orders = mrp.orders
        (orderStart, orderEnd) = (mrp.orderStart, mrp.orderEnd)
        available = projection.orderAvailable
        buckets = mrp.bucketCount
        names = labels.names
        dates = EscapedFields(days: mrp.calendar.bucketStart)
        let rank = labels.rank
        var byRank = ContiguousArray<Int32>(repeating: 0, count: rank.count)
        for (item, position) in rank.enumerated() { byRank[position] = Int32(item) }
        var items = ContiguousArray<Int32>()
        var starts = [0]
        var held = 0
        for item in byRank where mrp.orderStart[Int(item)] < mrp.orderEnd[Int(item)] {
            items.append(item)
            held += Int(mrp.orderEnd[Int(item)] - mrp.orderStart[Int(item)])
            if held >= max(1, blockOrders) {
                starts.append(items.count)
                held = 0
            }
        }
        if starts.last! < items.count || starts.count == 1 { starts.append(items.count) }
        self.items = items
        blockStart = starts
    }

    /// Blocks of the file's rows (`render` takes one).
    package var blockCount: Int { blockStart.count - 1 }

    /// Hands back the chunk buffers kept between blocks, once every block is rendered.
    package func dropScratch() {
        while spare.pop() != nil {}
    }

    /// The rows of block `b` (the header first in block 0), in chunks of about 1 MB (the
    /// last one smaller).
    package func render(_ b: Int, emit: ([UInt8]) throws -> Void) rethrows {
        var csv = CSVWriter(reusing: spare.pop() ?? [])
        defer { spare.push(csv.emptied()) }
        if b == 0 { Self.header.withUnsafeBufferPointer { csv.appendRows($0) } }
        var rows = RowAssembler(rowLimit: names.maxLength + 3 * dates.maxLength + NumberFormat.maxFastWidth + 10)
        defer { rows.release() }
        var mine: [Int] = []
        let orders = orders
        try names.withRaw { nameBytes, nameStart in
            try dates.withRaw { dateBytes, dateStart in
                try kinds.withRaw { kindBytes, kindStart in
                    for position in blockStart[b]..<blockStart[b + 1] {
                        let item = Int(items[position])
                        mine.removeAll(keepingCapacity: true)
                        mine.append(contentsOf: Int(orderStart[item])..<Int(orderEnd[item]))
                        func before(_ i: Int, _ j: Int) -> Bool {
                            let (a, b) = (orders[i], orders[j])
                            if a.dueBucket != b.dueBucket { return a.dueBucket < b.dueBucket }
                            if a.releaseBucket != b.releaseBucket { return a.releaseBucket < b.releaseBucket }
                            return a.quantity > b.quantity
                        }
                        // The MRP makes them in due order: only a split's orders may need it.
                        if mine.indices.dropFirst().contains(where: { before(mine[$0], mine[$0 - 1]) }) { mine.sort(by: before) }
                        for o in mine {
                            let order = orders[o]
                            let projected = Int(available[o])
                            let mark = rows.used
                            rows.put(nameBytes, nameStart, item)
                            rows.put(0x2C)
                            rows.put(kindBytes, kindStart, order.kind == .make ? 0 : 1)
                            rows.put(0x2C)
                            if rows.put(number: order.quantity) {
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, order.releaseBucket)
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, order.dueBucket)
                                rows.put(0x2C)
                                if projected < buckets { rows.put(dateBytes, dateStart, projected) }
                                rows.put(0x0A)
                            } else {
                                // A quantity beyond the fast number path: this row field by field.
                                rows.rewind(to: mark)
                                rows.handOver(to: &csv)
                                csv.field(item, of: names)
                                csv.field(order.kind == .make ? 0 : 1, of: kinds)
                                csv.field(order.quantity)
                                csv.field(order.releaseBucket, of: dates)
                                csv.field(order.dueBucket, of: dates)
                                if projected < buckets { csv.field(projected, of: dates) } else { csv.field("") }
                                csv.endRow()
                            }
                            try rows.handOverWhenFull(to: &csv, chunk: MaterialTables.chunk, emit)
                        }
                    }
                }
            }
        }
        rows.handOver(to: &csv)
        try csv.flush(emit)
    }
}
