import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// Issue 14, item 5: readings refused for an unknown metric (or sensor, or unit) are kept whole
/// and, after a config fix, replayed by the daemon: stored once, counted per reason.
@Suite("rejects replay with the real daemon, broker and CLI", .serialized)
struct RejectsReplayIntegrationTests {
    static let chlorophyll = """
        [metrics.chlorophyll]
        unit = "ug/L"
        dimension = "dimensionless"
        name = "chlorophyll-a"
        """

    @Test(
        "queued with no daemon running, carried out after the config fix: stored once, already present, still refused")
    func replayAfterConfigFix() async throws {
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"]))
        defer { broker.stop() }
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        let first = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        let ts = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        // A known and an unknown metric in one message; the same message sent twice (its own
        // time, so the second replay finds it present); a payload over 512 bytes; a metric that
        // stays unknown.
        let long =
            "{\"ts\":\(ts + 2),\"chlorophyll\":4.4,\"note_padding\":\"" + String(repeating: "x", count: 2000) + "\"}"
        let messages = [
            ("cathai/lan_ha/lh-wq-01", "{\"ts\":\(ts),\"do\":6.1,\"chlorophyll\":3.2}"),
            ("cathai/lan_ha/lh-wq-01", "{\"ts\":\(ts + 1),\"chlorophyll\":3.3}"),
            ("cathai/lan_ha/lh-wq-01", "{\"ts\":\(ts + 1),\"chlorophyll\":3.3}"),
            ("cathai/lan_ha/lh-wq-01", long),
            ("cathai/lan_ha/lh-wq-01/phycocyanin", "1.5"),
        ]
        // One at a time: two equal messages received in the same millisecond are one reject to replay.
        for (index, (topic, payload)) in messages.enumerated() {
            _ = try publisher.publish(topic: topic, text: payload, qos: 1)
            try await waitUntil("reject \(index + 1) recorded", timeout: .seconds(20)) {
                ((try? daemon.queries().rejects(reason: .unknownMetric).count) ?? 0) >= index + 1
            }
        }
        #expect(daemon.storedCount() == 1, "the DO reading of the first message")
        let kept = try daemon.queries().rejects(reason: .unknownMetric).map(\.payload.count).max() ?? 0
        #expect(kept > 2000, "the whole payload of a replayable reject is kept: \(kept) bytes")

        // Dry run before the fix: nothing decodes yet.
        let dry = try await daemon.cli(["rejects", "replay", "--dry-run", "--format", "json"])
        #expect(dry.exitStatus == 0, "\(dry)")
        #expect(dry.stdout.contains("\"still_refused\":5"), "\(dry.stdout)")

        // Stopped: the request is queued, and says so.
        try await first.stop()
        let queued = try await daemon.cli(["rejects", "replay", "--reason", "unknown_metric"])
        #expect(queued.exitStatus == 0)
        #expect(queued.stdout.contains("envmond is not running"), "\(queued.stdout)")

        // The fix: the metric is configured now; the daemon carries out the queued request.
        try daemon.directory.write(
            "envmon.toml",
            try DaemonHarness.configText(extra: Self.chlorophyll + "\n" + DeliveryIntegrationTests.sequenceMetric))
        let envmond = try await InProcessDaemon(harness: daemon)
        try await waitUntil("the queued replay carried out", timeout: .seconds(20)) {
            envmond.log.text.contains("rejects replay") == true
        }
        let log = envmond.log.text
        #expect(log.contains("unknown_metric: 3 stored, 1 still refused, 1 already present"), "\(log)")
        let series = SeriesKey(sensor: "lh-wq-01", metric: "chlorophyll")
        let stored = try daemon.queries().readings(
            of: series, from: Timestamp(milliseconds: ts - 1), to: Timestamp(milliseconds: ts + 10))
        #expect(stored.map(\.value) == [3.2, 3.3, 4.4], "each once, at its own time")
        #expect(try daemon.queries().rejects(reason: .unknownMetric).count == 1, "only the still refused one stays")

        // Again, with the daemon running: nothing left but the still refused one.
        let again = try await daemon.cli(["rejects", "replay", "--format", "json"])
        #expect(
            again.stdout.contains("\"still_refused\":1") && again.stdout.contains("\"stored\":0"), "\(again.stdout)")
        try await envmond.stop()
    }

    @Test("the rejects table keeps its row budget, oldest dropped first, counted; a bad --reason is refused")
    func rowBudget() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        var text = try DaemonHarness.configText()
        try #require(text.contains("reject_rows = 100000"), "the shipped config sets reject_rows")
        text = text.replacingOccurrences(of: "reject_rows = 100000", with: "reject_rows = 100")
        let daemon = try DaemonHarness(broker: broker, configText: text)
        let envmond = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        for index in 0..<150 {
            _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/nope", text: "\(index)", qos: 1)
        }
        try await waitUntil("150 refused", timeout: .seconds(20)) {
            ((try? daemon.queries().statistics().counters["rejects"]) ?? 0) >= 150
        }
        let statistics = try daemon.queries().statistics()
        #expect(statistics.counters["rejects_dropped"] == 50)
        let rows = try daemon.queries().rejects(limit: 1000)
        #expect(rows.count == 100)
        #expect(rows.last.map { String(decoding: $0.payload, as: UTF8.self) } == "50", "the oldest went first")
        let bad = try await daemon.cli(["rejects", "replay", "--reason", "not_finite"])
        #expect(bad.exitStatus == 2 && bad.stderr.contains("only unknown_sensor, unknown_metric and unit_mismatch"))
        try await envmond.stop()
    }
}
