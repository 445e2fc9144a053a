internal import EnvMonCore
internal import PostgresNIO

/// Maintenance windows and the request queue the CLI and the daemons share, in PostgreSQL: the
/// same results as `SQLiteMaintenanceStore` when one daemon answers the requests.
///
/// Several collectors: each polls `pendingRequests()` and may take the same request. Marking it
/// taken as it is read would strand it if that daemon stopped before answering (and the CLI waits
/// for the status to leave "pending"), so the answer is what is atomic instead:
/// - a request is answered only while still pending (`UPDATE ... WHERE status = 'pending'`), so
///   the first answer stands and a later one (say a refusal, because the window it would open
///   is already there) changes nothing;
/// - `open` locks the request row first and opens a window only for a request still pending:
///   a start taken by two daemons makes one window, and the second daemon gets that window back.
/// Closing a window twice for the same end request sets the same end, so it needs no guard.
struct PostgresMaintenanceStore: MaintenanceStore {
    let session: PostgresSession

    init(session: PostgresSession) { self.session = session }

    // MARK: The CLI's side

    /// Leaves a start (the window's sensor, metric, kind, times, note, author) or an end (sensor
    /// and metric; `end` the time) for the daemon. Returns the request id.
    func request(_ action: MaintenanceRequest.Action, _ window: MaintenanceWindow, at time: Timestamp) throws -> Int64 {
        var binds = PostgresBindings()
        binds.append(action.rawValue)
        binds.append(window.sensor)
        binds.append(window.metric)
        binds.append(window.kind.rawValue)
        binds.append(window.start.milliseconds)
        binds.append(window.end?.milliseconds)
        binds.append(window.note)
        binds.append(window.by)
        binds.append(time.milliseconds)
        guard
            let row = try session.query(
                """
                INSERT INTO maintenance_requests (action, sensor, metric, kind, start_ms, end_ms, note, "by", requested_at)
                VALUES ($1, $2, $3::text, $4, $5, $6::int8, $7::text, $8::text, $9) RETURNING id
                """, binds
            ).first
        else { throw StoreError(.invalidArgument, "\(session.location): the maintenance request was not stored") }
        return try row.decode(Int64.self)
    }

    func request(id: Int64) throws -> MaintenanceRequest? {
        var binds = PostgresBindings()
        binds.append(id)
        return try session.query("SELECT \(Self.requestColumns) FROM maintenance_requests WHERE id = $1", binds)
            .first.map(Self.request)
    }

    /// Windows that were open at some time since `since` (all when nil), oldest first.
    func windows(since: Timestamp?) throws -> [MaintenanceWindow] {
        var binds = PostgresBindings()
        binds.append(since?.milliseconds ?? Int64.min)
        return try session.query(
            """
            SELECT \(Self.windowColumns) FROM maintenance_windows WHERE end_ms IS NULL OR end_ms > $1
            ORDER BY start_ms, id
            """, binds
        ).map(Self.window)
    }

    /// Windows overlapping [from, to), for the report and the transmission.
    func windows(from: Timestamp, to: Timestamp) throws -> [MaintenanceWindow] {
        var binds = PostgresBindings()
        binds.append(to.milliseconds)
        binds.append(from.milliseconds)
        return try session.query(
            """
            SELECT \(Self.windowColumns) FROM maintenance_windows WHERE start_ms < $1 AND (end_ms IS NULL OR end_ms > $2)
            ORDER BY start_ms, id
            """, binds
        ).map(Self.window)
    }

    // MARK: The daemon's side

    func pendingRequests() throws -> [MaintenanceRequest] {
        try session.query(
            "SELECT \(Self.requestColumns) FROM maintenance_requests WHERE status = 'pending' ORDER BY id"
        ).map(Self.request)
    }

    /// Windows not yet ended or whose end is still to be announced, oldest first, with the stage
    /// announced so far (0 nothing, 1 the start, 2 the end too).
    func currentWindows(now: Timestamp) throws -> [(window: MaintenanceWindow, announced: Int)] {
        var binds = PostgresBindings()
        binds.append(now.milliseconds)
        return try session.query(
            """
            SELECT \(Self.windowColumns), announced FROM maintenance_windows
            WHERE end_ms IS NULL OR end_ms > $1 OR announced < 2 ORDER BY id
            """, binds
        ).map { row in
            let columns = try row.decode(
                (Int64, String, String?, String, Int64, Int64?, String?, String?, Int).self)
            return (
                Self.window((columns.0, columns.1, columns.2, columns.3, columns.4, columns.5, columns.6, columns.7)),
                columns.8
            )
        }
    }

