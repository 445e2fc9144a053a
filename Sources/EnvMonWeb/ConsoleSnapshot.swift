package import EnvMonConfig
package import EnvMonCore
internal import EnvMonReport
package import EnvMonStore

/// What every page and the live feed show of the network now: read at most once a second and
/// shared by all requests, so 200 browsers on the overview cost one set of queries.
package struct ConsoleSnapshot: Sendable {
    package struct SensorStatus: Sendable {
        package var sensor: SensorSettings
        package var lastSeen: Timestamp?
        package var isStale: Bool
        package var maintenance: MaintenanceWindow?
        /// Metrics whose recent mean is beyond a QCVN reference value (indicative).
        package var exceedances: [String]
        package var state: SiteState
    }

    package struct SiteStatus: Sendable {
        package var site: SiteSettings
        package var sensors: [SensorStatus]
        package var activeAlerts: [AlertRecord]
        package var state: SiteState
    }

    package var takenAt: Timestamp
    package var sites: [SiteStatus]
    package var latest: [LatestValue]
    package var activeAlerts: [AlertRecord]

    package func site(_ id: String) -> SiteStatus? { sites.first { $0.site.id == id } }

    /// Judges every configured site from what the store holds. Pure, so tests give it any state.
    package static func make(
        configuration: EnvMonConfiguration, latest: [LatestValue], lastSeen: [String: Timestamp],
        activeAlerts: [AlertRecord], openWindows: [MaintenanceWindow], means: [SeriesKey: RecentMeans],
        staleIntervals: Int, now: Timestamp
    ) -> ConsoleSnapshot {
        var windowsBySensor: [String: MaintenanceWindow] = [:]
        for window in openWindows where window.end.map({ $0 > now }) ?? true {
            windowsBySensor[window.sensor] = window
        }
        let sites = configuration.sites.map { site -> SiteStatus in
            let sensors = configuration.sensors.filter { $0.site == site.id }.map { sensor -> SensorStatus in
                let seen = lastSeen[sensor.id]
                let silence = seen.map { now.milliseconds - $0.milliseconds }
                let allowed = sensor.interval.wholeMilliseconds * Int64(staleIntervals)
                let window = windowsBySensor[sensor.id]
                let stale = window == nil && (silence.map { $0 > allowed } ?? false)
                let exceeded = sensor.metrics.filter { metric in
                    guard let mean = means[SeriesKey(sensor: sensor.id, metric: metric)] else { return false }
                    return QCVNReferences.references(metric: metric, siteKind: site.kind).contains { reference in
                        guard reference.applies(at: now) else { return false }
                        let value = reference.averaging == .hour ? mean.lastHour : mean.lastDay
                        return value.map(reference.bound.isExceeded(by:)) ?? false
                    }
                }
                var state: SiteState = seen == nil ? .unknown : .ok
                if window != nil { state = max(state, .maintenance) }
                if stale { state = .stale }
                if !exceeded.isEmpty { state = max(state, .exceedance) }
                return SensorStatus(
                    sensor: sensor, lastSeen: seen, isStale: stale, maintenance: window, exceedances: exceeded,
                    state: state)
            }
            let alerts = activeAlerts.filter { $0.site == site.id }
            var state = sensors.map(\.state).max() ?? .unknown
            if !alerts.isEmpty { state = .alert }
            return SiteStatus(site: site, sensors: sensors, activeAlerts: alerts, state: state)
        }
        return ConsoleSnapshot(
            takenAt: now, sites: sites, latest: latest, activeAlerts: activeAlerts)
    }
}
