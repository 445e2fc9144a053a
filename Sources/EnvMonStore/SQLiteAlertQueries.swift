internal import EnvMonCore
internal import GRDB

/// The CLI's and the report's side of alert storage.
struct SQLiteAlertQueries: AlertQueries {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    /// Alerts, newest first: only firing/flapping ones with `activeOnly`.
    package func alerts(
        activeOnly: Bool = false, since: Timestamp? = nil, severity: AlertSeverity? = nil, limit: Int = 1000
    ) throws -> [AlertRecord] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM alerts
                    WHERE (:active = 0 OR state IN ('firing', 'flapping'))
                      AND (:since IS NULL OR coalesce(raised_at, updated_at) >= :since OR resolved_at >= :since)
                      AND (:severity IS NULL OR severity = :severity)
                    ORDER BY coalesce(raised_at, updated_at) DESC, id LIMIT :limit
                    """,
                arguments: [
                    "active": activeOnly ? 1 : 0, "since": since?.milliseconds, "severity": severity?.rawValue,
                    "limit": limit,
                ]
            ).map(Self.alertRecord)
        }
    }

    /// Alerts raised in [from, to), for the report.
    package func alerts(raisedFrom from: Timestamp, to: Timestamp) throws -> [AlertRecord] {
        try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alerts WHERE raised_at >= ? AND raised_at < ? ORDER BY raised_at",
                arguments: [from.milliseconds, to.milliseconds]
            ).map(Self.alertRecord)
        }
    }

    package func alert(id: String) throws -> AlertRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(Self.alertRecord)
        }
    }

    package func history(of alertID: String) throws -> [AlertLogEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_log WHERE alert_id = ? ORDER BY id", arguments: [alertID])
                .map {
                    row in
                    AlertLogEntry(
                        alertID: row["alert_id"], notice: AlertNotice(rawValue: row["notice"]) ?? .raised,
                        from: AlertState(rawValue: row["from_state"]) ?? .inactive,
                        to: AlertState(rawValue: row["to_state"]) ?? .inactive,
                        severity: AlertSeverity(rawValue: row["severity"]) ?? .warning, value: row["value"],
                        threshold: row["threshold"], at: Timestamp(milliseconds: row["at"]), actor: row["actor"],
                        note: row["note"], text: row["text"])
                }
        }
    }

    /// Leaves an acknowledgement for the daemon (the CLI's only write). Returns the request id.
    package func requestAcknowledgement(alertID: String, by: String, note: String?, at time: Timestamp) throws -> Int64
    {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO alert_ack_requests (alert_id, by, note, requested_at) VALUES (?, ?, ?, ?)",
                arguments: [alertID, by, note, time.milliseconds])
            return db.lastInsertedRowID
        }
    }

    package func acknowledgementRequest(id: Int64) throws -> AcknowledgementRequest? {
        try database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, alert_id, by, note, requested_at, status, detail FROM alert_ack_requests WHERE id = ?",
                arguments: [id]
            ).map(Self.acknowledgementRequest)
        }
    }

    static func acknowledgementRequest(_ row: Row) -> AcknowledgementRequest {
        AcknowledgementRequest(
            id: row[0], alertID: row[1], by: row[2], note: row[3], requestedAt: Timestamp(milliseconds: row[4]),
            status: row[5], detail: row[6])
    }

    static func alertRecord(_ row: Row) -> AlertRecord {
        AlertRecord(
            id: row["id"], rule: row["rule"], kind: row["kind"], sensor: row["sensor"], site: row["site"],
            metric: row["metric"], state: AlertState(rawValue: row["state"]) ?? .firing,
            severity: AlertSeverity(rawValue: row["severity"]) ?? .warning, value: row["value"],
            threshold: row["threshold"], basis: row["basis"],
            raisedAt: (row["raised_at"] as Int64?).map { Timestamp(milliseconds: $0) },
            resolvedAt: (row["resolved_at"] as Int64?).map { Timestamp(milliseconds: $0) },
            acknowledgedBy: row["acknowledged_by"],
            acknowledgedAt: (row["acknowledged_at"] as Int64?).map { Timestamp(milliseconds: $0) },
            acknowledgementNote: row["acknowledgement_note"], updatedAt: Timestamp(milliseconds: row["updated_at"]))
    }
}
