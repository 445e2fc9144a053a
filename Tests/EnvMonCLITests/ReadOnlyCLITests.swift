import EnvMonCLI
import EnvMonCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import EnvMonStore

/// The CLI reads the store without changing it; `alerts ack` is its only write (DESIGN.md, Storage).
@Suite("envmon opens the store read-only, except alerts ack")
struct ReadOnlyCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let configPath = root.appendingPathComponent("Config/envmon.toml").path
    static let indicatorsPath = root.appendingPathComponent("Config/indicators.toml").path
    static let start = RFC3339.parse("2026-11-29T03:00:00Z")!

    /// A populated store, as a running daemon leaves it: two days of readings for two sensors of
    /// the shipped config, rejects, the daemon's figures, and a firing alert with its history.
    /// The writer connection stays open while the returned value lives (the daemon still running),
    /// so the last commits sit in the -wal file.
    struct Store {
        let directory: TemporaryDirectory
        let path: String
        let writer: any ReadingWriter
        let alertID: String

        init() throws {
            directory = try TemporaryDirectory(prefix: "envmon-readonly")
            path = directory.file("envmon.db")
            let queue = try StoreDatabase.openForWriting(path: path)
            writer = try SQLiteReadingWriter(database: queue)
            var readings: [Reading] = []
            for minute in 0..<(36 * 60) where minute % 5 == 0 {
                let time = start.adding(milliseconds: Int64(minute) * 60_000)
                readings.append(
                    Reading(
                        series: SeriesKey(sensor: "lh-wq-01", metric: "do"), timestamp: time,
                        value: 5 + Double(minute % 50) / 20, quality: .pass))
                readings.append(
                    Reading(
                        series: SeriesKey(sensor: "cc-wq-01", metric: "water_temp"), timestamp: time,
                        value: 28 + Double(minute % 30) / 10, quality: minute % 60 == 0 ? .suspect : .pass,
                        flaggedBy: minute % 60 == 0 ? .grossRange : []))
            }
            _ = try writer.write(
                IngestBatch(
                    readings: readings,
                    rejects: [
                        RejectRecord(
                            receivedAt: start, topic: "cathai/lan_ha/lh-wq-01/do", reason: .undecodable,
                            detail: "payload \"abc\" is not a number", payload: Array("abc".utf8)),
                        RejectRecord(
                            receivedAt: start.adding(milliseconds: 1000), topic: "cathai/lan_ha/lh-wq-01/temprature",
                            reason: .unknownMetric, detail: "metric \"temprature\" is unknown", payload: Array("3".utf8)
                        ),
                    ], sites: ["lh-wq-01": "lan_ha", "cc-wq-01": "cat_co"]))
            try writer.recordDaemonStatistics(
                ["messages_received": 866, "readings_stored": 864], at: start.adding(milliseconds: 3_600_000))
            let raisedAt = start.adding(milliseconds: 7_200_000)
            alertID = "do_low_aquaculture:lh-wq-01:\(raisedAt.milliseconds)"
            let raised = AlertTransition(
                alertID: alertID, ruleID: "do_low_aquaculture", kind: .below, sensor: "lh-wq-01", site: "lan_ha",
                metric: "do", from: .pending, to: .firing, notice: .raised, severity: .critical, value: 4.2,
                threshold: 5, basis: "QCVN 10-MT:2015/BTNMT", at: raisedAt, raisedAt: raisedAt)
            try SQLiteAlertWriter(database: queue).record(
                [(raised, text: "raised do_low_aquaculture: lh-wq-01 (lan_ha) do 4.2 mg/L below 5 mg/L")], states: [],
                at: raisedAt)
        }
    }

    /// The bytes of the database file and its -wal (nil when absent).
    struct Files: Equatable {
        var database: Data?
        var wal: Data?

        init(_ path: String) {
            database = FileManager.default.contents(atPath: path)
            wal = FileManager.default.contents(atPath: path + "-wal")
        }
    }

    /// Every row of every table, as text, by table.
    static func rows(_ path: String) throws -> [String: [String]] {
        try StoreDatabase.openForReading(path: path).read { db in
            var result: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                // Table names come from sqlite_master itself; quoted as identifiers.
                let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(quoted)").map(\.description).sorted()
            }
            return result
        }
    }

    /// Every read command, in each of its output formats.
    static func readCommands(db: String, alertID: String) -> [[String]] {
        let store = ["--db", db, "--config", configPath]
        var commands: [[String]] = []
        for format in ["table", "json", "csv"] {
            commands += [
                ["sensors", "--format", format] + store,
                ["latest", "--format", format] + store,
                ["latest", "--site", "cat_co", "--format", format] + store,
                [
                    "query", "--sensor", "lh-wq-01", "--metric", "do", "--from", "2026-11-29", "--to", "2026-12-01",
                    "--format", format,
                ] + store,
                [
                    "query", "--sensor", "lh-wq-01", "--metric", "do", "--from", "2026-11-29", "--to", "2026-12-01",
                    "--every", "1h", "--agg", "max", "--format", format,
                ] + store,
                [
                    "query", "--sensor", "cc-wq-01", "--metric", "water_temp", "--from", "2026-11-29", "--to",
                    "2026-12-01", "--every", "1m", "--format", format,
                ] + store,
                [
                    "query", "--sensor", "cc-wq-01", "--metric", "water_temp", "--from", "2026-11-01", "--to",
                    "2026-12-01", "--every", "1d", "--agg", "count", "--format", format,
                ] + store,
                ["rejects", "--format", format] + store,
                ["rejects", "--reason", "unknown_metric", "--format", format] + store,
                ["stats", "--format", format] + store,
                ["alerts", "--format", format] + store,
                ["alerts", "--active", "--severity", "critical", "--format", format] + store,
                ["alerts", "history", alertID, "--format", format] + store,
                ["check-config", configPath, "--format", format],
            ]
        }
        for format in ["csv", "json", "senml"] {
            commands.append(
                [
                    "export", "--from", "2026-11-29", "--to", "2026-12-01", "--format", format, "--db", db, "--config",
                    configPath,
                ])
        }
        commands.append(
            [
                "export", "--from", "2026-11-29", "--to", "2026-12-01", "--sensor", "cc-wq-01", "--db", db, "--config",
                configPath,
            ])
        for format in ["md", "html", "json"] {
            commands.append([
                "report", "--period", "2026-11", "--format", format, "--db", db, "--config", configPath,
                "--indicators", indicatorsPath, "--now", "2026-12-01T02:00:00Z",
            ])
        }
        commands.append([
            "report", "--from", "2026-11-29", "--to", "2026-12-01", "--lang", "en", "--db", db, "--config", configPath,
            "--indicators", indicatorsPath, "--now", "2026-12-01T02:00:00Z",
        ])
        return commands
    }

    /// Runs every read command; each must succeed with output (so each really read the store).
    static func runReadCommands(db: String, alertID: String) throws {
        for arguments in readCommands(db: db, alertID: alertID) {
            let result = try CLIRunner.run(arguments)
            #expect(result.exitCode == 0, "envmon \(arguments.joined(separator: " ")): \(result.output)")
            #expect(!result.output.isEmpty, "envmon \(arguments.joined(separator: " ")) printed nothing")
        }
    }

    @Test("every read command leaves the database and its -wal byte for byte as they were, while the daemon writes")
    func readCommandsChangeNothing() throws {
        let store = try Store()
        let filesBefore = Files(store.path)
        let rowsBefore = try Self.rows(store.path)
        #expect(filesBefore.database != nil)
        #expect((filesBefore.wal?.count ?? 0) > 0, "the fixture's last commits are in the -wal")
        #expect(rowsBefore["alerts"]?.count == 1 && (rowsBefore["rejects"]?.count ?? 0) == 2)
        #expect(rowsBefore.keys.contains { $0.hasPrefix("raw_") } && rowsBefore["alert_ack_requests"] == [])

        try Self.runReadCommands(db: store.path, alertID: store.alertID)

        #expect(Files(store.path) == filesBefore, "a read command changed the database or its -wal")
        #expect(try Self.rows(store.path) == rowsBefore)
    }

    @Test("with the daemon stopped, read commands leave the database file as it was and add no WAL frames")
    func readCommandsOnAClosedStore() throws {
        let (directory, path, alertID) = try {
            let store = try Store()
            return (store.directory, store.path, store.alertID)
        }()
        _ = directory
        // The writer is closed: SQLite checkpointed and removed the -wal.
        let filesBefore = Files(path)
        #expect(filesBefore.wal == nil)
        let rowsBefore = try Self.rows(path)

        try Self.runReadCommands(db: path, alertID: alertID)

        let filesAfter = Files(path)
        #expect(filesAfter.database == filesBefore.database, "a read command changed the database file")
        // A read-only connection may leave an empty -wal (SQLite cannot remove it without write
        // access), but never a frame in it.
        #expect(filesAfter.wal == nil || filesAfter.wal?.isEmpty == true, "\(filesAfter.wal?.count ?? 0) bytes of WAL")
        #expect(try Self.rows(path) == rowsBefore)
    }

    @Test("the store's reading connection refuses every kind of write with SQLITE_READONLY")
    func readingConnectionRefusesWrites() throws {
        let store = try Store()
        let reader = try StoreDatabase.openForReading(path: store.path)
        let filesBefore = Files(store.path)
        for sql in [
            "INSERT INTO counters (name, value) VALUES ('sneaky', 1)", "UPDATE latest SET value = 0",
            "DELETE FROM alerts", "DROP TABLE series", "CREATE TABLE extra (x)", "PRAGMA user_version = 7",
            "INSERT INTO alert_ack_requests (alert_id, by, requested_at) VALUES ('x', 'y', 0)",
        ] {
            let error = #expect(throws: DatabaseError.self, "\(sql)") {
                try reader.writeWithoutTransaction { db in try db.execute(sql: sql) }
            }
            #expect(error?.resultCode == .SQLITE_READONLY, "\(sql): \(String(describing: error))")
        }
        // The daemon's writer can still write: the refusal is the reading connection's, not the file's.
        try store.writer.recordDaemonStatistics(["messages_received": 1], at: Self.start)
        #expect(Files(store.path) != filesBefore)
    }

    @Test("alerts ack is the only command that writes: one row in alert_ack_requests, nothing else")
    func acknowledgementIsTheOnlyWrite() throws {
        let store = try Store()
        let rowsBefore = try Self.rows(store.path)
        let filesBefore = Files(store.path)

        let ack = try CLIRunner.run([
            "alerts", "ack", store.alertID, "--by", "Nguyễn Văn Lan", "--note", "đã bật sục khí", "--wait", "0",
            "--db", store.path, "--config", Self.configPath,
        ])
        #expect(ack.exitCode == 0 && ack.output.contains("queued"), "\(ack.output)")
        #expect(Files(store.path) != filesBefore, "the acknowledgement was written")

        var rowsAfter = try Self.rows(store.path)
        let requests = rowsAfter["alert_ack_requests"] ?? []
        #expect(requests.count == 1, "\(requests)")
        let request = requests.first ?? ""
        for field in ["alert_id:\"\(store.alertID)\"", "by:\"Nguyễn Văn Lan\"", "status:\"pending\""] {
            #expect(request.contains(field), "\(request)")
        }
        rowsAfter["alert_ack_requests"] = []
        #expect(rowsAfter == rowsBefore, "only alert_ack_requests changed")

        // A refused acknowledgement (unknown alert) writes nothing.
        let filesAfterAck = Files(store.path)
        let unknown = try CLIRunner.run([
            "alerts", "ack", "do_low:nobody:1795921200000", "--by", "Lan", "--wait", "0", "--db", store.path,
        ])
        #expect(unknown.exitCode == 1, "\(unknown.output)")
        #expect(Files(store.path) == filesAfterAck)
    }
}
