import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import Synchronization
import TestSupport
import Testing

/// Collects what a real MQTT subscriber receives.
final class MessageCollector: Sendable {
    private let messages = Mutex<[MQTTMessage]>([])
    func add(_ message: MQTTMessage) { messages.withLock { $0.append(message) } }
    var all: [MQTTMessage] { messages.withLock { $0 } }
}

@Suite("alerts end to end: journal, MQTT, store and CLI agree", .serialized)
struct AlertIntegrationTests {
    /// A DO rule that fires one second after a low reading at a cage site.
    static let doLowRule = """
        [[alerts]]
        id = "do_low_test"
        kind = "below"
        metric = "do"
        site_kinds = ["aquaculture"]
        threshold = 5.0
        clear = 5.3
        for = "1s"
        severity = "critical"
        basis = "QCVN 10-MT:2015/BTNMT, nuôi trồng thủy sản: DO ≥ 5 mg/L"
        """

    static let rules = doLowRule + "\n\n" + silentRule

    static let silentRule = """
        [[alerts]]
        id = "silent"
        kind = "no_data"
        sensors = "lh-do-02"
        after = "2s"
        basis = "operations: no reading for 2 s"
        """

    /// A client on `cathai/alerts/#`, returned once the broker granted the subscription.
    func subscribe(_ url: String, collector: MessageCollector) async throws -> MQTTClient {
        let subscribed = Atomic(false)
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: try MQTTBrokerURL(url), clientID: "alert-watcher-\(UUID().uuidString.prefix(6))",
                subscriptions: [MQTTSubscription("cathai/alerts/#", qos: 1)]),
            onMessage: { collector.add($0) },
            onEvent: { event in
                if case .subscribed = event { subscribed.store(true, ordering: .releasing) }
            })
        try client.start()
        try await waitUntil("the alert watcher subscribed", timeout: .seconds(10)) {
            subscribed.load(ordering: .acquiring)
        }
        return client
    }

    @Test("a DO series crossing the limit raises exactly one critical alert after its for time and resolves once")
    func doCrossing() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText(extra: Self.rules))
        let journal = try NotifySocket(directory: daemon.directory, name: "journal.sock")
        // Subscribed before the daemon starts: the first notice (no_data) is not retained.
        let collector = MessageCollector()
        let watcher = try await subscribe(broker.url, collector: collector)
        defer { watcher.stop() }
        let envmond = try await InProcessDaemon(harness: daemon, journalSocket: journal.path)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("clients connected", timeout: .seconds(10)) { publisher.isConnected && watcher.isConnected }

        // no_data fires on time with no traffic at all from lh-do-02.
        try await waitUntil("no_data raised for the silent sensor", timeout: .seconds(10)) {
            envmond.log.text.contains("raised silent:")
        }

        let published = ContinuousClock.now
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.6", qos: 1)
        try await waitUntil("alert raised", timeout: .seconds(10)) {
            envmond.log.text.contains("raised do_low_test")
        }
        #expect(ContinuousClock.now - published >= .seconds(1), "not before its for-duration")
        // Still below the clear level: stays firing, no second raise.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "5.1", qos: 1)
        try await waitUntil("second reading stored", timeout: .seconds(10)) {
            (try? daemon.queries().latest(sensor: "lh-wq-01").first { $0.series.metric == "do" }?.value) == 5.1
        }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "5.6", qos: 1)
        try await waitUntil("alert resolved", timeout: .seconds(10)) {
            envmond.log.text.contains("resolved do_low_test")
        }
        try await waitUntil("MQTT notices arrived", timeout: .seconds(10)) {
            collector.all.filter { $0.topic == "cathai/alerts/events" }.count >= 3
        }

        let stderr = envmond.log.text
        let raised = stderr.split(separator: "\n").filter { $0.contains("raised do_low_test") }
        #expect(raised.count == 1)
        #expect(raised.first?.hasPrefix("<2>[CRITICAL] raised do_low_test") == true, "\(raised)")
        #expect(stderr.split(separator: "\n").filter { $0.contains("resolved do_low_test") }.count == 1)
        #expect(raised.first?.contains("4.6 mg/L") == true && raised.first?.contains("lh-wq-01 (lan_ha)") == true)

        // The native journal protocol carried the structured fields.
        let fields = journal.drain()
        let alertID = fields.first { $0.hasPrefix("ENVMON_ALERT_ID=do_low_test:") }?.dropFirst("ENVMON_ALERT_ID=".count)
        #expect(alertID != nil)
        for expected in [
            "ENVMON_RULE=do_low_test", "ENVMON_SENSOR=lh-wq-01", "ENVMON_SITE=lan_ha", "ENVMON_METRIC=do",
            "ENVMON_VALUE=4.6", "ENVMON_STATE=firing", "PRIORITY=2", "ENVMON_STATE=resolved",
        ] {
            #expect(fields.contains(expected), "\(expected)")
        }

        // MQTT: retained state while firing (then cleared), and the event stream.
        let stateMessages = collector.all.filter { $0.topic == "cathai/alerts/do_low_test/lh-wq-01" }
        let firing = stateMessages.first.map { String(decoding: $0.payload, as: UTF8.self) } ?? ""
        #expect(firing.contains("\"state\":\"firing\"") && firing.contains("\"severity\":\"critical\""))
        #expect(firing.contains("\"id\":\"\(alertID ?? "")\""))
        #expect(stateMessages.last?.payload.isEmpty == true, "retained state cleared when resolved")
        let events = collector.all.filter { $0.topic == "cathai/alerts/events" }.map {
            String(decoding: $0.payload, as: UTF8.self)
        }
        #expect(
            events.filter { $0.contains("\"rule\":\"do_low_test\"") && $0.contains("\"notice\":\"raised\"") }.count == 1
        )
        #expect(
            events.filter { $0.contains("\"rule\":\"do_low_test\"") && $0.contains("\"notice\":\"resolved\"") }.count
                == 1)

        // The CLI shows the same alert.
        let json = try await daemon.cli(["alerts", "--format", "json", "--severity", "critical"])
        #expect(json.succeeded, "\(json)")
        #expect(json.stdout.contains("\"id\":\"\(alertID ?? "")\""))
        #expect(json.stdout.contains("\"state\":\"resolved\"") && json.stdout.contains("\"value\":4.6") == false)
        #expect(json.stdout.contains("\"threshold\":5") && json.stdout.contains("\"resolved_at\":\""))
        let history = try await daemon.cli(["alerts", "history", String(alertID ?? "")])
        #expect(history.stdout.contains("raised") && history.stdout.contains("resolved"))
        try await envmond.stop()
    }

    @Test("an acknowledgement reaches the running daemon; killing it mid-alert neither repeats nor loses the alert")
    func acknowledgeAndRestart() async throws {
        let broker = try await MosquittoBroker(options: .init(persistence: true))
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText(extra: Self.rules))
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.2", qos: 1)
        try await waitUntil("alert raised", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("raised do_low_test")
        }
        let active = try Store.open(.sqlite(path: daemon.databasePath), for: .read).alerts
            .alerts(activeOnly: true).filter { $0.rule == "do_low_test" }
        #expect(active.count == 1)
        let id = try #require(active.first?.id)

        let ack = try await daemon.cli(["alerts", "ack", id, "--by", "Nguyễn Văn Lan", "--note", "đã bật sục khí"])
        #expect(ack.succeeded && ack.stdout.contains("acknowledged \(id)"), "\(ack)")
        try await waitUntil("acknowledgement in the journal", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("acknowledged do_low_test")
        }

        // SIGKILL mid-alert, then restart: the alert is restored, not raised again.
        try await daemon.kill()
        try await daemon.start()
        try await waitUntil("restored engine", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("alert engine started")
        }
        let stillActive = try Store.open(.sqlite(path: daemon.databasePath), for: .read).alerts
            .alerts(activeOnly: true).map(\.id)
        #expect(stillActive.contains(id), "the firing alert survived the kill")
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "5.8", qos: 1)
        try await waitUntil("resolved after restart", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("resolved do_low_test")
        }
        #expect(!daemon.process!.stderrSoFar.contains("raised do_low_test"), "no second raise after the restart")
        let all = try Store.open(.sqlite(path: daemon.databasePath), for: .read).alerts
            .alerts().filter { $0.rule == "do_low_test" }
        #expect(all.count == 1)
        #expect(all.first?.state == .resolved && all.first?.acknowledgedBy == "Nguyễn Văn Lan")
        _ = try await daemon.terminate()
    }
}
