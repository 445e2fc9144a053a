/// A validated reading in its metric's canonical unit, with its QARTOD result.
package struct Reading: Hashable, Sendable {
    package var series: SeriesKey
    package var timestamp: Timestamp
    package var value: Double
    package var quality: QualityFlag
    /// Tests that flagged this point suspect or fail (empty when it passed).
    package var flaggedBy: QCTests
    /// Where `timestamp` comes from.
    package var timeSource: TimeSource
    /// What the device was doing: set from a maintenance window or the device's own report.
    package var deviceStatus: DeviceStatus

    package init(
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
package struct QualityRevision: Hashable, Sendable {
    package var series: SeriesKey
    package var timestamp: Timestamp
    package var quality: QualityFlag
    package var flaggedBy: QCTests

    package init(series: SeriesKey, timestamp: Timestamp, quality: QualityFlag, flaggedBy: QCTests) {
        self.series = series
        self.timestamp = timestamp
        self.quality = quality
        self.flaggedBy = flaggedBy
    }
}
