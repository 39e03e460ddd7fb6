import TaktModel
import TaktInput
import TaktPlanning

/// `capacity.csv`, `risks.csv`, `gates.json` and `summary.json` (contract §4).
public enum DecisionTables {
    public static func capacity(_ result: PlanResult) -> [UInt8] {
        let weekly = result.mps.weekly
        let centers = result.model.workcenters
        var csv = CSVWriter(header: ["phase", "week_start", "workcenter", "capacity_hours", "load_hours",
                                     "overtime_hours", "utilization_pct", "shadow_price", "mrp_load_hours"])
        for phase in result.capacity {
            let rows = phase.capacity.sorted {
                $0.week != $1.week ? $0.week < $1.week : centers[$0.workcenter].name < centers[$1.workcenter].name
            }
            for row in rows {
                csv.field(phase.name)
                csv.field(weekly.bucketStart[row.week])
                csv.field(centers[row.workcenter].name)
                csv.field(row.capacityHours)
                csv.field(row.loadHours)
                csv.field(row.overtimeHours)
                csv.field(row.utilizationPct)
                csv.field(row.shadowPrice)
                csv.field(row.mrpLoadHours)
                csv.endRow()
            }
        }
        return csv.bytes
    }

    /// Emitted in chunks of about 1 MB.
    public static func risks(_ result: PlanResult, emit: ([UInt8]) throws -> Void) rethrows {
        for block in 0..<riskBlockCount(result) { try risks(result, block: block, emit: emit) }
    }

    /// The risks a block of `risks.csv` holds: blocks are rendered by several threads and
    /// written in order (`OrderedBlocks`), a few ahead of the writer at most.
    static let riskBlockSize = 4096

    /// How many blocks `risks.csv` is written in (one, the header alone, with no risks).
    static func riskBlockCount(_ result: PlanResult, size: Int = riskBlockSize) -> Int {
        max(1, (result.risks.count + size - 1) / size)
    }

    /// The rows of block `block` of `size` risks (the header first in block 0), in chunks
    /// of about 1 MB.
    static func risks(_ result: PlanResult, block: Int, size: Int = riskBlockSize, emit: ([UInt8]) throws -> Void) rethrows {
        var csv = block == 0 ? CSVWriter(header: ["id", "kind", "item", "level", "owner", "respond_by", "impact", "message"])
            : CSVWriter()
        // The texts are made here (a risk holds none), straight onto the rows.
        let risks = result.risks
        // The owner's name, read again only when the owner changes (a few owners in all).
        var owner: (number: Int32, name: String) = (-1, "")
        for k in block * size..<min(risks.count, (block + 1) * size) {
            let risk = risks[k]
            if risk.ownerNumber != owner.number { owner = (risk.ownerNumber, risk.owner) }
            csv.field { risk.append(.id, to: &$0) }
            csv.field { $0.append(utf8: risk.kind.rawValue) }
            csv.field { risk.append(.item, to: &$0) }
            csv.field(risk.level)
            csv.field { $0.append(utf8: owner.name) }
            csv.field(risk.respondBy)
            csv.field { risk.append(.impact, to: &$0) }
            csv.field { risk.append(.message, to: &$0) }
            csv.endRow()
            try csv.flush(atLeast: MaterialTables.chunk, emit)
        }
        try csv.flush(emit)
    }

    /// `kpis.csv`: `phase,product,kpi,value,target,status` — per phase (one past the horizon unjudged), each product
    /// (by name) with its cost breakdown, on-time delivery and first-pass yield, then the
    /// phase's supplier on-time and inventory value peak (no product). Empty `value` when
    /// there is nothing to measure, empty `target` and `status` without a target.
    public static func kpis(_ result: PlanResult) -> [UInt8] {
        let model = result.model
        var csv = CSVWriter(header: ["phase", "product", "kpi", "value", "target", "status"])
        for row in result.kpis.rows {
            csv.field(model.plan.phases[row.phase].name)
            csv.field(row.product >= 0 ? model.items.names[row.product] : "")
            csv.field(row.kpi.rawValue)
            if let value = row.value { csv.field(value) } else { csv.field("") }
            if let target = row.target { csv.field(target) } else { csv.field("") }
            csv.field(row.status?.rawValue ?? "")
            csv.endRow()
        }
        return csv.bytes
    }

    public static func gates(_ result: PlanResult) -> [UInt8] {
        let gates = JSONValue.array(result.gates.map { gate in
            var fields: [(String, JSONValue)] = [
                ("gate", .string(gate.gate)),
                ("phase", .string(gate.phaseName)),
                ("date", .string(gate.date.description)),
                ("status", .string(gate.status.rawValue)),
                ("forecast_date", .string(gate.forecast?.description ?? "open")),
            ]
            // With `--simulate N`: how likely the gate is on its date, and its P90 date (§2e).
            if let confidence = result.confidence?.confidence(of: gate.gate) {
                fields.append(("p_on_time", .number(confidence.onTime)))
                fields.append(("p90_date", .string(confidence.p90?.description ?? "open")))
            }
            return .object(fields + [
                ("criteria", .array(gate.criteria.map { criterion in
                    var pairs: [(String, JSONValue)] = [
                        ("criterion", .string(criterion.criterion)),
                        ("status", .string(criterion.status.rawValue)),
                        ("evidence", .string(criterion.evidence)),
                    ]
                    if !criterion.owner.isEmpty { pairs.append(("owner", .string(criterion.owner))) }
                    return .object(pairs)
                })),
            ])
        })
        return Array(gates.rendered().utf8)
    }

