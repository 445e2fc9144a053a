/// A value at a time (the recent values of a `rate` rule).
package struct TimedValue: Hashable, Sendable, Codable {
    package var at: Timestamp
    package var value: Double

    package init(at: Timestamp, value: Double) {
        self.at = at
        self.value = value
    }
}

/// A run of QC fail flags on one metric (`qc_fault` rules).
package struct QCFaultRun: Hashable, Sendable, Codable {
    package var metric: String
    /// Fail flags in a row (0 after a pass/suspect reading).
    package var consecutive: Int
    /// First fail of the current run.
    package var since: Timestamp?
    /// Latest quality observation of this metric (pass, suspect or fail).
    package var lastAt: Timestamp

    package init(metric: String, consecutive: Int, since: Timestamp?, lastAt: Timestamp) {
        self.metric = metric
        self.consecutive = consecutive
        self.since = since
        self.lastAt = lastAt
    }
}

/// The whole state of one (rule, sensor) pair as plain values: what the store persists and gives
/// back after a restart (`AlertEngine.exportState()` / `restore(_:)`).
package struct AlertStateRecord: Hashable, Sendable, Codable {
    package var ruleID: String
    package var sensor: String
    package var site: String
    package var metric: String
    /// inactive, pending or firing: the condition as judged, flapping or not.
    package var condition: AlertState
    /// Flap suppression is holding notices back; the public state is then `flapping`.
    package var isFlapping: Bool
    /// The current occurrence (set from pending until resolved).
    package var alertID: String?
    package var severity: AlertSeverity
    /// Whether the escalation condition holds (severity is the escalation's while firing).
    package var escalated: Bool
    package var pendingSince: Timestamp?
    package var raisedAt: Timestamp?
    package var lastNotifiedAt: Timestamp?
    package var acknowledgedBy: String?
    package var acknowledgedAt: Timestamp?
    package var acknowledgementNote: String?
    package var lastValue: Double?
    package var lastValueAt: Timestamp?
    /// Latest reading of any quality (`no_data`); nil: never reported.
    package var lastSeenAt: Timestamp?
    /// Raise/resolve edges within the flap window, oldest first.
    package var flapHistory: [Timestamp]
    /// The latest raise/resolve edge (flap quiet period counts from it).
    package var lastEdgeAt: Timestamp?
    /// Values within the window of a `rate` rule, oldest first.
    package var recentValues: [TimedValue]
    /// Fail runs per metric of a `qc_fault` rule.
    package var faultRuns: [QCFaultRun]

    package init(
        ruleID: String, sensor: String, site: String, metric: String, condition: AlertState = .inactive,
        isFlapping: Bool = false, alertID: String? = nil, severity: AlertSeverity, escalated: Bool = false,
        pendingSince: Timestamp? = nil, raisedAt: Timestamp? = nil, lastNotifiedAt: Timestamp? = nil,
        acknowledgedBy: String? = nil, acknowledgedAt: Timestamp? = nil, acknowledgementNote: String? = nil,
        lastValue: Double? = nil, lastValueAt: Timestamp? = nil, lastSeenAt: Timestamp? = nil,
        flapHistory: [Timestamp] = [], lastEdgeAt: Timestamp? = nil, recentValues: [TimedValue] = [],
        faultRuns: [QCFaultRun] = []
    ) {
        self.ruleID = ruleID
        self.sensor = sensor
        self.site = site
        self.metric = metric
        self.condition = condition
        self.isFlapping = isFlapping
        self.alertID = alertID
        self.severity = severity
        self.escalated = escalated
        self.pendingSince = pendingSince
        self.raisedAt = raisedAt
        self.lastNotifiedAt = lastNotifiedAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgementNote = acknowledgementNote
        self.lastValue = lastValue
        self.lastValueAt = lastValueAt
        self.lastSeenAt = lastSeenAt
        self.flapHistory = flapHistory
        self.lastEdgeAt = lastEdgeAt
        self.recentValues = recentValues
        self.faultRuns = faultRuns
    }

    /// The state operators see: `flapping` while suppressed, else the condition's.
    package var state: AlertState { isFlapping ? .flapping : condition }
    package var isAcknowledged: Bool { acknowledgedAt != nil }
}
