internal import MQTT

/// What envmond publishes on MQTT: alert notices (retained current state on
/// `<prefix>/alerts/<rule>/<sensor>`, cleared when resolved, and events on
/// `<prefix>/alerts/events`) and each site's hourly VN_AQI, retained on `<prefix>/aqi/<site>`.
final class AlertPublisher: Sendable {
    private let client: MQTTClient?

    /// Without a client nothing goes out (the offline ingest of `envmon-sim fill`).
    init(client: MQTTClient?) { self.client = client }

    func publish(topic: String, payload: String, retain: Bool) {
        guard let client else { return }
        // QoS 1: libmosquitto queues it while disconnected and sends it on reconnect.
        _ = try? client.publish(topic: topic, payload: Array(payload.utf8), qos: 1, retain: retain)
    }
}
