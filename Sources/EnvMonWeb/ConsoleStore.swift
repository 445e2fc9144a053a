package import EnvMonCore
package import EnvMonStore
internal import NIOPosix

/// The console's view of the store: a read-only pool of connections (ingest never waits on a
/// page), queried on NIO's blocking thread pool so SQLite never holds an event loop or the
/// cooperative pool.
package struct ConsoleStore: Sendable {
    package let location: StoreLocation
    package let readings: any ReadingQueries
    package let alerts: any AlertQueries
    package let maintenance: any MaintenanceStore
    package let outbox: any OutboxStore
    package let aqi: any AQIStore

    /// Opens the store for serving (read-only, a pool of readers); refuses a missing store, one
    /// that is not EnvMon's or one an older envmond made, and creates nothing.
    package init(location: StoreLocation) throws {
        let store = try Store.open(location, for: .serve(readers: 4))
        self.location = location
        readings = store.readings
        alerts = store.alerts
        maintenance = store.maintenance
        outbox = store.outbox
        aqi = store.aqi
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
        let location = self.location
        return try await NIOThreadPool.singleton.runIfActive {
            let writer = try Store.open(location, for: .queueRequests).alerts
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
