import EnvMonCore
import EnvMonWeb
import Foundation
import TestSupport
import Testing

@Suite("envmon serve's pages, in-process over a real SQLite file")
struct ConsolePageTests {
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The number in `data-points="N"` of the first SVG after `marker`.
    static func points(after marker: String, in text: String) -> Int? {
        guard let start = text.range(of: marker)?.upperBound,
            let attribute = text[start...].range(of: "data-points=\"")
        else { return nil }
        return Int(text[attribute.upperBound...].prefix { $0.isNumber })
    }

    @Test("the overview puts every configured site on the map, coloured by its state, with the list beside it")
    func overview() async throws {
        let fixture = try ConsoleFixture()
        let page = try await withRunningConsole(try fixture.console()) { try await $0.get("/") }
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        for site in fixture.configuration.sites {
            #expect(page.body.contains("data-site=\"\(site.id)\""), "\(site.id) on the map")
        }
        #expect(page.body.contains("class=\"site state-alert\" data-site=\"cat_ba_town\""))
        #expect(page.body.contains("class=\"site state-stale\" data-site=\"cat_co\""))
        #expect(Self.count("class=\"site-row\"", in: page.body) == 5)
        #expect(page.body.contains("data-alert-id=\"\(fixture.alertID)\""))
        #expect(page.body.contains("<html lang=\"vi\">") && page.body.contains("Tổng quan"))
        #expect(page.body.utf8.count < 300_000)
    }

    @Test("a site shows each metric's latest value, unit, QC flag, age, QCVN reference and a 24-hour sparkline")
    func site() async throws {
        let fixture = try ConsoleFixture()
        let page = try await withRunningConsole(try fixture.console()) { try await $0.get("/sites/lan_ha") }
        #expect(page.status == 200)
        #expect(page.body.contains("data-value-of=\"lh-wq-01|do\">4.2</td><td>mg/L</td>"))
        #expect(page.body.contains("data-quality-of=\"lh-wq-01|do\">đạt</td>"))
        #expect(page.body.contains("≥ 5 (1h)"))
        #expect(page.body.contains("class=\"exceeded\""))
        let sparkline = try #require(Self.points(after: "data-value-of=\"lh-wq-01|do\"", in: page.body))
        #expect(sparkline >= 24)
    }

    @Test("a series chart: buckets of the right roll-up, the failed reading marked, thresholds drawn, CSV of it")
    func series() async throws {
        let fixture = try ConsoleFixture()
        let (day, year, csv, unknown) = try await withRunningConsole(try fixture.console()) { client in
            (
                try await client.get("/series/lh-wq-01/do?range=24h"),
                try await client.get("/series/lh-wq-01/do?range=1y"),
                try await client.get("/series/lh-wq-01/do.csv?range=24h"), try await client.get("/series/lh-wq-01/ph")
            )
        }
        #expect(day.status == 200)
        let dayPoints = try #require(Self.points(after: "<figure class=\"chart\">", in: day.body))
        #expect(dayPoints == 1440)
        #expect(Self.count("qc-fail", in: day.body) >= 1)
        #expect(day.body.contains("QCVN 10-MT:2015/BTNMT"))
        let yearPoints = try #require(Self.points(after: "<figure class=\"chart\">", in: year.body))
        #expect(yearPoints == 2)
        #expect(csv.status == 200 && csv.headers["content-type"] == "text/csv; charset=utf-8")
        let lines = csv.body.split(separator: "\n")
        #expect(lines.first == "ts,bucket,count,min,mean,max,unit")
        #expect(lines.count == 1 + 1440 + 1)
        #expect(lines.last?.contains(",qc_fail,1,,42,,mg/L") == true)
        #expect(unknown.status == 404 && unknown.body.contains("has no metric"))
    }

    @Test("alerts, air, health and alert history pages render what the store holds")
    func otherPages() async throws {
        let fixture = try ConsoleFixture()
        let id = ConsoleClient.encode(fixture.alertID)
        let (alerts, air, health, history, missing) = try await withRunningConsole(try fixture.console()) { client in
            (
                try await client.get("/alerts"), try await client.get("/air"), try await client.get("/health"),
                try await client.get("/alerts/\(id)"), try await client.get("/sites/hai_phong")
            )
        }
        #expect(alerts.status == 200 && alerts.body.contains("data-alert-id=\"\(fixture.alertID)\""))
        #expect(alerts.body.contains("Đăng nhập để xác nhận"))
        #expect(air.status == 200 && air.body.contains("data-sensor=\"cb-air-01\""))
        #expect(air.body.contains("<span class=\"aqi-badge\" style=\"background:#FF0000\">151</span>"))
        #expect(Self.count("<td class=\"aqi\"", in: air.body) == 3)
        #expect(health.status == 200 && health.body.contains("<td>undecodable</td><td class=\"num\">1</td>"))
        #expect(health.body.contains("readings_stored"))
        #expect(history.status == 200 && history.body.contains("id=\"alert-history\""))
        #expect(missing.status == 404 && missing.body.contains("hai_phong"))
    }

    @Test("English on request, remembered in a cookie; Vietnamese by default")
    func language() async throws {
        let fixture = try ConsoleFixture()
        let (english, remembered) = try await withRunningConsole(try fixture.console()) { client in
            let english = try await client.get("/?lang=en")
            let cookie = try #require(english.cookie("envmon_lang"))
            return (english, try await client.get("/health", cookies: ["envmon_lang": cookie]))
        }
        #expect(english.body.contains("<html lang=\"en\">") && english.body.contains("Overview"))
        #expect(remembered.body.contains("System health"))
    }
}
