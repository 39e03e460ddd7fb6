import TaktModel
import TaktInput

/// Turns the plan's findings into risks (contract §2c).
///
/// Behaviour:
/// - `shortage` per item the projection finds short (§2d: a planned order released late
///   and late requirement rows; dated at the first late row's need, level 3 before
///   `start + 14`, else 2), `safety_stock` per past-due (item, due bucket) with no short
///   quantity (1),
///   `capacity` per product left in backlog by a short phase, gated or not (2), `expedite` per
///   `reschedule_in` (1), `supplier` per buy item behind an at-risk supplier criterion (1),
///   `gate_criterion` per overdue manual criterion (2);
/// - findings with the same id are one risk (quantities add up; the first finding's
///   message stays);
/// - owner from the escalation level (a gates.csv owner first for `gate_criterion`),
///   `respond_by` = `start` + the level's business days;
/// - risks go highest level first, then by respond-by date, kind, item (or criterion)
///   name and date.
///
/// Findings are collected without text and sorted on one integer key each; a risk keeps
/// its finding's origin and its texts are made when read (`RiskWording`; 1.5 M risks at
/// 1M items).
public struct RiskRegister {
    public let model: PlanningModel
    public let mrp: MRPResult
    public let capacity: [PhaseCapacity]
    public let gates: [GateResult]
    public let projection: Projection
    /// Each item's place in name order (`ItemTable.nameRank`).
    let nameRank: ContiguousArray<Int>

    public init(model: PlanningModel, mrp: MRPResult, capacity: [PhaseCapacity], gates: [GateResult],
                projection: Projection, nameRank: ContiguousArray<Int>? = nil) {
        self.model = model
        self.mrp = mrp
        self.capacity = capacity
        self.gates = gates
        self.projection = projection
        self.nameRank = nameRank ?? model.items.nameRank()
    }

    /// A finding before it has any text: what it is about, and where its texts come from,
    /// in 32 bytes (a stress-shaped model has one and a half million of them, sorted).
    struct Finding {
        typealias Origin = RiskWording.Origin
        var key: UInt64
        var quantity: Double
        /// The origin packed (`RiskWording.pack`), or `Finding.spilled` with its index in
        /// `Findings.spilled` where it is too large to pack.
        var packedOrigin: UInt64
        var dateNumber: Int32
        var level: Int16
        var kind: RiskKind

        /// The mark of an origin kept apart: a kind of origin (the top three bits) that
        /// `RiskWording.pack` never makes.
        static let spilled: UInt64 = 7 << 61

        var date: Day { Day(number: Int(dateNumber)) }
    }

    /// The findings, and the origins too large to pack that some of them point to.
    struct Findings {
        var list: [Finding] = []
        var spilled: [Finding.Origin] = []
        /// The supplier entries' findings, each its packed origin, in key order: all of
        /// level 1 and kind `supplier`, whose keys are above every other finding's (the
        /// lowest level, the last kind by name), so they follow `list` once it is sorted.
        /// By far the most findings on a large model: 8 bytes each here, sorted by
        /// counting (`supplierFinding` makes the finding).
        var suppliers: [UInt64] = []
        /// What a supplier finding's key is made of: its level and kind, and the day its
        /// dates count from.
        var supplierPrefix: UInt64 = 0
        var firstDay = 0

        var count: Int { list.count + suppliers.count }

        func origin(of finding: Finding) -> Finding.Origin {
            finding.packedOrigin & Finding.spilled == Finding.spilled
                ? spilled[Int(finding.packedOrigin & ~Finding.spilled)]
                : RiskWording.unpack(finding.packedOrigin).origin
        }
    }

    /// `reserving`: room for that many more risks (the KPI risks merged in after).
    public func build(reserving extra: Int = 0) -> RiskList {
        var findings = self.findings()
        // Equal keys are the same risk; the sort is stable, so the first finding leads.
        findings.list.sort { $0.key < $1.key }
        return risks(from: findings, reserving: extra)
    }

    /// The finding of a supplier entry (`Findings.suppliers`).
    func supplierFinding(_ packed: UInt64, of findings: Findings) -> Finding {
        guard case .supplier(let g, let c, let e) = RiskWording.unpack(packed).origin else {
            preconditionFailure("a supplier finding of another origin")
        }
        let date = gates[g].date
        return Finding(key: findings.supplierPrefix | UInt64(nameRank[gates[g].criteria[c].items[e].item]) << 24
                        | UInt64(max(0, date.number - findings.firstDay) & 0xFF_FFFF),
                       quantity: 0, packedOrigin: packed, dateNumber: Int32(clamping: date.number), level: 1, kind: .supplier)
    }

