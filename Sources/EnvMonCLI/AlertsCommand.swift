package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore

/// `envmon alerts`: list, acknowledge and trace alerts.
package struct AlertsCommand: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List alerts, acknowledge one, or show its history.",
        subcommands: [AlertsListCommand.self, AlertsAcknowledgeCommand.self, AlertsHistoryCommand.self],
        defaultSubcommand: AlertsListCommand.self)

    package init() {}

    static func queries(_ store: StoreOptions, writable: Bool = false) throws -> any AlertQueries {
        try store.open(writable ? .queueRequests : .read).alerts
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
