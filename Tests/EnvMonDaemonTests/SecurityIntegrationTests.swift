import EnvMonCore
import EnvMonStore
import Foundation
import GRDB
import MQTT
import TestSupport
import Testing

/// Issue 7: the daemon against a broker locked down as in the field (TLS, password file, ACL),
/// credentials that the broker refuses, and hostile topics and ids through the real broker.
@Suite("security: TLS, credentials, ACL and hostile ids with the real daemon and broker", .serialized)
struct SecurityIntegrationTests {
    /// Field-network users. Passwords are unique per run so that finding one in output is never chance.
    struct Users {
        let envmond = "envmond-pw-\(UUID().uuidString)"
        let sensor = "sensor-pw-\(UUID().uuidString)"
        let alertReader = "reader-pw-\(UUID().uuidString)"
        let auditor = "auditor-pw-\(UUID().uuidString)"

        var passwordFileEntries: [String: String] {
            ["envmond": envmond, "cathai-sensor": sensor, "alert-reader": alertReader, "auditor": auditor]
        }
    }

    /// The ACL of the field network (mosquitto `acl_file`). envmond reads sensor topics
    /// (`cathai/<site>/<sensor>[/<metric>]`, the config's subscriptions) and writes only alerts and
    /// the hourly VN_AQI; sensors write only sensor topics (`cathai/+/+` would also match
    /// `cathai/alerts/events` and `cathai/aqi/<site>`, hence the denies); the alert reader reads
    /// only alerts. The auditor, a test observer, reads everything.
    static let acl = """
        user envmond
        topic read cathai/+/+/+
        topic read cathai/+/+
        topic write cathai/alerts/#
        topic write cathai/aqi/#

        user cathai-sensor
        topic deny cathai/alerts/#
        topic deny cathai/aqi/#
        topic write cathai/+/+/+
        topic write cathai/+/+

        user alert-reader
        topic read cathai/alerts/#

        user auditor
        topic read cathai/#

        """

    static let rules = AlertIntegrationTests.doLowRule

