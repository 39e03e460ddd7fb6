/// One row of `pegging.csv` (contract §4): part of a planned receipt and the end-item
/// requirement it serves.
public struct PegRow: Sendable, Hashable {
    // 32 bytes a row (tens of millions of rows at 100k items).
    /// Units of `item` (receipt units) serving this requirement.
    public var quantity: Double
    private var storedItem: Int32
    private var storedDueBucket: Int32
    private var storedEndItem: Int32
    private var storedEndBucket: Int32
    private var storedSource: Int32

    public init(item: Int, dueBucket: Int, quantity: Double, endItem: Int, endBucket: Int, source: Int) {
        self.quantity = quantity
        storedItem = Int32(item)
        storedDueBucket = Int32(dueBucket)
        storedEndItem = Int32(endItem)
        storedEndBucket = Int32(endBucket)
        storedSource = Int32(source)
    }

    public var item: Int { Int(storedItem) }
    public var dueBucket: Int { Int(storedDueBucket) }
    public var endItem: Int { Int(storedEndItem) }
    public var endBucket: Int { Int(storedEndBucket) }
    /// Index into `PeggingResult.sources`.
    public var source: Int { Int(storedSource) }
}

/// Pegging rows and the source names they refer to (`ramp` first).
public struct PeggingResult: Sendable {
    /// Rows item by item in planning order; the rows of one item are contiguous.
    public var rows: [PegRow]
    public var sources: [String]
}

/// Multi-level pegging, first in first out (contract §4 `pegging.csv`).
///
/// Behaviour:
/// - each item's requirements are fragments tagged with the end-item requirement they
///   come from (a product's ramp week or a demand row); independent ones tag themselves;
/// - supplies (on-hand, open receipts, planned receipts, a phantom's pass-through) are
///   matched to fragments in time order, earliest supply to earliest requirement;
/// - the share of a planned order pegged to a requirement passes, scaled by yield, scrap
///   and `qty_per`, to its components in the release bucket; lot-size excess and safety
///   stock replenishment carry no end item and are not written.
public enum Pegging {
    struct Fragment {
        var bucket: Int32
        var endItem: Int32
        var endBucket: Int32
        var source: Int32
        var quantity: Double
    }

    /// Every row at once, item by item (tests and small models; `takt plan` streams them
    /// with `walk`).
    public static func run(model: PlanningModel, mrp: MRPResult) -> PeggingResult {
        var rows: [PegRow] = []
        walk(model: model, mrp: mrp) { _, itemRows in rows.append(contentsOf: itemRows) }
        return PeggingResult(rows: rows, sources: sources(of: mrp))
    }

    /// Source names (`ramp` first, then demand references in order of appearance); a
    /// row's `source` indexes this list.
    public static func sources(of mrp: MRPResult) -> [String] {
        var sources: [String] = ["ramp"]
        var seen: Set<String> = ["ramp"]
        for requirement in mrp.independent where seen.insert(requirement.source).inserted {
            sources.append(requirement.source)
        }
        return sources
    }

