internal import ArgumentParser
internal import EnvMonConfig
public import EnvMonCore

/// Parses `--from`/`--to` values: RFC 3339 (`2026-11-29T03:00:00Z`), a date (`2026-11-29`,
/// midnight in Vietnam, UTC+7, since that is the day staff mean), a relative time (`-24h`,
/// `-7d`, `-30m`) or `now`.
public enum TimeArgument {
    /// Parses `text`; `option` (such as `--from`) is named in the error, since a command takes
    /// two or three times and the value alone does not say which was wrong.
    public static func parse(_ text: String, option: String? = nil, now: Timestamp) throws(CLIError) -> Timestamp {
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
        throw CLIError(
            "\(option.map { $0 + " " } ?? "")\"\(text)\" is not a time: use RFC 3339 (2026-11-29T03:00:00Z), a date (2026-11-29), or relative (-24h, -7d)"
        )
    }

    /// The `transform` of every time option, which is declared `parsing: .unconditional` so that
    /// `--from -24h` (as the help shows) reads `-24h` as the value instead of as a flag. The
    /// catch is that `--from --to now` would then take `--to` as the time and fail on `now` as
    /// an unexpected argument; a value that is a long option is refused here, at parse time,
    /// with a message that says the value is missing.
    public static func text(_ value: String) throws -> String {
        if value.hasPrefix("--") {
            throw ValidationError("missing value (an option came next); give a time such as -24h, 2026-11-29 or now")
        }
        return value
    }
}
