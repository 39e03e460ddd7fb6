import TaktModel
import TaktInput

/// One item's time-phased MRP record (contract §3 `takt record`, the planner's MD04):
/// where each bucket's requirement comes from, what covers it, and what it serves.
///
/// Behaviour:
/// - gross requirements split by source: each parent's planned orders (and a phantom
///   parent's pass-through), exploded in their release bucket on the BOM lines effective
///   then; the ramp; demand references;
/// - open receipts as due and, for receipts the rescheduling check moved, at both dates;
/// - net requirement `max(0, SS - A)` with `A` after the moves (§2); planned receipts and
///   releases; the item's exceptions;
/// - pegging of its planned receipts (FIFO, as `pegging.csv`, computed for this item and
///   its ancestors only) and where it is used.
public struct ItemRecord: Sendable {
    public struct Source: Sendable {
        /// `ramp`, a demand reference, or `parent NAME`.
        public var name: String
        public var quantity: [Double]
    }

    public struct Receipt: Sendable {
        public var reference: String
        public var supplier: String
        public var quantity: Double
        public var dueBucket: Int
        /// Where the rescheduling check moved it, else nil.
        public var movedTo: Int?
    }

    public struct Peg: Sendable, Hashable {
        public var dueBucket: Int
        public var quantity: Double
        public var endItem: String
        public var endBucket: Int
        public var source: String
    }

    public struct Use: Sendable {
        public var parent: String
        public var qtyPer: Double
        public var scrapPct: Double
        public var effectiveFrom: Day?
        public var effectiveTo: Day?
    }

    public var item: Int
    public var name: String
    public var type: ItemType
    public var calendar: BucketCalendar
    public var onHand: Double
    public var safetyStock: Double
    public var leadTimeBuckets: Int
    /// Planned from the master schedule (§2a), not netted.
    public var fromMasterSchedule: Bool
    public var gross: [Double]
    public var sources: [Source]
    public var receipts: [Receipt]
    /// Open receipts per bucket after the rescheduling check's moves.
    public var scheduled: [Double]
    public var projectedOnHand: [Double]
    public var netRequirement: [Double]
    public var plannedReceipts: [Double]
    public var plannedReleases: [Double]
    /// A phantom's requirement passed on to its components per bucket (0 for other items).
    public var passedThrough: [Double]
    public var exceptions: [MRPException]
    public var pegging: [Peg]
    public var usedIn: [Use]

    /// `result` must come from `Planner.run(model, record: true)`.
    public init(result: PlanResult, item: Int) {
        self.init(model: result.model, mrp: result.mrp, item: item)
    }

