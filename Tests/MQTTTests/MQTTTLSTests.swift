import MQTT
import TestSupport
import Testing

@Suite struct MQTTTLSTests {
    @Test func roundtripOverTLS() async throws {
        let certificates = try await TestCertificates()
        let broker = try await MosquittoBroker(
            options: .init(tls: certificates.brokerTLS))
        let tlsURL = try #require(broker.tlsURL)
        let recorder = Recorder()
        let client = try recorder.client(
            MQTTConfiguration(
                broker: try MQTTBrokerURL(tlsURL), clientID: "tls-sub", tls: .init(caFile: certificates.caFile),
                subscriptions: [MQTTSubscription("secure/#", qos: 1)]))
        try client.start()
        defer { client.stop() }
        try await recorder.waitForSubscriptions()
        try client.publish(topic: "secure/cage1", text: "ok", qos: 1)
        try await recorder.waitForMessages(1)
        #expect(recorder.payloads == ["ok"])
    }

    @Test func untrustedServerCertificateIsReported() async throws {
        let certificates = try await TestCertificates()
        let broker = try await MosquittoBroker(
            options: .init(tls: certificates.brokerTLS))
        let recorder = Recorder()
        var settings = MQTTConfiguration(
            broker: try MQTTBrokerURL(try #require(broker.tlsURL)), tls: .init(caFile: certificates.otherCAFile))
        settings.backoff = .init(minimum: .milliseconds(20), maximum: .milliseconds(40))
        let client = try recorder.client(settings)
        try client.start()
        defer { client.stop() }
        try await waitUntil("2 failed TLS attempts", timeout: .seconds(10)) {
            recorder.events.count { if case .connectFailed = $0 { true } else { false } } >= 2
        }
        #expect(recorder.connections.isEmpty)
        let failure = recorder.events.first { if case .connectFailed = $0 { true } else { false } }
        #expect(failure?.description.contains("certificate verify failed") == true, "\(String(describing: failure))")
    }
}
