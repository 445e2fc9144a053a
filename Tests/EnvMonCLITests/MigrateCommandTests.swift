import EnvMonCLI
import EnvMonCore
import EnvMonStore
import Foundation
import GRDB
import TestSupport
import Testing

/// `envmon migrate` copies a SQLite store into a real PostgreSQL 15: afterwards the CLI must answer
/// the same, to the byte, from either store. `envmon migrate` itself is the built binary, as an
/// operator runs it (its progress on stderr, its summary on stdout); the answers compared are the
/// CLI's, run in-process against `--db sqlite:PATH` and `--db postgres://...`.
///
/// Serialized: each test starts its own server, and the machines running these have few cores.
@Suite("envmon migrate: a SQLite store copied into PostgreSQL", .serialized)
struct MigrateCommandTests {
    static let start = RFC3339.parse("2026-11-28T00:00:00Z")!
    static let series = [
        SeriesKey(sensor: "lh-wq-01", metric: "do"), SeriesKey(sensor: "lh-wq-01", metric: "water_temp"),
        SeriesKey(sensor: "cc-wq-01", metric: "water_temp"), SeriesKey(sensor: "cb-air-01", metric: "pm25"),
    ]
    static let sites = ["lh-wq-01": "lan_ha", "cc-wq-01": "cat_co", "cb-air-01": "cat_ba_town"]
    /// Every table the copy fills, for counting both sides independently of the copier.
    static let tables = [
        "series", "sensors", "latest", "rollup_1h", "rollup_1d", "rejects", "counters", "alert_state", "alerts",
        "alert_log", "alert_ack_requests", "reject_replay_requests", "maintenance_windows", "maintenance_requests",
        "sensor_delivery", "sensor_delivery_daily", "outbox", "transmission_state", "aqi_hourly",
    ]

    /// A SQLite store as three days of a running daemon leave it: four series every 10 minutes
    /// (suspect, failed, receipt-timed and calibrating readings among them, one flag revised
    /// later), rejects (one payload not UTF-8, one empty), delivery figures, an alert raised,
    /// acknowledged and resolved and one still firing, acknowledgement, maintenance and replay
    /// requests, a closed and an open maintenance window, outbox files sent, failed and waiting,
    /// hourly VN_AQI, the daemon's figures and its journal position. The writer stays open (the
    /// daemon still running), so the newest commits are in the -wal file.
    final class Source {
        let directory: TemporaryDirectory
        let path: String
        let store: Store
        let alertIDs: [String]
        var location: String { "sqlite:" + path }