    /// `mrp` must have its record (`Planner.materialPlan(model, record: true)`). One
    /// initializer over 80 lines: each stored property is read from the record in turn, in
    /// the order `takt record` shows them; split, each part would be a one-use helper.
    public init(model: PlanningModel, mrp: MRPResult, item: Int) {
        let items = model.items
        let bom = model.bom
        let buckets = mrp.bucketCount
        self.item = item
        name = items.names[item]
        type = items.type[item]
        calendar = mrp.calendar
        onHand = items.onHand[item]
        safetyStock = type == .phantom ? 0 : items.safetyStock[item]
        leadTimeBuckets = mrp.leadTimeBuckets[item]
        fromMasterSchedule = model.plan.plansFromMPS && model.plan.products.contains { $0.item == item } && type != .phantom
        precondition(mrp.recordedItem == nil || mrp.recordedItem == item, "the MRP kept another item's record")
        let recorded = mrp.recordRange(of: item)
        gross = Array(mrp.gross[recorded])
        projectedOnHand = Array(mrp.projectedOnHand[recorded])
        plannedReceipts = Array(mrp.plannedReceipts[recorded])
        plannedReleases = Array(mrp.plannedReleases[recorded])
        passedThrough = (0..<buckets).map { mrp.passThrough(item, $0) }

        // Gross requirements by source.
        var bySource: [(String, [Double])] = []
        func add(_ source: String, _ t: Int, _ quantity: Double) {
            if let k = bySource.firstIndex(where: { $0.0 == source }) {
                bySource[k].1[t] += quantity
            } else {
                var row = [Double](repeating: 0, count: buckets)
                row[t] = quantity
                bySource.append((source, row))
            }
        }
        for requirement in mrp.independent where requirement.item == item {
            add(requirement.source, requirement.bucket, requirement.quantity)
        }
        mrp.forEachDependentRequirement(of: item, model: model, orderRanges: mrp.orderRanges()) { parent, t, quantity in
            add("parent " + items.names[parent], t, quantity)
        }
        sources = bySource.map { Source(name: $0.0, quantity: $0.1) }

        // Receipts, as due and after the moves.
        var receipts: [Receipt] = []
        var scheduled = [Double](repeating: 0, count: buckets)
        for (k, receipt) in model.receipts.enumerated() where receipt.item == item {
            let due = Int(mrp.receiptDueBucket[k])
            guard due >= 0 else { continue }
            let moved = Int(mrp.receiptMovedTo[k])
            receipts.append(Receipt(reference: receipt.reference, supplier: receipt.supplier >= 0 ? model.supplierNames[receipt.supplier] : "",
                                    quantity: receipt.quantity, dueBucket: due, movedTo: moved >= 0 ? moved : nil))
            scheduled[moved >= 0 ? moved : due] += receipt.quantity
        }
        self.receipts = receipts
        self.scheduled = scheduled
        var net = [Double](repeating: 0, count: buckets)
        var before = onHand
        for t in 0..<buckets {
            let a = before + scheduled[t] - gross[t]
            if type != .phantom && !fromMasterSchedule { net[t] = max(0, safetyStock - a) }
            before = projectedOnHand[t]
        }
        netRequirement = net
        exceptions = mrp.exceptions.filter { $0.item == item }

        // Pegging of this item's planned receipts (and a phantom's pass-through).
        let mark = bom.ancestors(of: [item], itemCount: items.count)
        let requirements = Pegging.Requirements(mrp)
        var pegs: [Peg] = []
        var own = [Bool](repeating: false, count: items.count)
        own[item] = true
        Pegging.walk(model: model, mrp: mrp, requirements: requirements, only: mark, rowsOf: own) { pegged, links in
            guard pegged == item else { return }
            for link in links {
                let r = Int(link.requirement)
                pegs.append(Peg(dueBucket: Int(link.dueBucket), quantity: link.quantity,
                                endItem: items.names[Int(requirements.endItem[r])], endBucket: Int(requirements.endBucket[r]),
                                source: requirements.sources[Int(requirements.source[r])]))
            }
        }
        pegs.sort { ($0.dueBucket, $0.endBucket, $0.endItem, $0.source) < ($1.dueBucket, $1.endBucket, $1.endItem, $1.source) }
        var merged: [Peg] = []
        for peg in pegs {
            if let last = merged.last, last.dueBucket == peg.dueBucket, last.endBucket == peg.endBucket,
               last.endItem == peg.endItem, last.source == peg.source {
                merged[merged.count - 1].quantity += peg.quantity
            } else {
                merged.append(peg)
            }
        }
        pegging = merged

        var uses: [Use] = []
        bom.forEachUse(of: item) { line in
            uses.append(Use(parent: items.names[bom.parent[line]], qtyPer: bom.qtyPer[line], scrapPct: bom.scrapPct[line],
                            effectiveFrom: bom.effectiveFrom[line] == Int.min ? nil : Day(number: bom.effectiveFrom[line]),
                            effectiveTo: bom.effectiveTo[line] == Int.max ? nil : Day(number: bom.effectiveTo[line])))
        }
        usedIn = uses
    }

    /// The five item names closest to `name` (edit distance, then name), for an unknown item.
    public static func closestNames(to name: String, in items: ItemTable, count: Int = 5) -> [String] {
        Spelling.closest(to: name, in: items.names, count: count)
    }

}
