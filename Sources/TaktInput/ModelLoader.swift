import Foundation
import TaktModel

/// Loads and validates a model folder (contract §1) into a `PlanningModel`.
///
/// Behaviour:
/// - `plan.yaml` and `items.csv` are required; every other file means "none" when absent.
/// - Every problem of every file is collected (up to a cap) and thrown once as an
///   `InputError` whose lines read `FILE:LINE: what is wrong`.
/// - Unknown extra columns are allowed; names are trimmed of surrounding spaces.
public enum ModelLoader {
    /// The CSV files of a model folder (contract §1), in the order they are read.
    public static let csvFiles = ["workcenters.csv", "items.csv", "bom.csv", "inventory.csv", "suppliers.csv",
                           "receipts.csv", "demand.csv", "routings.csv", "gates.csv", "decisions.csv"]

    /// Loads `folder`. `digests` computes each input file's SHA-256 for `summary.json`
    /// (`takt check` does without). `workers` may parse the files beside one another and
    /// read their rows in groups at once (the run's cores; one after the other by default):
    /// the model and the messages are the same either way.
    public static func load(folder: String, cap: Int = DiagnosticSink.defaultCap, digests computeDigests: Bool = true,
                            workers: any Workers = SerialWorkers()) throws -> PlanningModel {
        var sink = DiagnosticSink(cap: cap)
        var digests: [String: String] = [:]
        let root = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            sink.error(root, 1, .folderNotFound)
            throw sink.failure
        }

        @Sendable func path(_ name: String) -> String { root + "/" + name }

        /// The bytes of a model file, or nil when it is absent (reported when required).
        @Sendable func read(_ name: String, required: Bool, into sink: inout DiagnosticSink) -> (bytes: [UInt8], digest: String?)? {
            let file = path(name)
            switch FileBytes.read(file) {
            case .success(let bytes):
                return (bytes, computeDigests ? InputDigest.hex(bytes) : nil)
            case .failure(.missing):
                if required { sink.error(file, 1, .fileMissing) }
            case .failure(.folder):
                sink.error(file, 1, .isAFolder)
            case .failure(.notRegular):
                sink.error(file, 1, .notARegularFile)
            case .failure(.unreadable):
                sink.error(file, 1, .unreadable)
            }
            return nil
        }

        // The CSV files are read and parsed each into its own sink; their problems join the
        // model's where the file is used below, so the messages come in the same order as
        // one file after the other. workcenters.csv and items.csv are parsed on this thread
        // and read as soon as they are, while a second thread parses the other files.
        struct Parsed: @unchecked Sendable {
            var table: CSVTable?
            var digest: String?
            var sink: DiagnosticSink
        }
        let slots = ConcurrentSlots<Parsed>(count: Self.csvFiles.count)
        @Sendable func parse(_ k: Int) {
            let name = Self.csvFiles[k]
            var fileSink = DiagnosticSink(cap: cap)
            var parsed = Parsed(table: nil, digest: nil, sink: fileSink)
            if let (bytes, digest) = read(name, required: name == "items.csv", into: &fileSink) {
                parsed.digest = digest
                // The bytes handed over: parsed in place, with no copy of the file.
                parsed.table = CSVTable.parse(consume bytes, file: path(name), sink: &fileSink)
            }
            parsed.sink = fileSink
            slots.set(k, parsed)
            Trace.mark("parsed " + name)
        }
        let firstFiles = 2 // workcenters.csv, items.csv
        var parsedFiles: [String: Parsed] = [:]
        // The other files are parsed beside the first two, plan.yaml and items.csv's names.
        let (rawPlan, builderRead, namesOnly) = try workers.beside({
            for k in firstFiles..<Self.csvFiles.count { parse(k) }
        }) { () throws -> (PlanParser.RawPlan, ModelBuilder, Bool) in
            for k in 0..<firstFiles { parse(k) }
            for k in 0..<firstFiles { parsedFiles[Self.csvFiles[k]] = slots[k]! }

            func table(_ name: String) -> CSVTable? {
                let parsed = parsedFiles[name]!
                sink.merge(parsed.sink)
                return parsed.table
            }

            // plan.yaml
            var rawPlan = PlanParser.RawPlan()
            if let (bytes, digest) = read("plan.yaml", required: true, into: &sink) {
                if let digest { digests["plan.yaml"] = digest }
                if let badLine = UTF8Check.firstInvalidLine(bytes) {
                    sink.error(path("plan.yaml"), badLine, .notUTF8)
                } else {
                    var text = String(decoding: bytes, as: UTF8.self)
                    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                    if let node = PlanParser.compose(text, file: path("plan.yaml"), sink: &sink) {
                        var parser = PlanParser(file: path("plan.yaml"))
                        parser.readsPastUnknownKeys = true
                        rawPlan = parser.parsePlan(node)
                        rawPlan.ignoredKeys = parser.ignored
                        sink.merge(parser.sink)
                    } else if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        sink.error(path("plan.yaml"), 1, .emptyPlan)
                    }
                }
            }

