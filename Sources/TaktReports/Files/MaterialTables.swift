import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// The material files of `takt plan` (contract §4): planned orders, purchase
/// suggestions, exceptions and pegging. Rows are sorted so the same model always gives
/// the same bytes.
public enum MaterialTables {
    /// What the tables need of the items, made once per run: each item's place in name
    /// order and its name escaped as a CSV field.
    public struct ItemLabels: Sendable {
        public let rank: ContiguousArray<Int>
        public let names: EscapedFields

        /// `rank`: the items' name order when already made (`ItemTable.nameRank`).
        public init(_ items: ItemTable, rank: ContiguousArray<Int>? = nil) {
            self.rank = rank ?? items.nameRank()
            names = EscapedFields(items.names)
        }
    }

    /// `planned_orders.csv` (`PlannedOrderTable`: by item name, due date, release date and
    /// quantity, largest first), block after block on this thread, in chunks of about 1 MB.
    public static func plannedOrders(mrp: MRPResult, projection: Projection, labels: ItemLabels,
                                     emit: ([UInt8]) throws -> Void) rethrows {
        let table = PlannedOrderTable(mrp: mrp, projection: projection, labels: labels)
        for block in 0..<table.blockCount { try table.render(block, emit: emit) }
    }

    /// `deliveries.csv` (contract §2d): one row per independent requirement, by item name,
    /// need date, then allocation order; `projected_date` and `days_late` empty when not
    /// delivered within the horizon, `cause` empty when on time.
    public static func deliveries(model: PlanningModel, calendar: BucketCalendar, projection: Projection) -> [UInt8] {
        var csv = CSVWriter(header: ["item", "source", "need_date", "quantity", "late_quantity", "projected_date", "days_late",
                                     "cause"])
        let dates = calendar.bucketStart
        for delivery in projection.deliveries {
            csv.field(model.items.names[delivery.item])
            csv.field(delivery.source)
            csv.field(dates[delivery.needBucket].description)
            csv.field(delivery.quantity)
            csv.field(delivery.lateQuantity)
            if let available = delivery.availableBucket {
                csv.field(dates[available].description)
                csv.field(Double(dates[available].number - dates[delivery.needBucket].number))
            } else {
                csv.field("")
                csv.field("")
            }
            switch delivery.cause {
            case .item(let item)?: csv.field(model.items.names[item])
            case .capacity?: csv.field("capacity")
            case nil: csv.field("")
            }
            csv.endRow()
        }
        return csv.bytes
    }

    /// The chunk size of the tables written in parts.
    static let chunk = 1 << 20

