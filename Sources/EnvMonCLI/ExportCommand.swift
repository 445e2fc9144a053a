package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import SystemSupport

/// `envmon export`: every raw reading in a range, for spreadsheets or other systems.
package struct ExportCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export raw readings in a time range as CSV, JSON or SenML.")

    package enum ExportFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case csv, json, senml
    }

    @OptionGroup package var store: StoreOptions
    @Option(help: "Output format: csv, json or senml.") package var format: ExportFormat = .csv
    @Option(
        parsing: .unconditional, help: "Start: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    package var from: String
    @Option(parsing: .unconditional, help: "End (default now).", transform: TimeArgument.text)
    package var to: String = "now"
    @Option(help: "Only this sensor.") package var sensor: String?

    package init() {}

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let (start, end) = try TimeArgument.range(from: from, to: to, now: now)
        let readings = try store.queries().export(from: start, to: end, sensor: sensor)
        guard !readings.isEmpty else {
            // Name the sensor: after a mistyped --sensor, "no readings in that range" blames the range.
            throw CLIError.nothingFound("no readings\(sensor.map { " of sensor \"\($0)\"" } ?? "") in that range")
        }
        let catalogue = (try? store.loadConfiguration())??.catalogue ?? .standard
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
