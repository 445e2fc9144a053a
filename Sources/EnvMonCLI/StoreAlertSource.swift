internal import EnvMonCore
internal import EnvMonReport
internal import EnvMonStore

/// The report's alerts from the store's alert table (`AlertQueries.alerts(raisedFrom:to:)`): one
/// record per alert raised in the period, with when it was acknowledged and resolved. Alerts raised
/// before the period but acknowledged or resolved in it are not counted by this query.
struct StoreAlertSource: ReportAlertSource {
    let queries: any AlertQueries

    func alerts(from: Timestamp, to: Timestamp) throws -> [ReportAlertRecord] {
        try queries.alerts(raisedFrom: from, to: to).compactMap { alert in
            guard let raisedAt = alert.raisedAt else { return nil }
            return ReportAlertRecord(
                rule: alert.rule, sensor: alert.sensor, site: alert.site, metric: alert.metric,
                severity: alert.severity.rawValue, raisedAt: raisedAt, acknowledgedAt: alert.acknowledgedAt,
                resolvedAt: alert.resolvedAt)
        }
    }
}
