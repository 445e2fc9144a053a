package import EnvMonCore

/// Alerts as the CLI, the report and the console read them, and the acknowledgement requests
/// they queue for the daemon (`Store.alerts`).
package protocol AlertQueries: Sendable {
    func alerts(activeOnly: Bool, since: Timestamp?, severity: AlertSeverity?, limit: Int) throws -> [AlertRecord]
    /// Alerts raised in [from, to).
    func alerts(raisedFrom from: Timestamp, to: Timestamp) throws -> [AlertRecord]
    func alert(id: String) throws -> AlertRecord?
    func history(of alertID: String) throws -> [AlertLogEntry]
    /// Queues an acknowledgement for the daemon; the request's id.
    func requestAcknowledgement(alertID: String, by: String, note: String?, at time: Timestamp) throws -> Int64
    func acknowledgementRequest(id: Int64) throws -> AcknowledgementRequest?
}

extension AlertQueries {
    package func alerts(
        activeOnly: Bool = false, since: Timestamp? = nil, severity: AlertSeverity? = nil
    ) throws -> [AlertRecord] {
        try alerts(activeOnly: activeOnly, since: since, severity: severity, limit: 1000)
    }
}
