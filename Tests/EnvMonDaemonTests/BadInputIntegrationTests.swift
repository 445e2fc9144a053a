import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// Issue 7, bad input, end to end: hostile payloads and topics go through the real broker into
/// the real envmond and SQLite. For every input the daemon stays up, the input is rejected with
/// its specific reason (or stored literally when it is in fact valid), and good readings
/// published before and after are stored intact, counted exactly.
///
/// `IngestIntegrationTests` already has one plain "nan", a word where a number belongs, an
/// unknown metric, a future time and a unit mismatch; these tests take each kind of input to its
/// extremes.
@Suite("hostile input through the real broker into envmond", .serialized)
struct BadInputIntegrationTests {
    /// Raised from the shipped 64 KiB so that a 100,000-level nesting reaches the JSON parser
    /// instead of stopping at the size check.
    static let payloadLimit = 262_144

    static let ingest = """
        batch_size = 2000
        flush_interval = "50ms"
        handoff_capacity = 8192
        handoff_mebibytes = 32
        max_payload_bytes = \(payloadLimit)
        inbox_fsync = "never"
        reject_unknown_sensors = false
        max_future_skew = "5m"
        max_age = "7d"
        max_sensors = 10000
        """

    /// `end_marker`: one reading of it, published last, says every earlier message was processed
    /// (one publisher, QoS 1: the broker and the daemon keep its order). `raw_count` has no QC
    /// limits, so huge finite values are stored as they are.
    static let testMetrics = """
        [metrics.end_marker]
        unit = "count"
        dimension = "dimensionless"
        name = "end of a test run"

        [metrics.raw_count]
        unit = "count"
        dimension = "dimensionless"
        name = "test metric without QC limits"
        """

    static let sensorTopic = "cathai/lan_ha/lh-wq-01"
    static let goodSeries = SeriesKey(sensor: "lh-wq-01", metric: "water_temp")
    static let goodCount = 10

    /// One message and what it must leave behind.
    struct Input {
        var topic: String
        var payload: [UInt8]
        /// The rejects it must produce, in order: reason and a fragment of the detail.
        var rejects: [(reason: RejectReason, detail: String)]
        /// How many readings it must store.
        var stores: Int

        init(_ topic: String, _ text: String, _ rejects: [(RejectReason, String)] = [], stores: Int = 0) {
            self.init(topic, bytes: Array(text.utf8), rejects, stores: stores)
        }

        init(_ topic: String, bytes: [UInt8], _ rejects: [(RejectReason, String)] = [], stores: Int = 0) {
            self.topic = topic
            self.payload = bytes
            self.rejects = rejects.map { (reason: $0.0, detail: $0.1) }
            self.stores = stores
        }
    }

    /// A daemon that has processed a run of inputs between good readings.
    struct Outcome {
        let broker: MosquittoBroker
        let daemon: DaemonHarness
        let queries: any ReadingQueries
        /// Epoch milliseconds a little in the past: the good readings sit at base + 0...9 s.
        let base: Int64
        /// Every reject, in the order the messages were published.
        let rejects: [RejectRecord]

        func readings(_ sensor: String, _ metric: String) throws -> [StoredReading] {
            try queries.readings(
                of: SeriesKey(sensor: sensor, metric: metric), from: Timestamp(milliseconds: base - 3_600_000),
                to: Timestamp(milliseconds: base + 3_600_000))
        }

