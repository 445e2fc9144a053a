package import EnvMonCore

/// An alert occurrence as `envmon alerts` shows it.
package struct AlertRecord: Hashable, Sendable {
    package var id: String
    package var rule: String
    package var kind: String
    package var sensor: String
    package var site: String
    package var metric: String
    package var state: AlertState
    package var severity: AlertSeverity
    package var value: Double?
    package var threshold: Double
    package var basis: String
    package var raisedAt: Timestamp?
    package var resolvedAt: Timestamp?
    package var acknowledgedBy: String?
    package var acknowledgedAt: Timestamp?
    package var acknowledgementNote: String?
    package var updatedAt: Timestamp
}

/// One line of an alert's history.
package struct AlertLogEntry: Hashable, Sendable {
    package var alertID: String
    package var notice: AlertNotice
    package var from: AlertState
    package var to: AlertState
    package var severity: AlertSeverity
    package var value: Double?
    package var threshold: Double
    package var at: Timestamp
    package var actor: String?
    package var note: String?
    package var text: String
}

/// An acknowledgement asked for by staff through the CLI, waiting for the daemon.
package struct AcknowledgementRequest: Hashable, Sendable {
    package var id: Int64
    package var alertID: String
    package var by: String
    package var note: String?
    package var requestedAt: Timestamp
    package var status: String
    package var detail: String?
}
