internal import EnvMonCore
internal import Foundation
internal import PostgresNIO

/// The daemon's side of alert storage in PostgreSQL: engine state, alert occurrences, the
/// transition log and the acknowledgement requests the CLI leaves. The same results as
/// `SQLiteAlertWriter`.
///
/// Several collectors: every daemon polls `pendingAcknowledgements()` and may see the same
/// request. Taking it atomically there (marking it taken as it is read) would leave it taken for
/// ever if that daemon stopped before answering, and the CLI waits for the status to leave
/// "pending", so would report a status it does not know. Instead the answer is what is atomic:
/// `completeAcknowledgement` only answers a request still pending, so the first daemon's answer
/// stands and a later one changes nothing (each daemon's engine still learns of the
/// acknowledgement, which it needs to stop repeating the alert).
struct PostgresAlertWriter: AlertWriter {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    /// In (rule, sensor, metric) order, as SQLite's `WITHOUT ROWID` table gives them; a record
    /// this build cannot decode is skipped, as there.
    func loadStates() throws -> [AlertStateRecord] {
        let decoder = JSONDecoder()
        return try session.query(
            #"SELECT record FROM alert_state ORDER BY rule COLLATE "C", sensor COLLATE "C", metric COLLATE "C""#
        ).compactMap { row in
            try? decoder.decode(AlertStateRecord.self, from: Data(try row.decode(String.self).utf8))
        }
    }

    /// Records transitions (with their journal text) and changed engine state in one transaction.
    func record(
        _ transitions: [(AlertTransition, text: String)], states: [AlertStateRecord], removed: [AlertStateRecord],
        at time: Timestamp
    ) throws {
        guard !transitions.isEmpty || !states.isEmpty || !removed.isEmpty else { return }
        let encoder = JSONEncoder()
        let stateRows = try states.map { state in
            (state, String(decoding: try encoder.encode(state), as: UTF8.self))
        }
        // The last record of a key wins, as one statement per record gave it (and one upsert may
        // not touch a row twice).
        var latest: [StateKey: String] = [:]
        for (state, json) in stateRows { latest[StateKey(state)] = json }
        try session.transaction { connection in
            // Set-based, one statement each for the saved and the removed states: the periodic
            // save under load writes every series' state (thousands of rows), and a round trip
            // per row made it take about a second.
            if !latest.isEmpty {
                let entries = Array(latest)
                var binds = PostgresBindings()
                binds.append(entries.map(\.key.rule))
                binds.append(entries.map(\.key.sensor))
                binds.append(entries.map(\.key.metric))
                binds.append(entries.map(\.value))
                binds.append(time.milliseconds)
                try connection.execute(
                    """
                    INSERT INTO alert_state (rule, sensor, metric, record, updated_at)
                    SELECT rule, sensor, metric, record, $5
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s (rule, sensor, metric, record)
                    ON CONFLICT (rule, sensor, metric) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at
                    """, binds)
            }
            if !removed.isEmpty {
                var binds = PostgresBindings()
                binds.append(removed.map(\.ruleID))
                binds.append(removed.map(\.sensor))
                binds.append(removed.map(\.metric))
                try connection.execute(
                    """
                    DELETE FROM alert_state a USING unnest($1::text[], $2::text[], $3::text[]) AS r (rule, sensor, metric)
                    WHERE a.rule = r.rule AND a.sensor = r.sensor AND a.metric = r.metric
                    """, binds)
            }
            for (transition, text) in transitions {
                try log(transition, text: text, on: connection)
                try updateOccurrence(transition, on: connection)
            }
        }
    }

    /// A row of `alert_state`.
    private struct StateKey: Hashable {
        var rule: String
        var sensor: String
        var metric: String

        init(_ state: AlertStateRecord) {
            rule = state.ruleID
            sensor = state.sensor
            metric = state.metric
        }
    }

