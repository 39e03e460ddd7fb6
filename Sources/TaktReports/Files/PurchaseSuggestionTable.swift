import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// `purchase_suggestions.csv` (contract §4), rendered one supplier at a time so that the
/// cores can share it: each supplier's rows depend on nothing but its own orders, and
/// `OrderedBlocks` puts them in the file in supplier order whoever rendered them.
///
/// Rows go by supplier name (no supplier first), order date, item name, need date, the
/// largest quantity first, then MRP order. The MRP plans item by item, so each item's
/// orders are one run in due order (`MRPResult.orderRange(of:)`), hence in order-date order
/// too (release = due - lead time, or bucket 0). Each run takes its item's price and
/// name's place when it is made, in planning order (in a supplier's name order those
/// look-ups each missed the cache); the runs are put in (supplier rank, item rank) order
/// by two counting passes; then, one supplier at a time, each run's price is written out
/// once and its name copied beside the block's others, its orders are gathered as 16-byte
/// rows with the run's index in the block and counted by order date, and the rows are then
/// dealt into order-date order (a counting sort that keeps item order): the only comparison
/// is of a split's few rows. Each block's buffers are kept for the next (`Scratch`).
package struct PurchaseSuggestionTable: Sendable {
    package static let header = CSVWriter(header: ["supplier", "item", "quantity", "order_date", "need_date", "unit_price", "amount", "late", "projected_date"]).bytes

    private struct Run {
        var key: UInt64
        var start: Int32
        var end: Int32
        var price: Double
        /// The price in whole cents (`NumberFormat.cents(of:)`), or `UInt64.max` when it is
        /// not a whole number of cents: then each row's amount is formatted from the product.
        var cents: UInt64
        /// The place of the item's name in the escaped names.
        var nameFrom: Int
        var nameCount: Int32
        /// The item (for a row written field by field).
        var item: Int32
    }

    private let orders: [PlannedOrder]
    /// Each order's projected available bucket (`Projection.orderAvailable`).
    private let available: ContiguousArray<Int32>
    private let buckets: Int
    private let names: EscapedFields
    private let dates: EscapedFields
    private let suppliers: EscapedFields
    private let flags = EscapedFields(["false", "true"])
    /// The suppliers in name order: a run's key holds the rank (1-based, 0 for none).
    private let supplierByRank: [Int]
    private let runs: [Run]
    /// Scratch of blocks rendered, for the next ones (`render` runs on several threads at once).
    private let spare = ConcurrentStack<Scratch>()
    /// Where each supplier's runs start in `runs` (suppliers with orders, in rank order),
    /// then `runs.count`.
    private let supplierStart: [Int]

    package init(model: PlanningModel, mrp: MRPResult, projection: Projection, labels: MaterialTables.ItemLabels) {
        // A row packs a run (one a bought item) and buckets in the widths a planned order
        // packs items and buckets in (`PlannedOrder.itemLimit`, `bucketLimit`).
        precondition(PlannedOrder.itemLimit - 1 <= Row.runMask && PlannedOrder.bucketLimit - 1 <= Row.bucketMask,
                     "a purchase row narrower than a planned order")
        orders = mrp.orders
        available = projection.orderAvailable
        buckets = mrp.bucketCount
        names = labels.names
        dates = EscapedFields(days: mrp.calendar.bucketStart)
        suppliers = EscapedFields([""] + model.supplierNames)
        let supplierOrder = model.supplierNames.indices.sorted { model.supplierNames[$0] < model.supplierNames[$1] }
        var supplierRank = [Int](repeating: 0, count: model.supplierNames.count)
        for (position, s) in supplierOrder.enumerated() { supplierRank[s] = position + 1 }
        supplierByRank = supplierOrder
        let rank = labels.rank
        // Locals only: the closure may not capture `self` before every property is set.
        let (chosen, type) = (mrp.chosenOffer, model.items.type)
        var runs: [Run] = []
        // Each bought item's stretch of the orders, in planning order (the orders' own
        // order): the items' stretches are read, not the orders (an order's kind is its
        // item's type; reading each item's first order missed the cache once an item).
        labels.names.withRaw { _, nameStart in
            for item in model.planningOrder {
                let stretch = mrp.orderRange(of: item)
                guard !stretch.isEmpty, type[item] == .buy else { continue }
                let offer = chosen[item]
                let supplier = offer >= 0 ? UInt64(supplierRank[model.offers[offer].supplier]) : 0
                let price = SupplierChoice.price(item: item, chosen: chosen, model)
                runs.append(Run(key: supplier << 32 | UInt64(rank[item]), start: Int32(stretch.lowerBound), end: Int32(stretch.upperBound),
                                price: price, cents: NumberFormat.cents(of: price) ?? .max,
                                nameFrom: nameStart[item], nameCount: Int32(nameStart[item + 1] - nameStart[item]),
                                item: Int32(item)))
            }
        }
        runs = Self.sortedBySupplier(runs, suppliers: model.supplierNames.count, items: rank.count)
        var starts: [Int] = []
        for (j, run) in runs.enumerated() where j == 0 || run.key >> 32 != runs[j - 1].key >> 32 { starts.append(j) }
        starts.append(runs.count)
        self.runs = runs
        supplierStart = starts
    }

    /// `runs` by key (supplier rank, then item rank) with no comparison: an item has one
    /// run at most, so the runs are dealt to their item's name rank, and then, in that
    /// order, to their supplier's stretch (a counting sort over the suppliers, stable). At
    /// 1M items (a million runs of 48 bytes) a comparison sort took 0.1 s of the core that
    /// renders the file.
    private static func sortedBySupplier(_ runs: [Run], suppliers: Int, items: Int) -> [Run] {
        var runOfRank = ContiguousArray<Int32>(repeating: -1, count: items)
        var next = [Int](repeating: 0, count: suppliers + 2) // rank 0: no supplier
        for (j, run) in runs.enumerated() {
            runOfRank[Int(run.key & 0xFFFF_FFFF)] = Int32(j)
            next[Int(run.key >> 32) + 1] += 1
        }
        for s in 0...suppliers { next[s + 1] += next[s] }
        return [Run](unsafeUninitializedCapacity: runs.count) { sorted, count in
            var placed = 0
            for j in runOfRank where j >= 0 {
                let run = runs[Int(j)]
                let s = Int(run.key >> 32)
                (sorted.baseAddress! + next[s]).initialize(to: run)
                next[s] += 1
                placed += 1
            }
            // Two runs of one item would leave a slot unwritten: never read one.
            precondition(placed == runs.count, "an item with two runs of purchase orders")
            count = placed
        }
    }

    /// Hands back the buffers kept between blocks, once every block is rendered (the table
    /// lives on until the run ends).
    package func dropScratch() {
        while spare.pop() != nil {}
    }

    /// Suppliers with rows (the blocks `render` takes).
    package var supplierCount: Int { supplierStart.count - 1 }

    /// One row of the file, gathered from the orders and then dealt: 16 bytes, so that a
    /// block's rows take half the cache they took with a field each. The order date is not
    /// kept: the rows are in order-date order, and the row loop knows where each date's rows
    /// end.
    private struct Row {
        var quantity: Double
        /// Bits 0–26 the row's run among the block's, 27–39 the need date's bucket, 40–53
        /// the projected available bucket, cut at `buckets` (which stands for any bucket
        /// past the horizon: up to 2^13), 54 past due.
        var packed: UInt64

        static let runMask: UInt64 = (1 << 27) - 1
        static let bucketMask: UInt64 = (1 << 13) - 1
        static let projectedMask: UInt64 = (1 << 14) - 1

        init(quantity: Double, run: Int, due: Int, projected: Int, late: Bool) {
            precondition(projected >= 0 && UInt64(projected) <= Self.projectedMask, "a projected bucket beyond its packing")
            self.quantity = quantity
            packed = UInt64(run) | UInt64(due) << 27 | UInt64(projected) << 40 | (late ? 1 << 54 : 0)
        }

        var run: Int { Int(packed & Self.runMask) }
        /// The run and the need date: two rows of one split share them (one run is one
        /// item, and its orders of one need date share their order date).
        var runAndDue: UInt64 { packed & (Self.runMask | Self.bucketMask << 27) }
        var due: Int { Int(packed >> 27 & Self.bucketMask) }
        var projected: Int { Int(packed >> 40 & Self.projectedMask) }
        var late: Int { Int(packed >> 54 & 1) }
    }

    /// How many runs ahead the counting pass asks for a run's orders (`CacheHint`).
    private static let runAhead = 6

    /// Bytes a run's price text takes in the block's price text (written once a run, not
    /// once a row): `NumberFormat.maxFastWidth`.
    private static let priceSlot = NumberFormat.maxFastWidth

    /// The rows of the `s`-th supplier with orders, in chunks of about 1 MB (the last
    /// one smaller).
    package func render(_ s: Int, emit: ([UInt8]) throws -> Void) rethrows {
        try names.withRaw { nameBytes, _ in
            try render(s, nameBytes: nameBytes, emit: emit)
        }
    }

    /// What rendering a block needs beside its rows: kept from block to block. At 1M items a
    /// block's rows and its chunk are a megabyte or more each, and a fresh block of that
    /// size is a fresh mapping (`FreedMemory.mapLargeBlocks`), page-faulted in anew.
    private final class Scratch {
        /// The block's rows in file order, its first `count` (kept at the largest block's size).
        var ordered: [Row] = []
        var next: [Int] = []
        /// The block's rows in run order, with their order dates' buckets, before they are
        /// dealt into `ordered`.
        var gathered: [Row] = []
        var releases: [UInt16] = []
        var chunk: [UInt8] = []
        /// The block's runs' names, run after run, copied in the first pass (in date order
        /// the row loop reads the block's names, not the whole name table, 11 MB at 1M
        /// items), and where each starts.
        var names: [UInt8] = []
        var nameFrom: [Int32] = []
        /// Each run's price text, slot `run × priceSlot`.
        var prices: [UInt8] = []
        /// Each run's price text's length; 0 when the price is beyond `NumberFormat`'s fast
        /// path (its rows go field by field).
        var priceCounts: [Int32] = []
    }

    private func render(_ s: Int, nameBytes: UnsafePointer<UInt8>,
                        emit: ([UInt8]) throws -> Void) rethrows {
        // Out of the scratch for the block's time (a class's arrays are checked for
        // exclusive access at every use), and back into it after. The chunk is out before
        // the writer gets it, so that the writer holds its only reference and writes into
        // it (`CSVWriter.init(reusing:)`). The file's header is written once, apart.
        let scratch = spare.pop() ?? Scratch()
        var (ordered, next, chunk, nameFrom, blockNames) = (scratch.ordered, scratch.next, scratch.chunk, scratch.nameFrom, scratch.names)
        var (prices, priceCounts, gathered, releases) = (scratch.prices, scratch.priceCounts, scratch.gathered, scratch.releases)
        (scratch.ordered, scratch.next, scratch.chunk, scratch.nameFrom, scratch.prices, scratch.priceCounts) = ([], [], [], [], [], [])
        (scratch.gathered, scratch.releases, scratch.names) = ([], [], [])
        var csv = CSVWriter(reusing: consume chunk)
        defer {
            priceCounts.removeAll(keepingCapacity: true)
            nameFrom.removeAll(keepingCapacity: true)
            blockNames.removeAll(keepingCapacity: true)
            gathered.removeAll(keepingCapacity: true)
            releases.removeAll(keepingCapacity: true)
            (scratch.ordered, scratch.next, scratch.chunk, scratch.nameFrom) = (ordered, next, csv.emptied(), nameFrom)
            scratch.names = blockNames
            (scratch.prices, scratch.priceCounts, scratch.gathered, scratch.releases) = (prices, priceCounts, gathered, releases)
            spare.push(scratch)
        }
        let blockRuns = runs[supplierStart[s]..<supplierStart[s + 1]]
        // Every row of the block shares its supplier field: none (rank 0) or the supplier
        // of that rank (the field table's first entry is the empty one).
        let rank = Int(runs[supplierStart[s]].key >> 32)
        let supplier = rank == 0 ? 0 : supplierByRank[rank - 1] + 1
        // One pass over the block's orders, in item order, counts them by order date and
        // gathers each as a row (and writes each run's price text and copies its name,
        // once); a second, over the gathered rows, deals each to its date's next slot: a
        // counting sort that keeps item order within a date. The orders are read once, where
        // the MRP put them; the second pass reads the gathered rows in a row.
        var count = 0
        for run in blockRuns { count += Int(run.end - run.start) }
        next.removeAll(keepingCapacity: true)
        next.append(contentsOf: repeatElement(0, count: buckets + 1))
        // A slot per run, and room past the last for `RowAssembler`'s 16-byte copies.
        let priceBytes = blockRuns.count * Self.priceSlot + EscapedFields.padding
        if prices.count < priceBytes { prices = [UInt8](repeating: 0, count: priceBytes) }
        if ordered.count < count {
            ordered.append(contentsOf: repeatElement(Row(quantity: 0, run: 0, due: 0, projected: 0, late: false),
                                                    count: count - ordered.count))
        }
        gathered.reserveCapacity(count)
        releases.reserveCapacity(count)
        orders.withUnsafeBufferPointer { orderBase in
            available.withUnsafeBufferPointer { availableBase in
                prices.withUnsafeMutableBufferPointer { prices in
                    for (r, run) in blockRuns.enumerated() {
                        // The runs lie anywhere in the orders (16 M of them, 384 MB, at 1M
                        // items): each asks for the run `runAhead` on (a run is never empty).
                        if r + Self.runAhead < blockRuns.count {
                            let ahead = blockRuns[blockRuns.startIndex + r + Self.runAhead]
                            let (start, end) = (Int(ahead.start), Int(ahead.end))
                            if let base = orderBase.baseAddress {
                                // Every cache line of the run's orders, not only its first: a
                                // run of a few lines is too short for the processor's own
                                // prefetcher to see it as a stream. Every address is inside
                                // the run, its last byte the last.
                                let first = UnsafeRawPointer(base + start)
                                let bytes = (end - start) * MemoryLayout<PlannedOrder>.stride
                                var offset = 0
                                while offset < bytes {
                                    CacheHint.fetch(first + offset)
                                    offset += 64
                                }
                                CacheHint.fetch(first + (bytes - 1))
                            }
                            if let base = availableBase.baseAddress {
                                CacheHint.fetch(base + start)
                                CacheHint.fetch(base + end - 1)
                            }
                            CacheHint.fetch(nameBytes + ahead.nameFrom)
                        }
                        priceCounts.append(Int32(NumberFormat.write(run.price, to: prices.baseAddress! + r * Self.priceSlot) ?? 0))
                        nameFrom.append(Int32(blockNames.count))
                        blockNames.append(contentsOf: UnsafeBufferPointer(start: nameBytes + run.nameFrom, count: Int(run.nameCount)))
                        for k in Int(run.start)..<Int(run.end) {
                            let order = orderBase[k]
                            next[order.releaseBucket + 1] += 1
                            // An arrival past the horizon may lie any number of buckets
                            // past it (a lead time of up to 100 years): kept as `buckets`.
                            gathered.append(Row(quantity: order.quantity, run: r, due: order.dueBucket,
                                                projected: min(Int(availableBase[k]), buckets), late: order.pastDue))
                            releases.append(UInt16(order.releaseBucket))
                        }
                    }
                }
            }
        }
        for t in 1...buckets { next[t] += next[t - 1] }
        // Dealt into order-date order from the gathered rows, which lie in a row.
        next.withUnsafeMutableBufferPointer { next in
            ordered.withUnsafeMutableBufferPointer { ordered in
                for (row, release) in zip(gathered, releases) {
                    let slot = next[Int(release)]
                    next[Int(release)] = slot + 1
                    ordered[slot] = row
                }
            }
        }
        // Room past the last name for `RowAssembler`'s 16-byte copies.
        blockNames.append(contentsOf: repeatElement(0, count: EscapedFields.padding))
        // Orders of one item, order date and need date (a split) go largest first, then
        // in MRP order: an insertion sort, stable, over a split's few rows.
        var from = 0
        while from < count {
            let head = ordered[from]
            var to = from + 1
            while to < count, ordered[to].runAndDue == head.runAndDue {
                to += 1
            }
            if to - from > 1 {
                for j in from + 1..<to {
                    let row = ordered[j]
                    var i = j
                    while i > from, ordered[i - 1].quantity < row.quantity {
                        ordered[i] = ordered[i - 1]
                        i -= 1
                    }
                    ordered[i] = row
                }
            }
            from = to
        }
        var rows = RowAssembler(rowLimit: suppliers.maxLength + names.maxLength + 3 * dates.maxLength
                                + 3 * NumberFormat.maxFastWidth + 17)
        defer { rows.release() }
        try suppliers.withRaw { supplierBytes, supplierStart in
            try dates.withRaw { dateBytes, dateStart in
                try flags.withRaw { flagBytes, flagStart in
                    try prices.withUnsafeBufferPointer { priceBytes in
                    try ordered.withUnsafeBufferPointer { ordered in
                    try blockNames.withUnsafeBufferPointer { blockNames in
                    try priceCounts.withUnsafeBufferPointer { priceCounts in
                        let priceBase = priceBytes.baseAddress!
                        // The order date's bucket, and where its rows end (`next[t]`, once
                        // every row is dealt).
                        var release = 0
                        for index in 0..<count {
                            while index >= next[release] { release += 1 }
                            let row = ordered[index]
                            let r = row.run
                            let run = blockRuns[blockRuns.startIndex + r]
                            let priceCount = Int(priceCounts[r])
                            let due = row.due
                            let (quantity, price) = (row.quantity, run.price)
                            let late = row.late
                            let projected = row.projected
                            let mark = rows.used
                            rows.put(supplierBytes, supplierStart, supplier)
                            rows.put(0x2C)
                            rows.put(blockNames.baseAddress!, from: Int(nameFrom[r]), count: Int(run.nameCount))
                            rows.put(0x2C)
                            var fast = priceCount > 0 && rows.put(number: quantity)
                            if fast {
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, release)
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, due)
                                rows.put(0x2C)
                                rows.put(priceBase, from: r * Self.priceSlot, count: priceCount)
                                rows.put(0x2C)
                                // A whole quantity at a price in whole cents: the amount in
                                // cents, an integer, written as `put(number:)` would write
                                // the product (`NumberFormat.write(cents:to:)`).
                                if run.cents != .max, quantity >= 0, quantity < 100_000_000, quantity == quantity.rounded(.towardZero),
                                   case let amount = UInt64(quantity) &* run.cents, amount < 10_000_000_000 {
                                    rows.put(cents: amount)
                                } else {
                                    fast = rows.put(number: quantity * price)
                                }
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
                                csv.field(Int(run.item), of: names)
                                csv.field(quantity)
                                csv.field(release, of: dates)
                                csv.field(due, of: dates)
                                csv.field(price)
                                csv.field(quantity * price)
                                csv.field(late, of: flags)
                                if projected < buckets { csv.field(projected, of: dates) } else { csv.field("") }
                                csv.endRow()
                            }
                            try rows.handOverWhenFull(to: &csv, chunk: MaterialTables.chunk, emit)
                        }
                    }
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
