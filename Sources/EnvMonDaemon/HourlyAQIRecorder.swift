internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Logging

/// Records the VN_AQI of every air station for each UTC hour once it has closed, and publishes
/// each site's worst station retained on `<prefix>/aqi/<site>`. Runs on the alert timer of the
/// ingest thread (the roll-ups it reads are written there); between hours a tick compares two
/// times and reads nothing. Its first tick fills the hours a stop left out.
final class HourlyAQIRecorder {
    private var configuration: EnvMonConfiguration
    private let store: any AQIStore
    private let calculator: HourlyAQICalculator
    private let publisher: AlertPublisher
    private var topics: OwnPublications
    private let logger: Logger
    /// The start of the newest closed hour dealt with. nil until the first tick (and after a
    /// reload), which resumes each sensor from its last stored hour instead.
    private var doneThrough: Timestamp?
    /// After a failed write, when to try again (not on every tick of the timer).
    private var retryAt = Timestamp(milliseconds: 0)

    /// How many closed hours a start fills at most: two days of holes are worth filling; older
    /// ones are the operator's to recompute, and each hour costs a few roll-up reads per station.
    static let catchUpHours: Int64 = 48
    /// How long after an hour's end it is computed: a reading stamped in the hour's last seconds
    /// may still be on its way from the sensor or waiting in the hand-off.
    static let settlingTime: Duration = .seconds(120)
    private static let hour = RollupResolution.hour.milliseconds

    init(configuration: EnvMonConfiguration, store: Store, publisher: AlertPublisher, logger: Logger) {
        self.configuration = configuration
        self.store = store.aqi
        self.calculator = HourlyAQICalculator(readings: store.readings)
        self.publisher = publisher
        self.topics = OwnPublications(topicPrefix: configuration.topicPrefix)
        self.logger = logger
    }

    /// New sensors from a reload: the next tick resumes every sensor from its stored hours, so
    /// a station added by the reload gets its recent hours too.
    func reconfigure(_ next: EnvMonConfiguration) {
        configuration = next
        topics = OwnPublications(topicPrefix: next.topicPrefix)
        doneThrough = nil
    }

    /// The alert timer: computes the hours closed since the last tick.
    func tick(now: Timestamp) {
        let newestClosed = now.adding(.zero - Self.settlingTime).floored(toMultipleOf: Self.hour)
            .adding(milliseconds: -Self.hour)
        if let doneThrough, newestClosed <= doneThrough { return }
        guard now >= retryAt else { return }
        let oldest = newestClosed.adding(milliseconds: -(Self.catchUpHours - 1) * Self.hour)
        var entries: [HourlyAQI] = []
        var filled: [String: Int] = [:]
        do {
            for sensor in configuration.sensors where HourlyAQICalculator.isAirStation(sensor) {
                let resumeAfter = try doneThrough ?? store.lastRecordedHour(sensor: sensor.id)
                var hour = max(oldest, resumeAfter.map { $0.adding(milliseconds: Self.hour) } ?? oldest)
                while hour <= newestClosed {
                    // No index is "no data" in the decision (fewer than two of the last three PM
                    // hours): the hour is left out, not stored as a gap.
                    if let index = try calculator.index(of: sensor, for: .closed(start: hour)) {
                        entries.append(
                            HourlyAQI(sensor: sensor.id, site: sensor.site, hour: hour, index: index, computedAt: now))
                        filled[sensor.id, default: 0] += 1
                    }
                    hour = hour.adding(milliseconds: Self.hour)
                }
            }
            try store.record(entries)
        } catch {
            logger.error("cannot record the hourly VN_AQI up to \(newestClosed): \(error); trying again in a minute")
            retryAt = now.adding(.seconds(60))
            return
        }
        let wasCatchingUp = doneThrough == nil
        doneThrough = newestClosed
        if wasCatchingUp, filled.values.contains(where: { $0 > 1 }) {
            logger.info(
                "hourly VN_AQI filled in for the hours missed while stopped",
                metadata: ["aqi.hours": "\(filled.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"])
        }
        publish(entries)
    }

    /// For each site with a new entry: the worst station of the site's newest stored hour, if
    /// that hour is among the new entries (a station catching up on older hours must not
    /// replace a newer retained index of its site).
    private func publish(_ entries: [HourlyAQI]) {
        guard configuration.alerting.publishMQTT, !entries.isEmpty else { return }
        let latest: [HourlyAQI]
        do {
            latest = try store.latest()
        } catch {
            logger.error("cannot read the hourly VN_AQI to publish it: \(error)")
            return
        }
        let recorded = Set(entries)
        let sites = Set(entries.map(\.site))
        for (site, stations) in Dictionary(grouping: latest, by: \.site) where sites.contains(site) {
            guard let newestHour = stations.map(\.hour).max() else { continue }
            let current = stations.filter { $0.hour == newestHour }
            // The worst station; of equal ones the first by id, so the choice is stable.
            guard current.contains(where: recorded.contains),
                let worst = current.max(by: { ($0.value, $1.sensor) < ($1.value, $0.sensor) })
            else { continue }
            publisher.publish(topic: topics.aqiTopic(site: site), payload: AQIMessage.json(worst), retain: true)
        }
    }
}
