package import ArgumentParser
internal import EnvMonStore
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// `envmon migrate --from sqlite:PATH --to postgres://...`: a SQLite store copied into PostgreSQL.
package struct MigrateCommand: OutputCommand {
    package static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite store into a PostgreSQL store, every table, row counts checked.",
        discussion: """
            Copies series (ids kept), sensors, readings and minute roll-ups day by day, hourly and \
            daily roll-ups, latest values, rejects, counters, alert states, alerts and their log, the \
            acknowledgement, maintenance and reject replay request queues, maintenance windows, delivery \
            figures, the outbox, transmission state and hourly VN_AQI.

            The source is opened read-only and read as one snapshot: stop envmond first, or what it \
            stores after the snapshot is left behind. The target's schema is made if missing; the \
            password comes from passfile=, PGPASSFILE or ~/.pgpass and is never printed.

            The target must be empty: a database holding anything else is refused untouched. An \
            interrupted copy (Ctrl-C, a lost connection) is resumed by running the same command again \
            with the same source: rows already copied are rewritten to the source's values, never added \
            twice. At the end the rows of every table (readings day by day) are counted on both sides; \
            a difference is named.

            Not copied: the inbox journal position (ingest_state) and the daemon's live figures \
            (daemon_stats). The journal belongs to the machine, and PostgreSQL keeps a position per \
            collector: one copied to a collector whose journal is another would make it skip messages \
            it never stored. After a clean stop of envmond its journal is wholly consumed; move \
            <state directory>/inbox aside before envmond starts on PostgreSQL, or it replays what the \
            journal still holds (its readings are found already present, but its rejects are recorded \
            again).

            Exit codes: 0 copied and verified; 1 the copy stopped part way or does not match (run it \
            again to resume); 2 bad arguments, a source or target that cannot be opened, or a target \
            that is not empty.
            """)

    @Option(help: "The SQLite store to copy: sqlite:PATH (or its path). Opened read-only.")
    package var from: String
    @Option(
        help: """
            The PostgreSQL store to fill: postgres://USER@HOST[:PORT]/DATABASE[?sslmode=...&passfile=PATH].
            """)
    package var to: String
    @Option(help: "Rows per INSERT and commit.") package var batchRows = 5000

    package init() {}

    package func validate() throws {
        guard (1...100_000).contains(batchRows) else { throw ValidationError("--batch-rows must be 1 to 100000") }
    }

    package func execute(into output: inout String) throws {
        let copier = try Self.copier(from: from, to: to)
        let onTerminal = isatty(2) == 1
        var lineOpen = false
        StandardStreams.write(
            "migrate: copying \(copier.sourceDescription) (one snapshot) into \(copier.target)\n", to: 2)
        let summary: StoreCopier.Summary
        do {
            var configured = copier
            configured.batchRows = batchRows
            summary = try configured.copy { step in
                if step.finished {
                    let rows = step.copied == 1 ? "1 row" : "\(step.copied) rows"
                    StandardStreams.write("\(lineOpen ? "\r" : "")migrate: \(step.table): \(rows)\n", to: 2)
                    lineOpen = false
                } else if onTerminal {
                    StandardStreams.write("\rmigrate: \(step.table): \(step.copied)/\(step.total) rows", to: 2)
                    lineOpen = true
                }
            }
        } catch {
            if lineOpen { StandardStreams.write("\n", to: 2) }
            throw Self.cliError(error)
        }
        if summary.resumed { StandardStreams.write("migrate: resumed an interrupted copy of the same source\n", to: 2) }
        StandardStreams.write("migrate: row counts verified, every table\n", to: 2)
        output += Self.sentence(summary, from: copier.sourceDescription, to: "\(copier.target)") + "\n"
    }

    /// The copier for the two locations, each refused by its option's name when it is of the
    /// wrong kind or not understood.
    static func copier(from: String, to: String) throws -> StoreCopier {
        let source: StoreLocation
        let target: StoreLocation
        do {
            source = try StoreLocation(from)
        } catch {
            throw CLIError("--from: \(error)")
        }
        do {
            target = try StoreLocation(to)
        } catch {
            throw CLIError("--to: \(error)")
        }
        guard case .sqlite = source else {
            throw CLIError("--from \(source): not a SQLite store; the copy is from sqlite:PATH into postgres://...")
        }
        guard case .postgres = target else {
            throw CLIError(
                "--to \(target): not a PostgreSQL store; the copy is into postgres://USER@HOST[:PORT]/DATABASE")
        }
        do {
            return try StoreCopier(from: source, to: target)
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// `copied 4320 readings (3 days), 3 series, ... from sqlite:PATH to postgres://...`: every
    /// table that received rows, by its name in the store.
    static func sentence(_ summary: StoreCopier.Summary, from source: String, to target: String) -> String {
        let readings =
            "\(summary.rows(of: "readings")) readings (\(summary.days) \(summary.days == 1 ? "day" : "days"))"
        let others = summary.tables.filter { $0.table != "readings" && $0.rows > 0 }.map { "\($0.rows) \($0.table)" }
        return "copied \(([readings] + others).joined(separator: ", ")) from \(source) to \(target)"
            + (summary.resumed ? " (resumed)" : "")
    }

    /// Exit 2 when nothing was written (bad input, a refused target), 1 when the target holds a
    /// partial or differing copy that a re-run resumes.
    static func cliError(_ error: any Error) -> CLIError {
        switch error {
        case let error as StoreCopyError:
            switch error.kind {
            case .targetNotEmpty, .busy: CLIError(error.message)
            case .incomplete, .mismatch: CLIError(error.message, exitCode: 1)
            }
        case let error as StoreError: CLIError(error.message)
        default: CLIError("\(error)", exitCode: 1)
        }
    }
}
