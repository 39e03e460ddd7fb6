import TaktModel
import TaktInput

/// What netting a run of one level's items (in planning order) produced. The MRP puts the
/// runs together in order, so the result is the one of netting the items one by one.
struct NettingOutput {
    var orders = ChunkedArray<PlannedOrder>()
    var exceptions: [MRPException] = []
    /// What goes down to the components, per low-level code of the component, in the order
    /// it was made: each `make` order's quantity in its release bucket, each phantom's
    /// pass-through, times each BOM line effective on that bucket's start date.
    var gross: [ChunkedArray<GrossEntry>]
    /// Σ projected on-hand (above 0) × valuation, per value block of the run's items
    /// (`MRPEngine.valueBlock`) and bucket: block `b`'s bucket `t` at `b × buckets + t`,
    /// each block's items added one after the other.
    var stockValue: ContiguousArray<Double>
    /// What these items' phantoms passed through, each phantom's in bucket order.
    var passThrough: [PassThrough.Entry] = []
    /// How many of `orders` each item of the run made, in run order (its orders are one
    /// stretch of them, after the items before it).
    var orderCounts: ContiguousArray<Int32> = []
    /// The first of `orders` whose quantity or receipt quantity is not finite (qty_per,
    /// scrap and yield compounding through the BOM), nil when none.
    var firstOverflow: Int?
}

/// The netting of `MRPEngine.run` for items whose gross requirements are complete (their
/// parents, all on lower levels, are planned and exploded): per item and bucket netting,
/// the rescheduling check, lot sizing, lead-time offset (contract §2), the master schedule
/// orders of the products (§2a) and the phantoms' pass-through. Items of one level share
/// nothing but slots of their own (their rows of the record, their receipts' `movedTo`),
/// so runs of a level are netted on all cores at once.
struct ItemNetting: Sendable {
    let engine: MRPEngine
    let buckets: Int
    /// Each bucket's first day (BOM effectivity of what is exploded there).
    let bucketDay: ContiguousArray<Int>
    /// How many low-level codes the model has.
    let levels: Int
    /// The record arrays (scheduled receipts, projected on-hand, planned receipts and
    /// releases, gross requirements), or nil when no record is kept.
    let record: [SharedBuffer<Double>]?
    let onlyItem: Int?
    let phantomRow: ContiguousArray<Int32>
    /// The BOM's lines in by-parent order, as exploded (`ExplodedLine`).
    let explosion: ContiguousArray<ExplodedLine>
    let movedTo: SharedBuffer<Int32>
    let receiptDue: ContiguousArray<Int32>
    let receiptsByItem: [[Int]]
    let chosen: ContiguousArray<Int>
    let leadBuckets: ContiguousArray<Int>
    /// §2a: each product's row of the master schedule, or -1.
    let scheduleRow: ContiguousArray<Int>
    /// A unit of stock's worth per item (zeros without a valuation).
    let worth: ContiguousArray<Double>
    let valued: Bool
    /// Items whose stock value is summed together (`MRPEngine.valueBlock`); a run starts
    /// on a block's first item.
    let valueBlock: Int
    /// §2 rescheduling check window, in buckets (0 = off).
    let window: Int
    /// The planning time fence in buckets (`frozen_weeks`, at most the horizon): no new
    /// order is due before it.
    let fence: Int
    /// The size of the chunks a run's orders and terms go into (`MRPEngine.chunkBytes`).
    let chunkBytes: Int

    /// Where `item`'s record row starts, or nil when its record is not kept.
    @inline(__always)
    func recordBase(_ item: Int) -> Int? {
        guard record != nil else { return nil }
        guard let onlyItem else { return item * buckets }
        return item == onlyItem ? 0 : nil
    }

