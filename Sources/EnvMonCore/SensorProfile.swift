/// What the config says about one sensor, as far as validation and QC need it.
package struct SensorProfile: Hashable, Sendable {
    package var id: String
    package var site: String
    /// Sensor-specific names, e.g. a probe that says `temp` for `water_temp` (lower-cased keys).
    package var metricAliases: [String: String]
    /// Nominal reporting interval, used for completeness and the flat-line window.
    package var intervalSeconds: Double?

    package init(id: String, site: String, metricAliases: [String: String] = [:], intervalSeconds: Double? = nil) {
        self.id = id
        self.site = site
        self.metricAliases = metricAliases
        self.intervalSeconds = intervalSeconds
    }
}

/// A sample that passed validation: canonical metric id, canonical unit, known time.
package struct ValidatedSample: Hashable, Sendable {
    package var series: SeriesKey
    package var site: String?
    package var timestamp: Timestamp
    package var value: Double
    package var sequence: Int64?
    package var timeSource: TimeSource
    /// The status the device reported with it, if it reported one.
    package var reportedStatus: DeviceStatus?

    package init(
        series: SeriesKey, site: String?, timestamp: Timestamp, value: Double, sequence: Int64? = nil,
        timeSource: TimeSource = .device, reportedStatus: DeviceStatus? = nil
    ) {
        self.timeSource = timeSource
        self.reportedStatus = reportedStatus
        self.series = series
        self.site = site
        self.timestamp = timestamp
        self.value = value
        self.sequence = sequence
    }
}
