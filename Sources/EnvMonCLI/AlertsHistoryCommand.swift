public import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon alerts history ID`: every transition of one alert.
public struct AlertsHistoryCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every transition of one alert, with who acknowledged it.")

    @OptionGroup public var store: StoreOptions
    @OptionGroup public var formatting: FormatOptions
    @Argument(help: "The alert id.") public var id: String

    public init() {}

    public func validate() throws {
        try AlertsCommand.validateAlertID(id)
    }

    public func execute(into output: inout String) throws {
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
