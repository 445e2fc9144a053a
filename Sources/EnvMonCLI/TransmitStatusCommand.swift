package import ArgumentParser
internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import SystemSupport

/// `envmon transmit status`: per target the last file sent, the backlog and the last error.
package struct TransmitStatusCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Per target: files sent, backlog and its age, the last error.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions

    package init() {}

    package func execute(into output: inout String) throws {
        let (configuration, opened) = try TransmitCommand.open(store, writable: false)
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        var statuses = Dictionary(
            uniqueKeysWithValues: try opened.outbox.status().map { ($0.target, $0) })
        // Configured targets with nothing yet are shown too.
        for target in configuration.transmission.targets.map(\.id) + configuration.webhooks.map(\.id)
        where statuses[target] == nil {
            statuses[target] = OutboxTargetStatus(target: target, sent: 0, backlog: 0, abandoned: 0)
        }
        let rows = statuses.values.sorted { $0.target < $1.target }
        func age(_ status: OutboxTargetStatus) -> Int64? { status.oldestWaitingSeconds(now: now) }
        output += OutputTable(
            columns: [
                "TARGET", "SENT", "BACKLOG", "OLDEST WAITING (s)", "LAST SENT", "LAST FILE", "GAVE UP", "LAST ERROR",
            ],
            rows: rows.map {
                [
                    $0.target, String($0.sent), String($0.backlog), age($0).map(String.init) ?? "-",
                    $0.lastSentAt.map { Display.time($0) } ?? "-", $0.lastSentName ?? "-", String($0.abandoned),
                    $0.lastError ?? "-",
                ]
            },
            objects: rows.map { RecordJSON.outboxStatus($0, now: now) }
        ).render(formatting.format)
        if rows.isEmpty, formatting.format == .table {
            output += "nothing configured to send ([transmission] targets, [[webhooks]])\n"
        }
    }
}
