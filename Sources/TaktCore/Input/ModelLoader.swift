import Foundation

/// Loads and validates a model folder (contract §1) into a `PlanningModel`.
///
/// Behaviour:
/// - `plan.yaml` and `items.csv` are required; every other file means "none" when absent.
/// - Every problem of every file is collected (up to a cap) and thrown once as an
///   `InputError` whose lines read `FILE:LINE: what is wrong`.
/// - Unknown extra columns are allowed; names are trimmed of surrounding spaces.
public enum ModelLoader {
    /// The CSV files of a model folder (contract §1), in the order they are read.
    static let csvFiles = ["workcenters.csv", "items.csv", "bom.csv", "inventory.csv", "suppliers.csv",
                           "receipts.csv", "demand.csv", "routings.csv", "gates.csv", "decisions.csv"]

    /// Loads `folder`. `digests` computes each input file's SHA-256 for `summary.json`
    /// (`takt check` does without).
    public static func load(folder: String, cap: Int = DiagnosticSink.defaultCap, digests computeDigests: Bool = true) throws -> PlanningModel {
        var sink = DiagnosticSink(cap: cap)
        var digests: [String: String] = [:]
        let root = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            sink.error(root, 1, "model folder not found")
            throw sink.failure
        }

        @Sendable func path(_ name: String) -> String { root + "/" + name }

        /// The bytes of a model file, or nil when it is absent (reported when required).
        @Sendable func read(_ name: String, required: Bool, into sink: inout DiagnosticSink) -> (bytes: [UInt8], digest: String?)? {
            let file = path(name)
            switch FileBytes.read(file) {
            case .success(let bytes):
                return (bytes, computeDigests ? SHA256.hex(bytes) : nil)
            case .failure(.missing):
                if required { sink.error(file, 1, "required file is missing") }
            case .failure(.folder):
                sink.error(file, 1, "is a folder, not a file")
            case .failure(.unreadable):
                sink.error(file, 1, "cannot be read")
            }
            return nil
        }

        // The CSV files are read and parsed on all cores at once, each into its own sink;
        // their problems join the model's where the file is used below, so the messages
        // come in the same order as one file after the other.
        struct Parsed: @unchecked Sendable {
            var table: CSVTable?
            var digest: String?
            var sink: DiagnosticSink
        }
        let slots = ConcurrentSlots<Parsed>(count: Self.csvFiles.count)
        DispatchQueue.concurrentPerform(iterations: Self.csvFiles.count) { k in
            let name = Self.csvFiles[k]
            var fileSink = DiagnosticSink(cap: cap)
            var parsed = Parsed(table: nil, digest: nil, sink: fileSink)
            if let (bytes, digest) = read(name, required: name == "items.csv", into: &fileSink) {
                parsed.digest = digest
                parsed.table = CSVTable.parse(bytes, file: path(name), sink: &fileSink)
            }
            parsed.sink = fileSink
            slots.set(k, parsed)
        }
        var parsedFiles: [String: Parsed] = [:]
        for (k, name) in Self.csvFiles.enumerated() {
            parsedFiles[name] = slots.values[k]!
            if let digest = slots.values[k]!.digest { digests[name] = digest }
        }

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
                sink.error(path("plan.yaml"), badLine, "file is not valid UTF-8")
            } else {
                var text = String(decoding: bytes, as: UTF8.self)
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                if let node = PlanParser.compose(text, file: path("plan.yaml"), sink: &sink) {
                    var parser = PlanParser(file: path("plan.yaml"))
                    rawPlan = parser.parsePlan(node)
                    sink.merge(parser.sink)
                } else if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    sink.error(path("plan.yaml"), 1, "file is empty: start is required")
                }
            }
        }

        var builder = ModelBuilder(root: root)
        if let t = table("workcenters.csv") { builder.readWorkCenters(t, &sink) }
        guard let itemsTable = table("items.csv") else {
            // A missing or unreadable items.csv has been reported: nothing can be resolved.
            throw sink.failure
        }
        builder.readItems(itemsTable, &sink)
        if builder.items.count == 0 && itemsTable.rowCount > 0 {
            // items.csv lacks a required column: every reference would fail; stop here.
            try sink.throwIfAny()
        }
        if let t = table("bom.csv") { builder.readBOM(t, &sink) }
        if let t = table("inventory.csv") { builder.readInventory(t, &sink) }
        if let t = table("suppliers.csv") { builder.readSuppliers(t, &sink) }
        if let t = table("receipts.csv") { builder.readReceipts(t, &sink) }
        if let t = table("demand.csv") { builder.readDemand(t, &sink) }
        if let t = table("routings.csv") { builder.readRoutings(t, &sink) }
        if let t = table("gates.csv") { builder.readGates(t, &sink) }
        if let t = table("decisions.csv") { builder.readDecisions(t, &sink) }

        let products = builder.resolveProducts(rawPlan.products, file: path("plan.yaml"), &sink)
        let phases = rawPlan.phases
        let horizon = rawPlan.horizonWeeks ?? min(PlanParser.maximumWeeks, max(1, phases.reduce(0) { $0 + $1.weeks }))

        builder.bom.buildIndex(itemCount: builder.items.count)
        var codes = ContiguousArray<Int>(repeating: 0, count: builder.items.count)
        switch LowLevelCodes.compute(itemCount: builder.items.count, bom: builder.bom) {
        case .success(let computed):
            codes = computed
        case .failure(let found):
            // Print the cycle so that it ends with its last line in the file.
            let lines = found.lines.map { builder.bom.sourceLine[$0] }
            let cycle = found.ending(at: lines.indices.max { lines[$0] < lines[$1] }!)
            let names = cycle.path.map { builder.items.names[$0] }.joined(separator: " -> ")
            sink.error(path("bom.csv"), builder.bom.sourceLine[cycle.lines.last!], "BOM cycle: \(names)")
        }
        try sink.throwIfAny()

        let plan = PlanSettings(start: rawPlan.start, horizonWeeks: horizon, bucket: rawPlan.bucket,
                                products: products, phases: phases, costs: rawPlan.costs,
                                escalation: rawPlan.escalation)
        var model = PlanningModel(
            folder: root, plan: plan, items: builder.items, bom: builder.bom,
            lowLevelCode: codes, planningOrder: LowLevelCodes.planningOrder(codes),
            receipts: builder.receipts, demand: builder.demand,
            supplierNames: builder.supplierNames, offers: builder.offers,
            offerStart: [], offerByItem: [],
            workcenters: builder.workcenters, routings: builder.routings,
            gateCriteria: builder.gateCriteria, decisions: builder.decisions,
            inputDigests: digests)
        model.indexOffers()
        return model
    }
}
