public import EnvMonCore

/// An alert as the report needs it, whatever the alert store keeps besides. The lead wires a
/// `ReportAlertSource` over the alert log; tests feed records directly.
public struct ReportAlertRecord: Hashable, Sendable {
    public var rule: String
    public var sensor: String
    public var site: String?
    public var metric: String?
    /// As the alert rules name it: "warning", "critical", ...
    public var severity: String
    public var raisedAt: Timestamp
    public var acknowledgedAt: Timestamp?
    public var resolvedAt: Timestamp?

    public init(
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
public protocol ReportAlertSource: Sendable {
    /// Every alert raised, acknowledged or resolved in [from, to), or still open at `from`.
    func alerts(from: Timestamp, to: Timestamp) throws -> [ReportAlertRecord]
}

/// A source over a fixed list (tests) or a closure (an adapter over another store).
public struct ClosureAlertSource: ReportAlertSource {
    let fetch: @Sendable (Timestamp, Timestamp) throws -> [ReportAlertRecord]

    public init(_ fetch: @escaping @Sendable (Timestamp, Timestamp) throws -> [ReportAlertRecord]) {
        self.fetch = fetch
    }

    public init(records: [ReportAlertRecord]) {
        self.fetch = { _, _ in records }
    }

    public func alerts(from: Timestamp, to: Timestamp) throws -> [ReportAlertRecord] { try fetch(from, to) }
}
