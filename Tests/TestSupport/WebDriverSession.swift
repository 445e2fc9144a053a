package import Foundation
import Synchronization

/// One headless Chromium, driven through W3C WebDriver commands. Made by `ChromeDriver.newSession()`;
/// it keeps its ChromeDriver alive, so a session never outlives the server it talks to.
package final class WebDriverSession: Sendable {
    package let id: String
    package let driver: ChromeDriver
    /// This browser's fresh profile (`--user-data-dir`): every one of its processes names it.
    package let userDataDirectory: String

    private let deleted = Mutex(false)
    private var connection: WebDriverConnection { driver.connection }
    private var path: String { "/session/\(id)" }

    init(id: String, driver: ChromeDriver, userDataDirectory: String) {
        self.id = id
        self.driver = driver
        self.userDataDirectory = userDataDirectory
    }

    func command(_ method: String, _ subpath: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await connection.send(method, path + subpath, body)
    }

    // MARK: Pages

    /// Loads `url` and returns once the page has loaded (its `load` event; at most 30 s).
    package func navigate(to url: String) async throws {
        _ = try await command("POST", "/url", ["url": .string(url)])
    }

    package var currentURL: String {
        get async throws { try await command("GET", "/url").stringValue ?? "" }
    }

    package var title: String {
        get async throws { try await command("GET", "/title").stringValue ?? "" }
    }

    /// The page's DOM as HTML now (after its scripts ran), not the bytes the server sent.
    package var pageSource: String {
        get async throws { try await command("GET", "/source").stringValue ?? "" }
    }

    // MARK: Elements

    /// Every element that matches the CSS selector now, in document order; empty when none does.
    package func findElements(css selector: String) async throws -> [WebElement] {
        let value = try await command("POST", "/elements", ["using": "css selector", "value": .string(selector)])
        return try (value.arrayValue ?? []).map { try WebElement(reference: $0, session: self) }
    }

    /// The first element that matches the CSS selector; throws "no such element" naming the selector.
    package func findElement(css selector: String) async throws -> WebElement {
        let value = try await command("POST", "/element", ["using": "css selector", "value": .string(selector)])
        return try WebElement(reference: value, session: self)
    }

    /// Runs `script` as the body of a synchronous function (`arguments[0]` ... are `args`; a
    /// `WebElement`'s `reference` passes the element) and returns what it returns.
    @discardableResult
    package func executeScript(_ script: String, args: [JSONValue] = []) async throws -> JSONValue {
        try await command("POST", "/execute/sync", ["script": .string(script), "args": .array(args)])
    }

    // MARK: Waiting

    /// Polls `condition` every `poll` until it returns true, for pages that change without a reload
    /// (live updates, a form's answer). "no such element" and "stale element reference" thrown by
    /// the condition count as "not yet"; after `timeout` it throws a "timeout" WebDriverError that
    /// names `what`, the page and the last such error.
    package func waitUntil(
        _ what: String, timeout: Duration = .seconds(10), poll: Duration = .milliseconds(100),
        fileID: String = #fileID, line: Int = #line, _ condition: (WebDriverSession) async throws -> Bool
    ) async throws {
        var lastError: WebDriverError?
        do {
            try await TestSupport.waitUntil(what, timeout: timeout, pollEvery: poll, fileID: fileID, line: line) {
                do {
                    return try await condition(self)
                } catch let error as WebDriverError
                    where ["no such element", "stale element reference"].contains(error.error)
                {
                    lastError = error
                    return false
                }
            }
        } catch let timedOut as WaitTimeoutError {
            let page = (try? await currentURL) ?? "(unknown)"
            let last = lastError.map { "; last error: \($0.error): \($0.message)" } ?? ""
            throw WebDriverError(
                error: "timeout", message: "\(timedOut.description) on page \(page)\(last)", command: "waitUntil")
        }
    }

    /// Waits until an element matches the CSS selector and returns the first one.
    package func waitForElement(
        css selector: String, timeout: Duration = .seconds(10), fileID: String = #fileID, line: Int = #line
    ) async throws -> WebElement {
        var found: WebElement?
        try await waitUntil("an element matching \"\(selector)\"", timeout: timeout, fileID: fileID, line: line) {
            found = try await $0.findElements(css: selector).first
            return found != nil
        }
        return found!
    }

    // MARK: Screenshots and logs

    /// A PNG of the viewport.
    package func screenshot() async throws -> Data {
        let encoded = try await command("GET", "/screenshot").stringValue ?? ""
        guard let png = Data(base64Encoded: encoded) else {
            throw WebDriverError(
                error: "invalid response", message: "screenshot is not base64 (\(encoded.prefix(80))...)",
                command: "GET \(path)/screenshot")
        }
        return png
    }

    /// Takes a screenshot and writes it to `file` (creating its folder); returns the PNG.
    @discardableResult
    package func saveScreenshot(to file: String) async throws -> Data {
        let png = try await screenshot()
        let folder = (file as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try png.write(to: URL(fileURLWithPath: file))
        return png
    }

    /// The browser console's entries since the previous call (chromedriver hands each entry out once):
    /// console.log / console.error, uncaught exceptions, failed loads.
    package func browserLog() async throws -> [BrowserLogEntry] {
        // Chromium's own command (`goog:loggingPrefs`): W3C WebDriver has no log command.
        let value = try await command("POST", "/se/log", ["type": "browser"])
        return (value.arrayValue ?? []).map(BrowserLogEntry.init)
    }

    // MARK: Ending

    /// Closes the browser (chromedriver waits for it to exit). Idempotent. `ChromeDriver.stop()`
    /// kills whatever a failed test left behind, so tests need not call this on every path.
    package func deleteSession() async throws {
        let alreadyDeleted = deleted.withLock { deleted in
            defer { deleted = true }
            return deleted
        }
        guard !alreadyDeleted else { return }
        _ = try await connection.send("DELETE", path)
        // chromedriver answers once the browser process has exited; its helpers (zygotes, renderers)
        // follow a moment later. Whatever still runs after a while is killed: no test leaves a browser.
        let userDataDirectory = self.userDataDirectory
        do {
            try await TestSupport.waitUntil("the browser's processes to exit", timeout: .seconds(5)) {
                processes(mentioning: userDataDirectory).isEmpty
            }
        } catch {
            killProcesses(mentioning: userDataDirectory)
        }
    }
}

/// An element of the page, as WebDriver refers to it. It goes stale when the page changes (commands
/// then throw "stale element reference"): find it again rather than keep it across a navigation.
package struct WebElement: Sendable {
    /// The key under which WebDriver names an element in JSON (fixed by the W3C specification).
    static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    package let id: String
    package let session: WebDriverSession

    init(reference: JSONValue, session: WebDriverSession) throws {
        guard let id = reference[Self.referenceKey]?.stringValue else {
            throw WebDriverError(
                error: "invalid response", message: "not an element reference: \(reference)",
                command: "find element")
        }
        self.id = id
        self.session = session
    }

    /// The element as a script argument: `executeScript("return arguments[0].id", args: [button.reference])`.
    package var reference: JSONValue { [Self.referenceKey: .string(id)] }

    private func command(_ method: String, _ subpath: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await session.command(method, "/element/\(id)" + subpath, body)
    }

    /// The rendered text, as a user would read it (hidden parts left out).
    package var text: String {
        get async throws { try await command("GET", "/text").stringValue ?? "" }
    }

    /// The HTML attribute `name` (as in the markup), nil when the element has none.
    package func attribute(_ name: String) async throws -> String? {
        try await command("GET", "/attribute/\(name)").stringValue
    }

    /// The DOM property `name` (an input's current `value`, a checkbox's `checked`).
    package func property(_ name: String) async throws -> JSONValue {
        try await command("GET", "/property/\(name)")
    }

    /// Clicks the element's centre (scrolled into view). Waits for a navigation the click starts.
    package func click() async throws {
        _ = try await command("POST", "/click")
    }

    /// Types `text` into the element, key by key ("\u{E007}" is Enter).
    package func sendKeys(_ text: String) async throws {
        _ = try await command("POST", "/value", ["text": .string(text)])
    }

    /// Empties an input or textarea.
    package func clear() async throws {
        _ = try await command("POST", "/clear")
    }
}

/// One entry of the browser console.
package struct BrowserLogEntry: Sendable, CustomStringConvertible {
    /// "SEVERE" (console.error, uncaught exceptions, failed loads), "WARNING", "INFO", "DEBUG".
    package var level: String
    /// Where it came from and what it said: `http://127.0.0.1:PORT/ 12:16 "the text"`.
    package var message: String
    /// "console-api", "javascript", "network", ...
    package var source: String
    /// Milliseconds since 1970.
    package var timestamp: Double

    package var isError: Bool { level == "SEVERE" }

    init(_ entry: JSONValue) {
        level = entry["level"]?.stringValue ?? ""
        message = entry["message"]?.stringValue ?? ""
        source = entry["source"]?.stringValue ?? ""
        timestamp = entry["timestamp"]?.doubleValue ?? 0
    }

    package var description: String { "\(level) [\(source)] \(message)" }
}
