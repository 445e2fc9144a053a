package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import EnvMonTransmission
internal import SystemSupport

/// `envmon transmit resend --from T --to T [--station S] [--target T]`.
package struct TransmitResendCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "resend",
        abstract: "Send the data files of intervals ending in [--from, --to] again (made now if they never were).")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(
        parsing: .unconditional, help: "First interval end: RFC 3339, a date, or relative such as -6h.",
        transform: TimeArgument.text)
    package var from: String
    @Option(parsing: .unconditional, help: "Last interval end (default: now).", transform: TimeArgument.text)
    package var to: String = "now"
    @Option(help: "Only this station.") package var station: String?
    @Option(help: "Only this target.") package var target: String?

    package init() {}

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let (start, end) = try TimeArgument.range(from: from, to: to, now: now, allowEmpty: true)
        let (configuration, opened) = try TransmitCommand.open(store, writable: true)
        if let station { _ = try TransmitCommand.station(station, in: configuration) }
        if let target, !configuration.transmission.targets.contains(where: { $0.id == target }) {
            throw CLIError(
                "unknown target \"\(target)\" (configured: \(configuration.transmission.targets.map(\.id).joined(separator: ", ")))"
            )
        }
        guard end.milliseconds - start.milliseconds <= Int64(configuration.transmission.keepDays) * 86_400_000 else {
            throw CLIError("the range is longer than keep_days (\(configuration.transmission.keepDays) days)")
        }
        let scheduler = TransmissionScheduler(
            builder: DataFileBuilder(configuration: configuration, queries: opened.readings), outbox: opened.outbox)
        let count = try scheduler.resend(station: station, target: target, from: start, to: end, now: now)
        output += "\(count) file\(count == 1 ? "" : "s") queued to send again; envmond sends them oldest first\n"
    }
}
