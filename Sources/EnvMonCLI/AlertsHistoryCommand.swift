package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon alerts history ID`: every transition of one alert.
package struct AlertsHistoryCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every transition of one alert, with who acknowledged it.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Argument(help: "The alert id.") package var id: String

    package init() {}

    package func validate() throws {
        try AlertsCommand.validateAlertID(id)
    }

    package func execute(into output: inout String) throws {
        let entries = try AlertsCommand.queries(store).history(of: id)
        guard !entries.isEmpty else { throw CLIError.nothingFound("no history for alert \(id)") }
        output += OutputTable(
            columns: ["TIME (UTC+7)", "NOTICE", "FROM", "TO", "SEVERITY", "VALUE", "BY", "NOTE"],
            rows: entries.map {
                [
                    Display.time($0.at), $0.notice.rawValue, $0.from.rawValue, $0.to.rawValue, $0.severity.rawValue,
                    $0.value.map { Display.value($0) } ?? "-", $0.actor ?? "-", $0.note ?? "",
                ]
            },
            objects: entries.map(RecordJSON.alertLogEntry)
        ).render(formatting.format)
    }
}
