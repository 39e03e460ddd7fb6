/// Material requirements planning: netting, lot sizing, lead-time offset and explosion
/// (contract §2, §2a), item by item in low-level-code order.
///
/// Behaviour:
/// - gross requirements start as the ramp of each product plus the demand rows; every
///   planned order of a `make` item adds its components' requirements in its release
///   bucket, for the BOM lines effective on that bucket's start date;
/// - per item and bucket: `A = POH(t-1) + receipts(t) - gross(t)`; when `A < SS - 1e-9`
///   the rescheduling check first pulls in open receipts due within the window, then a
///   planned receipt is made by the lot rule for what is still missing; `POH(t) = A + P(t)`;
/// - with a master schedule (`mps: capacity`), each product gets one order per week of
///   its LP completions instead of netting (§2a);
/// - `phantom` items net against their stock and receipts, then pass what remains to
///   their components in the same bucket, with no order, lead time, safety stock or yield.
///
/// All planning state lives in flat `items × buckets` arrays; no strings are touched in
/// the loop.
public struct MRPEngine {
    public let model: PlanningModel
    public let calendar: BucketCalendar
    /// The products' master schedule under `mps: capacity`; nil plans them by netting.
    public let mps: MasterSchedule?
    /// What a unit of each item's stock is worth (`CostRollup.valuation`); with it the
    /// result carries the inventory value per bucket.
    public let valuation: ContiguousArray<Double>?

    public init(model: PlanningModel, mps: MasterSchedule? = nil, valuation: ContiguousArray<Double>? = nil) {
        self.model = model
        calendar = BucketCalendar(plan: model.plan)
        self.mps = model.plan.plansFromMPS ? mps : nil
        self.valuation = valuation
    }

