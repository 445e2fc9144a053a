internal import EnvMonCore
internal import Foundation
internal import GRDB

/// The daemon's side of alert storage: engine state, alert occurrences, the transition log and
/// the acknowledgement requests the CLI leaves for it.
struct SQLiteAlertWriter: AlertWriter {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    package func loadStates() throws -> [AlertStateRecord] {
        try database.read { db in
            let decoder = JSONDecoder()
            return try String.fetchAll(db, sql: "SELECT record FROM alert_state").compactMap { text in
                try? decoder.decode(AlertStateRecord.self, from: Data(text.utf8))
            }
        }
    }

    /// Records transitions (with their journal text) and changed engine state in one transaction.
    package func record(
        _ transitions: [(AlertTransition, text: String)], states: [AlertStateRecord], removed: [AlertStateRecord] = [],
        at time: Timestamp
    ) throws {
        guard !transitions.isEmpty || !states.isEmpty || !removed.isEmpty else { return }
        let encoder = JSONEncoder()
        try database.write { db in
            let stateStatement = try db.cachedStatement(
                sql: """
                    INSERT INTO alert_state (rule, sensor, metric, record, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (rule, sensor, metric) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at
                    """)
            for state in states {
                let json = String(decoding: try encoder.encode(state), as: UTF8.self)
                try stateStatement.execute(arguments: [
                    state.ruleID, state.sensor, state.metric, json, time.milliseconds,
                ])
            }
            for state in removed {
                try db.execute(
                    sql: "DELETE FROM alert_state WHERE rule = ? AND sensor = ? AND metric = ?",
                    arguments: [state.ruleID, state.sensor, state.metric])
            }
            for (transition, text) in transitions {
                try log(transition, text: text, db)
                try updateOccurrence(transition, db)
            }
        }
    }

    private func log(_ transition: AlertTransition, text: String, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO alert_log (alert_id, rule, sensor, site, metric, notice, from_state, to_state, severity,
                                       value, threshold, at, actor, note, text)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let acknowledging = transition.notice == .acknowledged
        try statement.execute(arguments: [
            transition.alertID, transition.ruleID, transition.sensor, transition.site, transition.metric,
            transition.notice.rawValue, transition.from.rawValue, transition.to.rawValue, transition.severity.rawValue,
            transition.value, transition.threshold, transition.at.milliseconds,
            acknowledging ? transition.acknowledgedBy : nil, acknowledging ? transition.acknowledgementNote : nil, text,
        ])
    }

    /// Keeps the occurrence row current. Pending and cancelled conditions never became alerts.
    private func updateOccurrence(_ transition: AlertTransition, _ db: Database) throws {
        guard transition.notice.isNotification else { return }
        let state: AlertState = transition.to == .inactive ? .resolved : transition.to
        try db.execute(
            sql: """
                INSERT INTO alerts (id, rule, kind, sensor, site, metric, state, severity, value, threshold, basis,
                                    raised_at, resolved_at, acknowledged_by, acknowledged_at, acknowledgement_note, updated_at)
                VALUES (:id, :rule, :kind, :sensor, :site, :metric, :state, :severity, :value, :threshold, :basis,
                        :raised, :resolved, :by, :ackAt, :note, :at)
                ON CONFLICT (id) DO UPDATE SET
                    state = excluded.state, severity = excluded.severity,
                    value = coalesce(excluded.value, alerts.value), threshold = excluded.threshold,
                    raised_at = coalesce(alerts.raised_at, excluded.raised_at),
                    resolved_at = coalesce(excluded.resolved_at, alerts.resolved_at),
                    acknowledged_by = coalesce(excluded.acknowledged_by, alerts.acknowledged_by),
                    acknowledged_at = coalesce(excluded.acknowledged_at, alerts.acknowledged_at),
                    acknowledgement_note = coalesce(excluded.acknowledgement_note, alerts.acknowledgement_note),
                    updated_at = excluded.updated_at
                """,
            arguments: [
                "id": transition.alertID, "rule": transition.ruleID, "kind": transition.kind.rawValue,
                "sensor": transition.sensor, "site": transition.site, "metric": transition.metric,
                "state": state.rawValue, "severity": transition.severity.rawValue, "value": transition.value,
                "threshold": transition.threshold, "basis": transition.basis,
                "raised": (transition.raisedAt ?? (transition.notice == .raised ? transition.at : nil))?.milliseconds,
                "resolved": state == .resolved ? transition.at.milliseconds : nil,
                "by": transition.acknowledgedBy, "ackAt": transition.acknowledgedAt?.milliseconds,
                "note": transition.acknowledgementNote, "at": transition.at.milliseconds,
            ])
    }

    /// Acknowledgements the CLI asked for that the daemon has not handled yet.
    package func pendingAcknowledgements() throws -> [AcknowledgementRequest] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, alert_id, by, note, requested_at, status, detail FROM alert_ack_requests
                    WHERE status = 'pending' ORDER BY id
                    """
            ).map(SQLiteAlertQueries.acknowledgementRequest)
        }
    }

    package func completeAcknowledgement(_ id: Int64, status: String, detail: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE alert_ack_requests SET status = ?, detail = ? WHERE id = ?",
                arguments: [status, detail, id])
        }
    }
}
