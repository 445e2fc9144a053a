internal import EnvMonCore
internal import Foundation
internal import GRDB

/// The durable outbox: a file is made once per (target, name) and kept as sent; senders take the
/// oldest unsent entry of their target, so a backlog goes out in order.
struct SQLiteOutboxStore: OutboxStore {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    /// Adds entries (an existing (target, name) is left as it is) and moves stations' made-through
    /// marks, in one transaction: an interval is never made twice nor skipped.
    package func enqueue(_ entries: [OutboxEntry], madeThrough: [String: Timestamp] = [:]) throws {
        try database.write { db in
            for entry in entries {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO outbox (target, kind, name, body, station, interval_end, created_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        entry.target, entry.kind.rawValue, entry.name, Data(entry.body), entry.station,
                        entry.intervalEnd?.milliseconds, entry.createdAt.milliseconds, entry.nextAttemptAt.milliseconds,
                    ])
            }
            for (station, time) in madeThrough {
                try db.execute(
                    sql: """
                        INSERT INTO transmission_state (station, made_through) VALUES (?, ?)
                        ON CONFLICT (station) DO UPDATE SET made_through = max(made_through, excluded.made_through)
                        """, arguments: [station, time.milliseconds])
            }
        }
    }

    /// The end of the newest interval whose file was made for each station.
    package func madeThrough() throws -> [String: Timestamp] {
        try database.read { db in
            var result: [String: Timestamp] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT station, made_through FROM transmission_state") {
                result[row[0]] = Timestamp(milliseconds: row[1])
            }
            return result
        }
    }

    /// The oldest entry of `target` still to send (nil when there is none).
    package func next(target: String) throws -> OutboxEntry? {
        try database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM outbox WHERE target = ? AND sent_at IS NULL AND abandoned_at IS NULL
                    ORDER BY id LIMIT 1
                    """, arguments: [target]
            ).map(Self.entry)
        }
    }

    package func entry(id: Int64) throws -> OutboxEntry? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.entry)
        }
    }

    /// Entries of a station's intervals ending in [from, to], oldest first (all targets).
    package func dataFiles(station: String? = nil, from: Timestamp, to: Timestamp) throws -> [OutboxEntry] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE kind = 'data_file' AND interval_end >= ? AND interval_end <= ?
                    AND (? IS NULL OR station = ?) ORDER BY interval_end, id
                    """, arguments: [from.milliseconds, to.milliseconds, station, station]
            ).map(Self.entry)
        }
    }

    package func markUploadStarted(_ id: Int64, at time: Timestamp) throws {
        try update("UPDATE outbox SET upload_started_at = ? WHERE id = ?", [time.milliseconds, id])
    }

    package func markSent(_ id: Int64, at time: Timestamp) throws {
        try update(
            "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_attempt_at = ?, last_error = NULL WHERE id = ?",
            [time.milliseconds, time.milliseconds, id])
    }

    /// Keeps `upload_started_at`: a failed attempt may still have reached the server (the reply
    /// lost), so the next attempt asks the server first.
    package func markFailed(_ id: Int64, error: String, retryAt: Timestamp, at time: Timestamp) throws {
        try update(
            """
            UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?, next_attempt_at = ?
            WHERE id = ?
            """, [time.milliseconds, error, retryAt.milliseconds, id])
    }

    package func markAbandoned(_ id: Int64, error: String, at time: Timestamp) throws {
        try update(
            "UPDATE outbox SET abandoned_at = ?, last_error = ?, last_attempt_at = ? WHERE id = ?",
            [time.milliseconds, error, time.milliseconds, id])
    }

    /// Queues the data files of intervals ending in [from, to] again (all targets, or one; all
    /// stations, or one). Returns how many.
    package func resend(
        target: String?, station: String?, from: Timestamp, to: Timestamp, at time: Timestamp
    )
        throws -> Int
    {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET sent_at = NULL, abandoned_at = NULL, attempts = 0, next_attempt_at = ?,
                    upload_started_at = NULL, last_error = NULL
                    WHERE kind = 'data_file' AND interval_end >= ? AND interval_end <= ?
                    AND (? IS NULL OR target = ?) AND (? IS NULL OR station = ?)
                    """,
                arguments: [time.milliseconds, from.milliseconds, to.milliseconds, target, target, station, station])
            return db.changesCount
        }
    }

    /// Per target: how many sent, waiting and given up, the last sent, the oldest waiting, the last error.
    package func status() throws -> [OutboxTargetStatus] {
        try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT target,
                      sum(sent_at IS NOT NULL), sum(sent_at IS NULL AND abandoned_at IS NULL), sum(abandoned_at IS NOT NULL),
                      max(sent_at), min(CASE WHEN sent_at IS NULL AND abandoned_at IS NULL THEN created_at END),
                      max(last_attempt_at)
                    FROM outbox GROUP BY target ORDER BY target
                    """)
            return try rows.map { row in
                let target: String = row[0]
                let lastSent = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT name, sent_at FROM outbox WHERE target = ? AND sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1",
                    arguments: [target])
                let lastError = try String.fetchOne(
                    db,
                    sql: """
                        SELECT last_error FROM outbox WHERE target = ? AND last_error IS NOT NULL
                        AND (sent_at IS NULL OR abandoned_at IS NOT NULL) ORDER BY last_attempt_at DESC LIMIT 1
                        """, arguments: [target])
                return OutboxTargetStatus(
                    target: target, sent: row[1] ?? 0, backlog: row[2] ?? 0, abandoned: row[3] ?? 0,
                    lastSentAt: (lastSent?[1] as Int64?).map { Timestamp(milliseconds: $0) },
                    lastSentName: lastSent?[0], oldestPendingAt: (row[5] as Int64?).map { Timestamp(milliseconds: $0) },
                    lastError: lastError, lastAttemptAt: (row[6] as Int64?).map { Timestamp(milliseconds: $0) })
            }
        }
    }

    /// Entries of one target or all, oldest first (by id: the order they were queued); "still to
    /// send" as `status()` counts the backlog.
    package func entries(target: String?, waitingOnly: Bool, limit: Int) throws -> [OutboxEntry] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE (:target IS NULL OR target = :target)
                    AND (:waitingOnly = 0 OR (sent_at IS NULL AND abandoned_at IS NULL))
                    ORDER BY id LIMIT :limit
                    """, arguments: ["target": target, "waitingOnly": waitingOnly ? 1 : 0, "limit": limit]
            ).map(Self.entry)
        }
    }

    /// Deletes entries sent or given up before `before`. Returns how many.
    package func prune(before: Timestamp) throws -> Int {
        try database.write { db in
            try db.execute(
                sql:
                    "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) OR (abandoned_at IS NOT NULL AND abandoned_at < ?)",
                arguments: [before.milliseconds, before.milliseconds])
            return db.changesCount
        }
    }

    private func update(_ sql: String, _ arguments: StatementArguments) throws {
        try database.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    static func entry(_ row: Row) -> OutboxEntry {
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map { Timestamp(milliseconds: $0) } }
        var entry = OutboxEntry(
            target: row["target"], kind: OutboxEntry.Kind(rawValue: row["kind"]) ?? .dataFile, name: row["name"],
            body: [UInt8]((row["body"] as Data?) ?? Data()), station: row["station"], intervalEnd: time("interval_end"),
            createdAt: Timestamp(milliseconds: row["created_at"]))
        entry.id = row["id"]
        entry.attempts = row["attempts"]
        entry.nextAttemptAt = Timestamp(milliseconds: row["next_attempt_at"])
        entry.lastError = row["last_error"]
        entry.sentAt = time("sent_at")
        entry.abandonedAt = time("abandoned_at")
        entry.uploadStartedAt = time("upload_started_at")
        return entry
    }
}
