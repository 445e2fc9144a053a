package import EnvMonCore
package import EnvMonStore
internal import NIOPosix

/// The console's view of the store: a read-only pool of connections (ingest never waits on a
/// page), queried on NIO's blocking thread pool so SQLite never holds an event loop or the
/// cooperative pool.
package struct ConsoleStore: Sendable {
    package let path: String
    package let readings: ReadingQueries
    package let alerts: AlertQueries
    package let maintenance: MaintenanceStore
    package let outbox: OutboxStore
    package let aqi: AQIStore

    /// Opens the database read-only; refuses a missing file or one that is not EnvMon's, and
    /// creates nothing (StoreDatabase checks before SQLite opens the file).
    package init(path: String) throws {
        let pool = try StoreDatabase.openForServing(path: path)
        self.path = path
        readings = ReadingQueries(database: pool)
        alerts = AlertQueries(database: pool)
        maintenance = MaintenanceStore(database: pool)
        outbox = OutboxStore(database: pool)
        aqi = AQIStore(database: pool)
    }

    /// Runs a store call off the event loops.
    package func run<Result: Sendable>(
        _ body: @escaping @Sendable (ConsoleStore) throws -> Result
    ) async throws
        -> Result
    {
        try await NIOThreadPool.singleton.runIfActive { try body(self) }
    }

    /// An acknowledgement goes through the daemon's request queue, as `envmon alerts ack` does:
    /// the one write the console makes, on its own short-lived connection.
    package func requestAcknowledgement(
        alertID: String, by: String, note: String?, at time: Timestamp
    ) async throws
        -> Int64
    {
        let path = self.path
        return try await NIOThreadPool.singleton.runIfActive {
            let writer = AlertQueries(database: try StoreDatabase.openForReading(path: path, writable: true))
            return try writer.requestAcknowledgement(alertID: alertID, by: by, note: note, at: time)
        }
    }
}

extension ConsoleStore {
    /// envmond's stored hourly VN_AQI since `since`, by sensor.
    func storedAQI(since: Timestamp) throws -> [String: [AirStationView.Hour]] {
        var result: [String: [AirStationView.Hour]] = [:]
        for entry in try aqi.hourly(from: since, to: Timestamp(milliseconds: Int64.max)) {
            result[entry.sensor, default: []].append(
                AirStationView.Hour(hour: entry.hour, value: entry.value, dominant: entry.dominant?.rawValue))
        }
        return result
    }
}
