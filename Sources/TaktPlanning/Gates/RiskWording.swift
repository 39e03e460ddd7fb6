import TaktModel
import TaktInput

/// What a register risk's impact and message say (contract §2c `risks.csv`), made when
/// they are read from the finding behind it: a projected shortage, an MRP exception, a
/// phase's capacity shortfall, a gate's supplier entry, or an overdue manual criterion.
///
/// A risk's record keeps its origin packed into one word (`pack`); the list of risks holds
/// one wording, which holds the plan the texts come from (the model, the MRP, the capacity
/// LPs, the gates as the register saw them).
package final class RiskWording: Sendable {
    /// The finding a risk comes from.
    enum Origin: Equatable {
        /// An item of `Projection.shortages`.
        case shortage(Int)
        case exception(Int)
        /// A product left in backlog by phase `phase`'s shortfall (gated or not).
        case capacity(phase: Int, product: Int)
        case supplier(gate: Int, criterion: Int, entry: Int)
        case criterion(row: Int)
    }

    let model: PlanningModel
    let mrp: MRPResult
    let capacity: [PhaseCapacity]
    let gates: [GateResult]
    let projection: Projection
    /// Each MRP bucket's first day as UTF-8 (risks and hits are dated at bucket starts;
    /// millions of texts are made from a few hundred dates).
    let bucketDates: [[UInt8]]

    init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], gates: [GateResult], projection: Projection) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.gates = gates
        self.projection = projection
        bucketDates = mrp.calendar.bucketStart.map { day in
            var text: [UInt8] = []
            day.append(to: &text)
            return text
        }
    }

    /// The texts of a risk: each written as UTF-8 onto a buffer (`risks.csv` writes
    /// millions of them straight into its rows), or made a `String`.
    /// `briefImpact` is the impact naming at most `briefDeliveries` delayed deliveries,
    /// then how many more (the status report's lines; `risks.csv` names them all).
    package enum Text { case id, item, impact, briefImpact, message }

    /// The delayed deliveries a brief impact names.
    static let briefDeliveries = 5

    func string(_ text: Text, of risk: Risk, packed: UInt64) -> String {
        var out: [UInt8] = []
        append(text, of: risk, packed: packed, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func append(_ text: Text, of risk: Risk, packed: UInt64, to out: inout [UInt8]) {
        let (origin, merged) = Self.unpack(packed)
        switch text {
        case .id: appendID(of: risk, origin: origin, to: &out)
        case .item: appendSubject(of: origin, to: &out)
        case .impact: appendImpact(of: risk, origin: origin, merged: merged, naming: .max, to: &out)
        case .briefImpact: appendImpact(of: risk, origin: origin, merged: merged, naming: Self.briefDeliveries, to: &out)
        case .message: appendMessage(of: risk, origin: origin, to: &out)
        }
    }

    /// `day`, from `bucketDates` when it starts a bucket.
    private func append(_ day: Day, to out: inout [UInt8]) {
        if let bucket = mrp.calendar.bucket(of: day), mrp.calendar.bucketStart[bucket] == day {
            out.append(contentsOf: bucketDates[bucket])
        } else {
            day.append(to: &out)
        }
    }

    /// What a risk is about: its item's or product's name, or a manual criterion's text.
    func subject(packed: UInt64) -> String { subject(of: Self.unpack(packed).origin) }

    func subject(of origin: Origin) -> String {
        switch origin {
        case .shortage(let k): model.items.names[projection.shortages[k].item]
        case .exception(let e): model.items.names[mrp.exceptions[e].item]
        case .capacity(_, let p): model.items.names[model.plan.products[p].item]
        case .supplier(let g, let c, let e): model.items.names[gates[g].criteria[c].items[e].item]
        case .criterion(let r): model.gateCriteria[r].criterion
        }
    }

    /// The item (or product's item) a risk is about, by index; nil for a manual
    /// criterion, whose subject is its text.
    func subjectItem(packed: UInt64) -> Int? { subjectItem(of: Self.unpack(packed).origin) }

    func subjectItem(of origin: Origin) -> Int? {
        switch origin {
        case .shortage(let k): projection.shortages[k].item
        case .exception(let e): mrp.exceptions[e].item
        case .capacity(_, let p): model.plan.products[p].item
        case .supplier(let g, let c, let e): gates[g].criteria[c].items[e].item
        case .criterion: nil
        }
    }

    /// `subject(of:)` written onto `out`, with no `String` made on the way.
    func appendSubject(of origin: Origin, to out: inout [UInt8]) {
        switch origin {
        case .criterion(let r): out.append(utf8: model.gateCriteria[r].criterion)
        default: out.append(utf8: model.items.names[subjectItem(of: origin)!])
        }
    }

    /// `KIND:ITEM:DATE`.
    func appendID(of risk: Risk, origin: Origin, to out: inout [UInt8]) {
        out.append(utf8: risk.kind.rawValue)
        out.append(0x3A)
        appendSubject(of: origin, to: &out)
        out.append(0x3A)
        append(risk.date, to: &out)
    }

    // The packing: kind of origin (3 bits), merged (1), gate (10; a capacity risk's phase),
    // criterion (11), index (39).
    private static let gateBits = 10, criterionBits = 11, indexBits = 39

    /// `origin` and whether several findings were merged into the risk, in one word; nil
    /// when an index is beyond the packing (then the register writes the texts at once).
    static func pack(_ origin: Origin, merged: Bool) -> UInt64? {
        let (tag, gate, criterion, index): (UInt64, Int, Int, Int)
        switch origin {
        case .exception(let e): (tag, gate, criterion, index) = (0, 0, 0, e)
        case .capacity(let g, let p): (tag, gate, criterion, index) = (1, g, 0, p)
        case .supplier(let g, let c, let e): (tag, gate, criterion, index) = (2, g, c, e)
        case .criterion(let r): (tag, gate, criterion, index) = (3, 0, 0, r)
        case .shortage(let k): (tag, gate, criterion, index) = (4, 0, 0, k)
        }
        guard gate >= 0, gate < 1 << gateBits, criterion >= 0, criterion < 1 << criterionBits,
              index >= 0, index < 1 << indexBits else { return nil }
        return tag << 61 | (merged ? 1 << 60 : 0) | UInt64(gate) << 50 | UInt64(criterion) << 39 | UInt64(index)
    }

    static func unpack(_ packed: UInt64) -> (origin: Origin, merged: Bool) {
        let gate = Int(packed >> 50 & (1 << gateBits - 1)), criterion = Int(packed >> 39 & (1 << criterionBits - 1))
        let index = Int(packed & (1 << indexBits - 1))
        let origin: Origin = switch packed >> 61 {
        case 0: .exception(index)
        case 1: .capacity(phase: gate, product: index)
        case 2: .supplier(gate: gate, criterion: criterion, entry: index)
        case 3: .criterion(row: index)
        default: .shortage(index)
        }
        return (origin, packed >> 60 & 1 == 1)
    }

    /// A risk of several findings says only how much is at stake; a single supplier or
    /// criterion finding names what it is about. A shortage adds whom it hits.
    /// `naming`: how many of the delayed deliveries to name before saying how many more.
    func appendImpact(of risk: Risk, origin: Origin, merged: Bool, naming: Int, to out: inout [UInt8]) {
        switch origin {
        case .shortage(let k):
            appendShortageImpact(projection.shortages[k], delayed: risk.shortage, naming: naming, to: &out)
        case .exception(let e):
            Self.appendImpact(risk.kind, risk.quantity, to: &out)
            // An expedite: what stays late while the receipt keeps its date.
            guard risk.kind == .expedite, let delayed = risk.shortage, delayed.count > 0 else { return }
            let receipt = mrp.exceptions[e].receipt
            out.append(utf8: "; while it stays due ")
            if receipt >= 0 { model.receipts[receipt].dueDate.append(to: &out) }
            out.append(utf8: ", ")
            out.append(utf8: model.items.names[mrp.exceptions[e].item])
            out.append(utf8: " delays ")
            appendDeliveries(delayed, naming: naming, to: &out)
        case .capacity:
            Self.appendImpact(.capacity, risk.quantity, to: &out)
        case .supplier(let g, _, _):
            if merged { return Self.appendImpact(.supplier, risk.quantity, to: &out) }
            out.append(utf8: "supply of ")
            appendSubject(of: origin, to: &out)
            out.append(utf8: " in ")
            out.append(utf8: gates[g].phaseName)
        case .criterion(let r):
            if merged { return Self.appendImpact(.gateCriterion, risk.quantity, to: &out) }
            out.append(utf8: model.gateCriteria[r].gate)
            out.append(utf8: " cannot pass")
        }
    }

    func appendMessage(of risk: Risk, origin: Origin, to out: inout [UInt8]) {
        switch origin {
        case .shortage(let k):
            let shortage = projection.shortages[k]
            appendSubject(of: origin, to: &out)
            out.append(utf8: ": ")
            NumberFormat.append(shortage.lateQuantity, to: &out)
            out.append(utf8: " units of its requirements come late from ")
            out.append(contentsOf: bucketDates[shortage.firstLateBucket])
            out.append(utf8: ": its orders should have been released before the plan start")
            appendRemedy(shortage, to: &out)
        case .exception(let e):
            appendSubject(of: origin, to: &out)
            out.append(utf8: ": ")
            out.append(utf8: mrp.exceptions[e].message)
        case .capacity(let k, let p):
            let result = capacity.first { $0.phase == k }!
            let gate = model.plan.phases[k].gate.map { " (\($0))" } ?? ""
            out.append(contentsOf: "\(risk.item): \(result.name) ends \(NumberFormat.fixed(result.finalBacklog[p], decimals: 1, apartFrom: 0)) units behind the ramp even with all overtime\(gate)".utf8)
        case .supplier(let g, let c, let e):
            out.append(utf8: "supplier risk before ")
            out.append(utf8: gates[g].gate)
            out.append(utf8: ": ")
            GateEvaluator.appendSupplierReason(offer: gates[g].criteria[c].items[e].offer, model: model, to: &out)
        case .criterion(let r):
            let row = model.gateCriteria[r]
            out.append(contentsOf: "\(row.gate): \"\(row.criterion)\" was due ".utf8)
            append(risk.date, to: &out)
            out.append(utf8: " and is not done")
        }
    }

    /// `30 units late, all there by 2027-03-29; delays DRONE-X1 ramp 28.5 of 440 due
    /// 2027-03-22, arrives 2027-04-26 (+35 days), …` (§2d `shortage` impact): the item's
    /// late quantity, the date from which it is all there (`open` when some of it is not
    /// delivered within the horizon), and the deliveries whose cause is the item, each in
    /// its product's units.
    func appendShortageImpact(_ shortage: ProjectedShortage, delayed: ShortageImpact?, naming: Int, to out: inout [UInt8]) {
        NumberFormat.append(shortage.lateQuantity, to: &out)
        out.append(utf8: " units late, all there ")
        if let available = shortage.availableBucket {
            out.append(utf8: "by ")
            out.append(contentsOf: bucketDates[available])
        } else {
            out.append(utf8: "open (not within the horizon)")
        }
        guard let delayed, delayed.count > 0 else { return }
        out.append(utf8: "; delays ")
        appendDeliveries(delayed, naming: naming, to: &out)
    }

    /// `; expediting PO-1003 from 2027-04-05 to 2027-03-01 covers them` or `; no open receipt
    /// due later covers them: order now` (a buy item): the shortage's one action.
    func appendRemedy(_ shortage: ProjectedShortage, to out: inout [UInt8]) {
        if let expedite = shortage.expedite {
            let receipt = model.receipts[expedite.receipt]
            out.append(utf8: "; expediting ")
            out.append(utf8: receipt.label)
            out.append(utf8: " from ")
            receipt.dueDate.append(to: &out)
            out.append(utf8: " to ")
            out.append(contentsOf: bucketDates[expedite.toBucket])
            out.append(utf8: " covers them")
        } else if model.items.type[shortage.item] == .buy {
            out.append(utf8: "; no open receipt due later covers them: order now")
        }
    }

    /// The deliveries an impact names: every one in `risks.csv` (§2d: the deliveries whose
    /// cause is the item), the first `naming` then how many more in a brief impact.
    func appendDeliveries(_ delayed: ShortageImpact, naming: Int, to out: inout [UInt8]) {
        for (k, delivery) in delayed.deliveries.prefix(naming).enumerated() {
            if k > 0 { out.append(utf8: ", ") }
            appendDelivery(delivery, to: &out)
        }
        if delayed.count > naming {
            out.append(utf8: " … and ")
            NumberFormat.appendInteger(UInt64(delayed.count - naming), to: &out)
            out.append(utf8: " more")
        }
    }

    /// `DRONE-X1 ramp 28.5 of 440 due 2027-03-22, arrives 2027-04-26 (+35 days)`.
    func appendDelivery(_ delivery: Delivery, to out: inout [UInt8]) {
        out.append(utf8: model.items.names[delivery.item])
        out.append(0x20)
        out.append(utf8: delivery.source)
        out.append(0x20)
        NumberFormat.append(delivery.lateQuantity, to: &out)
        out.append(utf8: " of ")
        NumberFormat.append(delivery.quantity, to: &out)
        out.append(utf8: " due ")
        out.append(contentsOf: bucketDates[delivery.needBucket])
        if let available = delivery.availableBucket {
            out.append(utf8: ", arrives ")
            out.append(contentsOf: bucketDates[available])
            out.append(utf8: " (+")
            let days = mrp.calendar.bucketStart[available].number - mrp.calendar.bucketStart[delivery.needBucket].number
            NumberFormat.appendInteger(UInt64(max(0, days)), to: &out)
            out.append(utf8: " days)")
        } else {
            out.append(utf8: ", not within the horizon")
        }
    }

    /// The impact that says how much is at stake.
    static func appendImpact(_ kind: RiskKind, _ quantity: Double, to out: inout [UInt8]) {
        func amount(_ before: String, _ after: String) {
            out.append(utf8: before)
            NumberFormat.append(quantity, to: &out)
            out.append(utf8: after)
        }
        switch kind {
        case .shortage: amount("", " units late")
        case .safetyStock: amount("safety stock below target until a rebuild of ", " arrives")
        case .expedite: amount("", " units needed earlier than due")
        case .capacity: amount("", " units of output behind the ramp")
        case .supplier: out.append(utf8: "supply at risk")
        case .gateCriterion: out.append(utf8: "gate cannot pass")
        case .kpi: out.append(utf8: "KPI off target")
        }
    }
}
