internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import HTTPTypes
internal import Hummingbird

/// Login, logout and the acknowledgement form: the only requests that change anything. Reading
/// is open; these need a staff account, a form token (CSRF), and failed logins are throttled.
extension WebConsole {
    func addAuthRoutes(to router: Router<ConsoleRequestContext>) {
        router.get("/login") { request, _ in
            let query = FormFields(request.uri.query ?? "")
            return self.loginPage(request, next: Self.safeNext(query["next"]), problem: nil)
        }
        router.post("/login") { request, context in
            let form = await Self.form(request, context: context)
            let cookies = CookieHeader.parse(request.headers[.cookie] ?? "")
            let next = Self.safeNext(form?["next"])
            guard let form, CSRFToken.matches(cookie: cookies[Self.loginTokenCookie], form: form["csrf"]) else {
                self.logger.warning("login refused: missing or wrong form token", metadata: ["peer": "\(context.peer)"])
                return self.refusal(
                    request, status: .forbidden, "the form token is missing or wrong: reload the login page")
            }
            let user = form["user"] ?? ""
            let password = form["password"] ?? ""
            if let wait = self.throttle.check(address: context.peer, user: user) {
                self.logger.warning(
                    "login refused: too many failures",
                    metadata: ["user": "\(user.prefix(64))", "peer": "\(context.peer)", "wait": "\(wait)"])
                return self.loginPage(request, next: next, problem: .throttled, status: .tooManyRequests)
            }
            let accounts = self.accounts
            // bcrypt costs ~0.25 s: off the event loops like the store's calls.
            let valid =
                (try? await self.store.run { _ in try accounts.verify(name: user, password: password) }) ?? false
            guard valid else {
                self.throttle.recordFailure(address: context.peer, user: user)
                self.logger.warning(
                    "login failed", metadata: ["user": "\(user.prefix(64))", "peer": "\(context.peer)"])
                return self.loginPage(request, next: next, problem: .failed, status: .unauthorized)
            }
            self.throttle.recordSuccess(address: context.peer, user: user)
            let session = self.sessions.create(user: user)
            self.logger.notice("login", metadata: ["user": "\(user)", "peer": "\(context.peer)"])
            return ConsoleResponse.redirect(
                next,
                extra: [
                    (.setCookie, self.cookie(Self.sessionCookie, session.id, maxAge: self.lifetime)),
                    (.setCookie, self.cookie(Self.loginTokenCookie, "", maxAge: .zero)),
                ])
        }
        router.post("/logout") { request, context in
            let cookies = CookieHeader.parse(request.headers[.cookie] ?? "")
            let form = await Self.form(request, context: context)
            if let id = cookies[Self.sessionCookie], let session = self.sessions.session(id: id) {
                guard constantTimeEquals(session.csrfToken, form?["csrf"] ?? "") else {
                    return self.refusal(request, status: .forbidden, "the form token is missing or wrong")
                }
                self.sessions.destroy(id: id)
                self.logger.notice("logout", metadata: ["user": "\(session.user)"])
            }
            return ConsoleResponse.redirect(
                "/", extra: [(.setCookie, self.cookie(Self.sessionCookie, "", maxAge: .zero))])
        }
        router.post("/alerts/ack") { request, context in
            await self.acknowledge(request, context: context)
        }
    }

    /// Queues the acknowledgement for envmond (the request queue `envmon alerts ack` uses), waits
    /// briefly for its answer, and shows the outcome on the alerts page.
    func acknowledge(_ request: Request, context: ConsoleRequestContext) async -> Response {
        let cookies = CookieHeader.parse(request.headers[.cookie] ?? "")
        guard let id = cookies[Self.sessionCookie], let session = sessions.session(id: id) else {
            return refusal(request, status: .unauthorized, "log in to acknowledge alerts")
        }
        let form = await Self.form(request, context: context)
        guard let form, constantTimeEquals(session.csrfToken, form["csrf"] ?? "") else {
            logger.warning(
                "acknowledgement refused: missing or wrong form token", metadata: ["user": "\(session.user)"])
            return refusal(request, status: .forbidden, "the form token is missing or wrong: reload the alerts page")
        }
        let alertID = form["alert_id"] ?? ""
        let note = form["note"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        guard !alertID.isEmpty, alertID.count <= 300 else {
            return refusal(request, status: .badRequest, "no alert named in the form")
        }
        if let note, note.count > 1000 {
            return refusal(request, status: .badRequest, "the note is limited to 1000 characters")
        }
        do {
            guard let alert = try await store.run({ try $0.alerts.alert(id: alertID) }) else {
                return refusal(request, status: .notFound, "no alert \(alertID)")
            }
            guard alert.state.isActive, alert.acknowledgedBy == nil else {
                return ConsoleResponse.redirect(
                    "/alerts?ack=refused&detail="
                        + PageLayout.percentEncode("alert \(alertID) is not active or already acknowledged"))
            }
            let requestID = try await store.requestAcknowledgement(
                alertID: alertID, by: session.user, note: note, at: now())
            logger.notice(
                "acknowledgement queued",
                metadata: ["alert": "\(alertID)", "user": "\(session.user)", "request": "\(requestID)"])
            let deadline = ContinuousClock.now.advanced(by: acknowledgementWait)
            while ContinuousClock.now < deadline {
                if let result = try await store.run({ try $0.alerts.acknowledgementRequest(id: requestID) }),
                    result.status != "pending"
                {
                    let outcome = result.status == "applied" ? "applied" : "refused"
                    return ConsoleResponse.redirect(
                        "/alerts?ack=\(outcome)&detail=" + PageLayout.percentEncode(result.detail ?? alertID))
                }
                // envmond applies requests between ingest batches, within about a second.
                try await Task.sleep(for: .milliseconds(100))
            }
            return ConsoleResponse.redirect("/alerts?ack=queued&detail=" + PageLayout.percentEncode(alertID))
        } catch {
            logger.error("acknowledgement of \(alertID) failed: \(error)")
            return refusal(request, status: .internalServerError, "the acknowledgement could not be queued: \(error)")
        }
    }

    func loginPage(
        _ request: Request, next: String, problem: LoginPage.Problem?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let (frame, _) = frame(request)
        let token = CSRFToken.issue()
        return ConsoleResponse.html(
            LoginPage.render(next: next, token: token, problem: problem, frame: frame), status: status,
            extra: [(.setCookie, cookie(Self.loginTokenCookie, token, maxAge: .seconds(3600)))])
    }

    func refusal(_ request: Request, status: HTTPResponse.Status, _ message: String) -> Response {
        errorPage(ConsoleError(status: status, message: message), frame: frame(request).frame)
    }

    func cookie(_ name: String, _ value: String, maxAge: Duration) -> String {
        maxAge == .zero
            ? CookieHeader.clearCookie(name: name, secure: configuration.web.secureCookie)
            : CookieHeader.setCookie(name: name, value: value, maxAge: maxAge, secure: configuration.web.secureCookie)
    }

    var lifetime: Duration { configuration.web.sessionLifetime }

    /// Only a path on this server: never an absolute URL another site could be.
    package static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 300 else {
            return "/"
        }
        return next
    }

    /// The urlencoded form of a POST, or nil when it is not one or too large.
    static func form(_ request: Request, context: ConsoleRequestContext) async -> FormFields? {
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") ?? false else { return nil }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: context.maxUploadSize) else { return nil }
        return FormFields(String(buffer: buffer))
    }
}
