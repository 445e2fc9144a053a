import EnvMonCore
import EnvMonStore
import EnvMonWeb
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// Keeps what the console logs, so a test can see that failed logins are logged.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func add(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        Logger(label: "test.web") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            log.add("\(event.level) \(event.message) \(fields)")
        }
    }
}

@Suite("envmon serve: staff login, CSRF, throttling, acknowledgement through the request queue")
struct ConsoleAuthTests {
    static let user = "lan.nguyen"
    static let password = "đúng-mật-khẩu-2026"

    static func console(_ fixture: ConsoleFixture, log: CapturedLog) throws -> WebConsole {
        try StaffAccounts(path: fixture.configuration.web.usersFile).add(name: user, password: password, cost: 4)
        return WebConsole(
            configuration: fixture.configuration, store: try ConsoleStore(location: .sqlite(path: fixture.path)),
            logger: log.logger,
            now: { ConsoleFixture.now }, acknowledgementWait: .milliseconds(300))
    }

    /// The login form's token: its cookie and its hidden field.
    static func loginToken(_ client: ConsoleClient) async throws -> String {
        let page = try await client.get("/login?next=/alerts")
        let cookie = try #require(page.cookie("envmon_login_csrf"))
        #expect(page.body.contains("name=\"csrf\" value=\"\(cookie)\""))
        return cookie
    }

    static func logIn(_ client: ConsoleClient) async throws -> (session: String, csrf: String) {
        let token = try await loginToken(client)
        let answer = try await client.post(
            "/login", form: [("csrf", token), ("next", "/alerts"), ("user", user), ("password", password)],
            cookies: ["envmon_login_csrf": token])
        #expect(answer.status == 303)
        #expect(answer.headers["location"] == "/alerts")
        let session = try #require(answer.cookie("envmon_session"))
        let line = try #require(answer.setCookies.first { $0.hasPrefix("envmon_session=") })
        #expect(line.contains("HttpOnly") && line.contains("SameSite=Strict"))
        let page = try await client.get("/alerts", cookies: ["envmon_session": session])
        #expect(page.body.contains("<b>\(user)</b>"))
        let marker = "name=\"csrf\" value=\""
        let start = try #require(page.body.range(of: marker)?.upperBound)
        return (session, String(page.body[start...].prefix { $0 != "\"" }))
    }

