package import EnvMonConfig
package import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore
internal import HTTPTypes
package import Hummingbird
package import Logging
internal import SystemSupport

/// `envmon serve`: the console's pages and JSON API over a read-only store. One value holds
/// what every handler needs; `router()` wires the paths.
package struct WebConsole: Sendable {
    package let configuration: EnvMonConfiguration
    package let store: ConsoleStore
    let snapshots: SnapshotCache
    let accounts: StaffAccounts
    let sessions: SessionStore
    let throttle: LoginThrottle
    let logger: Logger
    let now: @Sendable () -> Timestamp
    /// How long an acknowledgement waits for envmond's answer before saying it is queued.
    let acknowledgementWait: Duration

    package init(
        configuration: EnvMonConfiguration, store: ConsoleStore, logger: Logger,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(milliseconds: WallClock.nowMilliseconds()) },
        acknowledgementWait: Duration = .seconds(5)
    ) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.now = now
        self.acknowledgementWait = acknowledgementWait
        snapshots = SnapshotCache(store: store, configuration: configuration, now: now)
        accounts = StaffAccounts(path: configuration.web.usersFile)
        sessions = SessionStore(lifetime: configuration.web.sessionLifetime)
        throttle = LoginThrottle()
    }

    package func router() -> Router<ConsoleRequestContext> {
        let router = Router(context: ConsoleRequestContext.self)
        router.add(middleware: ServerTimingMiddleware())
        addAPIRoutes(to: router)
        addPageRoutes(to: router)
        addAuthRoutes(to: router)
        router.get("/static/console.css") { _, _ in
            ConsoleResponse.make(StaticAssets.stylesheet, type: "text/css; charset=utf-8", cache: "max-age=3600")
        }
        router.get("/static/console.js") { _, _ in
            ConsoleResponse.make(
                StaticAssets.script, type: "text/javascript; charset=utf-8", cache: "max-age=3600")
        }
        return router
    }

    /// The HTTP server on `host:port`; `onServerRunning` learns the bound port (tests pass 0).
    package func application(
        host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "envmon"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Runs a handler body, turning a refusal into the API's JSON error.
    func api(_ body: () async throws -> JSONField) async -> Response {
        do {
            return ConsoleResponse.json(try await body())
        } catch let error as ConsoleError {
            return ConsoleResponse.json(error.json, status: error.status)
        } catch {
            logger.error("API request failed: \(error)")
            return ConsoleResponse.json(
                ConsoleError(status: .internalServerError, message: "the store could not answer: \(error)").json,
                status: .internalServerError)
        }
    }
}

/// `Server-Timing: app;dur=<ms>` on every answer: the benchmark reads the server's own time
/// from it, apart from the network and the client.
struct ServerTimingMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let elapsed = start.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        response.headers[HTTPField.Name("Server-Timing")!] = "app;dur=\((milliseconds * 1000).rounded() / 1000)"
        return response
    }
}
