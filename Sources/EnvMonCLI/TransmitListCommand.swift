package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `envmon transmit list [--target T] [--waiting] [--bodies]`: the outbox entry by entry.
package struct TransmitListCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the outbox's files and webhook bodies, oldest first: when each was sent, or why not yet.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "Only this target.") package var target: String?
    @Flag(help: "Only entries still to send (the backlog).") package var waiting = false
    @Flag(help: "With --format json: each entry's exact bytes, base64, as body_base64.") package var bodies = false
    @Option(help: "At most this many.") package var limit: Int = 1000

    package init() {}

    package func validate() throws {
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000000") }
    }

    package func execute(into output: inout String) throws {
        // No config needed: the outbox holds each entry's target, so any store can be listed.
        let entries = try store.open().outbox.entries(target: target, waitingOnly: waiting, limit: limit)
        guard !entries.isEmpty else {
            throw CLIError.nothingFound(waiting ? "nothing waiting to be sent" : "the outbox is empty")
        }
        output += OutputTable(
            columns: [
                "ID", "TARGET", "STATION", "INTERVAL END (UTC+7)", "NAME", "STATE", "ATTEMPTS", "SENT (UTC+7)",
                "LAST ERROR",
            ],
            rows: entries.map {
                [
                    String($0.id), $0.target, $0.station ?? "-", $0.intervalEnd.map { Display.time($0) } ?? "-",
                    $0.name, $0.state.rawValue, String($0.attempts), $0.sentAt.map { Display.time($0) } ?? "-",
                    $0.lastError ?? "-",
                ]
            },
            objects: entries.map { RecordJSON.outboxEntry($0, withBody: bodies) }
        ).render(formatting.format)
    }
}
