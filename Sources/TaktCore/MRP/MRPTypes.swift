/// A planned order (contract §4 `planned_orders.csv`): one lot of a make or buy item.
public struct PlannedOrder: Sendable, Hashable {
    public var item: Int
    public var kind: ItemType
    /// What is ordered: the receipt inflated by yield, `P × 100 / yield_pct`.
    public var quantity: Double
    /// What arrives: this order's share of the planned receipt `P`.
    public var receiptQuantity: Double
    public var releaseBucket: Int
    public var dueBucket: Int
    /// The release would fall before bucket 0 (§2): it cannot arrive in time.
    public var pastDue: Bool
    /// The chosen supplier offer of a buy item, or -1.
    public var offer: Int
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
