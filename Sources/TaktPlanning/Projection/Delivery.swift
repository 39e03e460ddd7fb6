import TaktModel

/// What a late delivery waits for (contract §2d `cause`): an item whose supply comes late,
/// or the capacity the master schedule lacks.
public enum DeliveryCause: Sendable, Hashable {
    case item(Int)
    case capacity
}

/// One independent requirement as the projection delivers it (contract §2d
/// `deliveries.csv`): a product's ramp week or a demand row.
public struct Delivery: Sendable, Hashable {
    public var item: Int
    /// `ramp`, or the demand row's reference (`demand` when it has none).
    public var source: String
    public var needBucket: Int
    public var quantity: Double
    /// What arrives after the need bucket, plus what is not delivered; at most `quantity`.
    public var lateQuantity: Double
    /// The bucket from which the whole requirement is there; nil when it is not delivered
    /// within the horizon.
    public var availableBucket: Int?
    /// Why it is late; nil when it is on time.
    public var cause: DeliveryCause?

    /// Late: available after its need bucket, or not delivered.
    public var isLate: Bool { availableBucket.map { $0 > needBucket } ?? true }
}
