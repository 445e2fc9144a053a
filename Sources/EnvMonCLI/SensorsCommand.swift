public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore

/// `envmon sensors`: every configured or reporting sensor, with when it last reported.
public struct SensorsCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sensors", abstract: "List sensors: configured ones and any that reported.")

    @OptionGroup public var options: GlobalOptions

    public init() {}

    public func execute(into output: inout String) throws {
        let stored = try options.queries().sensors()
        let configuration = try options.loadConfiguration()
        var rows: [(sensor: String, site: String?, metrics: [String], lastSeen: Timestamp?, configured: Bool)] = []
        var byID: [String: Int] = [:]
        for sensor in configuration?.sensors ?? [] {
            byID[sensor.id] = rows.count
            rows.append((sensor.id, sensor.site, sensor.metrics, nil, true))
        }
        for record in stored {
            if let index = byID[record.sensor] {
                rows[index].lastSeen = record.lastSeen
            } else {
                rows.append((record.sensor, record.site, record.metrics, record.lastSeen, false))
            }
        }
        guard !rows.isEmpty else { throw CLIError.nothingFound("no sensors configured or seen") }
        rows.sort { ($0.site ?? "", $0.sensor) < ($1.site ?? "", $1.sensor) }
        var delivery: [String: SensorDelivery] = [:]
        for figures in try options.queries().sensorDelivery() { delivery[figures.sensor] = figures }
        func count(_ sensor: String, _ figure: KeyPath<SensorDelivery, Int64>) -> Int64 {
            delivery[sensor]?[keyPath: figure] ?? 0
        }
        output += OutputTable(
            columns: [
                "SENSOR", "SITE", "METRICS", "LAST SEEN (UTC+7)", "CONFIGURED", "SEQ MISSING", "RESENT", "CATCH-UP",
            ],
            rows: rows.map {
                [
                    $0.sensor, $0.site ?? "-", $0.metrics.joined(separator: " "),
                    $0.lastSeen.map { Display.time($0) } ?? "never",
                    $0.configured ? "yes" : "no",
                    delivery[$0.sensor]?.lastSequence == nil ? "-" : String(count($0.sensor, \.missing)),
                    String(count($0.sensor, \.duplicates)), String(count($0.sensor, \.catchUpReadings)),
                ]
            },
            objects: rows.map {
                [
                    "sensor": .string($0.sensor), "site": .optional($0.site),
                    "metrics": .array($0.metrics.map { .string($0) }), "last_seen": .time($0.lastSeen),
                    "configured": .bool($0.configured),
                    "last_seq": delivery[$0.sensor]?.lastSequence.map { .integer($0) } ?? .null,
                    "seq_missing": .integer(count($0.sensor, \.missing)),
                    "seq_duplicates": .integer(count($0.sensor, \.duplicates)),
                    "seq_restarts": .integer(count($0.sensor, \.restarts)),
                    "catch_up_readings": .integer(count($0.sensor, \.catchUpReadings)),
                ]
            }
        ).render(options.format)
    }
}

/// `envmon latest`: the newest value of every series.
public struct LatestCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "latest", abstract: "Show the newest reading of each metric of each sensor.")

    @OptionGroup public var options: GlobalOptions
    @Option(help: "Only this site.") public var site: String?
    @Option(help: "Only this sensor.") public var sensor: String?

    public init() {}

    public func execute(into output: inout String) throws {
        let values = try options.queries().latest(site: site, sensor: sensor)
        guard !values.isEmpty else {
            // Name the filters: after a mistyped --sensor, a bare "no readings found" reads as an empty store.
            let filters = [sensor.map { "sensor \"\($0)\"" }, site.map { "site \"\($0)\"" }].compactMap { $0 }
            throw CLIError.nothingFound(
                filters.isEmpty ? "no readings found" : "no readings found for \(filters.joined(separator: " at "))")
        }
        let catalogue = (try? options.loadConfiguration())??.catalogue ?? .standard
        output += OutputTable(
            columns: ["SITE", "SENSOR", "METRIC", "VALUE", "UNIT", "QUALITY", "TIME (UTC+7)"],
            rows: values.map {
                [
                    $0.site ?? "-", $0.series.sensor, $0.series.metric, Display.value($0.value),
                    catalogue.definition(named: $0.series.metric)?.unit ?? "", $0.quality.name,
                    Display.time($0.timestamp),
                ]
            },
            objects: values.map {
                [
                    "site": .optional($0.site), "sensor": .string($0.series.sensor),
                    "metric": .string($0.series.metric),
                    "value": .number($0.value), "unit": .optional(catalogue.definition(named: $0.series.metric)?.unit),
                    "quality": .integer(Int64($0.quality.rawValue)), "ts": .time($0.timestamp),
                ]
            }
        ).render(options.format)
    }
}