    /// The shipped config with the broker section set as an operator would for the field network.
    static func configText(url: String, caFile: String?, username: String?, passwordFile: String?) throws -> String {
        var text = try DaemonHarness.configText(extra: rules)
        func replace(_ old: String, _ new: String) throws {
            try #require(text.contains(old), "Config/envmon.toml no longer has \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try replace("url = \"mqtt://127.0.0.1:1883\"", "url = \"\(url)\"")
        // Retry refused connections quickly, so a test sees several attempts.
        try replace("reconnect_min = \"1s\"", "reconnect_min = \"100ms\"")
        try replace("reconnect_max = \"30s\"", "reconnect_max = \"400ms\"")
        var broker: [String] = []
        if let username { broker.append("username = \"\(username)\"") }
        if let passwordFile { broker.append("password_file = \"\(passwordFile)\"") }
        if let caFile { broker.append("ca_file = \"\(caFile)\"") }
        try replace("# username = \"envmond\"", broker.joined(separator: "\n"))
        return text
    }

    /// envmond with the broker named in its config file (no --broker), not waited for.
    static func launch(_ daemon: DaemonHarness) throws -> ChildProcess {
        try ChildProcess(
            DaemonHarness.executable("envmond"), ["--config", daemon.configPath, "--db", daemon.databasePath],
            outputDirectory: daemon.directory.path)
    }

    static func writePasswordFile(_ daemon: DaemonHarness, _ password: String) throws -> String {
        let path = try daemon.directory.write("broker-password", password + "\n")
        chmod(path, 0o600)
        return path
    }

    // MARK: - 0. TLS settings are used or refused, never ignored (issue 14)

    @Test(
        "a broker that requires a client certificate: with cert_file and key_file the daemon stores; without, it is refused"
    )
    func clientCertificate() async throws {
        let certificates = try await TestCertificates()
        var tls = certificates.brokerTLS
        tls.requireClientCertificate = true
        let broker = try await MosquittoBroker(options: .init(tls: tls))
        defer { broker.stop() }
        let tlsURL = try #require(broker.tlsURL)

        // Without a certificate the TLS handshake is refused: the daemon says so and keeps trying.
        let refused = try DaemonHarness(broker: broker, configText: "")
        try refused.directory.write(
            "envmon.toml",
            try Self.configText(url: tlsURL, caFile: certificates.caFile, username: nil, passwordFile: nil))
        let refusedProcess = try Self.launch(refused)
        try await waitUntil("the handshake refused", timeout: .seconds(20)) {
            refusedProcess.stderrSoFar.contains("cannot connect") || !refusedProcess.isRunning
        }
        #expect(refusedProcess.isRunning)
        #expect(!refusedProcess.stderrSoFar.contains("MQTT subscribed"))
        refusedProcess.send(SIGTERM)
        _ = try await refusedProcess.waitForExit(timeout: .seconds(10))

        let daemon = try DaemonHarness(broker: broker, configText: "")
        let text = try Self.configText(url: tlsURL, caFile: certificates.caFile, username: nil, passwordFile: nil)
            .replacingOccurrences(
                of: "ca_file = \"\(certificates.caFile)\"",
                with: """
                    ca_file = "\(certificates.caFile)"
                    cert_file = "\(certificates.clientCertFile)"
                    key_file = "\(certificates.clientKeyFile)"
                    """)
        try daemon.directory.write("envmon.toml", text)
        let process = try Self.launch(daemon)
        defer { process.send(SIGTERM) }
        try await waitUntil("envmond subscribed with its client certificate", timeout: .seconds(20)) {
            process.stderrSoFar.contains("MQTT subscribed") || !process.isRunning
        }
        try #require(process.isRunning, "envmond exited: \(process.stderrSoFar)")

        let publisher = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: try MQTTBrokerURL(tlsURL), clientID: "cert-publisher",
                tls: .init(
                    caFile: certificates.caFile, certFile: certificates.clientCertFile,
                    keyFile: certificates.clientKeyFile)),
            onMessage: { _ in })
        try publisher.start()
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "6.4", qos: 1)
        try await waitUntil("reading stored", timeout: .seconds(20)) { daemon.storedCount() == 1 }
    }

    @Test("TLS files with a plain mqtt:// broker on the command line: refused naming the keys, exit 2")
    func tlsFilesWithPlainOverride() async throws {
        let broker = try await MosquittoBroker()
        defer { broker.stop() }
        let daemon = try DaemonHarness(broker: broker, configText: "")
        try daemon.directory.write(
            "envmon.toml",
            try Self.configText(
                url: "mqtts://127.0.0.1:8883", caFile: "/nonexistent/ca.crt", username: nil, passwordFile: nil))
        let result = try await runProcess(
            DaemonHarness.executable("envmond"),
            ["--config", daemon.configPath, "--db", daemon.databasePath, "--broker", broker.url], timeout: .seconds(20))
        #expect(result.exitStatus == 2)
        #expect(result.stderr.contains("broker.ca_file set in"), "\(result.stderr)")
        #expect(result.stderr.contains("use mqtts://"))
    }

    // MARK: - 1. TLS + password + ACL end to end

    @Test(
        "over TLS with a password and an ACL: readings are stored, alerts reach the reader, the ACL drops what it must")
    func tlsPasswordAndACL() async throws {
        let users = Users()
        let certificates = try await TestCertificates()
        let aclDirectory = try TemporaryDirectory(prefix: "envmon-acl")
        let aclPath = try aclDirectory.write("envmon.acl", Self.acl)
        let broker = try await MosquittoBroker(
            options: .init(
                users: users.passwordFileEntries, extraConfig: ["acl_file \(aclPath)"], tls: certificates.brokerTLS))
        let tlsURL = try #require(broker.tlsURL)

        let daemon = try DaemonHarness(broker: broker, configText: "")
        let passwordFile = try Self.writePasswordFile(daemon, users.envmond)
        try daemon.directory.write(
            "envmon.toml",
            try Self.configText(
                url: tlsURL, caFile: certificates.caFile, username: "envmond", passwordFile: passwordFile))
        let process = try Self.launch(daemon)
        try await waitUntil("envmond subscribed over TLS", timeout: .seconds(20)) {
            process.stderrSoFar.contains("MQTT subscribed") || !process.isRunning
        }
        try #require(process.isRunning, "envmond exited: \(process.stderrSoFar)")
        #expect(!process.stderrSoFar.contains("refused"), "\(process.stderrSoFar)")

        func probe(
            _ name: String, _ user: String?, _ password: String?, _ subscriptions: [String] = []
        ) throws
            -> MQTTProbe
        {
            try MQTTProbe(
                url: tlsURL, name: name, username: user, password: password, caFile: certificates.caFile,
                subscriptions: subscriptions)
        }
        let reader = try probe("alert-reader", "alert-reader", users.alertReader, ["cathai/alerts/#"])
        defer { reader.stop() }
        let auditor = try probe("auditor", "auditor", users.auditor, ["cathai/#"])
        defer { auditor.stop() }
        let sensor = try probe("sensor", "cathai-sensor", users.sensor)
        defer { sensor.stop() }
        // Another client with the daemon's credentials (own client id, so the daemon stays connected).
        let impostor = try probe("envmond-creds", "envmond", users.envmond)
        defer { impostor.stop() }
        try await waitUntil("test clients connected over TLS", timeout: .seconds(10)) {
            reader.isReady && auditor.isReady && sensor.isReady && impostor.isReady
        }

        // Readings published by the sensor user are stored. Each value of a series is stored before
        // the next is sent, so the alerts below follow a known order.
        let doTopic = "cathai/lan_ha/lh-wq-01/do"
        let temperatureTopic = "cathai/lan_ha/lh-wq-01/water_temp"
        func latest(_ metric: String) -> Double? {
            try? daemon.queries().latest(sensor: "lh-wq-01").first { $0.series.metric == metric }?.value
        }
        try sensor.publish(temperatureTopic, "24.5")
        try sensor.publish(doTopic, "4.2")
        try await waitUntil("sensor readings stored", timeout: .seconds(10)) {
            latest("do") == 4.2 && latest("water_temp") == 24.5
        }

        // The low DO raises an alert, which the alert reader receives from the daemon.
        try await waitUntil("alert event reached the alert reader", timeout: .seconds(15)) {
            reader.payloads(on: "cathai/alerts/events").contains {
                $0.contains("\"rule\":\"do_low_test\"") && $0.contains("\"notice\":\"raised\"")
            }
        }
        try await waitUntil("retained alert state reached the alert reader", timeout: .seconds(10)) {
            reader.payloads(on: "cathai/alerts/do_low_test/lh-wq-01").contains { $0.contains("\"state\":\"firing\"") }
        }
        #expect(process.stderrSoFar.contains("raised do_low_test"))

        // A sensor cannot forge an alert or a site's VN_AQI. Its own later reading is the end
        // marker: the broker handles one client's QoS 1 publishes in order.
        try sensor.publish("cathai/alerts/events", "{\"rule\":\"forged-by-sensor\",\"notice\":\"raised\"}")
        try sensor.publish(
            "cathai/aqi/cat_ba_town", "{\"site\":\"cat_ba_town\",\"aqi\":499,\"by\":\"forged-by-sensor\"}")
        try sensor.publish(temperatureTopic, "24.6")
        try await waitUntil("sensor's end marker seen by the auditor and stored", timeout: .seconds(10)) {
            auditor.payloads(on: temperatureTopic).contains("24.6") && latest("water_temp") == 24.6
        }

        // The daemon's credentials cannot publish sensor data (a series nobody else writes); end
        // marker on an alert topic, which those credentials may write.
        let salinityTopic = "cathai/lan_ha/lh-wq-01/salinity"
        let marker = "cathai/alerts/acl-end-\(UUID().uuidString.prefix(8))"
        try impostor.publish(salinityTopic, "30.5")
        try impostor.publish(marker, "end")
        try await waitUntil("envmond-credentials end marker seen by auditor and alert reader", timeout: .seconds(10)) {
            auditor.payloads(on: marker) == ["end"] && reader.payloads(on: marker) == ["end"]
        }
        // A last sensor reading for the daemon: once stored, anything the broker handled before it was too.
        try sensor.publish(temperatureTopic, "24.7")
        try await waitUntil("daemon stored the last reading", timeout: .seconds(10)) { latest("water_temp") == 24.7 }

        #expect(auditor.payloads(on: temperatureTopic) == ["24.5", "24.6", "24.7"], "sensor data reaches readers")
        #expect(auditor.payloads(on: salinityTopic).isEmpty, "the broker delivered envmond's publish to a sensor topic")
        let forged = (auditor.messages + reader.messages).filter {
            String(decoding: $0.payload, as: UTF8.self).contains("forged-by-sensor")
        }
        #expect(forged.isEmpty, "a sensor's forged alert or VN_AQI was delivered: \(forged)")
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let queries = try daemon.queries()
        let window = (from: now.adding(milliseconds: -600_000), to: now.adding(milliseconds: 60_000))
        let stored = try queries.readings(
            of: SeriesKey(sensor: "lh-wq-01", metric: "water_temp"), from: window.from, to: window.to
        ).map(\.value)
        #expect(stored == [24.5, 24.6, 24.7])
        let salinity = SeriesKey(sensor: "lh-wq-01", metric: "salinity")
        #expect(try queries.readings(of: salinity, from: window.from, to: window.to).isEmpty)
        #expect(try queries.latest(sensor: "lh-wq-01").map(\.series.metric).sorted() == ["do", "water_temp"])
        #expect(try queries.count(from: window.from, to: window.to) == 4, "24.5, 24.6, 24.7 °C and 4.2 mg/L only")
        // mosquitto says why: the ACL denied both publishes.
        #expect(broker.logContains("Denied PUBLISH from \(impostor.clientID)"), "\(broker.log)")
        #expect(broker.logContains("Denied PUBLISH from \(sensor.clientID)"), "\(broker.log)")

        let stderr = process.stderrSoFar
        for password in users.passwordFileEntries.values {
            #expect(!stderr.contains(password), "a broker password is in envmond's stderr")
        }
        process.send(SIGTERM)
        let result = try await process.waitForExit(timeout: .seconds(10))
        #expect(result.succeeded, "\(result)")
    }

    // MARK: - 2. Refused credentials

    enum Credentials: String, CaseIterable, CustomTestStringConvertible {
        case wrongPassword
        case none

        var testDescription: String { self == .none ? "no credentials" : "wrong password" }
    }

    @Test(
        "refused by the broker: the daemon keeps running, says why and what to check, stores nothing, leaks no password",
        arguments: Credentials.allCases)
    func refusedCredentials(_ credentials: Credentials) async throws {
        let users = Users()
        let wrongPassword = "wrong-pw-\(UUID().uuidString)"
        let broker = try await MosquittoBroker(options: .init(users: users.passwordFileEntries))
        let daemon = try DaemonHarness(broker: broker, configText: "")
        var passwordFile: String?
        if credentials == .wrongPassword { passwordFile = try Self.writePasswordFile(daemon, wrongPassword) }
        try daemon.directory.write(
            "envmon.toml",
            try Self.configText(
                url: broker.url, caFile: nil, username: credentials == .none ? nil : "envmond",
                passwordFile: passwordFile))
        let process = try Self.launch(daemon)

        // A sensor with good credentials publishes all along: none of it may be stored.
        let sensor = try MQTTProbe(url: broker.url, name: "sensor", username: "cathai-sensor", password: users.sensor)
        defer { sensor.stop() }
        try await waitUntil("sensor connected", timeout: .seconds(10)) { sensor.isReady }
        try sensor.publish("cathai/lan_ha/lh-wq-01/do", "6.1")

        // Refused, retried, still running.
        let refusal = "connection refused by broker"
        try await waitUntil("two refused attempts", timeout: .seconds(20)) {
            process.stderrSoFar.components(separatedBy: refusal).count - 1 >= 2 || !process.isRunning
        }
        try #require(process.isRunning, "envmond exited: \(process.stderrSoFar)")
        try sensor.publish("cathai/lan_ha/lh-wq-01/do", "6.2")
        try await waitUntil("the daemon saved its figures", timeout: .seconds(10), pollEvery: .milliseconds(100)) {
            let stats = try? await daemon.cli(["stats"])
            return stats?.stdout.contains("daemon.messages_received") == true
        }
        #expect(process.isRunning)
        #expect(broker.logContains("not authorised"), "mosquitto refused the connection: \(broker.log)")

        let stderr = process.stderrSoFar
        let line = stderr.split(separator: "\n").first { $0.contains(refusal) }.map(String.init) ?? ""
        #expect(line.lowercased().contains("not authorized"), "\(line)")
        #expect(line.contains("check broker.username and broker.password_file"), "\(line)")
        #expect(!stderr.contains("MQTT subscribed"))

        // Nothing stored.
        #expect(daemon.storedCount() == 0)
        let statsText = try await daemon.cli(["stats"])
        let statsJSON = try await daemon.cli(["stats", "--format", "json"])
        #expect(statsText.succeeded && statsJSON.succeeded, "\(statsText)\n\(statsJSON)")
        #expect(statsText.stdout.contains("readings_stored") && statsJSON.stdout.contains("\"readings_stored\""))
        func figure(_ name: String) -> Substring? {
            let fields = statsText.stdout.split(separator: "\n").map { $0.split(separator: " ") }
            return fields.first { $0.first.map(String.init) == name }?.last
        }
        #expect(figure("readings_stored") == "0" && figure("rejects") == "0", "\(statsText.stdout)")
        #expect(figure("daemon.messages_received") == "0", "\(statsText.stdout)")

        // The password never shows: not in the log, the stats or the config check.
        let checkText = try await runProcess(DaemonHarness.executable("envmon"), ["check-config", daemon.configPath])
        let checkJSON = try await runProcess(
            DaemonHarness.executable("envmon"), ["check-config", daemon.configPath, "--format", "json"])
        #expect(checkText.succeeded && checkJSON.succeeded, "\(checkText)\n\(checkJSON)")
        let outputs: [(String, ProcessResult)] = [
            ("stats", statsText), ("stats --format json", statsJSON), ("check-config", checkText),
            ("check-config --format json", checkJSON),
        ]
        for password in [wrongPassword, users.envmond] {
            #expect(!stderr.contains(password), "a password is in envmond's stderr")
            for (command, result) in outputs {
                #expect(
                    !result.stdout.contains(password) && !result.stderr.contains(password), "password in \(command)")
            }
        }
        process.send(SIGTERM)
        let result = try await process.waitForExit(timeout: .seconds(10))
        #expect(result.succeeded, "\(result)")
    }

    @Test("a password written into the config is refused by name, and its value is not echoed")
    func passwordInConfig() async throws {
        let secret = "inline-pw-\(UUID().uuidString)"
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: "")
        var text = try Self.configText(url: broker.url, caFile: nil, username: "envmond", passwordFile: nil)
        text = text.replacingOccurrences(
            of: "username = \"envmond\"", with: "username = \"envmond\"\npassword = \"\(secret)\"")
        try #require(text.contains(secret))
        try daemon.directory.write("envmon.toml", text)

        let envmon = DaemonHarness.executable("envmon")
        for arguments in [
            ["check-config", daemon.configPath], ["check-config", daemon.configPath, "--format", "json"],
        ] {
            let check = try await runProcess(envmon, arguments)
            #expect(check.exitStatus == 2, "\(check)")
            #expect((check.stdout + check.stderr).contains("broker.password"), "\(check)")
            #expect(!check.stdout.contains(secret) && !check.stderr.contains(secret), "\(check)")
        }
        let started = try await runProcess(
            DaemonHarness.executable("envmond"), ["--config", daemon.configPath, "--db", daemon.databasePath],
            timeout: .seconds(20))
        #expect(started.exitStatus == 2, "\(started)")
        #expect(started.stderr.contains("broker.password"), "\(started.stderr)")
        #expect(!started.stdout.contains(secret) && !started.stderr.contains(secret), "\(started.stderr)")
    }

    // MARK: - 4. Hostile topics and ids: bound parameters all the way

    enum Outcome {
        /// Stored under exactly these names.
        case stored(sensor: String, site: String, value: Double)
        /// In the rejects table with this reason, the detail saying why.
        case rejected(RejectReason, detail: String)
    }

    struct Hostile {
        var topic: String
        var payload: String
        var outcome: Outcome
    }

    static let hostile: [Hostile] = [
        // A site from the topic or the payload (for a sensor the config does not know) must be an
        // id like the config's: hostile text there is refused, not turned into a site.
        Hostile(
            topic: "cathai/x'; DROP TABLE series; --/probe-a/do", payload: "5.5",
            outcome: .rejected(.undecodable, detail: "invalid site id")),
        Hostile(
            topic: "cathai/lan_ha/probe-b",
            payload: #"{"site":"O'Brien \"q\" back\\slash %00 ../../etc/passwd","do":6.1}"#,
            outcome: .rejected(.undecodable, detail: "invalid site id")),
        Hostile(
            topic: "cathai/lan_ha/probe-g", payload: #"{"site":"nul\u0000site","do":5.7}"#,
            outcome: .rejected(.undecodable, detail: #"invalid site id "nul\u{0}site""#)),
        Hostile(
            topic: "cathai/lan_ha/probe--c/do", payload: "6.2",
            outcome: .stored(sensor: "probe--c", site: "lan_ha", value: 6.2)),
        // Sensor ids are restricted to letters, digits and - _ . : — anything else is refused.
        Hostile(
            topic: "cathai/lan_ha/'; DROP TABLE series; --/do", payload: "5",
            outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        Hostile(
            topic: "cathai/lan_ha/probe-d", payload: #"{"sensor":"../../etc/passwd","do":5}"#,
            outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        Hostile(
            topic: "cathai/lan_ha/%00/do", payload: "5", outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        Hostile(
            topic: "cathai/lan_ha/probe-e", payload: #"{"sensor":"robert\"); DROP TABLE sensors;--\\","do":5}"#,
            outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        Hostile(
            topic: "cathai/lan_ha/probe-f", payload: #"{"sensor":"probe\u0000f","do":5}"#,
            outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        Hostile(
            topic: "cathai/lan_ha/lp-gw", payload: #"wq,sensor=lp"x\\y do=5"#,
            outcome: .rejected(.undecodable, detail: "invalid sensor id")),
        // Metric levels must name a known metric.
        Hostile(
            topic: "cathai/lan_ha/lh-wq-01/do'; DELETE FROM latest; --", payload: "5",
            outcome: .rejected(.unknownMetric, detail: "is unknown")),
    ]

    static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    static func tables(_ daemon: DaemonHarness) throws -> Set<String> {
        try DatabaseQueue(path: daemon.databasePath, configuration: Self.readOnly).read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
    }

    /// The CLI's JSON output as an array of objects.
    static func objects(_ result: ProcessResult) throws -> [[String: Any]] {
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(parsed as? [[String: Any]], "\(result)")
    }

    @Test("hostile topics and ids through the broker are stored literally or rejected with a reason; no table is lost")
    func hostileTopicsAndIDs() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        let marker = "cathai/lan_ha/lh-wq-01/water_temp"
        _ = try publisher.publish(topic: marker, text: "23.4", qos: 1)
        try await waitUntil("first reading stored", timeout: .seconds(10)) { daemon.storedCount() == 1 }
        let tablesBefore = try Self.tables(daemon)
        for table in [
            "series", "sensors", "partitions", "latest", "rollup_1h", "rollup_1d", "rejects", "counters",
            "ingest_state", "daemon_stats", "alert_state", "alerts", "alert_log", "alert_ack_requests",
        ] {
            #expect(tablesBefore.contains(table), "\(table) missing from \(tablesBefore)")
        }
        #expect(tablesBefore.contains { $0.hasPrefix("raw_") } && tablesBefore.contains { $0.hasPrefix("rollup_1m_") })

        for message in Self.hostile {
            _ = try publisher.publish(topic: message.topic, text: message.payload, qos: 1)
        }
        // One publisher, QoS 1: the end marker is handled after everything before it.
        _ = try publisher.publish(topic: marker, text: "23.5", qos: 1)
        try await waitUntil("end marker stored", timeout: .seconds(15)) {
            (try? daemon.queries().latest(sensor: "lh-wq-01").first?.value) == 23.5
        }

        let tablesAfter = try Self.tables(daemon)
        #expect(tablesAfter.isSuperset(of: tablesBefore), "lost: \(tablesBefore.subtracting(tablesAfter))")

        let rejects = try Self.objects(try await daemon.cli(["rejects", "--format", "json", "--limit", "1000"]))
        let latest = try daemon.queries().latest()
        var expectedSensors: Set<String> = ["lh-wq-01"]
        for message in Self.hostile {
            let matching = rejects.filter { $0["topic"] as? String == message.topic }
            switch message.outcome {
            case .stored(let sensor, let site, let value):
                expectedSensors.insert(sensor)
                #expect(matching.isEmpty, "\(message.topic) was rejected: \(matching)")
                // Found again through the CLI by the exact site and by the exact sensor id.
                let bySite = try Self.objects(try await daemon.cli(["latest", "--site", site, "--format", "json"]))
                #expect(bySite.allSatisfy { $0["site"] as? String == site }, "latest --site \(site): \(bySite)")
                #expect(bySite.count { $0["sensor"] as? String == sensor } == 1, "latest --site \(site): \(bySite)")
                let bySensor = try Self.objects(
                    try await daemon.cli(["latest", "--sensor", sensor, "--format", "json"]))
                #expect(bySensor.count == 1 && bySensor.first?["site"] as? String == site, "\(bySensor)")
                #expect(bySensor.first?["metric"] as? String == "do" && bySensor.first?["value"] as? Double == value)
                let series = try Self.objects(
                    try await daemon.cli([
                        "query", "--sensor", sensor, "--metric", "do", "--from=-1h", "--format", "json",
                    ]))
                #expect(series.map { $0["value"] as? Double } == [value], "query --sensor \(sensor): \(series)")
            case .rejected(let reason, let detail):
                #expect(matching.count == 1, "\(message.topic): \(matching)")
                #expect(matching.first?["reason"] as? String == reason.rawValue, "\(message.topic): \(matching)")
                let text = matching.first?["detail"] as? String ?? ""
                #expect(text.contains(detail), "\(message.topic): \(text)")
            }
        }
        #expect(Set(latest.map(\.series.sensor)) == expectedSensors, "\(latest)")
        let sensors = try Self.objects(try await daemon.cli(["sensors", "--format", "json"]))
        for case .stored(let sensor, let site, _) in Self.hostile.map(\.outcome) {
            #expect(
                sensors.contains { $0["sensor"] as? String == sensor && $0["site"] as? String == site },
                "\(sensor) at \(site) in \(sensors)")
        }

        // A NUL in a rejected sensor id is shown escaped in the detail, not cut there (GRDB binds
        // text as a C string).
        let detail = rejects.first { $0["topic"] as? String == "cathai/lan_ha/probe-f" }?["detail"] as? String
        #expect(detail?.contains(#""probe\u{0}f""#) == true, "\(String(describing: detail))")
        #expect(detail?.contains("only letters, digits") == true, "\(String(describing: detail))")

        // Injection through the CLI's own arguments finds nothing (exit 1) instead of everything.
        for arguments in [
            ["latest", "--sensor", "' OR '1'='1"], ["latest", "--site", "' OR 1=1 --"],
            ["query", "--sensor", "x' OR 1=1 --", "--metric", "do", "--from=-1h"],
            ["export", "--from=-1h", "--sensor", "' OR 1=1 --"],
        ] {
            let result = try await daemon.cli(arguments)
            #expect(result.exitStatus == 1, "\(arguments): \(result)")
        }
        // Not even the shape of an alert id: bad input (exit 2), not "nothing found".
        let history = try await daemon.cli(["alerts", "history", "' OR 1=1 --"])
        #expect(history.exitStatus == 2, "\(history)")
        #expect(try Self.tables(daemon).isSuperset(of: tablesBefore))
        _ = try await daemon.terminate()
    }
}
