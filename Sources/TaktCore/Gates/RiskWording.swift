/// What a register risk's impact and message say (contract §2c `risks.csv`), made when
/// they are read from the finding behind it: an MRP exception, a phase's capacity
/// shortfall, a gate's supplier entry, or an overdue manual criterion.
///
/// A risk keeps its origin packed into one word beside a reference to the wording, which
/// holds the plan the texts come from (the model, the MRP, the capacity LPs, the gates as
/// the register saw them).
final class RiskWording: Sendable {
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
    /// Each MRP bucket's first day as text (risks and hits are dated at bucket starts;
    /// millions of texts are made from a few hundred dates).
    let bucketDates: [String]

    init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], gates: [GateResult]) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.gates = gates
        sources = Pegging.sources(of: mrp)
        bucketDates = mrp.calendar.bucketStart.map(\.description)
    }

    /// `day` as text, from `bucketDates` when it starts a bucket.
    func text(of day: Day) -> String {
        if let bucket = mrp.calendar.bucket(of: day), mrp.calendar.bucketStart[bucket] == day { return bucketDates[bucket] }
        return day.description
    }

    /// `KIND:ITEM:DATE`.
    func id(of risk: Risk) -> String {
        risk.kind.rawValue + ":" + risk.item + ":" + text(of: risk.date)
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

    func impact(of risk: Risk, packed: UInt64) -> String {
        let (origin, merged) = Self.unpack(packed)
        return impact(of: risk, origin: origin, merged: merged)
    }

    /// A risk of several findings says only how much is at stake; a single supplier or
    /// criterion finding names what it is about. A shortage adds whom it hits.
    func impact(of risk: Risk, origin: Origin, merged: Bool) -> String {
        switch origin {
        case .exception(let e):
            let text = Self.impactText(risk.kind, risk.quantity)
            guard risk.kind == .shortage, let impact = risk.shortage, impact.count > 0 else { return text }
            return text + "; " + hitText(impact, shortDate: mrp.exceptions[e].date)
        case .capacity:
            return Self.impactText(.capacity, risk.quantity)
        case .supplier(let g, _, _):
            return merged ? Self.impactText(.supplier, risk.quantity) : "supply of \(risk.item) in \(gates[g].phaseName)"
        case .criterion(let r):
            return merged ? Self.impactText(.gateCriterion, risk.quantity) : "\(model.gateCriteria[r].gate) cannot pass"
        }
    }

    func message(of risk: Risk, origin: Origin) -> String {
        switch origin {
        case .exception(let e):
            return "\(risk.item): \(mrp.exceptions[e].message)"
        case .capacity(let g, let p):
            let result = capacity.first { $0.phase == gates[g].phase }!
            return "\(risk.item): \(result.name) ends \(NumberFormat.fixed(result.finalBacklog[p], decimals: 1)) units behind the ramp even with all overtime (\(gates[g].gate))"
        case .supplier(let g, let c, let e):
            return "supplier risk before \(gates[g].gate): \(gates[g].criteria[c].items[e].reason)"
        case .criterion(let r):
            let row = model.gateCriteria[r]
            return "\(row.gate): \"\(row.criterion)\" was due \(text(of: risk.date)) and is not done"
        }
    }

    /// `hits DRONE-X1 2027-03-08 ramp 12 (0 days after), …`: the end-item requirements a
    /// shortage misses, earliest first, with the slack between the shortage and each.
    func hitText(_ impact: ShortagePegging.Impact, shortDate: Day) -> String {
        var text = "hits "
        text.reserveCapacity(80 * impact.first.count)
        for (k, hit) in impact.first.enumerated() {
            if k > 0 { text += ", " }
            let slack = mrp.calendar.bucketStart[hit.endBucket].number - shortDate.number
            text += model.items.names[hit.endItem]
            text += " "
            text += bucketDates[hit.endBucket]
            text += " "
            text += sources[hit.source]
            text += " "
            text += NumberFormat.fixed(hit.quantity, decimals: 2)
            text += " ("
            text += String(slack)
            text += " days later)"
        }
        if impact.count > impact.first.count { text += " … and \(impact.count - impact.first.count) more" }
        return text
    }

    static func impactText(_ kind: RiskKind, _ quantity: Double) -> String {
        let q = NumberFormat.fixed(quantity, decimals: 2)
        switch kind {
        case .shortage: return "\(q) units short: cannot arrive in time"
        case .safetyStock: return "safety stock below target until a rebuild of \(q) arrives"
        case .expedite: return "\(q) units needed earlier than due"
        case .capacity: return "\(q) units of output behind the ramp"
        case .supplier: return "supply at risk"
        case .gateCriterion: return "gate cannot pass"
        case .kpi: return "KPI off target"
        }
    }
}