        /// SIGTERM after all that: a clean exit, within the usual time.
        func finish() async throws {
            #expect(
                daemon.process?.isRunning == true, "envmond died: \(daemon.process?.stderrSoFar.suffix(2000) ?? "")")
            let result = try await daemon.terminate()
            #expect(result?.exitStatus == 0 && result?.terminatedBySignal == false, "\(String(describing: result))")
        }
    }

    /// Starts a broker and envmond, publishes five good readings, `inputs`, then `between` (which
    /// returns how many readings it stored), five more good readings and the end marker; waits
    /// for the marker and checks what every run must show.
    static func exercise(
        _ inputs: [Input], between: (MosquittoBroker) async throws -> Int = { _ in 0 }
    ) async throws -> Outcome {
        let broker = try await MosquittoBroker(options: .init(logTypes: ["error", "warning", "notice"]))
        let daemon = try DaemonHarness(
            broker: broker,
            configText: try DaemonHarness.configText(ingest: ingest, extra: testMetrics))
        try await daemon.start()
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }

        let base = Int64(Date().timeIntervalSince1970 * 1000) - 120_000
        func good(_ index: Int) throws {
            _ = try publisher.publish(
                topic: sensorTopic, text: "{\"ts\":\(base + Int64(index) * 1000),\"water_temp\":\(goodValue(index))}",
                qos: 1)
        }
        for index in 0..<goodCount / 2 { try good(index) }
        for input in inputs { _ = try publisher.publish(topic: input.topic, payload: input.payload, qos: 1) }
        let storedBetween = try await between(broker)
        for index in goodCount / 2..<goodCount { try good(index) }
        _ = try publisher.publish(topic: sensorTopic, text: "{\"ts\":\(base + 60_000),\"end_marker\":1}", qos: 1)

        let marker = SeriesKey(sensor: "lh-wq-01", metric: "end_marker")
        try await waitUntil("the end marker is stored", timeout: .seconds(90), pollEvery: .milliseconds(100)) {
            guard let queries = try? daemon.queries() else { return false }
            return
                (try? queries.count(
                    of: marker, from: Timestamp(milliseconds: base), to: Timestamp(milliseconds: base + 120_000))) == 1
        }
        let queries = try daemon.queries()
        #expect(daemon.process?.isRunning == true, "envmond died: \(daemon.process?.stderrSoFar.suffix(2000) ?? "")")

        // The good readings, intact: every one, with its own time and value, and nothing else.
        let good = try queries.readings(
            of: goodSeries, from: Timestamp(milliseconds: base), to: Timestamp(milliseconds: base + 10_000))
        #expect(good.map(\.timestamp.milliseconds) == (0..<goodCount).map { base + Int64($0) * 1000 })
        #expect(good.map(\.value) == (0..<goodCount).map(goodValue))

        // Each input's rejects, reason by reason, in publish order.
        let rejects = Array(try queries.rejects(limit: 1_000_000).reversed())
        let expected = inputs.flatMap(\.rejects)
        #expect(
            rejects.map(\.reason) == expected.map(\.reason),
            "rejects: \(rejects.prefix(60).map { "\($0.reason.rawValue): \($0.detail)" })")
        for (reject, wanted) in zip(rejects, expected) where !reject.detail.contains(wanted.detail) {
            Issue.record("reject \"\(reject.detail)\" (\(reject.topic.prefix(80))) does not say \"\(wanted.detail)\"")
        }

        // Nothing else was stored: good readings, the marker, and what the inputs store.
        let stored = daemon.storedCount()
        #expect(stored == goodCount + 1 + inputs.map(\.stores).reduce(0, +) + storedBetween, "stored \(stored)")

        // The staff CLI lists the same rejects as JSON that parses, whatever bytes they held.
        let cli = try await daemon.cli(["rejects", "--format", "json", "--limit", "1000000"])
        if expected.isEmpty {
            #expect(cli.exitStatus == 1, "\(cli.stderr)")
        } else {
            #expect(cli.succeeded, "\(cli.stderr)")
            let listed = try JSONSerialization.jsonObject(with: Data(cli.stdoutBytes)) as? [[String: Any]]
            let reasons = listed?.compactMap { $0["reason"] as? String } ?? []
            #expect(Array(reasons.reversed()) == expected.map(\.reason.rawValue))
        }
        return Outcome(broker: broker, daemon: daemon, queries: queries, base: base, rejects: rejects)
    }

    static func goodValue(_ index: Int) -> Double { 25 + Double(index) / 100 }

    /// `count` bytes: `text`, then spaces.
    static func padded(_ text: String, to count: Int) -> [UInt8] {
        Array(text.utf8) + [UInt8](repeating: 0x20, count: count - text.utf8.count)
    }

    // MARK: - Size, nesting, width and encoding

    @Test("oversize, deeply nested, very wide, invalid UTF-8 payloads and very long topics")
    func payloadLimits() async throws {
        let limit = Self.payloadLimit
        let plainSalinity = "cathai/lan_ha/lh-wq-01/salinity"
        let long = String(repeating: "x", count: 60_000)
        // Times within a minute of now: inside the window `Outcome.readings` looks at.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var wide = "{\"ts\":\(now - 30_000),\"salinity\":31.5"
        for key in 0..<20_000 { wide += ",\"k\(String(key + 100_000).dropFirst())\":1" }
        wide += "}"
        // One row per rejection for the first 20, then one row counting the rest (a 220 KB message
        // must not write 20,000 reject rows, each with a copy of its payload).
        let wideRejects =
            (0..<20).map { key in
                (RejectReason.unknownMetric, "metric \"k\(String(key + 100_000).dropFirst())\" of sensor \"lh-wq-01\"")
            } + [(RejectReason.unknownMetric, "19980 more rejections in this message (19980 unknown_metric)")]
        let inputs: [Input] = [
            // One byte past the limit is refused before it is read; exactly the limit is read.
            Input(
                plainSalinity, bytes: Self.padded("30.5", to: limit + 1),
                [(.oversize, "payload of \(limit + 1) bytes exceeds the limit of \(limit)")]),
            Input(plainSalinity, bytes: Self.padded("30.5", to: limit), stores: 1),
            Input(
                Self.sensorTopic, bytes: [UInt8](repeating: UInt8(ascii: "{"), count: 1 << 20),
                [(.oversize, "payload of 1048576 bytes exceeds")]),
            // Nesting far past the parser's depth bound.
            Input(
                Self.sensorTopic, String(repeating: "[", count: 100_000),
                [(.undecodable, "nesting deeper than 32 levels")]),
            Input(
                Self.sensorTopic, String(repeating: "{\"a\":", count: 40_000),
                [(.undecodable, "nesting deeper than 32 levels")]),
            Input(
                Self.sensorTopic, "{\"water_temp\":" + String(repeating: "[", count: 100_000),
                [(.undecodable, "nesting deeper than 32 levels")]),
            Input(
                "cathai/lan_ha/lh-wq-01/ph", String(repeating: "[", count: 100_000), [(.undecodable, "not a number")]),
            // 20,000 members: the one metric is stored, each unknown member rejected by name.
            Input(Self.sensorTopic, wide, wideRejects, stores: 1),
            Input(
                Self.sensorTopic, "{\"water_temp\":24,\"water_temp\":25}",
                [(.undecodable, "duplicate member name \"water_temp\"")]),
            // Invalid UTF-8: a stray byte, a broken pair, an overlong '/', a surrogate, a cut sequence.
            Input(
                "cathai/lan_ha/lh-wq-01/ph", bytes: Array("8.1".utf8) + [0xFF],
                [(.undecodable, "not valid UTF-8 (byte 3)")]),
            Input(
                Self.sensorTopic, bytes: Array("{\"water".utf8) + [0xC3, 0x28] + Array("\":1}".utf8),
                [(.undecodable, "not valid UTF-8 (byte 7)")]),
            Input(
                Self.sensorTopic,
                bytes: Array("[{\"n\":\"lh-wq-01".utf8) + [0xC0, 0xAF] + Array("ph\",\"v\":8}]".utf8),
                [(.undecodable, "not valid UTF-8 (byte 15)")]),
            Input(
                Self.sensorTopic, bytes: Array("wq,sensor=lh".utf8) + [0xED, 0xA0, 0x80] + Array(" ph=8".utf8),
                [(.undecodable, "not valid UTF-8 (byte 12)")]),
            Input(
                "cathai/lan_ha/lh-wq-01/ph", bytes: Array("8.1".utf8) + [0xE1, 0x80],
                [(.undecodable, "not valid UTF-8")]),
            // A byte-order mark before valid JSON is dropped, and the reading stored.
            Input(
                Self.sensorTopic, bytes: [0xEF, 0xBB, 0xBF] + Array("{\"ts\":\(now - 29_000),\"salinity\":31.6}".utf8),
                stores: 1),
            // A time with microseconds (Python's isoformat()): stored to the millisecond. This
            // trapped the RFC 3339 parser, and with it envmond, until the json fuzzer found it.
            Input(
                Self.sensorTopic,
                "{\"ts\":\"\(RFC3339.format(Timestamp(milliseconds: (now - 28_000) / 1000 * 1000 + 123)).dropLast())456Z\",\"ph\":8.05}",
                stores: 1),
            // Topics near the MQTT maximum (65,535 bytes), the long level in each place.
            Input("cathai/lan_ha/\(long)/water_temp", "24.1", [(.undecodable, "longer than 64 characters")]),
            Input("cathai/lan_ha/lh-wq-01/\(long)", "24.1", [(.unknownMetric, "is unknown")]),
            Input("cathai/\(long)/lh-wq-01/turbidity", "3.5", stores: 1),
        ]
        let outcome = try await Self.exercise(inputs)

        // What was valid is stored as sent; a configured sensor keeps its configured site.
        #expect(try outcome.readings("lh-wq-01", "salinity").map(\.value) == [31.5, 31.6, 30.5])
        let ph = try outcome.readings("lh-wq-01", "ph")
        #expect(
            ph.map(\.value) == [8.05] && ph.first?.timestamp.milliseconds == (now - 28_000) / 1000 * 1000 + 123, "\(ph)"
        )
        let turbidity = try outcome.queries.latest(sensor: "lh-wq-01").first { $0.series.metric == "turbidity" }
        #expect(turbidity?.value == 3.5 && turbidity?.site == "lan_ha")
        #expect(try outcome.queries.sensors().map(\.sensor) == ["lh-wq-01"], "no sensor appeared from the bad input")
        // Rejects keep the topic and payload, bounded.
        let longTopic = outcome.rejects.first { $0.detail.contains("longer than 64 characters") }
        #expect(longTopic?.topic == String("cathai/lan_ha/\(long)/water_temp".prefix(512)))
        let oversize = outcome.rejects.first { $0.reason == .oversize }
        #expect(oversize?.payload == Array(Self.padded("30.5", to: 512)))
        try await outcome.finish()
    }

    // MARK: - Non-finite numbers

    @Test("NaN, Infinity, -Infinity and 1e999 in plain, JSON, SenML and line protocol")
    func nonFiniteNumbers() async throws {
        let plain = "cathai/lan_ha/lh-wq-01/ph"
        let topic = Self.sensorTopic
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let notFinite = "is not finite"
        var inputs: [Input] = ["NaN", "nan", "Infinity", "-Infinity", "inf", "+inf", "1e999", "-1e999"].map {
            Input(plain, $0, [(.notFinite, notFinite)])
        }
        inputs += [
            // JSON has no NaN or Infinity literals: such a text is not JSON at all.
            Input(topic, "{\"ph\":NaN}", [(.undecodable, "expected a value")]),
            Input(topic, "{\"ph\":Infinity}", [(.undecodable, "expected a value")]),
            Input(topic, "{\"ph\":-Infinity}", [(.undecodable, "a number needs a digit after '-'")]),
            Input(topic, "{\"ph\":1e999}", [(.notFinite, "field \"ph\" is not a finite number")]),
            Input(topic, "{\"ph\":-1e999}", [(.notFinite, "field \"ph\" is not a finite number")]),
            Input(topic, "{\"ph\":\"NaN\"}", [(.notFinite, "field \"ph\" is not a finite number")]),
            Input(topic, "{\"ph\":\"-Infinity\"}", [(.notFinite, "field \"ph\" is not a finite number")]),
            Input(
                topic, "{\"ts\":\(now - 40_000),\"ph\":1e999,\"salinity\":30.9}",
                [(.notFinite, "field \"ph\" is not a finite number")], stores: 1),
            Input(topic, "{\"ts\":1e999,\"ph\":8}", [(.badTimestamp, "\"ts\" inf is not a usable epoch time")]),
            Input(topic, "{\"ts\":\"NaN\",\"ph\":8}", [(.badTimestamp, "\"ts\" \"NaN\" is neither")]),
            // SenML.
            Input(
                topic, "[{\"n\":\"ph\",\"v\":1e999}]", [(.notFinite, "SenML record 1: value of \"ph\" is not finite")]),
            Input(
                topic, "[{\"n\":\"ph\",\"v\":-1e999}]", [(.notFinite, "SenML record 1: value of \"ph\" is not finite")]),
            Input(topic, "[{\"n\":\"ph\",\"v\":NaN}]", [(.undecodable, "expected a value")]),
            Input(topic, "[{\"n\":\"ph\",\"v\":\"NaN\"}]", [(.undecodable, "SenML record 1: \"v\" is not a number")]),
            Input(
                topic, "[{\"n\":\"ph\",\"v\":8.1,\"t\":1e999}]", [(.badTimestamp, "SenML record 1: time is not finite")]
            ),
            Input(
                topic,
                "[{\"bn\":\"lh-wq-01/\",\"bt\":\(Double(now - 39_000) / 1000),\"n\":\"ph\",\"v\":1e999},"
                    + "{\"n\":\"salinity\",\"v\":30.8}]",
                [(.notFinite, "SenML record 1: value of \"ph\" is not finite")], stores: 1),
            // Line protocol.
            Input(topic, "wq ph=NaN", [(.notFinite, "line 1: field \"ph\" value \"NaN\" is not finite")]),
            Input(topic, "wq ph=+Inf", [(.notFinite, "line 1: field \"ph\" value \"+Inf\" is not finite")]),
            Input(topic, "wq ph=-Infinity", [(.notFinite, "value \"-Infinity\" is not finite")]),
            Input(topic, "wq ph=1e999", [(.notFinite, "value \"1e999\" is not finite")]),
            Input(topic, "wq ph=-1e999", [(.notFinite, "value \"-1e999\" is not finite")]),
            Input(topic, "wq ph=1e999i", [(.undecodable, "invalid integer \"1e999i\"")]),
            Input(
                topic, "wq ph=inf,salinity=30.7 \((now - 38_000) * 1_000_000)",
                [(.notFinite, "value \"inf\" is not finite")], stores: 1),
            Input(topic, "wq ph=8 1e999", [(.undecodable, "expected an integer timestamp")]),
            Input(topic, "wq ph=8 99999999999999999999", [(.undecodable, "expected an integer timestamp")]),
            // A bare NaN where a JSON object, SenML pack or line is expected: a plain number needs a metric level.
            Input(topic, "NaN", [(.undecodable, "a plain number needs the topic")]),
        ]
        let outcome = try await Self.exercise(inputs)
        #expect(try outcome.readings("lh-wq-01", "salinity").map(\.value) == [30.9, 30.8, 30.7])
        #expect(try outcome.readings("lh-wq-01", "ph").isEmpty)
        try await outcome.finish()
    }

    // MARK: - SenML base values

    @Test("SenML with hostile base time, base value and base name")
    func hostileSenML() async throws {
        let topic = Self.sensorTopic
        let now = Double(Int64(Date().timeIntervalSince1970 * 1000)) / 1000
        func pack(_ base: String, _ record: String = "\"n\":\"ph\",\"v\":8.1") -> String { "[{\(base),\(record)}]" }
        let inputs: [Input] = [
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":1e300"),
                [(.badTimestamp, "SenML record 1: time 1e+300 is out of range")]),
            Input(topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":-1e300"), [(.badTimestamp, "is out of range")]),
            Input(topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":NaN"), [(.undecodable, "expected a value")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":\"NaN\""),
                [(.undecodable, "SenML record 1: \"bt\" is not a finite number")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":1e999"),
                [(.undecodable, "SenML record 1: \"bt\" is not a finite number")]),
            // Base time plus record time overflows to infinity.
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":1.7e308", "\"n\":\"ph\",\"v\":8.1,\"t\":1.7e308"),
                [(.badTimestamp, "SenML record 1: time is not finite")]),
            // In the representable range, but centuries away: a time the validator refuses.
            Input(topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":9.9e11"), [(.badTimestamp, "after the receive time")]),
            Input(topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":-9.9e11"), [(.badTimestamp, "before the receive time")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":0", "\"n\":\"ph\",\"v\":8.1,\"t\":-1e15"),
                [(.badTimestamp, "is out of range")]),
            // One bad record costs only itself.
            Input(
                topic,
                "[{\"bn\":\"lh-wq-01/\",\"bt\":\(now - 50),\"n\":\"salinity\",\"v\":30.6},"
                    + "{\"n\":\"ph\",\"v\":8.1,\"t\":1.7e308}]",
                [(.badTimestamp, "SenML record 2: time")], stores: 1),
            // Base value plus value overflows; a huge finite one is no measurement either.
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bv\":1.7e308", "\"n\":\"ph\",\"v\":1.7e308"),
                [(.notFinite, "SenML record 1: value of \"ph\" is not finite")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bv\":\"NaN\""),
                [(.undecodable, "SenML record 1: \"bv\" is not a number")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/\",\"bt\":\(now - 49),\"bv\":1e300", "\"n\":\"ph\",\"v\":1"),
                [(.notFinite, "is beyond ±1e15")]),
            // Base names that try to leave the sensor's namespace or smuggle bytes.
            Input(topic, pack("\"bn\":\"../lh-wq-01/\""), [(.undecodable, "must start with a letter or digit")]),
            Input(
                topic, pack("\"bn\":\"lh-wq-01/../../etc/\""),
                [(.undecodable, "invalid sensor id \"lh-wq-01/../../etc\"")]),
            Input(
                topic, pack("\"bn\":\"'; DROP TABLE readings; --/\""),
                [(.undecodable, "must start with a letter or digit")]),
            Input(topic, "[{\"n\":\"../../ph\",\"v\":8.1}]", [(.undecodable, "must start with a letter or digit")]),
            Input(
                topic, pack("\"bn\":\"\(String(repeating: "a", count: 10_000))/\""),
                [(.undecodable, "longer than 64 characters")]),
        ]
        let outcome = try await Self.exercise(inputs)
        #expect(try outcome.readings("lh-wq-01", "salinity").map(\.value) == [30.6])
        let ph = try outcome.readings("lh-wq-01", "ph")
        #expect(ph.isEmpty)
        #expect(try outcome.queries.sensors().map(\.sensor) == ["lh-wq-01"])
        try await outcome.finish()
    }

    @Test("a NUL inside a rejected name does not cut the reject's explanation short")
    func nulInRejectedName() async throws {
        let inputs: [Input] = [
            Input(
                Self.sensorTopic, "[{\"bn\":\"lh-wq-01\\u0000/\",\"n\":\"ph\",\"v\":8.1}]",
                [(.undecodable, "must start with a letter or digit and use only")]),
            Input(Self.sensorTopic, "{\"sensor\":\"lh\\u0000x\",\"ph\":8}", [(.undecodable, "only letters, digits")]),
            Input(Self.sensorTopic, "{\"p\\u0000h\":8}", [(.unknownMetric, "of sensor \"lh-wq-01\" is unknown")]),
        ]
        let outcome = try await Self.exercise(inputs)
        try await outcome.finish()
    }

    @Test("huge finite values are refused as no measurement, so roll-ups cannot overflow to inf")
    func hugeFiniteValuesAreRefused() async throws {
        let minute = (Int64(Date().timeIntervalSince1970) / 60 - 3) * 60
        let pack =
            "[{\"bn\":\"lh-wq-01/\",\"bt\":\(minute),\"n\":\"raw_count\",\"v\":1.7e308},"
            + "{\"n\":\"raw_count\",\"t\":1,\"v\":1.7e308},{\"n\":\"raw_count\",\"t\":2,\"v\":12}]"
        let outcome = try await Self.exercise([
            Input(Self.sensorTopic, pack, [(.notFinite, "beyond ±1e15"), (.notFinite, "beyond ±1e15")], stores: 1)
        ])
        let raw = try outcome.readings("lh-wq-01", "raw_count")
        #expect(raw.map(\.value) == [12])
        let cells = try outcome.queries.rollups(
            of: SeriesKey(sensor: "lh-wq-01", metric: "raw_count"), resolution: .minute,
            from: Timestamp(milliseconds: minute * 1000), to: Timestamp(milliseconds: minute * 1000 + 60_000))
        #expect(cells.count == 1)
        #expect(cells.first?.count == 1)
        #expect(cells.first?.mean == 12)
        try await outcome.finish()
    }

    @Test("the site level of an unconfigured sensor is held to the rule for site ids, like the sensor level")
    func siteOfUnconfiguredSensor() async throws {
        let sql = "'; DROP TABLE sensors; --"
        let site = "site"
        let inputs: [Input] = [
            Input("cathai/\(String(repeating: "s", count: 60_000))/zz-long/ph", "8", [(.undecodable, site)]),
            Input("cathai/\(sql)/zz-sql/ph", "8", [(.undecodable, site)]),
            Input("cathai/../zz-dots/ph", "8", [(.undecodable, site)]),
            Input("cathai/\u{FF03}/zz-lookalike/ph", "8", [(.undecodable, site)]),
            Input("cathai/lan_ha/zz-json", "{\"site\":\"a\\nb\",\"ph\":8}", [(.undecodable, site)]),
            Input("cathai/lan_ha/zz-line", "wq,site=a\\ b ph=8", [(.undecodable, site)]),
        ]
        let outcome = try await Self.exercise(inputs)
        #expect(try outcome.queries.sensors().map(\.sensor) == ["lh-wq-01"])
        try await outcome.finish()
    }
}
