import MQTT
import TestSupport
import Testing

@Suite struct MQTTSessionTests {
    /// QoS 1 messages published while the subscriber is away arrive when it comes back with the
    /// same client id: the persistent session of MQTT 5 (Session-Expiry-Interval) and of 3.1.1
    /// (clean_session = false).
    @Test(arguments: [MQTTConfiguration.ProtocolVersion.v311, .v5])
    func queuedMessagesArriveAfterReconnect(version: MQTTConfiguration.ProtocolVersion) async throws {
        let broker = try await MosquittoBroker(options: .init(extraConfig: ["max_queued_messages 0"]))
        let settings = try configuration(
            broker, clientID: "envmond-\(version)", version: version, session: .persistent(expiry: .seconds(300)),
            subscriptions: [MQTTSubscription("cathai/#", qos: 1)])

        let first = Recorder()
        let away = try first.client(settings)
        try away.start()
        try await first.waitForSubscriptions()
        away.stop()

        let publisher = try await connectedPublisher(broker, version: version)
        defer { publisher.stop() }
        let count = 50
        for index in 0..<count {
            try publisher.publish(topic: "cathai/cage\(index % 3)/do", text: "\(index)", qos: 1)
        }
        // Acknowledged by the broker = stored for the absent session.
        try await waitUntil("\(count) PUBACKs", timeout: .seconds(10)) { publisher.completedPublishCount == count }

        let second = Recorder()
        let back = try second.client(settings)
        try back.start()
        defer { back.stop() }
        try await second.waitForMessages(count)
        #expect(second.connections.first == true, "the broker resumed the session")
        #expect(second.payloads == (0..<count).map(String.init))
        #expect(second.messages.allSatisfy { $0.qos == 1 })
    }

    /// The DESIGN fact behind the property: for MQTT 5, clean_session = false without a
    /// Session-Expiry-Interval ends the session with the connection.
    @Test func mqtt5SessionWithoutExpiryDoesNotSurvive() async throws {
        let broker = try await MosquittoBroker()
        let settings = try configuration(
            broker, clientID: "no-expiry", version: .v5, session: .persistent(expiry: .zero),
            subscriptions: [MQTTSubscription("t/#", qos: 1)])
        let first = Recorder()
        let away = try first.client(settings)
        try away.start()
        try await first.waitForSubscriptions()
        away.stop()

        let publisher = try await connectedPublisher(broker)
        defer { publisher.stop() }
        try publisher.publish(topic: "t/lost", text: "lost", qos: 1)
        try await waitUntil("PUBACK", timeout: .seconds(5)) { publisher.completedPublishCount == 1 }

        let second = Recorder()
        let back = try second.client(settings)
        try back.start()
        defer { back.stop() }
        try await second.waitForSubscriptions()
        // The broker delivers in order: had "lost" been queued, it would come before the marker.
        try publisher.publish(topic: "t/marker", text: "marker", qos: 1)
        try await second.waitForMessages(1)
        #expect(second.connections == [false])
        #expect(second.payloads == ["marker"])
    }

    /// After a broker restart the client reconnects on its own and its subscriptions work again:
    /// from the persisted session (persistence on, session present) or renewed in on_connect.
    /// Two restarts: the second reconnect must still carry the Session-Expiry-Interval.
    @Test(arguments: [true, false])
    func subscriptionsWorkAfterBrokerRestarts(persistent: Bool) async throws {
        let broker = try await MosquittoBroker(options: .init(persistence: persistent))
        let subscriber = Recorder()
        let client = try subscriber.client(
            try configuration(
                broker, clientID: "restart-sub", version: .v5,
                session: persistent ? .persistent(expiry: .seconds(300)) : .clean,
                subscriptions: [MQTTSubscription("restart/#", qos: 1), MQTTSubscription("other/+", qos: 2)]))
        try client.start()
        defer { client.stop() }
        try await subscriber.waitForSubscriptions(1)

        for round in 1...2 {
            try await broker.restart()
            try await subscriber.waitForSubscriptions(round + 1, timeout: .seconds(15))
            let publisher = try await connectedPublisher(broker)
            try publisher.publish(topic: "restart/\(round)", text: "after restart \(round)", qos: 1)
            try publisher.publish(topic: "other/\(round)", text: "other \(round)", qos: 2)
            try await subscriber.waitForMessages(2 * round)
            publisher.stop()
        }
        #expect(subscriber.connections == [false, persistent, persistent])
        #expect(subscriber.events.contains { if case .disconnected(_, false) = $0 { true } else { false } })
        #expect(Set(subscriber.payloads) == ["after restart 1", "other 1", "after restart 2", "other 2"])
    }
}