        /// `offset` shifts every value: another store with the same series.
        init(offset: Double = 0) throws {
            directory = try TemporaryDirectory(prefix: "envmon-migrate")
            path = directory.file("envmon.db")
            store = try Store.open(.sqlite(path: path), for: .ingest)
            let writer = try store.makeReadingWriter()
            let base = [6.0, 28.0, 29.5, 35.0]
            for day in 0..<3 {
                var readings: [Reading] = []
                for step in 0..<144 {
                    let time = start.adding(milliseconds: Int64(day) * 86_400_000 + Int64(step) * 600_000)
                    for (index, key) in MigrateCommandTests.series.enumerated() {
                        let failed = index == 2 && step % 53 == 11
                        let suspect = step % 37 == 5
                        readings.append(
                            Reading(
                                series: key, timestamp: time,
                                value: base[index] + Double((step * 7 + index * 3) % 40) / 10 + offset,
                                quality: failed ? .fail : suspect ? .suspect : .pass,
                                flaggedBy: failed ? .spike : suspect ? .grossRange : [],
                                timeSource: step % 29 == 3 ? .receipt : .device,
                                deviceStatus: day == 1 && index == 0 && (60..<66).contains(step)
                                    ? .calibrating : .measuring))
                    }
                }
                let dayStart = start.adding(milliseconds: Int64(day) * 86_400_000)
                let rejects = [
                    RejectRecord(
                        receivedAt: dayStart.adding(milliseconds: 1000), topic: "cathai/lan_ha/lh-wq-01/do",
                        reason: .undecodable, detail: "giá trị \"abc\" không phải số", payload: Array("abc".utf8)),
                    RejectRecord(
                        receivedAt: dayStart.adding(milliseconds: 2000), topic: "cathai/cat_co/cc-wq-01/temprature",
                        reason: .unknownMetric, detail: "metric \"temprature\" is unknown",
                        payload: day == 1 ? [] : [0xFF, 0x00, 0xFE, 0x41]),
                ]
                var batch = IngestBatch(
                    readings: readings,
                    revisions: day == 1
                        ? [
                            QualityRevision(
                                series: MigrateCommandTests.series[1], timestamp: start.adding(milliseconds: 1_200_000),
                                quality: .fail, flaggedBy: .spike)
                        ] : [],
                    rejects: day == 2 ? [] : rejects, sites: sites,
                    inboxPosition: InboxPosition(segment: 1, offset: Int64(day + 1) * 4096))
                var delivery = SensorDeliveryChange()
                delivery.lastSequence = Int64(day * 144 + 143)
                delivery.lastChecksum = 0xDEAD_BEEF
                delivery.missing = Int64(day)
                delivery.duplicates = 1
                batch.delivery = ["lh-wq-01": delivery]
                batch.receivedAt = dayStart.adding(milliseconds: 3_600_000)
                _ = try writer.write(batch)
            }
            try writer.recordDaemonStatistics(
                ["running": 1, "messages_received": 1728], at: start.adding(milliseconds: 3 * 86_400_000))

            // Alerts: one raised, acknowledged and resolved; one firing, its acknowledgement pending.
            let hour: Int64 = 3_600_000
            let doRaised = start.adding(milliseconds: 30 * hour)
            let pmRaised = start.adding(milliseconds: 50 * hour)
            let doLow = "do_low_aquaculture:lh-wq-01:\(doRaised.milliseconds)"
            let pmHigh = "pm25_high:cb-air-01:\(pmRaised.milliseconds)"
            alertIDs = [doLow, pmHigh]
            func transition(
                _ id: String, _ rule: String, _ kind: AlertRuleKind, _ key: SeriesKey, _ from: AlertState,
                _ to: AlertState, _ notice: AlertNotice, _ severity: AlertSeverity, value: Double?, threshold: Double,
                at: Timestamp, raisedAt: Timestamp, acknowledged: Bool = false
            ) -> AlertTransition {
                AlertTransition(
                    alertID: id, ruleID: rule, kind: kind, sensor: key.sensor, site: sites[key.sensor]!,
                    metric: key.metric, from: from, to: to, notice: notice, severity: severity, value: value,
                    threshold: threshold, basis: "QCVN 10-MT:2015/BTNMT", at: at, raisedAt: raisedAt,
                    acknowledgedBy: acknowledged ? "lan" : nil, acknowledgedAt: acknowledged ? at : nil,
                    acknowledgementNote: acknowledged ? "sục khí đã bật" : nil)
            }
            let doKey = MigrateCommandTests.series[0]
            let pmKey = MigrateCommandTests.series[3]
            try store.alertWriter.record(
                [
                    (
                        transition(
                            doLow, "do_low_aquaculture", .below, doKey, .pending, .firing, .raised, .critical,
                            value: 4.2, threshold: 5, at: doRaised, raisedAt: doRaised),
                        text: "raised do_low_aquaculture: lh-wq-01 (lan_ha) do 4.2 mg/L below 5 mg/L"
                    )
                ],
                states: [
                    AlertStateRecord(
                        ruleID: "do_low_aquaculture", sensor: "lh-wq-01", site: "lan_ha", metric: "do",
                        condition: .firing, alertID: doLow, severity: .critical, raisedAt: doRaised, lastValue: 4.2,
                        lastValueAt: doRaised, recentValues: [TimedValue(at: doRaised, value: 4.2)])
                ], at: doRaised)
            let acknowledgement = try store.alerts.requestAcknowledgement(
                alertID: doLow, by: "lan", note: "sục khí đã bật", at: doRaised.adding(milliseconds: 600_000))
            try store.alertWriter.completeAcknowledgement(acknowledgement, status: "applied", detail: "acknowledged")
            try store.alertWriter.record(
                [
                    (
                        transition(
                            doLow, "do_low_aquaculture", .below, doKey, .firing, .firing, .acknowledged, .critical,
                            value: 4.3, threshold: 5, at: doRaised.adding(milliseconds: 600_000), raisedAt: doRaised,
                            acknowledged: true),
                        text: "acknowledged do_low_aquaculture by lan"
                    ),
                    (
                        transition(
                            doLow, "do_low_aquaculture", .below, doKey, .firing, .resolved, .resolved, .critical,
                            value: 5.6, threshold: 5, at: doRaised.adding(milliseconds: 2 * hour), raisedAt: doRaised,
                            acknowledged: true),
                        text: "resolved do_low_aquaculture: lh-wq-01 (lan_ha) do 5.6 mg/L"
                    ),
                    (
                        transition(
                            pmHigh, "pm25_high", .above, pmKey, .inactive, .firing, .raised, .warning, value: nil,
                            threshold: 50, at: pmRaised, raisedAt: pmRaised),
                        text: "raised pm25_high: cb-air-01 (cat_ba_town)"
                    ),
                ],
                states: [
                    AlertStateRecord(
                        ruleID: "pm25_high", sensor: "cb-air-01", site: "cat_ba_town", metric: "pm25",
                        condition: .firing, alertID: pmHigh, severity: .warning, raisedAt: pmRaised)
                ],
                removed: [
                    AlertStateRecord(
                        ruleID: "do_low_aquaculture", sensor: "lh-wq-01", site: "lan_ha", metric: "do",
                        severity: .critical)
                ], at: pmRaised)
            _ = try store.alerts.requestAcknowledgement(alertID: pmHigh, by: "minh", note: nil, at: pmRaised)

            // Maintenance: a calibration carried out and ended, a fault still open, one request pending.
            let calibration = MaintenanceWindow(
                sensor: "lh-wq-01", metric: "do", kind: .calibrating, start: start.adding(milliseconds: 34 * hour),
                note: "hiệu chuẩn DO", by: "lan")
            let asked = try store.maintenance.request(.start, calibration, at: calibration.start)
            let opened = try store.maintenance.open(calibration, request: asked, at: calibration.start)
            try store.maintenance.close(
                window: opened.id, at: start.adding(milliseconds: 35 * hour), by: "lan", request: nil)
            try store.maintenance.markAnnounced(window: opened.id, stage: 2)
            _ = try store.maintenance.open(
                MaintenanceWindow(
                    sensor: "cc-wq-01", kind: .fault, start: start.adding(milliseconds: 60 * hour), note: nil, by: nil),
                request: nil, at: start.adding(milliseconds: 60 * hour))
            _ = try store.maintenance.request(
                .end, MaintenanceWindow(sensor: "cc-wq-01", kind: .fault, start: start.adding(milliseconds: 70 * hour)),
                at: start.adding(milliseconds: 70 * hour))
            _ = try store.readings.queueReplay(
                reason: .unknownMetric, since: start, dryRun: true, at: start.adding(milliseconds: 71 * hour))

            // The outbox: a data file sent, one failed (to retry), a webhook waiting.
            let files = (0..<2).map { index in
                OutboxEntry(
                    target: "so-tnmt", kind: .dataFile, name: "HP_CATHAI_LH_20261128\(index)000.txt",
                    body: Array("do\t6.1\tmg/L\t00\n".utf8) + [0x00, 0xE1], station: "LH",
                    intervalEnd: start.adding(milliseconds: Int64(index + 1) * hour),
                    createdAt: start.adding(milliseconds: Int64(index + 1) * hour + 60_000))
            }
            let webhook = OutboxEntry(
                target: "zalo", kind: .webhook, name: "\(pmHigh):raised", body: Array("{\"text\":\"PM2.5\"}".utf8),
                createdAt: pmRaised)
            try store.outbox.enqueue(files + [webhook], madeThrough: ["LH": start.adding(milliseconds: 2 * hour)])
            try store.outbox.markSent(1, at: start.adding(milliseconds: hour + 120_000))
            try store.outbox.markFailed(
                2, error: "550 quyền bị từ chối", retryAt: start.adding(milliseconds: 3 * hour),
                at: start.adding(milliseconds: 2 * hour + 120_000))

            try store.aqi.record(
                (0..<3).map { index in
                    HourlyAQI(
                        sensor: "cb-air-01", site: "cat_ba_town", hour: start.adding(milliseconds: Int64(index) * hour),
                        value: 40 + index * 13, dominant: index == 2 ? nil : .pm25,
                        subIndices: [.pm25: 40 + index * 13, .pm10: 20 + index],
                        computedAt: start.adding(milliseconds: Int64(index + 1) * hour + 5000))
                })
        }

