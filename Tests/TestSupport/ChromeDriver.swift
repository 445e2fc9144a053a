import Foundation
import Synchronization

/// A real chromedriver on a free loopback port, driving headless Chromium, for browser tests of the
/// web console. Everything it starts lives under its own temporary directory (a fresh profile per
/// session, Chromium's config and crash-report folders), so parallel tests share nothing, and
/// `stop()` can find and kill every process that belongs to it, even those no longer its children.
///
///     let chrome = try await ChromeDriver()
///     defer { chrome.stop() }
///     let browser = try await chrome.newSession()
///     try await browser.navigate(to: server.url("/"))
///     #expect(try await browser.findElements(css: "circle.site").count == 3)
package final class ChromeDriver: Sendable {
    package static let defaultExecutable = "/usr/bin/chromedriver"
    package static let defaultBrowserBinary = "/usr/bin/chromium"
    /// Where the packages come from, for the message when they are missing.
    static let debianPackages = "chromium chromium-driver"

    package let directory: TemporaryDirectory
    package let port: Int
    /// The Chromium that sessions start (`goog:chromeOptions.binary`).
    package let browserBinary: String

    let connection: WebDriverConnection
    private let child: ChildProcess
    private let sessionsStarted = Mutex(0)
    private let stopped = Mutex(false)

    /// Starts chromedriver and returns once `GET /status` says it is ready for sessions.
    /// Throws, naming the Debian packages to install, when chromedriver or Chromium is missing.
    package init(
        executable: String = ChromeDriver.defaultExecutable,
        browserBinary: String = ChromeDriver.defaultBrowserBinary, startTimeout: Duration = .seconds(20)
    ) async throws {
        for program in [executable, browserBinary] where !FileManager.default.isExecutableFile(atPath: program) {
            throw TestSupportError(
                "\(program) not found: browser tests need the Debian packages \(Self.debianPackages) "
                    + "(apt-get install \(Self.debianPackages); listed in scripts/apt-packages)")
        }
        let directory = try TemporaryDirectory(prefix: "envmon-chromedriver")
        // Chromium puts its crash-report database (and a crashpad handler that outlives the browser
        // as an orphan) under XDG_CONFIG_HOME, and an NSS database under HOME: keep both in our
        // directory, so that nothing is shared between tests and stop() can find the handler.
        let environment = [
            "HOME": directory.path, "XDG_CONFIG_HOME": directory.file("config"),
            "XDG_CACHE_HOME": directory.file("cache"),
        ]
        let (child, port) = try await launchOnFreeLoopbackPort(
            "chromedriver", timeout: startTimeout,
            launch: { port in
                try ChildProcess(
                    executable, ["--port=\(port)"], environment: environment, outputDirectory: directory.path)
            },
            ready: { $0.stdoutSoFar.contains("started successfully") })
        self.directory = directory
        self.port = port
        self.browserBinary = browserBinary
        self.child = child
        self.connection = WebDriverConnection(port: port)
        var lastAnswer = "no answer yet"
        do {
            let connection = self.connection
            try await waitUntil("chromedriver on port \(port) to report ready", timeout: startTimeout) {
                do {
                    let status = try await connection.send("GET", "/status", timeout: .seconds(5))
                    lastAnswer = "\(status)"
                    return status["ready"]?.boolValue == true
                } catch {
                    lastAnswer = "\(error)"
                    return false
                }
            }
        } catch {
            stop()
            throw TestSupportError("\(error); last /status: \(lastAnswer)\n--- chromedriver output ---\n\(output)")
        }
    }

    /// `http://127.0.0.1:PORT`, chromedriver's WebDriver endpoint.
    package var url: String { connection.baseURL }

    package var pid: Int32 { child.pid }

    /// What chromedriver logged so far (its start-up lines and warnings), for failure messages.
    package var output: String { child.stdoutSoFar + child.stderrSoFar }

    /// Starts headless Chromium with a fresh profile (`--user-data-dir` under `directory`) and
    /// returns its session. Pages see `language` as `navigator.language` and in Accept-Language.
    /// `extraArguments` follow the standard ones (a repeated switch wins: `--window-size=390,844`
    /// for a phone-sized window).
    package func newSession(language: String = "vi", extraArguments: [String] = []) async throws -> WebDriverSession {
        let number = sessionsStarted.withLock { count in
            count += 1
            return count
        }
        // "session-1-profile", not "profile-1": no profile's path is a prefix of another's ("profile-10"),
        // so a process that names one is never mistaken for one of another.
        let profile = directory.file("session-\(number)-profile")
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        let arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=\(language)", "--user-data-dir=\(profile)",
            ] + extraArguments
        let request: JSONValue = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    // A page that has not loaded in 30 s is a failure to report, not to wait out (300 s by default).
                    "timeouts": ["implicit": 0, "pageLoad": 30_000, "script": 30_000],
                    "goog:chromeOptions": [
                        "binary": .string(browserBinary), "args": .array(arguments.map(JSONValue.string)),
                        // On Linux --lang changes nothing the page sees (Chromium reads LANG, and Debian
                        // ships the UI translations apart, in chromium-l10n): the language preference does.
                        "prefs": ["intl.accept_languages": .string(language)],
                    ],
                    // Console messages and uncaught exceptions, for `browserLog()`.
                    "goog:loggingPrefs": ["browser": "ALL"],
                ]
            ]
        ]
        let value = try await connection.send("POST", "/session", request, timeout: .seconds(90))
        guard let id = value["sessionId"]?.stringValue else {
            throw WebDriverError(
                error: "invalid response", message: "no sessionId in \(value)", command: "POST /session")
        }
        return WebDriverSession(id: id, driver: self, userDataDirectory: profile)
    }

    /// Kills chromedriver, every browser it started and every process that mentions `directory`
    /// (Chromium's crashpad handlers are orphans by design: not descendants any more), then waits
    /// until they are gone. Idempotent; also run when the last reference goes away.
    package func stop() {
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        stopServer(child)
        killProcesses(mentioning: directory.path + "/")
    }

    deinit { stop() }
}

/// SIGKILLs every process whose command line contains `text` until none is left (or `timeout`
/// passes): a browser that was forking a renderer while we looked may start one more.
func killProcesses(mentioning text: String, timeout: Duration = .seconds(10)) {
    _ = waitUntilBlocking(timeout: timeout, pollEvery: .milliseconds(20)) {
        let survivors = processes(mentioning: text)
        for pid in survivors { kill(pid, SIGKILL) }
        return survivors.isEmpty
    }
}

/// The processes (other than this one) whose command line contains `text`, from /proc.
/// Zombies have an empty command line, so they never match: they are dead, only not yet reaped.
func processes(mentioning text: String) -> [Int32] {
    let ourself = getpid()
    return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
        guard let pid = Int32(entry), pid != ourself,
            let bytes = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
        else { return nil }
        // Arguments are separated by NUL bytes.
        let commandLine = String(decoding: bytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return commandLine.contains(text) ? pid : nil
    }
}
