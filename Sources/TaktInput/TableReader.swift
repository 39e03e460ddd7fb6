import TaktModel

/// Typed access to the fields of one CSV table, reporting each bad value to a sink as
/// `FILE:LINE: message` (contract §1) and returning a default so that checking goes on.
struct TableReader {
    let table: CSVTable
    var sink: DiagnosticSink

    /// Rules a number must satisfy.
    typealias Rule = ValueRule

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
            self.sink.error(table.file, table.headerLine, .duplicateColumn(name), column: name)
        }
        for row in 0..<table.rowCount where table.fieldCount(row) > table.header.count {
            self.sink.error(table.file, table.line(row), .tooManyFields(fields: table.fieldCount(row), header: table.header.count))
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
                sink.error(file, table.headerLine, .missingColumn(name), column: name)
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
            sink.error(file, table.line(row), .empty(field: name), column: name)
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
            if defaultValue == nil { sink.error(file, table.line(row), .empty(field: name), column: name) }
            return defaultValue
        }
        guard !value.isNaN else {
            sink.error(file, table.line(row), .notANumber(field: name, text: text(row, column)), column: name)
            return defaultValue
        }
        guard value.magnitude <= Self.largest else {
            sink.error(file, table.line(row), .tooLarge(field: name, text: text(row, column)), column: name)
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
            sink.error(file, table.line(row), .outOfRange(field: name, rule: rule, text: text(row, column)), column: name)
            return defaultValue
        }
        return value + 0.0  // no negative zero downstream
    }

    mutating func date(_ row: Int, _ column: Int, _ name: String, required: Bool) -> Day? {
        if isBlank(row, column) {
            if required { sink.error(file, table.line(row), .empty(field: name), column: name) }
            return nil
        }
        if let day = table.withField(row, column, { Day(iso: $0) }) { return day }
        sink.error(file, table.line(row), .notADate(field: name, text: text(row, column)), column: name)
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
            sink.error(file, table.line(row), .notABoolean(field: name, text: text(row, column)), column: name)
            return defaultValue
        }
    }
}
