public import EnvMonCore

/// An alert occurrence as `envmon alerts` shows it.
public struct AlertRecord: Hashable, Sendable {
    public var id: String
    public var rule: String
    public var kind: String
    public var sensor: String
    public var site: String
    public var metric: String
    public var state: AlertState
    public var severity: AlertSeverity
    public var value: Double?
    public var threshold: Double
    public var basis: String
    public var raisedAt: Timestamp?
    public var resolvedAt: Timestamp?
    public var acknowledgedBy: String?
    public var acknowledgedAt: Timestamp?
    public var acknowledgementNote: String?
    public var updatedAt: Timestamp
}

/// One line of an alert's history.
public struct AlertLogEntry: Hashable, Sendable {
    public var alertID: String
    public var notice: AlertNotice
    public var from: AlertState
    public var to: AlertState
    public var severity: AlertSeverity
    public var value: Double?
    public var threshold: Double
    public var at: Timestamp
    public var actor: String?
    public var note: String?
    public var text: String
}

/// An acknowledgement asked for by staff through the CLI, waiting for the daemon.
public struct AcknowledgementRequest: Hashable, Sendable {
    public var id: Int64
    public var alertID: String
    public var by: String
    public var note: String?
    public var requestedAt: Timestamp
    public var status: String
    public var detail: String?
}
