import TaktModel

/// What `takt simulate` counted over its samples (contract §2e), per gate: how many
/// samples forecast each date, how many forecast `open`, and how often each item (or
/// `capacity`) caused the phase's latest delivery. Counts add up, so shards of one run
/// merge into exactly the tally of the whole run, whatever the order.
public struct SimulationTally: Sendable, Equatable {
    public struct Gate: Sendable, Equatable {
        public var gate: String
        public var phase: String
        public var date: Day
        /// Forecast date (day number) → samples.
        public var forecasts: [Int: Int] = [:]
        /// Samples whose forecast is `open`.
        public var open = 0
        /// Cause name (an item, or `capacity`) → its supplier (a buy item's chosen one,
        /// else empty) and the samples in which it caused the latest delivery.
        public var causes: [String: Cause] = [:]

        public struct Cause: Sendable, Equatable {
            public var supplier: String
            public var samples: Int

            public init(supplier: String, samples: Int) { (self.supplier, self.samples) = (supplier, samples) }
        }

        public init(gate: String, phase: String, date: Day) { (self.gate, self.phase, self.date) = (gate, phase, date) }

        /// Samples whose forecast is on or before the gate's date.
        public var onTime: Int { forecasts.reduce(0) { $1.key <= date.number ? $0 + $1.value : $0 } }

        /// The smallest date with at least `share` of the samples on or before it (`open`
        /// counts as after every date): nil when that is `open`. `share` as a fraction
        /// `numerator / denominator`, compared in integers.
        public func percentile(_ numerator: Int, _ denominator: Int, of samples: Int) -> Day? {
            var seen = 0
            for day in forecasts.keys.sorted() {
                seen += forecasts[day]!
                if seen * denominator >= numerator * samples { return Day(number: day) }
            }
            return nil
        }
    }

    /// The gates in phase order.
    public var gates: [Gate]
    /// The samples counted.
    public var samples: Int

    public init(gates: [Gate], samples: Int = 0) { (self.gates, self.samples) = (gates, samples) }

    /// Adds `other`'s counts (the same gates) to these.
    public mutating func add(_ other: SimulationTally) {
        samples += other.samples
        for g in gates.indices {
            let theirs = other.gates[g]
            gates[g].open += theirs.open
            for (day, count) in theirs.forecasts { gates[g].forecasts[day, default: 0] += count }
            for (name, cause) in theirs.causes {
                gates[g].causes[name, default: Gate.Cause(supplier: cause.supplier, samples: 0)].samples += cause.samples
            }
        }
    }

    /// Gate `name`'s share of samples on time and its P90 date (nil = open); nil when the
    /// tally has no such gate or no sample.
    public func confidence(of name: String) -> (onTime: Double, p90: Day?)? {
        guard samples > 0, let gate = gates.first(where: { $0.gate == name }) else { return nil }
        return (Double(gate.onTime) / Double(samples), gate.percentile(9, 10, of: samples))
    }

    /// Whether the counts can be a simulation's: each gate's forecasts and `open` add up
    /// to `samples`, and its causes (one at most a sample) to no more, none negative.
    public var isConsistent: Bool {
        samples >= 0 && gates.allSatisfy { gate in
            let counts = gate.forecasts.values
            let causes = gate.causes.values.map(\.samples)
            return gate.open >= 0 && !counts.contains { $0 < 0 } && !causes.contains { $0 < 0 }
                && counts.reduce(gate.open, +) == samples && causes.reduce(0, +) <= samples
        }
    }

    /// Whether `other` counts the same gates (a shard of the same model).
    public func hasSameGates(as other: SimulationTally) -> Bool {
        gates.count == other.gates.count && zip(gates, other.gates).allSatisfy {
            $0.gate == $1.gate && $0.phase == $1.phase && $0.date == $1.date
        }
    }
}
