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

    /// `10^decimals` as a literal per case: `write` is inlined with a constant `decimals`
    /// (6, nearly always), so the scale and the divisions by it fold to constants
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
        default: 1_000_000
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

    /// The most bytes `write` puts down (and the room it needs).
    package static let maxFastWidth = 24

    /// "00" to "99", two bytes each: the digits are written two at a time (half the
    /// divisions of one at a time).
    @usableFromInline
    static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// Writes the formatted number at `out` and returns its length, or `nil` when
    /// `|value| × 10^decimals` is beyond exact integers (≥ 9e15), where `append` falls back
    /// to `String(format:)`. `out` must have room for `maxFastWidth` bytes: the number is
    /// put down as one 24-byte copy, its bytes past the length left undefined.
    @inlinable @inline(__always)
    package static func write(_ value: Double, decimals: Int = 6, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        guard value.isFinite else {
            out[0] = 0x30
            return 1
        }
        let divisor = scale(decimals)
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
        // Digits go into a small buffer from byte 24 down (at most 16 digits, a point, a
        // sign), which is 48 bytes long so that 24 bytes can be copied from any start.
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { raw in
            let digits = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let pairs = UnsafeRawPointer(digitPairs.utf8Start)
            var position = 24
            @inline(__always) func pair(_ k: UInt64) {
                position -= 2
                UnsafeMutableRawPointer(digits + position).storeBytes(of: pairs.loadUnaligned(fromByteOffset: 2 * Int(k), as: UInt16.self),
                                                                       as: UInt16.self)
            }
            var integer = units / divisor
            var fraction = units % divisor
            if fraction > 0 {
                // Drop trailing zeros (two, then one at a time); keep the leading ones.
                var places = decimals
                while fraction % 100 == 0 {
                    fraction /= 100
                    places -= 2
                }
                if fraction % 10 == 0 {
                    fraction /= 10
                    places -= 1
                }
                while places >= 2 {
                    pair(fraction % 100)
                    fraction /= 100
                    places -= 2
                }
                if places == 1 {
                    position -= 1
                    digits[position] = UInt8(0x30 + fraction)
                }
                position -= 1
                digits[position] = 0x2E
            }
            while integer >= 100 {
                pair(integer % 100)
                integer /= 100
            }
            if integer >= 10 {
                pair(integer)
            } else {
                position -= 1
                digits[position] = UInt8(0x30 + integer)
            }
            if value < 0 {
                position -= 1
                digits[position] = 0x2D
            }
            UnsafeMutableRawPointer(out).copyMemory(from: digits + position, byteCount: 24)
            return 24 - position
        }
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
