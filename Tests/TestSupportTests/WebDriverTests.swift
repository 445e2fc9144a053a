import Foundation
import TestSupport
import Testing

/// The WebDriver client against a real chromedriver and headless Chromium, on pages from a real
/// HTTP server: what the web console's browser tests will lean on. Every test has its own server,
/// chromedriver port and browser profile, so they could run in parallel; they run one at a time
/// because a browser keeps a core busy for a second or two, and eight at once on a 2-core box take
/// as long in all and slow every other suite down. `twoBrowsersSideBySideShareNothing` runs two at once.
@Suite(.serialized) struct WebDriverTests {
    static let vietnameseName = "Nguyễn Văn Á"

    @Test func findsTheThreeSiteMarkersOfTheMap() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        #expect(try await rig.browser.title == "Bản đồ trạm")
        let markers = try await rig.browser.findElements(css: "svg#map circle.site")
        #expect(markers.count == 3)
        #expect(try await markers.first?.attribute("fill") == "#2a7")
        #expect(try await markers.first?.attribute("data-missing") == nil)
        let counted = try await rig.browser.executeScript(
            "return document.querySelectorAll(arguments[0]).length", args: ["circle.site"])
        #expect(counted.intValue == 3)
        let tag = try await rig.browser.executeScript("return arguments[0].tagName", args: [markers[2].reference])
        #expect(tag.stringValue == "circle")
    }

    @Test func waitsForAnElementThatAppearsWithoutAReload() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        // A mark on this document: still there at the end only if the page was never reloaded.
        try await rig.browser.executeScript("window.sameDocument = true")
        #expect(try await rig.browser.findElements(css: "li.alert").isEmpty)
        try await rig.browser.findElement(css: "#later").click()
        let alert = try await rig.browser.waitForElement(css: "li.alert", timeout: .seconds(10))
        #expect(try await alert.text == "new")
        #expect(try await rig.browser.executeScript("return window.sameDocument === true").boolValue == true)
    }

    @Test func typesVietnameseIntoTheFormAndSubmitsIt() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        let input = try await rig.browser.findElement(css: "#name")
        try await input.sendKeys("typed, then cleared")
        try await input.clear()
        #expect(try await input.property("value") == "")
        try await input.sendKeys(Self.vietnameseName)
        #expect(try await input.property("value").stringValue == Self.vietnameseName)
        try await rig.browser.findElement(css: "#submit").click()

        try await rig.browser.waitUntil("the result page") { try await $0.currentURL.contains("/result.html") }
        let result = try await rig.browser.waitForElement(css: "#result")
        #expect(try await result.text == Self.vietnameseName)
        // The form sent the name as UTF-8, percent-encoded.
        #expect(try await rig.browser.currentURL.hasSuffix("?name=Nguy%E1%BB%85n+V%C4%83n+%C3%81"))
        #expect(try await rig.browser.pageSource.contains("<span id=\"result\">\(Self.vietnameseName)</span>"))
    }

    @Test func savesAScreenshotAsPNG() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        let output = try TemporaryDirectory(prefix: "envmon-webdriver-test")
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        let file = output.file("screenshots/index.png")
        let returned = try await rig.browser.saveScreenshot(to: file)
        let png = try #require(FileManager.default.contents(atPath: file))
        #expect(png == returned)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png.count > 1024)
        // IHDR, the first chunk, holds the width (big-endian, bytes 16..<20): the window's 1280 pixels.
        let width = png.dropFirst(16).prefix(4).reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280)
    }

    @Test func aMissingElementIsAClearError() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        let missing = await #expect(throws: WebDriverError.self) {
            try await rig.browser.findElement(css: ".no-such-marker")
        }
        #expect(missing?.error == "no such element")
        #expect(missing?.message.contains(".no-such-marker") == true)
        #expect(missing?.httpStatus == 404)

        let timedOut = await #expect(throws: WebDriverError.self) {
            try await rig.browser.waitForElement(css: ".no-such-marker", timeout: .milliseconds(300))
        }
        #expect(timedOut?.error == "timeout")
        let message = timedOut?.message ?? ""
        #expect(message.contains("an element matching \".no-such-marker\""), "\(message)")
        #expect(message.contains(rig.site.url("/index.html")), "\(message)")
        #expect(message.contains("WebDriverTests.swift"), "\(message)")
    }

    @Test func theBrowserLogHoldsWhatThePageLoggedWithConsoleError() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        #expect(try await rig.browser.browserLog().filter(\.isError).isEmpty)
        try await rig.browser.navigate(to: rig.site.url("/broken.html"))
        let errors = try await rig.browser.browserLog().filter(\.isError)
        #expect(errors.contains { $0.message.contains("sensor map failed: test error 42") }, "\(errors)")
    }

    @Test func stopLeavesNoBrowserProcessBehind() async throws {
        let rig = try await BrowserRig()
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        let profile = rig.browser.userDataDirectory
        // The pattern finds the running browser: its absence afterwards means something.
        #expect(try await pgrep(profile).count >= 2)
        rig.stop()
        #expect(try await pgrep(profile) == [])
        #expect(try await pgrep(rig.chrome.directory.path) == [])
        #expect(kill(rig.chrome.pid, 0) == -1)
    }

    @Test func deleteSessionClosesTheBrowserAndTheDriverStartsAnother() async throws {
        let rig = try await BrowserRig()
        defer { rig.stop() }
        try await rig.browser.navigate(to: rig.site.url("/index.html"))
        try await rig.browser.deleteSession()
        #expect(try await pgrep(rig.browser.userDataDirectory) == [])
        try await rig.browser.deleteSession()  // a second time changes nothing

        let second = try await rig.chrome.newSession()
        #expect(second.userDataDirectory != rig.browser.userDataDirectory)
        try await second.navigate(to: rig.site.url("/result.html?name=hai"))
        #expect(try await second.findElement(css: "#result").text == "hai")
        try await second.deleteSession()
    }

    @Test func twoBrowsersSideBySideShareNothing() async throws {
        let site = try await StaticFileServer(files: sitePages)
        defer { site.stop() }
        async let first = ChromeDriver()
        async let second = ChromeDriver()
        let drivers = try await [first, second]
        defer { drivers.forEach { $0.stop() } }
        #expect(drivers[0].port != drivers[1].port)
        async let firstBrowser = drivers[0].newSession()
        async let secondBrowser = drivers[1].newSession()
        let browsers = try await [firstBrowser, secondBrowser]
        #expect(browsers[0].userDataDirectory != browsers[1].userDataDirectory)

        // Same origin in both: only separate profiles keep what one stores from the other.
        for browser in browsers { try await browser.navigate(to: site.url("/index.html")) }
        try await browsers[0].executeScript("localStorage.setItem('seen', 'yes')")
        #expect(try await browsers[0].executeScript("return localStorage.getItem('seen')") == "yes")
        #expect(try await browsers[1].executeScript("return localStorage.getItem('seen')") == nil)
        // --lang=vi: the pages see a Vietnamese browser.
        #expect(try await browsers[1].executeScript("return navigator.language") == "vi")
    }

    @Test func aMissingChromedriverNamesTheDebianPackages() async throws {
        let error = await #expect(throws: TestSupportError.self) {
            try await ChromeDriver(executable: "/nonexistent/chromedriver")
        }
        #expect(error?.description.contains("chromium chromium-driver") == true)
    }
}

