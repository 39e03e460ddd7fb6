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
            // Drop trailing zeros, then write the remaining digits most significant first.
            var digits = decimals
            while units % 10 == 0 {
                units /= 10
                digits -= 1
            }
            let start = out.count
            for _ in 0..<digits { out.append(0x30) }
            var position = start + digits - 1
            while units > 0 {
                out[position] = UInt8(0x30 + units % 10)
                units /= 10
                position -= 1
            }
        }
    }

    public static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        var length = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            length += 1
        }
        let start = out.count
        for _ in 0..<length { out.append(0x30) }
        var v = value
        var position = start + length - 1
        repeat {
            out[position] = UInt8(0x30 + v % 10)
            v /= 10
            position -= 1
        } while v > 0
    }
}
