internal import EnvMonCore
internal import Foundation
internal import PostgresNIO

/// The read side on PostgreSQL: what `SQLiteReadingQueries` answers, answered the same way (same
/// order, limits, empty cases and figures), so a caller cannot tell the backends apart.
///
/// Where SQLite reads day partitions one by one from the catalogue, PostgreSQL reads the
/// partitioned parent (`readings`, `rollup_1m`) and prunes to the days itself; the rows and their
/// order are the same. Text is ordered `COLLATE "C"`: SQLite compares text bytewise, and a
/// server's default collation (en_US and the like) would order `_`, `-` and capitals otherwise.
/// NULLs sort first where SQLite would put them first (PostgreSQL puts them last by default).
struct PostgresReadingQueries: ReadingQueries {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    /// Runs `body` in one read-only snapshot: several statements that must agree (the figures of
    /// `envmon stats`, the report's period) see the same commits, as SQLite's read transaction does.
    func snapshot<Result>(_ body: (PostgresSession.Connection) throws -> Result) throws -> Result {
        try session.transaction { connection in
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body(connection)
        }
    }

    /// The id of a series as a scalar subquery on `$1` (sensor) and `$2` (metric): NULL for an
    /// unknown series, so the statement finds nothing, as SQLite's lookup-then-return-empty does.
    static let seriesIDOf = "(SELECT id FROM series WHERE sensor = $1 AND metric = $2)"

