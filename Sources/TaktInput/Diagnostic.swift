import TaktModel

/// Where an input problem was found: a file and a 1-based physical line.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One input problem where it was found (contract §1: `FILE:LINE: what is wrong`).
/// `column` is the CSV column or YAML key the problem is in, where one applies; the text
/// is the problem's `message`, with control characters made visible.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var problem: InputProblem
    public var column: String?

    public init(_ location: SourceLocation, _ problem: InputProblem, column: String? = nil) {
        self.location = location
        self.problem = problem
        self.column = column
    }

    public var message: String { problem.message }

    public var description: String { "\(location): \(Self.printable(message))" }

    /// The message with control characters (a terminal's escape sequences in a name)
    /// shown as `\u{1B}` instead of acting on the terminal.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Thrown when a model, plan or scenario is rejected: every problem found, in file order.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// How many further problems were found beyond the reporting cap.
    public var suppressed: Int

    public init(_ diagnostics: [Diagnostic], suppressed: Int = 0) {
        self.diagnostics = diagnostics
        self.suppressed = suppressed
    }

    public var description: String {
        var lines = diagnostics.map(\.description)
        if suppressed > 0 { lines.append("… and \(suppressed) more errors") }
        return lines.joined(separator: "\n")
    }
}

/// Collects input problems so that all of them are reported at once (habit 3 of STYLE.md).
public struct DiagnosticSink: Sendable {
    public static let defaultCap = 100
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var suppressed = 0
    public let cap: Int

    public init(cap: Int = DiagnosticSink.defaultCap) { self.cap = cap }

    public var isEmpty: Bool { diagnostics.isEmpty && suppressed == 0 }
    public var count: Int { diagnostics.count + suppressed }
    /// Whether a further problem would only be counted (the cap is reached): a message that
    /// is costly to word (a spelling suggestion) need not be.
    public var isFull: Bool { diagnostics.count >= cap }

    public mutating func error(_ file: String, _ line: Int, _ problem: InputProblem, column: String? = nil) {
        add(Diagnostic(SourceLocation(file: file, line: line), problem, column: column))
    }

    public mutating func add(_ diagnostic: Diagnostic) {
        if diagnostics.count < cap {
            diagnostics.append(diagnostic)
        } else {
            suppressed += 1
        }
    }

    public mutating func merge(_ other: DiagnosticSink) {
        for d in other.diagnostics { add(d) }
        suppressed += other.suppressed
    }

    /// Counts problems found but not kept (beyond another sink's cap).
    public mutating func addSuppressed(_ count: Int) { suppressed += count }

    /// Everything collected, as the error to throw.
    public var failure: InputError { InputError(diagnostics, suppressed: suppressed) }

    /// Throws an `InputError` holding everything collected, if anything was.
    public func throwIfAny() throws {
        if !isEmpty { throw failure }
    }
}

/// A non-fatal note about the input (for example a date past the horizon, contract §2):
/// a located message printed as `FILE:LINE: warning: message`.
public struct Warning: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): warning: \(Diagnostic.printable(message))" }
}
