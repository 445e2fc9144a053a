/// Why a message or a record in it was not stored. Raw values are the names staff see and filter on.
package enum RejectReason: String, Sendable, Hashable, CaseIterable, Codable {
    case undecodable
    case unknownMetric = "unknown_metric"
    case unknownSensor = "unknown_sensor"
    case notFinite = "not_finite"
    case badTimestamp = "bad_timestamp"
    case unitMismatch = "unit_mismatch"
    case oversize

    /// Refusals a config change can undo (a new sensor, an alias, a unit): their whole payload is
    /// kept so that `envmon rejects replay` can store them later.
    package var isReplayable: Bool { self == .unknownSensor || self == .unknownMetric || self == .unitMismatch }
}

/// A rejected message or record: the reason plus a human explanation naming what was wrong.
package struct Rejection: Error, Hashable, Sendable {
    package var reason: RejectReason
    package var detail: String

    package init(_ reason: RejectReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
