package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon latest`: the newest value of every series.
package struct LatestCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "latest", abstract: "Show the newest reading of each metric of each sensor.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "Only this site.") package var site: String?
    @Option(help: "Only this sensor.") package var sensor: String?

    package init() {}

    package func execute(into output: inout String) throws {
        let values = try store.queries().latest(site: site, sensor: sensor)
        guard !values.isEmpty else {
            // Name the filters: after a mistyped --sensor, a bare "no readings found" reads as an empty store.
            let filters = [sensor.map { "sensor \"\($0)\"" }, site.map { "site \"\($0)\"" }].compactMap { $0 }
            throw CLIError.nothingFound(
                filters.isEmpty ? "no readings found" : "no readings found for \(filters.joined(separator: " at "))")
        }
        let catalogue = (try? store.loadConfiguration())??.catalogue ?? .standard
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
        ).render(formatting.format)
    }
}
