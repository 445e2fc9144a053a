import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// Issue 13: every acknowledged reading stored exactly once, also for payloads without a time of
/// their own (plain numbers, JSON without `ts`, line protocol without a timestamp), which take
/// the receive time.
@Suite("exactly once for payloads without their own time, with a real broker, SIGKILL and SQLite", .serialized)
struct ExactlyOnceIntegrationTests {
    /// A payload shape whose readings take the receive time.
    enum UntimedPayload: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case plainNumber = "plain number"
        case jsonWithoutTime = "JSON without ts"
        case lineProtocolWithoutTime = "line protocol without timestamp"

        var testDescription: String { rawValue }

        func message(sensor: String, value: Int) -> (topic: String, payload: String) {
            switch self {
            case .plainNumber: ("cathai/lan_ha/\(sensor)/seq_test", "\(value)")
            case .jsonWithoutTime: ("cathai/lan_ha/\(sensor)", "{\"seq_test\":\(value)}")
            case .lineProtocolWithoutTime: ("cathai/lan_ha/\(sensor)", "probe seq_test=\(value)")
            }
        }
    }

    static let sensors = ["lh-wq-01", "lh-wq-02"]

    static func storedReadings(_ daemon: DaemonHarness, sensors: [String] = sensors) throws -> [String: [StoredReading]]
    {
        let queries = try daemon.queries()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var result: [String: [StoredReading]] = [:]
        for sensor in sensors {
            result[sensor] = try queries.readings(
                of: SeriesKey(sensor: sensor, metric: "seq_test"), from: Timestamp(milliseconds: now - 3_600_000),
                to: Timestamp(milliseconds: now + 3_600_000))
        }
        return result
    }

    /// Every published value once; per sensor, times strictly increase in publishing order.
    static func expectExactlyOnce(
        _ stored: [String: [StoredReading]], total: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let values = stored.values.flatMap { $0.map { Int($0.value) } }
        #expect(values.count == total, "stored \(values.count) of \(total)", sourceLocation: sourceLocation)
        #expect(values.sorted() == Array(0..<total), "every value once", sourceLocation: sourceLocation)
        for (sensor, readings) in stored {
            let byValue = readings.sorted { $0.value < $1.value }.map(\.timestamp)
            #expect(byValue == byValue.sorted(), "\(sensor): times follow the publishing order")
            #expect(Set(byValue).count == byValue.count, "\(sensor): one time per reading")
            #expect(
                readings.allSatisfy { $0.timeSource == .receipt || $0.timeSource == .catchUp },
                "\(sensor): marked as taking the receive time", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "N readings at QoS 1 as fast as the broker takes them, with no fault and with two SIGKILLs: each stored once",
        arguments: UntimedPayload.allCases, [0, 2])
    func streamStoredExactlyOnce(shape: UntimedPayload, kills: Int) async throws {
        let total = 4_000
        let rig = try await StreamRig(brokerConfig: ["max_inflight_messages 1000"])
        defer { rig.broker.stop() }
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)

        let killAt = [total / 4, total / 2 + total / 8].prefix(kills)
        var killed = 0
        for value in 0..<total {
            let (topic, payload) = shape.message(sensor: Self.sensors[value % Self.sensors.count], value: value)
            _ = try publisher.publish(topic: topic, text: payload, qos: 1)
            if killAt.contains(value) {
                try await waitUntil("daemon has stored some readings", timeout: .seconds(30)) {
                    daemon.storedCount() > 0
                }
                try await daemon.kill()
                killed += 1
                try await daemon.start()
            }
        }
        try await waitUntil("all \(total) published", timeout: .seconds(60)) {
            publisher.completedPublishCount >= total
        }
        try await waitUntil("\(total) readings stored", timeout: .seconds(120), pollEvery: .milliseconds(200)) {
            daemon.storedCount() >= total
        }
        // A clean stop acknowledges all it took: nothing more can arrive or be stored twice.
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
        #expect(killed == kills)
        Self.expectExactlyOnce(try Self.storedReadings(daemon), total: total)
    }

    @Test("A once-a-minute sensor held at the broker while the daemon is stopped: all ten stored, in order, marked")
    func backlogStoredInOrderAndMarked() async throws {
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"]))
        defer { broker.stop() }
        let daemon = try DaemonHarness(
            broker: broker, configText: try DaemonHarness.configText(extra: DeliveryIntegrationTests.sequenceMetric))
        try await daemon.start()
        _ = try await daemon.terminate()  // the broker keeps the session and queues for it

        // Ten minutes of a sensor that publishes once a minute, queued while the daemon is down.
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        for value in 0..<10 {
            _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/seq_test", text: "\(value)", qos: 1)
        }
        try await waitUntil("ten queued", timeout: .seconds(10)) { publisher.completedPublishCount >= 10 }

        try await daemon.start()
        try await waitUntil("ten stored", timeout: .seconds(30)) { daemon.storedCount() >= 10 }
        try await waitUntil("the daemon saw the broker's queue end", timeout: .seconds(30)) {
            daemon.process?.stderrSoFar.contains("caught up") == true
        }
        // A live reading after the catch-up takes its receive time as usual.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/seq_test", text: "10", qos: 1)
        try await waitUntil("the live reading stored", timeout: .seconds(30)) { daemon.storedCount() >= 11 }

        let readings = try #require(try Self.storedReadings(daemon, sensors: ["lh-wq-01"])["lh-wq-01"])
        #expect(readings.map { Int($0.value) } == Array(0...10), "all stored, in publishing order")
        #expect(readings.prefix(10).allSatisfy { $0.timeSource == .catchUp }, "\(readings.map(\.timeSource))")
        #expect(readings.last?.timeSource == .receipt)

        let sensors = try await daemon.cli(["sensors", "--format", "json"])
        let row = try #require(
            (try JSONSerialization.jsonObject(with: Data(sensors.stdout.utf8)) as? [[String: Any]])?.first {
                $0["sensor"] as? String == "lh-wq-01"
            })
        #expect(row["catch_up_readings"] as? Int == 10)
        let export = try await daemon.cli(["export", "--sensor", "lh-wq-01", "--from", "-1h", "--format", "csv"])
        #expect(export.stdout.components(separatedBy: ",catch_up,measuring\n").count - 1 == 10, "\(export.stdout)")
        _ = try await daemon.terminate()
    }

    @Test("A message journaled whose PUBACK never reached the broker, redelivered after SIGKILL: stored once")
    func redeliveryAfterKillStoredOnce() async throws {
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"]))
        defer { broker.stop() }
        let relay = try TCPRelay(to: broker.port)
        defer { relay.stop() }
        let daemon = try DaemonHarness(
            broker: broker, configText: try DaemonHarness.configText(extra: DeliveryIntegrationTests.sequenceMetric))
        try await daemon.start(broker: relay.url)
        try await waitUntil("the catch-up of the first connection is over", timeout: .seconds(30)) {
            daemon.process?.stderrSoFar.contains("MQTT subscribed") == true
        }

        // From now on the daemon's packets (its PUBACK among them) are lost on the way.
        relay.holdsClientBytes = true
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/seq_test", text: "42", qos: 1)
        try await waitUntil("journaled and stored", timeout: .seconds(30)) { daemon.storedCount() == 1 }
        #expect(relay.droppedClientBytes > 0, "the PUBACK was held back")
        try await daemon.kill()
        relay.stop()

        // The broker still waits for that PUBACK and sends the message again to the new process.
        try await daemon.start()
        var redeliveries = 0.0
        try await waitUntil("the redelivery arrived", timeout: .seconds(30)) {
            redeliveries = (try? daemon.queries().statistics().daemon["redeliveries"]) ?? 0
            return redeliveries >= 1 || daemon.storedCount() > 1
        }
        _ = try await daemon.terminate()
        #expect(redeliveries == 1)
        let readings = try #require(try Self.storedReadings(daemon, sensors: ["lh-wq-01"])["lh-wq-01"])
        #expect(readings.map(\.value) == [42], "stored once")
    }

    @Test("JSON seq: an exact resend is dropped, a jump is counted as missing, both shown by envmon sensors and stats")
    func sequenceNumbersFindResendsAndGaps() async throws {
        let rig = try await StreamRig()
        defer { rig.broker.stop() }
        defer { rig.publisher.stop() }
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        // seq 1, 2, 2 resent as is, 5 (3 and 4 never sent), 5 again with another value (a counter
        // that did not move: kept, counted as a restart).
        let messages = [(1, 10), (2, 20), (2, 20), (5, 50), (5, 51)]
        for (sequence, value) in messages {
            _ = try publisher.publish(
                topic: "cathai/lan_ha/lh-wq-01", text: "{\"seq\":\(sequence),\"seq_test\":\(value)}", qos: 1)
        }
        try await waitUntil("four stored", timeout: .seconds(30)) { daemon.storedCount() >= 4 }
        var delivery: [SensorDelivery] = []
        try await waitUntil("the resend counted", timeout: .seconds(30)) {
            delivery = (try? daemon.queries().sensorDelivery()) ?? []
            return delivery.first?.duplicates == 1 && delivery.first?.restarts == 1
        }
        #expect(delivery.first?.missing == 2)
        #expect(delivery.first?.lastSequence == 5)
        let values = try #require(try Self.storedReadings(daemon, sensors: ["lh-wq-01"])["lh-wq-01"]).map(\.value)
        #expect(values == [10, 20, 50, 51])

        let sensors = try await daemon.cli(["sensors"])
        let line = try #require(sensors.stdout.split(separator: "\n").first { $0.hasPrefix("lh-wq-01") })
        #expect(line.split(separator: " ").suffix(3).map(String.init) == ["2", "1", "0"], "\(line)")
        let stats = try await daemon.cli(["stats", "--format", "json"])
        #expect(stats.stdout.contains("{\"name\":\"seq_missing\",\"value\":2}"), "\(stats.stdout)")
        _ = try await daemon.terminate()
    }
}