    /// Every finding of the plan, each keyed by level (highest first; respond-by follows
    /// the level), kind, subject (item name rank, or a manual criterion's text rank) and date.
    func findings() -> Findings {
        let plan = model.plan
        let start = plan.start
        // Kinds in name order, manual criteria in text order.
        let kindOrder = Dictionary(uniqueKeysWithValues: RiskKind.allCases.sorted { $0.rawValue < $1.rawValue }
            .enumerated().map { ($1, UInt64($0)) })
        var criterionRank: [String: Int] = [:]
        for (k, text) in Set(model.gateCriteria.map(\.criterion)).sorted().enumerated() { criterionRank[text] = k }
        let firstDay = min(start.number, model.gateCriteria.compactMap(\.dueDate?.number).min() ?? start.number) - 1

        var findings = Findings()
        // At most one finding a shortage, a pull-in or safety-stock rebuild, a supplier
        // entry or a criterion row: no room to grow into (and no copy on the way).
        let fromExceptions = mrp.exceptions.reduce(0) { sum, exception in
            sum + (exception.kind == .rescheduleIn || exception.kind == .pastDue && exception.isSafetyStockRebuild ? 1 : 0)
        }
        let fromCapacity = plan.products.count * capacity.reduce(0) { $0 + ($1.hasShortfall ? 1 : 0) }
        // The supplier entries at risk, by gate and criterion: kept apart when every one of
        // them packs (then the list holds none of them).
        let supplierCriteria = gates.indices.flatMap { g in
            gates[g].criteria.indices.filter { c in
                gates[g].criteria[c].criterion == BuiltInCriterion.supplier.rawValue && gates[g].criteria[c].status == .atRisk
            }.map { (g: g, c: $0) }
        }
        let supplierEntries = supplierCriteria.reduce(0) { $0 + gates[$1.g].criteria[$1.c].items.count }
        let apart = supplierCriteria.allSatisfy { g, c in
            RiskWording.pack(.supplier(gate: g, criterion: c, entry: max(0, gates[g].criteria[c].items.count - 1)), merged: false) != nil
        }
        findings.list.reserveCapacity(projection.shortages.count + fromExceptions + fromCapacity + model.gateCriteria.count
            + (apart ? 0 : supplierEntries))
        /// Level (highest first; respond-by follows the level), kind, subject, date.
        func add(_ kind: RiskKind, subject: Int, _ date: Day, level: Int, quantity: Double, _ origin: Finding.Origin) {
            let key = UInt64(max(0, 7 - level)) << 60 | kindOrder[kind]! << 56 | UInt64(subject) << 24
                | UInt64(max(0, date.number - firstDay) & 0xFF_FFFF)
            let packed: UInt64
            if let origin = RiskWording.pack(origin, merged: false) {
                packed = origin
            } else {
                packed = Finding.spilled | UInt64(findings.spilled.count)
                findings.spilled.append(origin)
            }
            findings.list.append(Finding(key: key, quantity: quantity, packedOrigin: packed, dateNumber: Int32(clamping: date.number),
                                         level: Int16(clamping: level), kind: kind))
        }

        let soon = start.adding(days: 14)
        let bucketStart = mrp.calendar.bucketStart
        for (k, shortage) in projection.shortages.enumerated() {
            let date = bucketStart[shortage.firstLateBucket]
            add(.shortage, subject: nameRank[shortage.item], date, level: date < soon ? 3 : 2, quantity: shortage.lateQuantity,
                .shortage(k))
        }
        for (k, exception) in mrp.exceptions.enumerated() {
            switch exception.kind {
            case .pastDue:
                // One finding per (item, due bucket): the orders of a split share it.
                if k > 0, mrp.exceptions[k - 1].kind == .pastDue, mrp.exceptions[k - 1].item == exception.item,
                   mrp.exceptions[k - 1].date == exception.date { continue }
                if exception.isSafetyStockRebuild {
                    add(.safetyStock, subject: nameRank[exception.item], exception.date, level: 1,
                        quantity: exception.quantity, .exception(k))
                }
            case .rescheduleIn:
                add(.expedite, subject: nameRank[exception.item], exception.date, level: 1, quantity: exception.quantity,
                    .exception(k))
            default:
                break
            }
        }
        // A short phase's products, gated or not (§2c lists the finding for every phase with
        // `B* > 1e-6`): dated at the start of the first bucket after the phase, its gate's
        // date (`GateResult.date`), or the date its gate would have.
        let windows = plan.phaseWindows
        for result in capacity where result.hasShortfall {
            let date = windows[result.phase].upperBound
            for (p, product) in plan.products.enumerated() where result.finalBacklog[p] > 1e-6 {
                add(.capacity, subject: nameRank[product.item], date, level: 2, quantity: result.finalBacklog[p],
                    .capacity(phase: result.phase, product: p))
            }
        }
        for (g, gate) in gates.enumerated() {
            for (c, criterion) in gate.criteria.enumerated()
            where !apart && criterion.criterion == BuiltInCriterion.supplier.rawValue && criterion.status == .atRisk {
                for (e, entry) in criterion.items.enumerated() {
                    add(.supplier, subject: nameRank[entry.item], gate.date, level: 1, quantity: 0,
                        .supplier(gate: g, criterion: c, entry: e))
                }
            }
        }
        if apart && supplierEntries > 0 {
            findings.supplierPrefix = UInt64(7 - 1) << 60 | kindOrder[.supplier]! << 56
            findings.firstDay = firstDay
            // By item name rank (a counting sort, in gate and entry order within a rank),
            // then by the gate's date within an item (a stable insertion sort over an item's
            // few entries): the order a stable sort of their keys gives.
            var start = [Int32](repeating: 0, count: nameRank.count + 1)
            for (g, c) in supplierCriteria {
                for entry in gates[g].criteria[c].items { start[nameRank[entry.item] + 1] += 1 }
            }
            for r in 0..<nameRank.count { start[r + 1] += start[r] }
            var next = start
            var sorted = [UInt64](repeating: 0, count: supplierEntries)
            for (g, c) in supplierCriteria {
                for (e, entry) in gates[g].criteria[c].items.enumerated() {
                    let r = nameRank[entry.item]
                    sorted[Int(next[r])] = RiskWording.pack(.supplier(gate: g, criterion: c, entry: e), merged: false)!
                    next[r] += 1
                }
            }
            next = []
            func dateKey(_ packed: UInt64) -> Int {
                guard case .supplier(let g, _, _) = RiskWording.unpack(packed).origin else { return 0 }
                return max(0, gates[g].date.number - firstDay) & 0xFF_FFFF
            }
            for r in 0..<nameRank.count where start[r + 1] - start[r] > 1 {
                for k in Int(start[r]) + 1..<Int(start[r + 1]) {
                    let moving = sorted[k], key = dateKey(moving)
                    var j = k
                    while j > Int(start[r]), dateKey(sorted[j - 1]) > key {
                        sorted[j] = sorted[j - 1]
                        j -= 1
                    }
                    sorted[j] = moving
                }
            }
            findings.suppliers = sorted
        }
        for (k, row) in model.gateCriteria.enumerated() where !row.done {
            guard let due = row.dueDate, due <= start else { continue }
            add(.gateCriterion, subject: criterionRank[row.criterion]!, due, level: 2, quantity: 0, .criterion(row: k))
        }

        return findings
    }

