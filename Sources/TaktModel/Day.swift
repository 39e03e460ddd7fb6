/// A calendar date as a day number (days since 1970-01-01), the only date type in Takt.
///
/// Contract §1: dates are ISO `YYYY-MM-DD`. Parsing and formatting work on bytes with
/// Howard Hinnant's civil-date algorithms: no Foundation formatter per row.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int

    @inlinable public init(number: Int) { self.number = number }

    /// The date `year-month-day`, or nil when the fields do not form a real date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD` (surrounding spaces allowed).
    public init?<Bytes: Collection>(iso bytes: Bytes) where Bytes.Element == UInt8 {
        var digits = [Int](repeating: 0, count: 8)
        var count = 0
        var dashes = 0
        var position = 0
        var seenNonSpace = false
        var trailingSpace = false
        for byte in bytes {
            if byte == 0x20 {
                if seenNonSpace { trailingSpace = true }
                continue
            }
            if trailingSpace { return nil }
            seenNonSpace = true
            if byte == 0x2D {
                guard position == 4 || position == 7 else { return nil }
                dashes += 1
            } else if byte >= 0x30 && byte <= 0x39 {
                guard position != 4 && position != 7, count < 8 else { return nil }
                digits[count] = Int(byte - 0x30)
                count += 1
            } else {
                return nil
            }
            position += 1
        }
        guard position == 10, dashes == 2, count == 8 else { return nil }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        self.init(year: year, month: month, day: day)
    }

    public init?(iso string: String) {
        self.init(iso: Array(string.utf8))
    }

    /// (year, month, day) of this date.
    public var civil: (year: Int, month: Int, day: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int {
        let r = ((number % 7) + 7 + 3) % 7
        return r + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> Day { Day(number: number + days) }

    /// The date `count` business days (Mon–Fri) after this one; a weekend date first
    /// rolls forward to Monday (contract §2c: `respond_by`).
    public func addingBusinessDays(_ count: Int) -> Day {
        var day = self
        while day.isWeekend { day = day.adding(days: 1) }
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { left -= 1 }
        }
        return day
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD` to a byte buffer.
    public func append(to out: inout [UInt8]) {
        let (y, m, d) = civil
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0x2D, 0, 0, 0x2D, 0, 0)
        bytes.0 = UInt8(0x30 + (y / 1000) % 10)
        bytes.1 = UInt8(0x30 + (y / 100) % 10)
        bytes.2 = UInt8(0x30 + (y / 10) % 10)
        bytes.3 = UInt8(0x30 + y % 10)
        bytes.5 = UInt8(0x30 + m / 10)
        bytes.6 = UInt8(0x30 + m % 10)
        bytes.8 = UInt8(0x30 + d / 10)
        bytes.9 = UInt8(0x30 + d % 10)
        withUnsafeBytes(of: &bytes) { out.append(contentsOf: $0) }
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
