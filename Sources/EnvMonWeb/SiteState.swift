/// A site's worst current condition, in the order the map colours it: an active alert outranks
/// a QCVN exceedance, which outranks a silent sensor, which outranks a probe in maintenance.
package enum SiteState: Int, Comparable, Sendable, CaseIterable {
    /// Configured, but nothing ever stored.
    case unknown
    case ok
    case maintenance
    case stale
    case exceedance
    case alert

    package static func < (lhs: SiteState, rhs: SiteState) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The CSS class and the API's name.
    package var name: String {
        switch self {
        case .unknown: "unknown"
        case .ok: "ok"
        case .maintenance: "maintenance"
        case .stale: "stale"
        case .exceedance: "exceedance"
        case .alert: "alert"
        }
    }
}
