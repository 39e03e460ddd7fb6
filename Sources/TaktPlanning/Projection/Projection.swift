import TaktModel
import TaktInput

/// What will actually arrive with the plan as decided (contract §2d): the deliveries of
/// every independent requirement with their lateness and cause, each planned order's
/// projected arrival, and the items that are short.
public struct Projection: Sendable {
    /// `deliveries.csv`, in its order.
    public var deliveries: [Delivery]
    /// Each planned order's available bucket (`mrp.orders` order); at or past the bucket
    /// count when it does not arrive within the horizon.
    public var orderAvailable: ContiguousArray<Int32>
    /// The items that are short, in allocation order.
    public var shortages: [ProjectedShortage]

    /// An empty projection (a model with nothing to deliver).
    public init() {
        (deliveries, orderAvailable, shortages) = ([], [], [])
    }

    /// Allocates `plan` once as planned and traces the cause of every late delivery; with
    /// `workers` of several cores, the rows are made on all of them while one allocates
    /// (`ProjectionPass.run(workers:)`), and the causes and arrivals are cut into pieces.
    public init(_ plan: ProjectionPlan, workers: any Workers = SerialWorkers()) {
        var pass = ProjectionPass(plan: plan, workers: workers)
        pass.run(workers: workers)
        Trace.mark("projection: allocated")
        self.init(pass, workers: workers)
    }

    /// The outcome of a pass, with the cause of every late delivery.
    public init(_ pass: ProjectionPass, workers: any Workers = SerialWorkers()) {
        let plan = pass.plan
        // The deliveries in pieces (one per core, at least two), each tracing its late ones'
        // causes with a cache of its own (a cause does not depend on the cache).
        let pieces = max(2, workers.width)
        /// Piece `p` of `0..<count` cut into `pieces` about equal ranges.
        @Sendable func piece(_ p: Int, of count: Int) -> Range<Int> { count * p / pieces..<count * (p + 1) / pieces }
        let deliveryCount = plan.deliveries.count
        let causePieces = workers.map(pieces) { p in
            var cache = ProjectionPass.TraceCache()
            return piece(p, of: deliveryCount).map { d in
                var delivery = plan.deliveries[d]
                let available = pass.deliveryAvailable[d]
                delivery.availableBucket = available == ProjectionPass.never ? nil : Int(available)
                delivery.lateQuantity = pass.deliveryLate[d]
                delivery.cause = pass.cause(ofDelivery: d, cache: &cache)
                return delivery
            }
        }
        deliveries = Array(causePieces.joined())
        Trace.mark("projection: causes")
        // Every order's arrival, the orders in the same number of pieces, each written
        // where it goes (16 M orders, 64 MB, at 1M items: no second copy).
        orderAvailable = workers.array(count: plan.mrp.orders.count, pieces: pieces) { range, at in
            pass.orderArrivals(range, into: at)
        }
        Trace.mark("projection: arrivals")
        // Each shortage's one action (`ShortageRemedy`).
        let moves = pass.receiptMovesIn(of: Set(pass.shortages.map(\.item)))
        shortages = pass.shortages.map { shortage in
            var shortage = shortage
            shortage.expedite = pass.expedite(for: shortage)
            if shortage.expedite == nil { shortage.lateAfterMoves = pass.lateAfterMoves(for: shortage, moves: moves[shortage.item]) }
            return shortage
        }
    }

    /// Order `o`'s available bucket, nil when it does not arrive within `buckets`.
    public func available(order o: Int, buckets: Int) -> Int? {
        let a = Int(orderAvailable[o])
        return a < buckets ? a : nil
    }
}
