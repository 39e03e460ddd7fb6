import TaktModel
import TaktInput

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
    /// One end-item requirement hit by a shortage (16 bytes: tens of millions of them on
    /// a stress-shaped model in day buckets): the end item, end bucket and source packed
    /// into 27, 13 and 24 bits (a plan is at most ten years: 2,600 day buckets).
    public struct Hit: Sendable, Hashable {
        /// Units of the short item that this requirement misses.
        public var quantity: Double
        private var packed: UInt64

        static let itemLimit = 1 << 27, bucketLimit = 1 << 13, sourceLimit = 1 << 24

        public init(endItem: Int, endBucket: Int, source: Int, quantity: Double) {
            precondition(endItem >= 0 && endItem < Self.itemLimit && endBucket >= 0 && endBucket < Self.bucketLimit
                         && source >= 0 && source < Self.sourceLimit, "shortage hit beyond its packing")
            self.quantity = quantity
            packed = UInt64(endItem) << 37 | UInt64(endBucket) << 24 | UInt64(source)
        }

        public var endItem: Int { Int(packed >> 37) }
        public var endBucket: Int { Int(packed >> 24 & UInt64(Self.bucketLimit - 1)) }
        /// Index into `Pegging.sources(of:)`: `ramp`, or a demand reference.
        public var source: Int { Int(packed & UInt64(Self.sourceLimit - 1)) }
    }

    /// Units of a short item missed by one end item in one week and phase (a cell of the
    /// on-time delivery KPI, `KPIReport`): 16 bytes.
    public struct Miss: Sendable, Hashable {
        public var endItem: Int32
        /// `week × phases + phase` (`cells`).
        public var cell: Int32
        public var quantity: Double
    }

    /// What one shortage hits, held small (a stress model in day buckets has tens of
    /// millions of hits): the earliest requirements, which its risk names, how many there
    /// are, and its short units summed per end item and KPI cell.
    public final class Impact: Sendable, Hashable {
        /// The earliest end-item requirements it hits, at most `shown`.
        public let first: [Hit]
        /// How many end-item requirements it hits.
        public let count: Int
        /// Its short units per end item and cell (week and phase), in order of first hit;
        /// hits in no cell (beyond the phases) are left out.
        public let misses: [Miss]

        /// The requirements a risk's impact names.
        public static let shown = 5

        public init(first: [Hit], count: Int, misses: [Miss]) {
            (self.first, self.count, self.misses) = (first, count, misses)
        }

        public static func == (a: Impact, b: Impact) -> Bool {
            a.first == b.first && a.count == b.count && a.misses == b.misses
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(first)
            hasher.combine(count)
        }
    }

    /// Each MRP bucket's KPI cell: `week × phases + phase` of its first day, by the weekly
    /// calendar of the LPs and `mps.csv` (-1: outside the weeks or the phases).
    public static func cells(model: PlanningModel, calendar: BucketCalendar) -> ContiguousArray<Int32> {
        let weekly = BucketCalendar.weeks(of: model.plan)
        let windows = model.plan.phaseWindows
        let phase = calendar.rangeOfEachBucket(windows)
        return ContiguousArray(calendar.bucketStart.indices.map { t -> Int32 in
            guard let week = weekly.bucket(of: calendar.bucketStart[t]), phase[t] >= 0 else { return -1 }
            return Int32(week * windows.count + phase[t])
        })
    }

    /// For each shortage (a `past_due` exception index in `mrp.exceptions`, the first of its
    /// bucket), what it hits.
    ///
    /// Each item is pegged only as far in time as the shortages need (`horizons`); should
    /// rounding make a horizon too short, the ancestors are pegged in full instead.
    public static func hits(model: PlanningModel, mrp: MRPResult) -> [Int: Impact] {
        hits(model: model, mrp: mrp, limited: true) ?? hits(model: model, mrp: mrp, limited: false)!
    }

    /// The hits, pegging each item only as far as `horizons` says (`limited`) or in full;
    /// nil when a limited walk finds a horizon too short.
    static func hits(model: PlanningModel, mrp: MRPResult, limited: Bool) -> [Int: Impact]? {
        let wanted = shortages(mrp)
        guard !wanted.isEmpty else { return [:] }
        // The short items and every ancestor.
        let mark = model.bom.ancestors(of: wanted.keys, itemCount: model.items.count)
        let requirements = Pegging.Requirements(mrp)
        var short = [Bool](repeating: false, count: model.items.count)
        for item in wanted.keys { short[item] = true }
        let shortBucket = latestShortage(wanted, itemCount: model.items.count)
        let horizon = limited ? horizons(model: model, mrp: mrp, mark: mark, shortBucket: shortBucket) : nil
        Trace.mark("shortages: horizons")
        let cell = cells(model: model, calendar: mrp.calendar)
        var result: [Int: Impact] = [:]
        // Buffers reused from shortage to shortage.
        var takes: [(requirement: Int32, order: Int32, quantity: Double)] = []
        var hits: [Hit] = []
        let held = Pegging.walk(model: model, mrp: mrp, requirements: requirements, only: mark, rowsOf: short,
                                horizon: horizon) { item, links in
            guard let shortages = wanted[item] else { return }
            for shortage in shortages {
                var left = shortage.short
                // What the receipt gives each requirement, in FIFO order; then by requirement,
                // each one's takes summed in that order.
                takes.removeAll(keepingCapacity: true)
                for link in links where Int(link.dueBucket) == shortage.bucket && left > LotPolicy.tolerance {
                    let take = min(left, link.quantity)
                    takes.append((link.requirement, Int32(takes.count), take))
                    left -= take
                }
                takes.sort { ($0.requirement, $0.order) < ($1.requirement, $1.order) }
                hits.removeAll(keepingCapacity: true)
                for (k, take) in takes.enumerated() {
                    let r = Int(take.requirement)
                    if k > 0 && takes[k - 1].requirement == take.requirement {
                        hits[hits.count - 1].quantity += take.quantity
                    } else {
                        hits.append(Hit(endItem: Int(requirements.endItem[r]), endBucket: Int(requirements.endBucket[r]),
                                        source: Int(requirements.source[r]), quantity: take.quantity))
                    }
                }
                result[shortage.exception] = condense(hits, cells: cell)
            }
        }
        return held ? result : nil
    }

    /// A shortage's hits (earliest first) held small: the first `Impact.shown`, their count,
    /// and the quantities summed per end item and cell (`cells`) in hit order, listed in
    /// order of each one's first hit.
    static func condense(_ hits: [Hit], cells: ContiguousArray<Int32>) -> Impact {
        var keys: [(key: UInt64, hit: Int)] = []
        for (k, hit) in hits.enumerated() where cells[hit.endBucket] >= 0 {
            keys.append((UInt64(hit.endItem) << 32 | UInt64(cells[hit.endBucket]), k))
        }
        keys.sort { ($0.key, $0.hit) < ($1.key, $1.hit) }
        var summed: [(first: Int, miss: Miss)] = []
        for (n, entry) in keys.enumerated() {
            if n > 0 && keys[n - 1].key == entry.key {
                summed[summed.count - 1].miss.quantity += hits[entry.hit].quantity
            } else {
                summed.append((entry.hit, Miss(endItem: Int32(hits[entry.hit].endItem), cell: cells[hits[entry.hit].endBucket],
                                               quantity: hits[entry.hit].quantity)))
            }
        }
        summed.sort { $0.first < $1.first }
        return Impact(first: Array(exactCopyOf: hits.prefix(Impact.shown)), count: hits.count, misses: summed.map(\.miss))
    }

    /// The shortages by item: each past-due (item, due bucket) with a short quantity, as
    /// its first exception's index, its bucket and the short quantity.
    static func shortages(_ mrp: MRPResult) -> [Int: [(exception: Int, bucket: Int, short: Double)]] {
        var wanted: [Int: [(exception: Int, bucket: Int, short: Double)]] = [:]
        for (k, exception) in mrp.exceptions.enumerated() where exception.isShortage {
            if k > 0, mrp.exceptions[k - 1].kind == .pastDue, mrp.exceptions[k - 1].item == exception.item,
               mrp.exceptions[k - 1].date == exception.date { continue }
            guard let bucket = mrp.calendar.bucket(of: exception.date) else { continue }
            wanted[exception.item, default: []].append((k, bucket, exception.shortQuantity))
        }
        return wanted
    }

    /// Each item's latest shortage bucket (-1: none).
    static func latestShortage(_ wanted: [Int: [(exception: Int, bucket: Int, short: Double)]], itemCount: Int) -> [Int32] {
        var latest = [Int32](repeating: -1, count: itemCount)
        for (item, shortages) in wanted { latest[item] = Int32(shortages.map(\.bucket).max()!) }
        return latest
    }

    /// How far in time each short item and ancestor must be pegged (`Pegging.Horizon`),
    /// from the bottom up: a short item must peg in full every supply due by its latest
    /// shortage; an item whose components need requirements through bucket `r` must peg
    /// in full every order released by `r` (a phantom: its pass-through by `r`). Pegging
    /// supplies due through `d` in full takes the requirements through the first bucket
    /// in which the cumulative gross requirement passes the cumulative supply due through
    /// `d` (FIFO serves them in bucket order); when none does, the whole horizon. The
    /// gross requirements are rebuilt from the parents' orders, as the MRP added them.
    ///
    /// Shortages fall in the first buckets (an order that cannot be released in time),
    /// so the pegging this asks for is mostly the first weeks' and not the whole year's.
    static func horizons(model: PlanningModel, mrp: MRPResult, mark: [Bool], shortBucket: [Int32]) -> Pegging.Horizon {
        let items = model.items
        let bom = model.bom
        let n = items.count
        let buckets = mrp.bucketCount
        var horizon = Pegging.Horizon(through: ContiguousArray(repeating: -1, count: n),
                                      requirementsThrough: ContiguousArray(repeating: -1, count: n))
        // The marked items' independent requirements and open receipts, as linked lists.
        var firstIndependent = ContiguousArray<Int32>(repeating: -1, count: n)
        var nextIndependent = ContiguousArray<Int32>(repeating: -1, count: mrp.independent.count)
        for (k, requirement) in mrp.independent.enumerated().reversed() where mark[requirement.item] {
            nextIndependent[k] = firstIndependent[requirement.item]
            firstIndependent[requirement.item] = Int32(k)
        }
        var firstReceipt = ContiguousArray<Int32>(repeating: -1, count: n)
        var nextReceipt = ContiguousArray<Int32>(repeating: -1, count: model.receipts.count)
        for (k, receipt) in model.receipts.enumerated().reversed() where mark[receipt.item] {
            nextReceipt[k] = firstReceipt[receipt.item]
            firstReceipt[receipt.item] = Int32(k)
        }
        let orderRanges = mrp.orderRanges(itemCount: n)
        var gross = [Double](repeating: 0, count: buckets)
        for item in model.planningOrder.reversed() where mark[item] {
            var reach = -1
            for k in bom.parentRange(item) {
                reach = max(reach, Int(horizon.requirementsThrough[bom.component[bom.byParent[k]]]))
            }
            var through = Int(shortBucket[item])
            if reach >= 0 {
                if items.type[item] == .phantom {
                    through = max(through, reach)
                } else {
                    for k in orderRanges[item] where mrp.orders[k].releaseBucket <= reach {
                        through = max(through, mrp.orders[k].dueBucket)
                    }
                }
            }
            guard through >= 0 else { continue }
            horizon.through[item] = Int32(through)

            // Supply due through `through`, counted as the walk counts it.
            var supply = max(0, items.onHand[item])
            var k = Int(firstReceipt[item])
            while k >= 0 {
                if let bucket = mrp.receiptBucket(k), bucket <= through { supply += model.receipts[k].quantity }
                k = Int(nextReceipt[k])
            }
            if items.type[item] == .phantom {
                mrp.forEachPassThrough(of: item) { t, quantity in
                    if t <= through { supply += quantity }
                }
            } else {
                for o in orderRanges[item] where mrp.orders[o].dueBucket <= through { supply += mrp.orders[o].receiptQuantity }
            }

            for t in gross.indices { gross[t] = 0 }
            k = Int(firstIndependent[item])
            while k >= 0 {
                gross[mrp.independent[k].bucket] += mrp.independent[k].quantity
                k = Int(nextIndependent[k])
            }
            mrp.forEachDependentRequirement(of: item, model: model, orderRanges: orderRanges) { _, t, quantity in
                gross[t] += quantity
            }
            // A clear margin over the supply, so that rounding in the walk's own sums cannot
            // leave part of it unpegged (the walk checks it, `Pegging.walk`).
            let enough = supply * (1 + 1e-6) + 1e-6
            var cumulative = 0.0
            var last = buckets - 1
            for t in 0..<buckets {
                cumulative += gross[t]
                if cumulative > enough { last = t; break }
            }
            horizon.requirementsThrough[item] = Int32(last)
        }
        return horizon
    }
}
