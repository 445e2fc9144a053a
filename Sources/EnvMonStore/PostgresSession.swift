internal import Foundation
internal import Logging
internal import NIOCore
internal import NIOPosix
internal import NIOSSL
internal import PostgresNIO
internal import Synchronization

/// One connection to PostgreSQL used synchronously, as the store's callers use SQLite: a call
/// blocks its thread until the server answers. Calls are serialised (a transaction holds the
/// connection from BEGIN to COMMIT), so the roles sharing a session see each other's commits in
/// order, as the SQLite writer's roles share one connection.
///
/// Never called on an event loop: the daemon calls from its ingest and service threads, the
/// console from NIO's blocking pool. postgres-nio runs on its own event loop thread.
final class PostgresSession: Sendable {
    let location: PostgresLocation
    private let connection: Mutex<PostgresConnection>
    private static let logger = Logger(label: "envmon.store.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// Connects (and authenticates) or throws a `StoreError` naming the server and what to fix.
    init(_ location: PostgresLocation, environment: [String: String]) throws {
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
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: password,
            database: location.database, tls: tls)
        do {
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
                logger: Self.logger
            ).wait()
            self.connection = Mutex(connection)
        } catch {
            throw Self.describe(error, location: location, connecting: true)
        }
    }

    deinit {
        connection.withLock { try? $0.close().wait() }
    }

    /// Runs `body` with the connection to itself (no other caller in between).
    func withConnection<Result>(_ body: (Connection) throws -> Result) throws -> Result {
        try connection.withLock { connection in try body(Connection(connection: connection, location: location)) }
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

        @discardableResult
        func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
            do {
                return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresSession.logger)
                    .wait().rows
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
            if state == nil, connecting || error.code == .connectionError || error.code == .serverClosedConnection {
                return PostgresStoreError(
                    sqlState: nil,
                    "\(location): cannot reach the server (\(error.underlying.map { "\($0)" } ?? "\(error.code)")); is PostgreSQL running there?"
                )
            }
            return PostgresStoreError(
                sqlState: state, "\(location): \(message)\(state.map { " (SQLSTATE \($0))" } ?? "")")
        }
        return PostgresStoreError(sqlState: nil, "\(location): \(error)")
    }
}

/// A PostgreSQL failure with its SQLSTATE, so callers tell a full disk (class 53) from the rest.
struct PostgresStoreError: Error, CustomStringConvertible {
    var sqlState: String?
    var message: String

    init(sqlState: String?, _ message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    var description: String { message }
}
