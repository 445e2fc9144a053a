import MQTT
import Synchronization
import TestSupport

/// Collects what an `MQTTClient` delivers (on its network thread) for the test to look at.
final class Recorder: Sendable {
    private let state = Mutex<(messages: [MQTTMessage], events: [MQTTEvent])>(([], []))

    var messages: [MQTTMessage] { state.withLock { $0.messages } }
    var events: [MQTTEvent] { state.withLock { $0.events } }

    func client(_ configuration: MQTTConfiguration) throws -> MQTTClient {
        try MQTTClient(
            configuration: configuration,
            onMessage: { message in self.state.withLock { $0.messages.append(message) } },
            onEvent: { event in self.state.withLock { $0.events.append(event) } })
    }

    var connections: [Bool] {
        events.compactMap { if case .connected(let present) = $0 { present } else { nil } }
    }

    var subscriptions: [[MQTTSubscriptionResult]] {
        events.compactMap { if case .subscribed(let results) = $0 { results } else { nil } }
    }

    var refusals: [(code: Int, reason: String)] {
        events.compactMap { if case .connectionRefused(let code, let reason) = $0 { (code, reason) } else { nil } }
    }

    var reconnectDelays: [Duration] {
        events.compactMap { if case .reconnecting(_, let delay) = $0 { delay } else { nil } }
    }

    var payloads: [String] { messages.map { String(decoding: $0.payload, as: UTF8.self) } }

    /// Waits for the n-th `.subscribed` event (all SUBACKs of the n-th connection).
    func waitForSubscriptions(_ count: Int = 1, timeout: Duration = .seconds(10)) async throws {
        try await waitUntil("\(count) × all SUBACKs", timeout: timeout) { subscriptions.count >= count }
    }

    func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        try await waitUntil("\(count) messages (have \(messages.count))", timeout: timeout) {
            messages.count >= count
        }
    }
}

func configuration(
    _ broker: MosquittoBroker, clientID: String? = nil, version: MQTTConfiguration.ProtocolVersion = .v5,
    session: MQTTConfiguration.Session = .clean, subscriptions: [MQTTSubscription] = []
) throws -> MQTTConfiguration {
    MQTTConfiguration(
        broker: try MQTTBrokerURL(broker.url), clientID: clientID, protocolVersion: version, session: session,
        subscriptions: subscriptions,
        backoff: .init(minimum: .milliseconds(50), maximum: .milliseconds(400)))
}

/// A started publisher that has its CONNACK.
func connectedPublisher(
    _ broker: MosquittoBroker, version: MQTTConfiguration.ProtocolVersion = .v5
) async throws
    -> MQTTClient
{
    let recorder = Recorder()
    let publisher = try recorder.client(try configuration(broker, version: version))
    try publisher.start()
    try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
    return publisher
}
