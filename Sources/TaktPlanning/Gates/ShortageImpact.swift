import TaktModel

/// What a `shortage` risk delays (contract §2c, §2d): when the item's late requirements
/// are all there, and the deliveries whose cause is the item, earliest first.
public final class ShortageImpact: Sendable, Hashable {
    /// The bucket from which every late requirement of the item is there; nil when one is
    /// not delivered within the horizon.
    public let availableBucket: Int?
    /// The first deliveries it delays (at most `shown`), in `deliveries.csv` order of need.
    public let first: [Delivery]
    /// How many deliveries it delays.
    public let count: Int

    /// The deliveries a risk's impact names.
    public static let shown = 5

    public init(availableBucket: Int?, first: [Delivery], count: Int) {
        (self.availableBucket, self.first, self.count) = (availableBucket, first, count)
    }

    public static func == (a: ShortageImpact, b: ShortageImpact) -> Bool {
        a.availableBucket == b.availableBucket && a.first == b.first && a.count == b.count
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(availableBucket)
        hasher.combine(count)
    }
}
