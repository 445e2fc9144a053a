package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import SystemSupport

/// `envmon alerts [--active] [--since T] [--severity S]`
package struct AlertsListCommand: OutputCommand {
    package static let configuration = CommandConfiguration(commandName: "list", abstract: "List alerts, newest first.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Flag(help: "Only firing and flapping alerts.") package var active = false
    @Option(
        parsing: .unconditional, help: "Raised or resolved since: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    package var since: String? = nil
    @Option(help: "Only this severity: info, warning or critical.") package var severity: String?

    package init() {}

    package func validate() throws {
        if let severity, AlertSeverity(rawValue: severity) == nil {
            throw ValidationError("unknown severity \"\(severity)\"; use info, warning or critical")
        }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let alerts = try AlertsCommand.queries(store).alerts(
            activeOnly: active, since: start, severity: severity.flatMap(AlertSeverity.init(rawValue:)))
        guard !alerts.isEmpty else { throw CLIError.nothingFound(active ? "no active alerts" : "no alerts found") }
        let catalogue = (try? store.loadConfiguration())??.catalogue ?? .standard
        func unit(_ alert: AlertRecord) -> String { RecordJSON.alertUnit(alert, catalogue: catalogue) }
        output += OutputTable(
            columns: [
                "ID", "SEVERITY", "STATE", "RULE", "SITE", "SENSOR", "VALUE", "THRESHOLD", "RAISED (UTC+7)", "ACK BY",
            ],
            rows: alerts.map { alert in
                [
                    alert.id, alert.severity.rawValue, alert.state.rawValue, alert.rule, alert.site, alert.sensor,
                    alert.value.map { Display.value($0) + " " + unit(alert) } ?? "-",
                    Display.value(alert.threshold) + " " + unit(alert),
                    alert.raisedAt.map { Display.time($0) } ?? "-", alert.acknowledgedBy ?? "-",
                ]
            },
            objects: alerts.map { RecordJSON.alert($0, unit: unit($0)) }
        ).render(formatting.format)
    }
}
