/// Whom a shortage hits (contract §2c `shortage` impact): the end-item requirements that
/// the short quantity of a past-due (item, due bucket) is pegged to, by the same FIFO
/// allocation as `pegging.csv`.
///
/// Behaviour:
/// - only the short items and their ancestors are pegged (their rows equal those of a
///   whole walk), so the cost follows the shortages, not the model;
/// - the past-due receipt's pegs are taken in the order FIFO consumed them, up to the
///   short quantity: they are the requirements that nothing earlier could cover;
/// - the result lists them earliest end date first.
public enum ShortagePegging {
    /// One end-item requirement hit by a shortage.
    public struct Hit: Sendable, Hashable {
        public var endItem: Int
        public var endBucket: Int
        /// `ramp`, or the demand reference.
        public var source: String
        /// Units of the short item that this requirement misses.
        public var quantity: Double
    }

    /// For each shortage (a `past_due` exception index in `mrp.exceptions`, the first of its
    /// bucket), the requirements it hits.
    public static func hits(model: PlanningModel, mrp: MRPResult) -> [Int: [Hit]] {
        var wanted: [Int: [(exception: Int, bucket: Int, short: Double)]] = [:]
        for (k, exception) in mrp.exceptions.enumerated() where exception.isShortage {
            if k > 0, mrp.exceptions[k - 1].kind == .pastDue, mrp.exceptions[k - 1].item == exception.item,
               mrp.exceptions[k - 1].date == exception.date { continue }
            guard let bucket = mrp.calendar.bucket(of: exception.date) else { continue }
            wanted[exception.item, default: []].append((k, bucket, exception.shortQuantity))
        }
        guard !wanted.isEmpty else { return [:] }
        // The short items and every ancestor.
        let mark = model.bom.ancestors(of: wanted.keys, itemCount: model.items.count)
        let requirements = Pegging.Requirements(mrp)
        var result: [Int: [Hit]] = [:]
        var short = [Bool](repeating: false, count: model.items.count)
        for item in wanted.keys { short[item] = true }
        Pegging.walk(model: model, mrp: mrp, requirements: requirements, only: mark, rowsOf: short) { item, links in
            guard let shortages = wanted[item] else { return }
            for shortage in shortages {
                var left = shortage.short
                var hits: [Int: Double] = [:]
                for link in links where Int(link.dueBucket) == shortage.bucket && left > LotPolicy.tolerance {
                    let take = min(left, link.quantity)
                    hits[Int(link.requirement), default: 0] += take
                    left -= take
                }
                result[shortage.exception] = hits.keys.sorted().map { r in
                    Hit(endItem: Int(requirements.endItem[r]), endBucket: Int(requirements.endBucket[r]),
                        source: requirements.sources[Int(requirements.source[r])], quantity: hits[r]!)
                }
            }
        }
        return result
    }
}
