import TaktModel

/// The register's risks (contract §2c) in `risks.csv` order: their records and the one
/// `RiskWording` (the plan) that the worded records' texts are made from.
///
/// Each element is read as a `Risk` (a record with this list's wording); storing one
/// through the subscript keeps its record when its texts are written or come from the
/// same wording, and writes its texts out otherwise (as they read when stored: a later
/// change to its quantity or date no longer rewords them), so a list never refers to a
/// plan it does not hold.
public struct RiskList: RandomAccessCollection, MutableCollection, ExpressibleByArrayLiteral, Sendable, Equatable {
    package private(set) var records: [RiskRecord]
    package let wording: RiskWording?

    package init(records: [RiskRecord], wording: RiskWording?) {
        self.records = records
        self.wording = wording
    }

    /// `risks` in their order, worded through the first one's wording; the others of
    /// another wording are written out.
    public init(_ risks: some Sequence<Risk>) {
        var wording: RiskWording?
        var records: [RiskRecord] = []
        for risk in risks {
            if wording == nil, risk.wording != nil { wording = risk.wording }
            records.append(Self.record(of: risk, for: wording))
        }
        self.init(records: records, wording: wording)
    }

    public init(arrayLiteral risks: Risk...) { self.init(risks) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(k: Int) -> Risk {
        get { Risk(record: records[k], wording: wording) }
        set { records[k] = Self.record(of: newValue, for: wording) }
    }

    /// Merges `found` into this list in place: each goes before the first risk it is
    /// `ahead` of, after every risk it is not, the found ones keeping their order. Both
    /// orders must be monotone in `ahead` (a found risk ahead of a risk is ahead of every
    /// later one; a risk a found one is ahead of has every later found one ahead of it too,
    /// as the register's and the KPI risks' orders are): then this merge from the end puts
    /// each where a merge from the start would.
    package mutating func merge(_ found: [Risk], by ahead: (Risk, Risk) -> Bool) {
        guard !found.isEmpty else { return }
        let added = found.map { Self.record(of: $0, for: wording) }
        var i = records.count - 1, j = added.count - 1
        records.append(contentsOf: added)
        var w = records.count - 1
        while j >= 0 {
            if i >= 0, ahead(found[j], self[i]) {
                records[w] = records[i]
                i -= 1
            } else {
                records[w] = added[j]
                j -= 1
            }
            w -= 1
        }
    }

    /// The elements at `order`'s positions, in that order.
    package mutating func reorder(_ order: [Int]) {
        records = order.map { records[$0] }
    }

    private static func record(of risk: Risk, for wording: RiskWording?) -> RiskRecord {
        risk.wording == nil || risk.wording === wording ? risk.record : risk.writtenOut
    }

    /// Equal when the risks read the same, one by one.
    public static func == (a: RiskList, b: RiskList) -> Bool { a.elementsEqual(b) }
}
