import MQTT
import TestSupport
import Testing

@Suite struct MQTTBrokerURLTests {
    @Test(arguments: [
        ("mqtt://broker.cathai.local", "broker.cathai.local", 1883, false),
        ("mqtt://10.0.0.5:1884", "10.0.0.5", 1884, false),
        ("mqtts://broker.cathai.local", "broker.cathai.local", 8883, true),
        ("mqtts://broker:9883/", "broker", 9883, true),
        ("mqtt://[::1]:1883", "::1", 1883, false),
        ("mqtts://[fe80::1]", "fe80::1", 8883, true),
    ])
    func parses(url: String, host: String, port: Int, tls: Bool) throws {
        let parsed = try MQTTBrokerURL(url)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
        #expect(parsed.usesTLS == tls)
    }

    @Test(arguments: [
        "tcp://broker:1883", "broker:1883", "mqtt://", "mqtt://:1883", "mqtt://host:0", "mqtt://host:70000",
        "mqtt://host:port", "mqtt://user:pw@host", "mqtt://host/topic", "mqtt://[::1",
    ])
    func rejects(url: String) {
        #expect(throws: MQTTError.self) { try MQTTBrokerURL(url) }
    }

    @Test func errorNamesTheURL() {
        #expect {
            try MQTTBrokerURL("http://x")
        } throws: { error in
            (error as? MQTTError)?.description.contains("http://x") == true
        }
    }

    @Test func describesItself() throws {
        #expect(try MQTTBrokerURL("mqtt://h").description == "mqtt://h:1883")
        #expect(try MQTTBrokerURL("mqtts://[::1]:8884").description == "mqtts://[::1]:8884")
    }
}

@Suite struct MQTTConfigurationTests {
    let url = MQTTBrokerURL(host: "127.0.0.1")

    @Test func persistentSessionNeedsClientID() {
        let configuration = MQTTConfiguration(broker: url, session: .persistent(expiry: .seconds(60)))
        #expect(throws: MQTTError.self) { try configuration.validate() }
        #expect(throws: MQTTError.self) { try MQTTClient(configuration: configuration, onMessage: { _ in }) }
    }

    @Test func rejectsBadSettingsNamingTheKey() {
        var bad: [(String, MQTTConfiguration)] = []
        var configuration = MQTTConfiguration(broker: url)
        configuration.keepalive = .seconds(2)
        bad.append(("keepalive", configuration))
        configuration = MQTTConfiguration(broker: url, subscriptions: [MQTTSubscription("a", qos: 3)])
        bad.append(("subscriptions[0].qos", configuration))
        configuration = MQTTConfiguration(
            broker: url, subscriptions: [MQTTSubscription("a"), MQTTSubscription("a/#/b")])
        bad.append(("subscriptions[1].filter", configuration))
        configuration = MQTTConfiguration(broker: url, subscriptions: [MQTTSubscription("a/b+")])
        bad.append(("subscriptions[0].filter", configuration))
        configuration = MQTTConfiguration(broker: url, backoff: .init(minimum: .seconds(2), maximum: .seconds(1)))
        bad.append(("backoff", configuration))
        configuration = MQTTConfiguration(broker: url, tls: .init(caFile: "/tmp/ca.pem"))
        bad.append(("tls", configuration))
        configuration = MQTTConfiguration(broker: url, password: "secret")
        bad.append(("password", configuration))
        for (key, configuration) in bad {
            #expect {
                try configuration.validate()
            } throws: { error in
                (error as? MQTTError)?.operation == "mqtt.\(key)"
            }
        }
    }

    @Test func backoffDoublesUpToTheMaximum() {
        let backoff = MQTTConfiguration.Backoff(minimum: .milliseconds(100), maximum: .milliseconds(350))
        var delay = backoff.minimum
        var delays: [Duration] = []
        for _ in 0..<5 {
            delays.append(delay)
            delay = backoff.next(after: delay)
        }
        #expect(
            delays == [
                .milliseconds(100), .milliseconds(200), .milliseconds(350), .milliseconds(350), .milliseconds(350),
            ])
    }

    // mosquitto 2.0.11's acl_file grants every SUBSCRIBE (it filters on delivery), so a broker-side
    // refusal cannot be provoked in an integration test; the result type is checked here.
    @Test func subscriptionResultReadsFailureCodes() {
        let granted = MQTTSubscriptionResult(filter: "a/#", requestedQoS: 2, reasonCode: 1)
        #expect(granted.isGranted && granted.grantedQoS == 1)
        for code: UInt8 in [0x80, 0x87, 0x8F] {
            let refused = MQTTSubscriptionResult(filter: "a/#", requestedQoS: 1, reasonCode: code)
            #expect(!refused.isGranted && refused.grantedQoS == nil)
            #expect(refused.description == "a/# refused (0x\(String(code, radix: 16)))")
        }
    }

    @Test func readsPasswordFileWithoutTrailingNewline() throws {
        let directory = try TemporaryDirectory()
        let unix = try directory.write("pw1", "s3cret pass\n")
        let windows = try directory.write("pw2", "s3cret pass\r\n")
        let bare = try directory.write("pw3", "s3cret pass")
        for path in [unix, windows, bare] {
            #expect(try MQTTConfiguration.readPassword(fromFile: path) == "s3cret pass")
        }
        #expect(throws: MQTTError.self) { try MQTTConfiguration.readPassword(fromFile: directory.file("missing")) }
    }
}
