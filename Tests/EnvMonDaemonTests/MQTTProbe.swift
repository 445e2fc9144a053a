import Foundation
import MQTT
import Synchronization
import TestSupport

/// A test MQTT client with its own credentials (our libmosquitto wrapper) that records every
/// message and life-cycle event it gets, for tests about who may publish and read what.
final class MQTTProbe: Sendable {
    let clientID: String
    let client: MQTTClient
    private let record: Record

    /// Filled on the client's network thread, read by the test.
    private final class Record: Sendable {
        let state = Mutex<(messages: [MQTTMessage], events: [MQTTEvent])>(([], []))
    }

    /// Connects (`mqtts://` with `caFile`) and subscribes to `subscriptions` at QoS 1.
    init(
        url: String, name: String, username: String?, password: String?, caFile: String? = nil,
        subscriptions: [String] = []
    ) throws {
        let broker = try MQTTBrokerURL(url)
        let record = Record()
        clientID = "\(name)-\(UUID().uuidString.prefix(8))"
        client = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: broker, clientID: clientID, username: username, password: password,
                tls: broker.usesTLS ? .init(caFile: caFile) : nil,
                subscriptions: subscriptions.map { MQTTSubscription($0, qos: 1) },
                backoff: .init(minimum: .milliseconds(100), maximum: .milliseconds(500))),
            onMessage: { message in record.state.withLock { $0.messages.append(message) } },
            onEvent: { event in record.state.withLock { $0.events.append(event) } })
        self.record = record
        try client.start()
    }

    var messages: [MQTTMessage] { record.state.withLock { $0.messages } }
    var events: [MQTTEvent] { record.state.withLock { $0.events } }

    /// Payloads (as text) received on exactly `topic`, in arrival order.
    func payloads(on topic: String) -> [String] {
        messages.filter { $0.topic == topic }.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    /// True once connected with every subscription granted (or connected, without subscriptions).
    var isReady: Bool {
        let events = events
        let connected = events.contains { if case .connected = $0 { true } else { false } }
        let subscribed = events.contains {
            if case .subscribed(let results) = $0 { results.allSatisfy(\.isGranted) } else { false }
        }
        return connected && (subscribed || client.configuration.subscriptions.isEmpty)
    }

    @discardableResult
    func publish(_ topic: String, _ text: String) throws -> Int {
        try client.publish(topic: topic, text: text, qos: 1)
    }

    func stop() { client.stop() }
}
