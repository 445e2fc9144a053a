import EnvMonConfig
import EnvMonCore
import EnvMonStore
import Foundation
import GRDB
import MQTT
import TestSupport
import Testing

@Suite("running as a systemd service: notify, watchdog, reload, units", .serialized)
struct ServiceIntegrationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// envmond on the harness's config, broker and database, told systemd's notify socket and
    /// watchdog interval as systemd would tell it.
    static func envmond(_ daemon: DaemonHarness, notify: NotifySocket, watchdogMicroseconds: Int) throws -> ChildProcess
    {
        try ChildProcess(
            DaemonHarness.executable("envmond"),
            ["--config", daemon.configPath, "--broker", daemon.brokerURL, "--db", daemon.databasePath],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": String(watchdogMicroseconds)],
            outputDirectory: daemon.directory.path)
    }

    @Test("READY, STATUS, WATCHDOG and STOPPING arrive in order from the envmond process")
    func notifyInOrder() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        let notify = try NotifySocket(directory: daemon.directory)
        let child = try Self.envmond(daemon, notify: notify, watchdogMicroseconds: 400_000)
        try await waitUntil("READY=1, a STATUS and two watchdog pings", timeout: .seconds(20)) {
            let messages = notify.drain()
            return messages.contains("READY=1") && messages.contains { $0.hasPrefix("STATUS=") }
                && messages.filter { $0 == "WATCHDOG=1" }.count >= 2
        }
        var messages = notify.drain()
        let ready = try #require(messages.firstIndex(of: "READY=1"))
        #expect(try #require(messages.firstIndex { $0.hasPrefix("STATUS=") }) > ready)
        #expect(messages.first { $0.hasPrefix("STATUS=") }?.contains("readings/min") == true)

        child.send(SIGTERM)
        let result = try await child.waitForExit(timeout: .seconds(10))
        #expect(result.exitStatus == 0)
        messages = notify.drain()
        #expect(messages.last == "STOPPING=1", "\(messages.suffix(3))")
    }

    @Test(
        "the watchdog is not fed while the ingest is stuck on a database another process holds locked, and is again once it moves"
    )
    func watchdogFollowsTheIngest() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        let notify = try NotifySocket(directory: daemon.directory)
        // A process of its own: its health service must not share the test runner's threads,
        // which other tests' blocking calls can hold for seconds. A look every half second: the
        // stall below must be seen and ended well inside SQLite's 10 s busy timeout, after which
        // the batch would fail.
        let child = try Self.envmond(daemon, notify: notify, watchdogMicroseconds: 1_000_000)
        try await waitUntil("READY=1 and two watchdog pings", timeout: .seconds(20)) {
            let messages = notify.drain()
            return messages.contains("READY=1") && messages.filter { $0 == "WATCHDOG=1" }.count >= 2
        }
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        // Another process (a backup tool, an operator's sqlite3) holds the write lock: the next
        // batch waits on it inside SQLite's busy timeout, and the loop stops turning.
        var lockHolder = Configuration()
        lockHolder.allowsUnsafeTransactions = true
        lockHolder.busyMode = .timeout(5)
        let other = try DatabaseQueue(path: daemon.databasePath, configuration: lockHolder)
        try other.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        func warnings() -> Int { child.stderrSoFar.components(separatedBy: "not feeding the watchdog").count - 1 }
        let warningsBefore = warnings()
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "6.5", qos: 1)
        // Two warnings after the lock: the loop is certainly stuck by then (the first could
        // come from a loaded machine's slow turn just before the stall began).
        try await waitUntil("the daemon notices the stall", timeout: .seconds(6)) { warnings() >= warningsBefore + 2 }
        let pingsWhenStalled = notify.drain().filter { $0 == "WATCHDOG=1" }.count
        let warningsWhenStalled = warnings()
        try await waitUntil("another stall warning", timeout: .seconds(3)) { warnings() > warningsWhenStalled }
        #expect(notify.drain().filter { $0 == "WATCHDOG=1" }.count == pingsWhenStalled, "pinged while stalled")
        #expect(daemon.storedCount() == 0)

        // The lock goes: the batch is stored and the pings resume.
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        try await waitUntil("the reading stored and pings resumed", timeout: .seconds(10)) {
            daemon.storedCount() == 1 && notify.drain().filter { $0 == "WATCHDOG=1" }.count > pingsWhenStalled
        }
        child.send(SIGTERM)
        #expect(try await child.waitForExit(timeout: .seconds(10)).exitStatus == 0)
        #expect(notify.drain().last == "STOPPING=1")
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

@Suite("the Prometheus endpoint", .serialized)
struct MetricsEndpointTests {
    /// One HTTP GET over a plain socket: the endpoint is for curl and Prometheus, nothing fancier.
    static func get(port: Int, path: String) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HarnessError("connect to metrics port \(port): errno \(errno)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    static func value(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("answers on loopback with counters that move as readings arrive")
    func countersMove() async throws {
        let broker = try await MosquittoBroker()
        let port = try freeLoopbackPort()
        var text = try DaemonHarness.configText()
        text = text.replacingOccurrences(
            of: "statistics_interval = \"200ms\"",
            with: "statistics_interval = \"200ms\"\nmetrics_listen = \"127.0.0.1:\(port)\"")
        let daemon = try DaemonHarness(broker: broker, configText: text)
        try await daemon.start()
        var before = ""
        try await waitUntil("metrics endpoint answers", timeout: .seconds(10)) {
            before = (try? Self.get(port: port, path: "/metrics")) ?? ""
            return before.contains("envmon_readings_stored_total")
        }
        #expect(before.hasPrefix("HTTP/1.1 200 OK"))
        #expect(Self.value("envmon_readings_stored_total", in: before) == 0)
        #expect(Self.value("envmon_broker_connected", in: before) == 1)

        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        // Distinct times: readings of one series at the same millisecond would be one reading.
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 10_000
        for (index, value) in [24.1, 24.2, 24.3].enumerated() {
            _ = try publisher.publish(
                topic: "cathai/lan_ha/lh-wq-01",
                text: "{\"ts\":\(base + Int64(index) * 1000),\"water_temp\":\(value),\"do\":6}", qos: 1)
        }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/ph", text: "acid", qos: 1)
        var after = ""
        try await waitUntil("counters moved", timeout: .seconds(10)) {
            after = (try? Self.get(port: port, path: "/metrics")) ?? ""
            return Self.value("envmon_readings_stored_total", in: after) == 6
        }
        #expect(Self.value("envmon_messages_received_total", in: after) == 4)
        #expect(after.contains("envmon_rejects_by_reason_total{reason=\"undecodable\"} 1"))
        #expect(after.contains("envmon_batch_commit_seconds_bucket"))
        #expect(Self.value("envmon_handoff_capacity", in: after) == 8192)
        #expect(try Self.get(port: port, path: "/").hasPrefix("HTTP/1.1 404"))
        _ = try await daemon.terminate()
    }

    @Test("a non-loopback listen address is refused by the config")
    func loopbackOnly() {
        #expect(throws: (any Error).self) {
            _ = try EnvMonConfiguration.parse("[daemon]\nmetrics_listen = \"0.0.0.0:9464\"\n", source: "x.toml")
        }
    }
}
