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

/// A risk as the register stores it: its fields packed, and where its texts come from —
/// given (`written`), or the finding behind it packed into one word (`worded`), which the
/// list's `RiskWording` turns into text when the risk is read (`Risk`, `RiskList`).
///
/// A record holds no reference to the plan: a stress-shaped model has millions of risks,
/// each 64 bytes here against about 500 with its texts made at once, and `==` and `hash`
/// compare what is stored, never text. Dates are day numbers, levels 32-bit integers and
/// the owner a number (`OwnerNames`); the fields go in an order that leaves no padding.
public struct RiskRecord: Sendable, Hashable {
    /// Quantity behind the risk (units), for merging and ranking.
    public var quantity: Double
    /// What the quantity is worth: units × the item's price (chosen supplier's, else
    /// `unit_cost`), for ranking.
    public var valueAtRisk: Double
    /// What a shortage delays (§2d); nil for other kinds.
    public var shortage: ShortageImpact?
    var texts: Texts
    public var kind: RiskKind
    var ownerNumber: Int32
    var dateNumber: Int32, respondByNumber: Int32
    var firstSeenNumber: Int32 = Self.none, missedRespondByNumber: Int32 = Self.none
    var storedLevel: Int32, storedEscalatedFrom: Int32 = Self.none

    static let none = Int32.min

    public var owner: String {
        get { OwnerNames.name(ownerNumber) }
        set { ownerNumber = OwnerNames.number(newValue) }
    }

    /// The level and date, as `Risk` reads them (a ranking reads records, not risks).
    package var level: Int { Int(storedLevel) }
    package var date: Day { Day(number: Int(dateNumber)) }

    /// Where the subject, id, impact and message come from.
    enum Texts: Sendable, Hashable {
        /// Given when the risk was made.
        case written(Written)
        /// Made from the plan when read: the finding behind the risk, packed (`RiskWording.pack`).
        case worded(UInt64)
    }

    /// Texts given with the risk (one allocation, so that `Texts` stays one word and a tag).
    final class Written: Sendable, Hashable {
        let item: String, id: String, impact: String, message: String
        /// The impact as the status report shows it, when it is not the impact itself.
        let briefImpact: String?
        init(item: String, id: String, impact: String, message: String, briefImpact: String? = nil) {
            (self.item, self.id, self.impact, self.message) = (item, id, impact, message)
            self.briefImpact = briefImpact == impact ? nil : briefImpact
        }

        func text(_ text: RiskWording.Text) -> String {
            switch text {
            case .id: id
            case .item: item
            case .impact: impact
            case .briefImpact: briefImpact ?? impact
            case .message: message
            }
        }

        static func == (a: Written, b: Written) -> Bool {
            a.item == b.item && a.id == b.id && a.impact == b.impact && a.message == b.message && a.briefImpact == b.briefImpact
        }

        func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    init(kind: RiskKind, level: Int, owner: String, respondBy: Day, date: Day, quantity: Double,
         valueAtRisk: Double = 0, texts: Texts) {
        self.init(kind: kind, level: level, ownerNumber: OwnerNames.number(owner), respondBy: respondBy, date: date,
                  quantity: quantity, valueAtRisk: valueAtRisk, texts: texts)
    }

    /// With the owner's number (`OwnerNames.number`), looked up once for many risks.
    init(kind: RiskKind, level: Int, ownerNumber: Int32, respondBy: Day, date: Day, quantity: Double,
         valueAtRisk: Double = 0, texts: Texts) {
        self.kind = kind
        self.ownerNumber = ownerNumber
        self.quantity = quantity
        self.valueAtRisk = valueAtRisk
        dateNumber = Int32(date.number)
        respondByNumber = Int32(respondBy.number)
        storedLevel = Int32(clamping: level)
        self.texts = texts
    }
}

/// One row of `risks.csv`: a finding with a stable id, a level, an owner and a deadline, as
/// read — its record (`RiskRecord`) with the wording its texts come from, the list's.
///
/// The id is always `KIND:ITEM:DATE` made from the fields for a worded risk. A risk built
/// with texts (a KPI risk, a test's) keeps them as given and needs no wording. A risk read
/// from a list refers to the plan only while it is held; the list keeps records.
public struct Risk: Sendable, Hashable {
    package var record: RiskRecord
    /// Where a worded record's texts come from; nil when its texts are written.
    package let wording: RiskWording?

    package init(record: RiskRecord, wording: RiskWording?) {
        precondition(wording != nil || !record.isWorded, "a worded risk read without its wording")
        self.record = record
        self.wording = wording
    }

    public init(id: String, kind: RiskKind, item: String, level: Int, owner: String, respondBy: Day, date: Day,
                impact: String, message: String, quantity: Double, shortage: ShortageImpact? = nil, valueAtRisk: Double = 0) {
        record = RiskRecord(kind: kind, level: level, owner: owner, respondBy: respondBy, date: date, quantity: quantity,
                            valueAtRisk: valueAtRisk,
                            texts: .written(RiskRecord.Written(item: item, id: id, impact: impact, message: message)))
        record.shortage = shortage
        wording = nil
    }

    /// The record with its texts written out: what a list with another wording (or none)
    /// stores for this risk.
    package var writtenOut: RiskRecord {
        guard record.isWorded else { return record }
        var written = record
        written.texts = .written(RiskRecord.Written(item: item, id: id, impact: impact, message: message, briefImpact: briefImpact))
        return written
    }

