internal import EnvMonCore
internal import PostgresNIO

/// The periodic report's reads, as `SQLiteReadingQueries+Report`: roll-ups for everything but
/// the QC tally, all in one snapshot.
extension PostgresReadingQueries {
    /// Roll-ups of `series` and roll-up counts of `countedSeries` at `resolution`, and the QC
    /// tally of the raw readings, for [from, to), in one REPEATABLE READ transaction: a batch
    /// committed meanwhile is in all of it or none.
    ///
    /// Cost: one statement per part, every series at once (`series = ANY(...)`): point ranges on
    /// each roll-up table's (series, bucket) key. The QC tally is the one raw read, a pass over
    /// the period's day partitions grouped by series and quality, as with SQLite (flags are not
    /// rolled up, since a spike verdict may change one later).
    package func periodData(
        series: [SeriesKey], countedSeries: [SeriesKey], resolution: RollupResolution, from: Timestamp, to: Timestamp,
        qualityCounts includeQuality: Bool = true
    ) throws -> ReportPeriodData {
        let start = from.floored(toMultipleOf: resolution.milliseconds).milliseconds
        let table = Self.table(resolution)
        return try snapshot { connection in
            var ids: [SeriesKey: Int64] = [:]
            var names: [Int64: SeriesKey] = [:]
            for row in try connection.query("SELECT id, sensor, metric FROM series") {
                let (id, sensor, metric) = try row.decode((Int64, String, String).self)
                ids[SeriesKey(sensor: sensor, metric: metric)] = id
                names[id] = SeriesKey(sensor: sensor, metric: metric)
            }

            // Known series get an entry even with no buckets; unknown ones none, as in SQLite.
            var rollups: [SeriesKey: [RollupPoint]] = [:]
            let wanted = Array(Set(series.compactMap { ids[$0] }))
            for id in wanted { rollups[names[id]!] = [] }
            if !wanted.isEmpty {
                var binds = PostgresBindings()
                binds.append(wanted)
                binds.append(start)
                binds.append(to.milliseconds)
                for row in try connection.query(
                    """
                    SELECT series, bucket, count, min, max, sum, last_ts, last_value FROM \(table)
                    WHERE series = ANY($1::int8[]) AND bucket >= $2 AND bucket < $3 ORDER BY series, bucket
                    """, binds)
                {
                    let (id, bucket, count, minimum, maximum, sum, lastTS, lastValue) = try row.decode(
                        (Int64, Int64, Int64, Double, Double, Double, Int64, Double).self)
                    guard let key = names[id] else { continue }
                    rollups[key, default: []].append(
                        RollupPoint(
                            series: key, bucket: Timestamp(milliseconds: bucket), count: Int(count),
                            minimum: minimum, maximum: maximum, sum: sum,
                            lastTimestamp: Timestamp(milliseconds: lastTS), lastValue: lastValue))
                }
            }

            var rollupCounts: [SeriesKey: Int] = [:]
            let counted = Array(Set(countedSeries.compactMap { ids[$0] }))
            for id in counted { rollupCounts[names[id]!] = 0 }
            if !counted.isEmpty {
                var binds = PostgresBindings()
                binds.append(counted)
                binds.append(start)
                binds.append(to.milliseconds)
                // sum(bigint) is numeric in PostgreSQL: cast back.
                for row in try connection.query(
                    """
                    SELECT series, sum(count)::int8 FROM \(table)
                    WHERE series = ANY($1::int8[]) AND bucket >= $2 AND bucket < $3 GROUP BY series
                    """, binds)
                {
                    let (id, total) = try row.decode((Int64, Int64).self)
                    if let key = names[id] { rollupCounts[key] = Int(total) }
                }
            }

            var counts: [SeriesKey: [QualityFlag: Int]] = [:]
            if includeQuality {
                var binds = PostgresBindings()
                binds.append(from.milliseconds)
                binds.append(to.milliseconds)
                for row in try connection.query(
                    "SELECT series, quality, count(*) FROM readings WHERE ts >= $1 AND ts < $2 GROUP BY series, quality",
                    binds)
                {
                    let (id, quality, count) = try row.decode((Int64, Int16, Int64).self)
                    guard let key = names[id] else { continue }
                    let flag = QualityFlag(rawValue: UInt8(clamping: quality)) ?? .notEvaluated
                    counts[key, default: [:]][flag, default: 0] += Int(count)
                }
            }
            return ReportPeriodData(rollups: rollups, rollupCounts: rollupCounts, qualityCounts: counts)
        }
    }
}
