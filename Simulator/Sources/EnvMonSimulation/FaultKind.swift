package import EnvMonCore

/// Every fault a real network produces that the simulator can inject.
package enum FaultKind: String, CaseIterable, Codable, Sendable, Hashable {
    /// An extra message the daemon cannot decode (truncated JSON, a non-number, invalid UTF-8).
    case malformed
    /// An extra message naming a metric that does not exist (a typo in a logger's config).
    case unknownMetric = "unknown_metric"
    /// A value outside the metric's fail span (the instrument's physical range).
    case outOfRange = "out_of_range"
    /// An extra message with a NaN value.
    case nan
    /// One value off by 1.5x the spike fail threshold.
    case spike
    /// A metric stuck at its last value for longer than the flat line fail window.
    case flatLine = "flat_line"
    /// A slow bias (fouling): not detectable by single-series QC.
    case drift
    /// A sensor that stops sending, then returns.
    case silence
    /// The same message published twice (a redelivery).
    case duplicate
    /// An extra message whose time is beyond the daemon's future skew limit.
    case futureTimestamp = "future_timestamp"
    /// An extra message whose time is older than the daemon's maximum age.
    case staleTimestamp = "stale_timestamp"
    /// An extra message larger than `ingest.max_payload_bytes`.
    case oversize
    /// A logger that buffers its readings for a while and then sends them all at once.
    case burst
    /// A real event, not a sensor fault: a metric moves to a level and back (e.g. DO falling
    /// below 5 mg/L at a cage site). Expected to raise the matching alert.
    case excursion

    /// The reject reason the daemon must record for each injected message of this kind.
    package var expectedReject: RejectReason? {
        switch self {
        case .malformed: .undecodable
        case .unknownMetric: .unknownMetric
        case .nan: .notFinite
        case .futureTimestamp, .staleTimestamp: .badTimestamp
        case .oversize: .oversize
        default: nil
        }
    }

    /// True for faults that last a while on one sensor (the others hit one message).
    package var isEpisode: Bool {
        switch self {
        case .flatLine, .drift, .silence, .burst, .excursion: true
        default: false
        }
    }

    /// What the daemon should do, in words, for the manifest.
    package var expectation: String {
        switch self {
        case .malformed: "rejected: undecodable"
        case .unknownMetric: "rejected: unknown_metric"
        case .nan: "rejected: not_finite"
        case .futureTimestamp, .staleTimestamp: "rejected: bad_timestamp"
        case .oversize: "rejected: oversize"
        case .outOfRange: "stored with QC fail (gross_range)"
        case .spike:
            "stored with QC fail (spike) once the next reading arrives; neighbours may be flagged suspect/fail by "
                + "spike or rate_of_change"
        case .flatLine:
            "stored; QC suspect (flat_line) once stuck for the suspect window, fail after the fail window"
        case .drift: "stored; not detectable by single-series QC (needs a neighbour or calibration check)"
        case .silence: "nothing stored for the silent span; a no_data alert when that rule exists"
        case .duplicate: "stored once; the second copy counted as a duplicate"
        case .burst: "every buffered reading stored once, in order, nothing rejected"
        case .excursion: "stored (QC pass or suspect); the matching threshold alert fires"
        }
    }
}

/// How the readings go on the wire.
package enum PayloadStyle: String, CaseIterable, Codable, Sendable {
    case plain
    case json
    case senml
    case line
    /// Each sensor keeps one format, chosen from its id: a heterogeneous network.
    case mix

    var carriesTimestamps: Bool { self != .plain }
}
