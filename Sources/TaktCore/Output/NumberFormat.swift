import Foundation

/// Fixed number formatting for every output file (contract §4): at most 6 decimals,
/// trailing zeros dropped, never an exponent, never `-0`, never NaN.
public enum NumberFormat {
    /// `12.5`, `100`, `0.333333`.
    public static func quantity(_ value: Double) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(value, decimals: 6, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A number rounded to `decimals` (≤ 6) decimals, trailing zeros dropped.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var out: [UInt8] = []
        append(value, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let scales: [Double] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]

    /// Appends the formatted number to a byte buffer (no `String` on the way).
    public static func append(_ value: Double, decimals: Int = 6, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(0x30)
            return
        }
        let scale = scales[decimals]
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else {
            // Beyond exact integer range: fall back (rare; quantities ≥ 9e9 with decimals).
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            out.append(contentsOf: text.utf8)
            return
        }
        var units = UInt64(scaled)
        if units == 0 {
            out.append(0x30)
            return
        }
        if value < 0 { out.append(0x2D) }
        let divisor = UInt64(scale)
        let integer = units / divisor
        units %= divisor
        appendInteger(integer, to: &out)
        if units > 0 {
            out.append(0x2E)
            var digits = [UInt8](repeating: 0x30, count: decimals)
            var rest = units
            for i in stride(from: decimals - 1, through: 0, by: -1) {
                digits[i] = UInt8(0x30 + rest % 10)
                rest /= 10
            }
            var last = decimals
            while last > 0 && digits[last - 1] == 0x30 { last -= 1 }
            out.append(contentsOf: digits[0..<last])
        }
    }

    public static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        var digits: [UInt8] = []
        var v = value
        while v > 0 {
            digits.append(UInt8(0x30 + v % 10))
            v /= 10
        }
        out.append(contentsOf: digits.reversed())
    }
}
