/// What the config says about one sensor, as far as validation and QC need it.
public struct SensorProfile: Hashable, Sendable {
    public var id: String
    public var site: String
    /// Sensor-specific names, e.g. a probe that says `temp` for `water_temp` (lower-cased keys).
    public var metricAliases: [String: String]
    /// Nominal reporting interval, used for completeness and the flat-line window.
    public var intervalSeconds: Double?

    public init(id: String, site: String, metricAliases: [String: String] = [:], intervalSeconds: Double? = nil) {
        self.id = id
        self.site = site
        self.metricAliases = metricAliases
        self.intervalSeconds = intervalSeconds
    }
}

/// A sample that passed validation: canonical metric id, canonical unit, known time.
public struct ValidatedSample: Hashable, Sendable {
    public var series: SeriesKey
    public var site: String?
    public var timestamp: Timestamp
    public var value: Double
    public var sequence: Int64?
    public var timeSource: TimeSource
    /// The status the device reported with it, if it reported one.
    public var reportedStatus: DeviceStatus?

    public init(
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
