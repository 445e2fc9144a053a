public import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import SystemSupport

/// `envmon export`: every raw reading in a range, for spreadsheets or other systems.
public struct ExportCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export raw readings in a time range as CSV, JSON or SenML.")

    public enum ExportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case csv, json, senml
    }

    @Option(name: .long, help: "Database file (default: daemon.database from the config).") public var db: String?
    @Option(name: .long, help: "Config file.") public var config: String?
    @Option(help: "Output format: csv, json or senml.") public var format: ExportFormat = .csv
    @Option(
        parsing: .unconditional, help: "Start: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    public var from: String
    @Option(parsing: .unconditional, help: "End (default now).", transform: TimeArgument.text)
    public var to: String = "now"
    @Option(help: "Only this sensor.") public var sensor: String?

    public init() {}

    public func execute(into output: inout String) throws {
        var options = GlobalOptions()
        options.db = db
        options.config = config
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try TimeArgument.parse(from, option: "--from", now: now)
        let end = try TimeArgument.parse(to, option: "--to", now: now)
        guard start < end else { throw CLIError("--from \(from) is not before --to \(to)") }
        let readings = try options.queries().export(from: start, to: end, sensor: sensor)
        guard !readings.isEmpty else {
            // Name the sensor: after a mistyped --sensor, "no readings in that range" blames the range.
            throw CLIError.nothingFound("no readings\(sensor.map { " of sensor \"\($0)\"" } ?? "") in that range")
        }
        let catalogue = (try? options.loadConfiguration())??.catalogue ?? .standard
        func unit(_ metric: String) -> String { catalogue.definition(named: metric)?.unit ?? "" }
        switch format {
        case .csv, .json:
            output += OutputTable(
                columns: ["ts", "sensor", "metric", "value", "unit", "quality", "time_source", "device_status"],
                rows: readings.map {
                    [
                        RFC3339.format($0.timestamp), $0.series.sensor, $0.series.metric, "\($0.value)",
                        unit($0.series.metric),
                        String($0.quality.rawValue), $0.timeSource.name, $0.deviceStatus.name,
                    ]
                },
                objects: readings.map { RecordJSON.exportedReading($0, unit: unit($0.series.metric)) }
            ).render(format == .csv ? .csv : .json)
        case .senml:
            // Resolved SenML records (RFC 8428 §4.6): absolute times, full names, no base fields.
            // Units are EnvMon's canonical units; those outside the SenML registry are as shown.
            // A time that is not the device's own says so in an extra label (ignored by SenML
            // readers that do not know it; it does not end in `_`, so none must understand it).
            let records = readings.map { reading -> JSONField in
                var fields: [String: JSONField] = [
                    "n": .string("\(reading.series.sensor)/\(reading.series.metric)"),
                    "u": .string(unit(reading.series.metric)), "v": .number(reading.value),
                    "t": .number(Double(reading.timestamp.milliseconds) / 1000),
                ]
                if reading.timeSource != .device { fields["time_source"] = .string(reading.timeSource.name) }
                if reading.deviceStatus != .measuring { fields["device_status"] = .string(reading.deviceStatus.name) }
                return .object(fields)
            }
            output += JSONField.array(records).encoded + "\n"
        }
    }
}

/// `envmon rejects [list]`: what was refused and why.
public struct RejectsListCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show rejected messages with the reason, newest first.")

    @OptionGroup public var options: GlobalOptions
    @Option(
        parsing: .unconditional, help: "Since: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    public var since: String? = nil
    @Option(help: "Only this reason: \(RejectReason.allCases.map(\.rawValue).joined(separator: ", ")).")
    public var reason: String?
    @Option(help: "At most this many.") public var limit: Int = 100

    public init() {}

    public func validate() throws {
        if let reason, RejectReason(rawValue: reason) == nil {
            throw ValidationError(
                "unknown reason \"\(reason)\"; use one of \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000000") }
    }

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let rejects = try options.queries().rejects(
            since: start, reason: reason.flatMap(RejectReason.init(rawValue:)), limit: limit)
        guard !rejects.isEmpty else { throw CLIError.nothingFound("no rejects found") }
        output += OutputTable(
            columns: ["RECEIVED (UTC+7)", "REASON", "TOPIC", "DETAIL", "PAYLOAD"],
            rows: rejects.map {
                [Display.time($0.receivedAt), $0.reason.rawValue, $0.topic, $0.detail, Self.preview($0.payload)]
            },
            objects: rejects.map(RecordJSON.reject)
        ).render(options.format)
    }

    static func preview(_ payload: [UInt8], limit: Int = 60) -> String { PayloadPreview.text(payload, limit: limit) }
}
