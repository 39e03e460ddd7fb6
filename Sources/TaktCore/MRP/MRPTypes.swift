/// A planned order (contract §4 `planned_orders.csv`): one lot of a make or buy item.
public struct PlannedOrder: Sendable, Hashable {
    // 40 bytes an order (8 million orders at 1M items): ids and buckets as 32-bit.
    /// What is ordered: the receipt inflated by yield, `P × 100 / yield_pct`.
    public var quantity: Double
    /// What arrives: this order's share of the planned receipt `P`.
    public var receiptQuantity: Double
    private var storedItem: Int32
    private var storedOffer: Int32
    private var storedRelease: Int32
    private var storedDue: Int32
    public var kind: ItemType
    /// The release would fall before bucket 0 (§2): it cannot arrive in time.
    public var pastDue: Bool

    public init(item: Int, kind: ItemType, quantity: Double, receiptQuantity: Double, releaseBucket: Int,
                dueBucket: Int, pastDue: Bool, offer: Int) {
        self.quantity = quantity
        self.receiptQuantity = receiptQuantity
        storedItem = Int32(item)
        storedOffer = Int32(offer)
        storedRelease = Int32(releaseBucket)
        storedDue = Int32(dueBucket)
        self.kind = kind
        self.pastDue = pastDue
    }

    public var item: Int {
        get { Int(storedItem) }
        set { storedItem = Int32(newValue) }
    }
    public var releaseBucket: Int {
        get { Int(storedRelease) }
        set { storedRelease = Int32(newValue) }
    }
    public var dueBucket: Int {
        get { Int(storedDue) }
        set { storedDue = Int32(newValue) }
    }
    /// The chosen supplier offer of a buy item, or -1.
    public var offer: Int {
        get { Int(storedOffer) }
        set { storedOffer = Int32(newValue) }
    }
}

/// The exception types of `exceptions.csv` (contract §4).
public enum ExceptionKind: String, Sendable, CaseIterable {
    case pastDue = "past_due"
    case rescheduleIn = "reschedule_in"
    case rescheduleOut = "reschedule_out"
    case cancel
}

/// One exception row: a past-due planned order or an action message on an open receipt.
public struct MRPException: Sendable, Hashable {
    public var item: Int
    public var kind: ExceptionKind
    /// A past-due order's due date, a reschedule's need date, a cancel's receipt due date.
    public var date: Day
    public var quantity: Double
    public var message: String
}

/// A requirement that does not come from a parent: a product's ramp or a demand row.
public struct IndependentRequirement: Sendable, Hashable {
    public var item: Int
    public var bucket: Int
    public var quantity: Double
    /// `ramp`, or the demand row's `reference` (`demand` when it has none).
    public var source: String
}

/// Everything MRP computed. The record's bucket arrays (gross … planned releases) are
/// flat, `items × buckets`, indexed `item * bucketCount + t`, and empty when the engine
/// ran without `record`.
public struct MRPResult: Sendable {
    public var calendar: BucketCalendar
    public var bucketCount: Int { calendar.count }
    public var gross: ContiguousArray<Double>
    public var scheduledReceipts: ContiguousArray<Double>
    public var projectedOnHand: ContiguousArray<Double>
    public var plannedReceipts: ContiguousArray<Double>
    public var plannedReleases: ContiguousArray<Double>
    /// Each phantom's row in `phantomPassThrough`; -1 for other items.
    public var phantomRow: ContiguousArray<Int32>
    /// What each phantom passed through to its components, per bucket: row
    /// `phantomRow[item]`, `phantomRow[item] * bucketCount + t`.
    public var phantomPassThrough: ContiguousArray<Double>
    public var orders: [PlannedOrder]
    public var exceptions: [MRPException]
    public var independent: [IndependentRequirement]
    public var chosenOffer: ContiguousArray<Int>
    public var leadTimeBuckets: ContiguousArray<Int>
    public var warnings: [Warning]

    /// Per item, its orders' indices in `orders`: the MRP plans item by item, so each
    /// item's orders are contiguous (in due order); empty for an item without orders.
    public func orderRanges(itemCount: Int) -> [Range<Int>] {
        var ranges = [Range<Int>](repeating: 0..<0, count: itemCount)
        var k = 0
        while k < orders.count {
            var end = k + 1
            while end < orders.count, orders[end].item == orders[k].item { end += 1 }
            ranges[orders[k].item] = k..<end
            k = end
        }
        return ranges
    }

    /// What phantom `item` passed through in bucket `t` (0 for other items).
    @inline(__always)
    public func passThrough(_ item: Int, _ t: Int) -> Double {
        let row = Int(phantomRow[item])
        return row < 0 ? 0 : phantomPassThrough[row * bucketCount + t]
    }

    /// The slice of a bucket array that belongs to `item`.
    @inline(__always)
    public func range(of item: Int) -> Range<Int> { item * bucketCount..<(item + 1) * bucketCount }
}
