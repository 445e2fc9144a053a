package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
package import EnvMonStore
internal import SystemSupport

/// `envmon query`: one series, raw or aggregated from the roll-ups.
package struct QueryCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Show one series: raw readings, or --every 1m|1h|1d aggregates from the roll-ups.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "Sensor id.") package var sensor: String
    @Option(help: "Metric id, e.g. water_temp.") package var metric: String
    @Option(
        parsing: .unconditional, help: "Start: RFC 3339, a date, or relative such as -24h (default -24h).",
        transform: TimeArgument.text)
    package var from: String = "-24h"
    @Option(parsing: .unconditional, help: "End (default now).", transform: TimeArgument.text)
    package var to: String = "now"
    @Option(help: "Bucket width: 1m, 1h or 1d.") package var every: RollupResolution?
    @Option(help: "Aggregate per bucket: avg, min, max, count or last.") package var agg: RollupAggregate = .avg

    package init() {}

    package func validate() throws {
        if every == nil && agg != .avg { throw ValidationError("--agg needs --every 1m|1h|1d") }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let (start, end) = try TimeArgument.range(from: from, to: to, now: now)
        let queries = try store.queries()
        let series = SeriesKey(sensor: sensor, metric: metric)
        let unit = ((try? store.loadConfiguration())??.catalogue ?? .standard).definition(named: metric)?.unit ?? ""
        if let every {
            let points = try queries.rollups(of: series, resolution: every, from: start, to: end)
            guard !points.isEmpty else { throw CLIError.nothingFound("no data for \(sensor) \(metric) in that range") }
            output += OutputTable(
                columns: [
                    "TIME (UTC+7)", "\(agg.rawValue.uppercased()) (\(agg == .count ? "readings" : unit))", "COUNT",
                ],
                rows: points.map { [Display.time($0.bucket), Display.value(agg.value(of: $0)), String($0.count)] },
                objects: points.map { RecordJSON.bucket($0, aggregate: agg) }
            ).render(formatting.format)
        } else {
            let readings = try queries.readings(of: series, from: start, to: end)
            guard !readings.isEmpty else {
                throw CLIError.nothingFound("no data for \(sensor) \(metric) in that range")
            }
            output += OutputTable(
                columns: ["TIME (UTC+7)", "VALUE (\(unit))", "QUALITY", "FLAGGED BY", "TIME FROM", "DEVICE"],
                rows: readings.map {
                    [
                        Display.time($0.timestamp), Display.value($0.value), $0.quality.name,
                        $0.flaggedBy.names.joined(separator: " "), $0.timeSource.name, $0.deviceStatus.name,
                    ]
                },
                objects: readings.map(RecordJSON.reading)
            ).render(formatting.format)
        }
    }

}

extension RollupResolution: ExpressibleByArgument {}
extension RollupAggregate: ExpressibleByArgument {}