    private func log(_ transition: AlertTransition, text: String, on connection: PostgresSession.Connection) throws {
        let acknowledging = transition.notice == .acknowledged
        var binds = PostgresBindings()
        binds.append(transition.alertID)
        binds.append(transition.ruleID)
        binds.append(transition.sensor)
        binds.append(transition.site)
        binds.append(transition.metric)
        binds.append(transition.notice.rawValue)
        binds.append(transition.from.rawValue)
        binds.append(transition.to.rawValue)
        binds.append(transition.severity.rawValue)
        binds.append(transition.value)
        binds.append(transition.threshold)
        binds.append(transition.at.milliseconds)
        binds.append(acknowledging ? transition.acknowledgedBy : nil)
        binds.append(acknowledging ? transition.acknowledgementNote : nil)
        binds.append(text)
        try connection.execute(
            """
            INSERT INTO alert_log (alert_id, rule, sensor, site, metric, notice, from_state, to_state, severity,
                                   value, threshold, at, actor, note, text)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::float8, $11, $12, $13::text, $14::text, $15)
            """, binds)
    }

    /// Keeps the occurrence row current. Pending and cancelled conditions never became alerts.
    private func updateOccurrence(_ transition: AlertTransition, on connection: PostgresSession.Connection) throws {
        guard transition.notice.isNotification else { return }
        let state: AlertState = transition.to == .inactive ? .resolved : transition.to
        var binds = PostgresBindings()
        binds.append(transition.alertID)
        binds.append(transition.ruleID)
        binds.append(transition.kind.rawValue)
        binds.append(transition.sensor)
        binds.append(transition.site)
        binds.append(transition.metric)
        binds.append(state.rawValue)
        binds.append(transition.severity.rawValue)
        binds.append(transition.value)
        binds.append(transition.threshold)
        binds.append(transition.basis)
        binds.append((transition.raisedAt ?? (transition.notice == .raised ? transition.at : nil))?.milliseconds)
        binds.append(state == .resolved ? transition.at.milliseconds : nil)
        binds.append(transition.acknowledgedBy)
        binds.append(transition.acknowledgedAt?.milliseconds)
        binds.append(transition.acknowledgementNote)
        binds.append(transition.at.milliseconds)
        try connection.execute(
            """
            INSERT INTO alerts (id, rule, kind, sensor, site, metric, state, severity, value, threshold, basis,
                                raised_at, resolved_at, acknowledged_by, acknowledged_at, acknowledgement_note, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::float8, $10, $11, $12::int8, $13::int8, $14::text, $15::int8,
                    $16::text, $17)
            ON CONFLICT (id) DO UPDATE SET
                state = excluded.state, severity = excluded.severity,
                value = coalesce(excluded.value, alerts.value), threshold = excluded.threshold,
                raised_at = coalesce(alerts.raised_at, excluded.raised_at),
                resolved_at = coalesce(excluded.resolved_at, alerts.resolved_at),
                acknowledged_by = coalesce(excluded.acknowledged_by, alerts.acknowledged_by),
                acknowledged_at = coalesce(excluded.acknowledged_at, alerts.acknowledged_at),
                acknowledgement_note = coalesce(excluded.acknowledgement_note, alerts.acknowledgement_note),
                updated_at = excluded.updated_at
            """, binds)
    }

    /// Acknowledgements the CLI asked for that no daemon has answered yet, oldest first.
    func pendingAcknowledgements() throws -> [AcknowledgementRequest] {
        try session.query(
            """
            SELECT \(PostgresAlertQueries.acknowledgementColumns) FROM alert_ack_requests
            WHERE status = 'pending' ORDER BY id
            """
        ).map(PostgresAlertQueries.acknowledgementRequest)
    }

    /// Answers a request still pending (see the type's note: with several collectors the first
    /// answer stands). One daemon answers each request once, so alone it is SQLite's update.
    func completeAcknowledgement(_ id: Int64, status: String, detail: String) throws {
        var binds = PostgresBindings()
        binds.append(status)
        binds.append(detail)
        binds.append(id)
        try session.query(
            "UPDATE alert_ack_requests SET status = $1, detail = $2 WHERE id = $3 AND status = 'pending'", binds)
    }
}
