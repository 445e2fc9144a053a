internal import EnvMonCore
internal import GRDB

/// Maintenance windows and the request queue the CLI and the daemon share. Only the daemon
/// writes windows; the CLI writes requests (as it does acknowledgements).
struct SQLiteMaintenanceStore: MaintenanceStore {
    let database: any DatabaseWriter

    init(database: any DatabaseWriter) { self.database = database }

    // MARK: The CLI's side

    /// Leaves a start (the window's sensor, metric, kind, times, note, author) or an end (sensor
    /// and metric; `end` the time) for the daemon. Returns the request id.
    package func request(
        _ action: MaintenanceRequest.Action, _ window: MaintenanceWindow, at time: Timestamp
    )
        throws -> Int64
    {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO maintenance_requests (action, sensor, metric, kind, start_ms, end_ms, note, by, requested_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    action.rawValue, window.sensor, window.metric, window.kind.rawValue, window.start.milliseconds,
                    window.end?.milliseconds, window.note, window.by, time.milliseconds,
                ])
            return db.lastInsertedRowID
        }
    }

    package func request(id: Int64) throws -> MaintenanceRequest? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM maintenance_requests WHERE id = ?", arguments: [id])
                .map(Self.request)
        }
    }

    /// Windows that were open at some time since `since` (all when nil), oldest first.
    package func windows(since: Timestamp? = nil) throws -> [MaintenanceWindow] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM maintenance_windows WHERE end_ms IS NULL OR end_ms > ? ORDER BY start_ms, id
                    """, arguments: [since?.milliseconds ?? Int64.min]
            ).map(Self.window)
        }
    }

    /// Windows overlapping [from, to), for the report and the transmission.
    package func windows(from: Timestamp, to: Timestamp) throws -> [MaintenanceWindow] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM maintenance_windows WHERE start_ms < ? AND (end_ms IS NULL OR end_ms > ?)
                    ORDER BY start_ms, id
                    """, arguments: [to.milliseconds, from.milliseconds]
            ).map(Self.window)
        }
    }

    // MARK: The daemon's side

    package func pendingRequests() throws -> [MaintenanceRequest] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM maintenance_requests WHERE status = 'pending' ORDER BY id")
                .map(Self.request)
        }
    }

    /// Windows not yet ended or whose end is still to be announced, oldest first, with the stage
    /// announced so far (0 nothing, 1 the start, 2 the end too).
    package func currentWindows(now: Timestamp) throws -> [(window: MaintenanceWindow, announced: Int)] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT * FROM maintenance_windows WHERE end_ms IS NULL OR end_ms > ? OR announced < 2 ORDER BY id",
                arguments: [now.milliseconds]
            ).map { (Self.window($0), $0["announced"]) }
        }
    }

    /// Records a new window and answers its request in one transaction.
    package func open(_ window: MaintenanceWindow, request: Int64?, at time: Timestamp) throws -> MaintenanceWindow {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO maintenance_windows (sensor, metric, kind, start_ms, end_ms, note, by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    window.sensor, window.metric, window.kind.rawValue, window.start.milliseconds,
                    window.end?.milliseconds, window.note, window.by, time.milliseconds,
                ])
            var opened = window
            opened.id = db.lastInsertedRowID
            if let request {
                try Self.answer(request, status: "applied", detail: "window \(opened.id) opened", window: opened.id, db)
            }
            return opened
        }
    }

    /// Sets a window's end (an `end` request, or a `--for`/`--until` window shortened).
    package func close(window id: Int64, at end: Timestamp, by: String?, request: Int64?) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE maintenance_windows SET end_ms = ?, ended_by = ? WHERE id = ?",
                arguments: [end.milliseconds, by, id])
            if let request { try Self.answer(request, status: "applied", detail: "window \(id) ended", window: id, db) }
        }
    }

    package func refuse(request id: Int64, because detail: String) throws {
        try database.write { db in try Self.answer(id, status: "refused", detail: detail, window: nil, db) }
    }

    /// 1: the start was announced; 2: the end was too.
    @discardableResult package func markAnnounced(window id: Int64, stage: Int) throws -> Bool {
        try database.write { db in
            try db.execute(
                sql: "UPDATE maintenance_windows SET announced = ? WHERE id = ? AND announced < ?",
                arguments: [stage, id, stage])
            return db.changesCount > 0
        }
    }

    private static func answer(_ id: Int64, status: String, detail: String, window: Int64?, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE maintenance_requests SET status = ?, detail = ?, window_id = ? WHERE id = ?",
            arguments: [status, detail, window, id])
    }

    static func window(_ row: Row) -> MaintenanceWindow {
        MaintenanceWindow(
            id: row["id"], sensor: row["sensor"], metric: row["metric"],
            kind: MaintenanceKind(rawValue: row["kind"]) ?? .maintenance,
            start: Timestamp(milliseconds: row["start_ms"]),
            end: (row["end_ms"] as Int64?).map { Timestamp(milliseconds: $0) }, note: row["note"], by: row["by"])
    }

    static func request(_ row: Row) -> MaintenanceRequest {
        MaintenanceRequest(
            id: row["id"], action: MaintenanceRequest.Action(rawValue: row["action"]) ?? .start,
            window: MaintenanceWindow(
                sensor: row["sensor"], metric: row["metric"],
                kind: (row["kind"] as String?).flatMap(MaintenanceKind.init(rawValue:)) ?? .maintenance,
                start: Timestamp(milliseconds: (row["start_ms"] as Int64?) ?? 0),
                end: (row["end_ms"] as Int64?).map { Timestamp(milliseconds: $0) }, note: row["note"], by: row["by"]),
            requestedAt: Timestamp(milliseconds: row["requested_at"]), status: row["status"], detail: row["detail"],
            windowID: row["window_id"])
    }
}
