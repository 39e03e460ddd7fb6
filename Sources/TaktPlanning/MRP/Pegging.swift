import TaktModel
import TaktInput

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

/// A compact pegging row as the walk produces it (24 bytes; tens of millions at 100k
/// items): the end-item requirement is an index into `Pegging.Requirements`.
package struct PegLink: Sendable {
    package var quantity: Double
    var item: Int32
    package var dueBucket: Int32
    package var requirement: Int32
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
    /// A requirement share: `key` = bucket << 40 | the end-item requirement's index in
    /// `Requirements` (`untagged` for lot excess and safety stock), so that sorting the
    /// keys sorts by (bucket, end bucket, end item, source), untagged last in a bucket.
    struct Fragment {
        var key: UInt64
        var quantity: Double

        static let untagged: UInt64 = (1 << 40) - 1
        /// The end-item requirement's index, or `untagged`.
        var requirement: UInt64 { key & Self.untagged }
        var isTagged: Bool { requirement != Self.untagged }
    }

    /// The distinct end-item requirements (end item, end bucket, source), indexed in
    /// (end bucket, end item, source) order, the order FIFO serves them within a bucket.
    package struct Requirements {
        package var endItem: [Int32] = []
        package var endBucket: [Int32] = []
        package var source: [Int32] = []
        /// Source names, `ramp` first (`Pegging.sources`).
        package var sources: [String]
        /// The index of each `mrp.independent` entry.
        var ofIndependent: [Int] = []

        package init(_ mrp: MRPResult) {
            sources = Pegging.sources(of: mrp)
            var sourceIds: [String: Int32] = [:]
            for (k, name) in sources.enumerated() { sourceIds[name] = Int32(k) }
            let tuples = mrp.independent.map { (Int32($0.bucket), Int32($0.item), sourceIds[$0.source]!) }
            let order = tuples.indices.sorted { tuples[$0] < tuples[$1] }
            ofIndependent = Array(repeating: 0, count: tuples.count)
            for k in order {
                let (bucket, item, source) = tuples[k]
                if endItem.last != item || endBucket.last != bucket || self.source.last != source {
                    endItem.append(item)
                    endBucket.append(bucket)
                    self.source.append(source)
                }
                ofIndependent[k] = endItem.count - 1
            }
            precondition(endItem.count < Int(Fragment.untagged) && mrp.bucketCount < 1 << 23, "pegging keys overflow")
        }

        package var count: Int { endItem.count }
    }

    /// How far in time a limited walk pegs each item (`ShortagePegging.horizons`).
    package struct Horizon {
        /// The latest due bucket whose supplies must be pegged in full (-1: the item is
        /// not pegged at all).
        var through: ContiguousArray<Int32>
        /// The latest bucket whose requirements the item takes; later ones are dropped.
        var requirementsThrough: ContiguousArray<Int32>
    }

    /// Every row at once, item by item (tests and small models; `takt plan` streams them
    /// with `walk`).
    public static func run(model: PlanningModel, mrp: MRPResult) -> PeggingResult {
        run(model: model, mrp: mrp, compactShares: true)
    }

    static func run(model: PlanningModel, mrp: MRPResult, compactShares: Bool) -> PeggingResult {
        let requirements = Requirements(mrp)
        var rows: [PegRow] = []
        walk(model: model, mrp: mrp, requirements: requirements, compactShares: compactShares) { _, links in
            for link in links {
                let r = Int(link.requirement)
                rows.append(PegRow(item: Int(link.item), dueBucket: Int(link.dueBucket), quantity: link.quantity,
                                   endItem: Int(requirements.endItem[r]), endBucket: Int(requirements.endBucket[r]),
                                   source: Int(requirements.source[r])))
            }
        }
        return PeggingResult(rows: rows, sources: requirements.sources)
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
    ///
    /// What a pegged item passes down (each share of its make orders or pass-through,
    /// tagged) is held once per item, not once per BOM line, only through the latest
    /// bucket its components take (their horizons), and only until its last component in
    /// planning order has taken its requirements from it: a component pulls
    /// its fragments from its parents' shares when its turn comes, in the order pushing
    /// them line by line would have appended them (parents in planning order, then each
    /// share, then the parent's lines to it), so equal keys sum in the same order.
    ///
    /// With `only`, just the items it marks are pegged (they must include every parent of
    /// a marked item, as the ancestors of a set of items do): the rows of those items are
    /// the same as in a whole walk.
    /// With `rowsOf`, only the items it marks get rows (the others are pegged only to pass
    /// their requirements down).
    /// With `horizon`, each item takes only its requirements through
    /// `horizon.requirementsThrough` (FIFO takes them in bucket order, so they are a
    /// prefix of its whole walk's) and is pegged only that far: the rows of its supplies
    /// due through `horizon.through` are those of a whole walk when those requirements
    /// use them up, which the walk checks; it returns false when they do not for some
    /// item (then the horizon was too short and the rows cannot be trusted).
    ///
    /// `compactShares: false` holds every share in 16 bytes even where 12 would do (tests).
    @discardableResult
    package static func walk(model: PlanningModel, mrp: MRPResult, requirements: Requirements, only: [Bool]? = nil,
                     rowsOf: [Bool]? = nil, horizon: Horizon? = nil, compactShares: Bool = true,
                     workers: any Workers = SerialWorkers(), _ body: (_ item: Int, _ rows: [PegLink]) throws -> Void) rethrows -> Bool {
        let items = model.items
        let bom = model.bom
        let buckets = mrp.bucketCount
        let tol = LotPolicy.tolerance
        let takes = horizon?.requirementsThrough
        func visited(_ item: Int) -> Bool { (only?[item] ?? true) && (takes?[item] ?? 0) >= 0 }
        // Each visited item's place in the walk, and the place of its last visited component
        // (-1: none), after which its shares are dropped.
        var place = ContiguousArray<Int32>(repeating: -1, count: items.count)
        var placed: Int32 = 0
        for item in model.planningOrder where visited(item) {
            place[item] = placed
            placed += 1
        }
        // The latest bucket any visited component takes requirements in: later shares are
        // not kept.
        var lastUse = ContiguousArray<Int32>(repeating: -1, count: items.count)
        var reach = ContiguousArray<Int32>(repeating: -1, count: items.count)
        for item in model.planningOrder where place[item] >= 0 {
            bom.forEachLine(of: item, effectiveOn: nil) { line in
                let component = bom.component[line]
                guard place[component] >= 0 else { return }
                lastUse[item] = max(lastUse[item], place[component])
                reach[item] = max(reach[item], takes?[component] ?? Int32.max)
            }
        }
        // Independent requirements tag themselves.
        var independent = [[Fragment]](repeating: [], count: items.count)
        for (k, requirement) in mrp.independent.enumerated() where requirement.bucket <= takes?[requirement.item] ?? Int32.max {
            independent[requirement.item].append(Fragment(key: UInt64(requirement.bucket) << 40 | UInt64(requirements.ofIndependent[k]),
                                                          quantity: requirement.quantity))
        }
        // What each pegged item passes to its components: key = the bucket its components
        // need it in (release or pass-through) and the requirement, quantity in parent units.
        var shares = ShareStore(itemCount: items.count, requirements: requirements.count, buckets: buckets,
                                compact: compactShares)
        let orderRange = mrp.orderRanges()
        // Open receipts count where they count in the MRP: moved ones at the bucket they
        // were pulled in to (§2 rescheduling check).
        var receiptsByBucket = [[Int]](repeating: [], count: items.count)
        for (k, receipt) in model.receipts.enumerated() where mrp.receiptBucket(k) != nil {
            receiptsByBucket[receipt.item].append(k)
        }

        // Supplies in time order: (bucket, quantity, order index or -1, pass-through flag).
        struct Supply { var bucket: Int; var quantity: Double; var order: Int; var passThrough: Bool }
        // Buffers reused from item to item.
        var rows: [PegLink] = []
        var demand: [Fragment] = [], passed: [Fragment] = []
        var uses: [(place: Int32, line: Int)] = []
        var supplies: [Supply] = [], scheduled: [Supply] = [], planned: [Supply] = []
        var held = true
        for item in model.planningOrder where place[item] >= 0 {
            rows.removeAll(keepingCapacity: true)
            passed.removeAll(keepingCapacity: true)
            // The item's requirements: its own, then its parents' shares line by line.
            demand.removeAll(keepingCapacity: true)
            demand.append(contentsOf: independent[item])
            independent[item] = []
            uses.removeAll(keepingCapacity: true)
            bom.forEachUse(of: item) { line in
                if place[bom.parent[line]] >= 0 { uses.append((place[bom.parent[line]], line)) }
            }
            uses.sort { ($0.place, $0.line) < ($1.place, $1.line) }
            let through = takes?[item] ?? Int32.max
            var u = 0
            while u < uses.count {
                let parent = bom.parent[uses[u].line]
                var end = u + 1
                while end < uses.count && uses[end].place == uses[u].place { end += 1 }
                shares.forEach(of: parent) { share in
                    let bucket = Int(share.key >> 40)
                    guard bucket <= through else { return }
                    let day = mrp.calendar.bucketStart[bucket].number
                    for use in uses[u..<end] where bom.isEffective(use.line, on: day) {
                        demand.append(Fragment(key: share.key, quantity: share.quantity * bom.extendedQty(use.line)))
                    }
                }
                if lastUse[parent] == place[item] {
                    shares.drop(parent)
                    // The walk's thread keeps what it frees in its own arena, out of reach of
                    // the other core's stages: handed back as the run's policy says (the
                    // walk's end is the peak of a stress run).
                    if shares.droppedBytes >= workers.dropBatch { workers.dropped(bytes: shares.takeDropped()) }
                }
                u = end
            }
            let keepRows = rowsOf?[item] ?? true
            let reaches = Int(reach[item])
            merge(&demand)
            /// Passes `quantity` (item units) needed in `bucket` for `requirement` to the components.
            func pass(_ quantity: Double, at bucket: Int, _ requirement: UInt64) {
                if bucket <= reaches { passed.append(Fragment(key: UInt64(bucket) << 40 | requirement, quantity: quantity)) }
            }

            supplies.removeAll(keepingCapacity: true)
            scheduled.removeAll(keepingCapacity: true)
            planned.removeAll(keepingCapacity: true)
            if items.onHand[item] > 0 { supplies.append(Supply(bucket: -1, quantity: items.onHand[item], order: -1, passThrough: false)) }
            for k in receiptsByBucket[item] {
                scheduled.append(Supply(bucket: mrp.receiptBucket(k)!,
                                        quantity: model.receipts[k].quantity, order: -1, passThrough: false))
            }
            scheduled.sort { $0.bucket < $1.bucket }
            if items.type[item] == .phantom {
                mrp.forEachPassThrough(of: item) { t, quantity in
                    planned.append(Supply(bucket: t, quantity: quantity, order: -1, passThrough: true))
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
                let requirement = fragment.requirement
                while need > tol && s < supplies.count {
                    // What is left of a supply, or of a requirement, within the rounding of
                    // the quantities written (the master schedule's 6 decimals against a
                    // ramp's fractions: §2d's `min(1e-6 × max(1, q), 1e-3)`) goes with this
                    // match: no row of 0.0000003 for the next requirement, no 17.999999.
                    var take = min(need, left)
                    if left - take <= Self.rounding(left) { take = left }
                    if take > 0 {
                        let supply = supplies[s]
                        if supply.order >= 0 {
                            let order = mrp.orders[supply.order]
                            // (A share below what the file shows still passes down.)
                            if fragment.isTagged && keepRows && take >= Self.shown {
                                rows.append(PegLink(quantity: take, item: Int32(item), dueBucket: Int32(order.dueBucket),
                                                    requirement: Int32(requirement)))
                            }
                            if order.kind == .make {
                                let perReceipt = order.quantity / order.receiptQuantity
                                pass(take * perReceipt, at: order.releaseBucket, requirement)
                            }
                        } else if supply.passThrough {
                            pass(take, at: supply.bucket, requirement)
                        }
                    }
                    need = need - take <= Self.rounding(need) ? 0 : need - take
                    left -= take
                    if left <= tol {
                        s += 1
                        left = s < supplies.count ? supplies[s].quantity : 0
                    }
                }
            }
            if let horizon, Int(horizon.requirementsThrough[item]) < buckets - 1 {
                // Cut short: the supplies due through `through` must be used up, and what
                // is left passes to components later than they take (their horizons).
                if s < supplies.count && supplies[s].bucket <= Int(horizon.through[item]) { held = false }
            } else {
                // Planned receipts beyond every requirement (lot excess, safety stock) still
                // drive their components; pass them on untagged.
                while s < supplies.count {
                    let supply = supplies[s]
                    if left > tol {
                        if supply.order >= 0, mrp.orders[supply.order].kind == .make {
                            let order = mrp.orders[supply.order]
                            pass(left * order.quantity / order.receiptQuantity, at: order.releaseBucket, Fragment.untagged)
                        } else if supply.passThrough {
                            pass(left, at: supply.bucket, Fragment.untagged)
                        }
                    }
                    s += 1
                    left = s < supplies.count ? supplies[s].quantity : 0
                }
            }
            if !passed.isEmpty { shares.set(item, passed) }
            if !rows.isEmpty { try body(item, rows) }
        }
        return held
    }

    /// How much of `quantity` may be left over, or short, and still be a whole match in the
    /// walk: the rounding the contract allows a quantity against the 6-decimal figures it
    /// is written from (§2d: `min(1e-6 × max(1, q), 1e-3)`).
    @inline(__always)
    static func rounding(_ quantity: Double) -> Double { min(1e-6 * max(1, quantity), 1e-3) }

    /// The smallest quantity a row of `pegging.csv` shows as other than 0 (6 decimals, §4).
    static let shown = 5e-7

    /// What each pegged item passes to its components (`walk`), in 32-bit words: a share
    /// takes 12 bytes (its key in one word, `bucket << 19 | requirement`) when the plan's
    /// buckets and end-item requirements fit, else 16 (the key in two); tens of millions
    /// are held at once on a stress model in day buckets. Each item's words are a copy of
    /// their own size.
    struct ShareStore {
        private var words: [[UInt32]]
        private let compact: Bool
        /// The requirement part of a compact key that stands for `Fragment.untagged`.
        private static let compactUntagged: UInt64 = (1 << 19) - 1

        init(itemCount: Int, requirements: Int, buckets: Int, compact: Bool = true) {
            words = [[UInt32]](repeating: [], count: itemCount)
            self.compact = compact && requirements < Int(Self.compactUntagged) && buckets <= PlannedOrder.bucketLimit
        }

        mutating func set(_ item: Int, _ shares: [Fragment]) {
            let width = compact ? 3 : 4
            words[item] = [UInt32](unsafeUninitializedCapacity: shares.count * width) { buffer, count in
                var w = 0
                for share in shares {
                    if compact {
                        let requirement = share.isTagged ? share.requirement : Self.compactUntagged
                        buffer[w] = UInt32(share.key >> 40) << 19 | UInt32(requirement)
                        w += 1
                    } else {
                        buffer[w] = UInt32(truncatingIfNeeded: share.key)
                        buffer[w + 1] = UInt32(share.key >> 32)
                        w += 2
                    }
                    let bits = share.quantity.bitPattern
                    buffer[w] = UInt32(truncatingIfNeeded: bits)
                    buffer[w + 1] = UInt32(bits >> 32)
                    w += 2
                }
                count = w
            }
        }

        /// Bytes of shares dropped since the last `takeDropped()`.
        private(set) var droppedBytes = 0

        mutating func drop(_ item: Int) {
            droppedBytes += words[item].count * MemoryLayout<UInt32>.size
            words[item] = []
        }

        /// What was dropped since the last call, in bytes.
        mutating func takeDropped() -> Int {
            defer { droppedBytes = 0 }
            return droppedBytes
        }

        /// `item`'s shares in the order they were set.
        func forEach(of item: Int, _ body: (Fragment) -> Void) {
            words[item].withUnsafeBufferPointer { buffer in
                var w = 0
                while w < buffer.count {
                    let key: UInt64
                    if compact {
                        let requirement = UInt64(buffer[w] & (1 << 19 - 1))
                        key = UInt64(buffer[w] >> 19) << 40 | (requirement == Self.compactUntagged ? Fragment.untagged : requirement)
                        w += 1
                    } else {
                        key = UInt64(buffer[w]) | UInt64(buffer[w + 1]) << 32
                        w += 2
                    }
                    body(Fragment(key: key, quantity: Double(bitPattern: UInt64(buffer[w]) | UInt64(buffer[w + 1]) << 32)))
                    w += 2
                }
            }
        }
    }

    /// Sorts fragments by key — (bucket, end bucket, end item, source), untagged last in
    /// a bucket — and sums equal keys in their original order (a stable sort), in place.
    static func merge(_ fragments: inout [Fragment]) {
        fragments.sort { $0.key < $1.key }
        var kept = 0
        for k in fragments.indices {
            if kept > 0 && fragments[kept - 1].key == fragments[k].key {
                fragments[kept - 1].quantity += fragments[k].quantity
            } else {
                fragments[kept] = fragments[k]
                kept += 1
            }
        }
        fragments.removeLast(fragments.count - kept)
    }
}
