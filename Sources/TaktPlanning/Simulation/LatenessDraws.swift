import TaktModel

/// Which supply comes late in one sample of `takt simulate`, and by how much (contract
/// §2e).
///
/// Behaviour:
/// - every open receipt naming a supplier that has an offer for its item, and every buy
///   planned order of an item with a chosen supplier, is on time with probability
///   `on_time_pct / 100` of that offer; otherwise it comes `k` weeks late, `k` drawn
///   uniformly from `late_weeks` (`5k` buckets with day buckets);
/// - the draws come from a counter-based generator keyed by (seed, sample, receipt or
///   order): independent between samples and supplies, and the same on any machine,
///   thread or shard.
public struct LatenessDraws: Sendable {
    let seed: UInt64
    let lateWeeks: ClosedRange<Int>
    let bucketsPerWeek: Int
    /// Each receipt's and each planned order's probability of coming on time (1 for supply
    /// that always does).
    let receiptOnTime: ContiguousArray<Double>
    let orderOnTime: ContiguousArray<Double>

    public init(plan: ProjectionPlan, seed: UInt64) {
        let model = plan.model, mrp = plan.mrp
        self.seed = seed
        lateWeeks = model.plan.lateWeeks
        bucketsPerWeek = mrp.calendar.bucketsPerWeek
        // The offer of each (supplier, item), for the receipts that name a supplier.
        var offerOf: [Int: Int] = [:]
        for (k, offer) in model.offers.enumerated() { offerOf[offer.supplier << 32 | offer.item] = k }
        receiptOnTime = ContiguousArray(model.receipts.map { receipt in
            guard receipt.supplier >= 0, let k = offerOf[receipt.supplier << 32 | receipt.item] else { return 1 }
            return model.offers[k].onTimePct / 100
        })
        orderOnTime = ContiguousArray(mrp.orders.map { order in
            let offer = mrp.chosenOffer[order.item]
            return order.kind == .buy && offer >= 0 ? model.offers[offer].onTimePct / 100 : 1
        })
    }

    /// Sample `sample`'s delays (1-based sample number), written into `delays`.
    public func delays(sample: Int, into delays: inout SupplyDelays) {
        let base = Self.mix(Self.mix(seed) ^ UInt64(truncatingIfNeeded: sample))
        for k in receiptOnTime.indices { delays.receipt[k] = delay(base, stream: 1, index: k, onTime: receiptOnTime[k]) }
        for o in orderOnTime.indices { delays.order[o] = delay(base, stream: 2, index: o, onTime: orderOnTime[o]) }
    }

    /// No delays: the plan as decided.
    public func noDelays() -> SupplyDelays {
        SupplyDelays(receipt: ContiguousArray(repeating: 0, count: receiptOnTime.count),
                     order: ContiguousArray(repeating: 0, count: orderOnTime.count))
    }

    @inline(__always)
    private func delay(_ base: UInt64, stream: UInt64, index: Int, onTime p: Double) -> Int32 {
        guard p < 1 else { return 0 }
        let draw = Self.mix(base ^ (stream << 56 | UInt64(index)))
        // The top 53 bits as a uniform number in [0, 1).
        guard Double(draw >> 11) * 0x1p-53 >= p else { return 0 }
        let span = UInt64(lateWeeks.count)
        let weeks = lateWeeks.lowerBound + Int(Self.mix(draw) % span)
        return Int32(weeks * bucketsPerWeek)
    }

    /// SplitMix64's finalizer: a bijective mix of 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
