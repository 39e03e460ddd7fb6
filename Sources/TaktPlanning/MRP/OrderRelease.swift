import TaktModel
import TaktInput

/// The purchase orders a planner accepts (`takt release`): every planned buy order released
/// on or before a date (past-due ones included) becomes an open receipt, so that the next
/// plan nets it instead of suggesting it again.
///
/// Behaviour:
/// - buy orders only: an open receipt carries no component requirements (receipts.csv has
///   no allocations), so a make order released as one would drop its components' demand
///   from the next plan; work orders stay planned orders until they are built;
/// - an order's id is `PL-ITEM-YYYYMMDD-N`: its item, its due date and its place among the
///   item's orders due that day (MRP order, from 1) — the same while the order stays, and
///   never one of the model's receipt references (N moves on past a taken one);
/// - the receipt is what arrives good (the order's receipt quantity, not the quantity
///   inflated by yield), due on the order's due date, or on its projected date when the
///   projection says it cannot arrive by then (a past-due order, an assembly waiting for
///   late parts): a receipt keeps its date, so it must be one the supplier can keep;
/// - an order that cannot arrive within the horizon is not released (listed apart);
/// - the order names the supplier MRP chose for its item.
public enum OrderRelease {
    /// One accepted order.
    public struct Released: Sendable, Equatable {
        public var id: String
        /// Index into `mrp.orders`.
        public var order: Int
        /// The chosen supplier (`model.supplierNames`), nil for a make order or a buy item
        /// without an offer.
        public var supplier: Int?
        /// The receipt's due date: the order's due date, or its projected date if later.
        public var receiptDate: Day
    }

    /// The orders of `result` released on or before `through`, in MRP order, and those
    /// that would be but cannot arrive within the horizon (indices into `mrp.orders`).
    public static func select(_ result: PlanResult, through: Day, taken: Set<String>) -> (released: [Released], unreachable: [Int]) {
        let mrp = result.mrp, model = result.model
        let starts = mrp.calendar.bucketStart
        var released: [Released] = []
        var unreachable: [Int] = []
        var used = taken
        var lastKey: (item: Int, due: Int) = (-1, -1)
        var position = 0
        for (o, order) in mrp.orders.enumerated() {
            if (order.item, order.dueBucket) != lastKey {
                lastKey = (order.item, order.dueBucket)
                position = 0
            }
            position += 1
            guard order.kind == .buy, order.pastDue || starts[order.releaseBucket] <= through else { continue }
            guard let available = result.projection.available(order: o, buckets: starts.count) else {
                unreachable.append(o)
                continue
            }
            let stem = "PL-\(model.items.names[order.item])-\(starts[order.dueBucket].description.replacingOccurrences(of: "-", with: ""))-"
            var n = position
            while used.contains(stem + String(n)) { n += 1 }
            used.insert(stem + String(n))
            let offer = order.kind == .buy ? mrp.chosenOffer[order.item] : -1
            released.append(Released(id: stem + String(n), order: o, supplier: offer >= 0 ? model.offers[offer].supplier : nil,
                                     receiptDate: max(starts[order.dueBucket], starts[available])))
        }
        return (released, unreachable)
    }
}
