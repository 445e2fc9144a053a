import EnvMonConfig
import Foundation
import Testing

/// Issue 7: every kind of config mistake an operator makes is reported naming the key and the
/// line. `EnvMonConfigurationTests` already covers a syntax error, an unknown key in a nested
/// table, a range error, an unknown metric, a bad site kind and reversed QC spans (with lines),
/// and unknown site, duplicate id and bad duration (without lines); these cases add the rest and
/// the lines.
@Suite("config mistakes are named by key and line")
struct ConfigMistakeTests {
    /// A small valid config. Each case changes one line of it, so the expected line is known.
    static let base = """
        config_version = 1
        topic_prefix = "cathai"

        [daemon]
        database = "/var/lib/envmon/envmon.db"
        statistics_interval = "5s"

        [broker]
        url = "mqtt://127.0.0.1:1883"
        client_id = "envmond-test"

        [[subscriptions]]
        topic = "cathai/+/+/+"
        format = "plain"
        qos = 1

        [ingest]
        batch_size = 100
        flush_interval = "100ms"
        max_sensors = 100

        [[sites]]
        id = "lan_ha"
        kind = "aquaculture"
        lat = 20.772

        [[sites]]
        id = "cat_co"
        kind = "beach"

        [[sensors]]
        id = "lh-wq-01"
        site = "lan_ha"
        metrics = ["do", "water_temp"]
        interval = "1m"

        [[sensors]]
        id = "cc-wq-01"
        site = "cat_co"
        metrics = ["do"]
        interval = "2m"

        [[alerts]]
        id = "do_low"
        kind = "below"
        metric = "do"
        threshold = 5.0
        clear = 5.3
        severity = "warning"
        basis = "QCVN 10-MT:2015/BTNMT"
        """

    /// One mistake: `original` (a whole line of `base`) becomes `replacement`; the issue must name
    /// `key`, point at the `occurrence`-th line containing `marker`, and say `message`.
    struct Mistake: CustomTestStringConvertible, Sendable {
        var name: String
        var original: String
        var replacement: String
        var key: String
        var marker: String
        var occurrence = 1
        var message: String

        init(
            _ name: String, _ original: String, _ replacement: String, key: String, marker: String? = nil,
            occurrence: Int = 1, message: String
        ) {
            self.name = name
            self.original = original
            self.replacement = replacement
            self.key = key
            self.marker = marker ?? replacement.split(separator: "\n").first.map(String.init) ?? replacement
            self.occurrence = occurrence
            self.message = message
        }

        var testDescription: String { name }

        var text: String {
            precondition(ConfigMistakeTests.base.components(separatedBy: original).count == 2, "\(original) not unique")
            return ConfigMistakeTests.base.replacingOccurrences(of: original, with: replacement)
        }

        /// 1-based line of the `occurrence`-th line containing `marker`.
        var line: Int? {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let matches = lines.indices.filter { lines[$0].contains(marker) }
            return matches.count >= occurrence ? matches[occurrence - 1] + 1 : nil
        }
    }

    static func issues(_ text: String) -> [ConfigIssue]? {
        do {
            _ = try EnvMonConfiguration.parse(text, source: "mistake.toml")
            return nil
        } catch {
            return error.issues
        }
    }

    @Test("the base config is valid, so each case below has exactly its own mistake")
    func baseIsValid() throws {
        let configuration = try EnvMonConfiguration.parse(Self.base, source: "base.toml")
        #expect(configuration.sensors.map(\.id) == ["lh-wq-01", "cc-wq-01"])
        #expect(configuration.alertRules.map(\.id) == ["do_low"])
    }

