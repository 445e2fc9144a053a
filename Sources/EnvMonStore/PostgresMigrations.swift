internal import PostgresNIO

/// The PostgreSQL schema, versioned like the SQLite one: a shipped migration is never rewritten.
/// It holds what the SQLite store holds, in PostgreSQL's terms: raw readings and 1-minute
/// roll-ups in tables partitioned by UTC day (declarative partitioning; retention drops a day's
/// partitions), times as epoch milliseconds (the domain's `Timestamp`), payloads as `bytea`.
///
/// Several collectors may start at once against one database: each migration runs in a
/// transaction holding an advisory lock, so exactly one applies it and the others find it done.
enum PostgresMigrations {
    /// `pg_advisory_xact_lock` key of schema changes ("EnvM" as in the SQLite application id).
    static let lockKey: Int64 = 0x456E_764D

    static let migrations: [(version: String, sql: String)] = [
        (
            "v1",
            """
            CREATE TABLE series (
                id BIGSERIAL PRIMARY KEY, sensor TEXT NOT NULL, metric TEXT NOT NULL, UNIQUE (sensor, metric));
            CREATE TABLE sensors (
                sensor TEXT PRIMARY KEY, site TEXT, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL);
            -- The day partitions that exist, as the SQLite store lists them (kind raw or rollup_1m).
            CREATE TABLE partitions (
                name TEXT PRIMARY KEY, kind TEXT NOT NULL, start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL);
            CREATE INDEX partitions_by_time ON partitions (kind, start_ms);
            -- Unique on (series, ts): the idempotence the delivery promise relies on, whichever
            -- collector delivers a reading first.
            CREATE TABLE readings (
                series BIGINT NOT NULL, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
                quality SMALLINT NOT NULL, flagged_by SMALLINT NOT NULL, time_source SMALLINT NOT NULL DEFAULT 0,
                device_status SMALLINT NOT NULL DEFAULT 0, PRIMARY KEY (series, ts)) PARTITION BY RANGE (ts);
            -- QC-failed readings by series, for the console's charts (the SQLite store's v7).
            CREATE INDEX readings_failed ON readings (series, ts) WHERE quality = 4;
            CREATE TABLE rollup_1m (
                series BIGINT NOT NULL, bucket BIGINT NOT NULL, count BIGINT NOT NULL,
                min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, sum DOUBLE PRECISION NOT NULL,
                last_ts BIGINT NOT NULL, last_value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (series, bucket)) PARTITION BY RANGE (bucket);
            CREATE TABLE rollup_1h (
                series BIGINT NOT NULL, bucket BIGINT NOT NULL, count BIGINT NOT NULL,
                min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, sum DOUBLE PRECISION NOT NULL,
                last_ts BIGINT NOT NULL, last_value DOUBLE PRECISION NOT NULL, PRIMARY KEY (series, bucket));
            CREATE TABLE rollup_1d (
                series BIGINT NOT NULL, bucket BIGINT NOT NULL, count BIGINT NOT NULL,
                min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, sum DOUBLE PRECISION NOT NULL,
                last_ts BIGINT NOT NULL, last_value DOUBLE PRECISION NOT NULL, PRIMARY KEY (series, bucket));
            CREATE TABLE latest (
                series BIGINT PRIMARY KEY, ts BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
                quality SMALLINT NOT NULL, flagged_by SMALLINT NOT NULL);
            CREATE TABLE rejects (
                id BIGSERIAL PRIMARY KEY, received_at BIGINT NOT NULL, topic TEXT NOT NULL, reason TEXT NOT NULL,
                detail TEXT NOT NULL, payload BYTEA NOT NULL);
            CREATE INDEX rejects_by_time ON rejects (received_at);
            CREATE INDEX rejects_by_reason ON rejects (reason, received_at);
            CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
            -- How far each collector's inbox journal is consumed, written in each batch's
            -- transaction: one row per collector, since each has a journal of its own.
            CREATE TABLE ingest_state (
                collector TEXT NOT NULL, key TEXT NOT NULL, value BIGINT NOT NULL, PRIMARY KEY (collector, key));
            CREATE TABLE daemon_stats (
                collector TEXT NOT NULL, name TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
                updated_at BIGINT NOT NULL, PRIMARY KEY (collector, name));
            CREATE TABLE alert_state (
                rule TEXT NOT NULL, sensor TEXT NOT NULL, metric TEXT NOT NULL, record TEXT NOT NULL,
                updated_at BIGINT NOT NULL, PRIMARY KEY (rule, sensor, metric));
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY, rule TEXT NOT NULL, kind TEXT NOT NULL, sensor TEXT NOT NULL,
                site TEXT NOT NULL, metric TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL,
                value DOUBLE PRECISION, threshold DOUBLE PRECISION NOT NULL, basis TEXT NOT NULL,
                raised_at BIGINT, resolved_at BIGINT, acknowledged_by TEXT, acknowledged_at BIGINT,
                acknowledgement_note TEXT, updated_at BIGINT NOT NULL);
            CREATE INDEX alerts_by_raised ON alerts (raised_at);
            CREATE INDEX alerts_by_state ON alerts (state);
            CREATE TABLE alert_log (
                id BIGSERIAL PRIMARY KEY, alert_id TEXT NOT NULL, rule TEXT NOT NULL, sensor TEXT NOT NULL,
                site TEXT NOT NULL, metric TEXT NOT NULL, notice TEXT NOT NULL, from_state TEXT NOT NULL,
                to_state TEXT NOT NULL, severity TEXT NOT NULL, value DOUBLE PRECISION,
                threshold DOUBLE PRECISION NOT NULL, at BIGINT NOT NULL, actor TEXT, note TEXT, text TEXT NOT NULL);
            CREATE INDEX alert_log_by_alert ON alert_log (alert_id, id);
            CREATE INDEX alert_log_by_time ON alert_log (at);
            CREATE TABLE alert_ack_requests (
                id BIGSERIAL PRIMARY KEY, alert_id TEXT NOT NULL, by TEXT NOT NULL, note TEXT,
                requested_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', detail TEXT);
            CREATE INDEX alert_ack_pending ON alert_ack_requests (status);
            CREATE TABLE sensor_delivery (
                sensor TEXT PRIMARY KEY, last_seq BIGINT, last_checksum BIGINT NOT NULL DEFAULT 0,
                seq_missing BIGINT NOT NULL DEFAULT 0, seq_duplicates BIGINT NOT NULL DEFAULT 0,
                seq_restarts BIGINT NOT NULL DEFAULT 0, catch_up_readings BIGINT NOT NULL DEFAULT 0);
            CREATE TABLE sensor_delivery_daily (
                sensor TEXT NOT NULL, day BIGINT NOT NULL, seq_missing BIGINT NOT NULL DEFAULT 0,
                seq_duplicates BIGINT NOT NULL DEFAULT 0, seq_restarts BIGINT NOT NULL DEFAULT 0,
                catch_up_readings BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (sensor, day));
            CREATE TABLE reject_replay_requests (
                id BIGSERIAL PRIMARY KEY, reason TEXT, since BIGINT, dry_run BOOLEAN NOT NULL,
                requested_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', result TEXT, detail TEXT,
                done_at BIGINT);
            CREATE INDEX reject_replay_pending ON reject_replay_requests (status);
            CREATE TABLE maintenance_windows (
                id BIGSERIAL PRIMARY KEY, sensor TEXT NOT NULL, metric TEXT, kind TEXT NOT NULL,
                start_ms BIGINT NOT NULL, end_ms BIGINT, note TEXT, by TEXT, created_at BIGINT NOT NULL,
                ended_by TEXT, announced INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX maintenance_by_sensor ON maintenance_windows (sensor, start_ms);
            CREATE TABLE maintenance_requests (
                id BIGSERIAL PRIMARY KEY, action TEXT NOT NULL, sensor TEXT NOT NULL, metric TEXT, kind TEXT,
                start_ms BIGINT, end_ms BIGINT, note TEXT, by TEXT, requested_at BIGINT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending', detail TEXT, window_id BIGINT);
            CREATE INDEX maintenance_requests_pending ON maintenance_requests (status);
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY, target TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
                body BYTEA NOT NULL, station TEXT, interval_end BIGINT, created_at BIGINT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT,
                last_attempt_at BIGINT, sent_at BIGINT, abandoned_at BIGINT, upload_started_at BIGINT,
                UNIQUE (target, name));
            CREATE INDEX outbox_pending ON outbox (target, sent_at, abandoned_at, id);
            CREATE INDEX outbox_by_interval ON outbox (station, interval_end);
            CREATE TABLE transmission_state (station TEXT PRIMARY KEY, made_through BIGINT NOT NULL);
            CREATE TABLE aqi_hourly (
                sensor TEXT NOT NULL, site TEXT NOT NULL, hour BIGINT NOT NULL, aqi INTEGER NOT NULL,
                dominant TEXT, sub_indices TEXT NOT NULL, computed_at BIGINT NOT NULL, PRIMARY KEY (sensor, hour));
            CREATE INDEX aqi_hourly_by_site ON aqi_hourly (site, hour);
            """
        ),
        (
            "v2",
            """
            -- Which collector evaluates a sensor's alerts (AlertLeases), expires_at by the server's clock.
            CREATE TABLE alert_owners (sensor TEXT PRIMARY KEY, collector TEXT NOT NULL, expires_at BIGINT NOT NULL);
            -- Stored readings of a sensor another collector evaluates, waiting for it.
            CREATE TABLE alert_handoff (
                id BIGSERIAL PRIMARY KEY, sensor TEXT NOT NULL, metric TEXT NOT NULL, ts BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL, quality SMALLINT NOT NULL, flagged_by SMALLINT NOT NULL,
                time_source SMALLINT NOT NULL, device_status SMALLINT NOT NULL, site TEXT NOT NULL,
                arrived_at BIGINT NOT NULL);
            CREATE INDEX alert_handoff_by_sensor ON alert_handoff (sensor, id);
            """
        ),
    ]

