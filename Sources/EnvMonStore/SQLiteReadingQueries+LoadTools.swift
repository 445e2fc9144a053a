internal import EnvMonCore
internal import GRDB

/// What the simulator's load runs ask while envmond is storing their stream: cheap enough to
/// poll, and exact (they are how a run proves it lost nothing).
extension SQLiteReadingQueries {
    func counters() throws -> [String: Int64] {
        try database.read { db in
            var counters: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, value FROM counters") {
                counters[row[0]] = row[1]
            }
            return counters
        }
    }

    /// Reads the partition catalogue directly: per-series counts would scan the range once per
    /// series. Each reading of an untimed run carries its sequence number as its value, so rows
    /// minus distinct values were stored twice.
    func storedReadings(
        sensorsPrefixed prefix: String, from: Timestamp, to: Timestamp, distinctValues: Bool
    ) throws -> (rows: Int, distinctValues: Int?) {
        try database.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM partitions WHERE kind = 'raw' AND end_ms > ? AND start_ms < ?",
                arguments: [from.milliseconds, to.milliseconds])
            guard !tables.isEmpty else { return (0, distinctValues ? 0 : nil) }
            let arguments: StatementArguments = [
                "from": from.milliseconds, "to": to.milliseconds, "first": prefix, "last": prefix + "\u{10FFFF}",
            ]
            guard distinctValues else {
                var total = 0
                for table in tables {
                    total +=
                        try Int.fetchOne(
                            db,
                            sql: """
                                SELECT count(*) FROM \(table) WHERE ts >= :from AND ts < :to
                                AND series IN (SELECT id FROM series WHERE sensor >= :first AND sensor < :last)
                                """, arguments: arguments) ?? 0
                }
                return (total, nil)
            }
            let union = tables.map {
                "SELECT value FROM \($0) WHERE ts >= :from AND ts < :to AND series IN (SELECT id FROM run)"
            }
            .joined(separator: " UNION ALL ")
            let row = try Row.fetchOne(
                db,
                sql: """
                    WITH run AS (SELECT id FROM series WHERE sensor >= :first AND sensor < :last),
                    taken AS (\(union))
                    SELECT count(*), count(DISTINCT value) FROM taken
                    """, arguments: arguments)
            return (row?[0] ?? 0, row?[1] ?? 0)
        }
    }
}
