import EnvMonCore
import Foundation
import TestSupport
import Testing

/// Two envmond on one PostgreSQL 15 behind one mosquitto, sharing the work through an MQTT 5
/// shared subscription (`$share/envmon/...`), with persistent sessions: the HA set of README's
/// "More than one machine".
@Suite("several collectors on one PostgreSQL: stored once, alerts judged once and taken over", .serialized)
struct SeveralCollectorsIntegrationTests {
    static func collectorConfig(_ name: String) throws -> String {
        try DaemonHarness.configText(extra: AlertIntegrationTests.doLowRule)
            .replacingOccurrences(of: "client_id = \"envmond-cathai\"", with: "client_id = \"\(name)\"")
            .replacingOccurrences(of: "topic = \"cathai/+/+/+\"", with: "topic = \"$share/envmon/cathai/+/+/+\"")
            .replacingOccurrences(of: "topic = \"cathai/+/+\"", with: "topic = \"$share/envmon/cathai/+/+\"")
    }

    @Test(
        "a shared load: every reading stored once, an alert raised once; kill -9 of its holder: the other resolves it within the lease, and after a restart nothing is lost"
    )
    func sharedLoadKillAndTakeover() async throws {
        let server = try await PostgreSQLServer()
        let broker = try await MosquittoBroker()
        let url = server.url + "?passfile=" + server.passwordFile
        let first = try DaemonHarness(broker: broker, configText: try Self.collectorConfig("envmond-a"), database: url)
        let second = try DaemonHarness(broker: broker, configText: try Self.collectorConfig("envmond-b"), database: url)
        try await first.start()
        try await second.start()
        let collectors = ["envmond-a": first, "envmond-b": second]
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        // Readings with their own time: each one can be checked for once-only.
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        var published = 0
        func publishTemperatures(_ range: Range<Int>) throws {
            for index in range {
                _ = try publisher.publish(
                    topic: "cathai/lan_ha/lh-wq-01",
                    text: "{\"ts\":\(base + Int64(index) * 1000),\"water_temp\":\(27 + Double(index % 10) / 10)}",
                    qos: 1)
                published += 1
            }
        }
        try publishTemperatures(0..<200)
        try await waitUntil("both collectors stored a share", timeout: .seconds(30)) {
            try await Self.storedByEach(server).values.allSatisfy { $0 > 0 } && first.storedCount() == 200
        }

        // A low DO reading reaches one collector; whichever it is, the holder judges it once.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.6", qos: 1)
        try await waitUntil("alert raised", timeout: .seconds(15)) {
            (first.process!.stderrSoFar + second.process!.stderrSoFar).contains("raised do_low_test")
        }
        let holder = try await server.runSQL("SELECT collector FROM alert_owners WHERE sensor = 'lh-wq-01'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let victim = try #require(collectors[holder], "holder '\(holder)'")
        let survivor = victim === first ? second : first
        let raisedLines = (first.process!.stderrSoFar + second.process!.stderrSoFar).split(separator: "\n")
            .filter { $0.contains("raised do_low_test") }
        #expect(raisedLines.count == 1, "judged by its holder only: \(raisedLines)")
        #expect(victim.process!.stderrSoFar.contains("raised do_low_test"))

        try await victim.kill()
        let killed = ContinuousClock.now
        // Clearing readings: the survivor gets some at once (the broker queues the rest for the
        // killed member's session); it may judge them only once the holder's lease has run out.
        try await waitUntil("the survivor resolved the alert", timeout: .seconds(40), pollEvery: .milliseconds(500)) {
            _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "5.6", qos: 1)
            return survivor.process!.stderrSoFar.contains("resolved do_low_test")
        }
        let takeover = ContinuousClock.now - killed
        #expect(takeover <= .seconds(25), "lease 15 s + renewal 5 s + a tick: \(takeover)")
        let takenUp = survivor.process!.stderrSoFar.split(separator: "\n").filter {
            $0.contains("sensors taken up")
                && $0.contains("alerts.collector=\(survivor === first ? "envmond-a" : "envmond-b")")
        }
        #expect(takenUp.contains { $0.contains("lh-wq-01") }, "\(takenUp)")

        // More load while one is down, then it comes back and takes its queue.
        try publishTemperatures(200..<400)
        try await victim.start()
        try await waitUntil("every reading stored", timeout: .seconds(60)) { first.storedCount() >= 400 }
        let temperatures = try await server.runSQL(
            """
            SELECT count(*), count(DISTINCT r.ts) FROM readings r JOIN series s ON s.id = r.series
            WHERE s.sensor = 'lh-wq-01' AND s.metric = 'water_temp'
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(temperatures == "\(published)|\(published)", "stored once each, none lost")
        let notices = try await server.runSQL(
            "SELECT notice, count(*) FROM alert_log WHERE rule = 'do_low_test' GROUP BY notice ORDER BY notice")
        #expect(notices.contains("raised|1") && notices.contains("resolved|1"), "\(notices)")
        #expect(!(first.process!.stderrSoFar + second.process!.stderrSoFar).contains("raised do_low_test"), "not again")
        _ = try await first.terminate()
        _ = try await second.terminate()
    }

    /// Readings each collector says it stored, from its own figures.
    static func storedByEach(_ server: PostgreSQLServer) async throws -> [String: Int] {
        let rows = try await server.runSQL(
            "SELECT collector, value::int8 FROM daemon_stats WHERE name = 'readings_stored' ORDER BY collector")
        var result: [String: Int] = [:]
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "|")
            if parts.count == 2, let count = Int(parts[1]) { result[String(parts[0])] = count }
        }
        return result
    }
}
