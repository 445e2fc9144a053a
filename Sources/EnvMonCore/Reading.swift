/// A validated reading in its metric's canonical unit, with its QARTOD result.
public struct Reading: Hashable, Sendable {
    public var series: SeriesKey
    public var timestamp: Timestamp
    public var value: Double
    public var quality: QualityFlag
    /// Tests that flagged this point suspect or fail (empty when it passed).
    public var flaggedBy: QCTests
    /// Where `timestamp` comes from.
    public var timeSource: TimeSource
    /// What the device was doing: set from a maintenance window or the device's own report.
    public var deviceStatus: DeviceStatus

    public init(
        series: SeriesKey, timestamp: Timestamp, value: Double,
        quality: QualityFlag = .notEvaluated, flaggedBy: QCTests = [], timeSource: TimeSource = .device,
        deviceStatus: DeviceStatus = .measuring
    ) {
        self.timeSource = timeSource
        self.deviceStatus = deviceStatus
        self.series = series
        self.timestamp = timestamp
        self.value = value
        self.quality = quality
        self.flaggedBy = flaggedBy
    }
}

/// A later verdict on a reading already handed on: the spike test judges point n-1 only when
/// point n arrives, so the stored flag of n-1 is updated then.
public struct QualityRevision: Hashable, Sendable {
    public var series: SeriesKey
    public var timestamp: Timestamp
    public var quality: QualityFlag
    public var flaggedBy: QCTests

    public init(series: SeriesKey, timestamp: Timestamp, quality: QualityFlag, flaggedBy: QCTests) {
        self.series = series
        self.timestamp = timestamp
        self.quality = quality
        self.flaggedBy = flaggedBy
    }
}