    /// Records a new window and answers its request in one transaction. A request another
    /// collector answered already gives back the window it opened (see the type's note).
    func open(_ window: MaintenanceWindow, request: Int64?, at time: Timestamp) throws -> MaintenanceWindow {
        try session.transaction { connection in
            if let request {
                var key = PostgresBindings()
                key.append(request)
                // FOR UPDATE: a second daemon opening for the same request waits here for the
                // first one's commit, then sees the request answered.
                if let answered = try connection.query(
                    "SELECT status, window_id FROM maintenance_requests WHERE id = $1 FOR UPDATE", key
                ).first {
                    let (status, windowID) = try answered.decode((String, Int64?).self)
                    if status != "pending" {
                        var binds = PostgresBindings()
                        binds.append(windowID)
                        if let opened = try connection.query(
                            "SELECT \(Self.windowColumns) FROM maintenance_windows WHERE id = $1::int8", binds
                        ).first {
                            return try Self.window(opened)
                        }
                        throw StoreError(
                            .invalidArgument,
                            "\(session.location): maintenance request \(request) was answered already (\(status))")
                    }
                }
                // A request id that does not exist opens the window all the same, as in SQLite.
            }
            var binds = PostgresBindings()
            binds.append(window.sensor)
            binds.append(window.metric)
            binds.append(window.kind.rawValue)
            binds.append(window.start.milliseconds)
            binds.append(window.end?.milliseconds)
            binds.append(window.note)
            binds.append(window.by)
            binds.append(time.milliseconds)
            guard
                let row = try connection.query(
                    """
                    INSERT INTO maintenance_windows (sensor, metric, kind, start_ms, end_ms, note, "by", created_at)
                    VALUES ($1, $2::text, $3, $4, $5::int8, $6::text, $7::text, $8) RETURNING id
                    """, binds
                ).first
            else { throw StoreError(.invalidArgument, "\(session.location): the maintenance window was not stored") }
            var opened = window
            opened.id = try row.decode(Int64.self)
            if let request {
                try Self.answer(
                    request, status: "applied", detail: "window \(opened.id) opened", window: opened.id, on: connection)
            }
            return opened
        }
    }

    /// Sets a window's end (an `end` request, or a `--for`/`--until` window shortened).
    func close(window id: Int64, at end: Timestamp, by: String?, request: Int64?) throws {
        try session.transaction { connection in
            var binds = PostgresBindings()
            binds.append(end.milliseconds)
            binds.append(by)
            binds.append(id)
            try connection.execute(
                "UPDATE maintenance_windows SET end_ms = $1, ended_by = $2::text WHERE id = $3", binds)
            if let request {
                try Self.answer(request, status: "applied", detail: "window \(id) ended", window: id, on: connection)
            }
        }
    }

    func refuse(request id: Int64, because detail: String) throws {
        try session.withConnection { connection in
            try Self.answer(id, status: "refused", detail: detail, window: nil, on: connection)
        }
    }

    /// 1: the start was announced; 2: the end was too. Only the collector whose update moved the
    /// stage on gets true, so a window is announced once whichever collectors see it fall due.
    @discardableResult func markAnnounced(window id: Int64, stage: Int) throws -> Bool {
        var binds = PostgresBindings()
        binds.append(Int64(stage))
        binds.append(id)
        let rows = try session.query(
            "UPDATE maintenance_windows SET announced = $1 WHERE id = $2 AND announced < $1 RETURNING id", binds)
        return !rows.isEmpty
    }

    /// Answers a request still pending: the first daemon's answer stands (see the type's note).
    private static func answer(
        _ id: Int64, status: String, detail: String, window: Int64?, on connection: PostgresSession.Connection
    ) throws {
        var binds = PostgresBindings()
        binds.append(status)
        binds.append(detail)
        binds.append(window)
        binds.append(id)
        try connection.execute(
            """
            UPDATE maintenance_requests SET status = $1, detail = $2, window_id = $3::int8
            WHERE id = $4 AND status = 'pending'
            """, binds)
    }

    /// The columns `window(_:)` reads, in its order.
    static let windowColumns = #"id, sensor, metric, kind, start_ms, end_ms, note, "by""#

    static func window(_ row: PostgresRow) throws -> MaintenanceWindow {
        window(try row.decode((Int64, String, String?, String, Int64, Int64?, String?, String?).self))
    }

    static func window(
        _ columns: (Int64, String, String?, String, Int64, Int64?, String?, String?)
    ) -> MaintenanceWindow {
        let (id, sensor, metric, kind, start, end, note, by) = columns
        return MaintenanceWindow(
            id: id, sensor: sensor, metric: metric, kind: MaintenanceKind(rawValue: kind) ?? .maintenance,
            start: Timestamp(milliseconds: start), end: end.map(Timestamp.init(milliseconds:)), note: note, by: by)
    }

    /// The columns `request(_:)` reads, in its order.
    static let requestColumns = """
        id, action, sensor, metric, kind, start_ms, end_ms, note, "by", requested_at, status, detail, window_id
        """

    static func request(_ row: PostgresRow) throws -> MaintenanceRequest {
        let (id, action, sensor, metric, kind, start, end, note, by, requestedAt, status, detail, windowID) =
            try row.decode(
                (
                    Int64, String, String, String?, String?, Int64?, Int64?, String?, String?, Int64, String, String?,
                    Int64?
                ).self)
        // The same fallbacks as SQLite's: an end request may leave kind and start empty.
        return MaintenanceRequest(
            id: id, action: MaintenanceRequest.Action(rawValue: action) ?? .start,
            window: MaintenanceWindow(
                sensor: sensor, metric: metric, kind: kind.flatMap(MaintenanceKind.init(rawValue:)) ?? .maintenance,
                start: Timestamp(milliseconds: start ?? 0), end: end.map(Timestamp.init(milliseconds:)), note: note,
                by: by),
            requestedAt: Timestamp(milliseconds: requestedAt), status: status, detail: detail, windowID: windowID)
    }
}