    /// Applies what is missing; throws (naming the store) when the database holds a newer schema,
    /// or tables named like ours that no EnvMon made (then nothing is changed).
    static func migrate(_ session: PostgresSession, at time: Int64) throws {
        try session.transaction { connection in
            try connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
            try refuseForeignTables(on: connection, location: session.location)
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS envmon_schema (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(
                try connection.query("SELECT version FROM envmon_schema").map { try $0.decode(String.self) })
            let known = Set(migrations.map(\.version))
            if let newer = applied.subtracting(known).sorted().first {
                throw StoreError(
                    .newerSchema,
                    "\(session.location): made by a newer EnvMon (schema \(newer)); use that version or a backup")
            }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in statements(of: migration.sql) { try connection.execute(statement) }
                var binds = PostgresBindings()
                binds.append(migration.version)
                binds.append(time)
                try connection.execute("INSERT INTO envmon_schema (version, applied_at) VALUES ($1, $2)", binds)
            }
        }
    }

    /// Without `envmon_schema`, a database holding a table of one of our names is another
    /// program's (or a half-made copy of someone's): creating our tables around theirs would fail
    /// half-way with "relation already exists", or worse, succeed beside them.
    static func refuseForeignTables(on connection: PostgresSession.Connection, location: PostgresLocation) throws {
        let ours =
            try connection.query("SELECT to_regclass('envmon_schema') IS NOT NULL").first?.decode(Bool.self) ?? false
        guard !ours else { return }
        var binds = PostgresBindings()
        binds.append(tableNames)
        let clashing = try connection.query(
            "SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL ORDER BY name", binds
        ).map { try $0.decode(String.self) }
        guard clashing.isEmpty else {
            throw StoreError(
                .cannotOpen,
                """
                \(location): holds tables named like EnvMon's (\(clashing.joined(separator: ", "))) but no \
                envmon_schema: another program's database? EnvMon needs a database of its own; nothing was changed
                """)
        }
    }

