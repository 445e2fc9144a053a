internal import EnvMonCore
internal import GRDB

/// Read-only queries of the periodic report: a month or a year at a time, so everything but the
/// QC tally reads the roll-ups, and all of it runs in one read transaction (one consistent snapshot).
extension SQLiteReadingQueries {
    /// Roll-ups of `series` and roll-up counts of `countedSeries` at `resolution`, and the QC tally
    /// of the raw partitions, for [from, to).
    ///
    /// Cost: the roll-ups are point lookups on each series' primary key (series, bucket): a year of
    /// hourly buckets is 8,760 rows per series. The QC tally is the only raw read: one pass over
    /// each day partition of the period (`GROUP BY series, quality`, a sort of that day's rows in
    /// memory), since flags are not rolled up (fail values are kept out of the roll-ups, and a
    /// spike verdict may change a flag later, which a flag roll-up would have to track).
    package func periodData(
        series: [SeriesKey], countedSeries: [SeriesKey], resolution: RollupResolution, from: Timestamp, to: Timestamp,
        qualityCounts includeQuality: Bool = true
    ) throws -> ReportPeriodData {
        try database.read { db in
            var rollups: [SeriesKey: [RollupPoint]] = [:]
            let ids = try Self.seriesIDs(db)
            let tables = try resolution.table.map { [$0] } ?? Self.partitions(.rollupMinute, from: from, to: to, db)
            let start = from.floored(toMultipleOf: resolution.milliseconds).milliseconds
            for key in series {
                guard let seriesID = ids[key] else { continue }
                rollups[key] = try Self.rollupPoints(
                    of: key, id: seriesID, in: tables, from: Timestamp(milliseconds: start), to: to, db)
            }
            var rollupCounts: [SeriesKey: Int] = [:]
            for key in countedSeries {
                guard let seriesID = ids[key] else { continue }
                var total = 0
                for table in tables {
                    total +=
                        try Int.fetchOne(
                            db,
                            sql:
                                "SELECT coalesce(sum(count), 0) FROM \(table) WHERE series = ? AND bucket >= ? AND bucket < ?",
                            arguments: [seriesID, start, to.milliseconds]) ?? 0
                }
                rollupCounts[key] = total
            }
            var counts: [SeriesKey: [QualityFlag: Int]] = [:]
            if includeQuality {
                let names = try Self.seriesByID(db)
                for table in try Self.partitions(.raw, from: from, to: to, db) {
                    let rows = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT series, quality, count(*) FROM \(table)
                            WHERE ts >= ? AND ts < ? GROUP BY series, quality
                            """, arguments: [from.milliseconds, to.milliseconds])
                    while let row = try rows.next() {
                        guard let key = names[row[0]] else { continue }
                        let flag = QualityFlag(rawValue: UInt8(row[1] as Int)) ?? .notEvaluated
                        counts[key, default: [:]][flag, default: 0] += row[2] as Int
                    }
                }
            }
            return ReportPeriodData(rollups: rollups, rollupCounts: rollupCounts, qualityCounts: counts)
        }
    }

    static func seriesIDs(_ db: Database) throws -> [SeriesKey: Int64] {
        var result: [SeriesKey: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, sensor, metric FROM series") {
            result[SeriesKey(sensor: row[1], metric: row[2])] = row[0]
        }
        return result
    }
}
