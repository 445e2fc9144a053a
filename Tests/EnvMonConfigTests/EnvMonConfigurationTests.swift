import EnvMonConfig
import EnvMonCore
import Foundation
import Testing

@Suite("config loading and validation")
struct EnvMonConfigurationTests {
    static let shippedPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/envmon.toml").path

    static func shippedText() throws -> String { try String(contentsOfFile: shippedPath, encoding: .utf8) }

    @Test("the shipped Cát Hải config is valid and complete")
    func shippedConfig() throws {
        let configuration = try EnvMonConfiguration.load(path: Self.shippedPath)
        #expect(configuration.topicPrefix == "cathai")
        #expect(configuration.sites.count >= 8)
        #expect(configuration.sensors.count >= 12)
        for site in [
            "lan_ha", "ben_beo", "cat_co", "cat_ba_town", "gia_luan", "phu_long", "viet_hai", "cat_hai", "lach_huyen",
        ] {
            #expect(configuration.site(site) != nil, "site \(site)")
        }
        #expect(configuration.subscriptions.map(\.format) == [.plain, .auto])
        #expect(configuration.broker.protocolVersion == .v5)
        #expect(configuration.sensor("lh-do-02")?.aliases["temp"] == "water_temp")
        #expect(configuration.daemon.effectiveStateDirectory == "/var/lib/envmon")
    }

    @Test("site QC overrides reach the sensors at that site only")
    func siteOverride() throws {
        let configuration = try EnvMonConfiguration.load(path: Self.shippedPath)
        let phuLong = configuration.qualityControl.thresholds(for: SeriesKey(sensor: "pl-wq-01", metric: "salinity"))
        let lanHa = configuration.qualityControl.thresholds(for: SeriesKey(sensor: "lh-wq-01", metric: "salinity"))
        #expect(phuLong.suspectSpan == 2...36)
        #expect(phuLong.failSpan == 0...42, "fields not overridden keep the metric's value")
        #expect(lanHa.suspectSpan == 5...36)
    }

    @Test("every mistake is reported in one pass, by key and line")
    func everyMistakeNamed() throws {
        var text = try Self.shippedText()
        text = text.replacingOccurrences(of: "metrics = [\"pm25\", \"pm10\"]", with: "metrics = [\"pm25\", \"pm1O\"]")
        text = text.replacingOccurrences(of: "kind = \"beach\"", with: "kind = \"beech\"")
        text = text.replacingOccurrences(of: "batch_size = 2000 ", with: "batch_size = -5 ")
        text += "\n[sensors.qc.water_temp]\nfail_span = [40, 2]\nbogus = 1\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of fragment: String) -> Int { (lines.firstIndex { $0.contains(fragment) } ?? -1) + 1 }
        do {
            _ = try EnvMonConfiguration.parse(text, source: "bad.toml")
            Issue.record("a broken config was accepted")
        } catch {
            let found = error.issues.map(\.description)
            #expect(
                found == [
                    "line \(line(of: "batch_size = -5")): ingest.batch_size: must be between 1 and 100000, found -5",
                    "line \(line(of: "kind = \"beech\"")): sites[3].kind: \"beech\" is not one of \"aquaculture\", \"beach\", \"town\", \"port\", \"coast\", \"island\"",
                    "line \(line(of: "pm1O")): sensors[9].metrics[1]: unknown metric \"pm1O\"",
                    "line \(line(of: "fail_span = [40, 2]")): sensors[15].qc.water_temp.fail_span: low end 40.0 is above high end 2.0",
                    "line \(line(of: "bogus = 1")): sensors[15].qc.water_temp.bogus: unknown key",
                ])
        }
    }

    @Test("syntax errors name the line; a password in the config is refused without echoing it")
    func syntaxAndSecrets() {
        do {
            _ = try EnvMonConfiguration.parse("[broker]\npassword = \"s3cret\"\n", source: "x.toml")
            Issue.record("accepted a password")
        } catch {
            #expect(error.description.contains("broker.password: put the password in a file"))
            #expect(!error.description.contains("s3cret"), "a secret never appears in messages")
        }
        do {
            _ = try EnvMonConfiguration.parse("a = 1\n[broker\nurl = 1", source: "x.toml")
            Issue.record("accepted broken TOML")
        } catch {
            #expect(error.description.contains("x.toml: TOML syntax error at line 2"), "\(error)")
        }
    }

    @Test("cross references: unknown site, duplicate ids, unknown alias target, bad durations")
    func crossReferences() {
        let text = """
            [[sites]]
            id = "a"
            [[sensors]]
            id = "s1"
            site = "b"
            metrics = ["do"]
            aliases = { oxy = "oxygen_level" }
            interval = "soon"
            [[sensors]]
            id = "s1"
            site = "a"
            metrics = []
            """
        do {
            _ = try EnvMonConfiguration.parse(text, source: "x.toml")
            Issue.record("accepted")
        } catch {
            let messages = error.issues.map { "\($0.path): \($0.message)" }
            #expect(messages.contains("sensors[0].site: unknown site \"b\""))
            #expect(messages.contains("sensors[0].aliases.oxy: unknown metric \"oxygen_level\""))
            #expect(messages.contains { $0.hasPrefix("sensors[0].interval: \"soon\" is not a duration") })
            #expect(messages.contains("sensors[1].metrics: must list at least one metric"))
            #expect(messages.contains("sensors[1].id: duplicate id \"s1\""))
        }
    }

    @Test("durations as people write them")
    func durations() {
        #expect(DurationText.parse("100ms") == .milliseconds(100))
        #expect(DurationText.parse("15m") == .seconds(900))
        #expect(DurationText.parse("7d") == .seconds(7 * 86400))
        #expect(DurationText.parse("1.5h") == .seconds(5400))
        #expect(DurationText.parse("ten minutes") == nil)
        #expect(DurationText.parse("5 parsecs") == nil)
    }
}

