import EnvMonCore
import Foundation
import GRDB
import PostgresNIO
import TestSupport
import Testing

@testable import EnvMonStore

/// The PostgreSQL writer against a real PostgreSQL 15, checked against the SQLite writer: the
/// same batches must leave the same readings, roll-ups, latest values, counters and delivery
/// figures in both stores, and the same outcome per batch.
@Suite("PostgreSQL writer, against a real server and against the SQLite writer")
struct PostgresReadingWriterTests {
    static let oxygen = SeriesKey(sensor: "lh-wq-01", metric: "do")
    static let temperature = SeriesKey(sensor: "lh-wq-01", metric: "water_temp")
    static let pm25 = SeriesKey(sensor: "cb-air-01", metric: "pm25")

    static func session(_ server: PostgreSQLServer) throws -> PostgresSession {
        let location = try PostgresLocation(url: server.url + "?passfile=" + server.passwordFile)
        return try PostgresSession(location, environment: [:])
    }

    /// Two days, duplicates inside a batch and across batches, a QC fail and a catch-up reading
    /// kept out of the roll-ups, a later spike verdict that takes a reading out of them, rejects,
    /// `seq` figures and inbox positions.
    static var batches: [IngestBatch] {
        let start = Instants.july1(hours: 23)
        func reading(
            _ series: SeriesKey, _ minutes: Int64, _ value: Double, _ quality: QualityFlag = .pass
        )
            -> Reading
        {
            Reading(
                series: series, timestamp: start.adding(milliseconds: minutes * 60_000 + 7_000), value: value,
                quality: quality)
        }
        let oxygenHour: [Reading] = (0..<90).map { reading(oxygen, Int64($0), 6 + Double($0 % 7) / 10) }
        let temperatureHour: [Reading] = (0..<90).map { reading(temperature, Int64($0), 29 + Double($0 % 5) / 10) }
        let extras: [Reading] = [reading(oxygen, 3, 6.3), reading(pm25, 5, 900, .fail)]
        var first = IngestBatch(
            readings: oxygenHour + temperatureHour + extras,
            rejects: [
                RejectRecord(
                    receivedAt: start, topic: "envmon/x/y", reason: .unknownSensor, detail: "x is not configured",
                    payload: Array("12.5".utf8))
            ],
            sites: ["lh-wq-01": "lan_ha", "cb-air-01": "cat_ba_town"],
            inboxPosition: InboxPosition(segment: 1, offset: 4_096))
        var delivery = SensorDeliveryChange()
        delivery.lastSequence = 90
        delivery.missing = 2
        first.delivery = ["lh-wq-01": delivery]
        first.receivedAt = start
        var catchUp = reading(pm25, 95, 35)
        catchUp.timeSource = .catchUp
        let overlap: [Reading] = (60..<120).map { reading(oxygen, Int64($0), 7 + Double($0 % 3) / 10) }
        let second = IngestBatch(
            readings: overlap + [catchUp, reading(pm25, 96, 41)],
            revisions: [
                QualityRevision(
                    series: oxygen, timestamp: start.adding(milliseconds: 10 * 60_000 + 7_000), quality: .fail,
                    flaggedBy: .spike)
            ],
            sites: ["cb-air-01": "cat_ba_town"], inboxPosition: InboxPosition(segment: 2, offset: 128))
        return [first, second]
    }

    @Test("the same batches leave the same tables as in SQLite, and the same outcome per batch")
    func matchesTheSQLiteWriter() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let session = try Self.session(server)
        try PostgresMigrations.migrate(session, at: 0)
        let postgres = try PostgresReadingWriter(session: session, collector: "collector-a")
        let sqlite = try StoreFixture()

