internal import EnvMonCore
internal import Foundation
internal import PostgresNIO

/// The single writer of one collector into PostgreSQL: a batch is one transaction that also
/// records how far this collector's inbox journal is consumed, so the delivery promise holds as
/// with SQLite: nothing acknowledged lost (the journal replays from the recorded position after
/// a crash), nothing stored twice (readings are unique on (series, ts), whichever collector
/// delivers them first; a second delivery is counted as a duplicate).
///
/// Set-based: each table gets one statement per batch, its rows passed as arrays and unnested
/// by the server, so a batch of 2,000 readings is a handful of round trips, not thousands.
final class PostgresReadingWriter: ReadingWriter {
    let session: PostgresSession
    /// This collector's name in `ingest_state` and `daemon_stats` (its MQTT client id).
    let collector: String
    var rejectBudget = RejectBudget()
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var existingPartitions: Set<String> = []

    init(session: PostgresSession, collector: String) throws {
        self.session = session
        self.collector = collector
        try reloadCaches()
    }

    var storedSensorIDs: Set<String> { Set(seriesIDs.keys.map(\.sensor)) }

    /// Partitions retention dropped: made again if a reading of that day still comes.
    func forgetPartitions(_ names: [String]) {
        existingPartitions.subtract(names)
    }

    /// Kept as they were when the server cannot be read (the connection lost): the next batch
    /// looks up any series it does not know.
    private func reloadCaches() throws {
        var ids: [SeriesKey: Int64] = [:]
        for row in try session.query("SELECT id, sensor, metric FROM series") {
            let (id, sensor, metric) = try row.decode((Int64, String, String).self)
            ids[SeriesKey(sensor: sensor, metric: metric)] = id
        }
        let partitions = Set(try session.query("SELECT name FROM partitions").map { try $0.decode(String.self) })
        seriesIDs = ids
        existingPartitions = partitions
    }

    func inboxPosition() throws -> InboxPosition? {
        var binds = PostgresBindings()
        binds.append(collector)
        var values: [String: Int64] = [:]
        for row in try session.query("SELECT key, value FROM ingest_state WHERE collector = $1", binds) {
            let (key, value) = try row.decode((String, Int64).self)
            values[key] = value
        }
        guard let segment = values["inbox_segment"], let offset = values["inbox_offset"] else { return nil }
        return InboxPosition(segment: segment, offset: offset)
    }

    func write(_ batch: IngestBatch) throws -> BatchOutcome {
        // Partitions first, each in its own short transaction: creating one locks the parent
        // table, which a batch of another collector should wait for only that long.
        var days = Set(batch.readings.map { Partitioning.dayStart(of: $0.timestamp) })
        if let newest = days.max() { days.insert(newest + Partitioning.dayMilliseconds) }
        for day in days.sorted() { try ensurePartitions(dayStart: day) }
        let knownSeries = seriesIDs
        do {
            return try session.transaction { connection in try write(batch, on: connection) }
        } catch {
            // Ids created inside the rolled-back transaction are gone again: forget them at once
            // (a reading written under one would belong to no series), then ask the server, which
            // may have committed after all when the connection broke during COMMIT.
            seriesIDs = knownSeries
            try? reloadCaches()
            throw error
        }
    }