@Suite("alert rules in the config")
struct AlertRuleConfigTests {
    @Test("the shipped rules are the built-in Cát Hải defaults, each with its basis")
    func shippedRules() throws {
        let configuration = try EnvMonConfiguration.load(path: EnvMonConfigurationTests.shippedPath)
        #expect(configuration.alertRules.count == DefaultAlertRules.catHai.count)
        for expected in DefaultAlertRules.catHai {
            let rule = configuration.alertRules.first { $0.id == expected.id }
            #expect(rule == expected, "rule \(expected.id) differs from the built-in default")
            #expect(rule?.basis.isEmpty == false)
        }
    }

    @Test("rule mistakes are named by key")
    func ruleMistakes() {
        let text = """
            [[alerts]]
            id = "x"
            kind = "below"
            metric = "do"
            basis = "b"
            [[alerts]]
            id = "y"
            kind = "sideways"
            metric = "do"
            basis = "b"
            [[alerts]]
            id = "z"
            kind = "aqi"
            category = "terrible"
            basis = "b"
            """
        do {
            _ = try EnvMonConfiguration.parse(text, source: "x.toml")
            Issue.record("accepted")
        } catch {
            let messages = error.issues.map { "\($0.path): \($0.message)" }
            #expect(messages.contains("alerts[0].threshold: is required for a \"below\" rule"), "\(messages)")
            #expect(messages.contains { $0.hasPrefix("alerts[1].kind: \"sideways\" is not one of") })
            #expect(messages.contains { $0.hasPrefix("alerts[2].category: \"terrible\" is not a VN_AQI category") })
        }
    }

    @Test("[store] url names a PostgreSQL store in place of [daemon] database")
    func storeURL() throws {
        let text = """
            config_version = 1
            [store]
            url = "postgres://envmon@db.example:5432/envmon?sslmode=verify-full&passfile=/etc/envmon/pgpass"
            """
        let configuration = try EnvMonConfiguration.parse(text, source: "store.toml")
        #expect(
            configuration.daemon.database
                == "postgres://envmon@db.example:5432/envmon?sslmode=verify-full&passfile=/etc/envmon/pgpass")
        #expect(configuration.daemon.effectiveStateDirectory == "/var/lib/envmon")
    }

}
