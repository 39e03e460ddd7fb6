/// Material requirements planning: netting, lot sizing, lead-time offset and explosion
/// (contract §2), item by item in low-level-code order.
///
/// Behaviour:
/// - gross requirements start as the ramp of each product plus the demand rows; every
///   planned order of a `make` item adds its components' requirements in its release
///   bucket, for the BOM lines effective on that bucket's start date;
/// - per item and bucket: `A = POH(t-1) + receipts(t) - gross(t)`; `A < SS - 1e-9`
///   makes a planned receipt by the lot rule; `POH(t) = A + P(t)`;
/// - `phantom` items net against their stock and receipts, then pass what remains to
///   their components in the same bucket, with no order, lead time, safety stock or yield.
///
/// All planning state lives in flat `items × buckets` arrays; no strings are touched in
/// the loop.
public struct MRPEngine {
    public let model: PlanningModel
    public let calendar: BucketCalendar

    public init(model: PlanningModel) {
        self.model = model
        calendar = BucketCalendar(plan: model.plan)
    }

    /// Plans every item. With `record`, the result keeps the MRP record of every item
    /// (gross requirements, scheduled receipts, projected on-hand, planned receipts and
    /// releases per bucket); without it (`takt plan`, which writes none of them) those
    /// arrays stay empty, which saves five `items × buckets` arrays (2 GB at 1M items).
    public func run(record: Bool = true) -> MRPResult {
        let items = model.items
        let bom = model.bom
        let n = items.count
        let buckets = calendar.count
        let tol = LotPolicy.tolerance
        var warnings: [Warning] = []

        func grid() -> ContiguousArray<Double> { record ? ContiguousArray(repeating: 0, count: n * buckets) : [] }
        var gross = ContiguousArray<Double>(repeating: 0, count: n * buckets)
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

        let independent = independentRequirements(&warnings)
        for requirement in independent {
            gross[requirement.item * buckets + requirement.bucket] += requirement.quantity
        }
        let receiptBuckets = bucketReceipts(&warnings)
        let receiptsByItem = receiptIndex(receiptBuckets)
        // The scheduled receipts of the item being planned, per bucket.
        var scheduled = ContiguousArray<Double>(repeating: 0, count: buckets)

        let chosen = SupplierChoice.choose(model)
        var leadBuckets = ContiguousArray<Int>(repeating: 0, count: n)
        for item in 0..<n where items.type[item] != .phantom {
            leadBuckets[item] = calendar.leadTimeBuckets(days: SupplierChoice.leadTimeDays(item: item, chosen: chosen, model))
        }
        let bucketDay = ContiguousArray(calendar.bucketStart.map(\.number))
        let horizonScale = 52.0 / Double(model.plan.horizonWeeks)

        /// Adds `quantity` of `parent` in bucket `t` to its components' gross requirements.
        func explode(_ parent: Int, _ t: Int, _ quantity: Double) {
            let day = bucketDay[t]
            for k in bom.parentRange(parent) {
                let line = bom.byParent[k]
                guard bom.isEffective(line, on: day) else { continue }
                gross[bom.component[line] * buckets + t] += quantity * bom.extendedQty(line)
            }
        }

        for item in model.planningOrder {
            let base = item * buckets
            var poh = items.onHand[item]
            for t in 0..<buckets { scheduled[t] = 0 }
            // In file order: receipts due in one bucket add up in the order they are listed.
            for k in receiptsByItem[item].sorted() { scheduled[receiptBuckets[k]!] += model.receipts[k].quantity }
            if record {
                for t in 0..<buckets { scheduledRecord[base + t] = scheduled[t] }
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
                    if record { projected[base + t] = poh }
                }
                continue
            }

            var annualDemand = 0.0
            for t in 0..<buckets { annualDemand += gross[base + t] }
            let policy = LotPolicy.resolve(item: item, offer: chosen[item], annualDemand: annualDemand * horizonScale, model: model)
            let safety = items.safetyStock[item]
            let yieldFactor = 100 / items.yieldPct[item]
            let lead = leadBuckets[item]
            let kind = items.type[item]
            for t in 0..<buckets {
                let a = poh + scheduled[t] - gross[base + t]
                var receipt = 0.0
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
                    for part in policy.split(receipt) {
                        let orderQuantity = part * yieldFactor
                        let order = PlannedOrder(item: item, kind: kind, quantity: orderQuantity, receiptQuantity: part,
                                                 releaseBucket: max(0, release), dueBucket: t, pastDue: release < 0,
                                                 offer: chosen[item])
                        orders.append(order)
                        if record { plannedReleases[base + order.releaseBucket] += orderQuantity }
                        if kind == .make { explode(item, order.releaseBucket, orderQuantity) }
                        if order.pastDue {
                            exceptions.append(pastDueException(order, lead: lead))
                        }
                    }
                    if record { plannedReceipts[base + t] = receipt }
                }
                poh = a + receipt
                if record { projected[base + t] = poh }
            }
            actionMessages(item: item, receipts: receiptsByItem[item], receiptBuckets: receiptBuckets,
                           gross: gross[base..<(base + buckets)], into: &exceptions)
        }

        return MRPResult(calendar: calendar, gross: record ? gross : [], scheduledReceipts: scheduledRecord,
                         projectedOnHand: projected, plannedReceipts: plannedReceipts, plannedReleases: plannedReleases,
                         phantomRow: phantomRow, phantomPassThrough: passThrough, orders: orders, exceptions: exceptions,
                         independent: independent, chosenOffer: chosen, leadTimeBuckets: leadBuckets,
                         warnings: warnings)
    }

    // MARK: - Inputs in buckets

    /// The ramp of each product and the demand rows, in buckets (§2). Demand dated past
    /// the horizon is dropped with a warning.
    func independentRequirements(_ warnings: inout [Warning]) -> [IndependentRequirement] {
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
            guard let t = calendar.bucket(of: row.date) else {
                warnings.append(Warning(SourceLocation(file: model.folder + "/demand.csv", line: row.line),
                                        "demand dated \(row.date) is past the horizon (ends \(calendar.end.adding(days: -1))); ignored"))
                continue
            }
            requirements.append(IndependentRequirement(item: row.item, bucket: t, quantity: row.quantity,
                                                       source: row.reference.isEmpty ? "demand" : row.reference))
        }
        return requirements
    }

    /// The bucket of each open receipt, nil (with a warning) past the horizon.
    func bucketReceipts(_ warnings: inout [Warning]) -> [Int?] {
        model.receipts.map { receipt in
            let t = calendar.bucket(of: receipt.dueDate)
            if t == nil {
                warnings.append(Warning(SourceLocation(file: model.folder + "/receipts.csv", line: receipt.line),
                                        "receipt due \(receipt.dueDate) is past the horizon (ends \(calendar.end.adding(days: -1))); ignored"))
            }
            return t
        }
    }

    /// Open receipts of each item inside the horizon, in due-date order (then file order).
    func receiptIndex(_ buckets: [Int?]) -> [[Int]] {
        var byItem = [[Int]](repeating: [], count: model.items.count)
        for (k, receipt) in model.receipts.enumerated() where buckets[k] != nil { byItem[receipt.item].append(k) }
        for i in byItem.indices where byItem[i].count > 1 {
            byItem[i].sort {
                let a = model.receipts[$0], b = model.receipts[$1]
                return a.dueDate != b.dueDate ? a.dueDate < b.dueDate : a.line < b.line
            }
        }
        return byItem
    }

    // MARK: - Exceptions

    /// A planned order whose release falls `lead - due` buckets before bucket 0.
    func pastDueException(_ order: PlannedOrder, lead: Int) -> MRPException {
        let due = calendar.bucketStart[order.dueBucket]
        let unit = calendar.kind == .week ? "week" : "working day"
        let late = lead - order.dueBucket
        return MRPException(item: order.item, kind: .pastDue, date: due, quantity: order.quantity,
                            message: "\(order.kind) order due \(due) should have been released \(late) \(unit)\(late == 1 ? "" : "s") before the plan start")
    }

    /// Action messages on the open receipts of one item (§2): each receipt, in due-date
    /// order, is needed in the first bucket where on-hand, gross requirements and the
    /// earlier receipts alone fall below safety stock.
    func actionMessages(item: Int, receipts: [Int], receiptBuckets: [Int?], gross: ArraySlice<Double>,
                        into exceptions: inout [MRPException]) {
        guard !receipts.isEmpty, model.items.type[item] != .phantom else { return }
        let buckets = calendar.count
        let safety = model.items.safetyStock[item]
        // projected[t]: on-hand + earlier receipts due by t - gross through t.
        var projected = ContiguousArray<Double>(repeating: 0, count: buckets)
        var running = model.items.onHand[item]
        var t = 0
        for value in gross {
            running -= value
            projected[t] = running
            t += 1
        }
        for k in receipts {
            let receipt = model.receipts[k]
            let due = receiptBuckets[k]!
            let need = projected.firstIndex { $0 < safety - LotPolicy.tolerance }
            let reference = receipt.reference.isEmpty ? "line \(receipt.line)" : receipt.reference
            let what = "open receipt \(reference) of \(NumberFormat.quantity(receipt.quantity)) due \(receipt.dueDate)"
            if let need {
                let needDate = calendar.bucketStart[need]
                if need < due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleIn, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is needed by \(needDate): bring it in"))
                } else if need > due {
                    exceptions.append(MRPException(item: item, kind: .rescheduleOut, date: needDate, quantity: receipt.quantity,
                                                   message: "\(what) is not needed until \(needDate): push it out"))
                }
            } else {
                exceptions.append(MRPException(item: item, kind: .cancel, date: calendar.bucketStart[due], quantity: receipt.quantity,
                                               message: "\(what) is not needed within the horizon: cancel it"))
            }
            for u in due..<buckets { projected[u] += receipt.quantity }
        }
    }
}
