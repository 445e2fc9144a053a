internal import EnvMonCore
internal import PostgresNIO

/// Alert leases in PostgreSQL: a row per sensor (`alert_owners`) naming its collector and when the
/// lease ends by the server's clock; handed-over readings in `alert_handoff`.
struct PostgresAlertLeases: AlertLeases {
    let session: PostgresSession

    /// Now by the database server's clock, in epoch milliseconds.
    private static let serverNow = "(extract(epoch from clock_timestamp()) * 1000)::int8"

    func claim(_ sensors: Set<String>, for collector: String, duration: Duration) throws -> Set<String> {
        guard !sensors.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(sensors.sorted())
        binds.append(collector)
        binds.append(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        // One statement: rows skipped by the WHERE (held by another collector, lease running) are
        // not returned, so what comes back is exactly what this collector holds now. Sorted, so
        // that two collectors claiming overlapping sets lock the rows in the same order.
        let rows = try session.query(
            """
            INSERT INTO alert_owners AS o (sensor, collector, expires_at)
            SELECT s, $2, \(Self.serverNow) + $3 FROM unnest($1::text[]) AS s
            ON CONFLICT (sensor) DO UPDATE SET collector = excluded.collector, expires_at = excluded.expires_at
            WHERE o.collector = excluded.collector OR o.expires_at < \(Self.serverNow)
            RETURNING sensor
            """, binds)
        return Set(try rows.map { try $0.decode(String.self) })
    }

    func release(_ sensors: Set<String>, for collector: String) throws {
        guard !sensors.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(sensors.sorted())
        binds.append(collector)
        try session.withConnection { connection in
            try connection.execute(
                "DELETE FROM alert_owners WHERE sensor = ANY($1::text[]) AND collector = $2", binds)
        }
    }

    func handOff(_ readings: [HandedOffReading]) throws {
        guard !readings.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(readings.map(\.reading.series.sensor))
        binds.append(readings.map(\.reading.series.metric))
        binds.append(readings.map(\.reading.timestamp.milliseconds))
        binds.append(readings.map(\.reading.value))
        binds.append(readings.map { Int16($0.reading.quality.rawValue) })
        binds.append(readings.map { Int16($0.reading.flaggedBy.rawValue) })
        binds.append(readings.map { Int16($0.reading.timeSource.rawValue) })
        binds.append(readings.map { Int16($0.reading.deviceStatus.rawValue) })
        binds.append(readings.map(\.site))
        binds.append(readings.map(\.arrivedAt.milliseconds))
        try session.withConnection { connection in
            // WITH ORDINALITY keeps the batch's order in the ids the holder takes them by.
            try connection.execute(
                """
                INSERT INTO alert_handoff
                    (sensor, metric, ts, value, quality, flagged_by, time_source, device_status, site, arrived_at)
                SELECT sensor, metric, ts, value, quality, flagged_by, time_source, device_status, site, arrived_at
                FROM unnest($1::text[], $2::text[], $3::int8[], $4::float8[], $5::int2[], $6::int2[], $7::int2[],
                            $8::int2[], $9::text[], $10::int8[]) WITH ORDINALITY
                    AS r (sensor, metric, ts, value, quality, flagged_by, time_source, device_status, site,
                          arrived_at, position)
                ORDER BY position
                """, binds)
        }
    }

    func takeHandedOff(for sensors: Set<String>) throws -> [HandedOffReading] {
        guard !sensors.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(sensors.sorted())
        let rows = try session.query(
            """
            DELETE FROM alert_handoff WHERE sensor = ANY($1::text[])
            RETURNING id, sensor, metric, ts, value, quality, flagged_by, time_source, device_status, site, arrived_at
            """, binds)
        return try rows.map { row in
            let (id, sensor, metric, ts, value, quality, flaggedBy, timeSource, deviceStatus, site, arrivedAt) =
                try row.decode(
                    (Int64, String, String, Int64, Double, Int16, Int16, Int16, Int16, String, Int64).self)
            let reading = Reading(
                series: SeriesKey(sensor: sensor, metric: metric), timestamp: Timestamp(milliseconds: ts), value: value,
                quality: QualityFlag(rawValue: UInt8(clamping: quality)) ?? .notEvaluated,
                flaggedBy: QCTests(rawValue: UInt8(clamping: flaggedBy)),
                timeSource: TimeSource(rawValue: UInt8(clamping: timeSource)) ?? .device,
                deviceStatus: DeviceStatus(rawValue: UInt8(clamping: deviceStatus)) ?? .measuring)
            return (id, HandedOffReading(reading: reading, site: site, arrivedAt: Timestamp(milliseconds: arrivedAt)))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
