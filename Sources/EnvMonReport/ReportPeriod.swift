package import EnvMonCore

/// The span a report covers: a month, a quarter, a year or explicit dates, bounded by local
/// midnights in Vietnam (UTC+7), since "tháng 11/2026" means the days staff live in, not UTC.
package struct ReportPeriod: Hashable, Sendable, CustomStringConvertible {
    package enum Kind: String, Sendable, Hashable {
        case month
        case quarter
        case year
        case custom
    }

    package var kind: Kind
    /// The canonical text: `2026-11`, `2026-Q4`, `2026`, or `2026-11-03/2026-11-10` (end exclusive).
    package var label: String
    /// Inclusive start (a local midnight).
    package var from: Timestamp
    /// Exclusive end (a local midnight).
    package var to: Timestamp
    package var year: Int
    /// 1...12 for a month; the first month of a quarter; 1 for a year.
    package var month: Int
    /// 1...4 for a quarter.
    package var quarter: Int?

    package var description: String { label }

    static let offsetMilliseconds = Int64(RFC3339.vietnamOffsetSeconds) * 1000
    static let dayMilliseconds: Int64 = 86_400_000

    /// Local midnight of a civil date in Vietnam, as a UTC instant.
    package static func localMidnight(year: Int, month: Int, day: Int) -> Timestamp {
        Timestamp(milliseconds: Int64(RFC3339.days(fromCivil: year, month, day)) * dayMilliseconds - offsetMilliseconds)
    }

    /// The local (UTC+7) civil date of an instant.
    package static func localDate(of time: Timestamp) -> (year: Int, month: Int, day: Int) {
        let local = time.milliseconds + offsetMilliseconds
        let days = local >= 0 ? local / dayMilliseconds : (local - dayMilliseconds + 1) / dayMilliseconds
        return RFC3339.civil(fromDays: Int(days))
    }

    package static func month(_ year: Int, _ month: Int) -> ReportPeriod {
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return ReportPeriod(
            kind: .month, label: "\(year)-\(month < 10 ? "0" : "")\(month)",
            from: localMidnight(year: year, month: month, day: 1),
            to: localMidnight(year: next.0, month: next.1, day: 1), year: year, month: month, quarter: nil)
    }

    package static func quarter(_ year: Int, _ quarter: Int) -> ReportPeriod {
        let first = (quarter - 1) * 3 + 1
        let next = quarter == 4 ? (year + 1, 1) : (year, first + 3)
        return ReportPeriod(
            kind: .quarter, label: "\(year)-Q\(quarter)", from: localMidnight(year: year, month: first, day: 1),
            to: localMidnight(year: next.0, month: next.1, day: 1), year: year, month: first, quarter: quarter)
    }

    package static func year(_ year: Int) -> ReportPeriod {
        ReportPeriod(
            kind: .year, label: "\(year)", from: localMidnight(year: year, month: 1, day: 1),
            to: localMidnight(year: year + 1, month: 1, day: 1), year: year, month: 1, quarter: nil)
    }

    /// Explicit local dates; `to` is exclusive (the morning after the last day reported).
    package static func custom(from: Timestamp, to: Timestamp) -> ReportPeriod {
        let start = localDate(of: from)
        let end = localDate(of: to)
        func date(_ value: (year: Int, month: Int, day: Int)) -> String {
            "\(value.year)-\(value.month < 10 ? "0" : "")\(value.month)-\(value.day < 10 ? "0" : "")\(value.day)"
        }
        return ReportPeriod(
            kind: .custom, label: "\(date(start))/\(date(end))", from: from, to: to, year: start.year,
            month: start.month, quarter: nil)
    }

    /// Parses `2026-11`, `2026-Q4`, `2026`, and, when `now` is given, `last-month`,
    /// `last-quarter`, `last-year`, `this-month` (the forms a timer needs). Nil for anything else.
    package static func parse(_ text: String, now: Timestamp? = nil) -> ReportPeriod? {
        if let now {
            let today = localDate(of: now)
            let quarterNow = (today.month - 1) / 3 + 1
            switch text {
            case "last-month": return today.month == 1 ? month(today.year - 1, 12) : month(today.year, today.month - 1)
            case "this-month": return month(today.year, today.month)
            case "last-quarter":
                return quarterNow == 1 ? quarter(today.year - 1, 4) : quarter(today.year, quarterNow - 1)
            case "last-year": return year(today.year - 1)
            default: break
            }
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let yearValue = Int(first), yearValue >= 1970 else {
            return nil
        }
        switch parts.count {
        case 1:
            return year(yearValue)
        case 2 where parts[1].count == 2 && parts[1].first == "Q":
            guard let quarterValue = Int(parts[1].dropFirst()), (1...4).contains(quarterValue) else { return nil }
            return quarter(yearValue, quarterValue)
        case 2 where parts[1].count == 2:
            guard let monthValue = Int(parts[1]), (1...12).contains(monthValue) else { return nil }
            return month(yearValue, monthValue)
        default:
            return nil
        }
    }

    package func contains(_ time: Timestamp) -> Bool { from <= time && time < to }

    /// Local days of the period, as the instants of their midnights.
    package var days: [Timestamp] {
        stride(from: from.milliseconds, to: to.milliseconds, by: Int(Self.dayMilliseconds)).map {
            Timestamp(milliseconds: $0)
        }
    }

    package var durationMilliseconds: Int64 { to.milliseconds - from.milliseconds }
}
