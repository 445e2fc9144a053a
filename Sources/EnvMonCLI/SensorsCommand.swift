package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon sensors`: every configured or reporting sensor, with when it last reported.
package struct SensorsCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "sensors", abstract: "List sensors: configured ones and any that reported.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions

    package init() {}

    package func execute(into output: inout String) throws {
        let queries = try store.queries()
        let rows = SensorListing.entries(
            configured: try store.loadConfiguration()?.sensors ?? [], stored: try queries.sensors(),
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
        ).render(formatting.format)
    }
}
