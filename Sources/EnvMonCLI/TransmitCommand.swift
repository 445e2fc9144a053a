public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import EnvMonTransmission
internal import SystemSupport

/// `envmon transmit`: the link to the Sở TN&MT (TT 10/2021 data files) and the webhooks.
public struct TransmitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "transmit",
        abstract: "Watch and steer what envmond sends out: data files for the Sở TN&MT, alert webhooks.",
        subcommands: [TransmitStatusCommand.self, TransmitResendCommand.self, TransmitPreviewCommand.self],
        defaultSubcommand: TransmitStatusCommand.self)

    public init() {}

    static func open(_ options: GlobalOptions, writable: Bool) throws -> (EnvMonConfiguration, ReadingQueries) {
        guard let configuration = try options.loadConfiguration(required: true) else {
            throw CLIError("no config file: pass --config FILE")
        }
        let path = try options.databasePath()
        do {
            return (
                configuration,
                ReadingQueries(database: try StoreDatabase.openForReading(path: path, writable: writable))
            )
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }

    static func station(_ id: String, in configuration: EnvMonConfiguration) throws -> StationSettings {
        guard let station = configuration.transmission.stations.first(where: { $0.id == id }) else {
            let known = configuration.transmission.stations.map(\.id)
            throw CLIError(
                "unknown station \"\(id)\" (configured: \(known.isEmpty ? "none, see [transmission]" : known.joined(separator: ", ")))"
            )
        }
        return station
    }
}

/// `envmon transmit status`: per target the last file sent, the backlog and the last error.
public struct TransmitStatusCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Per target: files sent, backlog and its age, the last error.")

    @OptionGroup public var options: GlobalOptions

    public init() {}

    public func execute(into output: inout String) throws {
        let (configuration, queries) = try TransmitCommand.open(options, writable: false)
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        var statuses = Dictionary(
            uniqueKeysWithValues: try OutboxStore(database: queries.database).status().map { ($0.target, $0) })
        // Configured targets with nothing yet are shown too.
        for target in configuration.transmission.targets.map(\.id) + configuration.webhooks.map(\.id)
        where statuses[target] == nil {
            statuses[target] = OutboxTargetStatus(target: target, sent: 0, backlog: 0, abandoned: 0)
        }
        let rows = statuses.values.sorted { $0.target < $1.target }
        func age(_ status: OutboxTargetStatus) -> Int64? { status.oldestWaitingSeconds(now: now) }
        output += OutputTable(
            columns: [
                "TARGET", "SENT", "BACKLOG", "OLDEST WAITING (s)", "LAST SENT", "LAST FILE", "GAVE UP", "LAST ERROR",
            ],
            rows: rows.map {
                [
                    $0.target, String($0.sent), String($0.backlog), age($0).map(String.init) ?? "-",
                    $0.lastSentAt.map { Display.time($0) } ?? "-", $0.lastSentName ?? "-", String($0.abandoned),
                    $0.lastError ?? "-",
                ]
            },
            objects: rows.map { RecordJSON.outboxStatus($0, now: now) }
        ).render(options.format)
        if rows.isEmpty, options.format == .table {
            output += "nothing configured to send ([transmission] targets, [[webhooks]])\n"
        }
    }
}

/// `envmon transmit resend --from T --to T [--station S] [--target T]`.
public struct TransmitResendCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "resend",
        abstract: "Send the data files of intervals ending in [--from, --to] again (made now if they never were).")

    @OptionGroup public var options: GlobalOptions
    @Option(
        parsing: .unconditional, help: "First interval end: RFC 3339, a date, or relative such as -6h.",
        transform: TimeArgument.text)
    public var from: String
    @Option(parsing: .unconditional, help: "Last interval end (default: now).", transform: TimeArgument.text)
    public var to: String = "now"
    @Option(help: "Only this station.") public var station: String?
    @Option(help: "Only this target.") public var target: String?

    public init() {}

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try TimeArgument.parse(from, option: "--from", now: now)
        let end = try TimeArgument.parse(to, option: "--to", now: now)
        guard start <= end else { throw CLIError("--from \(from) is after --to \(to)") }
        let (configuration, queries) = try TransmitCommand.open(options, writable: true)
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
            builder: DataFileBuilder(configuration: configuration, queries: queries),
            outbox: OutboxStore(database: queries.database))
        let count = try scheduler.resend(station: station, target: target, from: start, to: end, now: now)
        output += "\(count) file\(count == 1 ? "" : "s") queued to send again; envmond sends them oldest first\n"
    }
}

/// `envmon transmit preview --station S --at T`: the exact bytes of the file for the interval
/// containing T (its name on stderr).
public struct TransmitPreviewCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "preview", abstract: "Print the data file a station's interval gives (the name goes to stderr).")

    @OptionGroup public var options: GlobalOptions
    @Option(help: "The station code.") public var station: String
    @Option(
        parsing: .unconditional, help: "A time in the interval, or its end: RFC 3339, a date, or relative.",
        transform: TimeArgument.text)
    public var at: String

    public init() {}

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let time = try TimeArgument.parse(at, option: "--at", now: now)
        let (configuration, queries) = try TransmitCommand.open(options, writable: false)
        let station = try TransmitCommand.station(station, in: configuration)
        let builder = DataFileBuilder(configuration: configuration, queries: queries)
        let end = builder.intervalEnd(containing: time)
        guard let file = try builder.file(station: station, intervalEnd: end) else {
            throw CLIError.nothingFound(
                "station \(station.id) has no readings in the interval ending \(Display.time(end))")
        }
        StandardStreams.write(file.name + "\n", to: 2)
        output += file.text
    }
}
