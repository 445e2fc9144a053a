package import ArgumentParser
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon backup`: a consistent copy of the store while envmond keeps writing.
package struct BackupCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store while envmond runs: one consistent snapshot, ingest not held up.",
        discussion: """
            Reads one snapshot through SQLite's online backup API on its own read-only connection;
            envmond keeps committing meanwhile. The copy is checked (quick_check) and renamed into
            place only when complete. Restore: stop envmond, replace the database file with the
            copy (and delete its -wal and -shm files), start envmond (README, "Backup and restore").
            """)

    @OptionGroup package var store: StoreOptions
    @OptionGroup package var formatting: FormatOptions
    @Option(help: "Write the copy to this file (replaced if it exists).") package var to: String?
    @Option(help: "Write the copy into this directory as envmon-<UTC time>.db.") package var into: String?
    @Option(help: "With --into: keep this many copies, deleting the oldest.") package var keep: Int?

    package init() {}

    package func validate() throws {
        guard (to == nil) != (into == nil) else { throw ValidationError("give either --to FILE or --into DIRECTORY") }
        if let keep {
            guard into != nil else { throw ValidationError("--keep goes with --into") }
            guard (1...10_000).contains(keep) else { throw ValidationError("--keep must be between 1 and 10000") }
        }
    }

    package func execute(into output: inout String) throws {
        let source = try store.databasePath()
        let destination: String
        if let to {
            destination = to
        } else {
            let directory = into!
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw CLIError("--into \(directory): no such directory") }
            let stamp = RFC3339.format(Timestamp(milliseconds: WallClock.nowMilliseconds()))
                .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
                .prefix(15)
            destination = "\(directory)/envmon-\(stamp)Z.db"
        }
        let onTerminal = isatty(2) == 1
        let result: StoreMaintenance.BackupResult
        do {
            result = try StoreMaintenance.backup(from: source, to: destination) { step in
                guard onTerminal, step.total > 0 else { return }
                StandardStreams.write(
                    "\rbackup: \(step.done * 100 / step.total) % (\(step.done)/\(step.total) pages)", to: 2)
            }
        } catch let error as StoreError {
            if onTerminal { StandardStreams.write("\n", to: 2) }
            throw CLIError("\(error)")
        }
        if onTerminal { StandardStreams.write("\n", to: 2) }
        var removed: [String] = []
        if let keep, let directory = into { removed = try prune(directory, keep: keep) }
        let mebibytes = Double(result.bytes) / 1_048_576
        output += OutputTable(
            columns: ["BACKUP", "MiB", "SECONDS", "REMOVED"],
            rows: [[destination, Display.value(mebibytes), Display.value(result.seconds), "\(removed.count)"]],
            objects: [
                [
                    "file": .string(destination), "bytes": .integer(result.bytes), "seconds": .number(result.seconds),
                    "removed": .array(removed.map { .string($0) }),
                ]
            ]
        ).render(formatting.format)
    }

    /// Deletes all but the newest `keep` envmon-*.db copies in `directory` (names sort by time).
    private func prune(_ directory: String, keep: Int) throws -> [String] {
        let copies = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("envmon-") && $0.hasSuffix("Z.db") }.sorted()
        let old = copies.dropLast(keep)
        for name in old { try? FileManager.default.removeItem(atPath: "\(directory)/\(name)") }
        return old.map { "\(directory)/\($0)" }
    }
}
