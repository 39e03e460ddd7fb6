import TaktModel
import TaktInput

/// `no_source` exceptions (a further type, contract §4): a bought item that MRP orders but
/// nobody can be asked for — no offer in suppliers.csv and no `unit_cost` in items.csv.
/// One row per such item: date = its first order date, quantity = all its planned orders.
/// Only in a model that names suppliers at all: a model without suppliers.csv (an MRP
/// exercise, a first sketch) plans quantities, not sources. (`check` does not warn: a
/// model may list buy items it never needs.)
public enum NoSource {
    public static func exceptions(model: PlanningModel, mrp: MRPResult) -> [MRPException] {
        guard !model.offers.isEmpty else { return [] }
        let starts = mrp.calendar.bucketStart
        var rows: [MRPException] = []
        // Item by item in planning order, the MRP's order of the orders: only the items
        // with no source have their orders read.
        for item in model.planningOrder where mrp.chosenOffer[item] < 0 && model.items.unitCost[item] == 0 {
            var (quantity, first) = (0.0, Int.max)
            for order in mrp.orders[mrp.orderRange(of: item)] where order.kind == .buy {
                quantity += order.quantity
                first = min(first, order.releaseBucket)
            }
            guard first < Int.max else { continue } // no order bought
            let when = starts[first]
            rows.append(MRPException(item: item, kind: .noSource, date: when, quantity: quantity,
                                     message: "bought item with no supplier in suppliers.csv and no unit_cost: \(NumberFormat.quantity(quantity)) to order from \(when) on; name a supplier and its price"))
        }
        return rows
    }
}