    @Test("a right password opens a session; a wrong one is refused with 401 and logged")
    func login() async throws {
        let fixture = try ConsoleFixture()
        let log = CapturedLog()
        try await withRunningConsole(try Self.console(fixture, log: log)) { client in
            _ = try await Self.logIn(client)
            let token = try await Self.loginToken(client)
            let wrong = try await client.post(
                "/login", form: [("csrf", token), ("user", Self.user), ("password", "sai-mật-khẩu-rồi")],
                cookies: ["envmon_login_csrf": token])
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("id=\"login-problem\""))
            #expect(wrong.cookie("envmon_session") == nil)
        }
        #expect(log.all.contains { $0.hasPrefix("warning login failed") && $0.contains("user=\(Self.user)") })
        #expect(log.all.contains { $0.hasPrefix("notice login") })
    }

    @Test("a login without its form token is refused with 403, even with the right password")
    func loginNeedsToken() async throws {
        let fixture = try ConsoleFixture()
        try await withRunningConsole(try Self.console(fixture, log: CapturedLog())) { client in
            let missing = try await client.post("/login", form: [("user", Self.user), ("password", Self.password)])
            #expect(missing.status == 403 && missing.cookie("envmon_session") == nil)
            let token = try await Self.loginToken(client)
            let mismatched = try await client.post(
                "/login", form: [("csrf", token), ("user", Self.user), ("password", Self.password)],
                cookies: ["envmon_login_csrf": "another-token"])
            #expect(mismatched.status == 403 && mismatched.cookie("envmon_session") == nil)
        }
    }

    @Test("after five failures the sixth attempt is throttled with 429, the right password too")
    func throttled() async throws {
        let fixture = try ConsoleFixture()
        let log = CapturedLog()
        try await withRunningConsole(try Self.console(fixture, log: log)) { client in
            let token = try await Self.loginToken(client)
            for attempt in 1...5 {
                let answer = try await client.post(
                    "/login", form: [("csrf", token), ("user", Self.user), ("password", "đoán-lần-\(attempt)-sai")],
                    cookies: ["envmon_login_csrf": token])
                #expect(answer.status == 401)
            }
            let right = try await client.post(
                "/login", form: [("csrf", token), ("user", Self.user), ("password", Self.password)],
                cookies: ["envmon_login_csrf": token])
            #expect(right.status == 429)
            #expect(right.cookie("envmon_session") == nil)
        }
        #expect(log.all.contains { $0.contains("too many failures") })
    }

    @Test("an open redirect is not possible: next must be a path of this server")
    func nextIsLocal() {
        #expect(WebConsole.safeNext("//evil.example/") == "/")
        #expect(WebConsole.safeNext("https://evil.example/") == "/")
        #expect(WebConsole.safeNext("/\\evil.example") == "/")
        #expect(WebConsole.safeNext("/alerts") == "/alerts")
    }

    @Test("acknowledging needs a session and the session's form token; then it is queued for envmond")
    func acknowledge() async throws {
        let fixture = try ConsoleFixture()
        let log = CapturedLog()
        try await withRunningConsole(try Self.console(fixture, log: log)) { client in
            let form = [("alert_id", fixture.alertID), ("note", "đã báo đội tàu")]
            let anonymous = try await client.post("/alerts/ack", form: form + [("csrf", "x")])
            #expect(anonymous.status == 401)
            let (session, csrf) = try await Self.logIn(client)
            let noToken = try await client.post("/alerts/ack", form: form, cookies: ["envmon_session": session])
            #expect(noToken.status == 403)
            let wrongToken = try await client.post(
                "/alerts/ack", form: form + [("csrf", csrf + "x")], cookies: ["envmon_session": session])
            #expect(wrongToken.status == 403)
            #expect(try Self.requests(fixture).isEmpty, "nothing queued without the token")
            let accepted = try await client.post(
                "/alerts/ack", form: form + [("csrf", csrf)], cookies: ["envmon_session": session])
            #expect(accepted.status == 303)
            // No envmond runs here: the request waits in the queue the daemon reads.
            #expect(accepted.headers["location"]?.hasPrefix("/alerts?ack=queued") == true)
            let page = try await client.get(accepted.headers["location"]!, cookies: ["envmon_session": session])
            #expect(page.body.contains("id=\"ack-outcome\""))
        }
        let queued = try Self.requests(fixture)
        #expect(queued.count == 1)
        #expect(queued.first?.alertID == fixture.alertID && queued.first?.by == Self.user)
        #expect(queued.first?.note == "đã báo đội tàu" && queued.first?.status == "pending")
    }

    @Test("logging out needs the form token and ends the session")
    func logout() async throws {
        let fixture = try ConsoleFixture()
        try await withRunningConsole(try Self.console(fixture, log: CapturedLog())) { client in
            let (session, csrf) = try await Self.logIn(client)
            let forged = try await client.post("/logout", form: [], cookies: ["envmon_session": session])
            #expect(forged.status == 403)
            let out = try await client.post("/logout", form: [("csrf", csrf)], cookies: ["envmon_session": session])
            #expect(out.status == 303)
            let page = try await client.get("/alerts", cookies: ["envmon_session": session])
            #expect(!page.body.contains("<b>\(Self.user)</b>"))
        }
    }

    static func requests(_ fixture: ConsoleFixture) throws -> [AcknowledgementRequest] {
        let queries = try Store.open(.sqlite(path: fixture.path), for: .read).alerts
        return try (1...10).compactMap { try queries.acknowledgementRequest(id: Int64($0)) }
    }
}
