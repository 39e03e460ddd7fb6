/// One supply event of the projection (contract §2d) packed in a word that sorts in
/// supply order: the available bucket (bits 40–63), the kind (38–39: on-hand, open
/// receipt, planned order, pass-through, the order inside an available bucket) and the
/// index of the receipt, order or pass-through entry (0–37), which orders events of one
/// kind as §2d wants (receipts in file order, orders by due bucket then split place —
/// the MRP's order — pass-throughs by bucket).
struct SupplyEvent: Comparable, Hashable {
    let key: UInt64

    enum Kind: UInt64 {
        case onHand = 0, receipt, order, passThrough
    }

    /// The available bucket of an event never available (a make order whose material is
    /// not delivered): after every bucket.
    static let never = 0xFF_FFFF
    /// The largest bucket held; later ones (absurd lead times) are clamped to it, still
    /// after the horizon.
    static let latest = never - 1

    init(available: Int, kind: Kind, index: Int) {
        let a = UInt64(available >= Self.never ? Self.never : max(0, min(available, Self.latest)))
        key = a << 40 | kind.rawValue << 38 | UInt64(index)
    }

    init(key: UInt64) { self.key = key }

    var available: Int { Int(key >> 40) }
    var kind: Kind { Kind(rawValue: key >> 38 & 3)! }
    var index: Int { Int(key & (1 << 38 - 1)) }

    static func < (a: SupplyEvent, b: SupplyEvent) -> Bool { a.key < b.key }
}

/// What a requirement row took last (contract §2d): the supply event it was covered by,
/// nothing (covered by what the rows before it left), or not delivered.
enum RowOutcome: Hashable {
    case covered(SupplyEvent)
    case untouched
    case notDelivered
}
