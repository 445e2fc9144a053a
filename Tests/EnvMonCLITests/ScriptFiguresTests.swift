import EnvMonCLI
import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

/// The Simulator's scripts read the store only through `envmon ... --format json`, so they work
/// against any backend: these are the fields they rely on (lib.sh `store_figure`, faults.sh,
/// backup-pause.sh, transmit-bench.sh, transmit-outage.sh).
/// What the CLI printed, decoded (EnvMonCore has a `JSONValue` of its own).
typealias JSON = TestSupport.JSONValue

@Suite("the figures the scripts read through the CLI's JSON")
struct ScriptFiguresTests {
    static let start = RFC3339.parse("2026-11-29T03:00:00Z")!

    /// Runs `arguments` and decodes its JSON output, requiring exit 0.
    static func json(_ arguments: [String]) throws -> JSON {
        let result = try CLIRunner.run(arguments)
        #expect(result.exitCode == 0, "envmon \(arguments.joined(separator: " ")): \(result.output)")
        return try JSONDecoder().decode(JSON.self, from: Data(result.output.utf8))
    }

    @Test("stats: readings stored, catch-up readings, rejects in all and by reason, series, the daemon's longest batch")
    func statsFigures() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-script-figures")
        let path = directory.file("envmon.db")
        let store = try Store.open(.sqlite(path: path), for: .ingest)
        let writer = try store.makeReadingWriter()
        var batch = IngestBatch(
            readings: (0..<3).map {
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "do"),
                    timestamp: Self.start.adding(milliseconds: Int64($0) * 60_000), value: 6, quality: .pass)
            },
            rejects: (0..<2).map {
                RejectRecord(
                    receivedAt: Self.start, topic: "cathai/x/fake-\($0)/do", reason: .unknownSensor,
                    detail: "sensor fake-\($0) is not configured", payload: Array("1".utf8))
            } + [
                RejectRecord(
                    receivedAt: Self.start, topic: "cathai/lan_ha/lh-wq-01/do", reason: .undecodable,
                    detail: "payload \"abc\" is not a number", payload: Array("abc".utf8))
            ], sites: ["lh-wq-01": "lan_ha"])
        var catchUp = SensorDeliveryChange()
        catchUp.catchUpReadings = 2
        batch.delivery = ["lh-wq-01": catchUp]
        batch.receivedAt = Self.start
        _ = try writer.write(batch)
        try writer.recordDaemonStatistics(["max_batch_ms": 42.5, "last_batch_ms": 3], at: Self.start)

        let figures = try Self.json(["stats", "--db", path, "--format", "json"]).arrayValue ?? []
        var byName: [String: JSON] = [:]
        for figure in figures {
            if let name = figure["name"]?.stringValue { byName[name] = figure["value"] }
        }
        #expect(byName["readings_stored"]?.intValue == 3)
        #expect(byName["catch_up_readings"]?.intValue == 2)
        #expect(byName["rejects"]?.intValue == 3)
        #expect(byName["rejects.unknown_sensor"]?.intValue == 2)
        #expect(byName["rejects.undecodable"]?.intValue == 1)
        #expect(byName["series"]?.intValue == 1)
        #expect(byName["daemon.max_batch_ms"]?.doubleValue == 42.5)
    }

    @Test("alerts: each alert names its rule's kind, whatever the rule is called")
    func alertKind() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-script-figures")
        let path = directory.file("envmon.db")
        let store = try Store.open(.sqlite(path: path), for: .ingest)
        _ = try store.makeReadingWriter()
        let raisedAt = Self.start.adding(milliseconds: 60_000)
        func raised(rule: String, kind: AlertRuleKind, metric: String) -> (AlertTransition, text: String) {
            let transition = AlertTransition(
                alertID: "\(rule):lh-wq-01:\(raisedAt.milliseconds)", ruleID: rule, kind: kind, sensor: "lh-wq-01",
                site: "lan_ha", metric: metric, from: .pending, to: .firing, notice: .raised, severity: .warning,
                value: 4.2, threshold: 5, basis: "", at: raisedAt, raisedAt: raisedAt)
            return (transition, text: "raised \(rule)")
        }
        try store.alertWriter.record(
            [
                raised(rule: "cages_silent", kind: .noData, metric: "*"),
                raised(rule: "do_low_aquaculture", kind: .below, metric: "do"),
            ], states: [], at: raisedAt)

        let alerts = try Self.json(["alerts", "--db", path, "--format", "json"]).arrayValue ?? []
        let kinds = Dictionary(
            uniqueKeysWithValues: alerts.compactMap { alert in
                alert["rule"]?.stringValue.map { ($0, alert["kind"]?.stringValue) }
            })
        #expect(kinds == ["cages_silent": "no_data", "do_low_aquaculture": "below"])
    }

    /// A store whose outbox holds one file sent, one waiting and one given up, and a webhook body.
    static func outboxFixture() throws -> (TemporaryDirectory, String, [OutboxEntry]) {
        let directory = try TemporaryDirectory(prefix: "envmon-script-figures")
        let path = directory.file("envmon.db")
        let store = try Store.open(.sqlite(path: path), for: .ingest)
        _ = try store.makeReadingWriter()
        let entries = (0..<3).map { minute in
            let end = Self.start.adding(milliseconds: Int64(minute + 1) * 60_000)
            // Bytes no text encoding would keep: the listing must give them back exactly.
            let body = Array("HP_CATHAI_LANHA01 \(minute)\r\n".utf8) + [0x00, 0xC3, 0xFF]
            return OutboxEntry(
                target: "so-tnmt", kind: .dataFile, name: "HP_CATHAI_LANHA01_\(minute).txt", body: body,
                station: "LANHA01", intervalEnd: end, createdAt: end.adding(milliseconds: 2000))
        }
        let webhook = OutboxEntry(
            target: "zalo", kind: .webhook, name: "alert-1", body: Array("{\"text\":\"raised\"}".utf8),
            createdAt: Self.start)
        try store.outbox.enqueue(entries + [webhook])
        let queued = try store.outbox.dataFiles(from: Self.start, to: Self.start.adding(milliseconds: 600_000))
        try store.outbox.markSent(queued[0].id, at: Self.start.adding(milliseconds: 65_000))
        try store.outbox.markFailed(
            queued[1].id, error: "connection refused", retryAt: Self.start.adding(milliseconds: 200_000),
            at: Self.start.adding(milliseconds: 125_000))
        try store.outbox.markAbandoned(queued[2].id, error: "550 denied", at: Self.start.adding(milliseconds: 185_000))
        return (directory, path, queued)
    }

    @Test("transmit list: every entry with its state and times, filtered by target and backlog, bodies exact")
    func transmitList() throws {
        let (directory, path, queued) = try Self.outboxFixture()
        _ = directory

        let all = try Self.json(["transmit", "list", "--db", path, "--format", "json"]).arrayValue ?? []
        #expect(all.map { $0["name"]?.stringValue } == queued.map(\.name) + ["alert-1"])
        #expect(all.map { $0["state"]?.stringValue } == ["sent", "waiting", "abandoned", "waiting"])
        let sent = all[0]
        #expect(sent["id"]?.intValue == Int(queued[0].id))
        #expect(sent["target"]?.stringValue == "so-tnmt" && sent["kind"]?.stringValue == "data_file")
        #expect(sent["station"]?.stringValue == "LANHA01")
        #expect(sent["interval_end"]?.stringValue == "2026-11-29T03:01:00Z")
        #expect(sent["created_at"]?.stringValue == "2026-11-29T03:01:02Z")
        #expect(sent["sent_at"]?.stringValue == "2026-11-29T03:01:05Z")
        #expect(sent["attempts"]?.intValue == 1 && sent["bytes"]?.intValue == queued[0].body.count)
        #expect(sent["body_base64"] == nil, "bodies only when asked for")
        #expect(all[1]["sent_at"]?.isNull == true && all[1]["last_error"]?.stringValue == "connection refused")
        #expect(all[2]["abandoned_at"]?.stringValue == "2026-11-29T03:03:05Z")
        #expect(all[3]["kind"]?.stringValue == "webhook" && all[3]["station"]?.isNull == true)

        let waiting =
            try Self.json([
                "transmit", "list", "--db", path, "--target", "so-tnmt", "--waiting", "--bodies", "--format", "json",
            ]).arrayValue ?? []
        #expect(waiting.map { $0["name"]?.stringValue } == [queued[1].name])
        let body = waiting.first?["body_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) }
        #expect(body.map { [UInt8]($0) } == queued[1].body)

        let limited = try Self.json(["transmit", "list", "--db", path, "--limit", "2", "--format", "json"])
        #expect(limited.arrayValue?.count == 2)
        let table = try CLIRunner.run(["transmit", "list", "--db", path, "--waiting"])
        #expect(table.exitCode == 0)
        #expect(table.output.contains("so-tnmt") && table.output.contains("connection refused"))
        #expect(table.output.contains("zalo") && !table.output.contains("550 denied"))
    }

    @Test("transmit list: exit 1 when nothing is waiting")
    func transmitListEmpty() throws {
        let (directory, path, _) = try Self.outboxFixture()
        _ = directory
        let nothing = try CLIRunner.run(["transmit", "list", "--db", path, "--target", "nobody", "--waiting"])
        #expect(nothing.exitCode == 1 && nothing.output.contains("nothing waiting"))
    }
}
