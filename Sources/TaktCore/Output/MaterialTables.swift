/// The material files of `takt plan` (contract §4): planned orders, purchase
/// suggestions, exceptions and pegging. Rows are sorted so the same model always gives
/// the same bytes.
public enum MaterialTables {
    public static func plannedOrders(_ result: PlanResult) -> [UInt8] {
        let names = result.model.items.names
        let dates = result.mrp.calendar.bucketStart
        let orders = result.mrp.orders.sorted {
            if $0.item != $1.item { return names[$0.item] < names[$1.item] }
            if $0.dueBucket != $1.dueBucket { return $0.dueBucket < $1.dueBucket }
            if $0.releaseBucket != $1.releaseBucket { return $0.releaseBucket < $1.releaseBucket }
            return $0.quantity > $1.quantity
        }
        var csv = CSVWriter(header: ["item", "kind", "quantity", "release_date", "due_date"])
        for order in orders {
            csv.field(names[order.item])
            csv.field(order.kind.description)
            csv.field(order.quantity)
            csv.field(dates[order.releaseBucket])
            csv.field(dates[order.dueBucket])
            csv.endRow()
        }
        return csv.bytes
    }

    /// One row per buy order, grouped by chosen supplier (empty when the item has none),
    /// priced at the supplier's `unit_price` (else the item's `unit_cost`).
    public static func purchaseSuggestions(_ result: PlanResult) -> [UInt8] {
        let model = result.model
        let names = model.items.names
        let dates = result.mrp.calendar.bucketStart
        func supplier(_ order: PlannedOrder) -> String {
            order.offer >= 0 ? model.supplierNames[model.offers[order.offer].supplier] : ""
        }
        let orders = result.mrp.orders.filter { $0.kind == .buy }.sorted {
            let a = supplier($0), b = supplier($1)
            if a != b { return a < b }
            if $0.releaseBucket != $1.releaseBucket { return $0.releaseBucket < $1.releaseBucket }
            if $0.item != $1.item { return names[$0.item] < names[$1.item] }
            if $0.dueBucket != $1.dueBucket { return $0.dueBucket < $1.dueBucket }
            return $0.quantity > $1.quantity
        }
        var csv = CSVWriter(header: ["supplier", "item", "quantity", "order_date", "need_date", "unit_price", "amount", "late"])
        for order in orders {
            let price = order.offer >= 0 ? SupplierChoice.price(model.offers[order.offer], model) : model.items.unitCost[order.item]
            csv.field(supplier(order))
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

    public static func exceptions(_ result: PlanResult) -> [UInt8] {
        let names = result.model.items.names
        let order = Dictionary(uniqueKeysWithValues: ExceptionKind.allCases.enumerated().map { ($1, $0) })
        let rows = result.mrp.exceptions.sorted {
            if $0.date != $1.date { return $0.date < $1.date }
            if $0.item != $1.item { return names[$0.item] < names[$1.item] }
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
    public static func pegging(_ result: PlanResult) -> [UInt8] {
        let names = result.model.items.names
        let dates = result.mrp.calendar.bucketStart
        struct Key: Hashable { var item: Int, due: Int, endItem: Int, endBucket: Int, source: String }
        var sums: [Key: Double] = [:]
        for row in result.pegging {
            sums[Key(item: row.item, due: row.dueBucket, endItem: row.endItem, endBucket: row.endBucket, source: row.source), default: 0] += row.quantity
        }
        let keys = sums.keys.sorted {
            if $0.item != $1.item { return names[$0.item] < names[$1.item] }
            if $0.due != $1.due { return $0.due < $1.due }
            if $0.endBucket != $1.endBucket { return $0.endBucket < $1.endBucket }
            if $0.endItem != $1.endItem { return names[$0.endItem] < names[$1.endItem] }
            return $0.source < $1.source
        }
        var csv = CSVWriter(header: ["item", "due_date", "quantity", "end_item", "end_date", "source"])
        for key in keys where sums[key]! > 1e-9 {
            csv.field(names[key.item])
            csv.field(dates[key.due])
            csv.field(sums[key]!)
            csv.field(names[key.endItem])
            csv.field(dates[key.endBucket])
            csv.field(key.source)
            csv.endRow()
        }
        return csv.bytes
    }
}
