internal import EnvMonCore

/// What every backend's writer does the same way with a batch before and while storing it.
enum BatchRules {
    /// Fail and missing values stay in the raw table (with their flag) but out of roll-ups, so
    /// means and extremes are not polluted by impossible values.
    static func includedInRollups(_ quality: QualityFlag) -> Bool {
        quality != .fail && quality != .missing
    }

    /// Readings of a catch-up burst stay out too: their times give only their order, so ten
    /// minutes of readings would fill one minute's bucket (and the hour's and day's built from it).
    /// So do readings of a probe that was not measuring (calibration, maintenance, device error):
    /// the roll-ups feed QCVN comparisons and VN_AQI, which a calibration solution must not reach.
    static func includedInRollups(_ reading: Reading) -> Bool {
        includedInRollups(reading.quality) && !reading.timeSource.isOrderOnly && reading.deviceStatus == .measuring
    }

    /// A revision for a reading in the same batch is applied before it is inserted; the rest are
    /// returned to be applied to stored rows.
    static func applyRevisionsWithinBatch(
        _ revisions: [QualityRevision], to readings: inout [Reading]
    )
        -> [QualityRevision]
    {
        guard !revisions.isEmpty else { return [] }
        var position: [SeriesKey: [Int64: Int]] = [:]
        for (index, reading) in readings.enumerated() {
            position[reading.series, default: [:]][reading.timestamp.milliseconds] = index
        }
        var remaining: [QualityRevision] = []
        for revision in revisions {
            if let index = position[revision.series]?[revision.timestamp.milliseconds] {
                readings[index].quality = revision.quality
                readings[index].flaggedBy = revision.flaggedBy
            } else {
                remaining.append(revision)
            }
        }
        return remaining
    }
}
