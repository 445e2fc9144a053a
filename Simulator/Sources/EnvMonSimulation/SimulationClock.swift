import EnvMonCore

/// Calendar helpers for the models: Cát Hải keeps UTC+7 all year, and the seasons follow the
/// day of the year.
enum SimulationClock {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    static let yearDays = 365.2425

    /// Day of the year, 0 at 1 January 00:00 local time, fractional.
    static func dayOfYear(_ milliseconds: Int64) -> Double {
        let local = milliseconds + 7 * hour
        let days = Int(local.floorDivided(by: day))
        let (year, _, _) = RFC3339Civil.civil(days)
        let startOfYear = RFC3339Civil.days(year, 1, 1)
        return Double(days - startOfYear) + Double(local.floorModulo(day)) / Double(day)
    }

    /// Local (UTC+7) hour of the day, fractional in [0, 24).
    static func localHour(_ milliseconds: Int64) -> Double {
        Double((milliseconds + 7 * hour).floorModulo(day)) / Double(hour)
    }

    /// Local day of the week, 0 = Monday.
    static func localWeekday(_ milliseconds: Int64) -> Int {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        Int(((milliseconds + 7 * hour).floorDivided(by: day) + 3).floorModulo(7))
    }

    /// A seasonal cosine: 1 at `peakDay`, -1 half a year later.
    static func season(_ dayOfYear: Double, peakDay: Double) -> Double {
        _cos(2 * Double.pi * (dayOfYear - peakDay) / yearDays)
    }

    /// A daily cosine: 1 at `peakHour` local time.
    static func daily(_ hour: Double, peakHour: Double) -> Double {
        _cos(2 * Double.pi * (hour - peakHour) / 24)
    }
}

/// RFC 3339's civil-date arithmetic, under names the models read well with.
enum RFC3339Civil {
    static func civil(_ days: Int) -> (Int, Int, Int) { RFC3339.civil(fromDays: days) }
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int { RFC3339.days(fromCivil: year, month, day) }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
