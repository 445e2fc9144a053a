import MQTT
import TestSupport
import Testing

@Suite struct MQTTConnectionFailureTests {
    /// Bad credentials: libmosquitto's own threaded loop would stop for good on the MQTT 5 refusal.
    /// Ours reports every refusal with the broker's reason, backs off within bounds, and connects
    /// by itself once the broker accepts the password (file fixed, SIGHUP).
    @Test(arguments: [MQTTConfiguration.ProtocolVersion.v311, .v5])
    func refusedCredentialsAreReportedAndRetried(version: MQTTConfiguration.ProtocolVersion) async throws {
        let broker = try await MosquittoBroker(options: .init(users: ["envmond": "old-secret"]))
        let recorder = Recorder()
        var settings = try configuration(
            broker, clientID: "auth-\(version)", version: version, subscriptions: [MQTTSubscription("a/#")])
        settings.username = "envmond"
        settings.password = "new-secret"
        settings.backoff = .init(minimum: .milliseconds(20), maximum: .milliseconds(160))
        let client = try recorder.client(settings)
        try client.start()
        defer { client.stop() }

        try await waitUntil("6 refusals", timeout: .seconds(10)) { recorder.refusals.count >= 6 }
        let refusal = try #require(recorder.refusals.first)
        #expect(refusal.reason.lowercased().contains("not authori"), "clear reason: \(refusal.reason)")
        #expect(refusal.code == (version == .v5 ? 0x87 : 5))
        #expect(!client.isConnected)
        let delays = recorder.reconnectDelays.prefix(6)
        #expect(
            Array(delays) == [
                .milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(160), .milliseconds(160),
                .milliseconds(160),
            ])

        try await broker.setUsers(["envmond": "new-secret"])
        broker.reload()
        try await recorder.waitForSubscriptions()
        #expect(client.isConnected)
        #expect(recorder.connections == [false])
    }

    /// stop() must not hang on a broker that does not answer: connected then frozen, frozen
    /// before CONNACK, or absent (backoff sleep).
    @Test(arguments: ["connected-then-paused", "paused-before-connack", "no-broker"])
    func stopReturnsPromptly(situation: String) async throws {
        let broker = try await MosquittoBroker()
        let recorder = Recorder()
        var settings = try configuration(broker, clientID: "stopper", subscriptions: [MQTTSubscription("x/#")])
        settings.backoff = .init(minimum: .seconds(30), maximum: .seconds(60))
        let client = try recorder.client(settings)
        switch situation {
        case "connected-then-paused":
            try client.start()
            try await recorder.waitForSubscriptions()
            broker.pause()
        case "paused-before-connack":
            broker.pause()
            try client.start()
        default:
            broker.stop()
            try client.start()
            try await waitUntil("backoff sleep", timeout: .seconds(5)) { !recorder.reconnectDelays.isEmpty }
        }
        defer { broker.resume() }
        let elapsed = ContinuousClock().measure { client.stop() }
        #expect(elapsed < .seconds(2), "stop() took \(elapsed)")
        #expect(recorder.events.last == .stopped)
    }

    @Test func unreachableBrokerIsReportedAndRetried() async throws {
        let port = try freeLoopbackPort()
        let recorder = Recorder()
        var settings = MQTTConfiguration(broker: MQTTBrokerURL(host: "127.0.0.1", port: port))
        settings.backoff = .init(minimum: .milliseconds(10), maximum: .milliseconds(20))
        let client = try recorder.client(settings)
        try client.start()
        defer { client.stop() }
        try await waitUntil("3 failed attempts", timeout: .seconds(5)) {
            recorder.events.count { if case .connectFailed = $0 { true } else { false } } >= 3
        }
        let failure = recorder.events.first { if case .connectFailed = $0 { true } else { false } }
        #expect(failure?.description.contains("127.0.0.1:\(port)") == true)
        #expect(failure?.description.lowercased().contains("refused") == true, "\(String(describing: failure))")
    }
}
