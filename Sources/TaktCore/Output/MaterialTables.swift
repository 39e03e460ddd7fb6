/// The material files of `takt plan` (contract §4): planned orders, purchase
/// suggestions, exceptions and pegging. Rows are sorted so the same model always gives
/// the same bytes.
public enum MaterialTables {
    /// Sorted by item, due date, release date and quantity (largest first). The MRP plans
    /// item by item, so each item's orders are contiguous: items go in name order and only
    /// each item's own orders are sorted.
    public static func plannedOrders(_ result: PlanResult, rank: ContiguousArray<Int>) -> [UInt8] {
        let names = EscapedFields(result.model.items.names)
        let dates = EscapedFields(days: result.mrp.calendar.bucketStart)
        let kinds = EscapedFields(["make", "buy"])
        let orders = result.mrp.orders
        var range = [Range<Int>](repeating: 0..<0, count: rank.count)
        var k = 0
        while k < orders.count {
            var end = k + 1
            while end < orders.count, orders[end].item == orders[k].item { end += 1 }
            range[orders[k].item] = k..<end
            k = end
        }
        var byRank = [Int](repeating: 0, count: rank.count)
        for (item, position) in rank.enumerated() { byRank[position] = item }
        var csv = CSVWriter(header: ["item", "kind", "quantity", "release_date", "due_date"])
        var mine: [PlannedOrder] = []
        for item in byRank where !range[item].isEmpty {
            mine.removeAll(keepingCapacity: true)
            mine.append(contentsOf: orders[range[item]])
            mine.sort {
                if $0.dueBucket != $1.dueBucket { return $0.dueBucket < $1.dueBucket }
                if $0.releaseBucket != $1.releaseBucket { return $0.releaseBucket < $1.releaseBucket }
                return $0.quantity > $1.quantity
            }
            for order in mine {
                csv.field(item, of: names)
                csv.field(order.kind == .make ? 0 : 1, of: kinds)
                csv.field(order.quantity)
                csv.field(order.releaseBucket, of: dates)
                csv.field(order.dueBucket, of: dates)
                csv.endRow()
            }
        }
        return csv.bytes
    }

    /// One row per buy order, grouped by chosen supplier (empty when the item has none),
    /// priced at the supplier's `unit_price` (else the item's `unit_cost`).
    public static func purchaseSuggestions(_ result: PlanResult, rank: ContiguousArray<Int>) -> [UInt8] {
        let model = result.model
        let names = model.items.names
        let dates = result.mrp.calendar.bucketStart
        // Suppliers ranked by name (no supplier first), so the sort compares integers.
        let supplierOrder = model.supplierNames.indices.sorted { model.supplierNames[$0] < model.supplierNames[$1] }
        var supplierRank = [Int](repeating: 0, count: model.supplierNames.count)
        for (position, s) in supplierOrder.enumerated() { supplierRank[s] = position + 1 }
        func rankOf(_ order: PlannedOrder) -> Int { order.offer >= 0 ? supplierRank[model.offers[order.offer].supplier] : 0 }
        let orders = result.mrp.orders.filter { $0.kind == .buy }.sorted {
            let a = rankOf($0), b = rankOf($1)
            if a != b { return a < b }
            if $0.releaseBucket != $1.releaseBucket { return $0.releaseBucket < $1.releaseBucket }
            if $0.item != $1.item { return rank[$0.item] < rank[$1.item] }
            if $0.dueBucket != $1.dueBucket { return $0.dueBucket < $1.dueBucket }
            return $0.quantity > $1.quantity
        }
        var csv = CSVWriter(header: ["supplier", "item", "quantity", "order_date", "need_date", "unit_price", "amount", "late"])
        for order in orders {
            let price = SupplierChoice.price(of: order, model)
            csv.field(SupplierChoice.supplierName(of: order, model) ?? "")
            csv.field(names[order.item])
            csv.field(order.quantity)
            csv.field(dates[order.releaseBucket])
            csv.field(dates[order.dueBucket])
            csv.field(price)
            csv.field(order.quantity * price)
            csv.field(order.pastDue)
            csv.endRow()
        }
        return csv.bytes
    }

