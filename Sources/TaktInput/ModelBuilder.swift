import TaktModel

/// Accumulates validated rows of the model files; one `read…` method per file (§1).
struct ModelBuilder {
    let root: String
    var items = ItemTable()
    var bom = BOM()
    var receipts: [OpenReceipt] = []
    var demand: [DemandRow] = []
    var supplierNames: [String] = []
    var supplierIds = NameIndex()
    var offers: [SupplierOffer] = []
    var workcenters: [WorkCenter] = []
    var workcenterIds = NameIndex()
    var routings: [RoutingStep] = []
    var gateCriteria: [GateCriterionRow] = []
    var decisions: [DecisionRow] = []
    /// items.csv `uom` texts met so far → their code in `items.uomNames`.
    var uomIndex: [String: UInt16] = ["pcs": 0]

    init(root: String) { self.root = root }

    /// The code of a unit of measure, added when new; at most 65,535 distinct units.
    mutating func uomCode(_ text: String, _ r: inout TableReader, line: Int) -> UInt16 {
        if let code = uomIndex[text] { return code }
        guard items.uomNames.count < Int(UInt16.max) else {
            r.sink.error(r.file, line, .tooManyUnits, column: "uom")
            return 0
        }
        let code = UInt16(items.uomNames.count)
        items.uomNames.append(text)
        uomIndex[text] = code
        return code
    }

    /// How many rows ahead a reader fetches the name slot it will look up (`NameIndex.prefetch`).
    static let lookahead = 4

    /// Looks up an item named in `column`, reporting an unknown one.
    /// The name is matched from the field's bytes; a `String` is made only for a message.
    func item(_ reader: inout TableReader, _ row: Int, _ column: Int, _ name: String) -> Int? {
        // The rows are read in order: the name `lookahead` rows on is fetched now.
        if row + Self.lookahead < reader.table.rowCount {
            reader.table.withField(row + Self.lookahead, column) { items.nameIndex.prefetch($0) }
        }
        if let id = reader.table.withField(row, column, { $0.isEmpty ? nil : items.nameIndex.find($0) }) { return id }
        guard let key = reader.key(row, column, name) else { return nil }
        reader.sink.error(reader.file, reader.table.line(row), .unknownName(.item, key), column: name)
        return nil
    }

