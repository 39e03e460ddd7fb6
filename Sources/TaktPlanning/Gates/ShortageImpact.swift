import TaktModel

/// What a `shortage` risk delays (contract §2c, §2d): when the item's late requirements
/// are all there, and the deliveries whose cause is the item, earliest first.
public final class ShortageImpact: Sendable, Hashable {
    /// The bucket from which every late requirement of the item is there; nil when one is
    /// not delivered within the horizon.
    public let availableBucket: Int?
    /// Every delivery it delays, in `deliveries.csv` order of need: the impact names each
    /// one (§2d). A delivery has one cause: the register makes one list an item, which its
    /// shortage and its expedites share.
    public let deliveries: [Delivery]
    /// How many deliveries it delays.
    public var count: Int { deliveries.count }

    public init(availableBucket: Int?, deliveries: [Delivery]) {
        (self.availableBucket, self.deliveries) = (availableBucket, deliveries)
    }

    public static func == (a: ShortageImpact, b: ShortageImpact) -> Bool {
        a.availableBucket == b.availableBucket && a.deliveries == b.deliveries
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(availableBucket)
        hasher.combine(count)
    }
}
