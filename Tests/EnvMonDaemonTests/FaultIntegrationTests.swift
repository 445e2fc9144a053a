import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// The fast cases of the fault suite (issue 7): a real broker, the real daemon, real files, and a
/// stream whose values are sequence numbers, so each case can say exactly what was stored.
/// The long versions, with the simulator's load generator, are in `Simulator/faults.sh`.
@Suite("faults: disk full, broker restart and freeze, power cut, broken files", .serialized)
struct FaultIntegrationTests {
    @Test(
        "disk full: the daemon stops acknowledging, raises one operator alert, resumes by itself and loses nothing",
        .enabled(if: TmpfsMount.isAvailable, "needs root to mount a small tmpfs"))
    func diskFull() async throws {
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"]))
        let scratch = try TemporaryDirectory(prefix: "envmon-diskfull")
        let mount = try await TmpfsMount(in: scratch, mebibytes: 24)
        let daemon = try DaemonHarness(
            broker: broker, configText: try DaemonHarness.configText(extra: DeliveryIntegrationTests.sequenceMetric),
            databaseDirectory: mount.path)
        try await daemon.start()
        let watcher = MessageCollector()
        let subscriber = try await AlertIntegrationTests().subscribe(broker.url, collector: watcher)
        defer { subscriber.stop() }
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("clients connected", timeout: .seconds(10)) {
            publisher.isConnected && subscriber.isConnected
        }
        let stream = SequenceStream()
        try stream.publish(0..<2000, with: publisher)
        try await waitUntil("first part stored", timeout: .seconds(60)) { daemon.storedCount() >= 2000 }

        let ballast = try mount.fill()
        #expect(mount.availableBytes < 4096)
        try stream.publish(2000..<6000, with: publisher)
        let process = try #require(daemon.process)
        try await waitUntil("operator alert in the journal", timeout: .seconds(30)) {
            process.stderrSoFar.contains("<2>envmond: STORAGE FULL")
        }
        #expect(process.isRunning)
        #expect(process.stderrSoFar.components(separatedBy: "STORAGE FULL").count == 2, "raised once")

        // Space returns: the daemon notices on its own (no signal, no restart).
        try FileManager.default.removeItem(atPath: ballast)
        try await waitUntil("everything stored after space returned", timeout: .seconds(90)) {
            daemon.storedCount() >= 6000
        }
        try await waitUntil("resolved in the journal", timeout: .seconds(10)) {
            process.stderrSoFar.contains("<5>envmond: storage writable again")
        }
        #expect(try stream.storedValues(in: daemon) == Array(0..<6000), "every sequence number exactly once")
        try await waitUntil("the MQTT copy of the alert: raised, then resolved", timeout: .seconds(20)) {
            let events = watcher.all.filter { $0.topic == "cathai/alerts/events" }.map {
                String(decoding: $0.payload, as: UTF8.self)
            }
            return events.contains { $0.contains("\"rule\":\"storage_full\",\"state\":\"firing\"") }
                && events.contains { $0.contains("\"rule\":\"storage_full\",\"state\":\"resolved\"") }
        }
        let result = try await daemon.terminate()
        #expect(result?.exitStatus == 0)
    }

    @Test("broker restarted mid-stream (persistence on): every QoS 1 reading stored once")
    func brokerRestart() async throws {
        let rig = try await StreamRig()
        let (broker, daemon, publisher) = (rig.broker, rig.daemon, rig.publisher)
        defer { publisher.stop() }
        let stream = SequenceStream()
        try stream.publish(0..<3000, with: publisher)
        try await waitUntil("publisher's first part acknowledged", timeout: .seconds(30)) {
            publisher.completedPublishCount >= 3000
        }
        try await broker.restart()
        try await waitUntil("publisher reconnected", timeout: .seconds(30)) { publisher.isConnected }
        try stream.publish(3000..<6000, with: publisher)
        try await waitUntil("all stored after the restart", timeout: .seconds(90)) { daemon.storedCount() >= 6000 }
        #expect(try stream.storedValues(in: daemon) == Array(0..<6000))
        #expect(daemon.process?.stderrSoFar.contains("MQTT subscribed") == true)
        _ = try await daemon.terminate()
    }