    public static func exceptions(_ result: PlanResult, rank: ContiguousArray<Int>) -> [UInt8] {
        let names = result.model.items.names
        let order = Dictionary(uniqueKeysWithValues: ExceptionKind.allCases.enumerated().map { ($1, $0) })
        let rows = result.mrp.exceptions.sorted {
            if $0.date != $1.date { return $0.date < $1.date }
            if $0.item != $1.item { return rank[$0.item] < rank[$1.item] }
            if $0.kind != $1.kind { return order[$0.kind]! < order[$1.kind]! }
            if $0.quantity != $1.quantity { return $0.quantity > $1.quantity }
            return $0.message < $1.message
        }
        var csv = CSVWriter(header: ["item", "type", "date", "quantity", "message"])
        for row in rows {
            csv.field(names[row.item])
            csv.field(row.kind.rawValue)
            csv.field(row.date)
            csv.field(row.quantity)
            csv.field(row.message)
            csv.endRow()
        }
        return csv.bytes
    }

    /// Pegging rows; rows with the same item, due date, end item, end date and source
    /// (orders split above `max_lot`) are summed.
    ///
    /// The largest file on big models (millions of rows), so rows are sorted on packed
    /// integer keys and written from pre-escaped name and date bytes.
    /// `pegging.csv`, pegged and written in one pass (`Pegging.walk`) in chunks of about
    /// 1 MB: item by item in planning order (end items first, then each lower level, in
    /// items.csv order within a level), each item's rows sorted by due date, end date, end
    /// item name and source, equal keys summed. Returns the number of rows written.
    @discardableResult
    public static func pegging(model: PlanningModel, mrp: MRPResult, rank: ContiguousArray<Int>,
                               emit: ([UInt8]) throws -> Void) throws -> Int {
        let sources = Pegging.sources(of: mrp)
        let sourceOrder = sources.indices.sorted { sources[$0] < sources[$1] }
        var sourceRank = [Int](repeating: 0, count: sources.count)
        for (position, s) in sourceOrder.enumerated() { sourceRank[s] = position }
        // (due, end bucket) and (end item rank, source rank), 20 bits a bucket.
        struct Key: Comparable {
            var major: UInt64
            var minor: UInt64
            var row: Int
            static func < (a: Key, b: Key) -> Bool { a.major != b.major ? a.major < b.major : a.minor < b.minor }
            static func == (a: Key, b: Key) -> Bool { a.major == b.major && a.minor == b.minor }
        }
        let names = EscapedFields(model.items.names)
        let dates = EscapedFields(days: mrp.calendar.bucketStart)
        let sourceNames = EscapedFields(sources)
        var csv = CSVWriter(header: ["item", "due_date", "quantity", "end_item", "end_date", "source"])
        var keys = [Key]()
        var written = 0
        try Pegging.walk(model: model, mrp: mrp) { item, rows in
            keys.removeAll(keepingCapacity: true)
            for (k, row) in rows.enumerated() {
                keys.append(Key(major: UInt64(row.dueBucket) << 20 | UInt64(row.endBucket),
                                minor: UInt64(rank[row.endItem]) << 32 | UInt64(sourceRank[row.source]), row: k))
            }
            keys.sort()
            var k = 0
            while k < keys.count {
                var quantity = rows[keys[k].row].quantity
                var next = k + 1
                while next < keys.count, keys[next] == keys[k] {
                    quantity += rows[keys[next].row].quantity
                    next += 1
                }
                if quantity > 1e-9 {
                    let row = rows[keys[k].row]
                    csv.field(item, of: names)
                    csv.field(row.dueBucket, of: dates)
                    csv.field(quantity)
                    csv.field(row.endItem, of: names)
                    csv.field(row.endBucket, of: dates)
                    csv.field(row.source, of: sourceNames)
                    csv.endRow()
                    written += 1
                }
                k = next
            }
            try csv.flush(atLeast: 1 << 20, emit)
        }
        try csv.flush(emit)
        return written
    }
}
