import TaktModel

/// Readers of the supply-side files: inventory, suppliers, receipts, demand, routings (§1).
extension ModelBuilder {
    mutating func readInventory(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["item", "on_hand"]) else { return }
        var firstLine = [Int](repeating: 0, count: items.count)
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let id = item(&r, row, cols[0], "item")
            let onHand = r.number(row, cols[1], "on_hand", default: nil, rule: .nonNegative)
            guard let i = id, let q = onHand else { continue }
            if firstLine[i] > 0 {
                r.sink.error(r.file, line, .duplicateName(.item, items.names[i], firstLine: firstLine[i]), column: "item")
                continue
            }
            firstLine[i] = line
            items.onHand[i] = q
        }
    }

    mutating func readSuppliers(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["supplier", "item"]) else { return }
        let lead = r.optional("lead_time_days"), moq = r.optional("moq"), multiple = r.optional("lot_multiple")
        let price = r.optional("unit_price"), contracted = r.optional("contracted")
        let onTime = r.optional("on_time_pct"), preferred = r.optional("preferred")
        // A repeated (supplier, item) is found among the item's earlier offers, chained from
        // its latest: an item has a few offers, often on the rows just before, where a hash
        // set of every pair meets a cold slot a row at 1M offers.
        let first = offers.count
        var latestOffer = ContiguousArray<Int32>(repeating: -1, count: items.count)
        var earlierOffer = ContiguousArray<Int32>()
        earlierOffer.reserveCapacity(table.rowCount)
        offers.reserveCapacity(offers.count + table.rowCount) // exactly: a million offers at 1M items
        for row in 0..<table.rowCount {
            let line = table.line(row)
            // The supplier from the field's bytes: a `String` only for a name met first here.
            var known = table.withField(row, cols[0]) { $0.isEmpty ? nil : supplierIds.find($0) }
            let name = known == nil ? r.key(row, cols[0], "supplier") : nil
            let id = item(&r, row, cols[1], "item")
            let offerLead = r.isBlank(row, lead) ? nil : r.number(row, lead, "lead_time_days", default: 0, rule: .days)
            let offerMOQ = r.number(row, moq, "moq", default: 0, rule: .nonNegative) ?? 0
            let offerMultiple = r.number(row, multiple, "lot_multiple", default: 0, rule: .nonNegative) ?? 0
            let offerPrice = r.isBlank(row, price) ? nil : r.number(row, price, "unit_price", default: 0, rule: .nonNegative)
            let isContracted = r.bool(row, contracted, "contracted", default: false)
            let onTimePct = r.number(row, onTime, "on_time_pct", default: 100, rule: .percent) ?? 100
            let isPreferred = r.bool(row, preferred, "preferred", default: false)
            guard known != nil || name != nil, let i = id else { continue }
            if let supplier = known {
                var k = Int(latestOffer[i])
                while k >= 0, offers[first + k].supplier != supplier { k = Int(earlierOffer[k]) }
                if k >= 0 {
                    r.sink.error(r.file, line, .duplicateSupplier(supplier: r.text(row, cols[0]), item: items.names[i],
                                                                  firstLine: offers[first + k].line), column: "supplier")
                    continue
                }
            } else if let name {
                // A new name (its first spelling kept for the outputs).
                known = supplierIds.append(name)
                supplierNames.append(name)
            }
            earlierOffer.append(latestOffer[i])
            latestOffer[i] = Int32(offers.count - first)
            offers.append(SupplierOffer(supplier: known!, item: i, leadTimeDays: offerLead, moq: offerMOQ,
                                        lotMultiple: offerMultiple, unitPrice: offerPrice, contracted: isContracted,
                                        onTimePct: onTimePct, preferred: isPreferred, line: line))
        }
    }

    mutating func readReceipts(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["item", "quantity", "due_date"]) else { return }
        let reference = r.optional("reference"), supplierColumn = r.optional("supplier")
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let id = item(&r, row, cols[0], "item")
            let quantity = r.number(row, cols[1], "quantity", default: nil, rule: .nonNegative)
            let due = r.date(row, cols[2], "due_date", required: true)
            var supplier = -1
            if !r.isBlank(row, supplierColumn) {
                let name = r.text(row, supplierColumn)
                if let s = supplierIds.find(name) {
                    supplier = s
                } else {
                    r.sink.error(r.file, line, .unknownName(.supplier, name), column: "supplier")
                }
            }
            guard let i = id, let q = quantity, let d = due else { continue }
            receipts.append(OpenReceipt(item: i, quantity: q, dueDate: d, reference: r.text(row, reference),
                                        supplier: supplier, line: line))
        }
    }

    mutating func readDemand(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["item", "date", "quantity"]) else { return }
        let reference = r.optional("reference"), customer = r.optional("customer")
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let id = item(&r, row, cols[0], "item")
            let date = r.date(row, cols[1], "date", required: true)
            let quantity = r.number(row, cols[2], "quantity", default: nil, rule: .nonNegative)
            guard let i = id, let d = date, let q = quantity else { continue }
            demand.append(DemandRow(item: i, date: d, quantity: q, reference: r.text(row, reference),
                                    customer: r.text(row, customer), line: line))
        }
    }

    mutating func readRoutings(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["item", "workcenter", "run_hours"]) else { return }
        let setup = r.optional("setup_hours")
        struct Key: Hashable { var item: Int, workcenter: Int }
        var seen: [Key: Int] = [:]
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let id = item(&r, row, cols[0], "item")
            var workcenter: Int?
            if let name = r.key(row, cols[1], "workcenter") {
                workcenter = workcenterIds.find(name)
                if workcenter == nil { r.sink.error(r.file, line, .unknownName(.workcenter, name), column: "workcenter") }
            }
            let run = r.number(row, cols[2], "run_hours", default: nil, rule: .nonNegative)
            let setupHours = r.number(row, setup, "setup_hours", default: 0, rule: .nonNegative) ?? 0
            guard let i = id, let w = workcenter, let hours = run else { continue }
            let key = Key(item: i, workcenter: w)
            if let first = seen[key] {
                r.sink.error(r.file, line, .duplicateRouting(item: items.names[i], workcenter: workcenters[w].name, firstLine: first))
                continue
            }
            seen[key] = line
            routings.append(RoutingStep(item: i, workcenter: w, runHours: hours, setupHours: setupHours, line: line))
        }
    }

    mutating func readGates(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["gate", "criterion", "done"]) else { return }
        let owner = r.optional("owner"), evidence = r.optional("evidence"), due = r.optional("due_date")
        struct Key: Hashable { var gate: String, criterion: String }
        var seen: [Key: Int] = [:]
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let gate = r.key(row, cols[0], "gate")
            let criterion = r.key(row, cols[1], "criterion")
            let doneBlank = r.isBlank(row, cols[2])
            if doneBlank { r.sink.error(r.file, line, .empty(field: "done"), column: "done") }
            let done = r.bool(row, cols[2], "done", default: false)
            let dueDate = r.date(row, due, "due_date", required: false)
            guard let g = gate, let c = criterion else { continue }
            if BuiltInCriterion(rawValue: c) != nil {
                r.sink.error(r.file, line, .builtInCriterion(c), column: "criterion")
                continue
            }
            let key = Key(gate: g, criterion: c)
            if let first = seen[key] {
                r.sink.error(r.file, line, .duplicateCriterion(criterion: c, gate: g, firstLine: first), column: "criterion")
                continue
            }
            seen[key] = line
            gateCriteria.append(GateCriterionRow(gate: g, criterion: c, done: done, owner: r.text(row, owner),
                                                 evidence: r.text(row, evidence), dueDate: dueDate, line: line))
        }
    }

    mutating func readDecisions(_ table: CSVTable, _ sink: inout DiagnosticSink) {
        var r = TableReader(table, sink: sink)
        defer { sink = r.sink }
        guard let cols = r.require(["date", "decision", "owner"]) else { return }
        let gate = r.optional("gate"), rationale = r.optional("rationale")
        let impact = r.optional("impact"), status = r.optional("status"), risks = r.optional("risks")
        for row in 0..<table.rowCount {
            let line = table.line(row)
            let date = r.date(row, cols[0], "date", required: true)
            let decision = r.key(row, cols[1], "decision")
            let owner = r.text(row, cols[2])
            var state = r.isBlank(row, status) ? "open" : r.text(row, status)
            if state != "open" && state != "decided" {
                r.sink.error(r.file, line, .unknownStatus(state), column: "status")
                state = "open"
            }
            guard let d = date, let text = decision else { continue }
            decisions.append(DecisionRow(date: d, decision: text, owner: owner, gate: r.text(row, gate),
                                         rationale: r.text(row, rationale), impact: r.text(row, impact),
                                         status: state,
                                         risks: r.isBlank(row, risks) ? [] : r.text(row, risks).split(separator: ";")
                                            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                                         line: line))
        }
    }
}
