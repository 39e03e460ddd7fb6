/// The kinds of `risks.csv` (contract §2c).
public enum RiskKind: String, Sendable, CaseIterable {
    case shortage, capacity, expedite, supplier
    case gateCriterion = "gate_criterion"
}

/// One row of `risks.csv`: a finding with a stable id, a level, an owner and a deadline.
public struct Risk: Sendable, Hashable {
    /// `KIND:ITEM:DATE`, stable from week to week.
    public var id: String
    public var kind: RiskKind
    /// An item or product name, or a manual criterion's text.
    public var item: String
    public var level: Int
    public var owner: String
    public var respondBy: Day
    public var date: Day
    public var impact: String
    public var message: String
    /// Quantity behind the risk (units), for merging and ranking.
    public var quantity: Double
}

/// Turns the plan's findings into risks (contract §2c).
///
/// Behaviour:
/// - `shortage` per past-due order (level 3 when due before `start + 14`, else 2),
///   `capacity` per product left in backlog by a short phase (2), `expedite` per
///   `reschedule_in` (1), `supplier` per buy item behind an at-risk supplier criterion (1),
///   `gate_criterion` per overdue manual criterion (2);
/// - findings with the same id are one risk (quantities add up);
/// - owner from the escalation level (a gates.csv owner first for `gate_criterion`),
///   `respond_by` = `start` + the level's business days.
public struct RiskRegister {
    public let model: PlanningModel
    public let mrp: MRPResult
    public let capacity: [PhaseCapacity]
    public let gates: [GateResult]

    public init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], gates: [GateResult]) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.gates = gates
    }

    public func build() -> [Risk] {
        /// A finding's identity: its kind, subject (an item, or a manual criterion's first
        /// row) and date; the same as the `id` text, without making the text per finding.
        struct Key: Hashable {
            var kind: UInt8
            var subject: Int32
            var date: Int32
        }
        var slot: [Key: Int] = [:]
        var risks: [Risk] = []
        var merged: [Bool] = []
        let plan = model.plan
        let items = model.items
        let kinds = RiskKind.allCases
        // Owner and respond-by date depend only on the level.
        var levels: [Int: (owner: String, respondBy: Day)] = [:]

        func add(_ kind: RiskKind, subject: Int, _ item: @autoclosure () -> String, _ date: Day, level: Int,
                 owner: String? = nil, quantity: Double, impact: @autoclosure () -> String,
                 message: @autoclosure () -> String) {
            let key = Key(kind: UInt8(kinds.firstIndex(of: kind)!), subject: Int32(subject), date: Int32(date.number))
            if let k = slot[key] {
                risks[k].quantity += quantity
                merged[k] = true
                return
            }
            if levels[level] == nil {
                let escalation = plan.escalationLevel(level)
                levels[level] = (escalation.owner, plan.start.addingBusinessDays(escalation.respondWithinDays))
            }
            let (defaultOwner, respondBy) = levels[level]!
            let name = item()
            slot[key] = risks.count
            risks.append(Risk(id: "\(kind.rawValue):\(name):\(date)", kind: kind, item: name, level: level,
                              owner: owner?.isEmpty == false ? owner! : defaultOwner, respondBy: respondBy,
                              date: date, impact: impact(), message: message(), quantity: quantity))
            merged.append(false)
        }

        for exception in mrp.exceptions {
            let name = items.names[exception.item]
            switch exception.kind {
            case .pastDue:
                let level = exception.date < plan.start.adding(days: 14) ? 3 : 2
                add(.shortage, subject: exception.item, name, exception.date, level: level, quantity: exception.quantity,
                    impact: impactText(.shortage, exception.quantity),
                    message: "\(name): \(exception.message)")
            case .rescheduleIn:
                add(.expedite, subject: exception.item, name, exception.date, level: 1, quantity: exception.quantity,
                    impact: impactText(.expedite, exception.quantity),
                    message: "\(name): \(exception.message)")
            default:
                break
            }
        }
        for gate in gates {
            if let result = capacity.first(where: { $0.phase == gate.phase }), result.hasShortfall {
                for (p, product) in plan.products.enumerated() where result.finalBacklog[p] > 1e-6 {
                    let name = items.names[product.item]
                    add(.capacity, subject: product.item, name, gate.date, level: 2, quantity: result.finalBacklog[p],
                        impact: impactText(.capacity, result.finalBacklog[p]),
                        message: "\(name): \(result.name) ends \(NumberFormat.fixed(result.finalBacklog[p], decimals: 1)) units behind the ramp even with all overtime (\(gate.gate))")
                }
            }
            for criterion in gate.criteria where criterion.criterion == "supplier" && criterion.status == .atRisk {
                for (item, reason) in criterion.items {
                    add(.supplier, subject: item, items.names[item], gate.date, level: 1, quantity: 0,
                        impact: "supply of \(items.names[item]) in \(gate.phaseName)",
                        message: "supplier risk before \(gate.gate): \(reason)")
                }
            }
        }
        var criterionIds: [String: Int] = [:]
        for row in model.gateCriteria where !row.done {
            guard let due = row.dueDate, due <= plan.start else { continue }
            let subject = criterionIds[row.criterion] ?? criterionIds.count
            criterionIds[row.criterion] = subject
            add(.gateCriterion, subject: subject, row.criterion, due, level: 2, owner: row.owner, quantity: 0,
                impact: "\(row.gate) cannot pass",
                message: "\(row.gate): \"\(row.criterion)\" was due \(due) and is not done")
        }
        // Findings merged into one risk report their summed quantity.
        for k in risks.indices where merged[k] { risks[k].impact = impactText(risks[k].kind, risks[k].quantity) }
        // Highest level first, then the earliest deadline, then the id; an index sort, so
        // that the risks themselves (five texts each) move once.
        var order = Array(risks.indices)
        risks.withUnsafeBufferPointer { r in
            order.sort { a, b in
                if r[a].level != r[b].level { return r[a].level > r[b].level }
                if r[a].respondBy != r[b].respondBy { return r[a].respondBy < r[b].respondBy }
                return r[a].id < r[b].id
            }
        }
        return order.map { risks[$0] }
    }

    func impactText(_ kind: RiskKind, _ quantity: Double) -> String {
        let q = NumberFormat.fixed(quantity, decimals: 2)
        switch kind {
        case .shortage: return "\(q) units cannot arrive in time"
        case .expedite: return "\(q) units needed earlier than due"
        case .capacity: return "\(q) units of output behind the ramp"
        case .supplier: return "supply at risk"
        case .gateCriterion: return "gate cannot pass"
        }
    }
}