    package func readings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int? = nil
    ) throws
        -> [StoredReading]
    {
        try rawReadings(of: series, from: from, to: to, condition: "", limit: limit)
    }

    /// Raw readings of one series in [from, to), oldest first, at most `limit`; `condition` is an
    /// extra SQL term (`AND ...`) built from constants only.
    func rawReadings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, condition: String, limit: Int?
    ) throws
        -> [StoredReading]
    {
        var binds = PostgresBindings()
        binds.append(series.sensor)
        binds.append(series.metric)
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        // SQLite's loop appends a row before it checks the limit, so a limit below 1 still yields
        // the first row; kept, so both backends answer alike. NULL is LIMIT ALL.
        binds.append(limit.map { Int64(max($0, 1)) })
        return try session.query(
            """
            SELECT ts, value, quality, flagged_by, time_source, device_status FROM readings
            WHERE series = \(Self.seriesIDOf) \(condition) AND ts >= $3 AND ts < $4 ORDER BY ts LIMIT $5
            """, binds
        ).map { row in try Self.storedReading(series, row) }
    }

    /// Ordered by time, then series id as in SQLite: ids are given in order of first sight, which
    /// may differ between two stores fed the same data, so ties at one instant may too.
    package func export(from: Timestamp, to: Timestamp, sensor: String? = nil) throws -> [StoredReading] {
        var binds = PostgresBindings()
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        binds.append(sensor)
        return try session.query(
            """
            SELECT r.ts, r.value, r.quality, r.flagged_by, r.time_source, r.device_status, s.sensor, s.metric
            FROM readings r JOIN series s ON s.id = r.series
            WHERE r.ts >= $1 AND r.ts < $2 AND ($3::text IS NULL OR s.sensor = $3::text)
            ORDER BY r.ts, r.series
            """, binds
        ).map { row in
            let columns = try row.decode((Int64, Double, Int16, Int16, Int16, Int16, String, String).self)
            return Self.storedReading(
                SeriesKey(sensor: columns.6, metric: columns.7),
                (columns.0, columns.1, columns.2, columns.3, columns.4, columns.5))
        }
    }

    package func rollups(
        of series: SeriesKey, resolution: RollupResolution, from: Timestamp, to: Timestamp
    ) throws
        -> [RollupPoint]
    {
        var binds = PostgresBindings()
        binds.append(series.sensor)
        binds.append(series.metric)
        binds.append(from.floored(toMultipleOf: resolution.milliseconds).milliseconds)
        binds.append(to.milliseconds)
        return try session.query(
            """
            SELECT bucket, count, min, max, sum, last_ts, last_value FROM \(Self.table(resolution))
            WHERE series = \(Self.seriesIDOf) AND bucket >= $3 AND bucket < $4 ORDER BY bucket
            """, binds
        ).map { row in
            let (bucket, count, minimum, maximum, sum, lastTS, lastValue) = try row.decode(
                (Int64, Int64, Double, Double, Double, Int64, Double).self)
            return RollupPoint(
                series: series, bucket: Timestamp(milliseconds: bucket), count: Int(count), minimum: minimum,
                maximum: maximum, sum: sum, lastTimestamp: Timestamp(milliseconds: lastTS), lastValue: lastValue)
        }
    }

    /// One statement (so one snapshot): each sensor with its metrics aggregated in order.
    package func sensors() throws -> [SensorRecord] {
        try session.query(
            """
            SELECT n.sensor, n.site, n.first_seen, n.last_seen,
                   coalesce(array_agg(s.metric ORDER BY s.metric COLLATE "C") FILTER (WHERE s.metric IS NOT NULL),
                            '{}')
            FROM sensors n LEFT JOIN series s ON s.sensor = n.sensor
            GROUP BY n.sensor, n.site, n.first_seen, n.last_seen ORDER BY n.sensor COLLATE "C"
            """
        ).map { row in
            let (sensor, site, firstSeen, lastSeen, metrics) = try row.decode(
                (String, String?, Int64, Int64, [String]).self)
            return SensorRecord(
                sensor: sensor, site: site, firstSeen: Timestamp(milliseconds: firstSeen),
                lastSeen: Timestamp(milliseconds: lastSeen), metrics: metrics)
        }
    }

    package func latest(site: String? = nil, sensor: String? = nil) throws -> [LatestValue] {
        var binds = PostgresBindings()
        binds.append(site)
        binds.append(sensor)
        return try session.query(
            """
            SELECT s.sensor, s.metric, n.site, l.ts, l.value, l.quality
            FROM latest l JOIN series s ON s.id = l.series LEFT JOIN sensors n ON n.sensor = s.sensor
            WHERE ($1::text IS NULL OR n.site = $1::text) AND ($2::text IS NULL OR s.sensor = $2::text)
            ORDER BY n.site COLLATE "C" NULLS FIRST, s.sensor COLLATE "C", s.metric COLLATE "C"
            """, binds
        ).map { row in
            let (sensor, metric, site, ts, value, quality) = try row.decode(
                (String, String, String?, Int64, Double, Int16).self)
            return LatestValue(
                series: SeriesKey(sensor: sensor, metric: metric), site: site, timestamp: Timestamp(milliseconds: ts),
                value: value, quality: QualityFlag(rawValue: UInt8(clamping: quality)) ?? .notEvaluated)
        }
    }

    package func rejects(
        since: Timestamp? = nil, reason: RejectReason? = nil, limit: Int = 1000
    ) throws
        -> [RejectRecord]
    {
        var binds = PostgresBindings()
        binds.append(since?.milliseconds)
        binds.append(reason?.rawValue)
        // SQLite reads a negative LIMIT as none; PostgreSQL refuses one, and reads NULL as none.
        binds.append(limit < 0 ? nil : Int64(limit))
        return try session.query(
            """
            SELECT received_at, topic, reason, detail, payload FROM rejects
            WHERE ($1::int8 IS NULL OR received_at >= $1::int8) AND ($2::text IS NULL OR reason = $2::text)
            ORDER BY received_at DESC, id DESC LIMIT $3
            """, binds
        ).map { row in
            let (receivedAt, topic, reason, detail, payload) = try row.decode(
                (Int64, String, String, String, ByteBuffer).self)
            return RejectRecord(
                receivedAt: Timestamp(milliseconds: receivedAt), topic: topic,
                reason: RejectReason(rawValue: reason) ?? .undecodable, detail: detail,
                payload: payload.readableBytesView)
        }
    }

    /// The CLI's one write besides acknowledgements, as with SQLite: needs a session that may write.
    package func queueReplay(reason: RejectReason?, since: Timestamp?, dryRun: Bool, at time: Timestamp) throws -> Int64
    {
        var binds = PostgresBindings()
        binds.append(reason?.rawValue)
        binds.append(since?.milliseconds)
        binds.append(dryRun)
        binds.append(time.milliseconds)
        guard
            let row = try session.query(
                """
                INSERT INTO reject_replay_requests (reason, since, dry_run, requested_at)
                VALUES ($1::text, $2::int8, $3, $4) RETURNING id
                """, binds
            ).first
        else { throw StoreError(.invalidArgument, "\(session.location): the replay request was not queued") }
        return try row.decode(Int64.self)
    }

    package func replayRequest(id: Int64) throws -> RejectReplayRequest? {
        var binds = PostgresBindings()
        binds.append(id)
        guard
            let row = try session.query(
                "SELECT reason, since, dry_run, status, result, detail FROM reject_replay_requests WHERE id = $1",
                binds
            ).first
        else { return nil }
        let (reason, since, dryRun, status, result, detail) = try row.decode(
            (String?, Int64?, Bool, String, String?, String?).self)
        return RejectReplayRequest(
            id: id, reason: reason.flatMap(RejectReason.init(rawValue:)),
            since: since.map { Timestamp(milliseconds: $0) }, dryRun: dryRun, status: status,
            results: Self.replayResults(result), detail: detail)
    }

    /// The daemon's per-reason outcome, stored as `{"reason":[stored,stillRefused,alreadyPresent]}`
    /// by either backend; what cannot be read is left out, as SQLite's reader does.
    static func replayResults(_ text: String?) -> [RejectReason: ReplayCounts] {
        guard let text,
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [Int]]
        else { return [:] }
        var results: [RejectReason: ReplayCounts] = [:]
        for (name, counts) in object where counts.count == 3 {
            if let reason = RejectReason(rawValue: name) {
                results[reason] = ReplayCounts(stored: counts[0], stillRefused: counts[1], alreadyPresent: counts[2])
            }
        }
        return results
    }

    package func count(of series: SeriesKey? = nil, from: Timestamp, to: Timestamp) throws -> Int {
        var binds = PostgresBindings()
        let sql: String
        if let series {
            binds.append(series.sensor)
            binds.append(series.metric)
            binds.append(from.milliseconds)
            binds.append(to.milliseconds)
            sql = "SELECT count(*) FROM readings WHERE series = \(Self.seriesIDOf) AND ts >= $3 AND ts < $4"
        } else {
            binds.append(from.milliseconds)
            binds.append(to.milliseconds)
            sql = "SELECT count(*) FROM readings WHERE ts >= $1 AND ts < $2"
        }
        return Int(try session.query(sql, binds).first?.decode(Int64.self) ?? 0)
    }

    /// The figures of `envmon stats`, in one snapshot as SQLite's read transaction gives them.
    ///
    /// `databaseBytes` is `pg_database_size` of the current database (tables, indexes, TOAST and
    /// free space in them; no WAL): a PostgreSQL database has no page count times page size.
    ///
    /// `daemon_stats` holds one snapshot per collector. Per name the newest row is taken (ties to
    /// the first collector by name), not a sum: the figures are one process's gauges and counters
    /// since its start, and a sum would make `running` 2 with two collectors (the replay command
    /// checks `running == 1`) and add up latencies and capacities that do not add. With one
    /// collector this is exactly SQLite's table; `daemonUpdatedAt` is the newest row's time, as there.
    package func statistics() throws -> StoreStatistics {
        try snapshot { connection in
            var counters: [String: Int64] = [:]
            var rejectsByReason: [String: Int64] = [:]
            for row in try connection.query("SELECT name, value FROM counters") {
                let (name, value) = try row.decode((String, Int64).self)
                if name.hasPrefix("rejects.") {
                    rejectsByReason[String(name.dropFirst("rejects.".count))] = value
                } else {
                    counters[name] = value
                }
            }
            var daemon: [String: Double] = [:]
            var daemonUpdatedAt: Int64?
            for row in try connection.query(
                """
                SELECT DISTINCT ON (name) name, value, updated_at FROM daemon_stats
                ORDER BY name, updated_at DESC, collector COLLATE "C"
                """)
            {
                let (name, value, updatedAt) = try row.decode((String, Double, Int64).self)
                daemon[name] = value
                daemonUpdatedAt = max(daemonUpdatedAt ?? .min, updatedAt)
            }
            // Raw partitions that hold a reading: the PostgreSQL writer makes each day's partition a
            // day ahead, and an empty one made ahead is no day of data (SQLite makes a day's table
            // with its first reading, so there every partition holds one). LIMIT 1 in a LATERAL
            // subquery, not EXISTS: the planner then reads the one pruned partition until its first
            // row, where for EXISTS it chose a bitmap scan of the partition's whole key index.
            let figures = try connection.query(
                """
                WITH kept AS (
                    SELECT start_ms FROM partitions p
                    CROSS JOIN LATERAL (SELECT 1 FROM readings r WHERE r.ts >= p.start_ms AND r.ts < p.end_ms LIMIT 1) AS one
                    WHERE kind = 'raw')
                SELECT (SELECT count(*) FROM series), (SELECT count(*) FROM sensors),
                       (SELECT count(*) FROM kept), (SELECT min(start_ms) FROM kept), (SELECT max(start_ms) FROM kept),
                       pg_database_size(current_database())
                """
            ).first
            guard let figures else {
                throw StoreError(.invalidArgument, "\(session.location): the store's figures could not be read")
            }
            let (series, sensors, partitions, oldest, newest, bytes) = try figures.decode(
                (Int64, Int64, Int64, Int64?, Int64?, Int64).self)
            return StoreStatistics(
                counters: counters, rejectsByReason: rejectsByReason, series: Int(series), sensors: Int(sensors),
                rawPartitions: Int(partitions), oldestPartition: oldest.map { Timestamp(milliseconds: $0) },
                newestPartition: newest.map { Timestamp(milliseconds: $0) }, databaseBytes: bytes, daemon: daemon,
                daemonUpdatedAt: daemonUpdatedAt.map { Timestamp(milliseconds: $0) })
        }
    }

    /// Every sensor's delivery figures, by sensor. (SQLite first checks that the table exists, for
    /// files made before it; every PostgreSQL schema has it from v1.)
    package func sensorDelivery() throws -> [SensorDelivery] {
        try session.query(
            """
            SELECT sensor, last_seq, last_checksum, seq_missing, seq_duplicates, seq_restarts, catch_up_readings
            FROM sensor_delivery ORDER BY sensor COLLATE "C"
            """
        ).map { row in
            let (sensor, lastSequence, checksum, missing, duplicates, restarts, catchUp) = try row.decode(
                (String, Int64?, Int64, Int64, Int64, Int64, Int64).self)
            return SensorDelivery(
                sensor: sensor, lastSequence: lastSequence, lastChecksum: UInt32(truncatingIfNeeded: checksum),
                missing: missing, duplicates: duplicates, restarts: restarts, catchUpReadings: catchUp)
        }
    }

    /// Delivery counts per sensor for the days of receipt in [from, to) (UTC days). The sums are
    /// cast back to int8: PostgreSQL sums bigints as numeric.
    package func sensorDelivery(from: Timestamp, to: Timestamp) throws -> [String: SensorDelivery] {
        var binds = PostgresBindings()
        binds.append(Partitioning.dayStart(of: from))
        binds.append(to.milliseconds)
        var result: [String: SensorDelivery] = [:]
        for row in try session.query(
            """
            SELECT sensor, sum(seq_missing)::int8, sum(seq_duplicates)::int8, sum(seq_restarts)::int8,
                   sum(catch_up_readings)::int8
            FROM sensor_delivery_daily WHERE day >= $1 AND day < $2 GROUP BY sensor
            """, binds)
        {
            let (sensor, missing, duplicates, restarts, catchUp) = try row.decode(
                (String, Int64, Int64, Int64, Int64).self)
            result[sensor] = SensorDelivery(
                sensor: sensor, lastSequence: nil, missing: missing, duplicates: duplicates, restarts: restarts,
                catchUpReadings: catchUp)
        }
        return result
    }

    /// What the load runs poll, as `SQLiteReadingQueries+LoadTools` answers it.
    package func counters() throws -> [String: Int64] {
        var counters: [String: Int64] = [:]
        for row in try session.query("SELECT name, value FROM counters") {
            let (name, value) = try row.decode((String, Int64).self)
            counters[name] = value
        }
        return counters
    }

    /// Rows of the sensors prefixed `prefix` in [from, to) and, when asked, their distinct values
    /// (an untimed load run's value is its sequence number, so rows minus distinct values were
    /// stored twice). The same prefix bounds as SQLite, compared bytewise (`COLLATE "C"`); with no
    /// rows it is (0, 0) or (0, nil), as SQLite answers with no partition in the range.
    package func storedReadings(
        sensorsPrefixed prefix: String, from: Timestamp, to: Timestamp, distinctValues: Bool
    ) throws -> (rows: Int, distinctValues: Int?) {
        var binds = PostgresBindings()
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        binds.append(prefix)
        binds.append(prefix + "\u{10FFFF}")
        let row = try session.query(
            """
            SELECT count(*), \(distinctValues ? "count(DISTINCT value)" : "NULL::int8") FROM readings
            WHERE ts >= $1 AND ts < $2
              AND series IN (SELECT id FROM series WHERE sensor >= $3 COLLATE "C" AND sensor < $4 COLLATE "C")
            """, binds
        ).first
        // An aggregate without GROUP BY always returns its one row.
        guard let row else { return (0, distinctValues ? 0 : nil) }
        let (rows, distinct) = try row.decode((Int64, Int64?).self)
        return (Int(rows), distinct.map { Int($0) })
    }

    // MARK: Helpers

    /// The table of a roll-up level: minutes are the partitioned `rollup_1m`, whose day partitions
    /// PostgreSQL picks itself.
    static func table(_ resolution: RollupResolution) -> String { resolution.table ?? "rollup_1m" }

    static func storedReading(_ series: SeriesKey, _ row: PostgresRow) throws -> StoredReading {
        storedReading(series, try row.decode((Int64, Double, Int16, Int16, Int16, Int16).self))
    }

    static func storedReading(
        _ series: SeriesKey, _ columns: (Int64, Double, Int16, Int16, Int16, Int16)
    ) -> StoredReading {
        let (ts, value, quality, flaggedBy, timeSource, deviceStatus) = columns
        return StoredReading(
            series: series, timestamp: Timestamp(milliseconds: ts), value: value,
            quality: QualityFlag(rawValue: UInt8(clamping: quality)) ?? .notEvaluated,
            flaggedBy: QCTests(rawValue: UInt8(clamping: flaggedBy)),
            timeSource: TimeSource(rawValue: UInt8(clamping: timeSource)) ?? .device,
            deviceStatus: DeviceStatus(rawValue: UInt8(clamping: deviceStatus)) ?? .measuring)
    }
}