    /// Plans every item. With `record`, the result keeps the MRP record of every item
    /// (gross requirements, scheduled receipts, projected on-hand, planned receipts and
    /// releases per bucket); without it (`takt plan`, which writes none of them) those
    /// arrays stay empty, which saves five `items × buckets` arrays (2 GB at 1M items).
    /// With `onlyItem`, only that item's record is kept (`takt record`: four bucket rows
    /// instead of four `items × buckets` arrays); `MRPResult.recordRange` reads it.
    public func run(record: Bool = true, onlyItem: Int? = nil) -> MRPResult {
        let items = model.items
        let bom = model.bom
        let n = items.count
        let buckets = calendar.count
        let tol = LotPolicy.tolerance

        func grid() -> ContiguousArray<Double> {
            record ? ContiguousArray(repeating: 0, count: onlyItem == nil ? n * buckets : buckets) : []
        }
        /// Where `item`'s record row starts, or nil when its record is not kept.
        func recordBase(_ item: Int) -> Int? {
            guard record else { return nil }
            guard let onlyItem else { return item * buckets }
            return item == onlyItem ? 0 : nil
        }
        var gross = ContiguousArray<Double>(repeating: 0, count: n * buckets)
        var stockValue = ContiguousArray<Double>(repeating: 0, count: valuation == nil ? 0 : buckets)
        let zero = ContiguousArray<Double>(repeating: 0, count: valuation == nil ? n : 0)
        let worth = valuation ?? zero
        var scheduledRecord = grid()
        var projected = grid()
        var plannedReceipts = grid()
        var plannedReleases = grid()
        // Phantoms only: their pass-through, one row each.
        var phantomRow = ContiguousArray<Int32>(repeating: -1, count: n)
        var phantomCount = 0
        for item in 0..<n where items.type[item] == .phantom {
            phantomRow[item] = Int32(phantomCount)
            phantomCount += 1
        }
        var passThrough = ContiguousArray<Double>(repeating: 0, count: phantomCount * buckets)
        var orders: [PlannedOrder] = []
        var exceptions: [MRPException] = []

        let independent = independentRequirements()
        for requirement in independent {
            gross[requirement.item * buckets + requirement.bucket] += requirement.quantity
        }
        let receiptDue = bucketReceipts()
        var movedTo = ContiguousArray<Int32>(repeating: -1, count: model.receipts.count)
        let receiptsByItem = receiptIndex(receiptDue)
        // The scheduled receipts of the item being planned, per bucket.
        var scheduled = ContiguousArray<Double>(repeating: 0, count: buckets)

        let chosen = SupplierChoice.choose(model)
        var leadBuckets = ContiguousArray<Int>(repeating: 0, count: n)
        for item in 0..<n where items.type[item] != .phantom {
            leadBuckets[item] = calendar.leadTimeBuckets(days: SupplierChoice.leadTimeDays(item: item, chosen: chosen, model))
        }
        let bucketDay = ContiguousArray(calendar.bucketStart.map(\.number))
        let horizonScale = 52.0 / Double(model.plan.horizonWeeks)
        // §2a: the products planned from the master schedule (plan index, or -1).
        var scheduleRow = ContiguousArray<Int>(repeating: -1, count: n)
        if mps != nil {
            for (p, product) in model.plan.products.enumerated() where items.type[product.item] != .phantom {
                scheduleRow[product.item] = p
            }
        }
        // §2 rescheduling check window, in buckets (0 = off).
        let window = model.plan.rescheduleInWeeks * calendar.bucketsPerWeek

        /// Adds `quantity` of `parent` in bucket `t` to its components' gross requirements.
        func explode(_ parent: Int, _ t: Int, _ quantity: Double) {
            let day = bucketDay[t]
            for k in bom.parentRange(parent) {
                let line = bom.byParent[k]
                guard bom.isEffective(line, on: day) else { continue }
                gross[bom.component[line] * buckets + t] += quantity * bom.extendedQty(line)
            }
        }

        /// Records one planned order and explodes it; a past-due one gets its exception.
        func place(_ order: PlannedOrder, lead: Int, short: Double) {
            orders.append(order)
            if let r = recordBase(order.item) { plannedReleases[r + order.releaseBucket] += order.quantity }
            if order.kind == .make { explode(order.item, order.releaseBucket, order.quantity) }
            if order.pastDue { exceptions.append(pastDueException(order, lead: lead, short: short)) }
        }

        for item in model.planningOrder {
            let base = item * buckets
            let rb = recordBase(item)
            var poh = items.onHand[item]
            let receipts = receiptsByItem[item]
            for t in 0..<buckets { scheduled[t] = 0 }
            // In file order: receipts due in one bucket add up in the order they are listed.
            for k in receipts.sorted() { scheduled[Int(receiptDue[k])] += model.receipts[k].quantity }
            if let rb {
                for t in 0..<buckets { scheduledRecord[rb + t] = scheduled[t] }
            }
            if items.type[item] == .phantom {
                let row = Int(phantomRow[item]) * buckets
                for t in 0..<buckets {
                    let a = poh + scheduled[t] - gross[base + t]
                    if a < -tol {
                        passThrough[row + t] = -a
                        explode(item, t, -a)
                        poh = 0
                    } else {
                        poh = a
                    }
                    if let rb { projected[rb + t] = poh }
                }
                continue
            }
            let price = worth[item]
            let kind = items.type[item]
            let lead = leadBuckets[item]
            let yieldFactor = 100 / items.yieldPct[item]

            if scheduleRow[item] >= 0, let mps {
                // §2a: one order per phase week of the master schedule, not netted.
                let p = scheduleRow[item]
                let whole = model.plan.wholeUnits
                for week in 0..<mps.endWeek where mps.planned[p][week] > tol {
                    let x = mps.planned[p][week]
                    let due = week * calendar.bucketsPerWeek
                    let release = due - lead
                    let quantity = whole ? LotPolicy.ceilTolerant(x * yieldFactor) : x * yieldFactor
                    place(PlannedOrder(item: item, kind: kind, quantity: quantity, receiptQuantity: x,
                                       releaseBucket: max(0, release), dueBucket: due, pastDue: release < 0, offer: chosen[item]),
                          lead: lead, short: x)
                    if let rb { plannedReceipts[rb + due] += x }
                }
                if rb != nil || price != 0 {
                    // The product's stock from its master-schedule orders, by bucket.
                    var receipt = ContiguousArray<Double>(repeating: 0, count: buckets)
                    for week in 0..<mps.endWeek { receipt[week * calendar.bucketsPerWeek] = mps.planned[p][week] > tol ? mps.planned[p][week] : 0 }
                    for t in 0..<buckets {
                        poh += scheduled[t] + receipt[t] - gross[base + t]
                        if let rb { projected[rb + t] = poh }
                        if price != 0 && poh > 0 { stockValue[t] += poh * price }
                    }
                }
                continue
            }

            var annualDemand = 0.0
            for t in 0..<buckets { annualDemand += gross[base + t] }
            let policy = LotPolicy.resolve(item: item, offer: chosen[item], annualDemand: annualDemand * horizonScale, model: model)
            let safety = items.safetyStock[item]
            // Receipts not yet due by bucket t start at `firstLater` (they are in due-bucket order).
            var firstLater = 0
            for t in 0..<buckets {
                var a = poh + scheduled[t] - gross[base + t]
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
                        exceptions.append(pulledIn(k, item: item, to: t))
                    }
                }
                if a < safety - tol {
                    var poqNeed = 0.0
                    if policy.rule == .poq {
                        var running = a
                        for k in 1..<max(1, min(policy.periods, buckets - t)) {
                            running += scheduled[t + k] - gross[base + t + k]
                            poqNeed = max(poqNeed, safety - running)
                        }
                    }
                    receipt = policy.adjusted(policy.baseQuantity(need: safety - a, poqNeed: poqNeed))
                    let release = t - lead
                    let short = max(0, -a)
                    for part in policy.split(receipt) {
                        place(PlannedOrder(item: item, kind: kind, quantity: policy.orderQuantity(part, yieldFactor: yieldFactor),
                                           receiptQuantity: part, releaseBucket: max(0, release), dueBucket: t,
                                           pastDue: release < 0, offer: chosen[item]),
                              lead: lead, short: short)
                    }
                    if let rb { plannedReceipts[rb + t] = receipt }
                }
                poh = a + receipt
                if let rb { projected[rb + t] = poh }
                if price != 0 && poh > 0 { stockValue[t] += poh * price }
            }
            actionMessages(item: item, receipts: receipts, receiptDue: receiptDue, movedTo: movedTo,
                           gross: gross[base..<(base + buckets)], into: &exceptions)
        }

        return MRPResult(calendar: calendar, gross: record ? gross : [], recordedItem: onlyItem, scheduledReceipts: scheduledRecord,
                         projectedOnHand: projected, plannedReceipts: plannedReceipts, plannedReleases: plannedReleases,
                         phantomRow: phantomRow, phantomPassThrough: passThrough, orders: orders, exceptions: exceptions,
                         independent: independent, receiptDueBucket: receiptDue, receiptMovedTo: movedTo,
                         chosenOffer: chosen, leadTimeBuckets: leadBuckets, warnings: PlanWarnings.of(model),
                         inventoryValue: stockValue)
    }

    // MARK: - Inputs in buckets

    /// The ramp of each product and the demand rows, in buckets (§2). Demand dated past
    /// the horizon is dropped (`PlanWarnings` says so).
    func independentRequirements() -> [IndependentRequirement] {
        var requirements: [IndependentRequirement] = []
        let pct = calendar.capacityPct(model.plan.phases)
        let perBucket = 1.0 / Double(calendar.bucketsPerWeek)
        for product in model.plan.products {
            for t in 0..<calendar.count where pct[t] > 0 {
                let quantity = product.fullRatePerWeek * pct[t] / 100 * perBucket
                if quantity > 0 {
                    requirements.append(IndependentRequirement(item: product.item, bucket: t, quantity: quantity, source: "ramp"))
                }
            }
        }
        for row in model.demand {
            guard let t = calendar.bucket(of: row.date) else { continue }
            requirements.append(IndependentRequirement(item: row.item, bucket: t, quantity: row.quantity,
                                                       source: row.reference.isEmpty ? "demand" : row.reference))
        }
        return requirements
    }

    /// The bucket of each open receipt, -1 past the horizon (`PlanWarnings` says so).
    func bucketReceipts() -> ContiguousArray<Int32> {
        ContiguousArray(model.receipts.map { Int32(calendar.bucket(of: $0.dueDate) ?? -1) })
    }

    /// Open receipts of each item inside the horizon, by due bucket, then file order (§2:
    /// the order of the rescheduling check and of the action messages).
    func receiptIndex(_ due: ContiguousArray<Int32>) -> [[Int]] {
        var byItem = [[Int]](repeating: [], count: model.items.count)
        for (k, receipt) in model.receipts.enumerated() where due[k] >= 0 { byItem[receipt.item].append(k) }
        for i in byItem.indices where byItem[i].count > 1 {
            byItem[i].sort { due[$0] != due[$1] ? due[$0] < due[$1] : $0 < $1 }
        }
        return byItem
    }

    // MARK: - Exceptions

    /// A planned order whose release falls `lead - due` buckets before bucket 0; `short`
    /// is its bucket's short quantity (0: a safety-stock rebuild).
    func pastDueException(_ order: PlannedOrder, lead: Int, short: Double) -> MRPException {
        let due = calendar.bucketStart[order.dueBucket]
        let unit = calendar.kind == .week ? "week" : "working day"
        let late = lead - order.dueBucket
        let what = short > LotPolicy.tolerance ? "\(NumberFormat.quantity(short)) short" : "safety-stock rebuild, nothing short"
        return MRPException(item: order.item, kind: .pastDue, date: due, quantity: order.quantity,
                            message: "\(order.kind) order due \(due) should have been released \(late) \(unit)\(late == 1 ? "" : "s") before the plan start (\(what))",
                            shortQuantity: short)
    }

    /// How an open receipt is named in messages: its reference, else its line.
    func receiptLabel(_ k: Int) -> String {
        let receipt = model.receipts[k]
        let reference = receipt.reference.isEmpty ? "line \(receipt.line)" : receipt.reference
        return "open receipt \(reference) of \(NumberFormat.quantity(receipt.quantity)) due \(receipt.dueDate)"
    }

    /// The `reschedule_in` of a receipt moved by the rescheduling check (§2).
    func pulledIn(_ k: Int, item: Int, to t: Int) -> MRPException {
        let needDate = calendar.bucketStart[t]
        return MRPException(item: item, kind: .rescheduleIn, date: needDate, quantity: model.receipts[k].quantity,
                            message: "\(receiptLabel(k)) is pulled in to \(needDate) to cover the requirement there (rescheduling check; no new order)",
                            receipt: k)
    }

    /// Action messages on the open receipts of one item that the rescheduling check did
    /// not move (§2): in due-bucket order (then file order), each is needed in the first
    /// bucket where on-hand, gross requirements and the receipts before it alone fall
    /// below safety stock (moved receipts count where they were moved to, and "before"
    /// orders by that bucket, then file order).
    func actionMessages(item: Int, receipts: [Int], receiptDue: ContiguousArray<Int32>, movedTo: ContiguousArray<Int32>,
                        gross: ArraySlice<Double>, into exceptions: inout [MRPException]) {
        guard !receipts.isEmpty, model.items.type[item] != .phantom else { return }
        let buckets = calendar.count
        let safety = model.items.safetyStock[item]
        func bucket(_ k: Int) -> Int { Int(movedTo[k] >= 0 ? movedTo[k] : receiptDue[k]) }
        let order = receipts.sorted { bucket($0) != bucket($1) ? bucket($0) < bucket($1) : $0 < $1 }
        // projected[t]: on-hand + receipts before the current one due by t - gross through t.
        var projected = ContiguousArray<Double>(repeating: 0, count: buckets)
        var running = model.items.onHand[item]
        var t = 0
        for value in gross {
            running -= value
            projected[t] = running
            t += 1
        }
        for k in order {
            let receipt = model.receipts[k]
            defer { for u in bucket(k)..<buckets { projected[u] += receipt.quantity } }
            guard movedTo[k] < 0 else { continue }
            let due = Int(receiptDue[k])
            let need = projected.firstIndex { $0 < safety - LotPolicy.tolerance }
            let what = receiptLabel(k)
            if let need {
                let needDate = calendar.bucketStart[need]
                if need < due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleIn, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is needed by \(needDate): bring it in", receipt: k))
                } else if need > due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleOut, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is not needed until \(needDate): push it out", receipt: k))
                }
            } else {
                exceptions.append(MRPException(item: item, kind: .cancel, date: calendar.bucketStart[due], quantity: receipt.quantity,
                                               message: "\(what) is not needed within the horizon: cancel it", receipt: k))
            }
        }
    }
}