    /// Counts, timings (the only part that varies between identical runs), input digests
    /// and the LP of each phase.
    public static func summary(_ result: PlanResult, peggingRows: Int?, extraTimings: [(String, Double)] = []) -> [UInt8] {
        let model = result.model
        let mrp = result.mrp
        // An item's orders are all of its own kind: the make orders counted by item
        // (`MRPResult.orderRange(of:)`), not order by order.
        var makeOrders = 0
        for item in 0..<model.items.count where model.items.type[item] == .make { makeOrders += mrp.orderRange(of: item).count }
        let counts: [(String, JSONValue)] = [
            ("items", .integer(model.items.count)),
            ("bom_lines", .integer(model.bom.count)),
            ("levels", .integer(model.maxLevel + 1)),
            ("buckets", .integer(mrp.bucketCount)),
            ("products", .integer(model.plan.products.count)),
            ("phases", .integer(model.plan.phases.count)),
            ("workcenters", .integer(model.workcenters.count)),
            ("suppliers", .integer(model.supplierNames.count)),
            ("open_receipts", .integer(model.receipts.count)),
            ("demand_rows", .integer(model.demand.count)),
            ("planned_orders", .integer(mrp.orders.count)),
            ("make_orders", .integer(makeOrders)),
            ("buy_orders", .integer(mrp.orders.count - makeOrders)),
            ("past_due", .integer(mrp.exceptions.count { $0.kind == .pastDue })),
            ("exceptions", .integer(mrp.exceptions.count)),
            ("pegging_rows", peggingRows.map { .integer($0) } ?? .null), // null: without --pegging
            ("risks", .integer(result.risks.count)),
            ("warnings", .integer(result.warnings.count)),
        ]
        let figures = result.figures
        let gateCounts: [(String, JSONValue)] = GateStatus.allCases.map { status in
            (status.rawValue, .integer(result.gates.filter { $0.status == status }.count))
        }
        let timings = (result.timings + extraTimings).map { ($0.0 + "_ms", JSONValue.number($0.1)) }
        let digests = model.inputDigests.keys.sorted().map { ($0, JSONValue.string(model.inputDigests[$0]!)) }
        let lp = JSONValue.array(result.capacity.map { phase in
            .object([
                ("phase", .string(phase.name)),
                ("status", .string(phase.status.description)),
                ("objective", .number(phase.objective)),
                ("final_backlog_min", .number(phase.minimumFinalBacklog)),
                ("rows", .integer(phase.lpRows)),
                ("columns", .integer(phase.lpColumns)),
                ("capacity_rows_solved", .integer(phase.capacityRowsSolved)),
                ("products_solved", .integer(phase.productsSolved)),
                ("solve_ms", .number(phase.solveMilliseconds)),
            ])
        })
        let summary = JSONValue.object([
            ("takt_output", .string("plan")),
            ("model", .string(model.folder)),
            ("start", .string(model.plan.start.description)),
            ("bucket", .string(model.plan.bucket.rawValue)),
            ("horizon_weeks", .integer(model.plan.horizonWeeks)),
            ("counts", .object(counts)),
            ("figures", .object(figures.json)),
            ("gates", .object(gateCounts)),
            ("timings", .object(timings)),
            ("inputs", .object(digests)),
            ("warnings", .array(result.warnings.map { .string($0.description) })),
            ("lp", lp),
        ] + scenarios(model.scenarios))
        return Array(summary.rendered().utf8)
    }
}

extension DecisionTables {
    /// summary.json's `scenarios` where the run applied any (`--scenario`, a what-if run,
    /// a simulation): each one's name, file name and SHA-256, in the order applied;
    /// nothing without.
    static func scenarios(_ applied: [AppliedScenario]) -> [(String, JSONValue)] {
        guard !applied.isEmpty else { return [] }
        return [("scenarios", .array(applied.map { scenario in
            .object([("name", .string(scenario.name)), ("file", .string(scenario.file)), ("sha256", .string(scenario.sha256))])
        }))]
    }
}

extension RunFigures {
    var json: [(String, JSONValue)] {
        [
            ("planned_orders", .integer(plannedOrders)),
            ("purchase_amount", .number(purchaseAmount)),
            ("past_due", .integer(pastDue)),
            ("shortage_qty", .number(shortageQty)),
            ("backlog_units", .number(backlogUnits)),
            ("overtime_hours", .number(overtimeHours)),
            ("lp_objective", .number(lpObjective)),
            ("gates_go", .integer(gatesGo)),
            ("gates_at_risk", .integer(gatesAtRisk)),
            ("gates_no_go", .integer(gatesNoGo)),
            ("risks_level3", .integer(risksLevel3)),
            ("cost_per_unit", costPerUnit.map { .number($0) } ?? .null),
            ("on_time_delivery_pct", onTimeDeliveryPct.map { .number($0) } ?? .null),
        ]
    }
}
