import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// The files of `takt simulate` (contract §2e) made from a `SimulationTally` alone, so
/// that a merge of shards, which has no model, writes the same bytes as one run:
/// `simulation.csv`, `criticality.csv`, and `summary.json`, which also carries the tally.
public enum SimulationFiles {
    /// How a run was made, for `summary.json`.
    public struct Run: Sendable {
        public var seed: UInt64
        /// N, the samples of the whole run (all shards).
        public var samples: Int
        /// `I/K` of a shard; nil for a whole run or a merge.
        public var shard: (index: Int, count: Int)?
        public var lateWeeks: ClosedRange<Int>
        /// What was simulated: the SHA-256 of each model file, by file name, and the
        /// scenarios applied (name, file name, SHA-256), as a plan's `summary.json` has
        /// them. Shards of other inputs are not one simulation, and a merge refuses them.
        public var inputs: Inputs

        public init(seed: UInt64, samples: Int, shard: (index: Int, count: Int)?, lateWeeks: ClosedRange<Int>, inputs: Inputs) {
            (self.seed, self.samples, self.shard, self.lateWeeks, self.inputs) = (seed, samples, shard, lateWeeks, inputs)
        }
    }

    /// The inputs a simulation was run on (`Run.inputs`).
    public struct Inputs: Sendable, Equatable {
        public var digests: [String: String]
        public var scenarios: [AppliedScenario]

        public init(digests: [String: String], scenarios: [AppliedScenario]) {
            (self.digests, self.scenarios) = (digests, scenarios)
        }

        /// The model's files and scenarios as loaded (a scenario by its file's name: the
        /// shards of one simulation may read copies of it in other folders).
        public init(_ model: PlanningModel) {
            self.init(digests: model.inputDigests, scenarios: model.scenarios)
        }
    }

    /// `simulation.csv`: per gate, the share of samples on time, the P50 and P90 forecast
    /// dates and the share of `open` forecasts, over the tally's samples.
    public static func simulation(_ tally: SimulationTally) -> [UInt8] {
        var csv = CSVWriter(header: ["gate", "phase", "date", "samples", "p_on_time", "p50_date", "p90_date", "p_open"])
        let n = tally.samples
        for gate in tally.gates {
            csv.field(gate.gate)
            csv.field(gate.phase)
            csv.field(gate.date.description)
            csv.field(Double(n))
            csv.field(n > 0 ? Double(gate.onTime) / Double(n) : 0)
            csv.field(gate.percentile(1, 2, of: n).map(\.description) ?? "open")
            csv.field(gate.percentile(9, 10, of: n).map(\.description) ?? "open")
            csv.field(n > 0 ? Double(gate.open) / Double(n) : 0)
            csv.endRow()
        }
        return csv.bytes
    }

    /// `criticality.csv`: per gate (phase order), each cause of the phase's latest
    /// delivery with the share of samples it caused it in, largest first, then by name.
    public static func criticality(_ tally: SimulationTally) -> [UInt8] {
        var csv = CSVWriter(header: ["gate", "item", "supplier", "share"])
        let n = tally.samples
        for gate in tally.gates {
            let causes = gate.causes.sorted { a, b in
                a.value.samples != b.value.samples ? a.value.samples > b.value.samples
                    : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
            }
            for (name, cause) in causes {
                csv.field(gate.gate)
                csv.field(name)
                csv.field(cause.supplier)
                csv.field(n > 0 ? Double(cause.samples) / Double(n) : 0)
                csv.endRow()
            }
        }
        return csv.bytes
    }