            var builder = ModelBuilder(root: root)
            if let t = table("workcenters.csv") { builder.readWorkCenters(t, &sink) }
            guard let itemsTable = table("items.csv") else {
                // A missing or unreadable items.csv has been reported: nothing can be resolved.
                throw sink.failure
            }
            // Names first: when they are all there and unique (ids are row numbers), the other
            // columns of items.csv are read beside the other files; otherwise row by row first.
            let namesOnly = builder.readItemNames(itemsTable)
            if !namesOnly {
                builder.readItems(itemsTable, &sink)
                if builder.items.count == 0 && itemsTable.rowCount > 0 {
                    // items.csv lacks a required column: every reference would fail; stop here.
                    try sink.throwIfAny()
                }
            }
            Trace.mark("items read")
            return (rawPlan, builder, namesOnly)
        }
        var builder = builderRead
        for (k, name) in Self.csvFiles.enumerated() {
            parsedFiles[name] = slots[k]!
            if let digest = slots[k]!.digest { digests[name] = digest }
        }
        // The other files need only the item names and work centers (receipts also the
        // suppliers): they are read in groups on all cores, each group on its own copy of
        // the builder, and the parts are put together with their messages in file order —
        // the same messages, in the same order, as reading one file after another. The
        // largest group (suppliers.csv, often the largest file) is started first; bom.csv
        // (a million lines and more) is read in eighths, joined after: small last pieces,
        // so that the cores finish together.
        let groups: [[Reading]] = [[.suppliers, .receipts], [.itemColumns], [.bom(0)], [.inventory], [.bom(1)],
                                   [.demand, .routings, .gates, .decisions]] + (2..<Reading.bomParts).map { [.bom($0)] }
        let common = builder
        let files = parsedFiles
        let parts = ConcurrentSlots<(ModelBuilder, DiagnosticSink)>(count: groups.count)
        workers.forEach(groups.count) { g in
            var part = common
            var partSink = DiagnosticSink(cap: cap)
            for reading in groups[g] {
                let parsed = files[reading.file]!
                // items.csv's parse problems are in the sink already; bom.csv's go first
                // when its parts are joined.
                if reading.file != "items.csv" && reading.file != "bom.csv" { partSink.merge(parsed.sink) }
                guard let t = parsed.table else { continue }
                switch reading {
                case .itemColumns: if namesOnly { part.readItemColumns(t, &partSink) }
                case .bom(let k):
                    let rows = k * t.rowCount / Reading.bomParts..<(k + 1) * t.rowCount / Reading.bomParts
                    part.readBOM(t, rows: rows, first: k == 0, &partSink)
                case .inventory: part.readInventory(t, &partSink)
                case .suppliers: part.readSuppliers(t, &partSink)
                case .receipts: part.readReceipts(t, &partSink)
                case .demand: part.readDemand(t, &partSink)
                case .routings: part.readRoutings(t, &partSink)
                case .gates: part.readGates(t, &partSink)
                case .decisions: part.readDecisions(t, &partSink)
                }
            }
            parts.set(g, (part, partSink))
            Trace.mark("read " + groups[g].map(\.description).joined(separator: ", "))
        }
        /// The builder and messages of the group that did `reading`.
        func part(_ reading: Reading) -> (builder: ModelBuilder, sink: DiagnosticSink) {
            parts[groups.firstIndex { $0.contains(reading) }!]!
        }
        Trace.mark("files read")
        if namesOnly { builder.items = part(.itemColumns).builder.items }
        builder.items.onHand = part(.inventory).builder.items.onHand
        let supply = part(.suppliers).builder
        (builder.supplierNames, builder.supplierIds, builder.offers, builder.receipts) =
            (supply.supplierNames, supply.supplierIds, supply.offers, supply.receipts)
        let rest = part(.demand).builder
        (builder.demand, builder.routings, builder.gateCriteria, builder.decisions) =
            (rest.demand, rest.routings, rest.gateCriteria, rest.decisions)
        // The items and offers are complete: while this core joins and indexes the BOM, the
        // other looks for names repeated up to case (`PlanWarnings`) and indexes the offers.
        let side = ConcurrentSlots<([CaseRepeat], (start: ContiguousArray<Int>, order: ContiguousArray<Int>))>(count: 1)
        let (readItems, readOffers) = (builder.items, builder.offers)
        var model = try workers.beside({
            side.set(0, (readItems.caseRepeats(), PlanningModel.offerIndex(readOffers, itemCount: readItems.count)))
            Trace.mark("names and offers indexed")
        }) { () throws -> PlanningModel in
            // bom.csv's parts joined (duplicate lines found across all); its messages after
            // items.csv's: its parse problems, then the rest in line order, as one reading of
            // the whole file gives them (each part keeps its earliest, so the earliest overall
            // are among them).
            var joinSink = DiagnosticSink(cap: cap)
            // The parts taken out of their slots: the first, the only copy left, grows in place.
            var bomParts = (0..<Reading.bomParts).map { k in parts.take(groups.firstIndex { $0.contains(.bom(k)) }!)! }
            let firstLines = bomParts[0].0.bom
            bomParts[0].0.bom = BOM()
            let byParent = builder.joinBOM(consume firstLines, then: bomParts.dropFirst().map(\.0.bom), file: path("bom.csv"),
                                           &joinSink)
            let bomMessages = (bomParts.flatMap(\.1.diagnostics) + joinSink.diagnostics).enumerated()
                .sorted { ($0.element.location.line, $0.offset) < ($1.element.location.line, $1.offset) }.map(\.element)
            // Messages in file order: items.csv's columns, bom.csv, then inventory, suppliers
            // and receipts, the rest.
            sink.merge(part(.itemColumns).sink)
            if let parsed = files["bom.csv"] { sink.merge(parsed.sink) }
            for d in bomMessages { sink.add(d) }
            sink.addSuppressed(bomParts.reduce(joinSink.suppressed) { $0 + $1.1.suppressed })
            for reading in [Reading.inventory, .suppliers, .demand] { sink.merge(part(reading).sink) }

            let products = builder.resolveProducts(rawPlan.products, file: path("plan.yaml"), &sink)
            let phases = rawPlan.phases
            // No `horizon_weeks`: the phases' weeks, or a year (the contract's example) for a
            // plan without phases — a plain MRP run, whose demand and receipts would
            // otherwise all fall past a one-week horizon.
            let phaseWeeks = phases.reduce(0) { $0 + $1.weeks }
            let horizon = rawPlan.horizonWeeks ?? (phaseWeeks > 0 ? min(PlanParser.maximumWeeks, phaseWeeks) : PlanParser.defaultHorizonWeeks)
            // Dates are written as YYYY-MM-DD: the plan (and its gates) must end by 9999-12-31.
            let lastWeeks = max(horizon, phaseWeeks)
            if rawPlan.start.adding(days: 7 * lastWeeks + 7).civil.year > 9999 {
                sink.error(path("plan.yaml"), rawPlan.startLine, .planEndsPastCalendar(start: rawPlan.start, weeks: lastWeeks), column: "start")
            }

            builder.bom.buildIndex(itemCount: builder.items.count, byParent: byParent)
            Trace.mark("bom indexed")
            var codes = ContiguousArray<Int>(repeating: 0, count: builder.items.count)
            let errorsBeforeLevels = sink.count
            switch LowLevelCodes.compute(itemCount: builder.items.count, bom: builder.bom) {
            case .success(let computed):
                codes = computed
            case .failure(let found):
                // Print the cycle so that it ends with its last line in the file.
                let lines = found.lines.map { builder.bom.sourceLine[$0] }
                let cycle = found.ending(at: lines.indices.max { lines[$0] < lines[$1] }!)
                let names = cycle.path.map { builder.items.names[$0] }
                sink.error(path("bom.csv"), builder.bom.sourceLine[cycle.lines.last!], .bomCycle(names))
            }
            // A cycle is reported alone: a product inside it would be named twice.
            if rawPlan.mps == .capacity && !phases.isEmpty && sink.count == errorsBeforeLevels {
                for line in BOM.linesUsingProducts(products.map(\.item), builder.bom) {
                    let bom = builder.bom
                    sink.error(path("bom.csv"), bom.sourceLine[line],
                               .productIsComponent(product: builder.items.names[bom.component[line]], parent: builder.items.names[bom.parent[line]]),
                               column: "component")
                }
            }
            try sink.throwIfAny()
            Trace.mark("levels done")

            var costTargetErrors = sink
            var plan = PlanSettings(start: rawPlan.start, horizonWeeks: horizon, bucket: rawPlan.bucket,
                                    products: products, phases: phases, costs: rawPlan.costs,
                                    escalation: rawPlan.escalation)
            plan.startLine = rawPlan.startLine
            // §2: with day buckets a Saturday or Sunday falls in the next Monday's bucket, and
            // bucket 0 begins at `start`: a weekend start is that Monday, for the buckets, the
            // capacity plan's weeks and the gates' dates alike (a warning says so).
            if rawPlan.bucket == .day && rawPlan.start.weekday >= 6 {
                plan.writtenStart = rawPlan.start
                plan.start = rawPlan.start.adding(days: 8 - rawPlan.start.weekday)
            }
            plan.escalationLine = rawPlan.escalationLine
            plan.ignoredKeys = rawPlan.ignoredKeys
            plan.mps = rawPlan.mps
            plan.wholeUnits = rawPlan.wholeUnits
            plan.rescheduleInWeeks = rawPlan.rescheduleInWeeks
            plan.frozenWeeks = rawPlan.frozenWeeks
            plan.lateWeeks = rawPlan.lateWeeks
            plan.kpis = rawPlan.kpis
            for entry in rawPlan.costTargets {
                if let id = builder.items.id(entry.product), products.contains(where: { $0.item == id }) {
                    plan.kpis.costPerUnit[id] = entry.target
                } else {
                    costTargetErrors.error(path("plan.yaml"), entry.line, .costTargetNotAProduct(entry.product), column: "cost_per_unit")
                }
            }
            try costTargetErrors.throwIfAny()
            return PlanningModel(
                folder: root, plan: plan, items: builder.items, bom: builder.bom,
                lowLevelCode: codes, planningOrder: LowLevelCodes.planningOrder(codes),
                receipts: builder.receipts, demand: builder.demand,
                supplierNames: builder.supplierNames, offers: builder.offers,
                offerStart: [], offerByItem: [],
                workcenters: builder.workcenters, routings: builder.routings,
                gateCriteria: builder.gateCriteria, decisions: builder.decisions,
                inputDigests: digests)
        }
        let (repeats, offerIndex) = side[0]!
        model.caseRepeats = repeats
        (model.offerStart, model.offerByItem) = offerIndex
        Trace.mark("model built")
        return model
    }
}

/// One reading of `ModelLoader.load`'s parallel groups: a file read into the builder, or
/// one part of bom.csv (its parts are read beside the other files and joined after).
enum Reading: Equatable, CustomStringConvertible {
    case suppliers, receipts, itemColumns, inventory, demand, routings, gates, decisions
    /// Part `k` of `bomParts` of bom.csv's rows.
    case bom(Int)

    /// At least 2: `load`'s groups name parts 0 and 1 themselves.
    static let bomParts = 8

    /// The file it reads.
    var file: String {
        switch self {
        case .suppliers: "suppliers.csv"
        case .receipts: "receipts.csv"
        case .itemColumns: "items.csv"
        case .bom: "bom.csv"
        case .inventory: "inventory.csv"
        case .demand: "demand.csv"
        case .routings: "routings.csv"
        case .gates: "gates.csv"
        case .decisions: "decisions.csv"
        }
    }

    var description: String {
        if case .bom(let k) = self, k > 0 { return "bom.csv, part \(k + 1)" }
        return file
    }
}