    static let mistakes: [Mistake] = [
        // Unknown keys (typos) at the top level and as a whole table.
        Mistake(
            "misspelt top-level key", "topic_prefix = \"cathai\"", "topic_prefx = \"cathai\"", key: "topic_prefx",
            message: "unknown key"),
        Mistake(
            "misspelt key in a table", "flush_interval = \"100ms\"", "flush_intreval = \"100ms\"",
            key: "ingest.flush_intreval", message: "unknown key"),
        // [store] url: one place for the store, a URL this build knows.
        Mistake(
            "store named twice", "statistics_interval = \"5s\"\n",
            "statistics_interval = \"5s\"\n\n[store]\nurl = \"postgres://envmon@db/envmon\"\n", key: "store.url",
            marker: "url = \"postgres://", message: "and daemon.database both say where the store is"),
        Mistake(
            "store URL of an unknown scheme",
            "database = \"/var/lib/envmon/envmon.db\"\nstatistics_interval = \"5s\"\n",
            "statistics_interval = \"5s\"\n\n[store]\nurl = \"mysql://envmon@db/envmon\"\n", key: "store.url",
            marker: "mysql://", message: "must be postgres://USER@HOST"),
        // Wrong types.
        Mistake(
            "integer written as a string", "batch_size = 100", "batch_size = \"100\"", key: "ingest.batch_size",
            message: "must be an integer, found a string"),
        Mistake(
            "metric list written as one string", "metrics = [\"do\"]", "metrics = \"do\"", key: "sensors[1].metrics",
            message: "must be an array of strings, found a string"),
        Mistake(
            "threshold written as a word", "threshold = 5.0", "threshold = \"five\"", key: "alerts[0].threshold",
            message: "must be a number, found a string"),
        Mistake(
            "boolean written as a word", "max_sensors = 100", "max_sensors = 100\nreject_unknown_sensors = \"yes\"",
            key: "ingest.reject_unknown_sensors", marker: "reject_unknown_sensors",
            message: "must be true or false, found a string"),
        // Values out of range.
        Mistake(
            "negative interval", "interval = \"1m\"", "interval = \"-1m\"", key: "sensors[0].interval",
            message: "\"-1m\""),
        Mistake(
            "negative interval in seconds", "interval = \"1m\"", "interval = -60", key: "sensors[0].interval",
            message: "found an integer"),
        Mistake(
            "zero interval", "interval = \"2m\"", "interval = \"0s\"", key: "sensors[1].interval",
            message: "must be longer than zero"),
        Mistake(
            "batch size zero", "batch_size = 100", "batch_size = 0", key: "ingest.batch_size",
            message: "must be between 1 and 100000, found 0"),
        Mistake(
            "max_sensors zero", "max_sensors = 100", "max_sensors = 0", key: "ingest.max_sensors",
            message: "must be between 1 and 10000000, found 0"),
        Mistake(
            "QoS 3", "qos = 1", "qos = 3", key: "subscriptions[0].qos", message: "must be between 0 and 2, found 3"),
        Mistake("latitude off the globe", "lat = 20.772", "lat = 207.72", key: "sites[0].lat", message: "-90...90"),
        Mistake(
            "metrics port 70000", "statistics_interval = \"5s\"",
            "statistics_interval = \"5s\"\nmetrics_listen = \"127.0.0.1:70000\"", key: "daemon.metrics_listen",
            marker: "metrics_listen", message: "\"127.0.0.1:70000\""),
        // TLS files that would be ignored (issue 14: they were, silently).
        Mistake(
            "a CA file with a plain mqtt:// URL", "client_id = \"envmond-test\"",
            "client_id = \"envmond-test\"\nca_file = \"/etc/envmon/ca.crt\"", key: "broker.ca_file", marker: "ca_file",
            message: "TLS file given, but broker.url is mqtt://127.0.0.1:1883: use an mqtts:// URL"),
        Mistake(
            "a client certificate with a plain mqtt:// URL", "client_id = \"envmond-test\"",
            "client_id = \"envmond-test\"\ncert_file = \"/etc/envmon/c.crt\"\nkey_file = \"/etc/envmon/c.key\"",
            key: "broker.cert_file", marker: "cert_file", message: "use an mqtts:// URL"),
        Mistake(
            "a client certificate without its key", "url = \"mqtt://127.0.0.1:1883\"",
            "url = \"mqtts://127.0.0.1:8883\"\ncert_file = \"/etc/envmon/c.crt\"", key: "broker.cert_file",
            marker: "cert_file", message: "cert_file and key_file go together"),
        // Durations people mistype.
        Mistake(
            "duration in words", "flush_interval = \"100ms\"", "flush_interval = \"fast\"",
            key: "ingest.flush_interval", message: "\"fast\" is not a duration"),
        Mistake(
            "duration with an unknown unit", "statistics_interval = \"5s\"", "statistics_interval = \"5 fortnights\"",
            key: "daemon.statistics_interval", message: "\"5 fortnights\" is not a duration"),
        // Cross references.
        Mistake(
            "unknown site", "site = \"lan_ha\"", "site = \"lan_hà\"", key: "sensors[0].site",
            message: "unknown site \"lan_hà\""),
        Mistake(
            "duplicate sensor id", "id = \"cc-wq-01\"", "id = \"lh-wq-01\"", key: "sensors[1].id",
            occurrence: 2, message: "duplicate id \"lh-wq-01\""),
        Mistake(
            "duplicate site id", "id = \"cat_co\"", "id = \"lan_ha\"", key: "sites[1].id", occurrence: 2,
            message: "duplicate id \"lan_ha\""),
        // Alert rules.
        Mistake(
            "alert on an unknown metric", "metric = \"do\"", "metric = \"oxygn\"", key: "alerts[0].metric",
            message: "unknown metric \"oxygn\""),
        Mistake(
            "alert with an unknown severity", "severity = \"warning\"", "severity = \"urgent\"",
            key: "alerts[0].severity", message: "\"urgent\" is not one of"),
        Mistake(
            "clear level on the wrong side of a below threshold", "clear = 5.3", "clear = 4.0",
            key: "alerts[0].clear", message: "clear level 4.0 must not be below 5.0"),
        // The metrics endpoint is for the operator's own Prometheus: loopback only.
        Mistake(
            "metrics on every interface", "statistics_interval = \"5s\"",
            "statistics_interval = \"5s\"\nmetrics_listen = \"0.0.0.0:9464\"", key: "daemon.metrics_listen",
            marker: "metrics_listen", message: "must be a loopback host:port"),
        // A secret in the file.
        Mistake(
            "password written inline", "client_id = \"envmond-test\"",
            "client_id = \"envmond-test\"\npassword = \"s3cret-Hai-Phong\"", key: "broker.password",
            marker: "password =", message: "password_file"),
    ]