/// This test's own static site, chromedriver and browser.
struct BrowserRig {
    let site: StaticFileServer
    let chrome: ChromeDriver
    let browser: WebDriverSession

    init() async throws {
        site = try await StaticFileServer(files: sitePages)
        chrome = try await ChromeDriver()
        browser = try await chrome.newSession()
    }

    func stop() {
        chrome.stop()
        site.stop()
    }
}

/// The pids `pgrep -f pattern` lists (none: pgrep exits 1).
func pgrep(_ pattern: String) async throws -> [Int32] {
    let result = try await runProcess("/usr/bin/pgrep", ["-f", pattern])
    return result.stdout.split(separator: "\n").compactMap { Int32($0) }
}

/// The site: a map with three markers, a button that adds an alert a second later, a form whose
/// GET lands on a page showing what was typed, and a page that logs an error.
/// Each page has an empty icon: a missing favicon.ico would be an error in the browser log.
let sitePages = [
    "index.html": """
    <!doctype html>
    <html lang="vi">
    <head><meta charset="utf-8"><title>Bản đồ trạm</title><link rel="icon" href="data:,"></head>
    <body>
    <svg id="map" width="300" height="120" viewBox="0 0 300 120">
      <circle class="site" cx="50" cy="60" r="20" fill="#2a7"/>
      <circle class="site" cx="150" cy="60" r="20" fill="#e90"/>
      <circle class="site" cx="250" cy="60" r="20" fill="#d33"/>
    </svg>
    <button id="later" type="button">Cảnh báo sau một giây</button>
    <ul id="alerts"></ul>
    <form action="result.html" method="get">
      <input id="name" name="name" type="text">
      <button id="submit" type="submit">Gửi</button>
    </form>
    <script>
    document.getElementById("later").addEventListener("click", function () {
      setTimeout(function () {
        var item = document.createElement("li");
        item.className = "alert";
        item.textContent = "new";
        document.getElementById("alerts").appendChild(item);
      }, 1000);
    });
    </script>
    </body>
    </html>
    """,
    "result.html": """
    <!doctype html>
    <html lang="vi">
    <head><meta charset="utf-8"><title>Kết quả</title><link rel="icon" href="data:,"></head>
    <body>
    <p>Xin chào <span id="result"></span></p>
    <script>
    document.getElementById("result").textContent = new URLSearchParams(location.search).get("name");
    </script>
    </body>
    </html>
    """,
    "broken.html": """
    <!doctype html>
    <html>
    <head><meta charset="utf-8"><title>Lỗi</title><link rel="icon" href="data:,"></head>
    <body><script>console.error("sensor map failed: test error " + 42);</script></body>
    </html>
    """,
]
