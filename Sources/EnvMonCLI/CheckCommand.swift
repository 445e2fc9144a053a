package import ArgumentParser
internal import EnvMonStore
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon check`: is the store intact? Table by table, on a read-only connection.
package struct CheckCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store table by table (quick_check, or integrity_check with --full).",
        discussion: "Exit codes: 0 every table intact, 1 damage found (the tables are named), 2 not an EnvMon database."
    )

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Flag(help: "integrity_check instead of quick_check: also index contents (slower).") package var full = false

    package init() {}

    package func execute(into output: inout String) throws {
        let path = try store.databasePath()
        let onTerminal = isatty(2) == 1
        let results: [StoreMaintenance.TableCheck]
        do {
            results = try StoreMaintenance.check(path: path, full: full) { step in
                guard onTerminal, step.total > 0 else { return }
                let padded = step.item.padding(toLength: 24, withPad: " ", startingAt: 0)
                StandardStreams.write("\rcheck: \(step.done)/\(step.total) tables \(padded)", to: 2)
            }
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        if onTerminal { StandardStreams.write("\n", to: 2) }
        let damaged = results.filter { !$0.isOK }
        output += OutputTable(
            columns: ["TABLE", "RESULT"],
            rows: (damaged.isEmpty ? results : damaged).map { [$0.table, $0.messages.joined(separator: "; ")] },
            objects: results.map {
                ["table": .string($0.table), "ok": .bool($0.isOK), "messages": .array($0.messages.map { .string($0) })]
            }
        ).render(formatting.format)
        if formatting.format == .table {
            output +=
                damaged.isEmpty
                ? "\(results.count) tables checked (\(full ? "integrity_check" : "quick_check")): ok\n"
                : "\(damaged.count) of \(results.count) tables damaged: restore a backup (README, \"Backup and restore\")\n"
        }
        if !damaged.isEmpty {
            throw CLIError(
                "\(path): damaged: \(damaged.map(\.table).joined(separator: ", "))", exitCode: 1)
        }
    }
}
