import TaktModel
import TaktInput

extension MRPResult {
    /// Calls `body(parent, bucket, quantity)` for each requirement `item`'s parents place on
    /// it, rebuilt from their planned orders (a `make` order's quantity at its release
    /// bucket) and a phantom parent's pass-through, for the BOM lines effective on that
    /// bucket's start date: the same terms the MRP added to the item's gross requirements
    /// (contract §2), parent by parent in `bom.forEachUse(of: item)` order.
    ///
    /// - Complexity: O(the parents' orders and phantom parents' pass-through buckets).
    func forEachDependentRequirement(of item: Int, model: PlanningModel, orderRanges: [Range<Int>],
                                     _ body: (_ parent: Int, _ bucket: Int, _ quantity: Double) -> Void) {
        let bom = model.bom
        bom.forEachUse(of: item) { line in
            let parent = bom.parent[line]
            let extended = bom.extendedQty(line)
            if model.items.type[parent] == .phantom {
                forEachPassThrough(of: parent) { t, quantity in
                    if bom.isEffective(line, on: calendar.bucketStart[t].number) { body(parent, t, quantity * extended) }
                }
            } else {
                for o in orderRanges[parent] {
                    let order = orders[o]
                    guard order.kind == .make, bom.isEffective(line, on: calendar.bucketStart[order.releaseBucket].number) else { continue }
                    body(parent, order.releaseBucket, order.quantity * extended)
                }
            }
        }
    }
}
