import TaktModel
import TaktInput

/// What a register risk's impact and message say (contract §2c `risks.csv`), made when
/// they are read from the finding behind it: an MRP exception, a phase's capacity
/// shortfall, a gate's supplier entry, or an overdue manual criterion.
///
/// A risk keeps its origin packed into one word beside a reference to the wording, which
/// holds the plan the texts come from (the model, the MRP, the capacity LPs, the gates as
/// the register saw them).
package final class RiskWording: Sendable {
    /// The finding a risk comes from.
    enum Origin: Equatable {
        case exception(Int)
        case capacity(gate: Int, product: Int)
        case supplier(gate: Int, criterion: Int, entry: Int)
        case criterion(row: Int)
    }

    let model: PlanningModel
    let mrp: MRPResult
    let capacity: [PhaseCapacity]
    let gates: [GateResult]
    /// The names a hit's source indexes (`Pegging.sources(of:)`).
    let sources: [String]
    /// Each MRP bucket's first day as UTF-8 (risks and hits are dated at bucket starts;
    /// millions of texts are made from a few hundred dates).
    let bucketDates: [[UInt8]]

    init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], gates: [GateResult]) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.gates = gates
        sources = Pegging.sources(of: mrp)
        bucketDates = mrp.calendar.bucketStart.map { day in
            var text: [UInt8] = []
            day.append(to: &text)
            return text
        }
    }

    /// The texts of a risk: each written as UTF-8 onto a buffer (`risks.csv` writes
    /// millions of them straight into its rows), or made a `String`.
    package enum Text { case id, impact, message }

    func string(_ text: Text, of risk: Risk, packed: UInt64) -> String {
        var out: [UInt8] = []
        append(text, of: risk, packed: packed, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func append(_ text: Text, of risk: Risk, packed: UInt64, to out: inout [UInt8]) {
        let (origin, merged) = Self.unpack(packed)
        switch text {
        case .id: appendID(of: risk, to: &out)
        case .impact: appendImpact(of: risk, origin: origin, merged: merged, to: &out)
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
        case .exception(let e): model.items.names[mrp.exceptions[e].item]
        case .capacity(_, let p): model.items.names[model.plan.products[p].item]
        case .supplier(let g, let c, let e): model.items.names[gates[g].criteria[c].items[e].item]
        case .criterion(let r): model.gateCriteria[r].criterion
        }
    }

    /// `KIND:ITEM:DATE`.
    func appendID(of risk: Risk, to out: inout [UInt8]) {
        out.append(contentsOf: risk.kind.rawValue.utf8)
        out.append(0x3A)
        out.append(contentsOf: risk.item.utf8)
        out.append(0x3A)
        append(risk.date, to: &out)
    }

    // The packing: kind of origin (2 bits), merged (1), gate (10), criterion (11), index (40).
    private static let gateBits = 10, criterionBits = 11, indexBits = 40

    /// `origin` and whether several findings were merged into the risk, in one word; nil
    /// when an index is beyond the packing (then the register writes the texts at once).
    static func pack(_ origin: Origin, merged: Bool) -> UInt64? {
        let (tag, gate, criterion, index): (UInt64, Int, Int, Int)
        switch origin {
        case .exception(let e): (tag, gate, criterion, index) = (0, 0, 0, e)
        case .capacity(let g, let p): (tag, gate, criterion, index) = (1, g, 0, p)
        case .supplier(let g, let c, let e): (tag, gate, criterion, index) = (2, g, c, e)
        case .criterion(let r): (tag, gate, criterion, index) = (3, 0, 0, r)
        }
        guard gate >= 0, gate < 1 << gateBits, criterion >= 0, criterion < 1 << criterionBits,
              index >= 0, index < 1 << indexBits else { return nil }
        return tag << 62 | (merged ? 1 << 61 : 0) | UInt64(gate) << 51 | UInt64(criterion) << 40 | UInt64(index)
    }

    static func unpack(_ packed: UInt64) -> (origin: Origin, merged: Bool) {
        let gate = Int(packed >> 51 & (1 << gateBits - 1)), criterion = Int(packed >> 40 & (1 << criterionBits - 1))
        let index = Int(packed & (1 << indexBits - 1))
        let origin: Origin = switch packed >> 62 {
        case 0: .exception(index)
        case 1: .capacity(gate: gate, product: index)
        case 2: .supplier(gate: gate, criterion: criterion, entry: index)
        default: .criterion(row: index)
        }
        return (origin, packed >> 61 & 1 == 1)
    }

    /// A risk of several findings says only how much is at stake; a single supplier or
    /// criterion finding names what it is about. A shortage adds whom it hits.
    func appendImpact(of risk: Risk, origin: Origin, merged: Bool, to out: inout [UInt8]) {
        switch origin {
        case .exception(let e):
            Self.appendImpact(risk.kind, risk.quantity, to: &out)
            guard risk.kind == .shortage, let impact = risk.shortage, impact.count > 0 else { return }
            out.append(contentsOf: "; ".utf8)
            appendHits(impact, shortDate: mrp.exceptions[e].date, to: &out)
        case .capacity:
            Self.appendImpact(.capacity, risk.quantity, to: &out)
        case .supplier(let g, _, _):
            if merged { return Self.appendImpact(.supplier, risk.quantity, to: &out) }
            out.append(contentsOf: "supply of \(risk.item) in \(gates[g].phaseName)".utf8)
        case .criterion(let r):
            if merged { return Self.appendImpact(.gateCriterion, risk.quantity, to: &out) }
            out.append(contentsOf: "\(model.gateCriteria[r].gate) cannot pass".utf8)
        }
    }

    func appendMessage(of risk: Risk, origin: Origin, to out: inout [UInt8]) {
        switch origin {
        case .exception(let e):
            out.append(contentsOf: risk.item.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: mrp.exceptions[e].message.utf8)
        case .capacity(let g, let p):
            let result = capacity.first { $0.phase == gates[g].phase }!
            out.append(contentsOf: "\(risk.item): \(result.name) ends \(NumberFormat.fixed(result.finalBacklog[p], decimals: 1)) units behind the ramp even with all overtime (\(gates[g].gate))".utf8)
        case .supplier(let g, let c, let e):
            out.append(contentsOf: "supplier risk before \(gates[g].gate): ".utf8)
            GateEvaluator.appendSupplierReason(offer: gates[g].criteria[c].items[e].offer, model: model, to: &out)
        case .criterion(let r):
            let row = model.gateCriteria[r]
            out.append(contentsOf: "\(row.gate): \"\(row.criterion)\" was due ".utf8)
            append(risk.date, to: &out)
            out.append(contentsOf: " and is not done".utf8)
        }
    }

    /// `hits DRONE-X1 2027-03-08 ramp 12 (0 days later), …`: the end-item requirements a
    /// shortage misses, earliest first, with the slack between the shortage and each.
    func appendHits(_ impact: ShortagePegging.Impact, shortDate: Day, to out: inout [UInt8]) {
        out.append(contentsOf: "hits ".utf8)
        for (k, hit) in impact.first.enumerated() {
            if k > 0 { out.append(contentsOf: ", ".utf8) }
            out.append(contentsOf: model.items.names[hit.endItem].utf8)
            out.append(0x20)
            out.append(contentsOf: bucketDates[hit.endBucket])
            out.append(0x20)
            out.append(contentsOf: sources[hit.source].utf8)
            out.append(0x20)
            NumberFormat.append(hit.quantity, decimals: 2, to: &out)
            out.append(contentsOf: " (".utf8)
            let slack = mrp.calendar.bucketStart[hit.endBucket].number - shortDate.number
            if slack < 0 { out.append(0x2D) }
            NumberFormat.appendInteger(UInt64(abs(slack)), to: &out)
            out.append(contentsOf: " days later)".utf8)
        }
        if impact.count > impact.first.count { out.append(contentsOf: " … and \(impact.count - impact.first.count) more".utf8) }
    }

    /// The impact that says how much is at stake.
    static func appendImpact(_ kind: RiskKind, _ quantity: Double, to out: inout [UInt8]) {
        func amount(_ before: String, _ after: String) {
            out.append(contentsOf: before.utf8)
            NumberFormat.append(quantity, decimals: 2, to: &out)
            out.append(contentsOf: after.utf8)
        }
        switch kind {
        case .shortage: amount("", " units short: cannot arrive in time")
        case .safetyStock: amount("safety stock below target until a rebuild of ", " arrives")
        case .expedite: amount("", " units needed earlier than due")
        case .capacity: amount("", " units of output behind the ramp")
        case .supplier: out.append(contentsOf: "supply at risk".utf8)
        case .gateCriterion: out.append(contentsOf: "gate cannot pass".utf8)
        case .kpi: out.append(contentsOf: "KPI off target".utf8)
        }
    }
}
