/// The plan's time buckets (contract §2).
///
/// Behaviour:
/// - `week`: bucket `t` covers `[start + 7t, start + 7t + 6]`; `horizon_weeks` buckets.
/// - `day`: one working day (Mon–Fri) a bucket, `horizon_weeks × 5` buckets from `start`
///   (a weekend `start` begins on the next Monday); a weekend date falls in the next
///   Monday's bucket.
/// - Dates before the first bucket fall in bucket 0; dates after the last are outside.
public struct BucketCalendar: Sendable {
    public let kind: BucketKind
    public let start: Day
    /// Start date of each bucket.
    public let bucketStart: ContiguousArray<Day>
    /// Working days per bucket: 5 for weeks, 1 for days (lead time divisor).
    public var daysPerBucket: Int { kind == .week ? 5 : 1 }
    /// Buckets per planning week.
    public var bucketsPerWeek: Int { kind == .week ? 1 : 5 }
    /// The buckets of the first `weeks` weeks, at most the horizon: where the planning
    /// time fence (`frozen_weeks`) or the phases end.
    public func buckets(inWeeks weeks: Int) -> Int { min(count, weeks * bucketsPerWeek) }
    /// `n` buckets in words: `1 week`, `5 weeks`, `3 working days`.
    public func count(_ n: Int) -> String { "\(n) \(kind == .week ? "week" : "working day")\(n == 1 ? "" : "s")" }

    /// The plan's weeks whatever its bucket: the calendar of the capacity LPs, `mps.csv`
    /// and the weekly KPIs (also for `bucket: day`).
    public static func weeks(of plan: PlanSettings) -> BucketCalendar {
        var weekly = plan
        weekly.bucket = .week
        return BucketCalendar(plan: weekly)
    }

    public init(plan: PlanSettings) {
        kind = plan.bucket
        start = plan.start
        switch plan.bucket {
        case .week:
            bucketStart = ContiguousArray((0..<plan.horizonWeeks).map { plan.start.adding(days: 7 * $0) })
        case .day:
            var days = ContiguousArray<Day>()
            days.reserveCapacity(plan.horizonWeeks * 5)
            var day = plan.start
            while days.count < plan.horizonWeeks * 5 {
                if !day.isWeekend { days.append(day) }
                day = day.adding(days: 1)
            }
            bucketStart = days
        }
    }

    public var count: Int { bucketStart.count }

    /// The first day after the horizon.
    public var end: Day {
        switch kind {
        case .week: return start.adding(days: 7 * count)
        case .day: return bucketStart[count - 1].adding(days: 1)
        }
    }

    /// For each bucket, the index of the first of `ranges` that holds its first day, or -1
    /// (a bucket's phase, or its gated phase, looked up once per bucket instead of once per
    /// order).
    public func rangeOfEachBucket(_ ranges: [Range<Day>]) -> [Int] {
        bucketStart.map { day in ranges.firstIndex { $0.contains(day) } ?? -1 }
    }

    /// The bucket holding `day`; dates before the plan fall in bucket 0; nil past the horizon.
    public func bucket(of day: Day) -> Int? {
        switch kind {
        case .week:
            let offset = day.number - start.number
            if offset < 0 { return 0 }
            let t = offset / 7
            return t < count ? t : nil
        case .day:
            var d = day
            while d.isWeekend { d = d.adding(days: 1) }
            if d <= bucketStart[0] { return 0 }
            // Binary search for the first bucket starting on or after d.
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if bucketStart[mid] < d { lo = mid + 1 } else { hi = mid }
            }
            return lo < count ? lo : nil
        }
    }

    /// Lead time in buckets: `ceil(days / 5)` for weeks, `ceil(days)` working days for days (§2).
    public func leadTimeBuckets(days: Double) -> Int {
        let buckets = days / Double(daysPerBucket)
        return max(0, Int((buckets - 1e-9).rounded(.up)))
    }

    /// The buckets `[first, end)` of each phase (cut at the horizon), in plan order.
    public func phaseRanges(_ phases: [Phase]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var first = 0
        for phase in phases {
            let length = phase.weeks * bucketsPerWeek
            let lo = min(first, count), hi = min(first + length, count)
            ranges.append(lo..<hi)
            first += length
        }
        return ranges
    }

    /// `capacity_pct` of every bucket (§2): linear from `from` in a phase's first bucket
    /// to `to` in its last (a one-bucket phase uses `from`); 0 after the last phase. The
    /// slope follows the phase's full length even when the horizon cuts it.
    public func capacityPct(_ phases: [Phase]) -> ContiguousArray<Double> {
        var pct = ContiguousArray<Double>(repeating: 0, count: count)
        var first = 0
        for phase in phases {
            let length = phase.weeks * bucketsPerWeek
            for i in 0..<length where first + i < count {
                pct[first + i] = Self.rampValue(from: phase.capacityFrom, to: phase.capacityTo, index: i, length: length)
            }
            first += length
        }
        return pct
    }

    static func rampValue(from: Double, to: Double, index: Int, length: Int) -> Double {
        guard length > 1 else { return from }
        if index == length - 1 { return to }
        return from + (to - from) * Double(index) / Double(length - 1)
    }
}
