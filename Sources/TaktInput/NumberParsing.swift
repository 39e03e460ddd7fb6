import TaktModel

/// Decimal numbers from CSV bytes, correctly rounded.
///
/// Contract §1: quantities are decimals. Only plain decimal notation (with an optional
/// exponent) is accepted: `nan`, `inf`, hex floats and thousands separators are not.
/// Fast path (Clinger): up to 15 significant digits and a power of ten up to 22 are
/// exact in a Double, so `mantissa / 10^k` is correctly rounded; anything else goes
/// through the standard library's correctly rounded parser.
public enum DecimalParser {
    /// A quantity typed on the command line, read as the CSV files read theirs: a finite
    /// decimal, at most 1e15 in magnitude; nil otherwise (hexadecimal, `inf`, `1e308`).
    public static func quantity(_ text: String) -> Double? {
        guard let value = parse(text), value.isFinite, abs(value) <= TableReader.largest else { return nil }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }

    /// `10^k` for the fast path's `k ≤ 15`, as literals (no lazily made table to check).
    @inline(__always)
    private static func power(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        default: 1e15
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0 else { return nil }
        // Most fields: an optional sign, digits, an optional point and digits, at most 15
        // digits in all (leading zeros counted): one test a byte. Anything else below.
        var i = 0
        let negative = bytes[0] == 0x2D
        if negative || bytes[0] == 0x2B { i = 1 }
        var mantissa: UInt64 = 0
        let integerStart = i
        while i < n {
            let digit = bytes[i] &- 0x30
            if digit >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        let integerDigits = i - integerStart
        var fractionDigits = 0
        if i < n, bytes[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < n {
                let digit = bytes[i] &- 0x30
                if digit >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                i += 1
            }
            fractionDigits = i - fractionStart
        }
        if i == n, integerDigits + fractionDigits > 0, integerDigits + fractionDigits <= 15 {
            // A whole number (most fields) needs no division: x / 1 is x.
            let value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / power(fractionDigits)
            return negative ? -value : value
        }
        return parseAnyLength(bytes)
    }

    /// Every other shape: more digits, an exponent, or not a number at all.
    static func parseAnyLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        var hasExponent = false
        while i < n {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                seenDigit = true
                if digits > 0 || b != 0x30 { digits += 1 }
                if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(b - 0x30) }
                if seenDot { fractionDigits += 1 }
            } else if b == 0x2E && !seenDot {
                seenDot = true
            } else if (b == 0x65 || b == 0x45) && seenDigit {
                hasExponent = true
                break
            } else {
                return nil
            }
            i += 1
        }
        guard seenDigit else { return nil }
        if hasExponent {
            // Validate the exponent's shape, then let the standard library round it.
            var j = i + 1
            if j < n, bytes[j] == 0x2D || bytes[j] == 0x2B { j += 1 }
            guard j < n else { return nil }
            while j < n {
                guard bytes[j] >= 0x30 && bytes[j] <= 0x39 else { return nil }
                j += 1
            }
            return slowPath(bytes)
        }
        if digits <= 15 && fractionDigits <= 22 {
            let value = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -value : value
        }
        return slowPath(bytes)
    }

    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }
}
