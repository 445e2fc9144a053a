import EnvMonConfig
import EnvMonCore
import EnvMonSimulation
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("envmon-sim against a real broker and the real daemon", .serialized)
struct SimulatorIntegrationTests {
    static let brokerOptions = MosquittoBroker.Options(
        extraConfig: ["max_queued_messages 0", "max_inflight_messages 100"],
        logTypes: ["error", "warning", "notice", "information"])

    /// Six hours of the network replayed as fast as the broker takes it, ending now.
    static func settings(broker: String, faults: [FaultSpec], hours: Int = 6) -> SimulationRun.Settings {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var settings = SimulationRun.Settings(broker: broker, start: now - Int64(hours) * 3_600_000 - 120_000)
        settings.timeScale = 1e6
        settings.span = Int64(hours) * 3_600_000
        settings.style = .mix
        settings.seed = 11
        settings.faults = faults
        settings.stormFrequency = 0
        settings.progressEvery = 60_000
        return settings
    }

    /// A topic no simulated sensor uses; its plain payload "end" is not a number.
    static let markerTopic = "cathai/zz_marker/zz-marker/water_temp"

    static func publishMarker(broker: String, topic: String, payload: String) async throws {
        let publisher = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: try MQTTBrokerURL(broker), clientID: "sim-test-marker-\(UInt32.random(in: 0...UInt32.max))"),
            onMessage: { _ in })
        try publisher.start()
        defer { publisher.stop() }
        try await waitUntil("marker publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        _ = try publisher.publish(topic: topic, text: payload, qos: 1)
        try await waitUntil("marker acknowledged", timeout: .seconds(10)) { publisher.completedPublishCount >= 1 }
    }

    @Test("the manifest's counts equal what a subscriber receives, per topic")
    func manifestMatchesSubscriber() async throws {
        let broker = try await MosquittoBroker(options: Self.brokerOptions)
        let subscriber = try CountingSubscriber(url: broker.url, filter: "cathai/#")
        defer { subscriber.client.stop() }
        try await waitUntil("subscribed", timeout: .seconds(10)) { subscriber.isSubscribed }
        let faults: [FaultSpec] = [
            FaultSpec(kind: .malformed, rate: 0.01), FaultSpec(kind: .duplicate, rate: 0.01),
            FaultSpec(kind: .oversize, rate: 0.002), FaultSpec(kind: .burst, sensor: "lh-wq-01", at: "+1h"),
            FaultSpec(kind: .silence, sensor: "gl-air-01", at: "+2h", duration: "30m"),
        ]
        let manifest = try SimulationRun(
            configuration: try SimulatorFixtures.configuration(),
            settings: Self.settings(broker: broker.url, faults: faults)
        ).run()
        #expect(manifest.messagesPublished > 5000)
        try await waitUntil("every message received", timeout: .seconds(30)) {
            subscriber.total >= manifest.messagesPublished
        }
        // Anything extra would arrive before a marker published after the run, not after a sleep.
        try await Self.publishMarker(broker: broker.url, topic: Self.markerTopic, payload: "end")
        try await waitUntil("the end marker", timeout: .seconds(10)) { subscriber.topics[Self.markerTopic] == 1 }
        var topics = subscriber.topics
        topics[Self.markerTopic] = nil
        #expect(topics.values.reduce(0, +) == manifest.messagesPublished)
        #expect(topics == manifest.messagesByTopic)
        #expect((manifest.faults["malformed"]?.injected ?? 0) > 0)
        #expect((manifest.faults["duplicate"]?.injected ?? 0) > 0)
        #expect(manifest.expected.readingsNotSent == 30 * 2)
        #expect(manifest.faults["burst"]?.readings == 10 * 6, "lh-wq-01 held 10 readings of 6 metrics")
    }

    @Test("a fault run against envmond matches the manifest: rejects per reason, QC flags per kind, nothing lost")
    func faultRunMatchesDaemon() async throws {
        let broker = try await MosquittoBroker(options: Self.brokerOptions)
        let daemon = try await DaemonProcess(broker: broker)
        let faults: [FaultSpec] = [
            FaultSpec(kind: .malformed, rate: 0.004), FaultSpec(kind: .unknownMetric, rate: 0.003),
            FaultSpec(kind: .nan, rate: 0.003), FaultSpec(kind: .futureTimestamp, rate: 0.002),
            FaultSpec(kind: .staleTimestamp, rate: 0.002), FaultSpec(kind: .oversize, rate: 0.001),
            FaultSpec(kind: .duplicate, rate: 0.005), FaultSpec(kind: .spike, rate: 0.004),
            FaultSpec(kind: .outOfRange, rate: 0.003),
            FaultSpec(kind: .flatLine, sensor: "cb-tide-01", metric: "water_level", at: "+1h", duration: "4h"),
            FaultSpec(kind: .silence, sensor: "gl-air-01", at: "+2h", duration: "30m"),
            FaultSpec(kind: .burst, sensor: "cc-wq-01", at: "+3h", duration: "15m"),
            FaultSpec(kind: .drift, sensor: "bb-wq-01", metric: "ph", at: "+1h", duration: "3h"),
            FaultSpec(kind: .excursion, site: "lan_ha", metric: "do", at: "+4h", duration: "40m", value: 4.2),
        ]
        let manifest = try SimulationRun(
            configuration: try SimulatorFixtures.configuration(),
            settings: Self.settings(broker: broker.url, faults: faults)
        ).run()
        let expectedRejects = manifest.expected.rejects.values.reduce(0, +)
        #expect(expectedRejects > 20)
        let window = (from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: Int64.max / 2))

        try await waitUntil("everything stored and rejected", timeout: .seconds(60)) {
            guard let queries = try? daemon.queries(), let statistics = try? queries.statistics() else { return false }
            return (statistics.counters["readings_stored"] ?? 0) >= Int64(manifest.expected.readingsStored)
                && statistics.rejectsByReason.values.reduce(0, +) >= Int64(expectedRejects)
                && (statistics.counters["duplicates"] ?? 0) >= Int64(manifest.expected.duplicateReadings)
        }
        // The daemon handles messages in order: once a marker sent after the run is rejected,
        // anything extra the run produced would already be counted.
        try await Self.publishMarker(broker: broker.url, topic: Self.markerTopic, payload: "end")
        try await waitUntil("the end marker rejected", timeout: .seconds(10)) {
            (try? daemon.queries().rejects(reason: .undecodable).contains { $0.topic == Self.markerTopic }) == true
        }
        let queries = try daemon.queries()
        var statistics = try queries.statistics()
        statistics.rejectsByReason["undecodable", default: 1] -= 1
        if statistics.rejectsByReason["undecodable"] == 0 { statistics.rejectsByReason["undecodable"] = nil }

        // Nothing lost, nothing extra.
        #expect(try queries.count(from: window.from, to: window.to) == manifest.expected.readingsStored)
        #expect(statistics.counters["readings_stored"] == Int64(manifest.expected.readingsStored))
        #expect(statistics.counters["duplicates"] == Int64(manifest.expected.duplicateReadings))
        // Rejects per reason.
        let rejects = statistics.rejectsByReason.mapValues { Int($0) }
        #expect(rejects == manifest.expected.rejects, "daemon \(rejects) vs manifest \(manifest.expected.rejects)")

        try SimulatorFixtures.expectInjectedValues(manifest, in: queries)
        let flat = try #require(manifest.events.first { $0.kind == .flatLine })
        let points = try #require(flat.points)
        #expect(points.count == 240)
        let stuck = try queries.readings(
            of: SeriesKey(sensor: "cb-tide-01", metric: "water_level"), from: Timestamp(milliseconds: points.first!),
            to: Timestamp(milliseconds: points.last! + 1))
        #expect(stuck.count == 240)
        #expect(Set(stuck.map(\.value)).count == 1)
        // Suspect once stuck for 1 h (60 intervals), fail after 3 h (180).
        #expect(stuck[30].quality == .pass)
        #expect(stuck[100].quality == .suspect && stuck[100].flaggedBy.contains(.flatLine), "\(stuck[100])")
        #expect(stuck[239].quality == .fail && stuck[239].flaggedBy.contains(.flatLine), "\(stuck[239])")
        // The silent sensor stored nothing for 30 minutes; the excursion took DO below 5 mg/L.
        let silence = try #require(manifest.events.first { $0.kind == .silence })
        let silent = try queries.count(
            of: SeriesKey(sensor: "gl-air-01", metric: "pm25"), from: Timestamp(milliseconds: silence.time),
            to: Timestamp(milliseconds: silence.time + 30 * 60_000))
        #expect(silent == 0)
        let excursion = try #require(manifest.events.first { $0.kind == .excursion })
        let oxygen = try queries.readings(
            of: SeriesKey(sensor: "lh-do-02", metric: "do"), from: Timestamp(milliseconds: excursion.time),
            to: Timestamp(milliseconds: excursion.time + 40 * 60_000))
        #expect(oxygen.contains { $0.value < 5 && $0.quality == .pass })
        try await daemon.stop()
    }
}
