import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

/// The whole chain as an operator sees it: the simulator feeds a real broker, the real envmond
/// stores, a real `envmon serve` serves, and Debian's headless Chromium looks. Screenshots of each
/// page go to `.build/screenshots/` (the README shows two of them).
@Suite("the web console in a real browser", .serialized)
struct ConsoleBrowserTests {
    static let user = "lan.nguyen"
    static let password = "mật-khẩu-thử-nghiệm-2026"
    static let screenshots = BuiltProduct.repositoryPath(".build/screenshots")

    /// A DO rule on one sensor, quick to fire, so the test can raise an alert while a page is open.
    static let rule = """
        [[alerts]]
        id = "do_low_browser"
        kind = "below"
        metric = "do"
        sensors = "lh-wq-01"
        threshold = 5.0
        clear = 5.3
        for = "1s"
        severity = "critical"
        basis = "QCVN 10-MT:2015/BTNMT, nuôi trồng thủy sản: DO ≥ 5 mg/L"
        """

    @Test("map, site, chart, live alert, acknowledgement through the form, every page on screen")
    func operatorsDay() async throws {
        let directory = try TemporaryDirectory(prefix: "envmon-browser")
        let broker = try await MosquittoBroker()
        let config = try Self.config(directory: directory)
        let database = directory.file("envmon.db")
        let envmond = try ChildProcess(
            BuiltProduct.executable("envmond"), ["--config", config, "--broker", broker.url, "--db", database],
            outputDirectory: directory.path)
        defer { envmond.send(SIGTERM) }
        try await waitUntil("envmond subscribed", timeout: .seconds(20)) {
            envmond.stderrSoFar.contains("MQTT subscribed") || !envmond.isRunning
        }
        // Two hours of the network replayed in about ten seconds.
        let simulator = try await runProcess(
            BuiltProduct.executable("envmon-sim"),
            [
                "run", "--config", config, "--broker", broker.url, "--seed", "16", "--start=-2h", "--time-scale", "720",
                "--span", "2h", "--format", "json",
            ], timeout: .seconds(120))
        #expect(simulator.succeeded, "\(simulator.stderr)")
        try await waitUntil("the replay stored", timeout: .seconds(30)) {
            let count = try? Store.open(.sqlite(path: database), for: .read).readings
                .count(from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: Int64.max / 2))
            return (count ?? 0) > 1000
        }
        let users = directory.file("web-users")
        let passwordFile = try directory.write("password", Self.password + "\n")
        let added = try await runProcess(
            BuiltProduct.executable("envmon"),
            ["users", "add", Self.user, "--users-file", users, "--password-file", passwordFile])
        #expect(added.succeeded, "\(added.stderr)")

        let port = try freeLoopbackPort()
        let serve = try ChildProcess(
            BuiltProduct.executable("envmon"),
            ["serve", "--config", config, "--db", database, "--listen", "127.0.0.1:\(port)", "--users-file", users],
            outputDirectory: directory.path)
        defer { serve.send(SIGTERM) }
        try await waitUntil("envmon serve listening", timeout: .seconds(20)) {
            serve.stderrSoFar.contains("listening on http://127.0.0.1:\(port)") || !serve.isRunning
        }
        #expect(serve.isRunning, "\(serve.stderrSoFar)")
        let base = "http://127.0.0.1:\(port)"
        try FileManager.default.createDirectory(atPath: Self.screenshots, withIntermediateDirectories: true)

        let chrome = try await ChromeDriver()
        defer { chrome.stop() }
        let browser = try await chrome.newSession(extraArguments: ["--window-size=1366,900"])

        // The overview: every configured site on the map.
        try await browser.navigate(to: base + "/")
        let markers = try await browser.findElements(css: "figure.map svg g.site")
        #expect(markers.count == 10, "the ten sites of Config/envmon.toml")
        var mapped: Set<String> = []
        for marker in markers { if let site = try await marker.attribute("data-site") { mapped.insert(site) } }
        #expect(mapped.contains("lan_ha") && mapped.contains("cat_ba_town") && mapped.contains("lach_huyen"))
        try await browser.saveScreenshot(to: Self.screenshots + "/console-overview.png")

