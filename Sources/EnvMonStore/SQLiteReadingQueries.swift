internal import EnvMonCore
internal import Foundation
internal import GRDB

/// The read side: what the CLI and the report ask of the store. Safe to use from any thread.
struct SQLiteReadingQueries: ReadingQueries {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    /// Raw readings of one series in [from, to), oldest first, spanning day partitions.
    package func readings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int? = nil
    ) throws
        -> [StoredReading]
    {
        try rawReadings(of: series, from: from, to: to, condition: "", limit: limit)
    }

    /// Raw readings of one series in [from, to) across day partitions, oldest first, at most
    /// `limit`; `condition` is an extra SQL term (`AND ...`) built from constants only.
    func rawReadings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, condition: String, limit: Int?
    ) throws
        -> [StoredReading]
    {
        try database.read { db in
            guard let seriesID = try Self.seriesID(series, db) else { return [] }
            var result: [StoredReading] = []
            for table in try Self.partitions(.raw, from: from, to: to, db) {
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT ts, value, quality, flagged_by, time_source, device_status FROM \(table)
                        WHERE series = ? \(condition) AND ts >= ? AND ts < ? ORDER BY ts
                        """, arguments: [seriesID, from.milliseconds, to.milliseconds])
                while let row = try rows.next() {
                    result.append(Self.storedReading(series, row))
                    if let limit, result.count >= limit { return result }
                }
            }
            return result
        }
    }

    /// Every raw reading in [from, to), optionally of one sensor, ordered by time then series.
    package func export(from: Timestamp, to: Timestamp, sensor: String? = nil) throws -> [StoredReading] {
        try database.read { db in
            let series = try Self.seriesByID(db)
            var result: [StoredReading] = []
            for table in try Self.partitions(.raw, from: from, to: to, db) {
                let rows = try Row.fetchCursor(
                    db,
                    sql:
                        "SELECT ts, value, quality, flagged_by, time_source, device_status, series FROM \(table) WHERE ts >= ? AND ts < ? ORDER BY ts, series",
                    arguments: [from.milliseconds, to.milliseconds])
                while let row = try rows.next() {
                    guard let key = series[row[6]] else { continue }
                    if let sensor, key.sensor != sensor { continue }
                    result.append(Self.storedReading(key, row))
                }
            }
            return result
        }
    }

    /// Roll-up buckets of one series in [from, to) at a resolution, oldest first.
    package func rollups(
        of series: SeriesKey, resolution: RollupResolution, from: Timestamp, to: Timestamp
    ) throws
        -> [RollupPoint]
    {
        try database.read { db in
            guard let seriesID = try Self.seriesID(series, db) else { return [] }
            let tables = try resolution.table.map { [$0] } ?? Self.partitions(.rollupMinute, from: from, to: to, db)
            return try Self.rollupPoints(
                of: series, id: seriesID, in: tables,
                from: from.floored(toMultipleOf: resolution.milliseconds), to: to, db)
        }
    }

    /// Every sensor that ever reported, with the metrics it reported.
    package func sensors() throws -> [SensorRecord] {
        try database.read { db in
            var metrics: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT sensor, metric FROM series ORDER BY sensor, metric") {
                metrics[row[0], default: []].append(row[1])
            }
            return try Row.fetchAll(db, sql: "SELECT sensor, site, first_seen, last_seen FROM sensors ORDER BY sensor")
                .map { row in
                    SensorRecord(
                        sensor: row[0], site: row[1], firstSeen: Timestamp(milliseconds: row[2]),
                        lastSeen: Timestamp(milliseconds: row[3]), metrics: metrics[row[0]] ?? [])
                }
        }
    }

    /// The newest reading of every series, optionally of one site or sensor.
    package func latest(site: String? = nil, sensor: String? = nil) throws -> [LatestValue] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.sensor, s.metric, n.site, l.ts, l.value, l.quality
                    FROM latest l JOIN series s ON s.id = l.series LEFT JOIN sensors n ON n.sensor = s.sensor
                    WHERE (:site IS NULL OR n.site = :site) AND (:sensor IS NULL OR s.sensor = :sensor)
                    ORDER BY n.site, s.sensor, s.metric
                    """, arguments: ["site": site, "sensor": sensor]
            ).map { row in
                LatestValue(
                    series: SeriesKey(sensor: row[0], metric: row[1]), site: row[2],
                    timestamp: Timestamp(milliseconds: row[3]), value: row[4],
                    quality: QualityFlag(rawValue: UInt8(row[5] as Int)) ?? .notEvaluated)
            }
        }
    }

    /// Rejected messages, newest first.
    package func rejects(
        since: Timestamp? = nil, reason: RejectReason? = nil, limit: Int = 1000
    ) throws
        -> [RejectRecord]
    {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT received_at, topic, reason, detail, payload FROM rejects
                    WHERE (:since IS NULL OR received_at >= :since) AND (:reason IS NULL OR reason = :reason)
                    ORDER BY received_at DESC, id DESC LIMIT :limit
                    """, arguments: ["since": since?.milliseconds, "reason": reason?.rawValue, "limit": limit]
            ).map { row in
                let payload: Data = row[4]
                return RejectRecord(
                    receivedAt: Timestamp(milliseconds: row[0]), topic: row[1],
                    reason: RejectReason(rawValue: row[2]) ?? .undecodable, detail: row[3], payload: Array(payload))
            }
        }
    }

    /// Queues a replay of rejected messages for the running daemon (the CLI's only other write,
    /// like an acknowledgement: the CLI never writes readings). Needs a writable connection.
    package func queueReplay(reason: RejectReason?, since: Timestamp?, dryRun: Bool, at time: Timestamp) throws -> Int64
    {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO reject_replay_requests (reason, since, dry_run, requested_at) VALUES (?, ?, ?, ?)",
                arguments: [reason?.rawValue, since?.milliseconds, dryRun, time.milliseconds])
            return db.lastInsertedRowID
        }
    }

    /// A replay request and, once the daemon has carried it out, its results.
    package func replayRequest(id: Int64) throws -> RejectReplayRequest? {
        try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT reason, since, dry_run, status, result, detail FROM reject_replay_requests WHERE id = ?",
                    arguments: [id])
            else { return nil }
            var results: [RejectReason: ReplayCounts] = [:]
            if let text: String = row[4],
                let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [Int]]
            {
                for (name, counts) in object where counts.count == 3 {
                    if let reason = RejectReason(rawValue: name) {
                        results[reason] = ReplayCounts(
                            stored: counts[0], stillRefused: counts[1], alreadyPresent: counts[2])
                    }
                }
            }
            return RejectReplayRequest(
                id: id, reason: (row[0] as String?).flatMap(RejectReason.init(rawValue:)),
                since: (row[1] as Int64?).map { Timestamp(milliseconds: $0) }, dryRun: row[2], status: row[3],
                results: results, detail: row[5])
        }
    }

    /// How many raw readings of a series are stored in [from, to), counted from the partitions.
    package func count(of series: SeriesKey? = nil, from: Timestamp, to: Timestamp) throws -> Int {
        try database.read { db in
            let seriesID: Int64? = try series.flatMap { try Self.seriesID($0, db) }
            if series != nil, seriesID == nil { return 0 }
            var total = 0
            for table in try Self.partitions(.raw, from: from, to: to, db) {
                total +=
                    try Int.fetchOne(
                        db,
                        sql: "SELECT count(*) FROM \(table) WHERE ts >= ? AND ts < ? AND (? IS NULL OR series = ?)",
                        arguments: [from.milliseconds, to.milliseconds, seriesID, seriesID]) ?? 0
            }
            return total
        }
    }

    package func statistics() throws -> StoreStatistics {
        try database.read { db in
            var counters: [String: Int64] = [:]
            var rejectsByReason: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") {
                let name: String = row[0]
                if name.hasPrefix("rejects.") {
                    rejectsByReason[String(name.dropFirst("rejects.".count))] = row[1]
                } else {
                    counters[name] = row[1]
                }
            }
            var daemon: [String: Double] = [:]
            var daemonUpdatedAt: Int64?
            for row in try Row.fetchAll(db, sql: "SELECT name, value, updated_at FROM daemon_stats") {
                daemon[row[0]] = row[1]
                daemonUpdatedAt = max(daemonUpdatedAt ?? .min, row[2])
            }
            let range = try Row.fetchOne(
                db, sql: "SELECT count(*), min(start_ms), max(start_ms) FROM partitions WHERE kind = 'raw'")
            let pageCount = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return StoreStatistics(
                counters: counters, rejectsByReason: rejectsByReason,
                series: try Int.fetchOne(db, sql: "SELECT count(*) FROM series") ?? 0,
                sensors: try Int.fetchOne(db, sql: "SELECT count(*) FROM sensors") ?? 0,
                rawPartitions: range?[0] ?? 0,
                oldestPartition: (range?[1] as Int64?).map { Timestamp(milliseconds: $0) },
                newestPartition: (range?[2] as Int64?).map { Timestamp(milliseconds: $0) },
                databaseBytes: pageCount * pageSize, daemon: daemon,
                daemonUpdatedAt: daemonUpdatedAt.map { Timestamp(milliseconds: $0) })
        }
    }

    /// The buckets of one series in [from, to) from each of `tables` (roll-up partitions, oldest first).
    static func rollupPoints(
        of series: SeriesKey, id seriesID: Int64, in tables: [String], from: Timestamp, to: Timestamp, _ db: Database
    ) throws -> [RollupPoint] {
        var points: [RollupPoint] = []
        for table in tables {
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT bucket, count, min, max, sum, last_ts, last_value FROM \(table)
                    WHERE series = ? AND bucket >= ? AND bucket < ? ORDER BY bucket
                    """,
                arguments: [seriesID, from.milliseconds, to.milliseconds])
            while let row = try rows.next() {
                points.append(
                    RollupPoint(
                        series: series, bucket: Timestamp(milliseconds: row[0]), count: row[1], minimum: row[2],
                        maximum: row[3], sum: row[4], lastTimestamp: Timestamp(milliseconds: row[5]),
                        lastValue: row[6]))
            }
        }
        return points
    }

    static func seriesID(_ series: SeriesKey, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db, sql: "SELECT id FROM series WHERE sensor = ? AND metric = ?", arguments: [series.sensor, series.metric])
    }

    static func seriesByID(_ db: Database) throws -> [Int64: SeriesKey] {
        var result: [Int64: SeriesKey] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, sensor, metric FROM series") {
            result[row[0]] = SeriesKey(sensor: row[1], metric: row[2])
        }
        return result
    }

    /// Partition tables of a kind overlapping [from, to), oldest first.
    static func partitions(_ kind: Partitioning.Kind, from: Timestamp, to: Timestamp, _ db: Database) throws -> [String]
    {
        try String.fetchAll(
            db,
            sql: "SELECT name FROM partitions WHERE kind = ? AND end_ms > ? AND start_ms < ? ORDER BY start_ms",
            arguments: [kind.rawValue, from.milliseconds, to.milliseconds])
    }

    static func storedReading(_ series: SeriesKey, _ row: Row) -> StoredReading {
        StoredReading(
            series: series, timestamp: Timestamp(milliseconds: row[0]), value: row[1],
            quality: QualityFlag(rawValue: UInt8(row[2] as Int)) ?? .notEvaluated,
            flaggedBy: QCTests(rawValue: UInt8(row[3] as Int)),
            timeSource: TimeSource(rawValue: UInt8(clamping: row[4] as Int)) ?? .device,
            deviceStatus: DeviceStatus(rawValue: UInt8(clamping: row[5] as Int)) ?? .measuring)
    }

    /// Every sensor's delivery figures (`seq` gaps and repeats, catch-up readings), by sensor.
    package func sensorDelivery() throws -> [SensorDelivery] {
        try database.read { db in try Self.sensorDelivery(db) }
    }

    /// Delivery counts per sensor for the days of receipt in [from, to) (UTC days), by sensor.
    package func sensorDelivery(from: Timestamp, to: Timestamp) throws -> [String: SensorDelivery] {
        try database.read { db in
            guard try db.tableExists("sensor_delivery_daily") else { return [:] }
            var result: [String: SensorDelivery] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT sensor, sum(seq_missing), sum(seq_duplicates), sum(seq_restarts), sum(catch_up_readings)
                    FROM sensor_delivery_daily WHERE day >= ? AND day < ? GROUP BY sensor
                    """, arguments: [Partitioning.dayStart(of: from), to.milliseconds])
            while let row = try rows.next() {
                let sensor: String = row[0]
                result[sensor] = SensorDelivery(
                    sensor: sensor, lastSequence: nil, missing: row[1], duplicates: row[2], restarts: row[3],
                    catchUpReadings: row[4])
            }
            return result
        }
    }

    static func sensorDelivery(_ db: Database) throws -> [SensorDelivery] {
        // A database the daemon has not migrated yet (the CLI opens read-only) has no figures.
        guard try db.tableExists("sensor_delivery") else { return [] }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT sensor, last_seq, last_checksum, seq_missing, seq_duplicates, seq_restarts, catch_up_readings
                FROM sensor_delivery ORDER BY sensor
                """
        ).map { row in
            SensorDelivery(
                sensor: row[0], lastSequence: row[1], lastChecksum: UInt32(truncatingIfNeeded: row[2] as Int64),
                missing: row[3], duplicates: row[4], restarts: row[5], catchUpReadings: row[6])
        }
    }
}
