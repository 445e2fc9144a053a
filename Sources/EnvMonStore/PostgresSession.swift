internal import Foundation
internal import Logging
internal import NIOCore
internal import NIOPosix
internal import NIOSSL
internal import PostgresNIO
internal import Synchronization

/// Connections to PostgreSQL used synchronously, as the store's callers use SQLite: a call
/// blocks its thread until the server answers. A writing session has one connection and its
/// calls are serialised (a transaction holds the connection from BEGIN to COMMIT), so the roles
/// sharing it see each other's commits in order, as the SQLite writer's roles share one
/// connection. A read-only session may hold several (the console's readers, as its SQLite pool
/// has): a call takes a free one, or waits for one, so one slow page does not hold up the rest.
///
/// The connection is made again when it is lost (the server restarted or crashed, the link cut):
/// the next call after a failure connects anew, and after a failed attempt the calls in the
/// following `retryDelay` fail at once with the same error (the delay doubles per failure up to
/// `maximumRetryDelay`), so the callers' retry loops do not hammer a server that is down. Such
/// errors are `isConnectionLost`; the caller decides whether to retry (the ingest keeps its batch,
/// see `Store.isTransient`). Nothing but the connection is per session: no prepared statements,
/// no `SET`, no temporary tables; the one session-level lock (an outbox target's sender lock) is
/// taken again by the next poll, so a new connection serves every role as the old one did.
///
/// Never called on an event loop: the daemon calls from its ingest and service threads, the
/// console from NIO's blocking pool. postgres-nio runs on its own event loop thread.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let state: Mutex<State>
    /// One permit per connection the session may hold: a call waits here for a free one.
    private let permits: DispatchSemaphore
    let maximumConnections: Int
    /// How long a statement may stay unanswered on a connection that is still open before the
    /// session gives the connection up as lost (nil: for as long as TCP keeps it open). A frozen
    /// server or a cut link closes nothing: without it a statement waits until TCP gives up.
    let answerDeadline: Duration?
    private static let logger = Logger(label: "envmon.store.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// The first wait after a failed connection attempt, doubled per failure up to the maximum.
    static let retryDelay: Duration = .milliseconds(250)
    static let maximumRetryDelay: Duration = .seconds(4)

    private struct State {
        /// Open connections no call holds. A lost one is dropped; the next call connects anew.
        var idle: [PostgresConnection] = []
        /// Connections made so far (the first one included): the next one's id in postgres-nio's logs.
        var connections = 0
        /// After a failed attempt: no new attempt before `until`; calls fail with `error`.
        var backoff: (until: ContinuousClock.Instant, delay: Duration, error: PostgresStoreError)?
    }

    /// Connects (and authenticates) or throws a `StoreError` naming the server and what to fix.
    /// `readOnly`: every transaction of the session is read-only (`default_transaction_read_only`,
    /// sent at connect, so a reconnected session is read-only too): the server refuses a write, as
    /// SQLite refuses one on a file opened read-only. `connections`: how many the session may
    /// hold at once (more than one only for a read-only session; made as calls need them).
    init(
        _ location: PostgresLocation, environment: [String: String], readOnly: Bool = false, connections: Int = 1,
        answerDeadline: Duration? = nil
    ) throws {
        precondition(connections >= 1 && (readOnly || connections == 1), "only a read-only session is pooled")
        self.location = location
        let password = try location.password(environment: environment)
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable:
                tls = .disable
            case .require:
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .none
                tls = .require(try NIOSSLContext(configuration: configuration))
            case .verifyFull:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw StoreError(.cannotOpen, "\(location): cannot set up TLS (\(error))")
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: tls)
        if readOnly { configuration.options.additionalStartupParameters = [("default_transaction_read_only", "on")] }
        self.configuration = configuration
        // The first connection is made here: a server that cannot be reached or refuses us at
        // start is the caller's error to report, not something to wait for.
        let connection = try Self.connect(configuration, location: location, id: 1)
        state = Mutex(State(idle: [connection], connections: 1))
        permits = DispatchSemaphore(value: connections)
        maximumConnections = connections
        self.answerDeadline = answerDeadline
    }

    deinit { close() }

    /// Ends the session's idle connections (all of them once no call runs); a later call would
    /// connect again.
    func close() {
        let connections = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        guard !connections.isEmpty else { return }
        // Bounded: a close that postgres-nio never completes (see `answer(to:on:)`) must not
        // hold up the process's exit.
        let closed = DispatchSemaphore(value: 0)
        for connection in connections { connection.close().whenComplete { _ in closed.signal() } }
        let deadline = DispatchTime.now() + .seconds(2)
        for _ in connections where closed.wait(timeout: deadline) == .timedOut { break }
    }

    /// How long a connection attempt may take, the login included. postgres-nio's own connect
    /// timeout covers the TCP connection only: a frozen server's kernel still accepts it, and
    /// the login then waits for ever (found freezing the server with SIGSTOP: the session's
    /// next connection attempt hung the daemon's whole store).
    static let connectDeadline: Duration = .seconds(10)

    private static func connect(
        _ configuration: PostgresConnection.Configuration, location: PostgresLocation, id: Int
    ) throws -> PostgresConnection {
        let attempt = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: id, logger: logger)
        let done = DispatchSemaphore(value: 0)
        attempt.whenComplete { _ in done.signal() }
        let seconds = connectDeadline.components.seconds
        if done.wait(timeout: .now() + .seconds(Int(seconds))) == .timedOut {
            // A connection it still makes (the server thawed) is closed at once.
            attempt.whenSuccess { discard($0) }
            throw PostgresStoreError(
                sqlState: nil,
                "\(location): cannot reach the server (no answer to the login within \(seconds) s); is PostgreSQL running there?",
                isConnectionLost: true)
        }
        do {
            return try attempt.wait()
        } catch {
            throw describe(error, location: location, connecting: true)
        }
    }

    /// An idle open connection, or a new one if none is (unless a recent attempt failed).
    private func openConnection(_ state: inout State) throws -> PostgresConnection {
        while let connection = state.idle.popLast() {
            if !connection.isClosed { return connection }
            // The server closed it (its end of the socket went away) since its last call.
            Self.discard(connection)
        }
        let now = ContinuousClock.now
        if let backoff = state.backoff, now < backoff.until { throw backoff.error }
        do {
            let connection = try Self.connect(configuration, location: location, id: state.connections + 1)
            state.connections += 1
            state.backoff = nil
            return connection
        } catch {
            let failure = Self.describe(error, location: location, connecting: true)
            let delay = min(state.backoff.map { $0.delay * 2 } ?? Self.retryDelay, Self.maximumRetryDelay)
            state.backoff = (now.advanced(by: delay), delay, failure)
            throw failure
        }
    }

    /// Runs `body` with a connection to itself (no other caller on it in between).
    func withConnection<Result>(_ body: (Connection) throws -> Result) throws -> Result {
        permits.wait()
        defer { permits.signal() }
        let connection = try state.withLock { try openConnection(&$0) }
        do {
            let result = try body(
                Connection(connection: connection, location: location, answerDeadline: answerDeadline))
            state.withLock { $0.idle.append(connection) }
            return result
        } catch {
            // A connection that broke under the call is not used again: the next call makes a
            // new one. (A server error, such as a constraint, leaves the connection usable.)
            if connection.isClosed || Self.isConnectionLost(error) {
                Self.discard(connection)
            } else {
                state.withLock { $0.idle.append(connection) }
            }
            throw error
        }
    }

    /// Closes a connection given up on without waiting for it (it is kept until closed).
    private static func discard(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// How long a query may stay unanswered once its connection has closed.
    static let closedConnectionGrace: Duration = .seconds(1)

    /// The future's result, waited for on this thread. Gives up (a lost connection, which the
    /// caller may retry on a new one) when it is still pending `closedConnectionGrace` after its
    /// connection closed: postgres-nio 1.33 can leave the promise of a statement sent as the
    /// server ends the connection unfulfilled for good (seen about once in 20 fast shutdowns
    /// under load: the server's FATAL 57P01 arrives, the socket is gone, the statement's future
    /// never completes); waiting for it would hold the session, and every role with it, until the
    /// daemon is killed. Gives up as well, closing the connection, when `deadline` has passed on a
    /// connection still open (a frozen server, a cut link).
    static func answer<Value: Sendable>(
        to future: EventLoopFuture<Value>, on connection: PostgresConnection, deadline: Duration?,
        location: PostgresLocation
    ) throws -> Value {
        let done = DispatchSemaphore(value: 0)
        future.whenComplete { _ in done.signal() }
        let sent = ContinuousClock.now
        var closedAt: ContinuousClock.Instant?
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            let now = ContinuousClock.now
            guard connection.isClosed else {
                if let deadline, sent.duration(to: now) >= deadline {
                    // Closed here, not only by `withConnection`: a transaction's ROLLBACK on it
                    // must fail at once rather than wait out another deadline.
                    discard(connection)
                    throw PostgresStoreError(
                        sqlState: nil,
                        "\(location): no answer from the server within \(deadline.components.seconds) s (a frozen server or a cut link?); the connection is given up",
                        isConnectionLost: true)
                }
                continue
            }
            guard let since = closedAt else {
                closedAt = now
                continue
            }
            if since.duration(to: now) >= closedConnectionGrace {
                throw PostgresStoreError(
                    sqlState: nil,
                    "\(location): lost the connection to the server (it closed with a statement unanswered)",
                    isConnectionLost: true)
            }
        }
        return try future.wait()
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<Result>(_ body: (Connection) throws -> Result) throws -> Result {
        try withConnection { connection in
            try connection.execute("BEGIN")
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// A single statement outside any explicit transaction.
    @discardableResult
    func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        try withConnection { try $0.query(sql, binds) }
    }

    /// The connection while held: statements run one after another on it.
    struct Connection {
        let connection: PostgresConnection
        let location: PostgresLocation
        let answerDeadline: Duration?

        @discardableResult
        func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
            do {
                let future = connection.query(
                    PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresSession.logger)
                return try PostgresSession.answer(
                    to: future, on: connection, deadline: answerDeadline, location: location
                ).rows
            } catch {
                throw PostgresSession.describe(error, location: location, connecting: false)
            }
        }

        func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws {
            try query(sql, binds)
        }
    }

    /// SQLSTATE class 53 (insufficient resources: disk full, out of memory): the write may
    /// succeed later, so the ingest keeps its batch and retries, as with a full SQLite disk.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        (error as? PostgresStoreError)?.sqlState?.hasPrefix("53") ?? false
    }

    /// The server cannot be reached now or the connection broke (refused, reset, closed, the
    /// server shutting down, crashed or still recovering): the same call may succeed once it is
    /// back, on a new connection.
    static func isConnectionLost(_ error: any Error) -> Bool {
        (error as? PostgresStoreError)?.isConnectionLost ?? false
    }

    /// SQLSTATEs of a connection the server ended or refuses for now: class 08 (connection
    /// exception), 57P01 (terminated by a shutdown), 57P02 (by a crash of another backend), 57P03
    /// (starting up, shutting down or in recovery).
    static func isConnectionState(_ state: String) -> Bool {
        state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03"
    }

    static func describe(_ error: any Error, location: PostgresLocation, connecting: Bool) -> PostgresStoreError {
        if let error = error as? PostgresStoreError { return error }
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState]
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            if state == "28P01" || state == "28000" {
                return PostgresStoreError(
                    sqlState: state,
                    "\(location): the server refused user \(location.user) (\(message)); check the password file (passfile=, PGPASSFILE or ~/.pgpass)"
                )
            }
            if state == "3D000" {
                return PostgresStoreError(sqlState: state, "\(location): no database \(location.database) (\(message))")
            }
            let lostCodes: [PSQLError.Code] = [
                .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection,
            ]
            if state == nil, connecting || lostCodes.contains(error.code) {
                let cause = error.underlying.map(Self.cause) ?? "\(error.code)"
                return PostgresStoreError(
                    sqlState: nil,
                    connecting
                        ? "\(location): cannot reach the server (\(cause)); is PostgreSQL running there?"
                        : "\(location): lost the connection to the server (\(cause))",
                    isConnectionLost: true)
            }
            return PostgresStoreError(
                sqlState: state, "\(location): \(message)\(state.map { " (SQLSTATE \($0))" } ?? "")",
                isConnectionLost: state.map(isConnectionState) ?? false)
        }
        return PostgresStoreError(sqlState: nil, "\(location): \(error)")
    }

    /// What went wrong on the socket, as an operator reads it: "Connection refused" rather than
    /// NIO's "Connection errors: SingleConnectionFailure(target: [IPv4]..., error: ...)".
    static func cause(of error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
            if let first = error.connectionErrors.first { return cause(of: first.error) }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }
}

/// A PostgreSQL failure with its SQLSTATE, so callers tell a full disk (class 53) from the rest.
struct PostgresStoreError: Error, CustomStringConvertible {
    var sqlState: String?
    var message: String
    /// The server was unreachable or the connection broke: worth trying again later.
    var isConnectionLost: Bool

    init(sqlState: String?, _ message: String, isConnectionLost: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.isConnectionLost = isConnectionLost
    }

    var description: String { message }
}
