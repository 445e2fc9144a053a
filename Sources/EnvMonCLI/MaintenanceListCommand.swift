package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import SystemSupport

/// `envmon maintenance list [--since T]`.
package struct MaintenanceListCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List maintenance windows (open ones, and those ended since --since).")

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(
        parsing: .unconditional, help: "Also windows ended since: RFC 3339, a date, or relative such as -30d.",
        transform: TimeArgument.text)
    package var since: String?

    package init() {}

    package func execute(into output: inout String) throws {
        let now = Timestamp(milliseconds: WallClock.nowMilliseconds())
        let start = try since.map { text throws(CLIError) in try TimeArgument.parse(text, option: "--since", now: now) }
        let windows = try MaintenanceCommand.maintenanceStore(store, writable: false).windows(since: start ?? now)
        output += OutputTable(
            columns: ["ID", "SENSOR", "METRIC", "STATUS", "CODE", "FROM", "UNTIL", "OPEN", "BY", "NOTE"],
            rows: windows.map {
                [
                    String($0.id), $0.sensor, $0.metric ?? "*", $0.kind.rawValue, $0.kind.deviceStatus.code,
                    Display.time($0.start), $0.end.map { Display.time($0) } ?? "-", $0.isOpen(at: now) ? "yes" : "no",
                    $0.by ?? "-", $0.note ?? "",
                ]
            },
            objects: windows.map {
                [
                    "id": .integer($0.id), "sensor": .string($0.sensor), "metric": .optional($0.metric),
                    "status": .string($0.kind.rawValue), "device_status": .string($0.kind.deviceStatus.code),
                    "start": .time($0.start), "end": .time($0.end), "open": .bool($0.isOpen(at: now)),
                    "by": .optional($0.by), "note": .optional($0.note),
                ]
            }
        ).render(formatting.format)
        if windows.isEmpty, formatting.format == .table { output += "no maintenance windows\n" }
    }
}
