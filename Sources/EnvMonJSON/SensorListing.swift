package import EnvMonConfig
package import EnvMonCore
package import EnvMonStore

/// Every configured sensor and every sensor that reported, once each, ordered by site then id:
/// what `envmon sensors` lists and `/api/v1/sensors` returns.
package enum SensorListing {
    package struct Entry: Sendable {
        package var sensor: String
        package var site: String?
        package var metrics: [String]
        package var lastSeen: Timestamp?
        package var configured: Bool
        package var delivery: SensorDelivery?
    }

    package static func entries(
        configured: [SensorSettings], stored: [SensorRecord], delivery: [SensorDelivery]
    ) -> [Entry] {
        var entries: [Entry] = []
        var byID: [String: Int] = [:]
        for sensor in configured {
            byID[sensor.id] = entries.count
            entries.append(Entry(sensor: sensor.id, site: sensor.site, metrics: sensor.metrics, configured: true))
        }
        for record in stored {
            if let index = byID[record.sensor] {
                entries[index].lastSeen = record.lastSeen
            } else {
                entries.append(
                    Entry(
                        sensor: record.sensor, site: record.site, metrics: record.metrics, lastSeen: record.lastSeen,
                        configured: false))
            }
        }
        var bySensor: [String: SensorDelivery] = [:]
        for figures in delivery { bySensor[figures.sensor] = figures }
        for index in entries.indices { entries[index].delivery = bySensor[entries[index].sensor] }
        entries.sort { ($0.site ?? "", $0.sensor) < ($1.site ?? "", $1.sensor) }
        return entries
    }
}
