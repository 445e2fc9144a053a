/// A value at a time (the recent values of a `rate` rule).
public struct TimedValue: Hashable, Sendable, Codable {
    public var at: Timestamp
    public var value: Double

    public init(at: Timestamp, value: Double) {
        self.at = at
        self.value = value
    }
}

/// A run of QC fail flags on one metric (`qc_fault` rules).
public struct QCFaultRun: Hashable, Sendable, Codable {
    public var metric: String
    /// Fail flags in a row (0 after a pass/suspect reading).
    public var consecutive: Int
    /// First fail of the current run.
    public var since: Timestamp?
    /// Latest quality observation of this metric (pass, suspect or fail).
    public var lastAt: Timestamp

    public init(metric: String, consecutive: Int, since: Timestamp?, lastAt: Timestamp) {
        self.metric = metric
        self.consecutive = consecutive
        self.since = since
        self.lastAt = lastAt
    }
}

/// The whole state of one (rule, sensor) pair as plain values: what the store persists and gives
/// back after a restart (`AlertEngine.exportState()` / `restore(_:)`).
public struct AlertStateRecord: Hashable, Sendable, Codable {
    public var ruleID: String
    public var sensor: String
    public var site: String
    public var metric: String
    /// inactive, pending or firing: the condition as judged, flapping or not.
    public var condition: AlertState
    /// Flap suppression is holding notices back; the public state is then `flapping`.
    public var isFlapping: Bool
    /// The current occurrence (set from pending until resolved).
    public var alertID: String?
    public var severity: AlertSeverity
    /// Whether the escalation condition holds (severity is the escalation's while firing).
    public var escalated: Bool
    public var pendingSince: Timestamp?
    public var raisedAt: Timestamp?
    public var lastNotifiedAt: Timestamp?
    public var acknowledgedBy: String?
    public var acknowledgedAt: Timestamp?
    public var acknowledgementNote: String?
    public var lastValue: Double?
    public var lastValueAt: Timestamp?
    /// Latest reading of any quality (`no_data`); nil: never reported.
    public var lastSeenAt: Timestamp?
    /// Raise/resolve edges within the flap window, oldest first.
    public var flapHistory: [Timestamp]
    /// The latest raise/resolve edge (flap quiet period counts from it).
    public var lastEdgeAt: Timestamp?
    /// Values within the window of a `rate` rule, oldest first.
    public var recentValues: [TimedValue]
    /// Fail runs per metric of a `qc_fault` rule.
    public var faultRuns: [QCFaultRun]

    public init(
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
    public var state: AlertState { isFlapping ? .flapping : condition }
    public var isAcknowledged: Bool { acknowledgedAt != nil }
}
