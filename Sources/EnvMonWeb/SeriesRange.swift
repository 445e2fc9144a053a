package import EnvMonStore

/// The spans a series page offers, each read from the roll-up that gives a few hundred to a
/// couple of thousand buckets, so a year costs as little to draw as a day.
package enum SeriesRange: String, Sendable, CaseIterable {
    case day = "24h"
    case week = "7d"
    case month = "30d"
    case year = "1y"

    package var milliseconds: Int64 {
        switch self {
        case .day: 86_400_000
        case .week: 7 * 86_400_000
        case .month: 30 * 86_400_000
        case .year: 365 * 86_400_000
        }
    }

    package var resolution: RollupResolution {
        switch self {
        case .day: .minute
        case .week, .month: .hour
        case .year: .day
        }
    }

    /// How far back QC-failed readings are marked (from the raw partitions' partial index of
    /// failed rows, one lookup per day).
    package var failedReadingsSpan: Int64 { min(milliseconds, 7 * 86_400_000) }
}
