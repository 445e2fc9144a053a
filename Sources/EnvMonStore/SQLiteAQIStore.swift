internal import EnvMonCore
internal import GRDB

/// The hourly VN_AQI of the air stations: the daemon records each closed hour once it has its
/// roll-ups; the console, the CLI and reports read it. Rows are trimmed with the hourly roll-ups
/// they are computed from (`SQLiteReadingWriter.applyRetention`).
struct SQLiteAQIStore: AQIStore {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    // MARK: The daemon's side

    /// Stores the entries in one transaction; an entry for a (sensor, hour) already stored
    /// replaces it (an hour computed again after late readings, or on a second run).
    package func record(_ entries: [HourlyAQI]) throws {
        guard !entries.isEmpty else { return }
        try database.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO aqi_hourly (sensor, site, hour, aqi, dominant, sub_indices, computed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in entries {
                try statement.execute(arguments: [
                    entry.sensor, entry.site, entry.hour.milliseconds, entry.value, entry.dominant?.rawValue,
                    entry.subIndicesJSON, entry.computedAt.milliseconds,
                ])
            }
        }
    }

    /// The start of the newest hour stored for `sensor`, nil when there is none: where the daemon
    /// resumes after a stop.
    package func lastRecordedHour(sensor: String) throws -> Timestamp? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT max(hour) FROM aqi_hourly WHERE sensor = ?", arguments: [sensor])
                .map { Timestamp(milliseconds: $0) }
        }
    }

    // MARK: Readers

    /// Hours starting in [from, to), of one site or sensor or of all, oldest first (then by sensor).
    package func hourly(
        site: String? = nil, sensor: String? = nil, from: Timestamp, to: Timestamp
    ) throws -> [HourlyAQI] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM aqi_hourly WHERE hour >= ? AND hour < ?
                    AND (? IS NULL OR site = ?) AND (? IS NULL OR sensor = ?) ORDER BY hour, sensor
                    """, arguments: [from.milliseconds, to.milliseconds, site, site, sensor, sensor]
            ).map(Self.entry)
        }
    }

    /// The newest hour of every sensor, by site and sensor.
    package func latest() throws -> [HourlyAQI] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT aqi_hourly.* FROM aqi_hourly
                    JOIN (SELECT sensor, max(hour) AS hour FROM aqi_hourly GROUP BY sensor) AS newest
                    USING (sensor, hour) ORDER BY site, sensor
                    """
            ).map(Self.entry)
        }
    }

    static func entry(_ row: Row) -> HourlyAQI {
        HourlyAQI(
            sensor: row["sensor"], site: row["site"], hour: Timestamp(milliseconds: row["hour"]), value: row["aqi"],
            dominant: (row["dominant"] as String?).flatMap(VNAQI.Parameter.init(rawValue:)),
            subIndices: HourlyAQI.subIndices(fromJSON: row["sub_indices"]),
            computedAt: Timestamp(milliseconds: row["computed_at"]))
    }
}
