public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon maintenance`: mark a probe as being calibrated, serviced or broken, so that its readings
/// are stored with that status, its alerts are held and the report counts the time as maintenance.
public struct MaintenanceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Start, end or list maintenance windows (calibration, servicing, device fault).",
        discussion: """
            Carried out by envmond, like an acknowledgement: the command queues the request and
            waits for the daemon's answer. Readings in a window are stored with device status 01
            (calibrating, maintenance) or 02 (fault), kept out of roll-ups, QCVN comparisons and
            VN_AQI; the sensor's alerts neither raise nor resolve until the window ends.
            """,
        subcommands: [MaintenanceStartCommand.self, MaintenanceEndCommand.self, MaintenanceListCommand.self],
        defaultSubcommand: MaintenanceListCommand.self)

    public init() {}

    static func store(_ options: GlobalOptions, writable: Bool) throws -> MaintenanceStore {
        let path = try options.databasePath()
        do {
            return MaintenanceStore(database: try StoreDatabase.openForReading(path: path, writable: writable))
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }

    /// Queues a request and waits up to `wait` seconds for envmond to answer it.
    static func submit(
        _ action: MaintenanceRequest.Action, _ window: MaintenanceWindow, options: GlobalOptions, wait: Int,
        into output: inout String
    ) throws -> MaintenanceRequest? {
        let store = try store(options, writable: true)
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let id = try store.request(action, window, at: now)
        let deadline = WallClock.nowMilliseconds() + Int64(wait) * 1000
        while WallClock.nowMilliseconds() < deadline {
            if let request = try store.request(id: id), request.status != "pending" {
                guard request.status == "applied" else { throw CLIError(request.detail ?? "envmond refused it") }
                return request
            }
            usleep(100_000)
        }
        output += "maintenance request \(id) queued; envmond carries it out when it runs\n"
        return nil
    }

    static func validateName(_ value: String, option: String) throws {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty, value.count <= 100 else {
            throw ValidationError("\(option) must be 1 to 100 characters")
        }
    }
}

/// `envmon maintenance start SENSOR --status calibrating|maintenance|fault [--for 2h | --until T]`.
public struct MaintenanceStartCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Open a maintenance window on a sensor (or one of its metrics) from now.")

    @OptionGroup public var options: GlobalOptions
    @Argument(help: "The sensor id.") public var sensor: String
    @Option(help: "Only this metric of the sensor.") public var metric: String?
    @Option(help: "calibrating, maintenance or fault.") public var status: String
    @Option(name: .customLong("for"), help: "How long, such as 2h or 30m (default: until `maintenance end`).")
    public var duration: String?
    @Option(
        parsing: .unconditional, help: "Until when: RFC 3339, a date, or relative such as +2h.",
        transform: TimeArgument.text)
    public var until: String?
    @Option(help: "A note for the log and the report.") public var note: String?
    @Option(help: "Who is doing the work.") public var by: String?
    @Option(help: "Seconds to wait for envmond to confirm.") public var wait: Int = 5

    public init() {}

    public func validate() throws {
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

    public func execute(into output: inout String) throws {
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
                .start, window, options: options, wait: wait, into: &output)
        else { return }
        output +=
            "maintenance window \(request.windowID ?? 0) on \(window.scope): \(status) from \(Display.time(now))"
            + (end.map { " until \(Display.time($0))" } ?? " until `envmon maintenance end \(sensor)`") + "\n"
    }
}

/// `envmon maintenance end SENSOR [--metric M]`.
public struct MaintenanceEndCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End the open maintenance window of a sensor now.")

    @OptionGroup public var options: GlobalOptions
    @Argument(help: "The sensor id.") public var sensor: String
    @Option(help: "Only the window of this metric.") public var metric: String?
    @Option(help: "Who ends it.") public var by: String?
    @Option(help: "Seconds to wait for envmond to confirm.") public var wait: Int = 5

    public init() {}

    public func validate() throws {
        if let by { try MaintenanceCommand.validateName(by, option: "--by") }
        guard (0...60).contains(wait) else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        // An end request carries the time it takes effect as the window's start.
        let window = MaintenanceWindow(sensor: sensor, metric: metric, kind: .maintenance, start: now, by: by)
        guard let request = try MaintenanceCommand.submit(.end, window, options: options, wait: wait, into: &output)
        else { return }
        output += "maintenance window \(request.windowID ?? 0) on \(window.scope) ended at \(Display.time(now))\n"
    }
}

/// `envmon maintenance list [--since T]`.
public struct MaintenanceListCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List maintenance windows (open ones, and those ended since --since).")

    @OptionGroup public var options: GlobalOptions
    @Option(
        parsing: .unconditional, help: "Also windows ended since: RFC 3339, a date, or relative such as -30d.",
        transform: TimeArgument.text)
    public var since: String?

    public init() {}

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let windows = try MaintenanceCommand.store(options, writable: false).windows(since: start ?? now)
        output += OutputTable(
            columns: ["ID", "SENSOR", "METRIC", "STATUS", "CODE", "FROM", "UNTIL", "OPEN", "BY", "NOTE"],
            rows: windows.map {
                [
                    String($0.id), $0.sensor, $0.metric ?? "*", $0.kind.rawValue, $0.kind.deviceStatus.code,
                    Display.time($0.start), $0.end.map { Display.time($0) } ?? "-", $0.isOpen(at: now) ? "yes" : "no",
                    $0.by ?? "-", $0.note ?? "",
                ]
            },
            objects: windows.map {
                [
                    "id": .integer($0.id), "sensor": .string($0.sensor), "metric": .optional($0.metric),
                    "status": .string($0.kind.rawValue), "device_status": .string($0.kind.deviceStatus.code),
                    "start": .time($0.start), "end": .time($0.end), "open": .bool($0.isOpen(at: now)),
                    "by": .optional($0.by), "note": .optional($0.note),
                ]
            }
        ).render(options.format)
        if windows.isEmpty, options.format == .table { output += "no maintenance windows\n" }
    }
}
