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

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0 else { return nil }
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
