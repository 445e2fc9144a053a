internal import EnvMonConfig
package import EnvMonCore

/// Times as staff type them, for the CLI's `--from`/`--to` and the API's `from`/`to`: RFC 3339
/// (`2026-11-29T03:00:00Z`), a date (`2026-11-29`, midnight in Vietnam, UTC+7, since that is the
/// day staff mean), a relative time (`-24h`, `-7d`, `-30m`) or `now`.
package enum TimeText {
    package static let forms =
        "use RFC 3339 (2026-11-29T03:00:00Z), a date (2026-11-29), or relative (-24h, -7d)"

    package static func parse(_ text: String, now: Timestamp) -> Timestamp? {
        if text == "now" { return now }
        if text.hasPrefix("-"), let duration = DurationText.parse(String(text.dropFirst())) {
            return now.adding(milliseconds: -duration.wholeMilliseconds)
        }
        if let time = RFC3339.parse(text) { return time }
        let parts = text.split(separator: "-")
        if parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, (1...12).contains(month), (1...RFC3339.daysIn(month: month, year: year)).contains(day)
        {
            let days = Int64(RFC3339.days(fromCivil: year, month, day))
            return Timestamp(milliseconds: days * 86_400_000 - Int64(RFC3339.vietnamOffsetSeconds) * 1000)
        }
        return nil
    }
}