    private func write(_ batch: IngestBatch, on connection: PostgresSession.Connection) throws -> BatchOutcome {
        var readings = batch.readings
        var laterRevisions = BatchRules.applyRevisionsWithinBatch(batch.revisions, to: &readings)
        try resolveSeries(Set(readings.map(\.series)), on: connection)

        // One INSERT for the batch. Usually every reading is new: a plain INSERT, in a savepoint,
        // stores them all (no conflict check per row, nothing sent back). When one is already
        // stored (a replay, a redelivery, another collector, twice in the batch) it fails on the
        // unique key; then the batch goes in again with ON CONFLICT DO NOTHING, and RETURNING
        // says which (series, ts) were new. nil: every reading of the batch was new.
        let readingSeries = readings.map { seriesIDs[$0.series]! }
        // Sent in key order (stable: of two copies in the batch the first still goes first), so that
        // two collectors inserting the same readings wait for each other instead of deadlocking.
        let order = readings.indices.sorted {
            (readingSeries[$0], readings[$0].timestamp.milliseconds, $0)
                < (readingSeries[$1], readings[$1].timestamp.milliseconds, $1)
        }
        let sent = order.map { readings[$0] }
        var binds = PostgresBindings()
        binds.append(PostgresNumberArray(order.map { readingSeries[$0] }))
        binds.append(PostgresNumberArray(sent.map(\.timestamp.milliseconds)))
        binds.append(PostgresNumberArray(sent.map(\.value)))
        binds.append(PostgresNumberArray(sent.map { Int16($0.quality.rawValue) }))
        binds.append(PostgresNumberArray(sent.map { Int16($0.flaggedBy.rawValue) }))
        binds.append(PostgresNumberArray(sent.map { Int16($0.timeSource.rawValue) }))
        binds.append(PostgresNumberArray(sent.map { Int16($0.deviceStatus.rawValue) }))
        var inserted: Set<Key>?
        if !readings.isEmpty {
            let insert = """
                INSERT INTO readings (series, ts, value, quality, flagged_by, time_source, device_status)
                SELECT * FROM unnest($1::int8[], $2::int8[], $3::float8[], $4::int2[], $5::int2[], $6::int2[], $7::int2[])
                """
            try connection.execute("SAVEPOINT new_readings")
            do {
                try connection.execute(insert, binds)
                try connection.execute("RELEASE SAVEPOINT new_readings")
            } catch let error as PostgresStoreError where error.sqlState == "23505" {
                try connection.execute("ROLLBACK TO SAVEPOINT new_readings")
                var returned = Set<Key>()
                for row in try connection.query(insert + " ON CONFLICT DO NOTHING RETURNING series, ts", binds) {
                    let (series, ts) = try row.decode((Int64, Int64).self)
                    returned.insert(Key(series: series, ts: ts))
                }
                inserted = returned
            }
        }

        var minutes = RollupAccumulator(width: RollupResolution.minute.milliseconds)
        var newest: [Int64: Reading] = [:]
        var stored: [Reading] = []
        stored.reserveCapacity(inserted?.count ?? readings.count)
        var duplicates = batch.droppedDuplicates
        for (reading, seriesID) in zip(readings, readingSeries) {
            // The first copy in the batch is the stored one; later copies are duplicates.
            guard inserted == nil || inserted?.remove(Key(series: seriesID, ts: reading.timestamp.milliseconds)) != nil
            else {
                duplicates += 1
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
                minutes.add(series: seriesID, timestamp: reading.timestamp.milliseconds, value: reading.value)
            }
            if newest[seriesID].map({ $0.timestamp < reading.timestamp }) ?? true { newest[seriesID] = reading }
        }
        try upsert(minutes, into: "rollup_1m", on: connection)
        try upsert(minutes.merged(width: RollupResolution.hour.milliseconds), into: "rollup_1h", on: connection)
        try upsert(minutes.merged(width: RollupResolution.day.milliseconds), into: "rollup_1d", on: connection)
        try updateLatest(newest, on: connection)
        try updateSensors(newest.values, sites: batch.sites, on: connection)
        try apply(laterRevisions, on: connection)
        try insertRejects(batch.rejects, on: connection)
        try updateDelivery(batch.delivery, receivedAt: batch.receivedAt, on: connection)
        try increment(
            [
                ("readings_stored", stored.count), ("duplicates", duplicates), ("rejects", batch.rejects.count),
                ("batches", 1),
            ], on: connection)
        if let position = batch.inboxPosition {
            var binds = PostgresBindings()
            binds.append(collector)
            binds.append(position.segment)
            binds.append(position.offset)
            try connection.execute(
                """
                INSERT INTO ingest_state (collector, key, value) VALUES ($1, 'inbox_segment', $2), ($1, 'inbox_offset', $3)
                ON CONFLICT (collector, key) DO UPDATE SET value = excluded.value
                """, binds)
        }
        return BatchOutcome(stored: stored, duplicates: duplicates, rejects: batch.rejects.count)
    }

