internal import ArgumentParser
internal import EnvMonConfig
package import EnvMonCore
internal import EnvMonJSON

/// Parses `--from`/`--to` values: RFC 3339 (`2026-11-29T03:00:00Z`), a date (`2026-11-29`,
/// midnight in Vietnam, UTC+7, since that is the day staff mean), a relative time (`-24h`,
/// `-7d`, `-30m`) or `now`.
package enum TimeArgument {
    /// Parses `text`; `option` (such as `--from`) is named in the error, since a command takes
    /// two or three times and the value alone does not say which was wrong.
    package static func parse(_ text: String, option: String? = nil, now: Timestamp) throws(CLIError) -> Timestamp {
        if let time = TimeText.parse(text, now: now) { return time }
        throw CLIError("\(option.map { $0 + " " } ?? "")\"\(text)\" is not a time: \(TimeText.forms)")
    }

    /// `--from` and `--to` as a range, `to` after `from` (or equal, when `allowEmpty`), the
    /// refusal naming both as the user typed them.
    package static func range(
        from: String, to: String, now: Timestamp, allowEmpty: Bool = false
    ) throws(CLIError) -> (start: Timestamp, end: Timestamp) {
        let start = try parse(from, option: "--from", now: now)
        let end = try parse(to, option: "--to", now: now)
        if allowEmpty {
            guard start <= end else { throw CLIError("--from \(from) is after --to \(to)") }
        } else {
            guard start < end else { throw CLIError("--from \(from) is not before --to \(to)") }
        }
        return (start, end)
    }

    /// The `transform` of every time option, which is declared `parsing: .unconditional` so that
    /// `--from -24h` (as the help shows) reads `-24h` as the value instead of as a flag. The
    /// catch is that `--from --to now` would then take `--to` as the time and fail on `now` as
    /// an unexpected argument; a value that is a long option is refused here, at parse time,
    /// with a message that says the value is missing.
    package static func text(_ value: String) throws -> String {
        if value.hasPrefix("--") {
            throw ValidationError("missing value (an option came next); give a time such as -24h, 2026-11-29 or now")
        }
        return value
    }
}