    /// Texts written now, `change` applied: what a setter of a text leaves.
    private mutating func write(_ change: (inout (item: String, id: String, impact: String, message: String)) -> Void) {
        let (impact, brief) = (impact, briefImpact)
        var fields = (item: item, id: id, impact: impact, message: message)
        change(&fields)
        // A new impact is its own brief one.
        record.texts = .written(RiskRecord.Written(item: fields.item, id: fields.id, impact: fields.impact, message: fields.message,
                                                   briefImpact: fields.impact == impact ? brief : nil))
    }

    public var kind: RiskKind {
        get { record.kind }
        set { record.kind = newValue }
    }

    public var quantity: Double {
        get { record.quantity }
        set { record.quantity = newValue }
    }

    public var valueAtRisk: Double {
        get { record.valueAtRisk }
        set { record.valueAtRisk = newValue }
    }

    /// What a shortage delays (§2d); nil for other kinds.
    public var shortage: ShortageImpact? {
        get { record.shortage }
        set { record.shortage = newValue }
    }

    public var owner: String {
        get { record.owner }
        set { record.owner = newValue }
    }

    /// The owner's number (`OwnerNames`): equal numbers, the same owner. A writer of many
    /// rows reads the name once for each run of one owner.
    package var ownerNumber: Int32 { record.ownerNumber }

    /// An item or product name, or a manual criterion's text. Setting it writes the texts
    /// out as they read now, except that a made id (`KIND:ITEM:DATE`) names the new subject.
    public var item: String {
        get {
            switch record.texts {
            case .written(let written): written.item
            case .worded(let packed): wording!.subject(packed: packed)
            }
        }
        set {
            let madeID = record.isWorded
            let id = "\(kind.rawValue):\(newValue):\(date)"
            write {
                $0.item = newValue
                if madeID { $0.id = id }
            }
        }
    }

    /// The index in `items` of the item `item` names, where the risk was worded from the
    /// plan and is about an item; nil otherwise (then look `item` up by name). Saves making
    /// the name to find the item again.
    package var itemIndex: Int? {
        guard case .worded(let packed) = record.texts else { return nil }
        return wording!.subjectItem(packed: packed)
    }

    /// The index in `items` of the item the risk is about: `itemIndex`, else `item` looked
    /// up by name; nil when it names no item (a manual criterion).
    package func itemIndex(in items: ItemTable) -> Int? { itemIndex ?? items.id(item) }

    /// The deliveries a shortage delays, in order of need.
    public var delayed: [Delivery] { shortage?.deliveries ?? [] }

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

    /// The impact as the status report shows it: at most a few of the delayed deliveries
    /// named, then how many more (`RiskWording.briefDeliveries`).
    public var briefImpact: String { text(.briefImpact) }

    public var message: String {
        get { text(.message) }
        set { write { $0.message = newValue } }
    }

    private func text(_ text: RiskWording.Text) -> String {
        switch record.texts {
        case .written(let written): written.text(text)
        case .worded(let packed): wording!.string(text, of: self, packed: packed)
        }
    }

    /// Writes one of the texts as UTF-8 onto `out` (`risks.csv`: no `String` on the way).
    package func append(_ text: RiskWording.Text, to out: inout [UInt8]) {
        switch record.texts {
        case .written(let written): out.append(utf8: written.text(text))
        case .worded(let packed): wording!.append(text, of: self, packed: packed, to: &out)
        }
    }

    public var level: Int {
        get { Int(record.storedLevel) }
        set { record.storedLevel = Int32(clamping: newValue) }
    }

    public var date: Day {
        get { Day(number: Int(record.dateNumber)) }
        set { record.dateNumber = Int32(newValue.number) }
    }

    public var respondBy: Day {
        get { Day(number: Int(record.respondByNumber)) }
        set { record.respondByNumber = Int32(newValue.number) }
    }

    /// The plan date it was first seen (open in every run since); nil without a history.
    public var firstSeen: Day? {
        get { record.firstSeenNumber == RiskRecord.none ? nil : Day(number: Int(record.firstSeenNumber)) }
        set { record.firstSeenNumber = newValue.map { Int32($0.number) } ?? RiskRecord.none }
    }

    /// The level it held before this run escalated it (`EscalationTracker`).
    public var escalatedFrom: Int? {
        get { record.storedEscalatedFrom == RiskRecord.none ? nil : Int(record.storedEscalatedFrom) }
        set { record.storedEscalatedFrom = newValue.map { Int32(clamping: $0) } ?? RiskRecord.none }
    }

    /// Last week's deadline, when this run escalated the risk because it passed.
    public var missedRespondBy: Day? {
        get { record.missedRespondByNumber == RiskRecord.none ? nil : Day(number: Int(record.missedRespondByNumber)) }
        set { record.missedRespondByNumber = newValue.map { Int32($0.number) } ?? RiskRecord.none }
    }

    /// Equal when every field and text reads the same, however the texts are held (a view:
    /// it reads them; a list's records compare what is stored).
    public static func == (a: Risk, b: Risk) -> Bool {
        var (x, y) = (a.record, b.record)
        (x.texts, y.texts) = (.worded(0), .worded(0))
        return x == y && a.item == b.item && a.id == b.id && a.impact == b.impact && a.message == b.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(level)
        hasher.combine(quantity)
    }
}

extension RiskRecord {
    /// Whether its texts are made from the plan when read.
    var isWorded: Bool {
        if case .worded = texts { true } else { false }
    }
}
