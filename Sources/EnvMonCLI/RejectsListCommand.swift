package import ArgumentParser
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import SystemSupport

/// `envmon rejects [list]`: what was refused and why.
package struct RejectsListCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show rejected messages with the reason, newest first.")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(
        parsing: .unconditional, help: "Since: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    package var since: String? = nil
    @Option(help: "Only this reason: \(RejectReason.allCases.map(\.rawValue).joined(separator: ", ")).")
    package var reason: String?
    @Option(help: "At most this many.") package var limit: Int = 100

    package init() {}

    package func validate() throws {
        if let reason, RejectReason(rawValue: reason) == nil {
            throw ValidationError(
                "unknown reason \"\(reason)\"; use one of \(RejectReason.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000000") }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let rejects = try store.queries().rejects(
            since: start, reason: reason.flatMap(RejectReason.init(rawValue:)), limit: limit)
        guard !rejects.isEmpty else { throw CLIError.nothingFound("no rejects found") }
        output += OutputTable(
            columns: ["RECEIVED (UTC+7)", "REASON", "TOPIC", "DETAIL", "PAYLOAD"],
            rows: rejects.map {
                [Display.time($0.receivedAt), $0.reason.rawValue, $0.topic, $0.detail, Self.preview($0.payload)]
            },
            objects: rejects.map(RecordJSON.reject)
        ).render(formatting.format)
    }

    static func preview(_ payload: [UInt8], limit: Int = 60) -> String { PayloadPreview.text(payload, limit: limit) }
}
