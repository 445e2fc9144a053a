internal import MQTT
internal import Synchronization

/// What envmond publishes on MQTT, attached once the client exists: alert notices (retained
/// current state on `<prefix>/alerts/<rule>/<sensor>`, cleared when resolved, and events on
/// `<prefix>/alerts/events`) and each site's hourly VN_AQI, retained on `<prefix>/aqi/<site>`.
final class AlertPublisher: Sendable {
    private let client = Mutex<MQTTClient?>(nil)

    func attach(_ client: MQTTClient) { self.client.withLock { $0 = client } }

    func publish(topic: String, payload: String, retain: Bool) {
        guard let client = client.withLock({ $0 }) else { return }
        // QoS 1: libmosquitto queues it while disconnected and sends it on reconnect.
        _ = try? client.publish(topic: topic, payload: Array(payload.utf8), qos: 1, retain: retain)
    }
}
