/// Roll-up levels kept on ingest, so a year-long query never scans raw rows.
package enum RollupResolution: String, Sendable, CaseIterable, Codable {
    case minute = "1m"
    case hour = "1h"
    case day = "1d"

    package var milliseconds: Int64 {
        switch self {
        case .minute: 60_000
        case .hour: 3_600_000
        case .day: 86_400_000
        }
    }

    /// The single table of the hourly and daily levels (minutes are partitioned by day).
    var table: String? {
        switch self {
        case .minute: nil
        case .hour: "rollup_1h"
        case .day: "rollup_1d"
        }
    }
}