    @Test("broker frozen (SIGSTOP) mid-stream and thawed: every QoS 1 reading stored once")
    func brokerFrozen() async throws {
        let rig = try await StreamRig()
        let (broker, daemon, publisher) = (rig.broker, rig.daemon, rig.publisher)
        defer { publisher.stop() }
        let stream = SequenceStream()
        try stream.publish(0..<2000, with: publisher)
        broker.pause()
        // Published into the frozen broker's socket buffers; held by the publisher until PUBACK.
        try stream.publish(2000..<4000, with: publisher)
        broker.resume()
        try await waitUntil("all stored after the thaw", timeout: .seconds(90)) { daemon.storedCount() >= 4000 }
        #expect(try stream.storedValues(in: daemon) == Array(0..<4000))
        _ = try await daemon.terminate()
    }

    @Test("power cut: kill -9 three times under load with inbox_fsync = always; journal and database intact, none lost")
    func powerCut() async throws {
        let rig = try await StreamRig(
            ingest: """
                batch_size = 500
                flush_interval = "100ms"
                inbox_fsync = "always"
                """)
        let (daemon, publisher) = (rig.daemon, rig.publisher)
        defer { publisher.stop() }
        let stream = SequenceStream()
        let total = 8000
        for cut in 0..<4 {
            let part = (cut * total / 4)..<((cut + 1) * total / 4)
            try stream.publish(part, with: publisher)
            if cut == 3 { break }
            try await waitUntil("daemon busy with part \(cut)", timeout: .seconds(30)) {
                daemon.storedCount() > part.lowerBound
            }
            try await daemon.kill()
            try await daemon.start()
        }
        try await waitUntil("all stored", timeout: .seconds(120)) { daemon.storedCount() >= total }
        #expect(try stream.storedValues(in: daemon) == Array(0..<total))
        _ = try await daemon.terminate()
        let check = try await runProcess("/usr/bin/sqlite3", [daemon.databasePath, "PRAGMA integrity_check;"])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test("clock steps: +1 h raises no false no_data alert; -2 h rejects sensor-timed readings as future, nothing lost")
    func clockJump() async throws {
        let broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"]))
        let rule = """
            [[alerts]]
            id = "silent_test"
            kind = "no_data"
            sensors = "lh-wq-01"
            after = "30s"
            basis = "test: no reading for 30 s"
            """
        let daemon = try DaemonHarness(
            broker: broker,
            configText: try DaemonHarness.configText(extra: DeliveryIntegrationTests.sequenceMetric + "\n" + rule))
        // In process: the test steps the daemon's wall clock, as NTP or an administrator would.
        let envmond = try await InProcessDaemon(harness: daemon)
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        let stream = SequenceStream()
        try stream.publish(0..<1000, with: publisher)
        try await waitUntil("first part stored", timeout: .seconds(60)) { daemon.storedCount() >= 1000 }

        // Forward: every sensor's last arrival is now an hour "ago" by the daemon's clock.
        envmond.wallClock.set(offsetMilliseconds: 3_600_000)
        try await waitUntil("step noticed", timeout: .seconds(10)) {
            envmond.log.contains("system clock stepped by +3600.0 s")
        }
        try stream.publish(1000..<2000, with: publisher)
        try await waitUntil("second part stored and counted", timeout: .seconds(60)) {
            ((try? daemon.queries().statistics().daemon["readings_stored"]) ?? 0) >= 2000
        }
        let alerts = try Store.open(.sqlite(path: daemon.databasePath), for: .read).alerts
        let noData = try alerts.alerts().filter {
            ($0.rule == "silent_test" || $0.kind == "no_data") && $0.raisedAt != nil
        }
        #expect(noData.isEmpty, "false no_data alerts after a forward step: \(noData.map(\.id))")

        // Backward by two hours: the sensors' own times are now an hour in the daemon's future.
        envmond.wallClock.set(offsetMilliseconds: -3_600_000)
        try await waitUntil("backward step noticed", timeout: .seconds(10)) {
            envmond.log.contains("system clock stepped by -7200.0 s")
        }
        try stream.publish(2000..<2100, with: publisher)
        try await waitUntil("the future readings are rejected, not dropped", timeout: .seconds(60)) {
            ((try? daemon.queries().rejects(reason: .badTimestamp).count) ?? 0) >= 100
        }
        envmond.wallClock.set(offsetMilliseconds: 0)
        try await waitUntil("clock set right again", timeout: .seconds(10)) {
            envmond.log.count("system clock stepped by +3600.0 s") == 2
        }
        try stream.publish(2100..<2200, with: publisher)
        try await waitUntil("last part stored", timeout: .seconds(60)) { daemon.storedCount() >= 2100 }
        #expect(try stream.storedValues(in: daemon) == Array(0..<2000) + Array(2100..<2200))
        #expect(try daemon.queries().rejects(reason: .badTimestamp).count == 100, "stored + rejected = published")
        try await envmond.stop()
    }

    @Test(
        "a corrupt or foreign database at start: clear error, exit 1, the file byte-identical",
        arguments: ["corrupt", "foreign", "damaged"])
    func brokenDatabaseAtStart(kind: String) async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        if kind == "foreign" {
            let made = try await runProcess(
                "/usr/bin/sqlite3",
                [
                    daemon.databasePath,
                    "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');",
                ])
            #expect(made.succeeded)
        } else if kind == "damaged" {
            // A real EnvMon database whose pages after the first are garbage: the header (and its
            // application id) still says EnvMon, so only a look inside can tell.
            _ = try Store.open(.sqlite(path: daemon.databasePath), for: .ingest)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: daemon.databasePath)))
            for index in 4096..<bytes.count { bytes[index] = UInt8(truncatingIfNeeded: index &* 167 &+ 13) }
            try Data(bytes).write(to: URL(fileURLWithPath: daemon.databasePath))
        } else {
            var bytes = Array("SQLite format 3\u{0}".utf8)
            bytes += (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
            _ = FileManager.default.createFile(atPath: daemon.databasePath, contents: Data(bytes))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: daemon.databasePath))
        let result = try await runProcess(
            DaemonHarness.executable("envmond"),
            ["--config", daemon.configPath, "--broker", broker.url, "--db", daemon.databasePath], timeout: .seconds(30))
        #expect(result.exitStatus == 1)
        #expect(result.stderr.contains(daemon.databasePath))
        #expect(result.stderr.contains("left untouched") || result.stderr.contains("corrupt"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.databasePath)) == before)
        #expect(!FileManager.default.fileExists(atPath: daemon.databasePath + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: daemon.databasePath + "-shm"))
    }
}