    /// One risk per run of equal keys in sorted `findings`: quantities added up, owner and
    /// respond-by from the escalation level, value at risk and the deliveries it delays.
    func risks(from findings: Findings, reserving extra: Int = 0) -> RiskList {
        let plan = model.plan
        let start = plan.start
        // The records hold no text: the list's `RiskWording` makes it from each one's origin
        // when it is read.
        let wording = RiskWording(model: model, mrp: mrp, capacity: capacity, gates: gates, projection: projection)
        let delayed = delayedDeliveries()
        /// The deliveries `item` causes to be late: one list an item, shared by its
        /// shortage and its expedites (an item may have many of those).
        func impact(of item: Int, availableBucket: Int?) -> ShortageImpact? {
            delayed[item].map { ShortageImpact(availableBucket: availableBucket, deliveries: $0) }
        }
        var owners: [Int: (owner: Int32, respondBy: Day)] = [:]
        var risks: [RiskRecord] = []
        // The list, then the supplier findings (every key above the list's).
        let list = findings.list, total = findings.count
        func finding(_ k: Int) -> Finding {
            k < list.count ? list[k] : supplierFinding(findings.suppliers[k - list.count], of: findings)
        }
        var k = 0, count = 0
        while k < total {
            let key = finding(k).key
            var next = k + 1
            while next < total, finding(next).key == key { next += 1 }
            count += 1
            k = next
        }
        risks.reserveCapacity(count + extra)
        k = 0
        while k < total {
            let first = finding(k)
            let level = Int(first.level), origin = findings.origin(of: first)
            var quantity = first.quantity
            var next = k + 1
            while next < total, case let other = finding(next), other.key == first.key {
                quantity += other.quantity
                next += 1
            }
            if owners[level] == nil {
                let escalation = plan.escalationLevel(level)
                owners[level] = (OwnerNames.number(escalation.owner), start.addingBusinessDays(escalation.respondWithinDays))
            }
            let (defaultOwner, respondBy) = owners[level]!
            var owner = defaultOwner
            var value = 0.0
            var delays: ShortageImpact?
            switch origin {
            case .shortage(let s):
                let item = projection.shortages[s].item
                value = quantity * SupplierChoice.price(item: item, chosen: mrp.chosenOffer, model)
                delays = impact(of: item, availableBucket: projection.shortages[s].availableBucket)
            case .exception(let e):
                let exception = mrp.exceptions[e]
                value = quantity * SupplierChoice.price(item: exception.item, chosen: mrp.chosenOffer, model)
                // A pull-in is advice until receipts.csv moves the date (§2d): what the
                // projection, which keeps the date, has late because of the item.
                if first.kind == .expedite { delays = impact(of: exception.item, availableBucket: nil) }
            case .criterion(let r):
                let row = model.gateCriteria[r]
                if !row.owner.isEmpty { owner = OwnerNames.number(row.owner) }
            case .capacity, .supplier:
                break
            }
            risks.append(risk(first, origin: origin, quantity: quantity, merged: next - k > 1, owner: owner,
                              respondBy: respondBy, value: value, delays: delays, wording: wording))
            k = next
        }
        return RiskList(records: risks, wording: wording)
    }

