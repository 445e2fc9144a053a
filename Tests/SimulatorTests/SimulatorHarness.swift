import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport

/// The real `envmond` on the shipped config, against a real broker and a real SQLite file.
final class DaemonProcess: @unchecked Sendable {
    let directory: TemporaryDirectory
    let configPath: String
    let databasePath: String
    let process: ChildProcess

    static func executable(_ name: String) -> String { BuiltProduct.executable(name) }

    init(broker: MosquittoBroker) async throws {
        directory = try TemporaryDirectory(prefix: "envmon-sim-daemon")
        var text = try String(contentsOfFile: SimulatorFixtures.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "statistics_interval = \"5s\"", with: "statistics_interval = \"200ms\"")
        configPath = try directory.write("envmon.toml", text)
        databasePath = directory.file("envmon.db")
        process = try ChildProcess(
            Self.executable("envmond"), ["--config", configPath, "--broker", broker.url, "--db", databasePath],
            outputDirectory: directory.path)
        let child = process
        try await waitUntil("envmond subscribed", timeout: .seconds(20)) {
            child.stderrSoFar.contains("MQTT subscribed") || !child.isRunning
        }
        guard child.isRunning else { throw TestSupportError("envmond exited: \(child.stderrSoFar)") }
    }

    func queries() throws -> any ReadingQueries {
        try Store.open(.sqlite(path: databasePath), for: .read).readings
    }

    func stop() async throws {
        process.send(SIGTERM)
        _ = try await process.waitForExit(timeout: .seconds(10))
    }
}

/// A subscriber that counts what it receives, per topic.
final class CountingSubscriber: @unchecked Sendable {
    let client: MQTTClient
    private let counts = NSLock()
    private var byTopic: [String: Int] = [:]
    private var subscribed = false

    init(url: String, filter: String) throws {
        let box = Box()
        client = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: try MQTTBrokerURL(url), clientID: "sim-test-sub-\(UInt32.random(in: 0...UInt32.max))",
                subscriptions: [MQTTSubscription(filter, qos: 1)]),
            onMessage: { message in box.owner?.received(message.topic) },
            onEvent: { event in if case .subscribed = event { box.owner?.markSubscribed() } })
        box.owner = self
        try client.start()
    }

    private final class Box: @unchecked Sendable {
        weak var owner: CountingSubscriber?
    }

    private func received(_ topic: String) {
        counts.lock()
        byTopic[topic, default: 0] += 1
        counts.unlock()
    }

    private func markSubscribed() {
        counts.lock()
        subscribed = true
        counts.unlock()
    }

    var isSubscribed: Bool {
        counts.lock()
        defer { counts.unlock() }
        return subscribed
    }

    var topics: [String: Int] {
        counts.lock()
        defer { counts.unlock() }
        return byTopic
    }

    var total: Int { topics.values.reduce(0, +) }
}