/// A persistent broker, the daemon on the shipped config plus the sequence metric, and a
/// connected publisher: the set-up most fault cases share.
struct StreamRig {
    let broker: MosquittoBroker
    let daemon: DaemonHarness
    let publisher: MQTTClient

    init(ingest: String = "", brokerConfig: [String] = []) async throws {
        broker = try await MosquittoBroker(
            options: .init(persistence: true, extraConfig: ["max_queued_messages 0"] + brokerConfig))
        daemon = try DaemonHarness(
            broker: broker,
            configText: try DaemonHarness.configText(ingest: ingest, extra: DeliveryIntegrationTests.sequenceMetric))
        try await daemon.start()
        publisher = try makePublisher(url: broker.url)
        let publisher = self.publisher
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
    }
}

/// Readings whose value is their sequence number, each with its own time (1 ms apart) so a
/// redelivery is the same (series, time) and is stored once.
struct SequenceStream {
    let sensors = ["lh-wq-01", "bb-wq-01", "ctg-wq-01", "cc-wq-01"]
    let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000

    func publish(_ range: Range<Int>, with publisher: MQTTClient) throws {
        for sequence in range {
            let payload = "{\"ts\":\(base + Int64(sequence)),\"seq_test\":\(sequence)}"
            _ = try publisher.publish(
                topic: "cathai/site/\(sensors[sequence % sensors.count])", text: payload, qos: 1)
        }
    }

    /// The sequence numbers stored, sorted (duplicates would show twice).
    func storedValues(in daemon: DaemonHarness) throws -> [Int] {
        let queries = try daemon.queries()
        var values: [Int] = []
        for sensor in sensors {
            values += try queries.readings(
                of: SeriesKey(sensor: sensor, metric: "seq_test"), from: Timestamp(milliseconds: base),
                to: Timestamp(milliseconds: base + 1_000_000)
            ).map { Int($0.value) }
        }
        return values.sorted()
    }
}

extension String {
    /// Whether `text` occurs at least `count` times.
    func contains(_ text: String, count: Int) -> Bool { components(separatedBy: text).count > count }
}
