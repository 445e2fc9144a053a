import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("running as a systemd service: notify, watchdog, reload, units", .serialized)
struct ServiceIntegrationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("READY, STATUS, WATCHDOG and STOPPING arrive in order; the watchdog stops while the pipeline is wedged")
    func notifyAndWatchdog() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        let notify = try NotifySocket(directory: daemon.directory)
        let wedge = daemon.directory.file("wedge")
        let child = try ChildProcess(
            DaemonHarness.executable("envmond"),
            ["--config", daemon.configPath, "--broker", broker.url, "--db", daemon.databasePath],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000", "ENVMON_TEST_WEDGE_FILE": wedge],
            outputDirectory: daemon.directory.path)
        try await waitUntil("READY=1, a STATUS and two watchdog pings", timeout: .seconds(20)) {
            let messages = notify.drain()
            return messages.contains("READY=1") && messages.contains { $0.hasPrefix("STATUS=") }
                && messages.filter { $0 == "WATCHDOG=1" }.count >= 2
        }
        var messages = notify.drain()
        let ready = messages.firstIndex(of: "READY=1")!
        #expect(messages.firstIndex { $0.hasPrefix("STATUS=") }! > ready)
        #expect(messages.first { $0.hasPrefix("STATUS=") }!.contains("readings/min"))

        // Wedge the ingest loop: pings stop while it is stuck...
        #expect(FileManager.default.createFile(atPath: wedge, contents: Data()))
        try await waitUntil("the daemon notices the stall", timeout: .seconds(10)) {
            child.stderrSoFar.contains("not feeding the watchdog")
        }
        let pingsWhenStalled = notify.drain().filter { $0 == "WATCHDOG=1" }.count
        try await waitUntil("a second stall warning with no ping between", timeout: .seconds(10)) {
            child.stderrSoFar.components(separatedBy: "not feeding the watchdog").count >= 3
        }
        #expect(notify.drain().filter { $0 == "WATCHDOG=1" }.count == pingsWhenStalled)
        // ...and resume when it moves again.
        try FileManager.default.removeItem(atPath: wedge)
        try await waitUntil("watchdog pings resume", timeout: .seconds(10)) {
            notify.drain().filter { $0 == "WATCHDOG=1" }.count > pingsWhenStalled
        }

        child.send(SIGTERM)
        let result = try await child.waitForExit(timeout: .seconds(10))
        #expect(result.exitStatus == 0)
        messages = notify.drain()
        #expect(messages.last == "STOPPING=1", "\(messages.suffix(3))")
    }

    @Test(
        "SIGHUP applies a valid changed rule without reconnecting, and keeps the old config when the new one is broken")
    func reload() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        let connectionsBefore = try String(contentsOfFile: broker.logPath, encoding: .utf8)
            .components(separatedBy: "as envmond-cathai").count

        // Readings a minute apart, so only the gross-range test can flag them.
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 180_000
        func publish(_ value: Double, minute: Int64) throws {
            _ = try publisher.publish(
                topic: "cathai/cat_co/cc-wq-01", text: "{\"ts\":\(base + minute * 60_000),\"water_temp\":\(value)}",
                qos: 1)
        }
        // 36.5 °C at Cát Cò is suspect under the shipped climatology...
        try publish(36.5, minute: 0)
        try await waitUntil("first reading", timeout: .seconds(10)) { daemon.storedCount() >= 1 }
        #expect(try daemon.queries().latest(sensor: "cc-wq-01").first?.quality == .suspect)

        // ...widen the suspect span and reload: the next reading passes.
        var text = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "suspect_span = [14.0, 34.0]", with: "suspect_span = [14.0, 38.0]")
        try text.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.process!.send(SIGHUP)
        try await waitUntil("reload logged", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("configuration reloaded")
        }
        try publish(36.4, minute: 1)
        try await waitUntil("second reading", timeout: .seconds(10)) { daemon.storedCount() >= 2 }
        #expect(try daemon.queries().latest(sensor: "cc-wq-01").first?.quality == .pass)

        // A broken file is rejected, with the reason, and the running config stays.
        try (text + "\n[ingest]\nbatch_size = \"lots\"\n").write(
            toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.process!.send(SIGHUP)
        try await waitUntil("rejection logged", timeout: .seconds(10)) {
            daemon.process!.stderrSoFar.contains("reload rejected, keeping the running configuration")
        }
        #expect(daemon.process!.isRunning)
        try publish(36.3, minute: 2)
        try await waitUntil("third reading", timeout: .seconds(10)) { daemon.storedCount() >= 3 }
        #expect(try daemon.queries().latest(sensor: "cc-wq-01").first?.quality == .pass)

        let connectionsAfter = try String(contentsOfFile: broker.logPath, encoding: .utf8)
            .components(separatedBy: "as envmond-cathai").count
        #expect(connectionsAfter == connectionsBefore, "the broker saw no new connection from envmond")
        #expect(try await daemon.terminate()?.exitStatus == 0)
    }

    @Test("the units verify cleanly and envmond.service is hardened to an exposure of 2.0 or less")
    func units() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-units")
        let envmond = DaemonHarness.executable("envmond")
        for unit in ["envmond.service"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent("systemd/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/envmond", with: envmond)
            _ = try directory.write(unit, text)
        }
        let verify = try await runProcess(
            "/usr/bin/systemd-analyze", ["verify", directory.file("envmond.service")])
        #expect(verify.exitStatus == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
        let security = try await runProcess(
            "/usr/bin/systemd-analyze", ["security", "--offline=yes", directory.file("envmond.service")])
        let line = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = Double(line.split(separator: ":").last?.split(separator: " ").first ?? "") ?? 99
        #expect(score <= 2.0, "\(line)")
    }
}
