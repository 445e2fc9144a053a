import EnvMonCore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("the Sở link and webhooks with the real daemon, pure-ftpd, a webhook receiver and the CLI", .serialized)
struct TransmissionIntegrationTests {
    static func config(ftp: FTPServer, receiver: WebhookReceiver, passwordFile: String) throws -> String {
        try DaemonHarness.configText(
            extra: AlertIntegrationTests.doLowRule + """


                [transmission]
                province = "HP"
                facility = "CATHAI"
                interval = "5m"
                delay = "0s"
                backlog_alarm = "1s"

                [[transmission.stations]]
                id = "LANHA01"
                site = "lan_ha"
                sensors = ["lh-wq-01"]

                [[transmission.targets]]
                id = "so-tnmt"
                url = "\(ftp.url("inbox"))"
                username = "\(ftp.username)"
                password_file = "\(passwordFile)"
                retry_min = "200ms"
                retry_max = "1s"
                timeout = "5s"

                [[webhooks]]
                id = "zalo-relay"
                url = "\(receiver.url("/hook"))"
                severities = ["critical"]
                template = '{"text": "{{text}}", "sensor": "{{sensor}}", "state": "{{state}}"}'
                headers = { "X-Relay-Token" = "t0ken" }
                retry_min = "200ms"
                """)
    }

    /// The servers, envmond configured to send to them, and a connected publisher.
    struct Rig {
        let broker: MosquittoBroker
        let ftp: FTPServer
        let receiver: WebhookReceiver
        let secrets: TemporaryDirectory
        let daemon: DaemonHarness
        let publisher: MQTTClient

        static func start(adjust: (String) -> String = { $0 }) async throws -> Rig {
            let broker = try await MosquittoBroker()
            let ftp = try await FTPServer()
            try ftp.makeDirectory("inbox")
            let receiver = try await WebhookReceiver()
            let secrets = try TemporaryDirectory(prefix: "envmon-secret")
            let passwordFile = try secrets.write("ftp.pass", ftp.password + "\n")
            let text = adjust(
                try TransmissionIntegrationTests.config(ftp: ftp, receiver: receiver, passwordFile: passwordFile))
            let daemon = try DaemonHarness(broker: broker, configText: text)
            try await daemon.start()
            let publisher = try makePublisher(url: broker.url)
            try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
            return Rig(
                broker: broker, ftp: ftp, receiver: receiver, secrets: secrets, daemon: daemon, publisher: publisher)
        }
    }

