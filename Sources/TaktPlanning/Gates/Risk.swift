import TaktModel
import TaktInput

/// The kinds of `risks.csv` (contract §2c).
public enum RiskKind: String, Sendable, CaseIterable {
    case shortage, capacity, expedite, supplier
    case safetyStock = "safety_stock"
    case gateCriterion = "gate_criterion"
    /// A KPI outside its target at a gate (`KPIReport`).
    case kpi
}

/// One row of `risks.csv`: a finding with a stable id, a level, an owner and a deadline.
///
/// A stress-shaped model has millions of risks, so a risk holds no text of its own until
/// it is read: the register's risks keep where their subject, impact and message come
/// from (the MRP exception, gate or criterion behind them, `RiskWording`) and make them
/// when `risks.csv`, the history or the report asks; the id is always `KIND:ITEM:DATE`
/// made from the fields. A risk built with texts (a KPI risk, a test's) keeps them as
/// given. Dates are held as day numbers and levels as 32-bit integers, what a shortage
/// delays in one reference (88 bytes a risk, against about 500 with its texts made at once).
public struct Risk: Sendable, Hashable {
    /// Quantity behind the risk (units), for merging and ranking.
    public var quantity: Double
    /// What the quantity is worth: units × the item's price (chosen supplier's, else
    /// `unit_cost`), for ranking.
    public var valueAtRisk: Double
    /// What a shortage delays (§2d); nil for other kinds.
    public var shortage: ShortageImpact?
    public var owner: String
    var texts: Texts
    private var dateNumber: Int32, respondByNumber: Int32
    private var firstSeenNumber: Int32 = Self.none, missedRespondByNumber: Int32 = Self.none
    private var storedLevel: Int32, storedEscalatedFrom: Int32 = Self.none
    public var kind: RiskKind

    private static let none = Int32.min

    /// Where the subject, id, impact and message come from.
    enum Texts: Sendable {
        /// Given when the risk was made.
        case written(Written)
        /// Made from the plan when read: the finding behind the risk, packed (`RiskWording`).
        case worded(RiskWording, UInt64)
    }

    /// Texts given with the risk (one allocation, so that `Texts` stays two words).
    final class Written: Sendable {
        let item: String, id: String, impact: String, message: String
        init(item: String, id: String, impact: String, message: String) {
            (self.item, self.id, self.impact, self.message) = (item, id, impact, message)
        }

        func text(_ text: RiskWording.Text) -> String {
            switch text {
            case .id: id
            case .impact: impact
            case .message: message
            }
        }
    }

    public init(id: String, kind: RiskKind, item: String, level: Int, owner: String, respondBy: Day, date: Day,
                impact: String, message: String, quantity: Double, shortage: ShortageImpact? = nil, valueAtRisk: Double = 0) {
        self.init(kind: kind, level: level, owner: owner, respondBy: respondBy, date: date, quantity: quantity,
                  valueAtRisk: valueAtRisk, texts: .written(Written(item: item, id: id, impact: impact, message: message)))
        self.shortage = shortage
    }

    init(kind: RiskKind, level: Int, owner: String, respondBy: Day, date: Day, quantity: Double,
         valueAtRisk: Double = 0, texts: Texts) {
        self.kind = kind
        self.owner = owner
        self.quantity = quantity
        self.valueAtRisk = valueAtRisk
        dateNumber = Int32(date.number)
        respondByNumber = Int32(respondBy.number)
        storedLevel = Int32(clamping: level)
        self.texts = texts
    }

    /// Texts written now, `change` applied: what a setter of a text leaves.
    private mutating func write(_ change: (inout (item: String, id: String, impact: String, message: String)) -> Void) {
        var fields = (item: item, id: id, impact: impact, message: message)
        change(&fields)
        texts = .written(Written(item: fields.item, id: fields.id, impact: fields.impact, message: fields.message))
    }

    /// An item or product name, or a manual criterion's text. Setting it writes the texts
    /// out as they read now, except that a made id (`KIND:ITEM:DATE`) names the new subject.
    public var item: String {
        get {
            switch texts {
            case .written(let written): written.item
            case .worded(let wording, let packed): wording.subject(packed: packed)
            }
        }
        set {
            let madeID: Bool = if case .worded = texts { true } else { false }
            let id = "\(kind.rawValue):\(newValue):\(date)"
            write {
                $0.item = newValue
                if madeID { $0.id = id }
            }
        }
    }

    /// The first deliveries a shortage delays, at most `ShortageImpact.shown`.
    public var delayed: [Delivery] { shortage?.first ?? [] }

    /// How many deliveries a shortage delays.
    public var delayedCount: Int { shortage?.count ?? 0 }

    /// `KIND:ITEM:DATE`, stable from week to week.
    public var id: String {
        get { text(.id) }
        set { write { $0.id = newValue } }
    }

    public var impact: String {
        get { text(.impact) }
        set { write { $0.impact = newValue } }
    }

    public var message: String {
        get { text(.message) }
        set { write { $0.message = newValue } }
    }

    private func text(_ text: RiskWording.Text) -> String {
        switch texts {
        case .written(let written): written.text(text)
        case .worded(let wording, let packed): wording.string(text, of: self, packed: packed)
        }
    }

    /// Writes one of the texts as UTF-8 onto `out` (`risks.csv`: no `String` on the way).
    package func append(_ text: RiskWording.Text, to out: inout [UInt8]) {
        switch texts {
        case .written(let written): out.append(contentsOf: written.text(text).utf8)
        case .worded(let wording, let packed): wording.append(text, of: self, packed: packed, to: &out)
        }
    }

    public var level: Int {
        get { Int(storedLevel) }
        set { storedLevel = Int32(clamping: newValue) }
    }

    public var date: Day {
        get { Day(number: Int(dateNumber)) }
        set { dateNumber = Int32(newValue.number) }
    }

    public var respondBy: Day {
        get { Day(number: Int(respondByNumber)) }
        set { respondByNumber = Int32(newValue.number) }
    }

    /// The plan date it was first seen (open in every run since); nil without a history.
    public var firstSeen: Day? {
        get { firstSeenNumber == Self.none ? nil : Day(number: Int(firstSeenNumber)) }
        set { firstSeenNumber = newValue.map { Int32($0.number) } ?? Self.none }
    }

    /// The level it held before this run escalated it (`EscalationTracker`).
    public var escalatedFrom: Int? {
        get { storedEscalatedFrom == Self.none ? nil : Int(storedEscalatedFrom) }
        set { storedEscalatedFrom = newValue.map { Int32(clamping: $0) } ?? Self.none }
    }

    /// Last week's deadline, when this run escalated the risk because it passed.
    public var missedRespondBy: Day? {
        get { missedRespondByNumber == Self.none ? nil : Day(number: Int(missedRespondByNumber)) }
        set { missedRespondByNumber = newValue.map { Int32($0.number) } ?? Self.none }
    }

    /// Equal when every field and text reads the same, however the texts are held.
    public static func == (a: Risk, b: Risk) -> Bool {
        a.kind == b.kind && a.item == b.item && a.owner == b.owner && a.quantity == b.quantity
            && a.valueAtRisk == b.valueAtRisk && a.shortage == b.shortage && a.dateNumber == b.dateNumber
            && a.respondByNumber == b.respondByNumber && a.firstSeenNumber == b.firstSeenNumber
            && a.missedRespondByNumber == b.missedRespondByNumber && a.storedLevel == b.storedLevel
            && a.storedEscalatedFrom == b.storedEscalatedFrom
            && a.id == b.id && a.impact == b.impact && a.message == b.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(level)
        hasher.combine(quantity)
    }
}
