import TaktModel
import TaktInput

/// A planned order (contract §4 `planned_orders.csv`): one lot of a make or buy item.
///
/// 24 bytes an order (70 million orders at 4M items in day buckets): the two quantities,
/// then the item (27 bits), release and due buckets (13 bits each: a plan is at most ten
/// years, 2,600 day buckets), kind and past-due flag in one word. A buy order's supplier
/// offer is its item's chosen one (`MRPResult.chosenOffer`).
public struct PlannedOrder: Sendable, Hashable {
    /// What is ordered: the receipt inflated by yield, `P × 100 / yield_pct`.
    public var quantity: Double
    /// What arrives: this order's share of the planned receipt `P`.
    public var receiptQuantity: Double
    /// Bits 0–26 the item, 27–39 the release bucket, 40–52 the due bucket, 53–54 the
    /// kind's raw value, 55 past due.
    private var packed: UInt64

    /// The layout's one source: 27 bits of item, 13 of each bucket. The longest plan
    /// (`PlanParser.maximumWeeks` weeks in day buckets, at most 7 a week) fits in 13 bits,
    /// which a test holds; other packed keys use `bucketLimit` for the same reason.
    private static let itemBits: UInt64 = 27, bucketBits: UInt64 = 13
    package static let itemLimit = 1 << itemBits, bucketLimit = 1 << bucketBits
    private static let itemMask: UInt64 = (1 << itemBits) - 1, bucketMask: UInt64 = (1 << bucketBits) - 1
    private static let releaseShift = itemBits, dueShift = itemBits + bucketBits, kindShift = itemBits + 2 * bucketBits
    private static let pastDueBit: UInt64 = 1 << (kindShift + 2)

    public init(item: Int, kind: ItemType, quantity: Double, receiptQuantity: Double, releaseBucket: Int,
                dueBucket: Int, pastDue: Bool) {
        self.quantity = quantity
        self.receiptQuantity = receiptQuantity
        packed = 0
        self.item = item
        self.releaseBucket = releaseBucket
        self.dueBucket = dueBucket
        self.kind = kind
        self.pastDue = pastDue
    }

    public var item: Int {
        get { Int(packed & Self.itemMask) }
        set {
            precondition(newValue >= 0 && newValue < Self.itemLimit, "planned order item beyond its packing")
            packed = packed & ~Self.itemMask | UInt64(newValue)
        }
    }
    public var releaseBucket: Int {
        get { Int(packed >> Self.releaseShift & Self.bucketMask) }
        set { packed = Self.setting(packed, newValue, at: Self.releaseShift) }
    }
    public var dueBucket: Int {
        get { Int(packed >> Self.dueShift & Self.bucketMask) }
        set { packed = Self.setting(packed, newValue, at: Self.dueShift) }
    }
    public var kind: ItemType {
        get { ItemType(rawValue: UInt8(packed >> Self.kindShift & 3))! }
        set { packed = packed & ~(3 << Self.kindShift) | UInt64(newValue.rawValue) << Self.kindShift }
    }
    /// The release would fall before bucket 0 (§2): it cannot arrive in time.
    public var pastDue: Bool {
        get { packed & Self.pastDueBit != 0 }
        set { packed = newValue ? packed | Self.pastDueBit : packed & ~Self.pastDueBit }
    }

    private static func setting(_ packed: UInt64, _ bucket: Int, at shift: UInt64) -> UInt64 {
        precondition(bucket >= 0 && bucket < bucketLimit, "planned order bucket beyond its packing")
        return packed & ~(bucketMask << shift) | UInt64(bucket) << shift
    }
}

/// The exception types of `exceptions.csv` (contract §4).
public enum ExceptionKind: String, Sendable, CaseIterable {
    case pastDue = "past_due"
    case rescheduleIn = "reschedule_in"
    case rescheduleOut = "reschedule_out"
    case cancel
    /// A work center whose MRP load exceeds its capacity and overtime by more than 5 %
    /// (§4 `overload`).
    case overload
    /// An open receipt due before the plan start (a further type, §4): counted as arriving
    /// in bucket 0, but nobody knows when it comes; date = its due date as written.
    case overdue
    /// A bought item MRP orders with neither a supplier offer nor a `unit_cost` (`NoSource`).
    case noSource = "no_source"
    /// A shortfall inside the planning time fence (`frozen_weeks`): no new order may be due
    /// there, so it is covered by an order due in the first bucket after the fence.
    case insideFence = "inside_fence"
}