    @Test(
        "a resent interval arrives byte-equal to preview; an outage is told in the journal and caught up; a webhook retried"
    )
    func endToEnd() async throws {
        let metricsPort = try freeLoopbackPort()
        let rig = try await Rig.start {
            $0.replacingOccurrences(
                of: "statistics_interval = \"200ms\"",
                with: "statistics_interval = \"200ms\"\nmetrics_listen = \"127.0.0.1:\(metricsPort)\"")
        }
        defer { rig.publisher.stop() }
        let (ftp, receiver, daemon, publisher) = (rig.ftp, rig.receiver, rig.daemon, rig.publisher)

        // Three readings in the interval that ended on the last 5-minute boundary more than 5 minutes ago.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let end = (now / 300_000 - 1) * 300_000
        for minute in 1...3 {
            let ts = RFC3339.format(Timestamp(milliseconds: end - Int64(minute) * 60_000))
            _ = try publisher.publish(
                topic: "cathai/lan_ha/lh-wq-01",
                text: #"{"ts": "\#(ts)", "do": \#(6.0 + Double(minute) / 10), "ph": 8.1, "water_temp": 28.5}"#, qos: 1)
        }
        try await waitUntil("stored", timeout: .seconds(10)) { daemon.storedCount() >= 9 }
        let endText = RFC3339.format(Timestamp(milliseconds: end))
        let resend = try await daemon.cli(["transmit", "resend", "--from", endText, "--to", endText])
        #expect(resend.succeeded && resend.stdout.hasPrefix("1 file queued"), "\(resend)")
        let preview = try await daemon.cli(["transmit", "preview", "--station", "LANHA01", "--at", endText])
        #expect(preview.succeeded, "\(preview)")
        let name = preview.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(preview.stdout.contains("DO\t6.20\tmg/L\t") && preview.stdout.contains("\t00\r\n"), "\(preview.stdout)")
        // A deadline, not a delay: with the whole suite in parallel on two cores (browser tests
        // included) 20 s ran out once.
        try await waitUntil("the file on the server", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: ftp.file("inbox/\(name)"))
        }
        let uploaded = try #require(FileManager.default.contents(atPath: ftp.file("inbox/\(name)")))
        #expect([UInt8](uploaded) == preview.stdoutBytes, "byte-equal to preview")

        // Outage: the journal says the link is behind, status names the target's error; then caught up.
        ftp.stop()
        let again = try await daemon.cli(["transmit", "resend", "--from", endText, "--to", endText])
        #expect(again.succeeded)
        try await waitUntil("the journal says it is behind", timeout: .seconds(20)) {
            daemon.process!.stderrSoFar.contains("transmission to so-tnmt is behind: 1 waiting")
        }
        var status: ProcessResult?
        try await waitUntil("status shows the error, naming the target", timeout: .seconds(30)) {
            status = try await daemon.cli(["transmit", "status", "--format", "json"])
            return status?.stdout.contains("127.0.0.1:\(ftp.port)") == true
        }
        #expect(
            status!.stdout.contains("\"target\":\"so-tnmt\"") && status!.stdout.contains("\"backlog\":1"), "\(status!)")
        try await waitUntil("the Prometheus gauge shows the backlog", timeout: .seconds(20)) {
            let metrics = (try? MetricsEndpointTests.get(port: metricsPort, path: "/metrics")) ?? ""
            return metrics.contains("envmon_outbox_backlog{target=\"so-tnmt\"} 1")
                && metrics.contains("envmon_outbox_backlog_age_seconds{target=\"so-tnmt\"}")
        }
        try await ftp.restart()
        try await waitUntil("caught up", timeout: .seconds(30)) {
            daemon.process!.stderrSoFar.contains("transmission to so-tnmt caught up")
        }

