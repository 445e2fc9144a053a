/// One table as `StoreCopier` moves it from SQLite to PostgreSQL: the columns both schemas share
/// (same names; the PostgreSQL type each becomes) and the key a re-run conflicts on.
///
/// Every id is copied as it is (series, rejects, alert log, requests, windows, outbox), so rows
/// keep their order and every reference between tables (latest → series, maintenance request →
/// window) stays right; the copier then moves each id sequence past the copied ids.
struct StoreCopyTable {
    /// How a column is stored in PostgreSQL (and so how its SQLite value is converted).
    enum ColumnType: String {
        case int8, int4, int2, float8, text, bytea, bool
    }

    struct Column {
        var name: String
        var type: ColumnType
        var nullable: Bool
    }

    /// The table's name in both schemas (the raw and minute partitions are named per day instead:
    /// `readings` and `rollup_1m` on the PostgreSQL side).
    var name: String
    var columns: [Column]
    /// The primary key: what `ON CONFLICT` names, and the order rows are read in.
    var key: [String]
    /// The column a BIGSERIAL fills in PostgreSQL, whose sequence must follow the copied ids.
    var serial: String?

    init(_ name: String, key: [String], serial: String? = nil, _ columns: [(String, ColumnType, nullable: Bool)]) {
        self.name = name
        self.key = key
        self.serial = serial
        self.columns = columns.map { Column(name: $0.0, type: $0.1, nullable: $0.nullable) }
    }
}

extension StoreCopyTable {
    private static func column(_ name: String, _ type: ColumnType) -> (String, ColumnType, nullable: Bool) {
        (name, type, nullable: false)
    }

    private static func optional(_ name: String, _ type: ColumnType) -> (String, ColumnType, nullable: Bool) {
        (name, type, nullable: true)
    }

    /// `series` goes first and alone (it is what a resumed copy is recognised by); `counters` last
    /// (its presence marks a finished copy). Not copied: `partitions` (made per day by the copier),
    /// `ingest_state` and `daemon_stats` (see `StoreCopier`).
    static let series = StoreCopyTable(
        "series", key: ["id"], serial: "id", [column("id", .int8), column("sensor", .text), column("metric", .text)])

    static let counters = StoreCopyTable("counters", key: ["name"], [column("name", .text), column("value", .int8)])

    /// A day of raw readings (`raw_YYYYMMDD` → `readings`), keyed time first as in SQLite.
    static let rawPartition = StoreCopyTable(
        "readings", key: ["ts", "series"],
        [
            column("ts", .int8), column("series", .int8), column("value", .float8), column("quality", .int2),
            column("flagged_by", .int2), column("time_source", .int2), column("device_status", .int2),
        ])

    private static let rollupColumns = [
        column("series", .int8), column("bucket", .int8), column("count", .int8), column("min", .float8),
        column("max", .float8), column("sum", .float8), column("last_ts", .int8), column("last_value", .float8),
    ]

    /// A day of minute roll-ups (`rollup_1m_YYYYMMDD` → `rollup_1m`). Keyed time first, as the
    /// SQLite partition is, so it is read in its own order (PostgreSQL matches the key either way).
    static let minutePartition = StoreCopyTable("rollup_1m", key: ["bucket", "series"], rollupColumns)

