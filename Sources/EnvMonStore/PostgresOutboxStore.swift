internal import EnvMonCore
internal import PostgresNIO

/// The durable outbox in PostgreSQL: a file is made once per (target, name) and kept as sent;
/// senders take the oldest unsent entry of their target, so a backlog goes out in order. The
/// same results as `SQLiteOutboxStore` for one daemon.
///
/// Several collectors: each daemon runs a sender per target, and two senders taking the same
/// entry would upload the file twice. `FOR UPDATE SKIP LOCKED` cannot prevent that here: `next`
/// is one statement, so its row lock ends as it returns, long before the upload (holding a
/// transaction open across the upload would hold the session every role of the daemon shares);
/// and skipping a locked entry would send a later file before an earlier one, which the order
/// promise forbids. So a target has one sender at a time instead: `next` takes a session-level
/// advisory lock for the target and answers nil (nothing to send) to every other session while
/// that one holds it. The lock lasts as long as the holder's connection, so when that daemon
/// stops or loses the server, the next `next` of another collector takes the target over (and
/// an upload it left begun is checked with the server first, from `uploadStartedAt`).
/// The lock needs a session that is one server connection throughout, as `PostgresSession`'s
/// is (a pooler in transaction mode in between would lose it).
struct PostgresOutboxStore: OutboxStore {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    /// Adds entries (an existing (target, name) is left as it is) and moves stations' made-through
    /// marks, in one transaction: an interval is never made twice nor skipped.
    func enqueue(_ entries: [OutboxEntry], madeThrough: [String: Timestamp]) throws {
        guard !entries.isEmpty || !madeThrough.isEmpty else { return }
        try session.transaction { connection in
            // One statement per entry: an interval makes a file or two per target. NOT EXISTS
            // first so that an entry already there does not use up an id (a conflicting insert
            // takes one from the sequence), keeping ids as SQLite numbers them; ON CONFLICT for
            // another collector enqueueing the same file at the same moment.
            for entry in entries {
                var binds = PostgresBindings()
                binds.append(entry.target)
                binds.append(entry.kind.rawValue)
                binds.append(entry.name)
                binds.append(ByteBuffer(bytes: entry.body))
                binds.append(entry.station)
                binds.append(entry.intervalEnd?.milliseconds)
                binds.append(entry.createdAt.milliseconds)
                binds.append(entry.nextAttemptAt.milliseconds)
                try connection.execute(
                    """
                    INSERT INTO outbox (target, kind, name, body, station, interval_end, created_at, next_attempt_at)
                    SELECT $1, $2, $3, $4, $5::text, $6::int8, $7, $8
                    WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE target = $1 AND name = $3)
                    ON CONFLICT (target, name) DO NOTHING
                    """, binds)
            }
            for (station, time) in madeThrough {
                var binds = PostgresBindings()
                binds.append(station)
                binds.append(time.milliseconds)
                try connection.execute(
                    """
                    INSERT INTO transmission_state AS t (station, made_through) VALUES ($1, $2)
                    ON CONFLICT (station) DO UPDATE SET made_through = greatest(t.made_through, excluded.made_through)
                    """, binds)
            }
        }
    }

    /// The end of the newest interval whose file was made for each station.
    func madeThrough() throws -> [String: Timestamp] {
        var result: [String: Timestamp] = [:]
        for row in try session.query("SELECT station, made_through FROM transmission_state") {
            let (station, time) = try row.decode((String, Int64).self)
            result[station] = Timestamp(milliseconds: time)
        }
        return result
    }

    /// The oldest entry of `target` still to send; nil when there is none, or when another
    /// collector's session is the target's sender (see the type's note).
    func next(target: String) throws -> OutboxEntry? {
        var binds = PostgresBindings()
        binds.append(target)
        binds.append(Self.senderLockClass)
        binds.append(Self.senderLockKey(target))
        // pg_locks first (CASE keeps the order): taking a session lock again would stack one
        // more count on it every poll. The CTE runs once, as it calls a volatile function.
        return try session.query(
            """
            WITH sender AS (
                SELECT CASE WHEN EXISTS (
                    SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                    AND classid = $2::int4::oid AND objid = $3::int4::oid AND objsubid = 2
                ) THEN true ELSE pg_try_advisory_lock($2::int4, $3::int4) END AS holds)
            SELECT \(Self.columns) FROM outbox, sender
            WHERE sender.holds AND target = $1 AND sent_at IS NULL AND abandoned_at IS NULL
            ORDER BY id LIMIT 1
            """, binds
        ).first.map(Self.entry)
    }

