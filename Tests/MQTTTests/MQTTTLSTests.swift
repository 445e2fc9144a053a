import MQTT
import TestSupport
import Testing

@Suite struct MQTTTLSTests {
    /// A throw-away CA and a server certificate for 127.0.0.1, made with the openssl CLI.
    struct Certificates {
        let directory: TemporaryDirectory
        var caFile: String { directory.file("ca.crt") }
        var otherCAFile: String { directory.file("other-ca.crt") }
        var certFile: String { directory.file("server.crt") }
        var keyFile: String { directory.file("server.key") }

        init() async throws {
            directory = try TemporaryDirectory(prefix: "envmon-tls")
            let d = directory
            try d.write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
            let steps: [[String]] = [
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("ca.key"), "-out",
                    d.file("ca.crt"),
                    "-days", "2", "-subj", "/CN=EnvMon Test CA",
                ],
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("other-ca.key"), "-out",
                    d.file("other-ca.crt"), "-days", "2", "-subj", "/CN=Someone Else CA",
                ],
                [
                    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", d.file("server.key"), "-out",
                    d.file("server.csr"),
                    "-subj", "/CN=127.0.0.1",
                ],
                [
                    "x509", "-req", "-in", d.file("server.csr"), "-CA", d.file("ca.crt"), "-CAkey", d.file("ca.key"),
                    "-CAcreateserial", "-out", d.file("server.crt"), "-days", "2", "-extfile", d.file("san.ext"),
                ],
            ]
            for arguments in steps {
                let result = try await runProcess("/usr/bin/openssl", arguments, timeout: .seconds(60))
                try #require(result.succeeded, "openssl \(arguments[0]): \(result)")
            }
        }
    }

    @Test func roundtripOverTLS() async throws {
        let certificates = try await Certificates()
        let broker = try await MosquittoBroker(
            options: .init(
                tls: .init(caFile: certificates.caFile, certFile: certificates.certFile, keyFile: certificates.keyFile))
        )
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
        let certificates = try await Certificates()
        let broker = try await MosquittoBroker(
            options: .init(
                tls: .init(caFile: certificates.caFile, certFile: certificates.certFile, keyFile: certificates.keyFile))
        )
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