    /// One row per buy order, grouped by chosen supplier (empty when the item has none),
    /// priced at the supplier's `unit_price` (else the item's `unit_cost`). Emitted in
    /// chunks of about 1 MB (`PurchaseSuggestionTable`, one supplier after the other).
    public static func purchaseSuggestions(model: PlanningModel, mrp: MRPResult, projection: Projection, labels: ItemLabels,
                                           emit: ([UInt8]) throws -> Void) rethrows {
        let table = PurchaseSuggestionTable(model: model, mrp: mrp, projection: projection, labels: labels)
        // The suppliers' chunks gathered into about 1 MB each (a small supplier's is small).
        var pending = PurchaseSuggestionTable.header
        for supplier in 0..<table.supplierCount {
            try table.render(supplier) { chunk in
                pending.append(contentsOf: chunk)
                if pending.count >= Self.chunk {
                    try emit(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }
        if !pending.isEmpty { try emit(pending) }
    }

    /// Sorted by date, then name (item, or work center for `overload`), type, quantity
    /// (largest first) and message.
    public static func exceptions(model: PlanningModel, mrp: MRPResult, labels: ItemLabels) -> [UInt8] {
        let rank = labels.rank
        let names = model.items.names
        func name(_ row: MRPException) -> String { row.item >= 0 ? names[row.item] : model.workcenters[row.workcenter].name }
        let order = Dictionary(uniqueKeysWithValues: ExceptionKind.allCases.enumerated().map { ($1, $0) })
        let rows = mrp.exceptions.sorted {
            if $0.date != $1.date { return $0.date < $1.date }
            if $0.item >= 0 && $1.item >= 0 {
                if $0.item != $1.item { return rank[$0.item] < rank[$1.item] }
            } else if name($0) != name($1) {
                return name($0) < name($1)
            }
            if $0.kind != $1.kind { return order[$0.kind]! < order[$1.kind]! }
            if $0.quantity != $1.quantity { return $0.quantity > $1.quantity }
            return !$0.messageEquals($1) && $0.message < $1.message
        }
        var csv = CSVWriter(header: ["item", "type", "date", "quantity", "message", "short_quantity"])
        for row in rows {
            csv.field(name(row))
            csv.field(row.kind.rawValue)
            csv.field(row.date)
            csv.field(row.quantity)
            csv.field(row.message)
            if row.kind == .pastDue { csv.field(row.shortQuantity) } else { csv.field("") }
            csv.endRow()
        }
        return csv.bytes
    }

    /// `mps.csv` (§4): per product (name order) and phase week, the ramp target, demand,
    /// open receipts, and the LP's completions, inventory and backlog.
    public static func masterSchedule(model: PlanningModel, mps: MasterSchedule) -> [UInt8] {
        let products = model.plan.products
        let productOrder = products.indices.sorted {
            let a = model.items.names[products[$0].item], b = model.items.names[products[$1].item]
            return a != b ? a < b : $0 < $1
        }
        var rowsOf = [[MasterSchedule.Row]](repeating: [], count: products.count)
        for row in mps.rows { rowsOf[row.product].append(row) }
        var csv = CSVWriter(header: ["product", "week", "phase", "target", "demand", "receipts", "planned", "inventory", "backlog"])
        for p in productOrder {
            for row in rowsOf[p] {
                csv.field(model.items.names[products[p].item])
                csv.field(mps.weekly.bucketStart[row.week])
                csv.field(model.plan.phases[row.phase].name)
                csv.field(row.target)
                csv.field(row.demand)
                csv.field(row.receipts)
                csv.field(row.planned)
                csv.field(row.inventory)
                csv.field(row.backlog)
                csv.endRow()
            }
        }
        return csv.bytes
    }

    /// `pegging.csv`, pegged and written in one pass (`Pegging.walk`) in chunks of about
    /// 1 MB: item by item in planning order (end items first, then each lower level, in
    /// items.csv order within a level), each item's rows sorted by due date, end date, end
    /// item name and source on packed integer keys; rows with equal keys (orders split
    /// above `max_lot`) are summed. Returns the number of rows written.
    ///
    /// Pegging runs here while `workers.pipeline` sorts, formats and emits the rows of the
    /// items already pegged (a thread of its own in a run), in batches of about 64k rows
    /// (two batches at most wait).
    @discardableResult
    public static func pegging(model: PlanningModel, mrp: MRPResult, labels: ItemLabels,
                               workers: some Workers = SerialWorkers(), emit: ([UInt8]) throws -> Void) throws -> Int {
        let requirements = Pegging.Requirements(mrp)
        return try withoutActuallyEscaping(emit) { emit in
            let formatter = PegFormatter(requirements: requirements, labels: labels,
                                         dates: EscapedFields(days: mrp.calendar.bucketStart), emit: emit)
            // Three batches take turns: one filling here, at most two waiting or formatting.
            let spare = ConcurrentStack<PegFormatter.Batch>()
            workers.pipeline(depth: 2, consume: { (full: PegFormatter.Batch) in
                formatter.format(full)
                full.clear()
                spare.push(full)
            }) { send in
                var batch = PegFormatter.Batch()
                func flush() {
                    send(batch)
                    batch = spare.pop() ?? PegFormatter.Batch()
                }
                Pegging.walk(model: model, mrp: mrp, requirements: requirements, workers: workers) { item, rows in
                    batch.items.append(item)
                    batch.rows.append(contentsOf: rows)
                    batch.ends.append(batch.rows.count)
                    if batch.rows.count >= 1 << 16 { flush() }
                }
                send(batch)
            }
            return try formatter.finish()
        }
    }
}

/// Sorts, formats and emits pegging rows batch by batch on one serial queue (see
/// `MaterialTables.pegging`); the first failure of `emit` stops the output.
private final class PegFormatter: @unchecked Sendable {
    /// The rows of consecutive items: item `items[k]` owns `rows[ends[k-1]..<ends[k]]`.
    /// A class, so that a batch goes back and forth between the queues without copies,
    /// its buffers reused.
    final class Batch: @unchecked Sendable {
        var items: [Int] = []
        var ends: [Int] = []
        var rows = ContiguousArray<PegLink>()

        func clear() {
            items.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
        }
    }

    /// A row's place in its item's output: due bucket << 40 | the requirement's output rank.
    struct Key: Comparable {
        var order: UInt64
        var row: Int
        static func < (a: Key, b: Key) -> Bool { a.order < b.order }
        static func == (a: Key, b: Key) -> Bool { a.order == b.order }
    }

    let names: EscapedFields
    let dates: EscapedFields
    let sources: EscapedFields
    let requirements: Pegging.Requirements
    /// Each requirement's rank in output order: end date, end item name, source name.
    let outputRank: [UInt64]
    let emit: ([UInt8]) throws -> Void
    var csv = CSVWriter(header: ["item", "due_date", "quantity", "end_item", "end_date", "source"])
    var keys: [Key] = []
    var written = 0
    var failure: Error?
    /// Rows are assembled here and handed to `csv` about 64 kB at a time.
    var rows: RowAssembler

    init(requirements: Pegging.Requirements, labels: MaterialTables.ItemLabels, dates: EscapedFields,
         emit: @escaping ([UInt8]) throws -> Void) {
        let sources = requirements.sources
        let sourceOrder = sources.indices.sorted { sources[$0] < sources[$1] }
        var sourceRank = [Int](repeating: 0, count: sources.count)
        for (position, s) in sourceOrder.enumerated() { sourceRank[s] = position }
        let rank = labels.rank
        let order = (0..<requirements.count).sorted { a, b in
            let x = requirements, ea = x.endBucket[a], eb = x.endBucket[b]
            if ea != eb { return ea < eb }
            let ia = rank[Int(x.endItem[a])], ib = rank[Int(x.endItem[b])]
            if ia != ib { return ia < ib }
            return sourceRank[Int(x.source[a])] < sourceRank[Int(x.source[b])]
        }
        var outputRank = [UInt64](repeating: 0, count: requirements.count)
        for (position, r) in order.enumerated() { outputRank[r] = UInt64(position) }
        self.outputRank = outputRank
        self.requirements = requirements
        self.names = labels.names
        self.dates = dates
        self.sources = EscapedFields(sources)
        self.emit = emit
        rows = RowAssembler(rowLimit: 2 * names.maxLength + 2 * dates.maxLength + self.sources.maxLength
                            + NumberFormat.maxFastWidth + 6)
    }

    deinit { rows.release() }

    func format(_ batch: Batch) {
        guard failure == nil else { return }
        names.withRaw { nameBytes, nameStart in
            dates.withRaw { dateBytes, dateStart in
                sources.withRaw { sourceBytes, sourceStart in
                    var start = 0
                    for (k, item) in batch.items.enumerated() {
                        let end = batch.ends[k]
                        keys.removeAll(keepingCapacity: true)
                        for r in start..<end {
                            let row = batch.rows[r]
                            keys.append(Key(order: UInt64(row.dueBucket) << 40 | outputRank[Int(row.requirement)], row: r))
                        }
                        start = end
                        keys.sort()
                        var i = 0
                        while i < keys.count {
                            var quantity = batch.rows[keys[i].row].quantity
                            var next = i + 1
                            while next < keys.count, keys[next] == keys[i] {
                                quantity += batch.rows[keys[next].row].quantity
                                next += 1
                            }
                            if quantity > 1e-9 {
                                let row = batch.rows[keys[i].row]
                                let due = Int(row.dueBucket), requirement = Int(row.requirement)
                                let endItem = Int(requirements.endItem[requirement])
                                let endBucket = Int(requirements.endBucket[requirement])
                                let source = Int(requirements.source[requirement])
                                let rowStart = rows.used
                                rows.put(nameBytes, nameStart, item)
                                rows.put(0x2C)
                                rows.put(dateBytes, dateStart, due)
                                rows.put(0x2C)
                                if rows.put(number: quantity) {
                                    rows.put(0x2C)
                                    rows.put(nameBytes, nameStart, endItem)
                                    rows.put(0x2C)
                                    rows.put(dateBytes, dateStart, endBucket)
                                    rows.put(0x2C)
                                    rows.put(sourceBytes, sourceStart, source)
                                    rows.put(0x0A)
                                } else {
                                    // A quantity too large for the fast path: this row field by field.
                                    rows.rewind(to: rowStart)
                                    rows.handOver(to: &csv)
                                    csv.field(item, of: names)
                                    csv.field(due, of: dates)
                                    csv.field(quantity)
                                    csv.field(endItem, of: names)
                                    csv.field(endBucket, of: dates)
                                    csv.field(source, of: sources)
                                    csv.endRow()
                                }
                                if rows.isFull { rows.handOver(to: &csv) }
                                written += 1
                            }
                            i = next
                        }
                    }
                    rows.handOver(to: &csv)
                }
            }
        }
        do { try csv.flush(atLeast: 1 << 20, emit) } catch { failure = error }
    }

    /// Emits what is left; the rows written, or the first failure.
    func finish() throws -> Int {
        if let failure { throw failure }
        try csv.flush(emit)
        return written
    }
}
