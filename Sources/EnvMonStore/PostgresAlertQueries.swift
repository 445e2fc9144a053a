internal import EnvMonCore
internal import PostgresNIO

/// The CLI's, the report's and the console's side of alert storage in PostgreSQL: the same
/// answers as `SQLiteAlertQueries`, row for row and in the same order.
///
/// Text is ordered with `COLLATE "C"` wherever SQLite orders it: SQLite compares bytes, while
/// PostgreSQL's default collation follows the database's locale (and could put "a_b" and "a:b"
/// the other way round).
struct PostgresAlertQueries: AlertQueries {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    /// Alerts, newest first: only firing/flapping ones with `activeOnly`.
    func alerts(activeOnly: Bool, since: Timestamp?, severity: AlertSeverity?, limit: Int) throws -> [AlertRecord] {
        var binds = PostgresBindings()
        binds.append(activeOnly)
        binds.append(since?.milliseconds)
        binds.append(severity?.rawValue)
        // SQLite reads a negative LIMIT as "no limit"; PostgreSQL refuses one, and means the
        // same by LIMIT NULL.
        binds.append(limit < 0 ? nil : Int64(limit))
        return try session.query(
            """
            SELECT \(Self.alertColumns) FROM alerts
            WHERE (NOT $1::bool OR state IN ('firing', 'flapping'))
              AND ($2::int8 IS NULL OR coalesce(raised_at, updated_at) >= $2 OR resolved_at >= $2)
              AND ($3::text IS NULL OR severity = $3)
            ORDER BY coalesce(raised_at, updated_at) DESC, id COLLATE "C" LIMIT $4::int8
            """, binds
        ).map(Self.alertRecord)
    }

    /// Alerts raised in [from, to), for the report.
    func alerts(raisedFrom from: Timestamp, to: Timestamp) throws -> [AlertRecord] {
        var binds = PostgresBindings()
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        // Alerts raised in the same millisecond (one tick raising several) come in the order
        // they were stored, as SQLite gives them (its index on raised_at ends in the rowid).
        // PostgreSQL has no rowid: the order stored is that of each alert's first notification
        // in the log, the transition that inserted its row (`PostgresAlertWriter.record`).
        return try session.query(
            """
            SELECT \(Self.alertColumns) FROM alerts WHERE raised_at >= $1 AND raised_at < $2
            ORDER BY raised_at,
                (SELECT min(log.id) FROM alert_log log
                 WHERE log.alert_id = alerts.id AND log.notice NOT IN ('pending', 'cancelled')),
                id COLLATE "C"
            """, binds
        ).map(Self.alertRecord)
    }

    func alert(id: String) throws -> AlertRecord? {
        var binds = PostgresBindings()
        binds.append(id)
        return try session.query("SELECT \(Self.alertColumns) FROM alerts WHERE id = $1", binds).first.map(
            Self.alertRecord)
    }

    func history(of alertID: String) throws -> [AlertLogEntry] {
        var binds = PostgresBindings()
        binds.append(alertID)
        return try session.query(
            """
            SELECT alert_id, notice, from_state, to_state, severity, value, threshold, at, actor, note, text
            FROM alert_log WHERE alert_id = $1 ORDER BY id
            """, binds
        ).map { row in
            let (alertID, notice, from, to, severity, value, threshold, at, actor, note, text) = try row.decode(
                (String, String, String, String, String, Double?, Double, Int64, String?, String?, String).self)
            // The same fallbacks as SQLite's for a value this build does not know.
            return AlertLogEntry(
                alertID: alertID, notice: AlertNotice(rawValue: notice) ?? .raised,
                from: AlertState(rawValue: from) ?? .inactive, to: AlertState(rawValue: to) ?? .inactive,
                severity: AlertSeverity(rawValue: severity) ?? .warning, value: value, threshold: threshold,
                at: Timestamp(milliseconds: at), actor: actor, note: note, text: text)
        }
    }

    /// Leaves an acknowledgement for the daemon (the CLI's only write). Returns the request id.
    func requestAcknowledgement(alertID: String, by: String, note: String?, at time: Timestamp) throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(alertID)
        binds.append(by)
        binds.append(note)
        binds.append(time.milliseconds)
        guard
            let id = try session.query(
                """
                INSERT INTO alert_ack_requests (alert_id, "by", note, requested_at)
                VALUES ($1, $2, $3::text, $4) RETURNING id
                """, binds
            ).first
        else { throw StoreError(.invalidArgument, "\(session.location): the acknowledgement request was not stored") }
        return try id.decode(Int64.self)
    }

    func acknowledgementRequest(id: Int64) throws -> AcknowledgementRequest? {
        var binds = PostgresBindings()
        binds.append(id)
        return try session.query(
            "SELECT \(Self.acknowledgementColumns) FROM alert_ack_requests WHERE id = $1", binds
        ).first.map(Self.acknowledgementRequest)
    }

    /// The columns `acknowledgementRequest(_:)` reads, in its order.
    static let acknowledgementColumns = #"id, alert_id, "by", note, requested_at, status, detail"#

    static func acknowledgementRequest(_ row: PostgresRow) throws -> AcknowledgementRequest {
        let (id, alertID, by, note, requestedAt, status, detail) = try row.decode(
            (Int64, String, String, String?, Int64, String, String?).self)
        return AcknowledgementRequest(
            id: id, alertID: alertID, by: by, note: note, requestedAt: Timestamp(milliseconds: requestedAt),
            status: status, detail: detail)
    }

    /// The columns `alertRecord(_:)` reads, in its order.
    static let alertColumns = """
        id, rule, kind, sensor, site, metric, state, severity, value, threshold, basis, raised_at, resolved_at,
        acknowledged_by, acknowledged_at, acknowledgement_note, updated_at
        """

    static func alertRecord(_ row: PostgresRow) throws -> AlertRecord {
        let (
            id, rule, kind, sensor, site, metric, state, severity, value, threshold, basis, raisedAt, resolvedAt,
            acknowledgedBy, acknowledgedAt, note, updatedAt
        ) = try row.decode(
            (
                String, String, String, String, String, String, String, String, Double?, Double, String, Int64?,
                Int64?, String?, Int64?, String?, Int64
            ).self)
        return AlertRecord(
            id: id, rule: rule, kind: kind, sensor: sensor, site: site, metric: metric,
            state: AlertState(rawValue: state) ?? .firing, severity: AlertSeverity(rawValue: severity) ?? .warning,
            value: value, threshold: threshold, basis: basis, raisedAt: raisedAt.map(Timestamp.init(milliseconds:)),
            resolvedAt: resolvedAt.map(Timestamp.init(milliseconds:)), acknowledgedBy: acknowledgedBy,
            acknowledgedAt: acknowledgedAt.map(Timestamp.init(milliseconds:)), acknowledgementNote: note,
            updatedAt: Timestamp(milliseconds: updatedAt))
    }
}
