internal import GRDB

/// The schema, versioned. A shipped migration is never rewritten: changes are new migrations.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(StoreDatabase.applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        sensor TEXT NOT NULL,
                        metric TEXT NOT NULL,
                        UNIQUE (sensor, metric));
                    CREATE TABLE sensors (
                        sensor TEXT PRIMARY KEY,
                        site TEXT,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL);
                    -- Every time partition: raw readings and 1-minute roll-ups, one table per UTC day.
                    CREATE TABLE partitions (
                        name TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        start_ms INTEGER NOT NULL,
                        end_ms INTEGER NOT NULL);
                    CREATE INDEX partitions_by_time ON partitions (kind, start_ms);
                    CREATE TABLE latest (
                        series INTEGER PRIMARY KEY,
                        ts INTEGER NOT NULL,
                        value REAL NOT NULL,
                        quality INTEGER NOT NULL,
                        flagged_by INTEGER NOT NULL);
                    CREATE TABLE rollup_1h (
                        series INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
                        min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL,
                        last_ts INTEGER NOT NULL, last_value REAL NOT NULL,
                        PRIMARY KEY (series, bucket)) WITHOUT ROWID;
                    CREATE TABLE rollup_1d (
                        series INTEGER NOT NULL, bucket INTEGER NOT NULL, count INTEGER NOT NULL,
                        min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL,
                        last_ts INTEGER NOT NULL, last_value REAL NOT NULL,
                        PRIMARY KEY (series, bucket)) WITHOUT ROWID;
                    CREATE TABLE rejects (
                        id INTEGER PRIMARY KEY,
                        received_at INTEGER NOT NULL,
                        topic TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        payload BLOB NOT NULL);
                    CREATE INDEX rejects_by_time ON rejects (received_at);
                    -- Running totals, so stats never count rows across partitions.
                    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    -- Where the ingest has got to in the inbox journal; written in each batch's transaction.
                    CREATE TABLE ingest_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    -- The daemon's latest snapshot of its live figures, for `envmon stats`.
                    CREATE TABLE daemon_stats (name TEXT PRIMARY KEY, value REAL NOT NULL, updated_at INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-alerts") { db in
            try db.execute(
                sql: """
                    -- The alert engine's state per (rule, sensor, metric), as JSON, so a restart neither
                    -- re-raises nor forgets.
                    CREATE TABLE alert_state (
                        rule TEXT NOT NULL, sensor TEXT NOT NULL, metric TEXT NOT NULL,
                        record TEXT NOT NULL, updated_at INTEGER NOT NULL,
                        PRIMARY KEY (rule, sensor, metric)) WITHOUT ROWID;
                    -- One row per alert occurrence, kept current by its transitions.
                    CREATE TABLE alerts (
                        id TEXT PRIMARY KEY, rule TEXT NOT NULL, kind TEXT NOT NULL, sensor TEXT NOT NULL,
                        site TEXT NOT NULL, metric TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL,
                        value REAL, threshold REAL NOT NULL, basis TEXT NOT NULL,
                        raised_at INTEGER, resolved_at INTEGER,
                        acknowledged_by TEXT, acknowledged_at INTEGER, acknowledgement_note TEXT,
                        updated_at INTEGER NOT NULL);
                    CREATE INDEX alerts_by_raised ON alerts (raised_at);
                    CREATE INDEX alerts_by_state ON alerts (state);
                    -- Every transition, for `envmon alerts history` and the report.
                    CREATE TABLE alert_log (
                        id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, rule TEXT NOT NULL, sensor TEXT NOT NULL,
                        site TEXT NOT NULL, metric TEXT NOT NULL, notice TEXT NOT NULL, from_state TEXT NOT NULL,
                        to_state TEXT NOT NULL, severity TEXT NOT NULL, value REAL, threshold REAL NOT NULL,
                        at INTEGER NOT NULL, actor TEXT, note TEXT, text TEXT NOT NULL);
                    CREATE INDEX alert_log_by_alert ON alert_log (alert_id, id);
                    CREATE INDEX alert_log_by_time ON alert_log (at);
                    -- Acknowledgements asked for by the CLI, applied by the running daemon.
                    CREATE TABLE alert_ack_requests (
                        id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, by TEXT NOT NULL, note TEXT,
                        requested_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', detail TEXT);
                    CREATE INDEX alert_ack_pending ON alert_ack_requests (status);
                    """)
        }
        migrator.registerMigration("v3-time-source") { db in
            // Where each reading's time came from, on every raw partition that exists already
            // (new ones are created with the column), and per-sensor delivery figures.
            try addToRawPartitions(column: "time_source", db)
            try db.execute(
                sql: """
                    -- Per sensor: the JSON `seq` last taken (and its payload's CRC-32, to tell a resend
                    -- from a restarted counter), numbers never received, resends dropped, counter
                    -- restarts, and readings received in a catch-up burst after a reconnect.
                    CREATE TABLE sensor_delivery (
                        sensor TEXT PRIMARY KEY,
                        last_seq INTEGER, last_checksum INTEGER NOT NULL DEFAULT 0,
                        seq_missing INTEGER NOT NULL DEFAULT 0, seq_duplicates INTEGER NOT NULL DEFAULT 0,
                        seq_restarts INTEGER NOT NULL DEFAULT 0, catch_up_readings INTEGER NOT NULL DEFAULT 0);
                    -- The same counts per UTC day of receipt, for the report's period figures.
                    CREATE TABLE sensor_delivery_daily (
                        sensor TEXT NOT NULL, day INTEGER NOT NULL,
                        seq_missing INTEGER NOT NULL DEFAULT 0, seq_duplicates INTEGER NOT NULL DEFAULT 0,
                        seq_restarts INTEGER NOT NULL DEFAULT 0, catch_up_readings INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (sensor, day)) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v4-reject-replay") { db in
            try db.execute(
                sql: """
                    -- Replays of rejected messages asked for by the CLI, carried out by the running
                    -- daemon; `result` is JSON: {"<reason>": [stored, still_refused, already_present]}.
                    CREATE TABLE reject_replay_requests (
                        id INTEGER PRIMARY KEY, reason TEXT, since INTEGER, dry_run INTEGER NOT NULL,
                        requested_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
                        result TEXT, detail TEXT, done_at INTEGER);
                    CREATE INDEX reject_replay_pending ON reject_replay_requests (status);
                    CREATE INDEX rejects_by_reason ON rejects (reason, received_at);
                    """)
        }
        migrator.registerMigration("v5-maintenance-transmission") { db in
            // Every raw reading's device status (TT 10/2021: 0 measuring, 1 calibrating, 2 device
            // error) on the partitions that exist already; new ones are created with the column.
            try addToRawPartitions(column: "device_status", db)
            try db.execute(
                sql: """
                    -- Times a sensor (or one metric, when `metric` is set) was not measuring; `end_ms`
                    -- NULL while open. `announced` is 1 once the start was told, 2 once the end was.
                    CREATE TABLE maintenance_windows (
                        id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, metric TEXT, kind TEXT NOT NULL,
                        start_ms INTEGER NOT NULL, end_ms INTEGER, note TEXT, by TEXT,
                        created_at INTEGER NOT NULL, ended_by TEXT, announced INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX maintenance_by_sensor ON maintenance_windows (sensor, start_ms);
                    -- Starts and ends asked for by the CLI, carried out by the running daemon.
                    CREATE TABLE maintenance_requests (
                        id INTEGER PRIMARY KEY, action TEXT NOT NULL, sensor TEXT NOT NULL, metric TEXT,
                        kind TEXT, start_ms INTEGER, end_ms INTEGER, note TEXT, by TEXT,
                        requested_at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'pending', detail TEXT,
                        window_id INTEGER);
                    CREATE INDEX maintenance_requests_pending ON maintenance_requests (status);
                    -- What leaves the box: data files for the Sở TN&MT and alert webhooks, kept as the
                    -- exact bytes sent, one row per (target, name); `sent_at` is set when the server
                    -- confirmed, `abandoned_at` when a webhook ran out of attempts.
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY, target TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
                        body BLOB NOT NULL, station TEXT, interval_end INTEGER, created_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
                        last_attempt_at INTEGER, sent_at INTEGER, abandoned_at INTEGER, upload_started_at INTEGER,
                        UNIQUE (target, name));
                    CREATE INDEX outbox_pending ON outbox (target, sent_at, abandoned_at, id);
                    CREATE INDEX outbox_by_interval ON outbox (station, interval_end);
                    -- Per station, the end of the newest measurement interval whose file was made.
                    CREATE TABLE transmission_state (station TEXT PRIMARY KEY, made_through INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v6-aqi-hourly") { db in
            try db.execute(
                sql: """
                    -- Each air station's VN_AQI per closed UTC hour (`hour`: epoch ms of its start),
                    -- computed by the daemon from the hourly roll-ups; `dominant` is a VNAQI.Parameter
                    -- raw value, `sub_indices` a JSON object of parameter → rounded sub-index.
                    CREATE TABLE aqi_hourly (
                        sensor TEXT NOT NULL, site TEXT NOT NULL, hour INTEGER NOT NULL, aqi INTEGER NOT NULL,
                        dominant TEXT, sub_indices TEXT NOT NULL, computed_at INTEGER NOT NULL,
                        PRIMARY KEY (sensor, hour)) WITHOUT ROWID;
                    -- The console asks per site and period.
                    CREATE INDEX aqi_hourly_by_site ON aqi_hourly (site, hour);
                    """)
        }
        migrator.registerMigration("v7-failed-readings-index") { db in
            // The console marks a series' QC-failed readings on its charts: a partial index per raw
            // partition finds them (new partitions are created with it). One scan of each partition.
            let raw = try String.fetchAll(db, sql: "SELECT name FROM partitions WHERE kind = 'raw'")
            for table in raw where Partitioning.isPartition(table) {
                try db.execute(sql: Partitioning.failedIndexStatement(table: table))
            }
        }
        return migrator
    }

    /// Adds an integer column (default 0) to every raw partition that lacks it; partitions made
    /// later are created with it (`Partitioning.createStatement`).
    private static func addToRawPartitions(column: String, _ db: Database) throws {
        let raw = try String.fetchAll(db, sql: "SELECT name FROM partitions WHERE kind = 'raw'")
        for table in raw where Partitioning.isPartition(table) {
            guard !(try db.columns(in: table).map(\.name).contains(column)) else { continue }
            try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) INTEGER NOT NULL DEFAULT 0")
        }
    }
}
