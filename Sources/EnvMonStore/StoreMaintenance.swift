internal import Foundation
internal import GRDB

/// Online backup and integrity checks of an EnvMon database, for `envmon backup` and `envmon check`.
/// Both read through their own read-only connection while envmond writes: in WAL mode a reader
/// never blocks the writer (it only holds the checkpoint back until it is done).
package enum StoreMaintenance {
    /// Where a long operation has got to.
    package struct Progress: Sendable {
        package var done: Int
        package var total: Int
        /// What is being worked on (a table name for checks).
        package var item: String
    }

    /// The outcome of a backup.
    package struct BackupResult: Sendable {
        package var bytes: Int64
        package var pages: Int
        package var seconds: Double
    }

    /// Copies the database at `source` to `destination` with SQLite's online backup API, in one
    /// read transaction, so the copy is one consistent snapshot however fast envmond commits
    /// (a backup in steps would restart after every commit of another connection). The copy is
    /// written to `destination.partial` and renamed into place only when complete and checked.
    ///
    /// `pause` after each step of `pagesPerStep` pages leaves the disk and a core to envmond: on
    /// two cores an unpaced copy of a 900 MiB store made its batches up to 3 × slower while it ran.
    package static func backup(
        from source: String, to destination: String, pagesPerStep: Int32 = 256, pause: Duration = .milliseconds(3),
        progress: (@Sendable (Progress) -> Void)? = nil
    ) throws -> BackupResult {
        let started = ContinuousClock.now
        let reader = try StoreDatabase.openForReading(path: source)
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw StoreError(
                .cannotOpen,
                "\(destination): cannot create the backup file (\(String(cString: strerror(errno)))); "
                    + "choose a writable place, e.g. --to /var/backups/envmon/envmon.db")
        }
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(atPath: partial) } }
        var pages = 0
        do {
            let target = try DatabaseQueue(path: partial)
            try target.writeWithoutTransaction { destination in
                try reader.read { db in
                    // Inside one read transaction: the snapshot stays fixed while envmond commits.
                    // Read once first so the snapshot starts now, not at the first backup step.
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                    try db.backup(to: destination, pagesPerStep: pagesPerStep) { step in
                        pages = step.totalPageCount
                        if pause > .zero, !step.isCompleted {
                            usleep(UInt32(pause.components.attoseconds / 1_000_000_000_000))
                        }
                        progress?(
                            Progress(
                                done: step.totalPageCount - step.remainingPageCount, total: step.totalPageCount,
                                item: "pages"))
                    }
                }
            }
            try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let verdict = try target.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            guard verdict == ["ok"] else {
                throw StoreError(.cannotOpen, "\(destination): the copy failed its check: \(verdict.prefix(3))")
            }
            try target.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.cannotOpen, "\(destination): backup failed: \(error)")
        }
        if rename(partial, destination) != 0 {
            throw StoreError(
                .cannotOpen,
                "\(destination): cannot move the finished copy into place: \(String(cString: strerror(errno)))")
        }
        keep = true
        let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
        let elapsed = started.duration(to: .now)
        return BackupResult(
            bytes: size, pages: pages,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// One table's verdict.
    package struct TableCheck: Sendable {
        package var table: String
        /// "ok", or SQLite's first messages about the damage.
        package var messages: [String]
        package var isOK: Bool { messages == ["ok"] }
    }

    /// `PRAGMA quick_check` (or `integrity_check` when `full`) of every table, one at a time, on a
    /// read-only connection. Refuses a file that is not an EnvMon database before looking further.
    package static func check(
        path: String, full: Bool, progress: (@Sendable (Progress) -> Void)? = nil
    ) throws -> [TableCheck] {
        let reader = try StoreDatabase.openForReading(path: path)
        // Outside a transaction: a damaged page would also fail the transaction's end, and each
        // table's verdict is all that is wanted.
        return try reader.inDatabase { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var results: [TableCheck] = []
            for (index, table) in tables.enumerated() {
                progress?(Progress(done: index, total: tables.count, item: table))
                let pragma = full ? "integrity_check" : "quick_check"
                do {
                    let messages = try String.fetchAll(
                        db, sql: "PRAGMA \(pragma)(\(table.quotedDatabaseIdentifier))")
                    results.append(TableCheck(table: table, messages: Array(messages.prefix(5))))
                } catch {
                    results.append(TableCheck(table: table, messages: ["\(error)"]))
                }
            }
            progress?(Progress(done: tables.count, total: tables.count, item: ""))
            return results
        }
    }
}
