import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// Issue 7, cardinality attack: thousands of made-up sensor ids, in every payload form and on
/// configured and unconfigured topics. `ingest.max_sensors` bounds how many unconfigured sensors
/// are admitted; the rest are rejected as `unknown_sensor`, and configured sensors go on being
/// stored.
@Suite("a flood of fake sensor ids against ingest.max_sensors", .serialized)
struct SensorCardinalityIntegrationTests {
    static func ingest(maxSensors: Int) -> String {
        """
        batch_size = 2000
        flush_interval = "50ms"
        handoff_capacity = 8192
        handoff_mebibytes = 32
        max_payload_bytes = 65536
        inbox_fsync = "never"
        reject_unknown_sensors = false
        max_future_skew = "5m"
        max_age = "7d"
        max_sensors = \(maxSensors)
        """
    }

    static let markerMetric = """
        [metrics.end_marker]
        unit = "count"
        dimension = "dimensionless"
        name = "end of a test run"
        """

    static func fake(_ index: Int) -> String { "fake-\(String(index + 100_000).dropFirst())" }

    /// One ph reading of fake sensor `index`, in one of four forms: plain and JSON on the fake
    /// sensor's own (unconfigured) topic; JSON naming it on a configured sensor's topic; line
    /// protocol naming it on another configured sensor's topic.
    static func publishFake(_ index: Int, at time: Int64, with publisher: MQTTClient) throws {
        let id = fake(index)
        switch index % 4 {
        case 0: _ = try publisher.publish(topic: "cathai/lan_ha/\(id)/ph", text: "8.0", qos: 1)
        case 1: _ = try publisher.publish(topic: "cathai/lan_ha/\(id)", text: "{\"ts\":\(time),\"ph\":8.0}", qos: 1)
        case 2:
            _ = try publisher.publish(
                topic: "cathai/lan_ha/lh-wq-01", text: "{\"ts\":\(time),\"sensor\":\"\(id)\",\"ph\":8.0}", qos: 1)
        default:
            _ = try publisher.publish(
                topic: "cathai/cat_co/cc-wq-01", text: "wq,sensor=\(id) ph=8.0 \(time * 1_000_000)", qos: 1)
        }
    }

    /// Publishes the end marker and waits until it is stored: every earlier message was processed.
    static func finish(_ publisher: MQTTClient, _ daemon: DaemonHarness, at time: Int64, value: Int) async throws {
        _ = try publisher.publish(
            topic: "cathai/lan_ha/lh-wq-01", text: "{\"ts\":\(time),\"end_marker\":\(value)}", qos: 1)
        try await waitUntil("end marker \(value) stored", timeout: .seconds(90), pollEvery: .milliseconds(100)) {
            let latest = try? daemon.queries().latest(sensor: "lh-wq-01").first { $0.series.metric == "end_marker" }
            return latest?.value == Double(value)
        }
    }

    @Test(
        "3,000 fake ids with max_sensors = 200: exactly 200 admitted, the rest unknown_sensor, configured data intact")
    func floodIsCapped() async throws {
        let cap = 200
        let fakes = 3000
        let broker = try await MosquittoBroker(options: .init(logTypes: ["error", "warning", "notice"]))
        let daemon = try DaemonHarness(
            broker: broker,
            configText: try DaemonHarness.configText(ingest: Self.ingest(maxSensors: cap), extra: Self.markerMetric))
        let envmond = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        var configured: [Double] = []
        for index in 0..<fakes {
            try Self.publishFake(index, at: base + Int64(index), with: publisher)
            if index % 10 == 0 {
                // The configured sensor keeps reporting through the flood.
                let value = 25 + Double(configured.count) / 1000
                _ = try publisher.publish(
                    topic: "cathai/lan_ha/lh-wq-01",
                    text: "{\"ts\":\(base + Int64(configured.count) * 1000),\"water_temp\":\(value)}", qos: 1)
                configured.append(value)
            }
        }
        // Admitted sensors go on being heard; new ones are still refused.
        for index in 0..<5 { try Self.publishFake(index, at: base + 500_000 + Int64(index), with: publisher) }
        for index in fakes..<fakes + 5 {
            try Self.publishFake(index, at: base + 500_000 + Int64(index), with: publisher)
        }
        try await Self.finish(publisher, daemon, at: base + 550_000, value: 1)

        let queries = try daemon.queries()
        let sensors = Set(try queries.sensors().map(\.sensor))
        #expect(sensors == Set((0..<cap).map(Self.fake) + ["lh-wq-01"]), "admitted: \(sensors.count - 1)")

        let rejected = try queries.rejects(since: nil, reason: .unknownSensor, limit: 1_000_000)
        #expect(rejected.count == fakes - cap + 5)
        #expect(try queries.rejects(limit: 1_000_000).count == rejected.count, "no other reason")
        #expect(rejected.allSatisfy { $0.detail.contains("ingest.max_sensors") }, "\(rejected.first?.detail ?? "")")
        let statistics = try queries.statistics()
        #expect(statistics.rejectsByReason["unknown_sensor"] == Int64(fakes - cap + 5))

        let window = (Timestamp(milliseconds: base - 60_000), Timestamp(milliseconds: base + 600_000))
        let stored = try queries.readings(
            of: SeriesKey(sensor: "lh-wq-01", metric: "water_temp"), from: window.0, to: window.1)
        #expect(stored.map(\.value) == configured, "every configured reading, intact")
        for index in 0..<5 {
            let count = try queries.count(
                of: SeriesKey(sensor: Self.fake(index), metric: "ph"), from: window.0,
                to: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 60_000))
            #expect(count == 2, "\(Self.fake(index)) heard before and after the cap was reached")
        }
        // Series: the configured sensor's two, plus one per admitted fake sensor.
        #expect(statistics.series == 2 + cap)
        #expect(statistics.sensors == 1 + cap)
        // Still running after the flood: a clean stop, with nothing left to fail.
        try await envmond.stop()
    }

    @Test("the cap holds across a restart: sensors admitted before count against it afterwards")
    func capSurvivesRestart() async throws {
        let cap = 50
        let broker = try await MosquittoBroker(options: .init(logTypes: ["error", "warning", "notice"]))
        let daemon = try DaemonHarness(
            broker: broker,
            configText: try DaemonHarness.configText(ingest: Self.ingest(maxSensors: cap), extra: Self.markerMetric))
        let first = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        for index in 0..<100 { try Self.publishFake(index, at: base + Int64(index), with: publisher) }
        try await Self.finish(publisher, daemon, at: base + 1000, value: 1)
        #expect(try daemon.queries().statistics().sensors == 1 + cap)

        try await first.stop()
        let envmond = try await InProcessDaemon(harness: daemon)
        for index in 100..<200 { try Self.publishFake(index, at: base + Int64(index), with: publisher) }
        // A sensor admitted before the restart is still heard.
        try Self.publishFake(0, at: base + 5000, with: publisher)
        try await Self.finish(publisher, daemon, at: base + 2000, value: 2)

        let queries = try daemon.queries()
        let sensors = Set(try queries.sensors().map(\.sensor))
        #expect(sensors == Set((0..<cap).map(Self.fake) + ["lh-wq-01"]), "unconfigured sensors: \(sensors.count - 1)")
        #expect(try queries.rejects(since: nil, reason: .unknownSensor, limit: 10_000).count == 150)
        #expect(
            try queries.count(
                of: SeriesKey(sensor: Self.fake(0), metric: "ph"), from: Timestamp(milliseconds: base - 60_000),
                to: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 60_000)) == 2)
        try await envmond.stop()
    }
}