    /// Mistakes the config used to accept (fixed in issue 7): each must now be named by key and line.
    static let undetectedMistakes: [Mistake] = [
        Mistake(
            "broker port 70000", "url = \"mqtt://127.0.0.1:1883\"", "url = \"mqtt://127.0.0.1:70000\"",
            key: "broker.url", message: "70000"),
        Mistake(
            "broker URL without a host", "url = \"mqtt://127.0.0.1:1883\"", "url = \"mqtt://:1883\"",
            key: "broker.url", message: "mqtt://:1883"),
        // Subscriptions MQTT would refuse: '#' only as the last level, '+' only as a whole level.
        Mistake(
            "'#' before the last level", "topic = \"cathai/+/+/+\"", "topic = \"cathai/#/+\"",
            key: "subscriptions[0].topic", message: "cathai/#/+"),
        Mistake(
            "'+' inside a level", "topic = \"cathai/+/+/+\"", "topic = \"cathai/lan+ha/+\"",
            key: "subscriptions[0].topic", message: "cathai/lan+ha/+"),
        Mistake(
            "alert on an unknown sensor", "metric = \"do\"", "metric = \"do\"\nsensors = \"lh-wq-99\"",
            key: "alerts[0].sensors", marker: "sensors = \"lh-wq-99\"", message: "lh-wq-99"),
        Mistake(
            "metrics on a host name that only starts like loopback", "statistics_interval = \"5s\"",
            "statistics_interval = \"5s\"\nmetrics_listen = \"127.example.com:9464\"", key: "daemon.metrics_listen",
            marker: "metrics_listen", message: "must be a loopback host:port"),
    ]