        /// The database file and its -wal, to show the copy changed neither.
        var files: [Data?] { [path, path + "-wal"].map { FileManager.default.contents(atPath: $0) } }

        /// `SELECT count(*) FROM table` in the SQLite file.
        func count(_ table: String) throws -> Int {
            var configuration = Configuration()
            configuration.readonly = true
            return try DatabaseQueue(path: path, configuration: configuration).read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            }
        }
    }

    /// Runs the built `envmon migrate`, the password file given as PGPASSFILE unless said otherwise.
    static func migrate(
        _ arguments: [String], passwordFile: String? = nil, environment: [String: String] = [:]
    ) async throws -> ProcessResult {
        var variables = environment
        if let passwordFile { variables["PGPASSFILE"] = passwordFile }
        return try await runProcess(
            BuiltProduct.executable("envmon"), ["migrate"] + arguments, environment: variables,
            currentDirectory: BuiltProduct.repositoryRoot.path, timeout: .seconds(120))
    }

    /// The CLI's answers that must not tell the stores apart: tables and JSON, every series raw and
    /// at every roll-up level, alerts and an alert's history, rejects, maintenance, the outbox.
    static func answers(_ db: String, alertIDs: [String]) throws -> [String: (output: String, exitCode: Int32)] {
        let range = ["--from", "2026-11-28T00:00:00Z", "--to", "2026-12-01T00:00:00Z"]
        var commands: [[String]] = [
            ["latest"], ["latest", "--format", "json"], ["latest", "--site", "lan_ha", "--format", "csv"],
            ["sensors", "--format", "json"], ["export", "--format", "csv"] + range,
            ["export", "--format", "json", "--sensor", "cb-air-01"] + range,
            ["alerts", "list"], ["alerts", "list", "--format", "json"],
            ["alerts", "list", "--active", "--format", "json"],
            ["rejects", "list", "--format", "json"], ["rejects", "list", "--reason", "unknown_metric"],
            ["maintenance", "list", "--since", "2026-01-01", "--format", "json"],
            ["transmit", "list", "--bodies", "--format", "json"],
        ]
        commands += alertIDs.map { ["alerts", "history", $0, "--format", "json"] }
        for key in series {
            let one = ["query", "--sensor", key.sensor, "--metric", key.metric] + range
            commands.append(one + ["--format", "json"])
            commands.append(one + ["--every", "1m", "--agg", "count", "--format", "csv"])
            commands.append(one + ["--every", "1h", "--agg", "max", "--format", "json"])
            commands.append(one + ["--every", "1d", "--format", "json"])
            commands.append(one + ["--every", "1d", "--agg", "last"])
        }
        var result: [String: (output: String, exitCode: Int32)] = [:]
        for command in commands {
            result[command.joined(separator: " ")] = try CLIRunner.run(command + ["--db", db])
        }
        return result
    }

    /// What the CLI does not show but the daemon and the console read: the same from both stores.
    static func expectSameRecords(_ sqlite: Store, _ postgres: Store) throws {
        let (from, to) = (start, start.adding(milliseconds: 4 * 86_400_000))
        #expect(try postgres.alertWriter.loadStates() == sqlite.alertWriter.loadStates())
        #expect(try postgres.alertWriter.pendingAcknowledgements() == sqlite.alertWriter.pendingAcknowledgements())
        for id: Int64 in [1, 2] {
            #expect(try postgres.alerts.acknowledgementRequest(id: id) == sqlite.alerts.acknowledgementRequest(id: id))
            #expect(try postgres.maintenance.request(id: id) == sqlite.maintenance.request(id: id))
        }
        #expect(try postgres.readings.replayRequest(id: 1) == sqlite.readings.replayRequest(id: 1))
        #expect(try postgres.maintenance.windows() == sqlite.maintenance.windows())
        #expect(try postgres.maintenance.pendingRequests() == sqlite.maintenance.pendingRequests())
        #expect(try postgres.readings.rejects(limit: 100) == sqlite.readings.rejects(limit: 100))
        #expect(try postgres.readings.sensorDelivery() == sqlite.readings.sensorDelivery())
        #expect(
            try postgres.readings.sensorDelivery(from: from, to: to)
                == sqlite.readings.sensorDelivery(from: from, to: to))
        #expect(try postgres.aqi.hourly(from: from, to: to) == sqlite.aqi.hourly(from: from, to: to))
        #expect(try postgres.outbox.madeThrough() == sqlite.outbox.madeThrough())
        // (`transmit status` shows the backlog's age from now: compared here rather than as text.)
        #expect(try postgres.outbox.status() == sqlite.outbox.status())
        #expect(
            try postgres.outbox.entries(target: nil, waitingOnly: false, limit: 100)
                == sqlite.outbox.entries(target: nil, waitingOnly: false, limit: 100))
        let (expected, actual) = (try sqlite.readings.statistics(), try postgres.readings.statistics())
        #expect(actual.counters == expected.counters)
        #expect(actual.rejectsByReason == expected.rejectsByReason)
        #expect(actual.series == expected.series && actual.sensors == expected.sensors)
        #expect(actual.rawPartitions == expected.rawPartitions && actual.oldestPartition == expected.oldestPartition)
    }

    @Test("every table copied: the CLI answers the same from both stores, the source unchanged, a second run refused")
    func copiesEveryTable() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let source = try Source()
        let before = source.files

        let result = try await Self.migrate(
            ["--from", source.location, "--to", server.url, "--batch-rows", "500"], passwordFile: server.passwordFile)
        #expect(result.succeeded, "\(result)")
        #expect(source.files == before, "the source store changed")
        #expect(result.stdout.hasPrefix("copied 1728 readings (3 days), 4 series, "), "\(result.stdout)")
        #expect(result.stdout.hasSuffix(" from sqlite:\(source.path) to \(server.url)\n"), "\(result.stdout)")
        for piece in [", 4 rejects,", ", 2 alerts,", ", 4 alert_log,", ", 2 maintenance_windows,", ", 3 outbox,"] {
            #expect(result.stdout.contains(piece), "\(piece) in \(result.stdout)")
        }
        for line in [
            "migrate: readings: 1728 rows", "migrate: alerts: 2 rows", "migrate: alert_state: 1 row\n",
            "migrate: counters: ",
        ] {
            #expect(result.stderr.contains(line), "\(line) in \(result.stderr)")
        }
        #expect(result.stderr.contains("row counts verified"))
        #expect(!(result.stdout + result.stderr).contains(server.password))

        // Counted by psql and by SQLite directly, not by the copier.
        #expect(try await server.runSQL("SELECT count(*) FROM readings") == "1728")
        for day in ["raw_20261128", "raw_20261129", "raw_20261130"] {
            #expect(try await server.runSQL("SELECT count(*) FROM \(day)") == "\(try source.count(day))")
        }
        for table in Self.tables {
            #expect(
                try await server.runSQL("SELECT count(*) FROM \(table)") == "\(try source.count(table))", "\(table)")
        }
        // The journal position and the daemon's live figures stay with the machine and the daemon.
        #expect(try await server.runSQL("SELECT count(*) FROM ingest_state") == "0")
        #expect(try await server.runSQL("SELECT count(*) FROM daemon_stats") == "0")

        let postgresURL = server.url + "?passfile=" + server.passwordFile
        let expected = try Self.answers(source.location, alertIDs: source.alertIDs)
        let actual = try Self.answers(postgresURL, alertIDs: source.alertIDs)
        for (command, answer) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(answer.exitCode == 0 && !answer.output.isEmpty, "\(command): \(answer.output)")
            #expect(actual[command]?.exitCode == answer.exitCode, "\(command)")
            #expect(actual[command]?.output == answer.output, "\(command)")
        }
        let sqliteStore = try Store.open(try StoreLocation(source.location), for: .read)
        let postgresStore = try Store.open(try StoreLocation(postgresURL), for: .read)
        try Self.expectSameRecords(sqliteStore, postgresStore)

        // A second run: refused, the target named, nothing added.
        let again = try await Self.migrate(
            ["--from", source.location, "--to", server.url], passwordFile: server.passwordFile)
        #expect(again.exitStatus == 2, "\(again)")
        #expect(
            again.stderr.contains(
                "\(server.url): already holds an EnvMon store (rows in series, readings, rollup_1m and 18 more)"))
        #expect(try await server.runSQL("SELECT count(*) FROM readings") == "1728")
        #expect(try await server.runSQL("SELECT count(*) FROM alerts") == "2")

        // The copied ids are taken: the daemon's and the CLI's next rows get new ones.
        let requests = try Store.open(try StoreLocation(postgresURL), for: .queueRequests)
        #expect(
            try requests.alerts.requestAcknowledgement(alertID: source.alertIDs[1], by: "an", note: nil, at: Self.start)
                == 3
        )
        #expect(
            try requests.maintenance.request(
                .end, MaintenanceWindow(sensor: "cc-wq-01", kind: .fault, start: Self.start), at: Self.start) == 3)
        #expect(try requests.readings.queueReplay(reason: nil, since: nil, dryRun: false, at: Self.start) == 2)
        let daemon = try Store.open(try StoreLocation(postgresURL), for: .ingest)
        let writer = try daemon.makeReadingWriter(collector: "envmond-cathai")
        let later = Self.start.adding(milliseconds: 3 * 86_400_000 + 60_000)
        let outcome = try writer.write(
            IngestBatch(
                readings: [
                    Reading(
                        series: SeriesKey(sensor: "nt-wq-09", metric: "do"), timestamp: later, value: 7, quality: .pass),
                    Reading(series: Self.series[0], timestamp: later, value: 6.5, quality: .pass),
                ],
                rejects: [
                    RejectRecord(receivedAt: later, topic: "x", reason: .oversize, detail: "too big", payload: [1])
                ], sites: ["nt-wq-09": "nam_trung"]))
        #expect(outcome.stored.count == 2)
        #expect(try await server.runSQL("SELECT id FROM series WHERE sensor = 'nt-wq-09'") == "5")
        #expect(try await server.runSQL("SELECT max(id) FROM rejects") == "5")
    }

    @Test("an interrupted copy is resumed without duplicates; another store or a foreign row is refused by name")
    func resumesInterruptedCopy() async throws {
        let server = try await PostgreSQLServer()
        defer { server.stop() }
        let source = try Source()
        let url = server.url + "?passfile=" + server.passwordFile

        struct Interrupted: Error {}
        /// Stops the copy (as an interrupt would) after the first batch of readings that reaches
        /// `rows`; the readings committed by then.
        func interruptedCopy(into target: String, after rows: Int) throws -> Int {
            var copier = try StoreCopier(from: try StoreLocation(source.location), to: try StoreLocation(target))
            copier.batchRows = 100
            var committed = 0
            #expect(throws: Interrupted.self) {
                _ = try copier.copy { step in
                    guard step.table == "readings", step.copied >= rows else { return }
                    committed = step.copied
                    throw Interrupted()
                }
            }
            return committed
        }
        // Batches of 100 within each day of 576 readings: 100, ..., 500, 576, 676, 776.
        let committed = try interruptedCopy(into: url, after: 700)
        #expect(committed == 776)
        #expect(try await server.runSQL("SELECT count(*) FROM readings") == "\(committed)")
        #expect(try await server.runSQL("SELECT count(*) FROM series") == "4")
        #expect(try await server.runSQL("SELECT name FROM counters") == "migrate.source")

        // Another store with the same series is not this copy's source.
        let other = try Source(offset: 0.5)
        let refused = try await Self.migrate(
            ["--from", other.location, "--to", server.url], passwordFile: server.passwordFile)
        #expect(refused.exitStatus == 2, "\(refused)")
        #expect(refused.stderr.contains("\(server.url): holds an interrupted copy of another SQLite store"))
        #expect(try await server.runSQL("SELECT count(*) FROM readings") == "\(committed)")

        let resumed = try await Self.migrate(
            ["--from", source.location, "--to", server.url, "--batch-rows", "250"], passwordFile: server.passwordFile)
        #expect(resumed.succeeded, "\(resumed)")
        #expect(resumed.stdout.hasSuffix(" to \(server.url) (resumed)\n"), "\(resumed.stdout)")
        #expect(try await server.runSQL("SELECT count(*) FROM readings") == "1728")
        #expect(
            try await server.runSQL("SELECT count(*) FROM (SELECT DISTINCT series, ts FROM readings) AS keys") == "1728"
        )
        for table in Self.tables {
            #expect(
                try await server.runSQL("SELECT count(*) FROM \(table)") == "\(try source.count(table))", "\(table)")
        }
        #expect(try await server.runSQL("SELECT count(*) FROM counters WHERE name = 'migrate.source'") == "0")
        let latest = ["latest", "--format", "json", "--db"]
        #expect(try CLIRunner.run(latest + [url]).output == CLIRunner.run(latest + [source.location]).output)

        // A row the source does not have, found in an interrupted copy's target: named, exit 1.
        try await server.runSQLAsSuperuser("CREATE DATABASE second OWNER envmon", database: "postgres")
        let second = "postgres://envmon@127.0.0.1:\(server.port)/second"
        #expect(try interruptedCopy(into: second + "?passfile=" + server.passwordFile, after: 300) == 300)
        try await server.runSQLAsSuperuser(
            """
            INSERT INTO rejects (id, received_at, topic, reason, detail, payload)
            VALUES (999, 0, 'elsewhere', 'undecodable', 'not from this source', '\\x00')
            """, database: "second")
        let mismatch = try await Self.migrate(
            ["--from", source.location, "--to", second], passwordFile: server.passwordFile)
        #expect(mismatch.exitStatus == 1, "\(mismatch)")
        #expect(mismatch.stderr.contains("rejects has 4 rows in the source but 5 in the target"), "\(mismatch.stderr)")
        #expect(!mismatch.stderr.contains("readings ("), "\(mismatch.stderr)")

        // A wrong password: refused by the server, the password never shown.
        let wrong = try source.directory.write("wrong.pgpass", "127.0.0.1:\(server.port):*:envmon:not-the-password\n")
        chmod(wrong, 0o600)
        let denied = try await Self.migrate(["--from", source.location, "--to", server.url], passwordFile: wrong)
        #expect(denied.exitStatus == 2, "\(denied)")
        #expect(denied.stderr.contains("the server refused user envmon"), "\(denied.stderr)")
        let inline = try await Self.migrate([
            "--from", source.location, "--to", "postgres://envmon:s3cr3t-in-url@127.0.0.1:\(server.port)/envmon",
        ])
        #expect(inline.exitStatus == 2 && inline.stderr.contains("refused user envmon"), "\(inline)")
        #expect(!(inline.stdout + inline.stderr).contains("s3cr3t"), "\(inline)")
    }

    @Test("bad input: wrong schemes, a missing or damaged source, an unreachable server, each named")
    func badInput() async throws {
        let source = try Source()
        let directory = try TemporaryDirectory(prefix: "envmon-migrate-bad")
        let notes = try directory.write("notes.db", "these are not readings\n")
        let port = try freeLoopbackPort()
        let unreachable = "postgres://envmon@127.0.0.1:\(port)/envmon"
        let cases: [(arguments: [String], message: String)] = [
            (
                ["--from", source.location, "--to", "mysql://envmon@127.0.0.1/envmon"],
                "--to: mysql://envmon@127.0.0.1/envmon: unknown store scheme mysql://"
            ),
            (
                ["--from", source.location, "--to", "sqlite:" + directory.file("copy.db")],
                "--to \(directory.file("copy.db")): not a PostgreSQL store"
            ),
            (["--from", unreachable, "--to", unreachable], "--from \(unreachable): not a SQLite store"),
            (
                ["--from", source.location, "--to", "postgres://127.0.0.1/envmon"],
                "--to: postgres://127.0.0.1/envmon: no user"
            ),
            (
                ["--from", "sqlite:" + directory.file("missing.db"), "--to", unreachable],
                "\(directory.file("missing.db")): no such database"
            ),
            (["--from", notes, "--to", unreachable], "\(notes): not an SQLite database (bad header)"),
            (
                ["--from", source.location, "--to", unreachable],
                "\(unreachable): cannot reach the server"
            ),
        ]
        for (arguments, message) in cases {
            let result = try await Self.migrate(arguments)
            #expect(result.exitStatus == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains("envmon: " + message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result.stdout)")
        }
        #expect(FileManager.default.contents(atPath: notes) == Data("these are not readings\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: directory.file("missing.db")))
    }
}
