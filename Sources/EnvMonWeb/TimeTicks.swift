import EnvMonCore

/// Where to put the ticks of a time axis: on round boundaries of Vietnamese local time (UTC+7,
/// no daylight saving), so a "day" tick falls on local midnight (17:00 UTC) and a "month" tick
/// on the local first of the month. The labels themselves come from the caller.
enum TimeTicks {
    static let localOffset: Int64 = 7 * hour
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    enum Step: Equatable {
        /// Every `n` hours from local midnight.
        case hours(Int64)
        /// Local midnight of these days of the month (1, 6, 11 … rather than every fifth day
        /// from an arbitrary start, so the labels read as round dates).
        case daysOfMonth([Int])
        /// The local first of every `n`-th month, counted from January.
        case months(Int)
    }

    /// About six to twelve ticks for the usual ranges: 3 h over a day, a day over a week,
    /// five days over a month, a month over a year.
    static func step(forSpan span: Int64) -> Step {
        switch span {
        case ...(36 * hour): .hours(3)
        case ...(3 * day): .hours(12)
        case ...(10 * day): .hours(24)
        case ...(45 * day): .daysOfMonth([1, 6, 11, 16, 21, 26])
        case ...(120 * day): .daysOfMonth([1, 11, 21])
        case ...(400 * day): .months(1)
        case ...(1_200 * day): .months(3)
        default: .months(12)
        }
    }

    static func positions(from: Int64, to: Int64) -> [Int64] {
        guard to > from else { return [] }
        switch step(forSpan: to - from) {
        case .hours(let hours):
            let width = hours * hour
            var tick = ceilingDivision(from + localOffset, width) * width - localOffset
            var ticks: [Int64] = []
            while tick <= to {
                ticks.append(tick)
                tick += width
            }
            return ticks
        case .daysOfMonth(let days):
            let first = floorDivision(from + localOffset, day)
            let last = floorDivision(to + localOffset, day)
            return (first...last).compactMap { localDay in
                let tick = localDay * day - localOffset
                let date = RFC3339.civil(fromDays: Int(localDay))
                return days.contains(date.day) && tick >= from && tick <= to ? tick : nil
            }
        case .months(let months):
            let start = RFC3339.civil(fromDays: Int(floorDivision(from + localOffset, day)))
            var (year, month) = (start.year, start.month)
            var ticks: [Int64] = []
            while true {
                let tick = Int64(RFC3339.days(fromCivil: year, month, 1)) * day - localOffset
                if tick > to { break }
                if tick >= from, (month - 1) % months == 0 { ticks.append(tick) }
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
            }
            return ticks
        }
    }

    static func floorDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    static func ceilingDivision(_ value: Int64, _ divisor: Int64) -> Int64 {
        -floorDivision(-value, divisor)
    }
}
