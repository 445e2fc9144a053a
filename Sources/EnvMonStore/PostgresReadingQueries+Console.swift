internal import EnvMonCore
internal import PostgresNIO

/// What the web console asks beyond the CLI's queries, answered as `SQLiteReadingQueries+Console`.
extension PostgresReadingQueries {
    /// Per series of `sensors` (every series when nil) its last-hour and last-24-hour means from
    /// `rollup_1h`. One statement for all series (a round trip per series would cost more here
    /// than SQLite's in-process lookups), ordered by series then bucket so each series' sums are
    /// added in the same order as SQLite adds them.
    package func recentMeans(of sensors: Set<String>? = nil, at now: Timestamp) throws -> [SeriesKey: RecentMeans] {
        let hour = RollupResolution.hour.milliseconds
        let currentHour = now.floored(toMultipleOf: hour).milliseconds
        var binds = PostgresBindings()
        binds.append(currentHour - 23 * hour)
        binds.append(sensors.map { Array($0) })
        var sums: [SeriesKey: (sum: Double, count: Int, newest: Double?)] = [:]
        for row in try session.query(
            """
            SELECT s.sensor, s.metric, r.bucket, r.sum, r.count FROM rollup_1h r JOIN series s ON s.id = r.series
            WHERE r.bucket >= $1 AND r.count > 0 AND ($2::text[] IS NULL OR s.sensor = ANY($2::text[]))
            ORDER BY r.series, r.bucket
            """, binds)
        {
            let (sensor, metric, bucket, sum, count) = try row.decode((String, String, Int64, Double, Int64).self)
            let key = SeriesKey(sensor: sensor, metric: metric)
            var entry = sums[key] ?? (0, 0, nil)
            entry.sum += sum
            entry.count += Int(count)
            // Buckets come oldest first: the last one in the past two hours is the newest.
            if bucket >= currentHour - hour { entry.newest = sum / Double(count) }
            sums[key] = entry
        }
        return sums.mapValues { RecentMeans(lastHour: $0.newest, lastDay: $0.sum / Double($0.count)) }
    }

    /// Raw readings of one series that failed QC in [from, to), oldest first, at most `limit`.
    /// `quality = 4` as a literal, not a bound value, so the planner can use the partial index
    /// `readings_failed` (its predicate must be provable from the query text).
    package func failedReadings(
        of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int
    ) throws
        -> [StoredReading]
    {
        try rawReadings(
            of: series, from: from, to: to, condition: "AND quality = \(QualityFlag.fail.rawValue)", limit: limit)
    }

    /// Rejects received since `since`, counted by reason (reasons this build does not know are
    /// left out, as SQLite's reader does).
    package func rejectCounts(since: Timestamp) throws -> [RejectReason: Int] {
        var binds = PostgresBindings()
        binds.append(since.milliseconds)
        var result: [RejectReason: Int] = [:]
        for row in try session.query(
            "SELECT reason, count(*) FROM rejects WHERE received_at >= $1 GROUP BY reason", binds)
        {
            let (name, count) = try row.decode((String, Int64).self)
            if let reason = RejectReason(rawValue: name) { result[reason] = Int(count) }
        }
        return result
    }
}