    /// The other tables, in the order they are copied.
    static let plain: [StoreCopyTable] = [
        StoreCopyTable(
            "sensors", key: ["sensor"],
            [column("sensor", .text), optional("site", .text), column("first_seen", .int8), column("last_seen", .int8)]
        ),
        StoreCopyTable("rollup_1h", key: ["series", "bucket"], rollupColumns),
        StoreCopyTable("rollup_1d", key: ["series", "bucket"], rollupColumns),
        StoreCopyTable(
            "latest", key: ["series"],
            [
                column("series", .int8), column("ts", .int8), column("value", .float8), column("quality", .int2),
                column("flagged_by", .int2),
            ]),
        StoreCopyTable(
            "rejects", key: ["id"], serial: "id",
            [
                column("id", .int8), column("received_at", .int8), column("topic", .text), column("reason", .text),
                column("detail", .text), column("payload", .bytea),
            ]),
        StoreCopyTable(
            "alert_state", key: ["rule", "sensor", "metric"],
            [
                column("rule", .text), column("sensor", .text), column("metric", .text), column("record", .text),
                column("updated_at", .int8),
            ]),
        StoreCopyTable(
            "alerts", key: ["id"],
            [
                column("id", .text), column("rule", .text), column("kind", .text), column("sensor", .text),
                column("site", .text), column("metric", .text), column("state", .text), column("severity", .text),
                optional("value", .float8), column("threshold", .float8), column("basis", .text),
                optional("raised_at", .int8), optional("resolved_at", .int8), optional("acknowledged_by", .text),
                optional("acknowledged_at", .int8), optional("acknowledgement_note", .text),
                column("updated_at", .int8),
            ]),
        StoreCopyTable(
            "alert_log", key: ["id"], serial: "id",
            [
                column("id", .int8), column("alert_id", .text), column("rule", .text), column("sensor", .text),
                column("site", .text), column("metric", .text), column("notice", .text), column("from_state", .text),
                column("to_state", .text), column("severity", .text), optional("value", .float8),
                column("threshold", .float8), column("at", .int8), optional("actor", .text), optional("note", .text),
                column("text", .text),
            ]),
        StoreCopyTable(
            "alert_ack_requests", key: ["id"], serial: "id",
            [
                column("id", .int8), column("alert_id", .text), column("by", .text), optional("note", .text),
                column("requested_at", .int8), column("status", .text), optional("detail", .text),
            ]),
        StoreCopyTable(
            "reject_replay_requests", key: ["id"], serial: "id",
            [
                column("id", .int8), optional("reason", .text), optional("since", .int8), column("dry_run", .bool),
                column("requested_at", .int8), column("status", .text), optional("result", .text),
                optional("detail", .text), optional("done_at", .int8),
            ]),
        StoreCopyTable(
            "maintenance_windows", key: ["id"], serial: "id",
            [
                column("id", .int8), column("sensor", .text), optional("metric", .text), column("kind", .text),
                column("start_ms", .int8), optional("end_ms", .int8), optional("note", .text), optional("by", .text),
                column("created_at", .int8), optional("ended_by", .text), column("announced", .int4),
            ]),
        StoreCopyTable(
            "maintenance_requests", key: ["id"], serial: "id",
            [
                column("id", .int8), column("action", .text), column("sensor", .text), optional("metric", .text),
                optional("kind", .text), optional("start_ms", .int8), optional("end_ms", .int8),
                optional("note", .text), optional("by", .text), column("requested_at", .int8),
                column("status", .text), optional("detail", .text), optional("window_id", .int8),
            ]),
        StoreCopyTable(
            "sensor_delivery", key: ["sensor"],
            [
                column("sensor", .text), optional("last_seq", .int8), column("last_checksum", .int8),
                column("seq_missing", .int8), column("seq_duplicates", .int8), column("seq_restarts", .int8),
                column("catch_up_readings", .int8),
            ]),
        StoreCopyTable(
            "sensor_delivery_daily", key: ["sensor", "day"],
            [
                column("sensor", .text), column("day", .int8), column("seq_missing", .int8),
                column("seq_duplicates", .int8), column("seq_restarts", .int8), column("catch_up_readings", .int8),
            ]),
        StoreCopyTable(
            "outbox", key: ["id"], serial: "id",
            [
                column("id", .int8), column("target", .text), column("kind", .text), column("name", .text),
                column("body", .bytea), optional("station", .text), optional("interval_end", .int8),
                column("created_at", .int8), column("attempts", .int4), column("next_attempt_at", .int8),
                optional("last_error", .text), optional("last_attempt_at", .int8), optional("sent_at", .int8),
                optional("abandoned_at", .int8), optional("upload_started_at", .int8),
            ]),
        StoreCopyTable(
            "transmission_state", key: ["station"], [column("station", .text), column("made_through", .int8)]),
        StoreCopyTable(
            "aqi_hourly", key: ["sensor", "hour"],
            [
                column("sensor", .text), column("site", .text), column("hour", .int8), column("aqi", .int4),
                optional("dominant", .text), column("sub_indices", .text), column("computed_at", .int8),
            ]),
    ]

    /// What the source is read with: every column in the target's order, by key.
    func selectStatement(from sourceTable: String) -> String {
        let names = columns.map { Self.quoted($0.name) }.joined(separator: ", ")
        let order = key.map { Self.quoted($0) }.joined(separator: ", ")
        return "SELECT \(names) FROM \(Self.quoted(sourceTable)) ORDER BY \(order)"
    }

    /// One statement per batch: the batch's columns as arrays unnested by the server (no NULL can
    /// be inside a bound array, so each nullable column comes with a mask), and a row already
    /// there (a resumed copy) is brought to the source's values rather than added twice.
    var insertStatement: String {
        var arrays: [String] = []
        var aliases: [String] = []
        var values: [String] = []
        for (index, column) in columns.enumerated() {
            arrays.append("$\(arrays.count + 1)::\(column.type.rawValue)[]")
            aliases.append("c\(index)")
            if column.nullable {
                arrays.append("$\(arrays.count + 1)::bool[]")
                aliases.append("n\(index)")
                values.append("CASE WHEN n\(index) THEN NULL ELSE c\(index) END")
            } else {
                values.append("c\(index)")
            }
        }
        let names = columns.map { Self.quoted($0.name) }.joined(separator: ", ")
        let updated = columns.filter { !key.contains($0.name) }.map {
            "\(Self.quoted($0.name)) = excluded.\(Self.quoted($0.name))"
        }
        let conflict = key.map { Self.quoted($0) }.joined(separator: ", ")
        return """
            INSERT INTO \(Self.quoted(name)) (\(names))
            SELECT \(values.joined(separator: ", ")) FROM unnest(\(arrays.joined(separator: ", "))) AS u (\(aliases.joined(separator: ", ")))
            ON CONFLICT (\(conflict)) \(updated.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + updated.joined(separator: ", "))
            """
    }

    /// Quoted for both SQLite and PostgreSQL: `by`, `at`, `text`, `count` are column names here.
    /// Only the fixed names above and partition names built from integers come here.
    static func quoted(_ identifier: String) -> String { "\"\(identifier)\"" }
}