    /// Mistakes reported without their line, or under a key that is not in the file.
    static let misplacedMistakes: [Mistake] = [
        Mistake("misspelt table name", "[ingest]", "[ingset]", key: "ingset", message: "unknown key"),
        Mistake(
            "band with low above high", "kind = \"below\"\nmetric = \"do\"\nthreshold = 5.0\nclear = 5.3",
            "kind = \"outside\"\nmetric = \"do\"\nlow = 9.0\nhigh = 2.0", key: "alerts[0].low", marker: "low = 9.0",
            message: "band low 9.0 must be below high 2.0"),
        Mistake(
            "escalation to a lower severity", "severity = \"warning\"",
            "severity = \"warning\"\nescalate_to = \"info\"\nescalate_threshold = 4.0", key: "alerts[0].escalate_to",
            marker: "escalate_to", message: "must be above the rule's severity (warning)"),
    ]

    @Test("each mistake is reported naming its key and line", arguments: mistakes)
    func mistakeNamed(_ mistake: Mistake) throws {
        try Self.check(mistake)
    }

    @Test("mistakes the config used to accept are reported by key and line", arguments: undetectedMistakes)
    func undetectedMistakeNamed(_ mistake: Mistake) throws {
        try Self.check(mistake)
    }

    @Test(
        "mistakes once reported without a line or under a key the file lacks name the real key and line",
        arguments: misplacedMistakes)
    func misplacedMistakeNamed(_ mistake: Mistake) throws {
        try Self.check(mistake)
    }

    static func check(_ mistake: Mistake) throws {
        let line = try #require(mistake.line, "marker \(mistake.marker) not found")
        let found = try #require(issues(mistake.text), "the mistake was accepted")
        let issue = found.first { $0.path == mistake.key }
        #expect(issue != nil, "no issue names \(mistake.key): \(found.map(\.description))")
        #expect(issue?.line == line, "\(found.map(\.description))")
        #expect(issue?.message.contains(mistake.message) == true, "\(found.map(\.description))")
        #expect(issue?.description.hasPrefix("line \(line): \(mistake.key): ") == true)
        #expect(!found.description.contains("s3cret"), "a secret never appears in messages")
    }

    @Test("a key defined twice is a syntax error naming the key and the line of the second")
    func duplicateKey() throws {
        let text = Self.base.replacingOccurrences(of: "batch_size = 100", with: "batch_size = 100\nbatch_size = 200")
        let issues = try #require(Self.issues(text), "accepted")
        let line = text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "batch_size = 200" }.map { $0 + 1 }
        #expect(issues.count == 1)
        #expect(issues.first?.line == line, "\(issues)")
        #expect(issues.first?.description.contains("line \(line ?? -1)") == true, "\(issues)")
        #expect(issues.first?.description.contains("batch_size") == true, "\(issues)")
    }

    @Test("a duration too long to count in milliseconds is an error, not a crash")
    func hugeDuration() throws {
        let mistake = Mistake(
            "huge duration", "flush_interval = \"100ms\"", "flush_interval = \"99999999999999999d\"",
            key: "ingest.flush_interval", message: "99999999999999999d")
        let issues = try #require(Self.issues(mistake.text), "accepted")
        #expect(issues.map(\.path) == ["ingest.flush_interval"])
        #expect(issues.first?.line == mistake.line)
        #expect(issues.first?.message.contains(mistake.message) == true, "\(issues)")
    }

    @Test("a missing file is named, with the reason")
    func missingFile() {
        let path = "/nonexistent-envmon-\(UInt32.random(in: 0...UInt32.max))/envmon.toml"
        do {
            _ = try EnvMonConfiguration.load(path: path)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.description == "\(path): cannot read the config file", "\(error)")
        }
    }

    @Test("an empty file, or one with only comments, is refused rather than run on defaults")
    func emptyFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "envmon-config-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in [("empty.toml", ""), ("comments.toml", "# nothing here yet\n\n")] {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                let configuration = try EnvMonConfiguration.load(path: path)
                Issue.record(
                    "\(name) was accepted: \(configuration.sensors.count) sensors, prefix \(configuration.topicPrefix)")
            } catch {
                #expect(error.description.contains(path), "\(error)")
                #expect(error.description.contains("empty"), "\(error)")
            }
        }
    }
}
