internal import EnvMonCore
internal import Foundation
public import GRDB

/// The single writer: stores batches of readings, one transaction each, idempotent on
/// (series, timestamp), keeping roll-ups, latest values, sensors, rejects and counters in step.
///
/// Owned by the ingest thread; not shared.
public final class ReadingWriter {
    public let database: DatabaseQueue
    private var seriesIDs: [SeriesKey: Int64] = [:]
    private var existingPartitions: Set<String> = []

    public init(database: DatabaseQueue) throws {
        self.database = database
        try reloadCaches()
    }

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
    public func inboxPosition() throws -> InboxPosition? {
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
    public func write(_ batch: IngestBatch) throws -> BatchOutcome {
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
            throw error
        }
    }

    private func write(_ batch: IngestBatch, in db: Database) throws -> BatchOutcome {
        var readings = batch.readings
        var laterRevisions = applyRevisionsWithinBatch(batch.revisions, to: &readings)

        var minutes = RollupAccumulator(width: RollupResolution.minute.milliseconds)
        var hours = RollupAccumulator(width: RollupResolution.hour.milliseconds)
        var days = RollupAccumulator(width: RollupResolution.day.milliseconds)
        var newest: [Int64: Reading] = [:]
        var lastSeen: [String: Int64] = [:]
        var stored: [Reading] = []
        stored.reserveCapacity(readings.count)
        var duplicates = 0

        for reading in readings {
            let seriesID = try id(of: reading.series, in: db)
            let table = try partition(.raw, for: reading.timestamp, in: db)
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO \(table) (ts, series, value, quality, flagged_by) VALUES (?, ?, ?, ?, ?)")
            let ts = reading.timestamp.milliseconds
            try insert.execute(arguments: [
                ts, seriesID, reading.value, Int(reading.quality.rawValue), Int(reading.flaggedBy.rawValue),
            ])
            guard db.changesCount == 1 else {
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
            if Self.includedInRollups(reading.quality) {
                minutes.add(series: seriesID, timestamp: ts, value: reading.value)
                hours.add(series: seriesID, timestamp: ts, value: reading.value)
                days.add(series: seriesID, timestamp: ts, value: reading.value)
            }
            if newest[seriesID].map({ $0.timestamp < reading.timestamp }) ?? true { newest[seriesID] = reading }
            lastSeen[reading.series.sensor] = max(lastSeen[reading.series.sensor] ?? .min, ts)
        }

        try flushMinutes(minutes, in: db)
        try flush(hours, table: "rollup_1h", in: db)
        try flush(days, table: "rollup_1d", in: db)
        try updateLatest(newest, in: db)
        try updateSensors(lastSeen, sites: batch.sites, in: db)
        try apply(laterRevisions, in: db)
        try insertRejects(batch.rejects, in: db)

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

    /// Fail and missing values stay in the raw table (with their flag) but out of roll-ups, so
    /// means and extremes are not polluted by impossible values.
    static func includedInRollups(_ quality: QualityFlag) -> Bool {
        quality != .fail && quality != .missing
    }

    /// A revision for a reading in the same batch is applied before it is inserted; the rest are
    /// returned to be applied to stored rows.
    private func applyRevisionsWithinBatch(
        _ revisions: [QualityRevision], to readings: inout [Reading]
    )
        -> [QualityRevision]
    {
        guard !revisions.isEmpty else { return [] }
        var position: [SeriesKey: [Int64: Int]] = [:]
        for (index, reading) in readings.enumerated() {
            position[reading.series, default: [:]][reading.timestamp.milliseconds] = index
        }
        var remaining: [QualityRevision] = []
        for revision in revisions {
            if let index = position[revision.series]?[revision.timestamp.milliseconds] {
                readings[index].quality = revision.quality
                readings[index].flaggedBy = revision.flaggedBy
            } else {
                remaining.append(revision)
            }
        }
        return remaining
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
        for (key, cell) in accumulator.cells {
            let table = try partition(.rollupMinute, for: Timestamp(milliseconds: key.bucket), in: db)
            try upsert(cell, key: key, table: table, in: db)
        }
    }

    private func flush(_ accumulator: RollupAccumulator, table: String, in db: Database) throws {
        for (key, cell) in accumulator.cells { try upsert(cell, key: key, table: table, in: db) }
    }

    private func upsert(_ cell: RollupCell, key: RollupAccumulator.Key, table: String, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (series, bucket, count, min, max, sum, last_ts, last_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) \(Self.mergeClause)
                """)
        try statement.execute(arguments: [
            key.series, key.bucket, cell.count, cell.minimum, cell.maximum, cell.sum, cell.lastTimestamp,
            cell.lastValue,
        ])
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
        for (seriesID, reading) in newest {
            try statement.execute(arguments: [
                seriesID, reading.timestamp.milliseconds, reading.value, Int(reading.quality.rawValue),
                Int(reading.flaggedBy.rawValue),
            ])
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
        for (sensor, time) in lastSeen {
            try statement.execute(arguments: [sensor, sites[sensor], time, time])
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
            if Self.includedInRollups(previousQuality) != Self.includedInRollups(revision.quality) {
                try RollupRecomputation(db: db, series: seriesID, time: revision.timestamp).run()
            }
        }
    }

    private func insertRejects(_ rejects: [RejectRecord], in db: Database) throws {
        guard !rejects.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: "INSERT INTO rejects (received_at, topic, reason, detail, payload) VALUES (?, ?, ?, ?, ?)")
        var perReason: [RejectReason: Int] = [:]
        for reject in rejects {
            try statement.execute(arguments: [
                reject.receivedAt.milliseconds, reject.topic, reject.reason.rawValue, reject.detail,
                Data(reject.payload),
            ])
            perReason[reject.reason, default: 0] += 1
        }
        for (reason, count) in perReason { try increment("rejects." + reason.rawValue, by: count, in: db) }
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
