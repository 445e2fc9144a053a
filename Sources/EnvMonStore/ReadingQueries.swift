package import EnvMonCore

/// What the CLI, the report, the console, the transmission and the load tools read from the
/// store, whichever backend holds it (`Store.readings`). Reads only, but for the two queued
/// requests (a reject replay) the daemon carries out.
package protocol ReadingQueries: Sendable {
    /// Raw readings of one series in [from, to), oldest first, at most `limit`.
    func readings(of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int?) throws -> [StoredReading]
    /// Every stored reading in [from, to), of one sensor or all, in time order.
    func export(from: Timestamp, to: Timestamp, sensor: String?) throws -> [StoredReading]
    /// Roll-up buckets of one series in [from, to) at a resolution, oldest first.
    func rollups(
        of series: SeriesKey, resolution: RollupResolution, from: Timestamp, to: Timestamp
    ) throws
        -> [RollupPoint]
    /// Every sensor that ever reported, with the metrics it reported.
    func sensors() throws -> [SensorRecord]
    /// The newest reading of every series, of one site or sensor or all.
    func latest(site: String?, sensor: String?) throws -> [LatestValue]
    /// Rejected messages, newest first.
    func rejects(since: Timestamp?, reason: RejectReason?, limit: Int) throws -> [RejectRecord]
    /// Queues a replay of rejected messages for the daemon; the request's id.
    func queueReplay(reason: RejectReason?, since: Timestamp?, dryRun: Bool, at time: Timestamp) throws -> Int64
    /// A replay request as the daemon left it.
    func replayRequest(id: Int64) throws -> RejectReplayRequest?
    /// Stored readings of one series or all in [from, to).
    func count(of series: SeriesKey?, from: Timestamp, to: Timestamp) throws -> Int
    /// The store's figures (`envmon stats`).
    func statistics() throws -> StoreStatistics
    /// Per sensor: messages expected from its sequence numbers and received.
    func sensorDelivery() throws -> [SensorDelivery]
    /// The same over [from, to), by sensor.
    func sensorDelivery(from: Timestamp, to: Timestamp) throws -> [String: SensorDelivery]
    /// Per series of `sensors` (all when nil) its last-hour and last-24-hour means.
    func recentMeans(of sensors: Set<String>?, at now: Timestamp) throws -> [SeriesKey: RecentMeans]
    /// QC-failed readings of one series in [from, to), oldest first, at most `limit`.
    func failedReadings(of series: SeriesKey, from: Timestamp, to: Timestamp, limit: Int) throws -> [StoredReading]
    /// Rejects since a time, counted by reason.
    func rejectCounts(since: Timestamp) throws -> [RejectReason: Int]
    /// The store's counters (readings stored, duplicates, ...) by name.
    func counters() throws -> [String: Int64]
    /// Stored readings of the sensors whose id starts with `prefix` in [from, to), and (when asked)
    /// how many distinct values they hold: how a load run counts what it got.
    func storedReadings(
        sensorsPrefixed prefix: String, from: Timestamp, to: Timestamp, distinctValues: Bool
    ) throws
        -> (rows: Int, distinctValues: Int?)
    /// What the report reads for one period, in one consistent snapshot.
    func periodData(
        series: [SeriesKey], countedSeries: [SeriesKey], resolution: RollupResolution, from: Timestamp,
        to: Timestamp, qualityCounts: Bool
    ) throws -> ReportPeriodData
}

extension ReadingQueries {
    package func readings(of series: SeriesKey, from: Timestamp, to: Timestamp) throws -> [StoredReading] {
        try readings(of: series, from: from, to: to, limit: nil)
    }

    package func export(from: Timestamp, to: Timestamp) throws -> [StoredReading] {
        try export(from: from, to: to, sensor: nil)
    }

    package func latest() throws -> [LatestValue] { try latest(site: nil, sensor: nil) }

    package func latest(site: String) throws -> [LatestValue] { try latest(site: site, sensor: nil) }

    package func latest(sensor: String) throws -> [LatestValue] { try latest(site: nil, sensor: sensor) }

    package func rejects(limit: Int) throws -> [RejectRecord] { try rejects(since: nil, reason: nil, limit: limit) }

    package func rejects(since: Timestamp? = nil, reason: RejectReason? = nil) throws -> [RejectRecord] {
        try rejects(since: since, reason: reason, limit: 1000)
    }

    package func count(from: Timestamp, to: Timestamp) throws -> Int { try count(of: nil, from: from, to: to) }

    package func recentMeans(at now: Timestamp) throws -> [SeriesKey: RecentMeans] {
        try recentMeans(of: nil, at: now)
    }

    package func periodData(
        series: [SeriesKey], countedSeries: [SeriesKey], resolution: RollupResolution, from: Timestamp, to: Timestamp
    ) throws -> ReportPeriodData {
        try periodData(
            series: series, countedSeries: countedSeries, resolution: resolution, from: from, to: to,
            qualityCounts: true)
    }
}

/// The hourly means the console judges a site's current state by.
package struct RecentMeans: Hashable, Sendable {
    /// Mean of the newest hour bucket with data in the last two hours.
    package var lastHour: Double?
    /// Mean over the hour buckets of the last 24 hours.
    package var lastDay: Double?
}

/// What the report reads for one period.
package struct ReportPeriodData: Sendable {
    /// Roll-up buckets per requested series, oldest first (missing series have none).
    package var rollups: [SeriesKey: [RollupPoint]]
    /// Readings counted by the roll-ups (so QC fails excluded) per requested series.
    package var rollupCounts: [SeriesKey: Int]
    /// Stored readings per series and QARTOD flag, over every series with raw rows in the period.
    package var qualityCounts: [SeriesKey: [QualityFlag: Int]]
}
