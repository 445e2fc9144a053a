package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import SystemSupport

/// `envmon maintenance start SENSOR --status calibrating|maintenance|fault [--for 2h | --until T]`.
package struct MaintenanceStartCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Open a maintenance window on a sensor (or one of its metrics) from now.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Argument(help: "The sensor id.") package var sensor: String
    @Option(help: "Only this metric of the sensor.") package var metric: String?
    @Option(help: "calibrating, maintenance or fault.") package var status: String
    @Option(name: .customLong("for"), help: "How long, such as 2h or 30m (default: until `maintenance end`).")
    package var duration: String?
    @Option(
        parsing: .unconditional, help: "Until when: RFC 3339, a date, or relative such as +2h.",
        transform: TimeArgument.text)
    package var until: String?
    @Option(help: "A note for the log and the report.") package var note: String?
    @Option(help: "Who is doing the work.") package var by: String?
    @Option(help: "Seconds to wait for envmond to confirm.") package var wait: Int = 5

    package init() {}

    package func validate() throws {
        guard MaintenanceKind(rawValue: status) != nil else {
            throw ValidationError("--status \(status): use calibrating, maintenance or fault")
        }
        if duration != nil, until != nil { throw ValidationError("give --for or --until, not both") }
        if let duration, DurationText.parse(duration).map({ $0 > .zero }) != true {
            throw ValidationError("--for \(duration) is not a duration such as 2h, 30m or 1d")
        }
        if let by { try MaintenanceCommand.validateName(by, option: "--by") }
        if let note, note.count > 1000 { throw ValidationError("--note is limited to 1000 characters") }
        guard (0...60).contains(wait) else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        var end: Timestamp?
        if let duration, let length = DurationText.parse(duration) { end = now.adding(length) }
        if let until {
            let text = until.hasPrefix("+") ? String(until.dropFirst()) : until
            if until.hasPrefix("+"), let length = DurationText.parse(text) {
                end = now.adding(length)
            } else {
                end = try TimeArgument.parse(until, option: "--until", now: now)
            }
            if let end, end <= now { throw CLIError("--until \(until) is not in the future") }
        }
        let window = MaintenanceWindow(
            sensor: sensor, metric: metric, kind: MaintenanceKind(rawValue: status) ?? .maintenance, start: now,
            end: end, note: note, by: by)
        guard
            let request = try MaintenanceCommand.submit(
                .start, window, store: store, wait: wait, into: &output)
        else { return }
        output +=
            "maintenance window \(request.windowID ?? 0) on \(window.scope): \(status) from \(Display.time(now))"
            + (end.map { " until \(Display.time($0))" } ?? " until `envmon maintenance end \(sensor)`") + "\n"
    }
}
