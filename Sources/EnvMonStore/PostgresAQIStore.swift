internal import EnvMonCore
internal import PostgresNIO

/// The hourly VN_AQI of the air stations in PostgreSQL: the same results as `SQLiteAQIStore`.
/// Two collectors computing the same hour from the same roll-ups store the same row; the upsert
/// makes the later one replace the earlier, as a recomputation does.
struct PostgresAQIStore: AQIStore {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    // MARK: The daemon's side

    /// Stores the entries in one statement (so one transaction); an entry for a (sensor, hour)
    /// already stored replaces it (an hour computed again after late readings, or on a second run).
    func record(_ entries: [HourlyAQI]) throws {
        // SQLite's INSERT OR REPLACE row by row lets the last of two entries for one (sensor, hour)
        // win; one ON CONFLICT statement may not touch a row twice, so the last is picked here.
        var latestIndex: [Key: Int] = [:]
        for (index, entry) in entries.enumerated() { latestIndex[Key(sensor: entry.sensor, hour: entry.hour)] = index }
        let kept = latestIndex.values.sorted().map { entries[$0] }
        guard !kept.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(kept.map(\.sensor))
        binds.append(kept.map(\.site))
        binds.append(kept.map(\.hour.milliseconds))
        binds.append(kept.map { Int64($0.value) })
        // No NULL inside a bound array: "" stands for no dominant parameter (no raw value is empty).
        binds.append(kept.map { $0.dominant?.rawValue ?? "" })
        binds.append(kept.map(\.subIndicesJSON))
        binds.append(kept.map(\.computedAt.milliseconds))
        try session.query(
            """
            INSERT INTO aqi_hourly (sensor, site, hour, aqi, dominant, sub_indices, computed_at)
            SELECT sensor, site, hour, aqi, nullif(dominant, ''), sub_indices, computed_at
            FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::text[], $6::text[], $7::int8[])
                AS n (sensor, site, hour, aqi, dominant, sub_indices, computed_at)
            ON CONFLICT (sensor, hour) DO UPDATE SET
                site = excluded.site, aqi = excluded.aqi, dominant = excluded.dominant,
                sub_indices = excluded.sub_indices, computed_at = excluded.computed_at
            """, binds)
    }

    private struct Key: Hashable {
        var sensor: String
        var hour: Timestamp
    }

    /// The start of the newest hour stored for `sensor`, nil when there is none: where the daemon
    /// resumes after a stop.
    func lastRecordedHour(sensor: String) throws -> Timestamp? {
        var binds = PostgresBindings()
        binds.append(sensor)
        return try session.query("SELECT max(hour) FROM aqi_hourly WHERE sensor = $1", binds).first
            .flatMap { try $0.decode(Int64?.self) }.map(Timestamp.init(milliseconds:))
    }

    // MARK: Readers

    /// Hours starting in [from, to), of one site or sensor or of all, oldest first (then by
    /// sensor, in bytes as SQLite compares them).
    func hourly(site: String?, sensor: String?, from: Timestamp, to: Timestamp) throws -> [HourlyAQI] {
        var binds = PostgresBindings()
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        binds.append(site)
        binds.append(sensor)
        return try session.query(
            """
            SELECT \(Self.columns) FROM aqi_hourly WHERE hour >= $1 AND hour < $2
            AND ($3::text IS NULL OR site = $3) AND ($4::text IS NULL OR sensor = $4)
            ORDER BY hour, sensor COLLATE "C"
            """, binds
        ).map(Self.entry)
    }

    /// The newest hour of every sensor, by site and sensor.
    func latest() throws -> [HourlyAQI] {
        try session.query(
            """
            SELECT \(Self.columns) FROM aqi_hourly
            JOIN (SELECT sensor, max(hour) AS hour FROM aqi_hourly GROUP BY sensor) AS newest USING (sensor, hour)
            ORDER BY site COLLATE "C", sensor COLLATE "C"
            """
        ).map(Self.entry)
    }

    /// The columns `entry(_:)` reads, in its order.
    static let columns = "sensor, site, hour, aqi, dominant, sub_indices, computed_at"

    static func entry(_ row: PostgresRow) throws -> HourlyAQI {
        let (sensor, site, hour, value, dominant, subIndices, computedAt) = try row.decode(
            (String, String, Int64, Int, String?, String, Int64).self)
        return HourlyAQI(
            sensor: sensor, site: site, hour: Timestamp(milliseconds: hour), value: value,
            dominant: dominant.flatMap(VNAQI.Parameter.init(rawValue:)),
            subIndices: HourlyAQI.subIndices(fromJSON: subIndices), computedAt: Timestamp(milliseconds: computedAt))
    }
}
