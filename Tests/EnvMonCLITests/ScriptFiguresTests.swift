import EnvMonCLI
import EnvMonCore
import EnvMonStore
import Foundation
import TestSupport
import Testing

/// The Simulator's scripts read the store only through `envmon ... --format json`, so they work
/// against any backend: these are the fields they rely on (lib.sh `store_figure`, faults.sh,
/// backup-pause.sh).
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
}
