import Foundation
/// How an item is replenished (contract §1 `type`).
public enum ItemType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case make, buy, phantom

    public init?(name: String) {
        switch name {
        case "make": self = .make
        case "buy": self = .buy
        case "phantom": self = .phantom
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .make: "make"
        case .buy: "buy"
        case .phantom: "phantom"
        }
    }
}

/// The lot-sizing rule of an item (contract §1 `lot_rule`, §2).
public enum LotRule: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case lfl, foq, poq, eoq

    public init?(name: String) {
        switch name {
        case "lfl": self = .lfl
        case "foq": self = .foq
        case "poq": self = .poq
        case "eoq": self = .eoq
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .lfl: "lfl"
        case .foq: "foq"
        case .poq: "poq"
        case .eoq: "eoq"
        }
    }
}

/// All items, struct-of-arrays, indexed by dense item id `0..<count`.
///
/// Names and the name index are used at the edges only (parsing and writing); planning
/// loops read the numeric columns by id.
public struct ItemTable: Sendable {
    public var names: [String] = []
    /// Name → id.
    public var nameIndex = NameIndex()
    public var type: ContiguousArray<ItemType> = []
    /// items.csv `description` (one buffer for all: `TextColumn`); empty once dropped.
    public var itemDescription = TextColumn()

    /// Lets go of the descriptions, for a run that never shows them (`takt plan`: its files
    /// name items, and only `takt record` shows a description).
    public mutating func dropDescriptions() { itemDescription = TextColumn() }
    /// items.csv `uom`, coded: an index into `uomNames`, whose first entry is the default
    /// `pcs` (two bytes an item).
    public var uomCode: ContiguousArray<UInt16> = []
    public var uomNames: [String] = ["pcs"]
    public var leadTimeDays: ContiguousArray<Double> = []
    public var lotRule: ContiguousArray<LotRule> = []
    public var lotSize: ContiguousArray<Double> = []
    public var minLot: ContiguousArray<Double> = []
    /// 0 = no maximum.
    public var maxLot: ContiguousArray<Double> = []
    /// 0 = no multiple.
    public var lotMultiple: ContiguousArray<Double> = []
    public var safetyStock: ContiguousArray<Double> = []
    public var yieldPct: ContiguousArray<Double> = []
    public var unitCost: ContiguousArray<Double> = []
    public var orderCost: ContiguousArray<Double> = []
    /// Work center id of the item's own operation, or -1.
    public var workcenter: ContiguousArray<Int> = []
    public var runHours: ContiguousArray<Double> = []
    public var setupHours: ContiguousArray<Double> = []
    /// From inventory.csv (0 when absent).
    public var onHand: ContiguousArray<Double> = []
    /// Line of the item's row in items.csv.
    public var line: ContiguousArray<Int> = []

    public init() {}

    public var count: Int { names.count }

    public func id(_ name: String) -> Int? { nameIndex.find(name) }

    /// Units started (made or ordered) per good unit received (contract §2 yield): an
    /// order of `P` good units is for `P × 100 / yield_pct`.
    @inlinable
    public func startedPerGood(_ item: Int) -> Double { 100 / yieldPct[item] }

    /// Units of `item` started per good unit, as its components see it: a make item's
    /// components are consumed by every unit started, good or not (§2 yield); a buy or
    /// phantom item passes no loss down.
    @inlinable
    public func componentStartsPerGood(_ item: Int) -> Double { type[item] == .make ? startedPerGood(item) : 1 }

    /// Room for `count` items' names, index, line and on-hand.
    package mutating func reserveNames(_ count: Int) {
        names.reserveCapacity(count)
        nameIndex.reserveCapacity(count)
        line.reserveCapacity(count)
        onHand.reserveCapacity(count)
    }

    /// Room for `count` items in every other column.
    package mutating func reserveColumns(_ count: Int) {
        type.reserveCapacity(count)
        itemDescription.reserveCapacity(count)
        workcenter.reserveCapacity(count)
        lotRule.reserveCapacity(count)
        for column in [\ItemTable.leadTimeDays, \.lotSize, \.minLot, \.maxLot, \.lotMultiple, \.safetyStock, \.yieldPct,
                       \.unitCost, \.orderCost, \.runHours, \.setupHours] as [WritableKeyPath<ItemTable, ContiguousArray<Double>>] {
            self[keyPath: column].reserveCapacity(count)
        }
    }

    /// The item's unit of measure (`pcs` unless items.csv says otherwise).
    public func uom(_ item: Int) -> String {
        item < uomCode.count ? uomNames[Int(uomCode[item])] : uomNames[0]
    }

    /// Each item's position in name order (UTF-8 byte order), so that output sorting
    /// compares integers.
    ///
    /// - Complexity: O(n log n) string comparisons, once per output.
    public func nameRank() -> ContiguousArray<Int> {
        // Byte order of the UTF-8 (contract §2d), which `String <` gives only for names in
        // composed form: it compares canonically equivalent forms as equal. The names are
        // copied once into one buffer; each is keyed by its first 8 bytes big-endian (an
        // unsigned compare of the keys is the bytes' order), and only equal keys compare
        // the rest — the generic byte-by-byte compare of two `String`s cost a tenth of a
        // 100k-item run's critical path.
        let n = count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n * 16)
        var start = [Int](repeating: 0, count: n + 1)
        var key = [UInt64](repeating: 0, count: n)
        for k in 0..<n {
            start[k] = bytes.count
            bytes.append(contentsOf: names[k].utf8)
            var prefix: UInt64 = 0
            for j in 0..<8 { prefix = prefix << 8 | UInt64(start[k] + j < bytes.count ? bytes[start[k] + j] : 0) }
            key[k] = prefix
        }
        start[n] = bytes.count
        var order = Array(0..<n)
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress
            order.sort { a, b in
                if key[a] != key[b] { return key[a] < key[b] }
                let (la, lb) = (start[a + 1] - start[a], start[b + 1] - start[b])
                let common = min(la, lb)
                let c = common == 0 ? 0 : memcmp(base! + start[a], base! + start[b], common)
                return c != 0 ? c < 0 : la < lb
            }
        }
        var rank = ContiguousArray<Int>(repeating: 0, count: n)
        for (position, item) in order.enumerated() { rank[item] = position }
        return rank
    }
}