        // A critical alert goes to the webhook; the relay's first answer is a 500: retried.
        receiver.respond(with: 500, times: 1)
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "4.2", qos: 1)
        try await waitUntil("the webhook delivered after a retry", timeout: .seconds(20)) {
            (try? receiver.requests().filter { $0.status == 200 }.isEmpty) == false
        }
        let requests = try receiver.requests()
        #expect(requests.first?.status == 500 && requests.count >= 2)
        let delivered = try #require(requests.first { $0.status == 200 })
        let body = String(decoding: delivered.body, as: UTF8.self)
        #expect(body.hasPrefix(#"{"text": "[CRITICAL] raised do_low_test"#), "\(body)")
        #expect(body.contains(#""sensor": "lh-wq-01", "state": "firing""#), "\(body)")
        #expect(delivered.headers["x-relay-token"] == "t0ken" && delivered.path == "/hook")
        _ = try await daemon.terminate()
    }

    /// (name, inode) of every file in `directory`: an upload replacing a file changes its inode.
    static func snapshot(_ directory: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            var info = stat()
            if stat(directory + "/" + name, &info) == 0 { result[name] = UInt64(info.st_ino) }
        }
        return result
    }

    @Test("kill -9 three times while a backlog uploads: every file arrives, none is uploaded twice")
    func killDuringUploads() async throws {
        let rig = try await Rig.start { $0.replacingOccurrences(of: "interval = \"5m\"", with: "interval = \"1m\"") }
        defer { rig.publisher.stop() }
        let (daemon, publisher, inbox) = (rig.daemon, rig.publisher, rig.ftp.file("inbox"))
        // An hour of one reading a minute, ending two minutes ago: 60 one-minute files.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let last = (now / 60_000 - 2) * 60_000
        for minute in 0..<60 {
            let ts = RFC3339.format(Timestamp(milliseconds: last - Int64(minute) * 60_000 + 1000))
            _ = try publisher.publish(
                topic: "cathai/lan_ha/lh-wq-01", text: #"{"ts": "\#(ts)", "do": 6.5, "ph": 8.1}"#, qos: 1)
        }
        try await waitUntil("stored", timeout: .seconds(20)) { daemon.storedCount() >= 120 }
        let from = RFC3339.format(Timestamp(milliseconds: last - 59 * 60_000))
        let to = RFC3339.format(Timestamp(milliseconds: last + 60_000))
        let resend = try await daemon.cli(["transmit", "resend", "--from", from, "--to", to])
        #expect(resend.stdout.hasPrefix("60 files queued"), "\(resend)")

        var atKills: [[String: UInt64]] = []
        func delivered() -> Int { Self.snapshot(inbox).keys.filter { !$0.hasPrefix(".") }.count }
        for round in 1...3 {
            // Killed while uploading: three more files since this daemon started (or the backlog's
            // last ones: on a quiet machine it may be nearly through by the third round; the check
            // after the loop still wants one kill to have come mid-backlog).
            let awaited = min(delivered() + 3, 60)
            try await waitUntil("uploads under way (round \(round))", timeout: .seconds(60)) {
                delivered() >= awaited
            }
            try await daemon.kill()
            atKills.append(Self.snapshot(inbox))
            try await daemon.start()
        }
        try await waitUntil("all 60 delivered", timeout: .seconds(60)) {
            Self.snapshot(inbox).keys.filter { !$0.hasPrefix(".") }.count == 60
        }
        try await waitUntil("the outbox agrees", timeout: .seconds(30)) {
            let status = try await daemon.cli(["transmit", "status", "--format", "json"])
            return status.stdout.contains(#""backlog":0,"#) && status.stdout.contains(#""sent":60,"#)
        }
        #expect(atKills.contains { $0.keys.filter { !$0.hasPrefix(".") }.count < 60 }, "a kill came mid-backlog")
        let final = Self.snapshot(inbox)
        for snapshot in atKills {
            for (name, inode) in snapshot where !name.hasPrefix(".") {
                #expect(final[name] == inode, "\(name) was uploaded again after a kill -9")
            }
        }
        #expect(final.keys.filter { $0.hasPrefix(".") && !$0.hasSuffix(".part") }.isEmpty)
        _ = try await daemon.terminate()
    }

    @Test("bad transmission config: the key and line are named, nothing starts")
    func badConfig() async throws {
        let broker = try await MosquittoBroker()
        let text = try DaemonHarness.configText(
            extra: """
                [transmission]
                province = "Hải_Phòng"

                [[transmission.stations]]
                id = "LANHA01"
                site = "nowhere"

                [[transmission.targets]]
                id = "so"
                url = "sftp://127.0.0.1:22/in/"
                password = "secret"

                [[webhooks]]
                id = "bad"
                url = "http://127.0.0.1:9/x"
                template = '{"text": {{text}}'
                """)
        let daemon = try DaemonHarness(broker: broker, configText: text)
        let check = try await runProcess(DaemonHarness.executable("envmon"), ["check-config", daemon.configPath])
        #expect(!check.succeeded)
        for expected in [
            "transmission.province", "transmission.stations[0].site", "unknown site \"nowhere\"",
            "transmission.targets[0].password", "transmission.targets[0].host_key_sha256", "webhooks[0].template",
        ] {
            #expect(check.stderr.contains(expected) || check.stdout.contains(expected), "\(expected): \(check)")
        }
        #expect(!check.stderr.contains("secret") && !check.stdout.contains("secret"))
    }
}
