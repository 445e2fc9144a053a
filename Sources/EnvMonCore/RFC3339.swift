/// RFC 3339 timestamps without Foundation: parsing sits on the ingest path, and the civil-date
/// arithmetic (Howard Hinnant's days-from-civil) is exact for every year we care about.
package enum RFC3339 {
    /// Vietnam has no daylight saving; UTC+7 all year.
    package static let vietnamOffsetSeconds = 7 * 3600

    /// Formats as `2026-11-29T03:00:00Z`, or with a `+07:00`-style offset when one is given.
    /// Milliseconds are shown only when not zero.
    package static func format(_ time: Timestamp, offsetSeconds: Int = 0) -> String {
        // Written into one byte buffer: exports and CLI tables format thousands of these.
        let (local, millis) = split(time, offsetSeconds: offsetSeconds)
        var bytes = dateTimeBytes(local, separator: UInt8(ascii: "T"))
        if millis != 0 {
            bytes.append(UInt8(ascii: "."))
            appendDigits(millis, width: 3, to: &bytes)
        }
        if offsetSeconds == 0 {
            bytes.append(UInt8(ascii: "Z"))
        } else {
            let magnitude = abs(offsetSeconds)
            bytes.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            appendDigits(magnitude / 3600, width: 2, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendDigits(magnitude / 60 % 60, width: 2, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-11-29 10:00:00`: local wall-clock time at `offsetSeconds`, seconds precision, for tables.
    package static func formatWallClock(_ time: Timestamp, offsetSeconds: Int) -> String {
        String(
            decoding: dateTimeBytes(split(time, offsetSeconds: offsetSeconds).seconds, separator: UInt8(ascii: " ")),
            as: UTF8.self)
    }

    private static func split(_ time: Timestamp, offsetSeconds: Int) -> (seconds: Int64, millis: Int) {
        let local = time.milliseconds + Int64(offsetSeconds) * 1000
        let millis = Int(((local % 1000) + 1000) % 1000)
        return ((local - Int64(millis)) / 1000, millis)
    }

    private static func dateTimeBytes(_ totalSeconds: Int64, separator: UInt8) -> [UInt8] {
        let days = Int(floorDivide(totalSeconds, 86400))
        let secondOfDay = Int(totalSeconds - Int64(days) * 86400)
        let (year, month, day) = civil(fromDays: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(30)
        appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &bytes)
        bytes.append(separator)
        appendDigits(secondOfDay / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &bytes)
        return bytes
    }

    /// Zero-padded decimal digits (negative years, which we never format, get a leading '-').
    private static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(-value, width: width, to: &bytes)
            return
        }
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        for _ in digits.count..<max(width, digits.count) { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.reversed())
    }

    /// Parses `YYYY-MM-DD[Tt ]hh:mm:ss[.fraction](Z|±hh:mm)`. Returns nil for anything else,
    /// including impossible dates such as February 30.
    package static func parse(_ text: some StringProtocol) -> Timestamp? {
        let bytes = Array(text.utf8)
        var position = 0

        func number(_ width: Int) -> Int? {
            guard position + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + width] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            position += width
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }

        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
            minute < 60, second <= 60
        else { return nil }

        var millis = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(bytes[position] - 48) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            // Digits past the third (micro-, nanoseconds) are dropped; fewer than three scale up.
            // (`digits..<3` would trap for 4 or more: a remote crash found by the fuzzer.)
            for _ in min(digits, 3)..<3 { millis *= 10 }
        }

        var offsetSeconds = 0
        if expect("Zz") {
            offsetSeconds = 0
        } else if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let negative = bytes[position] == UInt8(ascii: "-")
            position += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetHours < 24,
                offsetMinutes < 60
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard position == bytes.count else { return nil }

        let days = Int64(self.days(fromCivil: year, month, day))
        let seconds = days * 86400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetSeconds)
        return Timestamp(milliseconds: seconds * 1000 + Int64(millis))
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    package static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719468
        let era = (shifted >= 0 ? shifted : shifted - 146096) / 146097
        let dayOfEra = shifted - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