    /// The first key of the sender locks: "EnvO". (Two-key advisory locks are a key space apart
    /// from the one-key locks the migrations and partitions take.)
    static let senderLockClass: Int32 = 0x456E_764F

    /// The second key: the target's FNV-1a hash, the same in every collector (unlike a hash the
    /// server computes, which may change between PostgreSQL versions). Two targets sharing a hash
    /// only means one collector sends both.
    static func senderLockKey(_ target: String) -> Int32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in target.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return Int32(bitPattern: hash)
    }

    func entry(id: Int64) throws -> OutboxEntry? {
        var binds = PostgresBindings()
        binds.append(id)
        return try session.query("SELECT \(Self.columns) FROM outbox WHERE id = $1", binds).first.map(Self.entry)
    }

    /// Entries of a station's intervals ending in [from, to], oldest first (all targets).
    func dataFiles(station: String?, from: Timestamp, to: Timestamp) throws -> [OutboxEntry] {
        var binds = PostgresBindings()
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        binds.append(station)
        return try session.query(
            """
            SELECT \(Self.columns) FROM outbox WHERE kind = 'data_file' AND interval_end >= $1 AND interval_end <= $2
            AND ($3::text IS NULL OR station = $3) ORDER BY interval_end, id
            """, binds
        ).map(Self.entry)
    }

    /// Entries oldest first, of one target or all, only those still to send when asked; a
    /// negative limit is none (SQLite's LIMIT -1; PostgreSQL says so with LIMIT NULL).
    func entries(target: String?, waitingOnly: Bool, limit: Int) throws -> [OutboxEntry] {
        var binds = PostgresBindings()
        binds.append(target)
        binds.append(waitingOnly)
        binds.append(limit < 0 ? nil : Int64(limit))
        return try session.query(
            """
            SELECT \(Self.columns) FROM outbox WHERE ($1::text IS NULL OR target = $1)
            AND (NOT $2 OR (sent_at IS NULL AND abandoned_at IS NULL)) ORDER BY id LIMIT $3
            """, binds
        ).map(Self.entry)
    }

    func markUploadStarted(_ id: Int64, at time: Timestamp) throws {
        var binds = PostgresBindings()
        binds.append(time.milliseconds)
        binds.append(id)
        try session.query("UPDATE outbox SET upload_started_at = $1 WHERE id = $2", binds)
    }

    func markSent(_ id: Int64, at time: Timestamp) throws {
        var binds = PostgresBindings()
        binds.append(time.milliseconds)
        binds.append(id)
        try session.query(
            """
            UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_attempt_at = $1, last_error = NULL
            WHERE id = $2
            """, binds)
    }

    /// Keeps `upload_started_at`: a failed attempt may still have reached the server (the reply
    /// lost), so the next attempt asks the server first.
    func markFailed(_ id: Int64, error: String, retryAt: Timestamp, at time: Timestamp) throws {
        var binds = PostgresBindings()
        binds.append(time.milliseconds)
        binds.append(error)
        binds.append(retryAt.milliseconds)
        binds.append(id)
        try session.query(
            """
            UPDATE outbox SET attempts = attempts + 1, last_attempt_at = $1, last_error = $2, next_attempt_at = $3
            WHERE id = $4
            """, binds)
    }

    func markAbandoned(_ id: Int64, error: String, at time: Timestamp) throws {
        var binds = PostgresBindings()
        binds.append(time.milliseconds)
        binds.append(error)
        binds.append(id)
        try session.query(
            "UPDATE outbox SET abandoned_at = $1, last_error = $2, last_attempt_at = $1 WHERE id = $3", binds)
    }

    /// Queues the data files of intervals ending in [from, to] again (all targets, or one; all
    /// stations, or one). Returns how many.
    func resend(target: String?, station: String?, from: Timestamp, to: Timestamp, at time: Timestamp) throws -> Int {
        var binds = PostgresBindings()
        binds.append(time.milliseconds)
        binds.append(from.milliseconds)
        binds.append(to.milliseconds)
        binds.append(target)
        binds.append(station)
        return try session.query(
            """
            UPDATE outbox SET sent_at = NULL, abandoned_at = NULL, attempts = 0, next_attempt_at = $1,
            upload_started_at = NULL, last_error = NULL
            WHERE kind = 'data_file' AND interval_end >= $2 AND interval_end <= $3
            AND ($4::text IS NULL OR target = $4) AND ($5::text IS NULL OR station = $5)
            RETURNING id
            """, binds
        ).count
    }

    /// Per target: how many sent, waiting and given up, the last sent, the oldest waiting, the
    /// last error. One statement where SQLite asks per target; the same figures.
    func status() throws -> [OutboxTargetStatus] {
        // NULLS LAST: SQLite sorts NULL below every value, so its DESC puts NULL last, while
        // PostgreSQL's DESC puts it first.
        try session.query(
            """
            SELECT target,
              count(*) FILTER (WHERE sent_at IS NOT NULL),
              count(*) FILTER (WHERE sent_at IS NULL AND abandoned_at IS NULL),
              count(*) FILTER (WHERE abandoned_at IS NOT NULL),
              min(created_at) FILTER (WHERE sent_at IS NULL AND abandoned_at IS NULL),
              max(last_attempt_at),
              (SELECT name FROM outbox s WHERE s.target = o.target AND sent_at IS NOT NULL
               ORDER BY sent_at DESC, id DESC LIMIT 1),
              max(sent_at),
              (SELECT last_error FROM outbox e WHERE e.target = o.target AND last_error IS NOT NULL
               AND (sent_at IS NULL OR abandoned_at IS NOT NULL) ORDER BY last_attempt_at DESC NULLS LAST LIMIT 1)
            FROM outbox o GROUP BY target ORDER BY target COLLATE "C"
            """
        ).map { row in
            let (target, sent, backlog, abandoned, oldestPending, lastAttempt, lastSentName, lastSentAt, lastError) =
                try row.decode((String, Int64, Int64, Int64, Int64?, Int64?, String?, Int64?, String?).self)
            return OutboxTargetStatus(
                target: target, sent: Int(sent), backlog: Int(backlog), abandoned: Int(abandoned),
                lastSentAt: lastSentAt.map(Timestamp.init(milliseconds:)), lastSentName: lastSentName,
                oldestPendingAt: oldestPending.map(Timestamp.init(milliseconds:)), lastError: lastError,
                lastAttemptAt: lastAttempt.map(Timestamp.init(milliseconds:)))
        }
    }

    /// Deletes entries sent or given up before `before`. Returns how many.
    func prune(before: Timestamp) throws -> Int {
        var binds = PostgresBindings()
        binds.append(before.milliseconds)
        return try session.query(
            """
            DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) OR (abandoned_at IS NOT NULL AND abandoned_at < $1)
            RETURNING id
            """, binds
        ).count
    }

    /// The columns `entry(_:)` reads, in its order.
    static let columns = """
        id, target, kind, name, body, station, interval_end, created_at, attempts, next_attempt_at, last_error,
        sent_at, abandoned_at, upload_started_at
        """

    static func entry(_ row: PostgresRow) throws -> OutboxEntry {
        let (
            id, target, kind, name, body, station, intervalEnd, createdAt, attempts, nextAttemptAt, lastError, sentAt,
            abandonedAt, uploadStartedAt
        ) = try row.decode(
            (
                Int64, String, String, String, ByteBuffer, String?, Int64?, Int64, Int, Int64, String?, Int64?, Int64?,
                Int64?
            ).self)
        var entry = OutboxEntry(
            target: target, kind: OutboxEntry.Kind(rawValue: kind) ?? .dataFile, name: name,
            body: Array(body.readableBytesView), station: station,
            intervalEnd: intervalEnd.map(Timestamp.init(milliseconds:)), createdAt: Timestamp(milliseconds: createdAt))
        entry.id = id
        entry.attempts = attempts
        entry.nextAttemptAt = Timestamp(milliseconds: nextAttemptAt)
        entry.lastError = lastError
        entry.sentAt = sentAt.map(Timestamp.init(milliseconds:))
        entry.abandonedAt = abandonedAt.map(Timestamp.init(milliseconds:))
        entry.uploadStartedAt = uploadStartedAt.map(Timestamp.init(milliseconds:))
        return entry
    }
}
