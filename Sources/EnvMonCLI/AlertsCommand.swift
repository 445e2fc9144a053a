public import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

/// `envmon alerts`: list, acknowledge and trace alerts.
public struct AlertsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List alerts, acknowledge one, or show its history.",
        subcommands: [AlertsListCommand.self, AlertsAcknowledgeCommand.self, AlertsHistoryCommand.self],
        defaultSubcommand: AlertsListCommand.self)

    public init() {}

    static func queries(_ options: GlobalOptions, writable: Bool = false) throws -> AlertQueries {
        let path = try options.databasePath()
        do {
            return AlertQueries(database: try StoreDatabase.openForReading(path: path, writable: writable))
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }

    /// Refuses an id that no alert can have, as bad input (exit 2) rather than "no alert" (exit 1),
    /// so a mistyped or pasted-wrong id is told apart from one that was well-formed but unknown.
    static func validateAlertID(_ id: String) throws {
        guard isWellFormedAlertID(id) else {
            let shown = String(id.prefix(80)).debugDescription + (id.count > 80 ? "…" : "")
            throw ValidationError(
                "alert id \(shown) is malformed: expected <rule>:<sensor>:<milliseconds> as `envmon alerts` lists,"
                    + " e.g. do_low:wq-a:1795921200000")
        }
    }

    /// The shape `AlertEngine.alertID` gives: a rule id (letters, digits, `_ - .`, no colon, so the
    /// first colon ends it), a sensor id as `ReadingValidator` accepts (it may hold colons) and the
    /// alert's start in milliseconds (digits only, so the last colon starts it).
    static func isWellFormedAlertID(_ id: String) -> Bool {
        guard let ruleEnd = id.firstIndex(of: ":"), let timeStart = id.lastIndex(of: ":"), ruleEnd < timeStart else {
            return false
        }
        let rule = id[..<ruleEnd]
        let sensor = id[id.index(after: ruleEnd)..<timeStart]
        let time = id[id.index(after: timeStart)...]
        let ruleCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        return !rule.isEmpty && rule.allSatisfy(ruleCharacters.contains)
            && ReadingValidator.sensorIDProblem(String(sensor)) == nil
            && !time.isEmpty && time.allSatisfy({ $0.isASCII && $0.isNumber }) && Int64(time) != nil
    }
}

/// `envmon alerts [--active] [--since T] [--severity S]`
public struct AlertsListCommand: OutputCommand {
    public static let configuration = CommandConfiguration(commandName: "list", abstract: "List alerts, newest first.")

    @OptionGroup public var options: GlobalOptions
    @Flag(help: "Only firing and flapping alerts.") public var active = false
    @Option(
        parsing: .unconditional, help: "Raised or resolved since: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    public var since: String? = nil
    @Option(help: "Only this severity: info, warning or critical.") public var severity: String?

    public init() {}

    public func validate() throws {
        if let severity, AlertSeverity(rawValue: severity) == nil {
            throw ValidationError("unknown severity \"\(severity)\"; use info, warning or critical")
        }
    }

    public func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let alerts = try AlertsCommand.queries(options).alerts(
            activeOnly: active, since: start, severity: severity.flatMap(AlertSeverity.init(rawValue:)))
        guard !alerts.isEmpty else { throw CLIError.nothingFound(active ? "no active alerts" : "no alerts found") }
        let catalogue = (try? options.loadConfiguration())??.catalogue ?? .standard
        func unit(_ alert: AlertRecord) -> String {
            alert.kind == "no_data" ? "s" : catalogue.definition(named: alert.metric)?.unit ?? ""
        }
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
        ).render(options.format)
    }
}

/// `envmon alerts ack ID --by NAME [--note TEXT]`: the CLI's only write. The running daemon
/// applies it within a second (no restart); the command waits briefly to report the outcome.
public struct AlertsAcknowledgeCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge an active alert: no more repeat notices for it.")

    @OptionGroup public var options: GlobalOptions
    @Argument(help: "The alert id (see `envmon alerts --active`).") public var id: String
    @Option(help: "Who acknowledges.") public var by: String
    @Option(help: "A note for the log.") public var note: String?
    @Option(help: "Seconds to wait for the daemon to confirm.") public var wait: Int = 5

    public init() {}

    public func validate() throws {
        try AlertsCommand.validateAlertID(id)
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty, by.count <= 100 else {
            throw ValidationError("--by must name who acknowledges (1 to 100 characters)")
        }
        if let note, note.count > 1000 { throw ValidationError("--note is limited to 1000 characters") }
        guard (0...60).contains(wait) else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    public func execute(into output: inout String) throws {
        let queries = try AlertsCommand.queries(options, writable: true)
        guard let alert = try queries.alert(id: id) else { throw CLIError.nothingFound("no alert \(id)") }
        guard alert.state.isActive else { throw CLIError("alert \(id) is \(alert.state.rawValue), not active") }
        if let by = alert.acknowledgedBy { throw CLIError("alert \(id) was already acknowledged by \(by)") }
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let request = try queries.requestAcknowledgement(alertID: id, by: by, note: note, at: now)
        let deadline = Date().addingTimeInterval(Double(wait))
        while Date() < deadline {
            if let result = try queries.acknowledgementRequest(id: request), result.status != "pending" {
                guard result.status == "applied" else { throw CLIError(result.detail ?? "the daemon refused it") }
                output += "acknowledged \(id) by \(by)\n"
                return
            }
            usleep(100_000)
        }
        output += "acknowledgement of \(id) queued; envmond applies it when it runs\n"
    }
}

/// `envmon alerts history ID`: every transition of one alert.
public struct AlertsHistoryCommand: OutputCommand {
    public static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every transition of one alert, with who acknowledged it.")

    @OptionGroup public var options: GlobalOptions
    @Argument(help: "The alert id.") public var id: String

    public init() {}

    public func validate() throws {
        try AlertsCommand.validateAlertID(id)
    }

    public func execute(into output: inout String) throws {
        let entries = try AlertsCommand.queries(options).history(of: id)
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
        ).render(options.format)
    }
}
