import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// The promise of DESIGN.md, Delivery: nothing acknowledged is lost, nothing is stored twice.
@Suite("delivery guarantee with a real broker, SIGKILL and SQLite", .serialized)
struct DeliveryIntegrationTests {
    /// A metric without QC thresholds whose value is the sequence number, so the test can check
    /// exactly which readings were stored.
    static let sequenceMetric = """
        [metrics.seq_test]
        unit = "count"
        dimension = "dimensionless"
        name = "test sequence"
        """

    @Test("N QoS 1 readings with the daemon SIGKILLed twice mid-stream: exactly N stored, none twice")
    func killedTwiceLosesNothing() async throws {
        let total = 20_000
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0", "max_inflight_messages 1000"]))
        let daemon = try DaemonHarness(
            broker: broker, configText: try DaemonHarness.configText(extra: Self.sequenceMetric))
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        // Readings carry their own time (one millisecond apart per sensor) so a redelivery after
        // a kill has the same (series, timestamp) and is stored once.
        let sensors = ["lh-wq-01", "bb-wq-01", "ctg-wq-01", "cc-wq-01"]
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 120_000
        let kills = [total / 4, total / 2 + total / 8]
        var killed = 0
        for sequence in 0..<total {
            let sensor = sensors[sequence % sensors.count]
            let payload = "{\"ts\":\(base + Int64(sequence)),\"seq\":\(sequence),\"seq_test\":\(sequence)}"
            _ = try publisher.publish(topic: "cathai/site/\(sensor)", text: payload, qos: 1)
            if killed < kills.count, sequence == kills[killed] {
                // Let the daemon take part of the stream, then kill it mid-batch and restart it.
                try await waitUntil("daemon has stored some readings", timeout: .seconds(30)) {
                    daemon.storedCount() > 0
                }
                try await daemon.kill()
                killed += 1
                try await daemon.start()
            }
        }
        try await waitUntil("all \(total) readings stored", timeout: .seconds(120), pollEvery: .milliseconds(200)) {
            daemon.storedCount() >= total
        }
        let queries = try daemon.queries()
        var values: [Int] = []
        for sensor in sensors {
            values += try queries.readings(
                of: SeriesKey(sensor: sensor, metric: "seq_test"), from: Timestamp(milliseconds: base),
                to: Timestamp(milliseconds: base + Int64(total))
            ).map { Int($0.value) }
        }
        #expect(killed == 2)
        #expect(values.count == total, "stored \(values.count) of \(total)")
        #expect(values.sorted() == Array(0..<total), "every sequence number once")
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
    }

    @Test("a burst faster than SQLite commits blocks the hand-off at its bound and loses nothing")
    func burstStaysWithinBound() async throws {
        let total = 20_000
        let capacity = 64
        let broker = try await MosquittoBroker(options: .init(extraConfig: ["max_queued_messages 0"]))
        let ingest = """
            batch_size = 32
            flush_interval = "50ms"
            handoff_capacity = \(capacity)
            handoff_mebibytes = 1
            """
        let daemon = try DaemonHarness(
            broker: broker, configText: try DaemonHarness.configText(ingest: ingest, extra: Self.sequenceMetric))
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        for sequence in 0..<total {
            let payload = "{\"ts\":\(base + Int64(sequence)),\"seq_test\":\(sequence)}"
            _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01", text: payload, qos: 1)
        }
        try await waitUntil("all \(total) readings stored", timeout: .seconds(120), pollEvery: .milliseconds(200)) {
            daemon.storedCount() >= total
        }
        // The daemon's snapshot is refreshed every 200 ms in this config.
        var daemonFigures: [String: Double] = [:]
        try await waitUntil("statistics snapshot after the burst", timeout: .seconds(10)) {
            daemonFigures = (try? daemon.queries().statistics().daemon) ?? [:]
            return (daemonFigures["readings_stored"] ?? 0) >= Double(total)
        }
        #expect(daemon.storedCount() == total)
        #expect((daemonFigures["handoff_high_water"] ?? .infinity) <= Double(capacity))
        #expect((daemonFigures["handoff_blocked"] ?? 0) > 0, "the burst must have filled the hand-off")
        #expect(daemonFigures["handoff_capacity"] == Double(capacity))
        _ = try await daemon.terminate()
    }
}
