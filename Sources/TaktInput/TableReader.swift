import TaktModel

/// Typed access to the fields of one CSV table, reporting each bad value to a sink as
/// `FILE:LINE: message` (contract §1) and returning a default so that checking goes on.
struct TableReader {
    let table: CSVTable
    var sink: DiagnosticSink

    /// Rules a number must satisfy.
    enum Rule {
        case nonNegative
        case positive
        /// `(0, 100]`, for yields.
        case percentAboveZero
        /// `[0, 100]`.
        case percent
        /// `[0, largestDays]`, for lead times.
        case days
    }

    /// The longest lead time a model may give, in (working) days: 36,500. Longer is a typo,
    /// and day arithmetic on it would leave the calendar (`docs/model.md`, limits).
    static let largestDays = 36_500.0

    /// The largest magnitude accepted for any number: beyond it products of quantities
    /// would lose every decimal or overflow.
    static let largest = 1e15

    init(_ table: CSVTable, sink: DiagnosticSink) {
        self.table = table
        self.sink = sink
        // A row with more fields than the header has shifted columns (an unquoted comma);
        // fewer fields are fine: the missing trailing ones read as empty.
        // A column named twice: which one counts would be a guess.
        var seen: Set<String> = []
        for name in table.header where !name.isEmpty && !seen.insert(name).inserted {
            self.sink.error(table.file, table.headerLine, "duplicate column \"\(name)\" in the header")
        }
        for row in 0..<table.rowCount where table.fieldCount(row) > table.header.count {
            self.sink.error(table.file, table.line(row),
                            "row has \(table.fieldCount(row)) fields but the header has \(table.header.count) (an unquoted comma?)")
        }
    }

    var file: String { table.file }

    /// Checks that every required column exists; reports each missing one on the header line.
    mutating func require(_ columns: [String]) -> [Int]? {
        var indices: [Int] = []
        var missing = false
        for name in columns {
            if let index = table.column(name) {
                indices.append(index)
            } else {
                sink.error(file, table.headerLine, "missing required column \"\(name)\"")
                missing = true
            }
        }
        return missing ? nil : indices
    }

    /// Index of an optional column, or -1 (a missing field reads as empty).
    func optional(_ name: String) -> Int { table.column(name) ?? -1 }

    func text(_ row: Int, _ column: Int) -> String {
        column < 0 ? "" : table.string(row, column)
    }

    func isBlank(_ row: Int, _ column: Int) -> Bool {
        column < 0 || table.isEmpty(row, column)
    }

    /// A required non-empty text field.
    mutating func key(_ row: Int, _ column: Int, _ name: String) -> String? {
        let value = text(row, column)
        if value.isEmpty {
            sink.error(file, table.line(row), "\(name) is empty")
            return nil
        }
        return value
    }

    /// A decimal; a blank field gives `defaultValue` (nil when the field is required).
    mutating func number(_ row: Int, _ column: Int, _ name: String, default defaultValue: Double?, rule: Rule) -> Double? {
        // One look at the field: blank, a number, or not a number (NaN stands for that:
        // the parser never returns one).
        let parsed: Double? = column < 0 ? nil : table.withField(row, column) { $0.isEmpty ? nil : DecimalParser.parse($0) ?? .nan }
        guard let value = parsed else {
            if defaultValue == nil { sink.error(file, table.line(row), "\(name) is empty") }
            return defaultValue
        }
        guard !value.isNaN else {
            sink.error(file, table.line(row), "\(name) is not a number: \"\(text(row, column))\"")
            return defaultValue
        }
        guard value.magnitude <= Self.largest else {
            sink.error(file, table.line(row), "\(name) is too large (at most 1e15), got \(text(row, column))")
            return defaultValue
        }
        let ok: Bool
        switch rule {
        case .nonNegative: ok = value >= 0
        case .positive: ok = value > 0
        case .percentAboveZero: ok = value > 0 && value <= 100
        case .percent: ok = value >= 0 && value <= 100
        case .days: ok = value >= 0 && value <= Self.largestDays
        }
        if !ok {
            let expectation = switch rule {
            case .nonNegative: "must be >= 0"
            case .positive: "must be > 0"
            case .percentAboveZero: "must be in (0, 100]"
            case .percent: "must be in [0, 100]"
            case .days: "must be from 0 to 36500 days"
            }
            sink.error(file, table.line(row), "\(name) \(expectation), got \(text(row, column))")
            return defaultValue
        }
        return value + 0.0  // no negative zero downstream
    }

    mutating func date(_ row: Int, _ column: Int, _ name: String, required: Bool) -> Day? {
        if isBlank(row, column) {
            if required { sink.error(file, table.line(row), "\(name) is empty") }
            return nil
        }
        if let day = table.withField(row, column, { Day(iso: $0) }) { return day }
        sink.error(file, table.line(row), "\(name) is not a valid YYYY-MM-DD date: \"\(text(row, column))\"")
        return nil
    }

    mutating func bool(_ row: Int, _ column: Int, _ name: String, default defaultValue: Bool) -> Bool {
        if isBlank(row, column) { return defaultValue }
        // true/false in any case, matched on the bytes (two per suppliers.csv row).
        let value: Bool? = table.withField(row, column) { bytes in
            func equals(_ word: StaticString) -> Bool {
                guard bytes.count == word.utf8CodeUnitCount else { return false }
                for k in 0..<bytes.count where bytes[k] | 0x20 != word.utf8Start[k] { return false }
                return true
            }
            return equals("true") ? true : (equals("false") ? false : nil)
        }
        switch value {
        case true?: return true
        case false?: return false
        default:
            sink.error(file, table.line(row), "\(name) must be true or false, got \"\(text(row, column))\"")
            return defaultValue
        }
    }
}