    /// Pegs item by item in planning (low-level-code) order and hands each item's rows,
    /// in no particular order, to `body` as soon as the item is done: only one item's rows
    /// are held at a time (pegging at 1M items is hundreds of millions of rows).
    public static func walk(model: PlanningModel, mrp: MRPResult,
                            _ body: (_ item: Int, _ rows: [PegRow]) throws -> Void) rethrows {
        let items = model.items
        let bom = model.bom
        let buckets = mrp.bucketCount
        let tol = LotPolicy.tolerance
        var sourceIds: [String: Int32] = [:]
        for (k, name) in sources(of: mrp).enumerated() { sourceIds[name] = Int32(k) }
        var fragments = [[Fragment]](repeating: [], count: items.count)
        for requirement in mrp.independent {
            fragments[requirement.item].append(Fragment(bucket: Int32(requirement.bucket), endItem: Int32(requirement.item),
                                                        endBucket: Int32(requirement.bucket),
                                                        source: sourceIds[requirement.source]!,
                                                        quantity: requirement.quantity))
        }
        let orderRange = mrp.orderRanges(itemCount: items.count)
        var receiptsByBucket = [[Int]](repeating: [], count: items.count)
        for (k, receipt) in model.receipts.enumerated() where mrp.calendar.bucket(of: receipt.dueDate) != nil {
            receiptsByBucket[receipt.item].append(k)
        }

        /// Adds a component fragment for each effective BOM line of `parent`.
        func pass(_ quantity: Double, from parent: Int, at bucket: Int, _ fragment: Fragment) {
            let day = mrp.calendar.bucketStart[bucket].number
            for k in bom.parentRange(parent) {
                let line = bom.byParent[k]
                guard bom.isEffective(line, on: day) else { continue }
                fragments[bom.component[line]].append(Fragment(bucket: Int32(bucket), endItem: fragment.endItem,
                                                               endBucket: fragment.endBucket, source: fragment.source,
                                                               quantity: quantity * bom.extendedQty(line)))
            }
        }

        var rows: [PegRow] = []
        for item in model.planningOrder {
            rows.removeAll(keepingCapacity: true)
            var demand = fragments[item]
            fragments[item] = []
            guard !demand.isEmpty else { continue }
            demand = merged(demand)

            // Supplies in time order: (bucket, quantity, order index or -1, pass-through flag).
            struct Supply { var bucket: Int; var quantity: Double; var order: Int; var passThrough: Bool }
            var supplies: [Supply] = []
            if items.onHand[item] > 0 { supplies.append(Supply(bucket: -1, quantity: items.onHand[item], order: -1, passThrough: false)) }
            var scheduled: [Supply] = receiptsByBucket[item].map {
                Supply(bucket: mrp.calendar.bucket(of: model.receipts[$0].dueDate)!, quantity: model.receipts[$0].quantity,
                       order: -1, passThrough: false)
            }
            scheduled.sort { $0.bucket < $1.bucket }
            var planned: [Supply] = []
            if items.type[item] == .phantom {
                let base = item * buckets
                for t in 0..<buckets where mrp.phantomPassThrough[base + t] > 0 {
                    planned.append(Supply(bucket: t, quantity: mrp.phantomPassThrough[base + t], order: -1, passThrough: true))
                }
            } else {
                for k in orderRange[item] {
                    planned.append(Supply(bucket: mrp.orders[k].dueBucket, quantity: mrp.orders[k].receiptQuantity, order: k, passThrough: false))
                }
            }
            // Merge scheduled and planned by bucket (scheduled first within a bucket).
            var i = 0, j = 0
            while i < scheduled.count || j < planned.count {
                if j >= planned.count || (i < scheduled.count && scheduled[i].bucket <= planned[j].bucket) {
                    supplies.append(scheduled[i]); i += 1
                } else {
                    supplies.append(planned[j]); j += 1
                }
            }

            var s = 0
            var left = supplies.first?.quantity ?? 0
            for fragment in demand {
                var need = fragment.quantity
                while need > tol && s < supplies.count {
                    let take = min(need, left)
                    if take > 0 {
                        let supply = supplies[s]
                        if supply.order >= 0 {
                            let order = mrp.orders[supply.order]
                            if fragment.endItem >= 0 {
                                rows.append(PegRow(item: item, dueBucket: order.dueBucket, quantity: take,
                                                   endItem: Int(fragment.endItem), endBucket: Int(fragment.endBucket),
                                                   source: Int(fragment.source)))
                            }
                            if order.kind == .make {
                                let perReceipt = order.quantity / order.receiptQuantity
                                pass(take * perReceipt, from: item, at: order.releaseBucket, fragment)
                            }
                        } else if supply.passThrough {
                            pass(take, from: item, at: supply.bucket, fragment)
                        }
                    }
                    need -= take
                    left -= take
                    if left <= tol {
                        s += 1
                        left = s < supplies.count ? supplies[s].quantity : 0
                    }
                }
            }
            // Planned receipts beyond every requirement (lot excess, safety stock) still
            // drive their components; pass them on untagged.
            while s < supplies.count {
                let supply = supplies[s]
                if left > tol {
                    let untagged = Fragment(bucket: 0, endItem: -1, endBucket: -1, source: 0, quantity: 0)
                    if supply.order >= 0, mrp.orders[supply.order].kind == .make {
                        let order = mrp.orders[supply.order]
                        pass(left * order.quantity / order.receiptQuantity, from: item, at: order.releaseBucket, untagged)
                    } else if supply.passThrough {
                        pass(left, from: item, at: supply.bucket, untagged)
                    }
                }
                s += 1
                left = s < supplies.count ? supplies[s].quantity : 0
            }
            if !rows.isEmpty { try body(item, rows) }
        }
    }

    /// Fragments sorted by (bucket, end bucket, end item, source), equal keys summed;
    /// untagged fragments sort last within their bucket.
    static func merged(_ fragments: [Fragment]) -> [Fragment] {
        let sorted = fragments.sorted {
            if $0.bucket != $1.bucket { return $0.bucket < $1.bucket }
            let a = $0.endItem < 0 ? Int32.max : $0.endBucket, b = $1.endItem < 0 ? Int32.max : $1.endBucket
            if a != b { return a < b }
            let x = $0.endItem < 0 ? Int32.max : $0.endItem, y = $1.endItem < 0 ? Int32.max : $1.endItem
            if x != y { return x < y }
            return $0.source < $1.source
        }
        var out: [Fragment] = []
        out.reserveCapacity(sorted.count)
        for f in sorted {
            if let last = out.last, last.bucket == f.bucket, last.endItem == f.endItem,
               last.endBucket == f.endBucket, last.source == f.source {
                out[out.count - 1].quantity += f.quantity
            } else {
                out.append(f)
            }
        }
        return out
    }
}
