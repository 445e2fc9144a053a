package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon rejects replay`: after a config fix (a new sensor, an alias, a unit), store what was
/// refused for `unknown_sensor`, `unknown_metric` or `unit_mismatch`. Carried out by envmond, like
/// an acknowledgement: the CLI never writes readings.
package struct RejectsReplayCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay refused messages (unknown_sensor, unknown_metric, unit_mismatch) through the current config.",
        discussion: """
            Queues the replay for envmond, waits for its result and shows per reason how many
            messages were stored, are still refused, or were already present. Stored ones leave the
            rejects table. Without a running envmond the request stays queued and is carried out at
            its next start. Exit codes: 0 done or queued, 2 bad usage.
            """)

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "Only this reason: unknown_sensor, unknown_metric or unit_mismatch.") package var reason: String?
    @Option(
        parsing: .unconditional, help: "Only rejects received since: RFC 3339, a date, or relative such as -24h.",
        transform: TimeArgument.text)
    package var since: String? = nil
    @Flag(help: "Say what would now decode; store nothing.") package var dryRun = false
    @Option(help: "Seconds to wait for envmond's result.") package var wait: Int = 60

    package init() {}

    package func validate() throws {
        if let reason {
            guard let known = RejectReason(rawValue: reason), known.isReplayable else {
                throw ValidationError(
                    "--reason \(reason): only unknown_sensor, unknown_metric and unit_mismatch can be replayed (a config change can undo them)"
                )
            }
        }
        guard (0...3600).contains(wait) else { throw ValidationError("--wait must be between 0 and 3600 seconds") }
    }

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let queries = try store.open(.queueRequests).readings
        let id: Int64
        do {
            id = try queries.queueReplay(
                reason: reason.flatMap(RejectReason.init(rawValue:)), since: start, dryRun: dryRun, at: now)
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        // envmond saves its figures every few seconds and says when it stops; a stale snapshot
        // means it died.
        let statistics = try? queries.statistics()
        let updated = statistics?.daemonUpdatedAt?.milliseconds ?? 0
        let running = statistics?.daemon["running"] == 1 && now.milliseconds - updated < 60_000
        var request: RejectReplayRequest?
        if running {
            let deadline = WallClock.nowMilliseconds() + Int64(wait) * 1000
            repeat {
                request = try? queries.replayRequest(id: id)
                if request?.status == "done" { break }
                usleep(200_000)
            } while WallClock.nowMilliseconds() < deadline
        }
        guard let done = request, done.status == "done" else {
            output +=
                running
                ? "queued as replay request \(id); envmond has not finished it within \(wait) s and will carry it out\n"
                : "queued as replay request \(id); envmond is not running: it carries it out at its next start\n"
            return
        }
        let rows = done.results.sorted { $0.key.rawValue < $1.key.rawValue }
        output += OutputTable(
            columns: ["REASON", dryRun ? "WOULD STORE" : "STORED", "STILL REFUSED", "ALREADY PRESENT"],
            rows: rows.map {
                [$0.key.rawValue, "\($0.value.stored)", "\($0.value.stillRefused)", "\($0.value.alreadyPresent)"]
            },
            objects: rows.map {
                [
                    "reason": .string($0.key.rawValue),
                    (dryRun ? "would_store" : "stored"): .integer(Int64($0.value.stored)),
                    "still_refused": .integer(Int64($0.value.stillRefused)),
                    "already_present": .integer(Int64($0.value.alreadyPresent)),
                ]
            }
        ).render(formatting.format)
        if rows.isEmpty, formatting.format == .table { output += "nothing to replay\n" }
    }
}
