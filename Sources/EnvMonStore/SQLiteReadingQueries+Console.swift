internal import EnvMonCore
internal import GRDB

/// What the web console asks beyond the CLI's queries: many series at once, from the roll-ups.
extension SQLiteReadingQueries {
    /// Per series of `sensors` (every series when nil) its last-hour and last-24-hour means from
    /// `rollup_1h`, one keyed lookup per series (the table is keyed by series, then bucket).
    package func recentMeans(of sensors: Set<String>? = nil, at now: Timestamp) throws -> [SeriesKey: RecentMeans] {
        let hour = RollupResolution.hour.milliseconds
        let currentHour = now.floored(toMultipleOf: hour).milliseconds
        return try database.read { db in
            var result: [SeriesKey: RecentMeans] = [:]
            let statement = try db.cachedStatement(
                sql: "SELECT bucket, sum, count FROM rollup_1h WHERE series = ? AND bucket >= ? ORDER BY bucket")
            for (id, key) in try Self.seriesByID(db) where sensors?.contains(key.sensor) ?? true {
                var daySum = 0.0
                var dayCount = 0
                var newest: (bucket: Int64, mean: Double)?
                let rows = try Row.fetchCursor(statement, arguments: [id, currentHour - 23 * hour])
                while let row = try rows.next() {
                    let bucket: Int64 = row[0]
                    let sum: Double = row[1]
                    let count: Int = row[2]
                    guard count > 0 else { continue }
                    daySum += sum
                    dayCount += count
                    if bucket >= currentHour - hour { newest = (bucket, sum / Double(count)) }
                }
                guard dayCount > 0 else { continue }
                result[key] = RecentMeans(lastHour: newest?.mean, lastDay: daySum / Double(dayCount))
            }
            return result
        }
    }

    /// Raw readings of one series that failed QC in [from, to), oldest first, at most `limit`:
    /// the roll-ups leave them out, so a chart marks them from here.
    package func failedReadings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int
    ) throws
        -> [StoredReading]
    {
        // `quality = 4` as a literal, not a bound value, so SQLite can prove the partial index applies.
        try rawReadings(
            of: series, from: from, to: to, condition: "AND quality = \(QualityFlag.fail.rawValue)", limit: limit)
    }

    /// Rejects received since `since`, counted by reason.
    package func rejectCounts(since: Timestamp) throws -> [RejectReason: Int] {
        try database.read { db in
            var result: [RejectReason: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT reason, count(*) FROM rejects WHERE received_at >= ? GROUP BY reason",
                arguments: [since.milliseconds])
            {
                if let reason = RejectReason(rawValue: row[0]) { result[reason] = row[1] }
            }
            return result
        }
    }
}