    mutating func readWorkCenters(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["workcenter", "hours_per_day"]) else { return }
        let days = r.optional("days_per_week"), overtime = r.optional("overtime_hours_per_week")
        let overtimeCost = r.optional("overtime_cost_per_hour"), hourCost = r.optional("cost_per_hour")
        for row in 0..<table.rowCount {
            guard let name = r.key(row, cols[0], "workcenter") else { continue }
            let line = table.line(row)
            if let first = workcenterIds.find(name) {
                r.sink.error(r.file, line, .duplicateName(.workcenter, name, firstLine: workcenters[first].line), column: "workcenter")
                continue
            }
            let hours = r.number(row, cols[1], "hours_per_day", default: nil, rule: .nonNegative) ?? 0
            var perWeek = r.number(row, days, "days_per_week", default: 5, rule: .nonNegative) ?? 5
            if perWeek > 7 {
                r.sink.error(r.file, line, .atMost(field: "days_per_week", limit: 7, text: r.text(row, days)), column: "days_per_week")
                perWeek = 5
            }
            let ot = r.number(row, overtime, "overtime_hours_per_week", default: 0, rule: .nonNegative) ?? 0
            var otCost = r.number(row, overtimeCost, "overtime_cost_per_hour", default: 0, rule: .nonNegative) ?? 0
            if otCost > PlanParser.largestLPCost {
                r.sink.error(r.file, line, .beyondSolverLimit(field: "overtime_cost_per_hour", text: r.text(row, overtimeCost)),
                             column: "overtime_cost_per_hour")
                otCost = 0
            }
            workcenterIds.append(name)
            var center = WorkCenter(name: name, hoursPerDay: hours, daysPerWeek: perWeek,
                                    overtimeHoursPerWeek: ot, overtimeCostPerHour: otCost, line: line)
            center.costPerHour = r.number(row, hourCost, "cost_per_hour", default: 0, rule: .nonNegative) ?? 0
            workcenters.append(center)
        }
    }

    /// The optional columns of items.csv (-1 when absent).
    struct ItemColumns {
        let type: Int
        let description, uom, lead, rule, size, minLot, maxLot, multiple, safety, yield, cost, orderCost, wc, run, setup: Int

        init(_ r: TableReader, type: Int) {
            self.type = type
            description = r.optional("description")
            uom = r.optional("uom")
            lead = r.optional("lead_time_days")
            rule = r.optional("lot_rule")
            size = r.optional("lot_size")
            minLot = r.optional("min_lot")
            maxLot = r.optional("max_lot")
            multiple = r.optional("lot_multiple")
            safety = r.optional("safety_stock")
            yield = r.optional("yield_pct")
            cost = r.optional("unit_cost")
            orderCost = r.optional("order_cost")
            wc = r.optional("workcenter")
            run = r.optional("run_hours")
            setup = r.optional("setup_hours")
        }

        /// `type` and `lot_rule` read from the field's bytes packed in a word, against their
        /// names packed once (`init?(name:)` reads the same): no `String` a row.
        let types = Words(ItemType.self), rules = Words(LotRule.self)

        struct Words<T: CaseIterable & CustomStringConvertible> {
            let cases: [(key: UInt64, value: T)]

            init(_: T.Type) {
                cases = T.allCases.compactMap { value in packed(value.description).map { ($0, value) } }
            }

            /// The case whose name `bytes` spell exactly.
            func callAsFunction(_ bytes: UnsafeBufferPointer<UInt8>) -> T? {
                guard let key = packed(bytes) else { return nil }
                for entry in cases where entry.key == key { return entry.value }
                return nil
            }
        }

        /// Up to eight bytes in a word, the first lowest; nil when longer or empty.
        @inline(__always)
        static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
            guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
            var word: UInt64 = 0
            for k in 0..<bytes.count { word |= UInt64(bytes[k]) << (8 * k) }
            return word
        }

        static func packed(_ name: String) -> UInt64? {
            var name = name
            return name.withUTF8 { packed($0) }
        }
    }

    /// items.csv row by row: a row without a name or with a name seen before is reported
    /// and skipped; the others get the next ids.
    mutating func readItems(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["item", "type"]) else { return }
        if table.rowCount == 0 { r.sink.error(r.file, table.headerLine, .noItems) }
        let columns = ItemColumns(r, type: cols[1])
        items.reserveNames(table.rowCount)
        items.reserveColumns(table.rowCount)
        for row in 0..<table.rowCount {
            guard let name = r.key(row, cols[0], "item") else { continue }
            let line = table.line(row)
            if let first = items.id(name) {
                r.sink.error(r.file, line, .duplicateName(.item, name, firstLine: items.line[first]), column: "item")
                continue
            }
            items.nameIndex.append(name)
            items.names.append(name)
            readItemColumns(row, columns, &r)
            items.onHand.append(0)
            items.line.append(line)
        }
    }

    /// The first half of reading items.csv on two cores: the names alone, when every row
    /// has one and no name repeats (then ids are row numbers). Returns false, keeping
    /// nothing, otherwise: `readItems` then reads the file row by row and reports it.
    /// The other files need only the names, so they are read while `readItemColumns`
    /// reads the rest of items.csv.
    mutating func readItemNames(_ table: CSVTable) -> Bool {
        guard let nameColumn = table.column("item"), table.column("type") != nil, table.rowCount > 0 else { return false }
        var names = ItemTable()
        names.reserveNames(table.rowCount)
        for row in 0..<table.rowCount {
            if row + Self.lookahead < table.rowCount {
                table.withField(row + Self.lookahead, nameColumn) { names.nameIndex.prefetch($0) }
            }
            // A blank or repeated name: the row-by-row reading reports it.
            let name: String? = table.withField(row, nameColumn) { bytes in
                bytes.isEmpty || names.nameIndex.appendIfAbsent(bytes) == nil ? nil : String(decoding: bytes, as: UTF8.self)
            }
            guard let name else { return false }
            names.names.append(name)
            names.onHand.append(0)
            names.line.append(table.line(row))
        }
        items = names
        return true
    }

    /// The second half: every other column of every row, with its problems reported in
    /// row order (the same messages as `readItems`, which finds no name problem here).
    mutating func readItemColumns(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        let columns = ItemColumns(r, type: table.column("type")!)
        items.reserveColumns(table.rowCount)
        for row in 0..<table.rowCount { readItemColumns(row, columns, &r) }
    }

    /// Appends one row's columns but the name (and the line and on-hand, which go with it).
    private mutating func readItemColumns(_ row: Int, _ c: ItemColumns, _ r: inout TableReader) {
        let line = r.table.line(row)
        let type = r.table.withField(row, c.type) { c.types($0) }
        if type == nil {
            r.sink.error(r.file, line, .unknownType(r.text(row, c.type)), column: "type")
        }
        var lotRule = LotRule.lfl
        if !r.isBlank(row, c.rule) {
            if let parsed = r.table.withField(row, c.rule, { c.rules($0) }) {
                lotRule = parsed
            } else {
                r.sink.error(r.file, line, .unknownLotRule(r.text(row, c.rule)), column: "lot_rule")
            }
        }
        let errorsBefore = r.sink.count
        let lotSize = r.number(row, c.size, "lot_size", default: 0, rule: .nonNegative) ?? 0
        if lotRule == .foq || lotRule == .poq, lotSize <= 0, r.sink.count == errorsBefore {
            r.sink.error(r.file, line, .lotSizeMissing(rule: "\(lotRule)"), column: "lot_size")
        }
        var workcenter = -1
        if !r.isBlank(row, c.wc) {
            if let id = r.table.withField(row, c.wc, { workcenterIds.find($0) }) {
                workcenter = id
            } else {
                let wcName = r.text(row, c.wc)
                r.sink.error(r.file, line, .unknownName(.workcenter, wcName), column: "workcenter")
            }
        }
        items.type.append(type ?? .buy)
        r.table.withField(row, c.description) { items.itemDescription.append(utf8: $0) }
        items.uomCode.append(c.uom < 0 || r.isBlank(row, c.uom) ? 0 : uomCode(r.text(row, c.uom), &r, line: line))
        items.leadTimeDays.append(r.number(row, c.lead, "lead_time_days", default: 0, rule: .days) ?? 0)
        items.lotRule.append(lotRule)
        items.lotSize.append(lotSize)
        items.minLot.append(r.number(row, c.minLot, "min_lot", default: 0, rule: .nonNegative) ?? 0)
        // A maximum or multiple below what the outputs can write (6 decimals) would make
        // orders of quantity 0.
        let maxValue = r.number(row, c.maxLot, "max_lot", default: 0, rule: .nonNegative) ?? 0
        let multipleValue = r.number(row, c.multiple, "lot_multiple", default: 0, rule: .nonNegative) ?? 0
        if maxValue > 0 && maxValue < 1e-6 {
            r.sink.error(r.file, line, .belowOutputPrecision(field: "max_lot", text: r.text(row, c.maxLot)), column: "max_lot")
        }
        if multipleValue > 0 && multipleValue < 1e-6 {
            r.sink.error(r.file, line, .belowOutputPrecision(field: "lot_multiple", text: r.text(row, c.multiple)), column: "lot_multiple")
        }
        items.maxLot.append(maxValue)
        items.lotMultiple.append(multipleValue)
        items.safetyStock.append(r.number(row, c.safety, "safety_stock", default: 0, rule: .nonNegative) ?? 0)
        items.yieldPct.append(r.number(row, c.yield, "yield_pct", default: 100, rule: .percentAboveZero) ?? 100)
        items.unitCost.append(r.number(row, c.cost, "unit_cost", default: 0, rule: .nonNegative) ?? 0)
        items.orderCost.append(r.number(row, c.orderCost, "order_cost", default: 0, rule: .nonNegative) ?? 0)
        items.workcenter.append(workcenter)
        items.runHours.append(r.number(row, c.run, "run_hours", default: 0, rule: .nonNegative) ?? 0)
        items.setupHours.append(r.number(row, c.setup, "setup_hours", default: 0, rule: .nonNegative) ?? 0)
    }

    /// Reads the BOM lines of `rows` into `bom`, in file order: a part of the file, read
    /// beside the other parts; duplicates are left for `joinBOM`, which sees every part.
    /// Only the `first` part reports a missing column.
    mutating func readBOM(_ table: CSVTable, rows: Range<Int>, first: Bool, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        let required = ["parent", "component", "qty_per"]
        guard required.allSatisfy({ table.column($0) != nil }) else {
            if first { _ = r.require(required) }
            return
        }
        let cols = required.map { table.column($0)! }
        let scrap = r.optional("scrap_pct"), from = r.optional("effective_from"), to = r.optional("effective_to")
        // The first part has room for every line: the others are joined onto it in place.
        bom.reserveCapacity(bom.count + (first ? table.rowCount : rows.count))
        for row in rows {
            let line = table.line(row)
            let parent = item(&r, row, cols[0], "parent")
            let component = item(&r, row, cols[1], "component")
            let qty = r.number(row, cols[2], "qty_per", default: nil, rule: .positive)
            let scrapPct = r.number(row, scrap, "scrap_pct", default: 0, rule: .nonNegative) ?? 0
            let effectiveFrom = r.date(row, from, "effective_from", required: false)?.number ?? Int.min
            // An `effective_to` before `effective_from` is no error in §1: the line is never
            // in effect, and `PlanWarnings` says so.
            let effectiveTo = r.date(row, to, "effective_to", required: false)?.number ?? Int.max
            guard let p = parent, let c = component, let q = qty else { continue }
            if p == c {
                r.sink.error(r.file, line, .bomCycle([items.names[p], items.names[p]]))
                continue
            }
            bom.append(parent: p, component: c, qtyPer: q, scrapPct: scrapPct,
                       effectiveFrom: effectiveFrom, effectiveTo: effectiveTo, line: line)
        }
    }

    /// `bom` made of `first` and `rest` (read from consecutive rows of one file) in order:
    /// `first` grows in place when it is the only copy and has room. Each line
    /// repeating an earlier (parent, component, effective_from) dropped with an error that
    /// names the first. Found parent by parent (lines grouped as the BOM's own index
    /// groups them, `BOM.csr`, in file order), by `BOM.firstEarlier`.
    /// Returns that grouping when no line was dropped, for `BOM.buildIndex` to keep.
    @discardableResult
    mutating func joinBOM(_ first: consuming BOM, then rest: [BOM], file: String,
                          _ sink: inout DiagnosticSink) -> (start: Int32Column, order: Int32Column)? {
        bom = consume first
        for part in rest { bom.append(contentsOf: part) }
        let (start, byParent) = BOM.csr(keys: bom.parent, count: items.count)
        let from = bom.effectiveFrom.storage
        let repeated = BOM.firstEarlier(start: start, byParent: byParent, component: bom.component) { from[$0] == from[$1] }
        var drop: [Bool] = []
        if !repeated.isEmpty {
            drop = [Bool](repeating: false, count: bom.count)
            for (l, _) in repeated { drop[l] = true }
        }
        // Reported in line order (the sink keeps the first ones).
        for (l, first) in repeated {
            sink.error(file, bom.sourceLine[l], .duplicateBOMLine(parent: items.names[bom.parent[l]], component: items.names[bom.component[l]],
                                                    firstLine: bom.sourceLine[first]))
        }
        guard drop.isEmpty else {
            bom.removeLines(drop)
            return nil
        }
        return (start, byParent)
    }

    /// Resolves plan.yaml's products to items (contract §1: a product must be an item).
    func resolveProducts(_ entries: [PlanParser.ProductEntry], file: String, _ sink: inout DiagnosticSink) -> [RampProduct] {
        var products: [RampProduct] = []
        for entry in entries {
            guard let id = items.id(entry.item) else {
                sink.error(file, entry.line, .productNotAnItem(entry.item), column: "item")
                continue
            }
            products.append(RampProduct(item: id, fullRatePerWeek: entry.fullRatePerWeek, line: entry.line,
                                         backlogPerUnitWeek: entry.backlogPerUnitWeek))
        }
        return products
    }
}