        // A site: values and sparklines.
        try await browser.navigate(to: base + "/sites/lan_ha")
        let value = try await browser.findElement(css: "[data-value-of='lh-wq-01|do']")
        #expect(Double(try await value.text) != nil)
        try await browser.saveScreenshot(to: Self.screenshots + "/console-site.png")

        // A chart with points.
        try await browser.navigate(to: base + "/series/lh-wq-01/do?range=24h")
        let chart = try await browser.findElement(css: "figure.chart svg")
        let points = Int(try await chart.attribute("data-points") ?? "") ?? 0
        #expect(points > 60, "two hours of minute buckets")
        #expect(try await browser.findElements(css: "figure.chart polyline.mean").count >= 1)
        try await browser.saveScreenshot(to: Self.screenshots + "/console-series.png")

        // Air and health.
        try await browser.navigate(to: base + "/air")
        #expect(try await browser.findElements(css: "section.air-station").count >= 1)
        try await browser.saveScreenshot(to: Self.screenshots + "/console-air.png")
        try await browser.navigate(to: base + "/health")
        #expect(try await browser.findElements(css: "table#figures tr").count > 5)
        try await browser.saveScreenshot(to: Self.screenshots + "/console-health.png")

        // Log in through the form.
        try await browser.navigate(to: base + "/login?next=/alerts")
        try await browser.saveScreenshot(to: Self.screenshots + "/console-login.png")
        try await browser.findElement(css: "input[name=user]").sendKeys(Self.user)
        try await browser.findElement(css: "input[name=password]").sendKeys(Self.password)
        try await browser.findElement(css: "form.login button").click()
        try await browser.waitUntil("logged in on the alerts page", timeout: .seconds(10)) { browser in
            let onAlerts = try await browser.currentURL.hasSuffix("/alerts")
            let named = try await browser.findElements(css: ".who b")
            return onAlerts && !named.isEmpty
        }

        // An alert raised now appears on the open page without a reload.
        try await browser.executeScript("window.sameDocument = true")
        let publisher = try MQTTClient(
            configuration: MQTTConfiguration(broker: try MQTTBrokerURL(broker.url), clientID: "browser-test-pub"),
            onMessage: { _ in })
        try publisher.start()
        defer { publisher.stop() }
        try await waitUntil("publisher connected", timeout: .seconds(10)) { publisher.isConnected }
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "3.9", qos: 1)
        let row = try await browser.waitForElement(
            css: "#active-alerts tr[data-alert-id^='do_low_browser:lh-wq-01:']", timeout: .seconds(20))
        #expect(try await browser.executeScript("return window.sameDocument === true").boolValue == true)
        let alertID = try #require(try await row.attribute("data-alert-id"))
        try await browser.saveScreenshot(to: Self.screenshots + "/console-alerts.png")

        // Acknowledge through the form: envmond applies it and the page says so.
        let note = try await browser.findElement(
            css: "#active-alerts tr[data-alert-id='\(alertID)'] form.ack input[name=note]")
        try await note.sendKeys("Đã báo đội tàu kiểm tra lồng")
        try await browser.findElement(css: "#active-alerts tr[data-alert-id='\(alertID)'] form.ack button").click()
        let outcome = try await browser.waitForElement(css: "#ack-outcome", timeout: .seconds(15))
        #expect(try await outcome.attribute("class") == "flash applied")
        let stored = try Store.open(.sqlite(path: database), for: .read).alerts.alert(id: alertID)
        #expect(stored?.acknowledgedBy == Self.user)
        #expect(stored?.acknowledgementNote == "Đã báo đội tàu kiểm tra lồng")
        #expect(envmond.stderrSoFar.contains("acknowledged"))
        try await browser.saveScreenshot(to: Self.screenshots + "/console-acknowledged.png")

        let errors = try await browser.browserLog().filter(\.isError)
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        try await browser.deleteSession()
    }

    /// The shipped config with quick evaluation, the test's rule and its users file.
    static func config(directory: TemporaryDirectory) throws -> String {
        var text = try String(contentsOfFile: BuiltProduct.repositoryPath("Config/envmon.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "statistics_interval = \"5s\"", with: "statistics_interval = \"200ms\"")
        text = text.replacingOccurrences(of: "evaluation_interval = \"1s\"", with: "evaluation_interval = \"200ms\"")
        return try directory.write("envmon.toml", text + "\n" + rule + "\n")
    }
}
