import TaktModel

/// The one action that answers a projected shortage (contract §2d `shortage`; the report's
/// procurement actions and next-week plan): bring in one open receipt of the item that is
/// due later, when that alone leaves none of the item's requirements late; otherwise order
/// now (the shortage's late orders, arriving when the projection says).
public struct ReceiptExpedite: Sendable, Hashable {
    /// The open receipt to bring in (`model.receipts` index).
    public var receipt: Int
    /// The bucket to bring it in to: the need bucket of the item's first late row.
    public var toBucket: Int
    /// How many buckets earlier than its date in `receipts.csv` (at least 1).
    public var buckets: Int
    /// Each of the item's orders released late (`r < 0`, `mrp.orders` order) and the bucket
    /// it is first needed in once the receipt is brought in (the need bucket of the first row
    /// that takes from it); nil when no row takes from it within the horizon.
    public var lateOrdersNeeded: [(order: Int, bucket: Int?)]

    public static func == (a: ReceiptExpedite, b: ReceiptExpedite) -> Bool {
        a.receipt == b.receipt && a.toBucket == b.toBucket && a.buckets == b.buckets
            && a.lateOrdersNeeded.elementsEqual(b.lateOrdersNeeded) { $0.order == $1.order && $0.bucket == $1.bucket }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(receipt)
        hasher.combine(toBucket)
    }
}

extension ProjectionPass {
    /// The earliest-due open receipt of `shortage`'s item that, brought in to the first late
    /// need bucket and nothing else changed, leaves no row of the item late (each row covered
    /// in time, late quantity ≤ `Tolerance.quantity`); nil when none does.
    ///
    /// Behaviour:
    /// - candidates are the item's open receipts available after that bucket (due later),
    ///   in supply order (due bucket, then file order); the first that covers is taken;
    /// - only the item's own allocation is replayed: its rows are needed in its parents'
    ///   release buckets, which supply arriving earlier does not move.
    public func expedite(for shortage: ProjectedShortage) -> ReceiptExpedite? {
        let item = shortage.item, to = shortage.firstLateBucket
        var events: [SupplyEvent] = []
        self.events(of: item, into: &events)
        let candidates = events.indices.filter { events[$0].kind == .receipt && events[$0].available > to }
        guard !candidates.isEmpty else { return nil }
        var rows = RequirementRows()
        rows.fill(item, plan: plan)
        var allocation = Allocation()
        var moved: [SupplyEvent] = []
        for i in candidates {
            moved = events
            moved[i] = SupplyEvent(available: to, kind: .receipt, index: events[i].index)
            moved.sort()
            allocate(rows.rows[...], moved, into: &allocation)
            let covered = allocation.outcome.allSatisfy { $0 != .notDelivered }
                && allocation.late.allSatisfy { $0 <= Tolerance.quantity }
            if covered {
                return ReceiptExpedite(receipt: events[i].index, toBucket: to, buckets: events[i].available - to,
                                       lateOrdersNeeded: firstNeeds(rows.rows, moved))
            }
        }
        return nil
    }

    /// MRP's own moves of open receipts in (each `reschedule_in`, including the rescheduling
    /// check's pull-ins): receipt → the bucket it is needed in, for the items of `items`.
    public func receiptMovesIn(of items: Set<Int>) -> [Int: [Int: Int]] {
        var moves: [Int: [Int: Int]] = [:]
        for exception in plan.mrp.exceptions
            where exception.kind == .rescheduleIn && exception.receipt >= 0 && items.contains(exception.item) {
            if let bucket = plan.mrp.calendar.bucket(of: exception.date) { moves[exception.item, default: [:]][exception.receipt] = bucket }
        }
        return moves
    }

    /// The late quantity of `shortage`'s item once `moves` (its receipts' moves in,
    /// `receiptMovesIn`) are done; nil when there are none. What an "order now" still
    /// leaves late.
    public func lateAfterMoves(for shortage: ProjectedShortage, moves: [Int: Int]?) -> Double? {
        let item = shortage.item
        guard let moves, !moves.isEmpty else { return nil }
        var events: [SupplyEvent] = []
        self.events(of: item, into: &events)
        for i in events.indices where events[i].kind == .receipt {
            if let bucket = moves[events[i].index] {
                events[i] = SupplyEvent(available: min(bucket, events[i].available), kind: .receipt, index: events[i].index)
            }
        }
        events.sort()
        var rows = RequirementRows()
        rows.fill(item, plan: plan)
        var allocation = Allocation()
        allocate(rows.rows[...], events, into: &allocation)
        return allocation.late.reduce(0) { $1 > Tolerance.quantity ? $0 + $1 : $0 }
    }

    /// For each order released late among `events` (in supply order): the need bucket of the
    /// first row whose share, first in first out, reaches into it — the supply before it
    /// counted cumulatively, with §2d's tolerance.
    private func firstNeeds(_ rows: [RequirementRows.Row], _ events: [SupplyEvent]) -> [(order: Int, bucket: Int?)] {
        var needs: [(order: Int, bucket: Int?)] = []
        var before = 0.0, owed = 0.0, j = 0
        for event in events {
            let late = event.kind == .order && plan.plannedRelease(event.index) < 0
            // An order not there within the horizon counts for nothing: never needed here.
            guard event.available < plan.buckets else {
                if late { needs.append((event.index, nil)) }
                continue
            }
            if late {
                while j < rows.count && owed - min(1e-6 * max(1, owed), 1e-3) <= before {
                    owed += rows[j].quantity
                    j += 1
                }
                let reaches = owed - min(1e-6 * max(1, owed), 1e-3) > before
                needs.append((event.index, reaches ? Int(rows[j - 1].need) : nil))
            }
            before += quantity(event)
        }
        return needs.sorted { $0.order < $1.order }
    }
}