    /// `summary.json`: the run and the tally that the files come from (what `takt simulate
    /// merge` adds up). No timing: the same seed gives the same bytes in every file (§2e),
    /// and a merge writes what one run of all N samples writes, byte for byte.
    public static func summary(_ tally: SimulationTally, run: Run) -> [UInt8] {
        let gates: [JSONValue] = tally.gates.map { gate in
            .object([
                ("gate", .string(gate.gate)),
                ("phase", .string(gate.phase)),
                ("date", .string(gate.date.description)),
                ("forecasts", .array(gate.forecasts.keys.sorted().map { day in
                    .array([.string(Day(number: day).description), .integer(gate.forecasts[day]!)])
                })),
                ("open", .integer(gate.open)),
                ("causes", .array(gate.causes.keys.sorted().map { name in
                    .array([.string(name), .string(gate.causes[name]!.supplier), .integer(gate.causes[name]!.samples)])
                })),
            ])
        }
        let json = JSONValue.object([
            ("takt_output", .string("simulate")),
            ("seed", .string(String(run.seed))),
            ("samples", .integer(run.samples)),
            ("shard", run.shard.map { .string("\($0.index)/\($0.count)") } ?? .null),
            ("samples_counted", .integer(tally.samples)),
            ("late_weeks", .array([.integer(run.lateWeeks.lowerBound), .integer(run.lateWeeks.upperBound)])),
            ("inputs", .object(run.inputs.digests.keys.sorted().map { ($0, JSONValue.string(run.inputs.digests[$0]!)) })),
        ] + DecisionTables.scenarios(run.inputs.scenarios) + [
            ("tally", .array(gates)),
        ])
        return Array(json.rendered().utf8)
    }

    /// Every file of a simulation output folder.
    public static func files(_ tally: SimulationTally, run: Run) -> [String: [UInt8]] {
        ["simulation.csv": simulation(tally), "criticality.csv": criticality(tally), "summary.json": summary(tally, run: run)]
    }

    /// A shard as its `summary.json` describes it.
    public struct Shard: Sendable {
        public var tally: SimulationTally
        public var seed: UInt64
        public var samples: Int
        public var shard: (index: Int, count: Int)?
        public var lateWeeks: ClosedRange<Int>
        /// Nil for a shard of a Takt from before summary.json named its inputs.
        public var inputs: Inputs?
    }

    /// Reads the `summary.json` of a `takt simulate` output; nil when it is not one.
    public static func readShard(_ bytes: [UInt8]) -> Shard? {
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              root["takt_output"] as? String == "simulate",
              let seedText = root["seed"] as? String, let seed = UInt64(seedText),
              let samples = root["samples"] as? Int, let counted = root["samples_counted"] as? Int,
              let weeks = root["late_weeks"] as? [Int], weeks.count == 2, weeks[0] <= weeks[1],
              let gates = root["tally"] as? [[String: Any]] else { return nil }
        let digests = root["inputs"] as? [String: String]
        var scenarios: [AppliedScenario] = []
        for entry in root["scenarios"] as? [[String: Any]] ?? [] {
            guard let name = entry["name"] as? String, let file = entry["file"] as? String,
                  let sha = entry["sha256"] as? String else { return nil }
            scenarios.append(AppliedScenario(name: name, file: file, sha256: sha))
        }
        var shard: (Int, Int)?
        if let text = root["shard"] as? String {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2 else { return nil }
            shard = (parts[0], parts[1])
        }
        var tally = SimulationTally(gates: [], samples: counted)
        for entry in gates {
            guard let name = entry["gate"] as? String, let phase = entry["phase"] as? String,
                  let dateText = entry["date"] as? String, let date = Day(iso: dateText),
                  let forecasts = entry["forecasts"] as? [[Any]], let open = entry["open"] as? Int,
                  let causes = entry["causes"] as? [[Any]] else { return nil }
            var gate = SimulationTally.Gate(gate: name, phase: phase, date: date)
            gate.open = open
            for pair in forecasts {
                guard pair.count == 2, let text = pair[0] as? String, let day = Day(iso: text), let count = pair[1] as? Int else {
                    return nil
                }
                gate.forecasts[day.number] = count
            }
            for triple in causes {
                guard triple.count == 3, let item = triple[0] as? String, let supplier = triple[1] as? String,
                      let count = triple[2] as? Int else { return nil }
                gate.causes[item] = SimulationTally.Gate.Cause(supplier: supplier, samples: count)
            }
            tally.gates.append(gate)
        }
        return Shard(tally: tally, seed: seed, samples: samples, shard: shard, lateWeeks: weeks[0]...weeks[1],
                     inputs: digests.map { Inputs(digests: $0, scenarios: scenarios) })
    }
}
