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

    /// `value` rounded to `decimals`, or to 6 when that would read as `threshold` though
    /// the value is not it: a phase 0.0006 units short is not "0 units" short, nor a load
    /// of 90.00025 % "90 %" where above 90 % is what counts.
    public static func fixed(_ value: Double, decimals: Int, apartFrom threshold: Double) -> String {
        let text = fixed(value, decimals: decimals)
        guard value != threshold, text == fixed(threshold, decimals: decimals) else { return text }
        return fixed(value, decimals: 6)
    }

    /// `10^decimals` (up to 10^8) as a literal per case: `write` is inlined with a constant
    /// `decimals` (6, nearly always), so the scale and the divisions by it fold to constants
    /// (multiplications) instead of a table load and two 64-bit divisions a number.
    @inlinable @inline(__always)
    static func scale(_ decimals: Int) -> UInt64 {
        switch decimals {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }

    /// Appends the formatted number to a byte buffer (no `String` on the way).
    public static func append(_ value: Double, decimals: Int = 6, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxFastWidth) { buffer in
            if let count = write(value, decimals: decimals, to: buffer.baseAddress!) {
                out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: count))
            } else {
                // Beyond exact integer range: fall back (rare; quantities ≥ 9e9 with decimals).
                var text = String(format: "%.\(decimals)f", value)
                if text.contains(".") {
                    while text.hasSuffix("0") { text.removeLast() }
                    if text.hasSuffix(".") { text.removeLast() }
                }
                out.append(contentsOf: text.utf8)
            }
        }
    }

    /// The room `write` needs: a number is at most 18 bytes, but its digits are stored
    /// eight at a time, and the last store may end 25 bytes in (a sign, 15 integer digits,
    /// the point, and one decimal stored as a word of eight).
    package static let maxFastWidth = 32

    /// The eight decimal digits of `n` (below 10^8), most significant first, as the bytes
    /// of a little-endian word, each 0...9 (not yet ASCII): leading zeros are zero bytes at
    /// the low end, trailing zeros at the high end. Computed in the word's lanes at once
    /// (a "SWAR" split: /10^4 into 32-bit lanes, /100 into 16-bit ones, /10 into bytes, by
    /// multiply-and-shift reciprocals exact in these ranges), with no branch and no loop
    /// whose count depends on the digits.
    @inlinable @inline(__always)
    static func eightDigits(_ n: UInt64) -> UInt64 {
        let merged = n / 10_000 | (n % 10_000) << 32
        let hundreds = (merged &* 10_486) >> 20 & 0x0000_007F_0000_007F
        let pairs = (merged &- 100 &* hundreds) << 16 &+ hundreds
        let tens = (pairs &* 103) >> 10 & 0x000F_000F_000F_000F
        return tens &+ (pairs &- 10 &* tens) << 8
    }

    /// `eightDigits` as ASCII.
    @usableFromInline static let asciiZeros: UInt64 = 0x3030_3030_3030_3030

    /// Writes the formatted number at `out` and returns its length, or `nil` when
    /// `|value| × 10^decimals` is beyond exact integers (≥ 9e15), where `append` falls back
    /// to `String(format:)`. `out` must have room for `maxFastWidth` bytes: the digits are
    /// put down eight at a time, the bytes past the length (within that room) left undefined.
    ///
    /// The integer part is one word of eight digits (two below 10^16) with its leading
    /// zeros shifted out; the fraction is one word of `decimals` digits padded to eight,
    /// its trailing zeros cut by the length (the count of zero bytes at the word's top).
    @inlinable @inline(__always)
    package static func write(_ value: Double, decimals: Int = 6, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        guard value.isFinite else {
            out[0] = 0x30
            return 1
        }
        // A whole number below 10^8 (most quantities): its digits as they are, one word of
        // eight, without the scaling by 10^decimals and the split that a fraction needs
        // (the same bytes: its fraction is 0, so no point follows).
        let magnitude = abs(value)
        if magnitude < 100_000_000 {
            let whole = UInt64(magnitude)
            if Double(whole) == magnitude {
                let negative = value < 0 && whole > 0
                if negative { out[0] = 0x2D }
                let digits = eightDigits(whole)
                let zeros = min(7, digits.trailingZeroBitCount >> 3)
                UnsafeMutableRawPointer(out + (negative ? 1 : 0))
                    .storeBytes(of: (digits >> UInt64(zeros << 3) &+ asciiZeros).littleEndian, as: UInt64.self)
                return 8 - zeros + (negative ? 1 : 0)
            }
        }
        let places = max(0, min(decimals, 6))
        let divisor = scale(places)
        // Rounded half away from zero, as `rounded()` does, without its call into libm:
        // below 2^52 the fraction `scaled - trunc(scaled)` is exact, and from 2^52 on
        // every Double is a whole number.
        let scaled = abs(value) * Double(divisor)
        guard scaled < 9e15 else { return nil }
        var units = UInt64(scaled)
        if scaled - Double(units) >= 0.5 { units += 1 }
        guard units < 9_000_000_000_000_000 else { return nil }
        if units == 0 {
            out[0] = 0x30
            return 1
        }
        let integer = units / divisor
        let fraction = units % divisor
        var position = 0
        if value < 0 {
            out[0] = 0x2D
            position = 1
        }
        @inline(__always) func put(_ word: UInt64, count: Int) {
            UnsafeMutableRawPointer(out + position).storeBytes(of: (word &+ asciiZeros).littleEndian, as: UInt64.self)
            position += count
        }
        @inline(__always) func putDropping(_ digits: UInt64) {
            // Leading zero digits are the zero bytes at the low end; one digit stays (0).
            let zeros = min(7, digits.trailingZeroBitCount >> 3)
            put(digits >> UInt64(zeros << 3), count: 8 - zeros)
        }
        if integer >= 100_000_000 {
            putDropping(eightDigits(integer / 100_000_000))
            put(eightDigits(integer % 100_000_000), count: 8)
        } else {
            putDropping(eightDigits(integer))
        }
        if fraction > 0 {
            out[position] = 0x2E
            position += 1
            // `decimals` digits, then zeros up to eight: the trailing zeros are the zero
            // bytes at the high end.
            let digits = eightDigits(fraction &* scale(8 - places))
            put(digits, count: 8 - digits.leadingZeroBitCount >> 3)
        }
        return position
    }

    /// `price` in whole cents when it is exactly the Double nearest to a number of cents
    /// below 10^8 (a price read from a file with at most 2 decimals), else nil: then
    /// `quantity × price` for a whole `quantity` is written by `write(cents:)` (see there).
    @inlinable
    package static func cents(of price: Double) -> UInt64? {
        guard price >= 0, price < 1_000_000 else { return nil }
        let cents = (price * 100).rounded()
        return cents / 100 == price ? UInt64(cents) : nil
    }

    /// Writes `cents / 100` as `write` writes it (no point when whole, one or two decimals,
    /// the trailing zero dropped) and returns its length; `cents` must be below 10^10 (an
    /// integer part of eight digits at most), `out` must have room for `maxFastWidth` bytes.
    ///
    /// For a whole quantity `q` and a price `p` that `cents(of:)` takes as `c` cents, with
    /// `q × c` below 10^10, `write(q × p)` gives these bytes: `q × p` in Doubles is within
    /// 3.4e-16 × 10^8 of the exact `q × c / 100`, which is a whole number of millionths,
    /// so the 6-decimal rounding lands on it (a test compares the two on many values).
    @inlinable @inline(__always)
    package static func write(cents: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let integer = cents / 100, fraction = cents % 100
        let digits = eightDigits(integer)
        let zeros = min(7, digits.trailingZeroBitCount >> 3)
        UnsafeMutableRawPointer(out).storeBytes(of: (digits >> UInt64(zeros << 3) &+ asciiZeros).littleEndian, as: UInt64.self)
        var position = 8 - zeros
        if fraction > 0 {
            let tens = fraction / 10, units = fraction % 10
            out[position] = 0x2E
            out[position + 1] = UInt8(truncatingIfNeeded: 0x30 + tens)
            position += 2
            if units > 0 {
                out[position] = UInt8(truncatingIfNeeded: 0x30 + units)
                position += 1
            }
        }
        return position
    }

    public static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var position = 20
            var v = value
            repeat {
                position -= 1
                buffer[position] = UInt8(0x30 + v % 10)
                v /= 10
            } while v > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<20]))
        }
    }
}
