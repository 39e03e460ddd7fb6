import TaktModel
import TaktInput

/// The chosen supplier of each buy item (contract §2).
///
/// Behaviour:
/// - the `preferred` offer; else the `contracted` offer with the lowest `unit_price`;
///   else the lowest `unit_price`; ties go to the supplier name that sorts first
///   (several preferred offers are ranked the same way among themselves);
/// - `unit_price` defaults to the item's `unit_cost`;
/// - make and phantom items have no chosen supplier.
public enum SupplierChoice {
    /// Index into `model.offers` of each item's chosen offer, or -1.
    public static func choose(_ model: PlanningModel) -> ContiguousArray<Int> {
        var chosen = ContiguousArray<Int>(repeating: -1, count: model.items.count)
        for item in 0..<model.items.count where model.items.type[item] == .buy {
            var best = -1
            for k in model.offerStart[item]..<model.offerStart[item + 1] {
                let candidate = model.offerByItem[k]
                if best < 0 || ranksBefore(candidate, best, model) { best = candidate }
            }
            chosen[item] = best
        }
        return chosen
    }

    static func ranksBefore(_ a: Int, _ b: Int, _ model: PlanningModel) -> Bool {
        let x = model.offers[a], y = model.offers[b]
        if x.preferred != y.preferred { return x.preferred }
        if !x.preferred && x.contracted != y.contracted { return x.contracted }
        let px = price(x, model), py = price(y, model)
        if px != py { return px < py }
        return model.supplierNames[x.supplier] < model.supplierNames[y.supplier]
    }

    public static func price(_ offer: SupplierOffer, _ model: PlanningModel) -> Double {
        offer.unitPrice ?? model.items.unitCost[offer.item]
    }

    /// The unit price of an item: its chosen offer's (`chosen`, as in `MRPResult.chosenOffer`),
    /// else its `unit_cost`.
    public static func price(item: Int, chosen: ContiguousArray<Int>, _ model: PlanningModel) -> Double {
        chosen[item] >= 0 ? price(model.offers[chosen[item]], model) : model.items.unitCost[item]
    }

    /// The chosen supplier's name of an item (`chosen` as in `MRPResult.chosenOffer`), or
    /// nil when it has none.
    public static func supplierName(item: Int, chosen: ContiguousArray<Int>, _ model: PlanningModel) -> String? {
        chosen[item] >= 0 ? model.supplierNames[model.offers[chosen[item]].supplier] : nil
    }

    /// Lead time in days of an item: its chosen supplier's for buy items, else its own.
    public static func leadTimeDays(item: Int, chosen: ContiguousArray<Int>, _ model: PlanningModel) -> Double {
        let offer = chosen[item]
        if offer >= 0, let days = model.offers[offer].leadTimeDays { return days }
        return model.items.leadTimeDays[item]
    }
}
