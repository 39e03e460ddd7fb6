import TaktModel
import TaktPlanning

/// Who answers for an action of the status report, and by when: the risks the action
/// answers (contract §2c), as `risks.csv` has them after escalation — a shortage's
/// expedite or order now answers its `shortage` risk (and the receipt's `expedite` risk),
/// a receipt's pull-in its `expedite` risk, a late safety-stock rebuild its `safety_stock`
/// risk. So an action names the same owner and date in every section as the risk behind
/// it, and an escalated risk's action is no longer the level-1 owner's with a fresh
/// deadline. An action that answers no risk keeps the owner and date it was given.
struct ActionOwners {
    /// A risk an action answers: its kind, item and id date (nil for a `shortage`: an item
    /// has one).
    struct Answered {
        var kind: RiskKind
        var item: Int
        var date: Day?
    }

    private struct Key: Hashable {
        var kind: RiskKind
        var item: Int
        /// The id date's day number, 0 for a shortage.
        var day: Int

        init(_ kind: RiskKind, _ item: Int, _ date: Day?) {
            (self.kind, self.item, day) = (kind, item, kind == .shortage ? 0 : date?.number ?? 0)
        }
    }

    /// Each shortage, expedite and safety-stock risk: its index in `risks`.
    private var found: [Key: Int32] = [:]
    private let risks: RiskList
    /// `StatusReport.delays`: for each risk whose impact names deliveries, how many buckets
    /// the latest of them comes late.
    private let worstLate: [Int32: Int]
    /// Each open receipt the MRP pulls in or would bring in: the need date of its
    /// `reschedule_in`, its `expedite` risk's date.
    private var pullInNeed: [Int: Day] = [:]

    init(_ result: PlanResult, delays: [Int32: Int]) {
        risks = result.risks
        worstLate = delays
        for exception in result.mrp.exceptions where exception.kind == .rescheduleIn && exception.receipt >= 0 {
            pullInNeed[exception.receipt] = exception.date
        }
        let items = result.model.items
        for k in risks.indices {
            let record = risks.records[k]
            switch record.kind {
            case .shortage, .expedite, .safetyStock: break
            default: continue
            }
            guard let item = risks[k].itemIndex(in: items) else { continue }
            found[Key(record.kind, item, record.date)] = Int32(k)
        }
    }

    /// What a projected shortage's one action answers: the item's `shortage` risk, and, when
    /// the action is to expedite an open receipt, that receipt's `expedite` risk.
    func shortageAction(item: Int, expediting receipt: Int?) -> [Answered] {
        [Answered(kind: .shortage, item: item)]
            + (receipt.flatMap { pullInNeed[$0] }.map { [Answered(kind: .expedite, item: item, date: $0)] } ?? [])
    }

    /// What ranks an action that keeps deliveries on time (`Line.pressure`), 0 when it
    /// answers no risk: the highest level among the risks it answers, then whether one of
    /// them delays deliveries (its impact names them, §2d), and then by how many buckets the
    /// latest of those deliveries comes late — what a gate's forecast follows (§2c) — so a
    /// pull-in a ramp week waits three weeks for goes before one that delays nothing.
    func pressure(_ answered: [Answered]) -> Int {
        var level = 0, worst = -1
        for wanted in answered {
            guard let k = found[Key(wanted.kind, wanted.item, wanted.date)] else { continue }
            level = max(level, risks.records[Int(k)].level)
            if let late = worstLate[k] { worst = max(worst, late) }
        }
        return level * 100_000 + (worst >= 0 ? 50_000 + min(worst, 49_999) : 0)
    }

    /// Whether one of the risks an action answers delays deliveries (its impact names
    /// them, §2d): a pull-in the projection's deliveries wait for.
    func delaysDeliveries(_ answered: [Answered]) -> Bool {
        answered.contains { wanted in found[Key(wanted.kind, wanted.item, wanted.date)].map { worstLate[$0] != nil } ?? false }
    }

    /// The owner and date of an action that answers risks: the owner of the most escalated
    /// one (the highest level, then the earliest respond-by) and the earliest respond-by
    /// among them (an expedite answers its shortage's risk and its own, and is due by the
    /// first of the two); else `owner` and `date` as given. An action `dueNow` (an order to
    /// place now) keeps its `date` when the risks' respond-by is later.
    func assign(_ answered: [Answered], owner: String, date: Day, dueNow: Bool = false) -> (owner: String, date: Day) {
        let indices = answered.compactMap { wanted in found[Key(wanted.kind, wanted.item, wanted.date)].map(Int.init) }
        guard let (best, earliest) = Self.mostEscalated(indices, in: risks) else { return (owner, date) }
        return (risks[best].owner, dueNow ? min(earliest, date) : earliest)
    }

    /// Of the risks `indices`, the most escalated — the highest level, then the earliest
    /// respond-by, then the first given — and the earliest respond-by among them; nil when
    /// there are none. Who holds a set of risks wherever the report names one owner for
    /// them (an action, an overdue decision, a phase's capacity shortfall).
    static func mostEscalated(_ indices: some Sequence<Int>, in risks: RiskList) -> (risk: Int, earliest: Day)? {
        var best: Int?
        var earliest: Day?
        for k in indices {
            let risk = risks[k]
            earliest = min(earliest ?? risk.respondBy, risk.respondBy)
            if let b = best, case let current = risks[b],
               current.level > risk.level || (current.level == risk.level && current.respondBy <= risk.respondBy) {
                continue
            }
            best = k
        }
        guard let best, let earliest else { return nil }
        return (best, earliest)
    }
}