    /// Nets the items `run` (a slice of the planning order, all of one level) whose gross
    /// requirements `levelGross` holds. One function over 80 lines on purpose: it is the
    /// MRP's innermost loop (every item × bucket), and its bucket state (projected on-hand,
    /// open receipts left, the fence, the record row) lives in locals that a split would
    /// pass by `inout` at every bucket. The lot rules are `LotPolicy`'s (`LotSizing.swift`),
    /// the messages `MRPEngine`'s (`pulledIn`, `insideFence`, `actionMessages`).
    func net(_ run: ArraySlice<Int>, gross levelGross: LevelGross) -> NettingOutput {
        let model = engine.model, calendar = engine.calendar
        let items = model.items, bom = model.bom
        let tol = LotPolicy.tolerance
        let horizonScale = 52.0 / Double(model.plan.horizonWeeks)
        let blocks = (run.count + valueBlock - 1) / valueBlock
        var out = NettingOutput(orders: ChunkedArray(chunkBytes: chunkBytes),
                                gross: Array(repeating: ChunkedArray(chunkBytes: chunkBytes), count: levels),
                                stockValue: ContiguousArray(repeating: 0, count: valued ? blocks * buckets : 0))
        // The gross requirements and the scheduled receipts of the item being netted, per bucket.
        var gross = ContiguousArray<Double>(repeating: 0, count: buckets)
        var scheduled = ContiguousArray<Double>(repeating: 0, count: buckets)
        let movedTo = movedTo.pointer
        let scheduledRecord = record?[0].pointer, projected = record?[1].pointer
        let plannedReceipts = record?[2].pointer, plannedReleases = record?[3].pointer
        let grossRecord = record?[4].pointer

        /// Adds `quantity` of `parent` in bucket `t` to its components' requirements: each of
        /// its lines in effect on the bucket's first day, in file order (`BOM.forEachLine`).
        func explode(_ parent: Int, _ t: Int, _ quantity: Double) {
            let day = bucketDay[t]
            for k in bom.parentRange(parent) {
                let line = explosion[k]
                guard BOM.isEffective(from: line.from, to: line.to, on: day) else { continue }
                out.gross[Int(line.level)].append(GrossEntry(place: line.place, bucket: Int32(t), quantity: quantity * line.extended))
            }
        }

        /// Records one planned order and what it explodes; a past-due one gets its exception.
        func place(_ order: PlannedOrder, lead: Int, short: Double) {
            out.orders.append(order)
            if out.firstOverflow == nil && (!order.quantity.isFinite || !order.receiptQuantity.isFinite) {
                out.firstOverflow = out.orders.count - 1
            }
            if let r = recordBase(order.item) { plannedReleases![r + order.releaseBucket] += order.quantity }
            if order.kind == .make { explode(order.item, order.releaseBucket, order.quantity) }
            if order.pastDue { out.exceptions.append(engine.pastDueException(order, lead: lead, short: short)) }
        }

        out.orderCounts.reserveCapacity(run.count)
        for index in run.indices {
            let item = run[index]
            let ordersBefore = out.orders.count
            defer { out.orderCounts.append(Int32(out.orders.count - ordersBefore)) }
            levelGross.fill(&gross, index: index)
            let rb = recordBase(item)
            if let rb {
                for t in 0..<buckets { grossRecord![rb + t] = gross[t] }
            }
            var poh = items.onHand[item]
            let receipts = receiptsByItem[item]
            for t in 0..<buckets { scheduled[t] = 0 }
            // In file order: receipts due in one bucket add up in the order they are listed.
            if !receipts.isEmpty {
                for k in receipts.sorted() { scheduled[Int(receiptDue[k])] += model.receipts[k].quantity }
            }
            if let rb {
                for t in 0..<buckets { scheduledRecord![rb + t] = scheduled[t] }
            }
            if items.type[item] == .phantom {
                let row = phantomRow[item]
                for t in 0..<buckets {
                    let a = poh + scheduled[t] - gross[t]
                    if a < -tol {
                        out.passThrough.append(PassThrough.Entry(row: row, bucket: Int32(t), quantity: -a))
                        explode(item, t, -a)
                        poh = 0
                    } else {
                        poh = a
                    }
                    if let rb { projected![rb + t] = poh }
                }
                continue
            }
            let price = worth[item]
            // This item's value block's row of `out.stockValue`.
            let valueRow = (index - run.startIndex) / valueBlock * buckets
            let kind = items.type[item]
            let lead = leadBuckets[item]
            let yieldFactor = items.startedPerGood(item)

            if scheduleRow[item] >= 0, let mps = engine.mps {
                // §2a: one order per phase week of the master schedule, not netted.
                let p = scheduleRow[item]
                let whole = model.plan.wholeUnits
                for week in 0..<mps.endWeek where mps.planned[p][week] > tol {
                    let x = mps.planned[p][week]
                    let due = week * calendar.bucketsPerWeek
                    let release = due - lead
                    let quantity = whole ? LotPolicy.ceilTolerant(x * yieldFactor) : x * yieldFactor
                    place(PlannedOrder(item: item, kind: kind, quantity: quantity, receiptQuantity: x,
                                       releaseBucket: max(0, release), dueBucket: due, pastDue: release < 0),
                          lead: lead, short: x)
                    if let rb { plannedReceipts![rb + due] += x }
                }
                if rb != nil || price != 0 {
                    // The product's stock from its master-schedule orders, by bucket.
                    var receipt = ContiguousArray<Double>(repeating: 0, count: buckets)
                    for week in 0..<mps.endWeek { receipt[week * calendar.bucketsPerWeek] = mps.planned[p][week] > tol ? mps.planned[p][week] : 0 }
                    for t in 0..<buckets {
                        poh += scheduled[t] + receipt[t] - gross[t]
                        if let rb { projected![rb + t] = poh }
                        if price != 0 && poh > 0 { out.stockValue[valueRow + t] += poh * price }
                    }
                }
                continue
            }

            var annualDemand = 0.0
            for t in 0..<buckets { annualDemand += gross[t] }
            let policy = LotPolicy.resolve(item: item, offer: chosen[item], annualDemand: annualDemand * horizonScale, model: model)
            let safety = items.safetyStock[item]
            // Receipts not yet due by bucket t start at `firstLater` (they are in due-bucket order).
            var firstLater = 0
            // Inside the fence: the first bucket short and the largest shortfall.
            var fenceShort: (first: Int, units: Double)?
            for t in 0..<buckets {
                var a = poh + scheduled[t] - gross[t]
                var receipt = 0.0
                if a < safety - tol && window > 0 {
                    // §2 rescheduling check: pull in receipts due in t+1 … t+window, earliest
                    // due bucket first (then file order), each whole, while A < SS.
                    while firstLater < receipts.count && Int(receiptDue[receipts[firstLater]]) <= t { firstLater += 1 }
                    var j = firstLater
                    while a < safety - tol, j < receipts.count, Int(receiptDue[receipts[j]]) <= t + window {
                        let k = receipts[j]
                        j += 1
                        guard movedTo[k] < 0 else { continue }
                        let quantity = model.receipts[k].quantity
                        scheduled[Int(receiptDue[k])] -= quantity
                        scheduled[t] += quantity
                        a += quantity
                        movedTo[k] = Int32(t)
                    }
                    // One `reschedule_in` per receipt moved to t (those the loop passed, in its
                    // order), worded once it is known whether they cover t: when they leave it
                    // short, a new order due at t covers the rest (below), or, inside the
                    // fence, none may.
                    let leftShort: MRPEngine.ShortAfterPullIn? = a < safety - tol ? (t < fence ? .insideFence : .newOrder) : nil
                    for k in receipts[firstLater..<j] where movedTo[k] == Int32(t) {
                        out.exceptions.append(engine.pulledIn(k, item: item, to: t, leftShort: leftShort, short: safety - a))
                    }
                }
                if a < safety - tol && t < fence {
                    // Planning time fence: no new order due here; the shortfall is carried
                    // (A may go below zero) to the first bucket after the fence.
                    fenceShort = (fenceShort?.first ?? t, max(fenceShort?.units ?? 0, safety - a))
                } else if a < safety - tol {
                    let poqNeed = policy.lookAheadNeed(available: a, at: t, safety: safety, scheduled: scheduled, gross: gross)
                    // §2: rounding up to whole lots (`foq`) or to the lot multiple ignores an
                    // excess of up to 1e-9 of a lot. What it ignored, more than 1e-9 of a unit
                    // when a lot is large, leaves A just short in the next buckets; when that
                    // rounds to no lot at all there (and no minimum applies), no order is
                    // made: an order of 0 units is nothing to release, buy or expedite.
                    receipt = policy.adjusted(policy.baseQuantity(need: safety - a, poqNeed: poqNeed))
                    if receipt > tol {
                        let release = t - lead
                        let short = max(0, -a)
                        for part in policy.split(receipt) {
                            place(PlannedOrder(item: item, kind: kind, quantity: policy.orderQuantity(part, yieldFactor: yieldFactor),
                                               receiptQuantity: part, releaseBucket: max(0, release), dueBucket: t,
                                               pastDue: release < 0),
                                  lead: lead, short: short)
                        }
                    } else {
                        receipt = 0
                    }
                    if let rb { plannedReceipts![rb + t] = receipt }
                }
                poh = a + receipt
                if let rb { projected![rb + t] = poh }
                // Stock at a value: on hand above 0, as a select rather than a branch (on
                // hand rises and falls with every lot); adding +0 leaves the sum's bits as
                // they are.
                if price != 0 { out.stockValue[valueRow + t] += (poh > 0 ? poh : 0) * price }
            }
            if let fenceShort {
                out.exceptions.append(engine.insideFence(item: item, first: fenceShort.first, units: fenceShort.units, fence: fence))
            }
            if !receipts.isEmpty {
                gross.withUnsafeBufferPointer {
                    engine.actionMessages(item: item, receipts: receipts, receiptDue: receiptDue, movedTo: movedTo,
                                          gross: $0, into: &out.exceptions)
                }
            }
        }
        return out
    }
}
