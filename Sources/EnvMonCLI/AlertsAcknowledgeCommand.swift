package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

/// `envmon alerts ack ID --by NAME [--note TEXT]`: the CLI's only write. The running daemon
/// applies it within a second (no restart); the command waits briefly to report the outcome.
package struct AlertsAcknowledgeCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge an active alert: no more repeat notices for it.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Argument(help: "The alert id (see `envmon alerts --active`).") package var id: String
    @Option(help: "Who acknowledges.") package var by: String
    @Option(help: "A note for the log.") package var note: String?
    @Option(help: "Seconds to wait for the daemon to confirm.") package var wait: Int = 5

    package init() {}

    package func validate() throws {
        try AlertsCommand.validateAlertID(id)
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty, by.count <= 100 else {
            throw ValidationError("--by must name who acknowledges (1 to 100 characters)")
        }
        if let note, note.count > 1000 { throw ValidationError("--note is limited to 1000 characters") }
        guard (0...60).contains(wait) else { throw ValidationError("--wait must be between 0 and 60 seconds") }
    }

    package func execute(into output: inout String) throws {
        let queries = try AlertsCommand.queries(store, writable: true)
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
