package import EnvMonCore

/// The hourly VN_AQI envmond records (`Store.aqi`).
package protocol AQIStore: Sendable {
    /// Records hours (an hour already recorded is replaced).
    func record(_ entries: [HourlyAQI]) throws
    func lastRecordedHour(sensor: String) throws -> Timestamp?
    func hourly(site: String?, sensor: String?, from: Timestamp, to: Timestamp) throws -> [HourlyAQI]
    /// The newest hour of every sensor.
    func latest() throws -> [HourlyAQI]
}

extension AQIStore {
    package func hourly(from: Timestamp, to: Timestamp) throws -> [HourlyAQI] {
        try hourly(site: nil, sensor: nil, from: from, to: to)
    }
}
