internal import EnvMonCore
internal import Foundation
internal import GRDB
internal import GRDBSQLite

/// The single writer: stores batches of readings, one transaction each, idempotent on
/// (series, timestamp), keeping roll-ups, latest values, sensors, rejects and counters in step.
///
/// Owned by the ingest thread; not shared.
final class SQLiteReadingWriter: ReadingWriter {
    let database: DatabaseQueue
    /// The rejects table's bound (config `[retention] reject_rows`, `reject_mebibytes`).
    package var rejectBudget = RejectBudget()
    /// Rows and payload bytes in `rejects`, counted once and then kept up to date, so a batch with
    /// rejects does not scan the table; nil when unknown (at start, after retention, a replay or
    /// a rolled-back batch).
    var rejectTotals: (rows: Int, bytes: Int64)?
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var existingPartitions: Set<String> = []

    init(database: DatabaseQueue) throws {
        self.database = database
        try reloadCaches()
    }

    /// Every sensor id the store has series for.
    package var storedSensorIDs: Set<String> { Set(seriesIDs.keys.map(\.sensor)) }

    func forgetPartitions(_ names: [String]) {
        existingPartitions.subtract(names)
    }

    private func reloadCaches() throws {
        try database.read { db in
            seriesIDs = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, sensor, metric FROM series")
            while let row = try rows.next() {
                seriesIDs[SeriesKey(sensor: row[1], metric: row[2])] = row[0]
            }
            existingPartitions = Set(try String.fetchAll(db, sql: "SELECT name FROM partitions"))
        }
    }

