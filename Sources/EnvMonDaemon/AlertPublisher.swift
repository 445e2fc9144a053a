internal import MQTT
internal import Synchronization

/// The MQTT side of alert notices, attached once the client exists: retained current state on
/// `<prefix>/alerts/<rule>/<sensor>` (cleared when resolved) and events on `<prefix>/alerts/events`.
final class AlertPublisher: Sendable {
    private let client = Mutex<MQTTClient?>(nil)

    func attach(_ client: MQTTClient) { self.client.withLock { $0 = client } }

    func publish(topic: String, payload: String, retain: Bool) {
        guard let client = client.withLock({ $0 }) else { return }
        // QoS 1: libmosquitto queues it while disconnected and sends it on reconnect.
        _ = try? client.publish(topic: topic, payload: Array(payload.utf8), qos: 1, retain: retain)
    }
}
