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