        for batch in Self.batches {
            let expected = try sqlite.writer.write(batch)
            let outcome = try postgres.write(batch)
            #expect(outcome.stored == expected.stored)
            #expect(outcome.duplicates == expected.duplicates)
            #expect(outcome.rejects == expected.rejects)
        }
        #expect(try postgres.inboxPosition() == InboxPosition(segment: 2, offset: 128))
        for (name, sqliteQuery, postgresQuery) in try Self.comparisons(sqlite) {
            let inSQLite = try await sqlite.database.read { db in
                try Row.fetchAll(db, sql: sqliteQuery).map { row in
                    (0..<row.count).map { Self.text(row[$0] as DatabaseValue) }
                }
            }
            let inPostgres = try session.query(postgresQuery).map { row in
                row.map { cell in Self.text(cell) }
            }
            #expect(inPostgres == inSQLite, "\(name)")
            #expect(!inSQLite.isEmpty, "\(name) has rows to compare")
        }
    }

    /// What to compare, as SQLite and PostgreSQL spell it; numbers as SQLite prints them.
    static func comparisons(_ sqlite: StoreFixture) throws -> [(String, String, String)] {
        let minuteTables = try sqlite.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM partitions WHERE kind = 'rollup_1m' ORDER BY name")
        }
        let rawTables = try sqlite.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM partitions WHERE kind = 'raw' ORDER BY name")
        }
        func rollup(_ from: String) -> String {
            """
            SELECT s.sensor, s.metric, r.bucket, r.count, r.min, r.max, r.sum, r.last_ts, r.last_value
            FROM \(from) r JOIN series s ON s.id = r.series ORDER BY 1, 2, 3
            """
        }
        let minutes = "(" + minuteTables.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ") + ")"
        let raw = "(" + rawTables.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ") + ")"
        let readings = """
            SELECT s.sensor, s.metric, r.ts, r.value, r.quality, r.flagged_by, r.time_source, r.device_status
            FROM %@ r JOIN series s ON s.id = r.series ORDER BY 1, 2, 3
            """
        return [
            (
                "readings", readings.replacingOccurrences(of: "%@", with: raw),
                readings.replacingOccurrences(of: "%@", with: "readings")
            ),
            ("rollup_1m", rollup(minutes), rollup("rollup_1m")),
            ("rollup_1h", rollup("rollup_1h"), rollup("rollup_1h")),
            ("rollup_1d", rollup("rollup_1d"), rollup("rollup_1d")),
            (
                "latest",
                "SELECT s.sensor, s.metric, l.ts, l.value, l.quality, l.flagged_by FROM latest l JOIN series s ON s.id = l.series ORDER BY 1, 2",
                "SELECT s.sensor, s.metric, l.ts, l.value, l.quality, l.flagged_by FROM latest l JOIN series s ON s.id = l.series ORDER BY 1, 2"
            ),
            (
                "sensors", "SELECT sensor, site, first_seen, last_seen FROM sensors ORDER BY 1",
                "SELECT sensor, site, first_seen, last_seen FROM sensors ORDER BY 1"
            ),
            ("counters", "SELECT name, value FROM counters ORDER BY 1", "SELECT name, value FROM counters ORDER BY 1"),
            (
                "sensor_delivery",
                "SELECT sensor, last_seq, seq_missing, seq_duplicates, seq_restarts, catch_up_readings FROM sensor_delivery",
                "SELECT sensor, last_seq, seq_missing, seq_duplicates, seq_restarts, catch_up_readings FROM sensor_delivery"
            ),
            (
                "rejects", "SELECT received_at, topic, reason, detail, hex(payload) FROM rejects",
                "SELECT received_at, topic, reason, detail, upper(encode(payload, 'hex')) FROM rejects"
            ),
        ]
    }

    /// A PostgreSQL cell and a SQLite value as the same text. Doubles to 12 significant digits:
    /// a roll-up's sum adds the batch's minute cells in dictionary order, which differs between
    /// two writers (and two runs) in the last bit, not in any digit a report shows.
    static func text(_ cell: PostgresCell) -> String {
        guard cell.bytes != nil else { return "NULL" }
        if let value = try? cell.decode(Int64.self) { return "\(value)" }
        if let value = try? cell.decode(Double.self) { return number(value) }
        if let value = try? cell.decode(String.self) { return value }
        return "?"
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let integer): "\(integer)"
        case .double(let double): number(double)
        case .string(let string): string
        case .blob(let data): "\(data.count) bytes"
        }
    }

    static func number(_ value: Double) -> String { String(format: "%.12g", value) }

    @Test(
        "retention drops the same day partitions and trims the same rows as in SQLite; replays find the same messages")
    func retentionAndReplay() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let session = try Self.session(server)
        try PostgresMigrations.migrate(session, at: 0)
        let postgres = try PostgresReadingWriter(session: session, collector: "collector-a")
        let sqlite = try StoreFixture()
        for batch in Self.batches {
            _ = try sqlite.writer.write(batch)
            _ = try postgres.write(batch)
        }
        // Two days of partitions (and the next day's, made ahead in PostgreSQL); keep one day.
        let policy = RetentionPolicy(rawDays: 1, minuteDays: 1, hourDays: 1, dayDays: 1, rejectDays: 1)
        let now = Instants.july1(plusDays: 2, hours: 12)
        let expected = try sqlite.writer.applyRetention(policy, now: now)
        let outcome = try postgres.applyRetention(policy, now: now)
        #expect(!expected.droppedPartitions.isEmpty)
        #expect(outcome.droppedPartitions == expected.droppedPartitions)
        #expect(outcome.deletedRollupRows == expected.deletedRollupRows)
        #expect(outcome.deletedRejects == expected.deletedRejects && expected.deletedRejects == 1)
        let left = try await server.runSQL("SELECT count(*) FROM readings")
        let leftInSQLite = try sqlite.queries.count(
            from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: .max / 2))
        #expect(left == "\(leftInSQLite)")

        // A reject of a replayable reason, asked to be replayed: the same message found.
        let reject = RejectRecord(
            receivedAt: now, topic: "envmon/lan_ha/lh-wq-09/do", reason: .unknownSensor, detail: "not configured",
            payload: Array("6.1".utf8))
        _ = try sqlite.writer.write(IngestBatch(rejects: [reject, reject]))
        _ = try postgres.write(IngestBatch(rejects: [reject, reject]))
        try await server.runSQL(
            "INSERT INTO reject_replay_requests (reason, since, dry_run, requested_at) VALUES ('unknown_sensor', NULL, false, 1)"
        )
        let request = try #require(try postgres.pendingReplayRequests().first)
        #expect(request.reason == .unknownSensor && request.since == nil && !request.dryRun)
        let messages = try postgres.replayableMessages(for: request)
        let expectedMessages = try sqlite.writer.replayableMessages(for: request)
        #expect(messages.map(\.payload) == expectedMessages.map(\.payload))
        #expect(messages.map(\.rowIDs.count) == [2])
        try postgres.finishReplay(
            request, results: [.unknownSensor: ReplayCounts(stored: 1, stillRefused: 0, alreadyPresent: 0)],
            resolvedRows: messages[0].rowIDs, detail: nil, at: now)
        #expect(try postgres.pendingReplayRequests().isEmpty)
        #expect(try await server.runSQL("SELECT count(*) FROM rejects") == "0")
        #expect(
            try await server.runSQL("SELECT status, result FROM reject_replay_requests")
                == "done|{\"unknown_sensor\":[1,0,0]}")
    }

    @Test("migrating twice changes nothing; a newer schema is refused by name")
    func migrations() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let session = try Self.session(server)
        #expect(try !PostgresMigrations.isCurrent(session))
        try PostgresMigrations.migrate(session, at: 1)
        try PostgresMigrations.migrate(session, at: 2)
        #expect(try PostgresMigrations.isCurrent(session))
        #expect(try await server.runSQL("SELECT version, applied_at FROM envmon_schema") == "v1|1")
        try await server.runSQL("INSERT INTO envmon_schema VALUES ('v99', 3)")
        let error = #expect(throws: StoreError.self) { try PostgresMigrations.migrate(session, at: 4) }
        #expect(error?.kind == .newerSchema)
        #expect(error?.message.contains("v99") == true)
    }

    @Test("a wrong password and a missing password file are refused, naming user and file")
    func refusals() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let wrong = server.directory.file("wrong-passfile")
        try "*:*:*:envmon:not-the-password\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        chmod(wrong, 0o600)
        let refused = #expect(throws: PostgresStoreError.self) {
            _ = try PostgresSession(try PostgresLocation(url: server.url + "?passfile=" + wrong), environment: [:])
        }
        #expect(refused?.message.contains("user envmon") == true, "\(String(describing: refused))")
        #expect(refused?.sqlState == "28P01")

        let missing = #expect(throws: StoreError.self) {
            _ = try PostgresSession(
                try PostgresLocation(url: server.url), environment: ["PGPASSFILE": server.directory.file("none")])
        }
        #expect(missing?.message.contains("no such password file") == true)

        chmod(wrong, 0o644)
        let open = #expect(throws: StoreError.self) {
            _ = try PostgresSession(try PostgresLocation(url: server.url + "?passfile=" + wrong), environment: [:])
        }
        #expect(open?.message.contains("chmod 600") == true)
    }

    @Test("URLs: user, host, port, database, sslmode and passfile read; mistakes named; no password printed")
    func locations() throws {
        let location = try PostgresLocation(url: "postgres://envmon:secret@db.example:6543/city?sslmode=require")
        #expect(location.host == "db.example" && location.port == 6543 && location.user == "envmon")
        #expect(location.database == "city" && location.tls == .require)
        #expect(!location.description.contains("secret"))
        #expect(try location.password(environment: [:]) == "secret")
        for (text, complaint) in [
            ("postgres://db.example/city", "no user"), ("postgres://envmon@db.example", "no database"),
            ("postgres://envmon@db.example/city?sslmode=maybe", "sslmode=maybe"),
            ("postgres://envmon:secret@db.example/city?colour=red", "unknown parameter colour"),
        ] {
            let error = #expect(throws: StoreError.self) { _ = try PostgresLocation(url: text) }
            #expect(error?.message.contains(complaint) == true, "\(text): \(String(describing: error))")
            #expect(error?.message.contains("secret") == false)
        }
    }
}
