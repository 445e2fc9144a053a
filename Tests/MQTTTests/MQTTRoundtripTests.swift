import MQTT
import TestSupport
import Testing

@Suite struct MQTTRoundtripTests {
    @Test(arguments: [MQTTConfiguration.ProtocolVersion.v311, .v5])
    func deliversEveryQoSOnSeveralSubscriptions(version: MQTTConfiguration.ProtocolVersion) async throws {
        let broker = try await MosquittoBroker()
        let subscriber = Recorder()
        let filters = [
            MQTTSubscription("cathai/+/q0", qos: 0), MQTTSubscription("cathai/+/q1", qos: 1),
            MQTTSubscription("cathai/+/q2", qos: 2), MQTTSubscription("alerts/#", qos: 1),
        ]
        let client = try subscriber.client(
            try configuration(broker, clientID: "roundtrip-sub", version: version, subscriptions: filters))
        try client.start()
        defer { client.stop() }
        try await subscriber.waitForSubscriptions()
        #expect(subscriber.subscriptions[0].map(\.grantedQoS) == [0, 1, 2, 1])
        #expect(subscriber.connections == [false])

        let publisher = try await connectedPublisher(broker, version: version)
        defer { publisher.stop() }
        // Binary payloads, an empty one, and a publish QoS above the subscription's (downgraded).
        let sent: [(topic: String, payload: [UInt8], qos: UInt8, expectedQoS: UInt8)] = [
            ("cathai/cage1/q0", Array("7.1".utf8), 0, 0),
            ("cathai/cage1/q1", [0, 1, 2, 255, 0], 1, 1),
            ("cathai/beach2/q2", Array("{\"do\":5.4}".utf8), 2, 2),
            ("alerts/do/cage1", [], 1, 1),
            ("cathai/cage1/q0", Array("qos2 downgraded".utf8), 2, 0),
            ("cathai/cage1/q1", Array("qos0 stays".utf8), 0, 0),
        ]
        for message in sent {
            try publisher.publish(topic: message.topic, payload: message.payload, qos: message.qos)
        }
        try await subscriber.waitForMessages(sent.count)
        let received = subscriber.messages
        #expect(received.count == sent.count)
        // Per-QoS ordering is not promised across QoS levels, so compare as sets of (topic, payload, qos).
        let expected = sent.map { "\($0.topic) \($0.payload) q\($0.expectedQoS)" }.sorted()
        #expect(received.map { "\($0.topic) \($0.payload) q\($0.qos)" }.sorted() == expected)
        #expect(received.allSatisfy { !$0.retain })
    }

    @Test func retainedMessageArrivesWithRetainFlag() async throws {
        let broker = try await MosquittoBroker()
        let publisher = try await connectedPublisher(broker)
        defer { publisher.stop() }
        try publisher.publish(topic: "envmon/alerts/cage1/do", text: "firing", qos: 1, retain: true)
        try await waitUntil("PUBACK", timeout: .seconds(5)) { publisher.completedPublishCount == 1 }

        let subscriber = Recorder()
        let client = try subscriber.client(
            try configuration(broker, subscriptions: [MQTTSubscription("envmon/alerts/#", qos: 1)]))
        try client.start()
        defer { client.stop() }
        try await subscriber.waitForMessages(1)
        // A QoS 1 delivery carries the broker's packet identifier (the first of this session).
        #expect(
            subscriber.messages.first
                == MQTTMessage(
                    topic: "envmon/alerts/cage1/do", payload: Array("firing".utf8), qos: 1, retain: true, messageID: 1))
    }

    @Test func publisherSeesCompletionsAndPublishedEvents() async throws {
        let broker = try await MosquittoBroker()
        let recorder = Recorder()
        var settings = try configuration(broker)
        settings.reportsPublished = true
        settings.maxInflightMessages = 10
        let publisher = try recorder.client(settings)
        try publisher.start()
        defer { publisher.stop() }
        try await waitUntil("connected", timeout: .seconds(10)) { publisher.isConnected }
        var ids: [Int] = []
        for index in 0..<200 {
            ids.append(try publisher.publish(topic: "load/\(index % 7)", text: "\(index)", qos: 1))
        }
        try await waitUntil("200 PUBACKs", timeout: .seconds(10)) { publisher.completedPublishCount == 200 }
        let published = recorder.events.compactMap { if case .published(let id) = $0 { id } else { nil } }
        #expect(published.sorted() == ids.sorted())
    }

    @Test func qos0PublishWithoutConnectionThrows() throws {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(broker: MQTTBrokerURL(host: "127.0.0.1", port: 9)), onMessage: { _ in })
        #expect {
            try client.publish(topic: "x", text: "1", qos: 0)
        } throws: { error in
            (error as? MQTTError)?.code == MQTTError.noConnection
        }
    }
}
