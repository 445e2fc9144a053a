internal import EnvMonCore
internal import GRDB

/// Rebuilds the minute, hour and day buckets of one series around one instant from the level
/// below each: minute from raw rows, hour from minutes, day from hours.
struct RollupRecomputation {
    let db: Database
    let series: Int64
    let time: Timestamp

    func run() throws {
        let dayStart = Partitioning.dayStart(of: time)
        let rawTable = Partitioning.tableName(.raw, dayStart: dayStart)
        let minuteTable = Partitioning.tableName(.rollupMinute, dayStart: dayStart)
        let minute = time.floored(toMultipleOf: RollupResolution.minute.milliseconds).milliseconds
        let hour = time.floored(toMultipleOf: RollupResolution.hour.milliseconds).milliseconds

        try rebuild(
            into: minuteTable, bucket: minute,
            from: """
                SELECT count(*), min(value), max(value), sum(value),
                       (SELECT ts FROM \(rawTable) WHERE series = :series AND ts >= :from AND ts < :to
                          AND quality NOT IN (4, 9) AND time_source != 2 AND device_status = 0 ORDER BY ts DESC LIMIT 1),
                       (SELECT value FROM \(rawTable) WHERE series = :series AND ts >= :from AND ts < :to
                          AND quality NOT IN (4, 9) AND time_source != 2 AND device_status = 0 ORDER BY ts DESC LIMIT 1)
                FROM \(rawTable) WHERE series = :series AND ts >= :from AND ts < :to AND quality NOT IN (4, 9) AND time_source != 2 AND device_status = 0
                """, width: RollupResolution.minute.milliseconds)
        try rebuild(
            into: "rollup_1h", bucket: hour, from: Self.fromLowerLevel(minuteTable),
            width: RollupResolution.hour.milliseconds)
        try rebuild(
            into: "rollup_1d", bucket: dayStart, from: Self.fromLowerLevel("rollup_1h"),
            width: RollupResolution.day.milliseconds)
    }

    private static func fromLowerLevel(_ table: String) -> String {
        """
        SELECT sum(count), min(min), max(max), sum(sum),
               (SELECT last_ts FROM \(table) WHERE series = :series AND bucket >= :from AND bucket < :to
                  ORDER BY last_ts DESC LIMIT 1),
               (SELECT last_value FROM \(table) WHERE series = :series AND bucket >= :from AND bucket < :to
                  ORDER BY last_ts DESC LIMIT 1)
        FROM \(table) WHERE series = :series AND bucket >= :from AND bucket < :to
        """
    }

    private func rebuild(into table: String, bucket: Int64, from query: String, width: Int64) throws {
        let arguments: StatementArguments = ["series": series, "from": bucket, "to": bucket + width]
        guard let row = try Row.fetchOne(db, sql: query, arguments: arguments) else { return }
        let count: Int64 = row[0] ?? 0
        if count == 0 {
            try db.execute(
                sql: "DELETE FROM \(table) WHERE series = ? AND bucket = ?", arguments: [series, bucket])
            return
        }
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO \(table) (series, bucket, count, min, max, sum, last_ts, last_value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                series, bucket, count, row[1] as Double?, row[2] as Double?, row[3] as Double?, row[4] as Int64?,
                row[5] as Double?,
            ])
    }
}