    /// The inbox journal position consumed by the last committed batch.
    package func inboxPosition() throws -> InboxPosition? {
        try database.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, value FROM ingest_state WHERE key IN ('inbox_segment', 'inbox_offset')")
            var values: [String: Int64] = [:]
            for row in rows { values[row[0]] = row[1] }
            guard let segment = values["inbox_segment"], let offset = values["inbox_offset"] else { return nil }
            return InboxPosition(segment: segment, offset: offset)
        }
    }

    /// Writes one batch in one `BEGIN IMMEDIATE` transaction.
    package func write(_ batch: IngestBatch) throws -> BatchOutcome {
        do {
            return try database.writeWithoutTransaction { db in
                var outcome = BatchOutcome(stored: [], duplicates: 0, rejects: 0)
                try db.inTransaction(.immediate) {
                    outcome = try write(batch, in: db)
                    return .commit
                }
                return outcome
            }
        } catch {
            // Ids or partitions created inside the rolled-back transaction are gone again.
            try? reloadCaches()
            rejectTotals = nil
            throw error
        }
    }

    private func write(_ batch: IngestBatch, in db: Database) throws -> BatchOutcome {
        var readings = batch.readings
        var laterRevisions = BatchRules.applyRevisionsWithinBatch(batch.revisions, to: &readings)

        var minutes = RollupAccumulator(width: RollupResolution.minute.milliseconds)
        var newest: [Int64: Reading] = [:]
        var stored: [Reading] = []
        stored.reserveCapacity(readings.count)
        var duplicates = batch.droppedDuplicates
        // The insert statement of the day partition in use: readings of a batch almost always
        // share one day, so the partition name and statement are looked up once per day.
        var currentDay: Int64 = .min
        // Held as an object for the same reason as in `flushMinutes`.
        var insert: Statement?

        for reading in readings {
            let seriesID = try id(of: reading.series, in: db)
            let ts = reading.timestamp.milliseconds
            let day = Partitioning.dayStart(of: reading.timestamp)
            if day != currentDay || insert == nil {
                let table = try partition(.raw, for: reading.timestamp, in: db)
                insert = try db.cachedStatement(
                    sql:
                        "INSERT OR IGNORE INTO \(table) (ts, series, value, quality, flagged_by, time_source, device_status) VALUES (?, ?, ?, ?, ?, ?, ?)"
                )
                currentDay = day
            }
            // Bound and stepped directly: this is the one statement run per reading.
            let statement = insert!.sqliteStatement
            sqlite3_bind_int64(statement, 1, ts)
            sqlite3_bind_int64(statement, 2, seriesID)
            sqlite3_bind_double(statement, 3, reading.value)
            sqlite3_bind_int64(statement, 4, Int64(reading.quality.rawValue))
            sqlite3_bind_int64(statement, 5, Int64(reading.flaggedBy.rawValue))
            sqlite3_bind_int64(statement, 6, Int64(reading.timeSource.rawValue))
            sqlite3_bind_int64(statement, 7, Int64(reading.deviceStatus.rawValue))
            try step(statement, in: db)
            guard sqlite3_changes(db.sqliteConnection) == 1 else {
                duplicates += 1
                // A redelivered copy (in this batch or after an earlier one) may have taken the
                // verdict meant for the row already stored: apply it to that row instead.
                if !batch.revisions.isEmpty,
                    let revision = batch.revisions.last(where: {
                        $0.series == reading.series && $0.timestamp == reading.timestamp
                    })
                {
                    laterRevisions.append(revision)
                }
                continue
            }
            stored.append(reading)
            if BatchRules.includedInRollups(reading) {
                minutes.add(series: seriesID, timestamp: ts, value: reading.value)
            }
            if newest[seriesID].map({ $0.timestamp < reading.timestamp }) ?? true { newest[seriesID] = reading }
        }
        // Hours and days are merged from the batch's minute cells: one dictionary update per
        // reading instead of three.
        let hours = minutes.merged(width: RollupResolution.hour.milliseconds)
        let days = minutes.merged(width: RollupResolution.day.milliseconds)
        var lastSeen: [String: Int64] = [:]
        for reading in newest.values {
            lastSeen[reading.series.sensor] = max(
                lastSeen[reading.series.sensor] ?? .min, reading.timestamp.milliseconds)
        }

        try flushMinutes(minutes, in: db)
        try flush(hours, table: "rollup_1h", in: db)
        try flush(days, table: "rollup_1d", in: db)
        try updateLatest(newest, in: db)
        try updateSensors(lastSeen, sites: batch.sites, in: db)
        try apply(laterRevisions, in: db)
        try insertRejects(batch.rejects, in: db)
        try updateDelivery(batch.delivery, receivedAt: batch.receivedAt, in: db)

        try increment("readings_stored", by: stored.count, in: db)
        try increment("duplicates", by: duplicates, in: db)
        try increment("rejects", by: batch.rejects.count, in: db)
        try increment("batches", by: 1, in: db)
        if let position = batch.inboxPosition {
            try db.execute(
                sql: """
                    INSERT INTO ingest_state (key, value) VALUES ('inbox_segment', ?), ('inbox_offset', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, arguments: [position.segment, position.offset])
        }
        return BatchOutcome(stored: stored, duplicates: duplicates, rejects: batch.rejects.count)
    }

    private func id(of series: SeriesKey, in db: Database) throws -> Int64 {
        if let id = seriesIDs[series] { return id }
        try db.execute(
            sql: "INSERT INTO series (sensor, metric) VALUES (?, ?) ON CONFLICT DO NOTHING",
            arguments: [series.sensor, series.metric])
        let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM series WHERE sensor = ? AND metric = ?", arguments: [series.sensor, series.metric])!
        seriesIDs[series] = id
        return id
    }

    private func partition(_ kind: Partitioning.Kind, for time: Timestamp, in db: Database) throws -> String {
        let dayStart = Partitioning.dayStart(of: time)
        let table = Partitioning.tableName(kind, dayStart: dayStart)
        if existingPartitions.contains(table) { return table }
        try db.execute(sql: Partitioning.createStatement(kind, table: table))
        try db.execute(
            sql: "INSERT OR IGNORE INTO partitions (name, kind, start_ms, end_ms) VALUES (?, ?, ?, ?)",
            arguments: [table, kind.rawValue, dayStart, dayStart + Partitioning.dayMilliseconds])
        existingPartitions.insert(table)
        return table
    }

    private static let mergeClause = """
        ON CONFLICT DO UPDATE SET
            count = count + excluded.count,
            min = min(min, excluded.min),
            max = max(max, excluded.max),
            sum = sum + excluded.sum,
            last_value = CASE WHEN excluded.last_ts >= last_ts THEN excluded.last_value ELSE last_value END,
            last_ts = max(last_ts, excluded.last_ts)
        """

    private func flushMinutes(_ accumulator: RollupAccumulator, in db: Database) throws {
        // Statement objects, not raw pointers: creating a partition changes the schema, which
        // empties GRDB's statement cache and would finalize a statement only the cache held.
        var statements: [Int64: Statement] = [:]
        for (key, cell) in accumulator.cells {
            let day = Partitioning.dayStart(of: Timestamp(milliseconds: key.bucket))
            if statements[day] == nil {
                let table = try partition(.rollupMinute, for: Timestamp(milliseconds: key.bucket), in: db)
                statements[day] = try upsertStatement(table: table, in: db)
            }
            try upsert(cell, key: key, statement: statements[day]!.sqliteStatement, in: db)
        }
    }

    private func flush(_ accumulator: RollupAccumulator, table: String, in db: Database) throws {
        guard !accumulator.cells.isEmpty else { return }
        let statement = try upsertStatement(table: table, in: db)
        for (key, cell) in accumulator.cells {
            try upsert(cell, key: key, statement: statement.sqliteStatement, in: db)
        }
    }

    private func upsertStatement(table: String, in db: Database) throws -> Statement {
        try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (series, bucket, count, min, max, sum, last_ts, last_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) \(Self.mergeClause)
                """)
    }

    /// One roll-up cell merged into its row, bound directly (a batch of 1000 series runs this
    /// 3000 times).
    private func upsert(
        _ cell: RollupCell, key: RollupAccumulator.Key, statement: SQLiteStatement, in db: Database
    )
        throws
    {
        sqlite3_bind_int64(statement, 1, key.series)
        sqlite3_bind_int64(statement, 2, key.bucket)
        sqlite3_bind_int64(statement, 3, cell.count)
        sqlite3_bind_double(statement, 4, cell.minimum)
        sqlite3_bind_double(statement, 5, cell.maximum)
        sqlite3_bind_double(statement, 6, cell.sum)
        sqlite3_bind_int64(statement, 7, cell.lastTimestamp)
        sqlite3_bind_double(statement, 8, cell.lastValue)
        try step(statement, in: db)
    }

    /// Steps a statement that returns no rows, then resets it for the next use.
    private func step(_ statement: SQLiteStatement, in db: Database) throws {
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
        sqlite3_reset(statement)
    }

    private func updateLatest(_ newest: [Int64: Reading], in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO latest (series, ts, value, quality, flagged_by) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (series) DO UPDATE SET
                    ts = excluded.ts, value = excluded.value, quality = excluded.quality,
                    flagged_by = excluded.flagged_by
                WHERE excluded.ts >= latest.ts
                """)
        let sqlite = statement.sqliteStatement
        for (seriesID, reading) in newest {
            sqlite3_bind_int64(sqlite, 1, seriesID)
            sqlite3_bind_int64(sqlite, 2, reading.timestamp.milliseconds)
            sqlite3_bind_double(sqlite, 3, reading.value)
            sqlite3_bind_int64(sqlite, 4, Int64(reading.quality.rawValue))
            sqlite3_bind_int64(sqlite, 5, Int64(reading.flaggedBy.rawValue))
            try step(sqlite, in: db)
        }
    }

    private func updateSensors(_ lastSeen: [String: Int64], sites: [String: String], in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO sensors (sensor, site, first_seen, last_seen) VALUES (?, ?, ?, ?)
                ON CONFLICT (sensor) DO UPDATE SET
                    site = coalesce(excluded.site, site),
                    first_seen = min(first_seen, excluded.first_seen),
                    last_seen = max(last_seen, excluded.last_seen)
                """)
        let sqlite = statement.sqliteStatement
        for (sensor, time) in lastSeen {
            // GRDB's own binding of a String (SQLITE_TRANSIENT), without an arguments array per row.
            _ = sensor.bind(to: sqlite, at: 1)
            _ = sites[sensor].bind(to: sqlite, at: 2)
            sqlite3_bind_int64(sqlite, 3, time)
            sqlite3_bind_int64(sqlite, 4, time)
            try step(sqlite, in: db)
        }
    }

    /// Settled QC verdicts on stored rows. When a verdict moves a reading into or out of the
    /// roll-ups, the affected buckets are recomputed from the level below: rare (spikes), exact.
    private func apply(_ revisions: [QualityRevision], in db: Database) throws {
        for revision in revisions {
            guard let seriesID = seriesIDs[revision.series] else { continue }
            let ts = revision.timestamp.milliseconds
            let table = Partitioning.tableName(.raw, dayStart: Partitioning.dayStart(of: revision.timestamp))
            guard existingPartitions.contains(table),
                let previous = try Int.fetchOne(
                    db, sql: "SELECT quality FROM \(table) WHERE ts = ? AND series = ?", arguments: [ts, seriesID]),
                let previousQuality = QualityFlag(rawValue: UInt8(previous))
            else { continue }
            try db.execute(
                sql: "UPDATE \(table) SET quality = ?, flagged_by = ? WHERE ts = ? AND series = ?",
                arguments: [Int(revision.quality.rawValue), Int(revision.flaggedBy.rawValue), ts, seriesID])
            try db.execute(
                sql: "UPDATE latest SET quality = ?, flagged_by = ? WHERE series = ? AND ts = ?",
                arguments: [Int(revision.quality.rawValue), Int(revision.flaggedBy.rawValue), seriesID, ts])
            if BatchRules.includedInRollups(previousQuality) != BatchRules.includedInRollups(revision.quality) {
                try RollupRecomputation(db: db, series: seriesID, time: revision.timestamp).run()
            }
        }
    }

    private func updateDelivery(
        _ changes: [String: SensorDeliveryChange], receivedAt: Timestamp?, in db: Database
    ) throws {
        guard !changes.isEmpty else { return }
        let day = Partitioning.dayStart(of: receivedAt ?? Timestamp(milliseconds: 0))
        let daily = try db.cachedStatement(
            sql: """
                INSERT INTO sensor_delivery_daily
                    (sensor, day, seq_missing, seq_duplicates, seq_restarts, catch_up_readings)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (sensor, day) DO UPDATE SET
                    seq_missing = seq_missing + excluded.seq_missing,
                    seq_duplicates = seq_duplicates + excluded.seq_duplicates,
                    seq_restarts = seq_restarts + excluded.seq_restarts,
                    catch_up_readings = catch_up_readings + excluded.catch_up_readings
                """)
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO sensor_delivery
                    (sensor, last_seq, last_checksum, seq_missing, seq_duplicates, seq_restarts, catch_up_readings)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sensor) DO UPDATE SET
                    last_seq = coalesce(excluded.last_seq, last_seq),
                    last_checksum = CASE WHEN excluded.last_seq IS NULL THEN last_checksum ELSE excluded.last_checksum END,
                    seq_missing = seq_missing + excluded.seq_missing,
                    seq_duplicates = seq_duplicates + excluded.seq_duplicates,
                    seq_restarts = seq_restarts + excluded.seq_restarts,
                    catch_up_readings = catch_up_readings + excluded.catch_up_readings
                """)
        var duplicates: Int64 = 0
        let upsert = statement.sqliteStatement
        let upsertDaily = daily.sqliteStatement
        for (sensor, change) in changes {
            duplicates += change.duplicates
            _ = sensor.bind(to: upsert, at: 1)
            if let last = change.lastSequence {
                sqlite3_bind_int64(upsert, 2, last)
            } else {
                sqlite3_bind_null(upsert, 2)
            }
            sqlite3_bind_int64(upsert, 3, Int64(change.lastChecksum))
            sqlite3_bind_int64(upsert, 4, change.missing)
            sqlite3_bind_int64(upsert, 5, change.duplicates)
            sqlite3_bind_int64(upsert, 6, change.restarts)
            sqlite3_bind_int64(upsert, 7, change.catchUpReadings)
            try step(upsert, in: db)
            if change.missing != 0 || change.duplicates != 0 || change.restarts != 0 || change.catchUpReadings != 0 {
                _ = sensor.bind(to: upsertDaily, at: 1)
                sqlite3_bind_int64(upsertDaily, 2, day)
                sqlite3_bind_int64(upsertDaily, 3, change.missing)
                sqlite3_bind_int64(upsertDaily, 4, change.duplicates)
                sqlite3_bind_int64(upsertDaily, 5, change.restarts)
                sqlite3_bind_int64(upsertDaily, 6, change.catchUpReadings)
                try step(upsertDaily, in: db)
            }
        }
        try increment("sequence_duplicates", by: Int(duplicates), in: db)
    }

    /// Every sensor's delivery figures, for the ingest to resume `seq` tracking after a restart.
    package func sensorDelivery() throws -> [SensorDelivery] {
        try database.read { db in try SQLiteReadingQueries.sensorDelivery(db) }
    }

    /// The newest stored time of every series, so receipt times after a restart stay unique.
    package func newestTimes() throws -> [SeriesKey: Timestamp] {
        try database.read { db in
            var result: [SeriesKey: Timestamp] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT s.sensor, s.metric, l.ts FROM latest l JOIN series s ON s.id = l.series")
            while let row = try rows.next() {
                result[SeriesKey(sensor: row[0], metric: row[1])] = Timestamp(milliseconds: row[2])
            }
            return result
        }
    }

    private func insertRejects(_ rejects: [RejectRecord], in db: Database) throws {
        guard !rejects.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: "INSERT INTO rejects (received_at, topic, reason, detail, payload) VALUES (?, ?, ?, ?, ?)")
        var perReason: [RejectReason: Int] = [:]
        var insertedBytes: Int64 = 0
        for reject in rejects {
            insertedBytes += Int64(reject.payload.count)
            try statement.execute(arguments: [
                reject.receivedAt.milliseconds, reject.topic, reject.reason.rawValue, reject.detail,
                Data(reject.payload),
            ])
            perReason[reject.reason, default: 0] += 1
        }
        for (reason, count) in perReason { try increment("rejects." + reason.rawValue, by: count, in: db) }
        if let totals = rejectTotals {
            rejectTotals = (totals.rows + rejects.count, totals.bytes + insertedBytes)
        } else if let row = try Row.fetchOne(
            db, sql: "SELECT count(*), coalesce(sum(length(payload)), 0) FROM rejects")
        {
            rejectTotals = (row[0], row[1])
        }
        try enforceRejectBudget(in: db)
    }

    /// Drops the oldest rejects while the table is over its row or byte budget, counted.
    private func enforceRejectBudget(in db: Database) throws {
        guard var (rows, bytes) = rejectTotals else { return }
        defer { rejectTotals = (rows, bytes) }
        var dropped = 0
        while rows > rejectBudget.maximumRows || bytes > rejectBudget.maximumBytes {
            let chunk = max(1, min(1000, rows - rejectBudget.maximumRows))
            let removed = try Row.fetchAll(
                db,
                sql: """
                    DELETE FROM rejects WHERE id IN (SELECT id FROM rejects ORDER BY id LIMIT ?)
                    RETURNING length(payload)
                    """, arguments: [chunk])
            if removed.isEmpty { break }
            rows -= removed.count
            bytes -= removed.reduce(Int64(0)) { $0 + ($1[0] as Int64) }
            dropped += removed.count
        }
        try increment("rejects_dropped", by: dropped, in: db)
    }

    // MARK: - Replay of rejects (carried out for `envmon rejects replay`)

    /// Replay requests the CLI queued, oldest first.
    package func pendingReplayRequests() throws -> [RejectReplayRequest] {
        try database.read { db in
            guard try db.tableExists("reject_replay_requests") else { return [] }
            return try Row.fetchAll(
                db,
                sql:
                    "SELECT id, reason, since, dry_run FROM reject_replay_requests WHERE status = 'pending' ORDER BY id"
            ).map { row in
                RejectReplayRequest(
                    id: row[0], reason: (row[1] as String?).flatMap(RejectReason.init(rawValue:)),
                    since: (row[2] as Int64?).map { Timestamp(milliseconds: $0) }, dryRun: row[3])
            }
        }
    }

    /// The rejected messages a request covers, one per distinct message, oldest first.
    package func replayableMessages(for request: RejectReplayRequest) throws -> [ReplayableMessage] {
        try database.read { db in
            let reasons = (request.reason.map { [$0] } ?? RejectReason.allCases.filter(\.isReplayable)).map(\.rawValue)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, reason, received_at, topic, payload FROM rejects
                    WHERE reason IN (\(reasons.map { _ in "?" }.joined(separator: ", "))) AND received_at >= ?
                    ORDER BY received_at, id
                    """, arguments: StatementArguments(reasons) + [request.since?.milliseconds ?? Int64.min])
            var messages: [ReplayableMessage] = []
            var index: [String: Int] = [:]
            for row in rows {
                let payload: Data = row[4]
                let receivedAt: Int64 = row[2]
                let topic: String = row[3]
                let key = "\(receivedAt) \(topic) \(payload.hashValue) \(payload.count)"
                if let existing = index[key], messages[existing].payload == Array(payload) {
                    messages[existing].rowIDs.append(row[0])
                    continue
                }
                index[key] = messages.count
                messages.append(
                    ReplayableMessage(
                        rowIDs: [row[0]], reason: RejectReason(rawValue: row[1]) ?? .unknownMetric,
                        receivedAt: Timestamp(milliseconds: receivedAt), topic: topic, payload: Array(payload)))
            }
            return messages
        }
    }

    /// Records the outcome of a request, and removes the reject rows of messages now stored.
    package func finishReplay(
        _ request: RejectReplayRequest, results: [RejectReason: ReplayCounts], resolvedRows: [Int64],
        detail: String?, at time: Timestamp
    ) throws {
        rejectTotals = nil
        try database.write { db in
            for chunk in stride(from: 0, to: resolvedRows.count, by: 500) {
                let ids = resolvedRows[chunk..<min(chunk + 500, resolvedRows.count)]
                try db.execute(
                    sql: "DELETE FROM rejects WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))",
                    arguments: StatementArguments(Array(ids)))
            }
            let result = results.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                "\"\($0.key.rawValue)\":[\($0.value.stored),\($0.value.stillRefused),\($0.value.alreadyPresent)]"
            }.joined(separator: ",")
            try db.execute(
                sql:
                    "UPDATE reject_replay_requests SET status = 'done', result = ?, detail = ?, done_at = ? WHERE id = ?",
                arguments: ["{\(result)}", detail, time.milliseconds, request.id])
        }
    }

    private func increment(_ counter: String, by amount: Int, in db: Database) throws {
        guard amount != 0 else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO counters (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
                """)
        try statement.execute(arguments: [counter, amount])
    }
}