    private struct Key: Hashable {
        var series: Int64
        var ts: Int64
    }

    /// Ids for new series: inserted if no collector made them yet, then read back.
    private func resolveSeries(_ keys: Set<SeriesKey>, on connection: PostgresSession.Connection) throws {
        let missing = keys.filter { seriesIDs[$0] == nil }
        guard !missing.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(missing.map(\.sensor))
        binds.append(missing.map(\.metric))
        try connection.execute(
            "INSERT INTO series (sensor, metric) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
            binds)
        let rows = try connection.query(
            """
            SELECT s.id, s.sensor, s.metric FROM series s
            JOIN unnest($1::text[], $2::text[]) AS wanted (sensor, metric)
              ON s.sensor = wanted.sensor AND s.metric = wanted.metric
            """, binds)
        for row in rows {
            let (id, sensor, metric) = try row.decode((Int64, String, String).self)
            seriesIDs[SeriesKey(sensor: sensor, metric: metric)] = id
        }
    }

    /// The day's raw and minute partitions, made if missing (by any collector: IF NOT EXISTS,
    /// and a lost race for the catalogue row is harmless).
    private func ensurePartitions(dayStart: Int64) throws {
        for (parent, kind) in [("readings", Partitioning.Kind.raw), ("rollup_1m", .rollupMinute)] {
            let name = Partitioning.tableName(kind, dayStart: dayStart)
            guard !existingPartitions.contains(name) else { continue }
            let end = dayStart + Partitioning.dayMilliseconds
            try session.transaction { connection in
                // Serialises partition creation between collectors (CREATE ... IF NOT EXISTS
                // alone can still collide on the catalogue when two run at the same moment).
                try connection.execute("SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey + 1))")
                try connection.execute(
                    "CREATE TABLE IF NOT EXISTS \(name) PARTITION OF \(parent) FOR VALUES FROM (\(dayStart)) TO (\(end))"
                )
                var binds = PostgresBindings()
                binds.append(name)
                binds.append(kind.rawValue)
                binds.append(dayStart)
                binds.append(end)
                try connection.execute(
                    "INSERT INTO partitions (name, kind, start_ms, end_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    binds)
            }
            existingPartitions.insert(name)
        }
    }

    /// Merges the batch's cells into their rows (a cell's key is unique within the batch).
    private func upsert(
        _ accumulator: RollupAccumulator, into table: String, on connection: PostgresSession.Connection
    )
        throws
    {
        guard !accumulator.cells.isEmpty else { return }
        // Rows in key order, in this and every upsert below: two collectors updating the same rows
        // (a minute of one series received through both) in different orders deadlocked
        // (SQLSTATE 40P01, seen with two envmond on a shared subscription); in one order they queue.
        let cells = accumulator.cells.sorted { $0.key < $1.key }
        var binds = PostgresBindings()
        binds.append(cells.map(\.key.series))
        binds.append(cells.map(\.key.bucket))
        binds.append(cells.map(\.value.count))
        binds.append(cells.map(\.value.minimum))
        binds.append(cells.map(\.value.maximum))
        binds.append(cells.map(\.value.sum))
        binds.append(cells.map(\.value.lastTimestamp))
        binds.append(cells.map(\.value.lastValue))
        try connection.execute(
            """
            INSERT INTO \(table) AS t (series, bucket, count, min, max, sum, last_ts, last_value)
            SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::float8[], $5::float8[], $6::float8[],
                                 $7::int8[], $8::float8[])
            ON CONFLICT (series, bucket) DO UPDATE SET
                count = t.count + excluded.count,
                min = least(t.min, excluded.min),
                max = greatest(t.max, excluded.max),
                sum = t.sum + excluded.sum,
                last_value = CASE WHEN excluded.last_ts >= t.last_ts THEN excluded.last_value ELSE t.last_value END,
                last_ts = greatest(t.last_ts, excluded.last_ts)
            """, binds)
    }

    private func updateLatest(_ newest: [Int64: Reading], on connection: PostgresSession.Connection) throws {
        guard !newest.isEmpty else { return }
        let entries = newest.sorted { $0.key < $1.key }
        var binds = PostgresBindings()
        binds.append(entries.map(\.key))
        binds.append(entries.map(\.value.timestamp.milliseconds))
        binds.append(entries.map(\.value.value))
        binds.append(entries.map { Int16($0.value.quality.rawValue) })
        binds.append(entries.map { Int16($0.value.flaggedBy.rawValue) })
        try connection.execute(
            """
            INSERT INTO latest AS l (series, ts, value, quality, flagged_by)
            SELECT * FROM unnest($1::int8[], $2::int8[], $3::float8[], $4::int2[], $5::int2[])
            ON CONFLICT (series) DO UPDATE SET
                ts = excluded.ts, value = excluded.value, quality = excluded.quality, flagged_by = excluded.flagged_by
            WHERE excluded.ts >= l.ts
            """, binds)
    }

    private func updateSensors(
        _ newest: Dictionary<Int64, Reading>.Values, sites: [String: String], on connection: PostgresSession.Connection
    ) throws {
        var lastSeen: [String: Int64] = [:]
        for reading in newest {
            lastSeen[reading.series.sensor] = max(
                lastSeen[reading.series.sensor] ?? .min, reading.timestamp.milliseconds)
        }
        guard !lastSeen.isEmpty else { return }
        let entries = lastSeen.sorted { $0.key < $1.key }
        var binds = PostgresBindings()
        binds.append(entries.map(\.key))
        binds.append(entries.map { sites[$0.key] ?? "" })
        binds.append(entries.map(\.value))
        try connection.execute(
            """
            INSERT INTO sensors AS s (sensor, site, first_seen, last_seen)
            SELECT sensor, nullif(site, ''), seen, seen FROM unnest($1::text[], $2::text[], $3::int8[]) AS n (sensor, site, seen)
            ON CONFLICT (sensor) DO UPDATE SET
                site = coalesce(excluded.site, s.site),
                first_seen = least(s.first_seen, excluded.first_seen),
                last_seen = greatest(s.last_seen, excluded.last_seen)
            """, binds)
    }

    /// Settled QC verdicts on stored rows; when one moves a reading into or out of the roll-ups,
    /// its minute, hour and day buckets are rebuilt from the level below (rare: spikes).
    private func apply(_ revisions: [QualityRevision], on connection: PostgresSession.Connection) throws {
        for revision in revisions {
            guard let seriesID = seriesIDs[revision.series] else { continue }
            let ts = revision.timestamp.milliseconds
            var key = PostgresBindings()
            key.append(seriesID)
            key.append(ts)
            guard
                let previous = try connection.query("SELECT quality FROM readings WHERE series = $1 AND ts = $2", key)
                    .first.map({ try $0.decode(Int16.self) }),
                let previousQuality = QualityFlag(rawValue: UInt8(previous))
            else { continue }
            var binds = PostgresBindings()
            binds.append(Int16(revision.quality.rawValue))
            binds.append(Int16(revision.flaggedBy.rawValue))
            binds.append(seriesID)
            binds.append(ts)
            try connection.execute(
                "UPDATE readings SET quality = $1, flagged_by = $2 WHERE series = $3 AND ts = $4", binds)
            try connection.execute(
                "UPDATE latest SET quality = $1, flagged_by = $2 WHERE series = $3 AND ts = $4", binds)
            if BatchRules.includedInRollups(previousQuality) != BatchRules.includedInRollups(revision.quality) {
                try recomputeRollups(series: seriesID, around: revision.timestamp, on: connection)
            }
        }
    }

    private func recomputeRollups(
        series: Int64, around time: Timestamp, on connection: PostgresSession.Connection
    )
        throws
    {
        let minute = time.floored(toMultipleOf: RollupResolution.minute.milliseconds).milliseconds
        let hour = time.floored(toMultipleOf: RollupResolution.hour.milliseconds).milliseconds
        let day = Partitioning.dayStart(of: time)
        let included = "quality NOT IN (4, 9) AND time_source != 2 AND device_status = 0"
        try rebuild(
            "rollup_1m", series: series, bucket: minute, width: RollupResolution.minute.milliseconds,
            from: """
                SELECT count(*), min(value), max(value), sum(value),
                       (array_agg(ts ORDER BY ts DESC))[1], (array_agg(value ORDER BY ts DESC))[1]
                FROM readings WHERE series = $1 AND ts >= $2 AND ts < $3 AND \(included)
                """, on: connection)
        try rebuild(
            "rollup_1h", series: series, bucket: hour, width: RollupResolution.hour.milliseconds,
            from: Self.fromLowerLevel("rollup_1m"), on: connection)
        try rebuild(
            "rollup_1d", series: series, bucket: day, width: RollupResolution.day.milliseconds,
            from: Self.fromLowerLevel("rollup_1h"), on: connection)
    }

    private static func fromLowerLevel(_ table: String) -> String {
        """
        SELECT coalesce(sum(count), 0)::int8, min(min), max(max), sum(sum),
               (array_agg(last_ts ORDER BY last_ts DESC))[1], (array_agg(last_value ORDER BY last_ts DESC))[1]
        FROM \(table) WHERE series = $1 AND bucket >= $2 AND bucket < $3
        """
    }

    private func rebuild(
        _ table: String, series: Int64, bucket: Int64, width: Int64, from query: String,
        on connection: PostgresSession.Connection
    ) throws {
        var range = PostgresBindings()
        range.append(series)
        range.append(bucket)
        range.append(bucket + width)
        var key = PostgresBindings()
        key.append(series)
        key.append(bucket)
        try connection.execute("DELETE FROM \(table) WHERE series = $1 AND bucket = $2", key)
        try connection.execute(
            """
            INSERT INTO \(table) (series, bucket, count, min, max, sum, last_ts, last_value)
            SELECT $1, $2, c, mn, mx, sm, lt, lv FROM (\(query)) AS cell (c, mn, mx, sm, lt, lv) WHERE c > 0
            """, range)
    }

    private func insertRejects(_ rejects: [RejectRecord], on connection: PostgresSession.Connection) throws {
        guard !rejects.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(rejects.map(\.receivedAt.milliseconds))
        binds.append(rejects.map(\.topic))
        binds.append(rejects.map(\.reason.rawValue))
        binds.append(rejects.map(\.detail))
        binds.append(rejects.map { ByteBuffer(bytes: $0.payload) })
        try connection.execute(
            """
            INSERT INTO rejects (received_at, topic, reason, detail, payload)
            SELECT * FROM unnest($1::int8[], $2::text[], $3::text[], $4::text[], $5::bytea[])
            """, binds)
        var perReason: [String: Int] = [:]
        for reject in rejects { perReason["rejects." + reject.reason.rawValue, default: 0] += 1 }
        try increment(perReason.map { ($0.key, $0.value) }, on: connection)
        try enforceRejectBudget(on: connection)
    }

    /// Drops the oldest rejects while the table is over its row or byte budget, counted.
    private func enforceRejectBudget(on connection: PostgresSession.Connection) throws {
        var binds = PostgresBindings()
        binds.append(Int64(rejectBudget.maximumRows))
        binds.append(Int64(rejectBudget.maximumBytes))
        let dropped = try connection.query(
            """
            WITH ranked AS (
                SELECT id, row_number() OVER (ORDER BY id DESC) AS newer_rows,
                       sum(length(payload)) OVER (ORDER BY id DESC) AS newer_bytes
                FROM rejects)
            DELETE FROM rejects WHERE id IN (SELECT id FROM ranked WHERE newer_rows > $1 OR newer_bytes > $2)
            RETURNING id
            """, binds
        ).count
        try increment([("rejects_dropped", dropped)], on: connection)
    }

    private func updateDelivery(
        _ changes: [String: SensorDeliveryChange], receivedAt: Timestamp?, on connection: PostgresSession.Connection
    ) throws {
        guard !changes.isEmpty else { return }
        let entries = changes.sorted { $0.key < $1.key }
        var binds = PostgresBindings()
        binds.append(entries.map(\.key))
        // No NULL inside a bound array: Int64.min stands for "no seq in this batch".
        binds.append(entries.map { $0.value.lastSequence ?? .min })
        binds.append(entries.map { Int64($0.value.lastChecksum) })
        binds.append(entries.map(\.value.missing))
        binds.append(entries.map(\.value.duplicates))
        binds.append(entries.map(\.value.restarts))
        binds.append(entries.map(\.value.catchUpReadings))
        var daily = binds
        daily.append(Partitioning.dayStart(of: receivedAt ?? Timestamp(milliseconds: 0)))
        try connection.execute(
            """
            INSERT INTO sensor_delivery AS d
                (sensor, last_seq, last_checksum, seq_missing, seq_duplicates, seq_restarts, catch_up_readings)
            SELECT sensor, nullif(seq, -9223372036854775808), checksum, missing, duplicates, restarts, catch_up
            FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
                AS n (sensor, seq, checksum, missing, duplicates, restarts, catch_up)
            ON CONFLICT (sensor) DO UPDATE SET
                last_seq = coalesce(excluded.last_seq, d.last_seq),
                last_checksum = CASE WHEN excluded.last_seq IS NULL THEN d.last_checksum ELSE excluded.last_checksum END,
                seq_missing = d.seq_missing + excluded.seq_missing,
                seq_duplicates = d.seq_duplicates + excluded.seq_duplicates,
                seq_restarts = d.seq_restarts + excluded.seq_restarts,
                catch_up_readings = d.catch_up_readings + excluded.catch_up_readings
            """, binds)
        try connection.execute(
            """
            INSERT INTO sensor_delivery_daily AS d
                (sensor, day, seq_missing, seq_duplicates, seq_restarts, catch_up_readings)
            SELECT sensor, $8, missing, duplicates, restarts, catch_up
            FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
                AS n (sensor, seq, checksum, missing, duplicates, restarts, catch_up)
            WHERE missing <> 0 OR duplicates <> 0 OR restarts <> 0 OR catch_up <> 0
            ON CONFLICT (sensor, day) DO UPDATE SET
                seq_missing = d.seq_missing + excluded.seq_missing,
                seq_duplicates = d.seq_duplicates + excluded.seq_duplicates,
                seq_restarts = d.seq_restarts + excluded.seq_restarts,
                catch_up_readings = d.catch_up_readings + excluded.catch_up_readings
            """, daily)
        try increment([("sequence_duplicates", Int(entries.reduce(0) { $0 + $1.value.duplicates }))], on: connection)
    }

    private func increment(_ amounts: [(String, Int)], on connection: PostgresSession.Connection) throws {
        let nonzero = amounts.filter { $0.1 != 0 }
        guard !nonzero.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(nonzero.map(\.0))
        binds.append(nonzero.map { Int64($0.1) })
        try connection.execute(
            """
            INSERT INTO counters AS c (name, value) SELECT * FROM unnest($1::text[], $2::int8[])
            ON CONFLICT (name) DO UPDATE SET value = c.value + excluded.value
            """, binds)
    }

    // MARK: Figures and replays

    func sensorDelivery() throws -> [SensorDelivery] {
        try PostgresReadingQueries(session: session).sensorDelivery()
    }

    func newestTimes() throws -> [SeriesKey: Timestamp] {
        var result: [SeriesKey: Timestamp] = [:]
        for row in try session.query("SELECT s.sensor, s.metric, l.ts FROM latest l JOIN series s ON s.id = l.series") {
            let (sensor, metric, ts) = try row.decode((String, String, Int64).self)
            result[SeriesKey(sensor: sensor, metric: metric)] = Timestamp(milliseconds: ts)
        }
        return result
    }

    func recordDaemonStatistics(_ figures: [String: Double], at time: Timestamp) throws {
        guard !figures.isEmpty else { return }
        let entries = Array(figures)
        var binds = PostgresBindings()
        binds.append(collector)
        binds.append(entries.map(\.key))
        binds.append(entries.map(\.value))
        binds.append(time.milliseconds)
        try session.query(
            """
            INSERT INTO daemon_stats (collector, name, value, updated_at)
            SELECT $1, name, value, $4 FROM unnest($2::text[], $3::float8[]) AS n (name, value)
            ON CONFLICT (collector, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, binds)
    }
}
