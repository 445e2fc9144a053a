package import EnvMonCore

/// How times and values look to people, in the CLI's tables and the console's pages alike:
/// Vietnam time (UTC+7), values without noise digits.
package enum DisplayText {
    package static func time(_ time: Timestamp, utc: Bool = false) -> String {
        if utc { return RFC3339.format(time) }
        // 2026-11-29 10:00:00; the +07 is said once, in a column header or a caption.
        return RFC3339.formatWallClock(time, offsetSeconds: RFC3339.vietnamOffsetSeconds)
    }

    /// Up to four decimals, no trailing zeros (Swift's shortest form of the rounded value, not
    /// `String(format:)`, which costs more than the query on a year of rows).
    package static func value(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == 0 || abs(value) >= 1e12 { return "\(value)" }
        return rounded == rounded.rounded() ? String(Int64(rounded)) : "\(rounded)"
    }

    /// "35 s", "4 min", "3 h", "2 d": how long ago, for a reading's age.
    package static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        if seconds < 172_800 { return "\(seconds / 3600) h" }
        return "\(seconds / 86400) d"
    }
}
