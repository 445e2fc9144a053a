internal import EnvMonCore
internal import Foundation
internal import GRDB
internal import PostgresNIO

/// Copies a whole SQLite store into a PostgreSQL store (`envmon migrate`): every table that holds
/// the network's data or its pending work, ids and all, checked by row count at the end.
///
/// - The source is opened read-only, as the CLI's readers open it, and read in one read
///   transaction: the copy is one consistent snapshot even while envmond still commits (what it
///   commits after the snapshot is not copied, so stop it first).
/// - Batched: each batch of rows is one statement of arrays the server unnests, committed on its
///   own, so a copy of years of readings neither holds one huge transaction nor sends a row a trip.
/// - Resumable: every row is written `ON CONFLICT (key) DO UPDATE` to the source's values, so a
///   re-run after an interruption adds nothing twice and leaves each row as the source has it.
///   An interrupted copy is recognised by the marker counter `migrate.source` (the source's
///   fingerprint: its series and its first reading), written with the series in the first
///   transaction and replaced by the source's counters in the last. A target holding anything
///   else is refused untouched: merging two stores would leave their roll-ups, latest values and
///   counters wrong.
/// - Not copied: `ingest_state` (how far this machine's inbox journal was consumed) and
///   `daemon_stats` (the live figures of the daemon that wrote the SQLite store). PostgreSQL keeps
///   both per collector, and a journal position copied to a collector whose journal is another
///   (another machine's, or a fresh one) would make it skip records it never stored; without one,
///   a collector replays what its journal still holds, and readings already copied are found
///   present (storage is idempotent on series and time), not stored twice.
package struct StoreCopier {
    /// How far the copy of one table has got.
    package struct Progress: Sendable {
        /// The PostgreSQL table being filled (`readings` and `rollup_1m` across their day partitions).
        package var table: String
        package var copied: Int
        package var total: Int
        package var finished: Bool
    }

    package struct TableCount: Sendable, Equatable {
        package var table: String
        package var rows: Int
    }

    /// What was copied: rows per table (as counted in the source, and found in the target).
    package struct Summary: Sendable {
        package var tables: [TableCount]
        /// Day partitions of raw readings.
        package var days: Int
        /// Whether this run completed an interrupted copy rather than starting into an empty store.
        package var resumed: Bool

        package func rows(of table: String) -> Int { tables.first { $0.table == table }?.rows ?? 0 }
    }

    package let sourcePath: String
    package let target: PostgresLocation
    /// Rows per INSERT (and per commit).
    package var batchRows = 5000
    /// A batch is also sent once its values take this many bytes (outbox files, reject payloads).
    package var batchBytes = 8 << 20
    let environment: [String: String]

    /// The counter that marks a copy in progress; its value is the source's fingerprint.
    static let markerCounter = "migrate.source"
    /// Session advisory lock of a copy into a database (the migrations hold `lockKey`, partition
    /// creation `+ 1`, retention `+ 2`).
    static let lockKey = PostgresMigrations.lockKey + 3

    /// Refuses (naming the option's value) a source that is not a SQLite store or a target that
    /// is not a PostgreSQL one. `environment` is where PGPASSFILE and HOME are looked up.
    package init(
        from source: StoreLocation, to target: StoreLocation,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreError) {
        guard case .sqlite(let path) = source else {
            throw StoreError(.invalidArgument, "\(source): the copy is from a SQLite store (sqlite:PATH)")
        }
        guard case .postgres(let location) = target else {
            throw StoreError(
                .invalidArgument, "\(target): the copy is into a PostgreSQL store (postgres://USER@HOST/DATABASE)")
        }
        self.sourcePath = path
        self.target = location
        self.environment = environment
    }

    /// `sqlite:PATH`, as `--from` takes it.
    package var sourceDescription: String { "sqlite:" + sourcePath }

    /// Copies, verifies and returns the counts. `progress` is called after every batch and once
    /// more when a table is done; an error it throws stops the copy there (as an interrupt would).
    package func copy(progress: (Progress) throws -> Void = { _ in }) throws -> Summary {
        let reader = try StoreDatabase.openForReading(path: sourcePath)
        let session: PostgresSession
        do {
            session = try PostgresSession(target, environment: environment)
            try PostgresMigrations.migrate(session, at: Int64(Date().timeIntervalSince1970 * 1000))
            let locked = try session.query("SELECT pg_try_advisory_lock(\(Self.lockKey))").first?.decode(Bool.self)
            guard locked == true else {
                throw StoreCopyError(.busy, "\(target): another envmon migrate is copying into it; nothing written")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as StoreCopyError {
            throw error
        } catch {
            throw StoreError(.cannotOpen, "\(error)")
        }
        // The lock is the session's: it goes when the connection closes, however the copy ends.
        return try reader.read { db in try copy(db, into: session, progress: progress) }
    }

    private func copy(
        _ db: Database, into session: PostgresSession, progress: (Progress) throws -> Void
    ) throws -> Summary {
        let (partitions, fingerprint) = try step("the source's schema") {
            try checkSchema(db)
            let partitions = try sourcePartitions(db)
            return (partitions, try Self.fingerprint(db, oldestRaw: partitions.first { $0.kind == .raw }))
        }
        let resumed = try step("the target's tables") { try admit(session, fingerprint: fingerprint) }
        var counts: [TableCount] = []

        // The series and the marker in one transaction: a target with the marker has all series.
        let series = try step("series") {
            try session.transaction { connection in
                let rows = try copyRows(StoreCopyTable.series, from: "series", db) { batch in
                    try connection.execute(StoreCopyTable.series.insertStatement, batch.bindings)
                }
                try connection.execute(Self.sequenceStatement(StoreCopyTable.series))
                var binds = PostgresBindings()
                binds.append(Self.markerCounter)
                binds.append(fingerprint)
                try connection.execute(
                    """
                    INSERT INTO counters (name, value) VALUES ($1, $2)
                    ON CONFLICT (name) DO UPDATE SET value = excluded.value
                    """, binds)
                return rows
            }
        }
        try progress(Progress(table: "series", copied: series, total: series, finished: true))
        counts.append(TableCount(table: "series", rows: series))

        try step("partitions") { try createPartitions(partitions, in: session) }
        var partitionCounts: [String: Int] = [:]
        for (kind, table) in [(Partitioning.Kind.raw, StoreCopyTable.rawPartition), (.rollupMinute, .minutePartition)] {
            let days = partitions.filter { $0.kind == kind }
            var total = 0
            for day in days {
                let rows = try step(day.name) {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \(StoreCopyTable.quoted(day.name))") ?? 0
                }
                partitionCounts[day.name] = rows
                total += rows
            }
            var copied = 0
            for day in days {
                try step("\(table.name) (\(day.name))") {
                    _ = try copyRows(table, from: day.name, db) { batch in
                        try session.query(table.insertStatement, batch.bindings)
                        copied += batch.count
                        try progress(Progress(table: table.name, copied: copied, total: total, finished: false))
                    }
                }
            }
            try progress(Progress(table: table.name, copied: copied, total: total, finished: true))
            counts.append(TableCount(table: table.name, rows: copied))
        }

        for table in StoreCopyTable.plain {
            let total = try step(table.name) {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(StoreCopyTable.quoted(table.name))") ?? 0
            }
            var copied = 0
            try step(table.name) {
                _ = try copyRows(table, from: table.name, db) { batch in
                    try session.query(table.insertStatement, batch.bindings)
                    copied += batch.count
                    try progress(Progress(table: table.name, copied: copied, total: total, finished: false))
                }
                if table.serial != nil { try session.query(Self.sequenceStatement(table)) }
            }
            try progress(Progress(table: table.name, copied: copied, total: total, finished: true))
            counts.append(TableCount(table: table.name, rows: copied))
        }

        try step("the copy's row counts") {
            try verify(counts, partitions: partitionCounts, in: session)
        }
        // Last, the counters in place of the marker: from here on the target is a finished store.
        let counters = try step("counters") {
            try session.transaction { connection in
                var binds = PostgresBindings()
                binds.append(Self.markerCounter)
                try connection.execute("DELETE FROM counters WHERE name = $1", binds)
                return try copyRows(StoreCopyTable.counters, from: "counters", db) { batch in
                    try connection.execute(StoreCopyTable.counters.insertStatement, batch.bindings)
                }
            }
        }
        try progress(Progress(table: "counters", copied: counters, total: counters, finished: true))
        counts.append(TableCount(table: "counters", rows: counters))
        try step("the copy's row counts") {
            try verify([TableCount(table: "counters", rows: counters)], partitions: [:], in: session)
        }
        return Summary(tables: counts, days: partitions.filter { $0.kind == .raw }.count, resumed: resumed)
    }

    /// Reads `sourceTable` in key order and hands it to `send` a batch at a time; the rows read.
    private func copyRows(
        _ table: StoreCopyTable, from sourceTable: String, _ db: Database, send: (StoreCopyBatch) throws -> Void
    ) throws -> Int {
        var batch = StoreCopyBatch(table)
        var copied = 0
        let rows = try Row.fetchCursor(db, sql: table.selectStatement(from: sourceTable))
        while let row = try rows.next() {
            try batch.append(row, source: sourceTable)
            if batch.count >= batchRows || batch.bytes >= batchBytes {
                try send(batch)
                copied += batch.count
                batch = StoreCopyBatch(table)
            }
        }
        if batch.count > 0 {
            try send(batch)
            copied += batch.count
        }
        return copied
    }

    /// Moves a BIGSERIAL's sequence past the copied ids, so the daemon's next row gets a new id.
    static func sequenceStatement(_ table: StoreCopyTable) -> String {
        let name = StoreCopyTable.quoted(table.name)
        let column = StoreCopyTable.quoted(table.serial ?? "id")
        return """
            SELECT setval(pg_get_serial_sequence('\(name)', '\(table.serial ?? "id")'), top)
            FROM (SELECT max(\(column)) AS top FROM \(name)) AS copied WHERE top IS NOT NULL
            """
    }

    /// Runs one step of the copy, saying in its errors which side failed and at which table: the
    /// source (unreadable or damaged: fix it and run again) or the target (what was committed
    /// stays, and a re-run resumes).
    func step<Result>(_ table: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as DatabaseError {
            let described = StoreDatabase.describe(error, path: sourcePath)
            throw StoreError(
                described.kind,
                "\(described.message) (reading \(table)); the copy stopped there, the source is unchanged")
        } catch let error as PostgresStoreError {
            throw StoreCopyError(
                .incomplete,
                "\(error.message) (writing \(table)); what was copied before stays: run the same command again to resume"
            )
        }
    }
}