    /// Every table the migrations create (not the day partitions, made as readings come).
    static let tableNames: [String] = migrations.flatMap { migration in
        statements(of: migration.sql).compactMap { statement -> String? in
            guard let range = statement.range(of: "CREATE TABLE ") else { return nil }
            return statement[range.upperBound...].split(whereSeparator: { $0 == " " || $0 == "(" }).first.map(
                String.init)
        }
    }

    /// The statements of a migration one by one: the extended query protocol takes one command
    /// per query. (No statement here has a semicolon inside it.)
    static func statements(of sql: String) -> [String] {
        sql.split(separator: ";").map { String($0) }.filter { chunk in
            chunk.split(whereSeparator: \.isNewline).contains { line in
                let trimmed = line.drop { $0 == " " }
                return !trimmed.isEmpty && !trimmed.hasPrefix("--")
            }
        }
    }

    /// Whether every migration this build knows is applied (readers never migrate).
    static func isCurrent(_ session: PostgresSession) throws -> Bool {
        let exists =
            try session.query("SELECT to_regclass('envmon_schema') IS NOT NULL").first?.decode(Bool.self) ?? false
        guard exists else { return false }
        let applied = Set(try session.query("SELECT version FROM envmon_schema").map { try $0.decode(String.self) })
        return Set(migrations.map(\.version)).isSubset(of: applied)
    }
}
