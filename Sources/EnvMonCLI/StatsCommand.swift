package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon stats`: totals from the store and the daemon's latest snapshot.
package struct StatsCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show ingest totals, rejects by reason and the daemon's live figures.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions

    package init() {}

    package func execute(into output: inout String) throws {
        let queries = try store.queries()
        let figures = StoreFigures.figures(try queries.statistics(), delivery: try queries.sensorDelivery())
        func shown(_ value: StoreFigures.Value) -> String {
            switch value {
            case .integer(let value): String(value)
            case .number(let value): Display.value(value)
            case .time(let value): Display.time(value)
            }
        }
        output += OutputTable(
            columns: ["FIGURE", "VALUE"], rows: figures.map { [$0.name, shown($0.value)] },
            objects: figures.map(StoreFigures.json)
        ).render(formatting.format)
    }
}
