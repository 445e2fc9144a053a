internal import EnvMonCore

/// Raw readings and 1-minute roll-ups live in one table per UTC day, like TimescaleDB chunks:
/// the B-tree that takes inserts stays small as history grows, and retention is `DROP TABLE`.
enum Partitioning {
    static let dayMilliseconds: Int64 = 86_400_000

    enum Kind: String, CaseIterable {
        case raw
        case rollupMinute = "rollup_1m"
    }

    static func dayStart(of time: Timestamp) -> Int64 {
        time.floored(toMultipleOf: dayMilliseconds).milliseconds
    }

    /// `raw_20261129`: names are derived only from integers, never from input text.
    static func tableName(_ kind: Kind, dayStart: Int64) -> String {
        let (year, month, day) = RFC3339.civil(fromDays: Int(dayStart / dayMilliseconds))
        let stamp = year * 10000 + month * 100 + day
        return "\(kind.rawValue)_\(stamp)"
    }

    /// Whether `table` is one of the per-day partitions (`raw_20261129`, `rollup_1m_20261129`).
    static func isPartition(_ table: String) -> Bool {
        Kind.allCases.contains { kind in
            let prefix = kind.rawValue + "_"
            return table.hasPrefix(prefix) && table.count == prefix.count + 8
                && table.dropFirst(prefix.count).allSatisfy(\.isNumber)
        }
    }

    static func createStatement(_ kind: Kind, table: String) -> String {
        switch kind {
        case .raw:
            // Time-first key: a batch appends at the right edge of the tree instead of touching
            // one leaf per series (DESIGN.md, Storage). Uniqueness on (ts, series) is the
            // idempotence the delivery guarantee relies on. `time_source` is `TimeSource`'s raw
            // value (0 device, 1 receipt, 2 catch-up); migration v3 added it to older partitions.
            // `device_status` is `DeviceStatus`'s (0 measuring, 1 calibrating, 2 device error);
            // migration v5 added it.
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                ts INTEGER NOT NULL, series INTEGER NOT NULL, value REAL NOT NULL,
                quality INTEGER NOT NULL, flagged_by INTEGER NOT NULL,
                time_source INTEGER NOT NULL DEFAULT 0,
                device_status INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (ts, series)) WITHOUT ROWID
            """
        case .rollupMinute:
            """
            CREATE TABLE IF NOT EXISTS \(table) (
                bucket INTEGER NOT NULL, series INTEGER NOT NULL, count INTEGER NOT NULL,
                min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL,
                last_ts INTEGER NOT NULL, last_value REAL NOT NULL,
                PRIMARY KEY (bucket, series)) WITHOUT ROWID
            """
        }
    }

    /// The QC-failed rows of a raw partition by series: few, so the partial index is small and
    /// costs ingest next to nothing, and a chart finds one series' failures without scanning
    /// every series' rows of the day (the time-first key). A query must name the quality as a
    /// literal (`quality = 4`, not a bound parameter) for SQLite to use it. Migration v7 added it
    /// to older partitions.
    static func failedIndexStatement(table: String) -> String {
        "CREATE INDEX IF NOT EXISTS \(table)_failed ON \(table) (series, ts) WHERE quality = \(failed)"
    }

    /// `QualityFlag.fail`'s stored value.
    static let failed = Int(QualityFlag.fail.rawValue)
}
