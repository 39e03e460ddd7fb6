import TaktModel
import TaktInput

/// When a gate can be held (contract §2d `forecast_date` in `gates.json`), and what sets
/// that date.
///
/// Behaviour:
/// - the gate's date plus the largest `days_late` of the deliveries needed inside the
///   phase (inside the horizon, for a phase reaching past it; 0 when none is late);
/// - `open` (nil) when one of them is not delivered within the horizon;
/// - otherwise the later of that and the `due_date` of a manual criterion of the gate
///   that is not done.
public struct GateForecast {
    public let model: PlanningModel
    public let projection: Projection
    public let calendar: BucketCalendar

    public init(model: PlanningModel, projection: Projection, calendar: BucketCalendar) {
        self.model = model
        self.projection = projection
        self.calendar = calendar
    }

    /// Sets `forecast` and `forecastReason` of each gate.
    public func apply(to gates: inout [GateResult]) {
        for g in gates.indices {
            (gates[g].forecast, gates[g].forecastReason) = forecast(gates[g])
        }
    }

    /// The rule itself (§2d), shared with `GateSampling`: nil (open) when a delivery of the
    /// phase is not delivered; else the gate's date plus the worst lateness in days, or a
    /// later due date of a manual criterion not done.
    static func date(gate: Day, worstDaysLate: Int, open: Bool, manualDue: Day?) -> Day? {
        guard !open else { return nil }
        let date = gate.adding(days: max(0, worstDaysLate))
        guard let manualDue, manualDue > date else { return date }
        return manualDue
    }

    func forecast(_ gate: GateResult) -> (Day?, String) {
        let dates = calendar.bucketStart
        let inside = gate.phaseStart..<gate.date
        var latest: (days: Int, delivery: Delivery)?
        for delivery in projection.deliveries where inside.contains(dates[delivery.needBucket]) {
            guard let available = delivery.availableBucket else {
                return (nil, "\(describe(delivery)) is not delivered within the horizon")
            }
            let days = dates[available].number - dates[delivery.needBucket].number
            if days > (latest?.days ?? 0) { latest = (days, delivery) }
        }
        let pending = model.gateCriteria.filter { $0.gate == gate.gate && !$0.done }
        let manual = pending.filter { $0.dueDate != nil }.max { $0.dueDate! < $1.dueDate! }
        let date = Self.date(gate: gate.date, worstDaysLate: latest?.days ?? 0, open: false, manualDue: manual?.dueDate)!
        var reason: String
        if let manual, manual.dueDate == date, date > gate.date.adding(days: latest?.days ?? 0) {
            reason = "\"\(manual.criterion)\" due \(date)"
        } else {
            reason = latest.map { "\(describe($0.delivery)) arrives \(dates[$0.delivery.availableBucket!]) (+\($0.days) days)" }
                ?? "every delivery of the phase on time"
        }
        // A criterion overdue at the plan date moves no forecast (§2d: its due date is
        // before the gate's), but the gate waits for it all the same: said beside the date.
        let overdue = pending.filter { $0.dueDate.map { $0 <= model.plan.start } ?? false }.map(\.criterion)
        if !overdue.isEmpty {
            reason += "; not done and overdue: " + overdue.map { "\"\($0)\"" }.joined(separator: ", ")
        }
        return (date, reason)
    }

    /// `DRONE-X1 ramp due 2027-03-22 (MCU-H7)`: a delivery and its cause.
    func describe(_ delivery: Delivery) -> String {
        var text = "\(model.items.names[delivery.item]) \(delivery.source) due \(calendar.bucketStart[delivery.needBucket])"
        switch delivery.cause {
        case .item(let item)?: text += " (\(model.items.names[item]))"
        case .capacity?: text += " (capacity)"
        case nil: break
        }
        return text
    }
}
