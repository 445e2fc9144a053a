package import EnvMonCore

/// An alert as the report needs it, whatever the alert store keeps besides. The lead wires a
/// `ReportAlertSource` over the alert log; tests feed records directly.
package struct ReportAlertRecord: Hashable, Sendable {
    package var rule: String
    package var sensor: String
    package var site: String?
    package var metric: String?
    /// As the alert rules name it: "warning", "critical", ...
    package var severity: String
    package var raisedAt: Timestamp
    package var acknowledgedAt: Timestamp?
    package var resolvedAt: Timestamp?

    package init(
        rule: String, sensor: String, site: String?, metric: String? = nil, severity: String, raisedAt: Timestamp,
        acknowledgedAt: Timestamp? = nil, resolvedAt: Timestamp? = nil
    ) {
        self.rule = rule
        self.sensor = sensor
        self.site = site
        self.metric = metric
        self.severity = severity
        self.raisedAt = raisedAt
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
    }
}

/// Where the report gets alerts from.
package protocol ReportAlertSource: Sendable {
    /// Every alert raised, acknowledged or resolved in [from, to), or still open at `from`.
    func alerts(from: Timestamp, to: Timestamp) throws -> [ReportAlertRecord]
}

/// A source over a fixed list (tests) or a closure (an adapter over another store).
package struct ClosureAlertSource: ReportAlertSource {
    let fetch: @Sendable (Timestamp, Timestamp) throws -> [ReportAlertRecord]

    package init(_ fetch: @escaping @Sendable (Timestamp, Timestamp) throws -> [ReportAlertRecord]) {
        self.fetch = fetch
    }

    package init(records: [ReportAlertRecord]) {
        self.fetch = { _, _ in records }
    }

    package func alerts(from: Timestamp, to: Timestamp) throws -> [ReportAlertRecord] { try fetch(from, to) }
}