/// One exception row: a past-due planned order, an action message on an open receipt, or
/// a work-center overload.
///
/// A stress model has hundreds of thousands of past-due orders: their message is made
/// from the row's fields when read (`PastDueWording`), not held as text.
public struct MRPException: Sendable, Hashable {
    /// A bucket's start (§2): a past-due order's due date, a reschedule's need date, a
    /// cancel's receipt's due bucket, an overdue receipt's first bucket, an overload's week.
    public var date: Day
    public var quantity: Double
    /// `past_due`: the short quantity of the order's (item, due bucket), `max(0, -A)` (§2),
    /// the same on every order of a split; 0 means a safety-stock rebuild. A `reschedule_in`
    /// that pulls a receipt in: what the receipts pulled into its bucket leave short of
    /// safety stock there, 0 when they cover it (not written to `exceptions.csv`).
    public var shortQuantity: Double = 0
    private var text: Text
    /// The item; -1 for an `overload` row (see `workcenter`).
    @Int32Field public var item: Int
    /// The open receipt (index into `model.receipts`) of a reschedule or cancel, else -1.
    @Int32Field public var receipt: Int
    /// The work center of an `overload` row, else -1.
    @Int32Field public var workcenter: Int
    public var kind: ExceptionKind

    /// A message given as text, or a past-due order's, made from the fields when read.
    private enum Text: Sendable, Hashable {
        case given(String)
        case pastDue(PastDueWording)
    }

    public init(item: Int, kind: ExceptionKind, date: Day, quantity: Double, message: String,
                shortQuantity: Double = 0, receipt: Int = -1, workcenter: Int = -1) {
        self.init(item: item, kind: kind, date: date, quantity: quantity, text: .given(message), shortQuantity: shortQuantity,
                  receipt: receipt, workcenter: workcenter)
    }

    /// A `past_due` row whose message `wording` makes from `date` and `shortQuantity`.
    init(pastDue item: Int, date: Day, quantity: Double, shortQuantity: Double, wording: PastDueWording) {
        self.init(item: item, kind: .pastDue, date: date, quantity: quantity, text: .pastDue(wording),
                  shortQuantity: shortQuantity, receipt: -1, workcenter: -1)
    }

    private init(item: Int, kind: ExceptionKind, date: Day, quantity: Double, text: Text, shortQuantity: Double,
                 receipt: Int, workcenter: Int) {
        self.item = item
        self.receipt = receipt
        self.workcenter = workcenter
        self.kind = kind
        self.date = date
        self.quantity = quantity
        self.text = text
        self.shortQuantity = shortQuantity
    }

    public var message: String {
        get {
            switch text {
            case .given(let message): message
            case .pastDue(let wording): wording.message(due: date, short: shortQuantity)
            }
        }
        set { text = .given(newValue) }
    }

    /// Whether `message` reads the same as `other`'s, made only when the two are held
    /// differently (sorting `exceptions.csv` compares messages last).
    public func messageEquals(_ other: MRPException) -> Bool {
        (text == other.text && date == other.date && shortQuantity == other.shortQuantity) || message == other.message
    }

    /// Equal when every field and the message read the same, however it is held.
    public static func == (a: MRPException, b: MRPException) -> Bool {
        a.item == b.item && a.kind == b.kind && a.date == b.date && a.quantity == b.quantity
            && a.shortQuantity == b.shortQuantity && a.receipt == b.receipt && a.workcenter == b.workcenter
            && a.messageEquals(b)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(item)
        hasher.combine(kind)
        hasher.combine(date)
        hasher.combine(quantity)
    }

    /// A `past_due` row with a real shortage (short quantity > 1e-9), not a safety-stock rebuild.
    public var isShortage: Bool { kind == .pastDue && shortQuantity > LotPolicy.tolerance }
    /// A `past_due` row that only rebuilds safety stock (short quantity 0).
    public var isSafetyStockRebuild: Bool { kind == .pastDue && shortQuantity <= LotPolicy.tolerance }
}

/// What a past-due order's message says besides its due date and short quantity: the
/// order's kind and how many buckets before the plan start it should have been released
/// (§4 `exceptions.csv`: `make order due 2027-01-04 should have been released 3 weeks
/// before the plan start (12 short)`).
struct PastDueWording: Sendable, Hashable {
    var kind: ItemType
    /// Buckets before the plan start.
    var late: Int32
    var weekly: Bool

