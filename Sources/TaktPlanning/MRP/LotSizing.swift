import TaktModel
import TaktInput

/// The lot-sizing policy of one item, resolved once before netting (contract §2).
///
/// Behaviour:
/// - `lfl` covers the net requirement; `foq` rounds it up to whole lots; `poq` covers
///   `n` buckets; `eoq` acts as `foq` with `Q = sqrt(2DS/H)` (else as `lfl`);
/// - then the minimum (`min_lot`, and a buy item's supplier `moq`), the lot multiple
///   (the supplier's when > 0) and the split above `max_lot`.
public struct LotPolicy: Sendable, Equatable {
    public var rule: LotRule
    /// Lot size of `foq` (and of `eoq` once Q is known).
    public var lotSize: Double
    /// Buckets covered by `poq`.
    public var periods: Int
    public var minimum: Double
    public var multiple: Double
    /// 0 = no maximum.
    public var maximum: Double
    /// §2 whole units: receipts and order quantities rounded up to whole numbers.
    public var wholeUnits: Bool = false

    /// The most orders one planned receipt is split into.
    public static let maximumSplit = 10_000

    /// Tolerance of every comparison and rounding (§2).
    public static let tolerance = Tolerance.quantity

    /// `ceil(x)` that ignores an excess of up to 1e-9 (so 2.0000000001 lots are 2 lots): one
    /// `roundsd` on the release build's x86-64-v2 target (Package.swift), `frintp` on arm64.
    @inline(__always)
    public static func ceilTolerant(_ x: Double) -> Double {
        (x - tolerance).rounded(.up)
    }

    /// The policy of `item`. `annualDemand` is the item's gross requirement over the
    /// horizon scaled to 52 weeks (used by `eoq` only).
    public static func resolve(item: Int, offer: Int, annualDemand: Double, model: PlanningModel) -> LotPolicy {
        let items = model.items
        var policy = LotPolicy(rule: items.lotRule[item], lotSize: items.lotSize[item],
                               periods: max(1, Int(min(items.lotSize[item], 1e6).rounded(.towardZero))),
                               minimum: items.minLot[item], multiple: items.lotMultiple[item],
                               maximum: items.maxLot[item], wholeUnits: model.plan.wholeUnits)
        if offer >= 0 {
            let o = model.offers[offer]
            if o.lotMultiple > 0 { policy.multiple = o.lotMultiple }
            policy.minimum = max(policy.minimum, o.moq)
        }
        if policy.rule == .eoq {
            let holding = items.unitCost[item] * model.plan.costs.holdingRatePerYear
            let q = holding > 0 ? (2 * annualDemand * items.orderCost[item] / holding).squareRoot() : 0
            if q > 0 && q.isFinite {
                policy.rule = .foq
                policy.lotSize = q
            } else {
                policy.rule = .lfl
            }
        }
        return policy
    }

    /// The planned receipt by the rule alone for a shortfall `need = SS - A > 0`.
    /// `poqNeed` is, for `poq`, the largest `SS - A'(k)` over the `n` buckets it covers
    /// (the projected on-hand with no other new orders); other rules ignore it.
    @inline(__always)
    public func baseQuantity(need: Double, poqNeed: Double) -> Double {
        switch rule {
        case .lfl, .eoq: return need
        case .foq: return lotSize * Self.ceilTolerant(need / lotSize)
        case .poq: return max(need, poqNeed)
        }
    }

    /// POQ's look-ahead for a shortfall at bucket `t`, where the projected on-hand with no
    /// new order is `available`: the largest `safety - A'(k)` over the buckets the order
    /// covers after `t` (`periods - 1` of them, cut at the horizon), where `A'` goes on with
    /// the `scheduled` receipts and `gross` requirements and no other new order; 0 for the
    /// other rules and when no later bucket falls short.
    @inline(__always)
    public func lookAheadNeed(available: Double, at t: Int, safety: Double,
                              scheduled: ContiguousArray<Double>, gross: ContiguousArray<Double>) -> Double {
        guard rule == .poq else { return 0 }
        var need = 0.0, running = available
        for k in 1..<max(1, min(periods, gross.count - t)) {
            running += scheduled[t + k] - gross[t + k]
            need = max(need, safety - running)
        }
        return need
    }

    /// Applies the minimum and the multiple to a base quantity, then (whole units) rounds
    /// it up to a whole number: the planned receipt `P`.
    @inline(__always)
    public func adjusted(_ base: Double) -> Double {
        var quantity = max(base, minimum)
        if multiple > 0 {
            quantity = multiple * Self.ceilTolerant(quantity / multiple)
        }
        if wholeUnits { quantity = Self.ceilTolerant(quantity) }
        return quantity
    }

    /// The order quantity of a receipt part: `part × 100 / yield_pct`, rounded up to a whole
    /// number under whole units (§2, each part of a split on its own).
    @inline(__always)
    public func orderQuantity(_ part: Double, yieldFactor: Double) -> Double {
        let quantity = part * yieldFactor
        return wholeUnits ? Self.ceilTolerant(quantity) : quantity
    }

    /// Splits a receipt above `max_lot` into orders of at most `max_lot` (rounded down to
    /// the lot multiple when there is one, then under whole units down to a whole number,
    /// at least 1), the remainder last.
    public func split(_ quantity: Double) -> Split {
        guard maximum > 0, quantity > maximum + Self.tolerance else { return Split(chunk: quantity, count: 1, lastPart: quantity) }
        var chunk = maximum
        if multiple > 0 {
            let whole = (maximum / multiple + Self.tolerance).rounded(.down) * multiple
            if whole > 0 { chunk = whole }
        }
        if wholeUnits { chunk = max(1, (chunk + Self.tolerance).rounded(.down)) }
        // A maximum far below the need would make millions of orders: at most
        // `maximumSplit` are made, the last one carrying the rest.
        var orders = Int(min(Double(Self.maximumSplit), Self.ceilTolerant(quantity / chunk)))
        var last = quantity - chunk * Double(orders - 1)
        if last <= Self.tolerance {
            orders -= 1
            last = chunk + (quantity - chunk * Double(orders))
        }
        return Split(chunk: chunk, count: orders, lastPart: last)
    }

    /// The orders one planned receipt is split into: `count - 1` of `chunk`, then `lastPart`
    /// (no array: the MRP makes one per planned receipt).
    public struct Split: RandomAccessCollection, Sendable {
        public let chunk: Double
        public let count: Int
        public let lastPart: Double
        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        public subscript(k: Int) -> Double { k == count - 1 ? lastPart : chunk }
    }
}