    /// The risk of `first` (the leading finding of its key): worded when read if its origin
    /// packs (`RiskWording.pack`), else worded now.
    func risk(_ first: Finding, origin: Finding.Origin, quantity: Double, merged: Bool, owner: Int32, respondBy: Day,
              value: Double, delays: ShortageImpact?, wording: RiskWording) -> RiskRecord {
        if let packed = RiskWording.pack(origin, merged: merged) {
            var record = RiskRecord(kind: first.kind, level: Int(first.level), ownerNumber: owner, respondBy: respondBy, date: first.date,
                                    quantity: quantity, valueAtRisk: value, texts: .worded(packed))
            record.shortage = delays
            return record
        } else {
            // An origin too large to pack: its texts are made now.
            let subject = wording.subject(of: origin)
            var risk = Risk(record: RiskRecord(kind: first.kind, level: Int(first.level), ownerNumber: owner, respondBy: respondBy,
                                               date: first.date, quantity: quantity, valueAtRisk: value,
                                               texts: .written(RiskRecord.Written(item: subject, id: "", impact: "", message: ""))),
                            wording: nil)
            risk.shortage = delays
            var impact: [UInt8] = [], brief: [UInt8] = [], message: [UInt8] = []
            wording.appendImpact(of: risk, origin: origin, merged: merged, naming: .max, to: &impact)
            wording.appendImpact(of: risk, origin: origin, merged: merged, naming: RiskWording.briefDeliveries, to: &brief)
            wording.appendMessage(of: risk, origin: origin, to: &message)
            risk.record.texts = .written(RiskRecord.Written(item: subject, id: "\(first.kind.rawValue):\(subject):\(first.date)",
                                                            impact: String(decoding: impact, as: UTF8.self),
                                                            message: String(decoding: message, as: UTF8.self),
                                                            briefImpact: String(decoding: brief, as: UTF8.self)))
            return risk.record
        }
    }

    /// The deliveries each item causes to be late (§2d `cause`), earliest need first.
    func delayedDeliveries() -> [Int: [Delivery]] {
        var byItem: [Int: [Int]] = [:]
        for (d, delivery) in projection.deliveries.enumerated() {
            if case .item(let item)? = delivery.cause { byItem[item, default: []].append(d) }
        }
        return byItem.mapValues { list in
            list.sorted {
                let (a, b) = (projection.deliveries[$0], projection.deliveries[$1])
                return a.needBucket != b.needBucket ? a.needBucket < b.needBucket : $0 < $1
            }.map { projection.deliveries[$0] }
        }
    }
}