    func message(due: Day, short: Double) -> String {
        let unit = weekly ? "week" : "working day"
        let what = short > LotPolicy.tolerance ? "\(NumberFormat.quantity(short)) short" : "safety-stock rebuild, nothing short"
        return "\(kind) order due \(due) should have been released \(late) \(unit)\(late == 1 ? "" : "s") before the plan start (\(what))"
    }
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
    /// The one item whose record rows the five record arrays hold (`run(onlyItem:)`), or
    /// nil when they hold every item's.
    public var recordedItem: Int?
    public var scheduledReceipts: ContiguousArray<Double>
    public var projectedOnHand: ContiguousArray<Double>
    public var plannedReceipts: ContiguousArray<Double>
    public var plannedReleases: ContiguousArray<Double>
    /// Each phantom's row in `phantomPassThrough`; -1 for other items.
    public var phantomRow: ContiguousArray<Int32>
    /// What each phantom passed through to its components, in the buckets where it passed
    /// something: row `phantomRow[item]`.
    public var phantomPassThrough: PassThrough
    public var orders: [PlannedOrder]
    public var exceptions: [MRPException]
    public var independent: [IndependentRequirement]
    /// The due bucket of each open receipt (`model.receipts` order), -1 past the horizon.
    public var receiptDueBucket: ContiguousArray<Int32>
    /// The bucket each receipt was moved in to by the rescheduling check (§2), else -1.
    public var receiptMovedTo: ContiguousArray<Int32>
    public var chosenOffer: ContiguousArray<Int>
    public var leadTimeBuckets: ContiguousArray<Int>
    public var warnings: [Warning]
    /// Per bucket, the projected on-hand of every item (above 0) times its valuation
    /// (`MRPEngine.valuation`); empty when the engine had none.
    public var inventoryValue: ContiguousArray<Double> = []
    /// Each item's orders are `orders[orderStart[item]..<orderEnd[item]]`: the MRP plans
    /// item by item, so each item's orders are one stretch (in due order), noted as the
    /// runs are joined; an item without orders has an empty one.
    public var orderStart: ContiguousArray<Int32>
    public var orderEnd: ContiguousArray<Int32>
    /// The first of `orders` whose quantity or receipt quantity overflowed to infinity
    /// (qty_per, scrap and yield compounding through the BOM), noted as the orders are
    /// made; nil when none did.
    public var firstOverflowingOrder: Int? = nil

    /// Item `item`'s orders' indices in `orders`.
    @inline(__always)
    public func orderRange(of item: Int) -> Range<Int> { Int(orderStart[item])..<Int(orderEnd[item]) }

    /// Every item's `orderRange(of:)`.
    public func orderRanges() -> [Range<Int>] {
        orderStart.indices.map { orderRange(of: $0) }
    }

    /// What phantom `item` passed through in bucket `t` (0 for other items).
    public func passThrough(_ item: Int, _ t: Int) -> Double {
        let row = Int(phantomRow[item])
        return row < 0 ? 0 : phantomPassThrough.quantity(row: row, bucket: t)
    }

    /// Calls `body(t, quantity)` for each bucket where phantom `item` passed something, in
    /// bucket order (nothing for other items).
    @inline(__always)
    public func forEachPassThrough(of item: Int, _ body: (_ t: Int, _ quantity: Double) -> Void) {
        let row = Int(phantomRow[item])
        guard row >= 0 else { return }
        let passed = phantomPassThrough
        for k in passed.entries(ofRow: row) { body(Int(passed.bucket[k]), passed.quantity[k]) }
    }

    /// One `past_due` exception per (item, due bucket): the first order's (the orders of a
    /// split share the bucket's short quantity).
    public func pastDueBuckets() -> [MRPException] {
        var result: [MRPException] = []
        for exception in exceptions where exception.kind == .pastDue {
            if let last = result.last, last.item == exception.item, last.date == exception.date { continue }
            result.append(exception)
        }
        return result
    }

    /// The bucket in which receipt `k` counts: where it was moved to, else its due bucket;
    /// nil past the horizon.
    public func receiptBucket(_ k: Int) -> Int? {
        let moved = Int(receiptMovedTo[k])
        if moved >= 0 { return moved }
        let due = Int(receiptDueBucket[k])
        return due >= 0 ? due : nil
    }

    /// The slice of the record arrays (gross requirements, scheduled receipts, projected
    /// on hand, planned receipts and releases) that belongs to `item`.
    public func recordRange(of item: Int) -> Range<Int> {
        recordedItem == nil ? range(of: item) : 0..<bucketCount
    }

    /// The slice of a bucket array that belongs to `item`.
    @inline(__always)
    public func range(of item: Int) -> Range<Int> { item * bucketCount..<(item + 1) * bucketCount }
}
