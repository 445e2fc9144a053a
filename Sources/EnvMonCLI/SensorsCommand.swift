public import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon sensors`: every configured or reporting sensor, with when it last reported.
public struct SensorsCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sensors", abstract: "List sensors: configured ones and any that reported.")

    @OptionGroup public var options: GlobalOptions

    public init() {}

    public func execute(into output: inout String) throws {
        let queries = try options.queries()
        let rows = SensorListing.entries(
            configured: try options.loadConfiguration()?.sensors ?? [], stored: try queries.sensors(),
            delivery: try queries.sensorDelivery())
        guard !rows.isEmpty else { throw CLIError.nothingFound("no sensors configured or seen") }
        func count(_ row: SensorListing.Entry, _ figure: KeyPath<SensorDelivery, Int64>) -> Int64 {
            row.delivery?[keyPath: figure] ?? 0
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
                    $0.delivery?.lastSequence == nil ? "-" : String(count($0, \.missing)),
                    String(count($0, \.duplicates)), String(count($0, \.catchUpReadings)),
                ]
            },
            objects: rows.map(RecordJSON.sensor)
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
            objects: values.map { RecordJSON.latest($0, unit: catalogue.definition(named: $0.series.metric)?.unit) }
        ).render(options.format)
    }
}
