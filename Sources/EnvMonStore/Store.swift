internal import EnvMonCore
internal import Foundation
internal import GRDB

/// One opened EnvMon store, whichever backend holds it: the one door the daemon, the CLI, the
/// report, the console and the simulator use. Each role is a protocol (`ReadingQueries`,
/// `AlertQueries`, ...) the backend implements; nothing of the backend's library shows.
///
/// The calls are synchronous and block the calling thread, as SQLite does: callers keep them off
/// event loops (the console runs them on NIO's thread pool, the daemon on its own threads).
package final class Store: Sendable {
    package let location: StoreLocation
    package let access: StoreAccess
    package let readings: any ReadingQueries
    package let alerts: any AlertQueries
    package let alertWriter: any AlertWriter
    package let maintenance: any MaintenanceStore
    package let outbox: any OutboxStore
    package let aqi: any AQIStore
    /// Who evaluates which sensor's alerts among collectors sharing a PostgreSQL database; nil for
    /// SQLite (one file, one collector).
    package let alertLeases: (any AlertLeases)?
    private let backend: Backend

    /// The connection the roles share (as the writer's roles shared one connection before).
    private enum Backend: Sendable {
        case sqlite(any DatabaseWriter)
        case postgres(PostgresSession)
    }

    private init(location: StoreLocation, access: StoreAccess, backend: Backend) {
        self.location = location
        self.access = access
        self.backend = backend
        switch backend {
        case .sqlite(let connection):
            readings = SQLiteReadingQueries(database: connection)
            alerts = SQLiteAlertQueries(database: connection)
            alertWriter = SQLiteAlertWriter(database: connection)
            maintenance = SQLiteMaintenanceStore(database: connection)
            outbox = SQLiteOutboxStore(database: connection)
            aqi = SQLiteAQIStore(database: connection)
            alertLeases = nil
        case .postgres(let session):
            readings = PostgresReadingQueries(session: session)
            alerts = PostgresAlertQueries(session: session)
            alertWriter = PostgresAlertWriter(session: session)
            maintenance = PostgresMaintenanceStore(session: session)
            outbox = PostgresOutboxStore(session: session)
            aqi = PostgresAQIStore(session: session)
            alertLeases = PostgresAlertLeases(session: session)
        }
    }

    /// How long the daemon's store waits for a PostgreSQL statement's answer on an open
    /// connection before giving the connection up (a frozen server or a cut link).
    static let ingestAnswerDeadline: Duration = .seconds(10)

    /// Opens the store at `location` for `access`, refusing (with a message naming the file and
    /// the fix) what is missing, foreign, of a newer schema or not permitted.
    package static func open(_ location: StoreLocation, for access: StoreAccess) throws -> Store {
        switch location {
        case .sqlite(let path):
            let connection: any DatabaseWriter
            switch access {
            case .ingest:
                connection = try StoreDatabase.openForWriting(path: path)
                StoreDatabase.shareWithGroup(path: path)
            case .read:
                connection = try StoreDatabase.openForReading(path: path)
            case .queueRequests:
                connection = try StoreDatabase.openForReading(path: path, writable: true)
            case .serve(let readers):
                connection = try StoreDatabase.openForServing(path: path, readers: readers)
            }
            return Store(location: location, access: access, backend: .sqlite(connection))
        case .postgres(let server):
            // PGPASSFILE and HOME are where psql looks for the password file too.
            let session: PostgresSession
            do {
                // The daemon gives a statement up after 10 s without an answer, so its ingest
                // shows progress within half of systemd's 30 s watchdog (what HealthService
                // asks): it reports the database unreachable and keeps its batch, instead of
                // hanging until the watchdog kills it.
                session = try PostgresSession(
                    server, environment: ProcessInfo.processInfo.environment, readOnly: access.isReadOnly,
                    connections: access.connections,
                    answerDeadline: access == .ingest ? Store.ingestAnswerDeadline : nil)
                if access == .ingest {
                    try PostgresMigrations.migrate(session, at: Int64(Date().timeIntervalSince1970 * 1000))
                } else if try !PostgresMigrations.isCurrent(session) {
                    throw StoreError(
                        .cannotOpen,
                        "\(server): no EnvMon store of this version there; start this version's envmond on it once")
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.cannotOpen, "\(error)")
            }
            return Store(location: location, access: access, backend: .postgres(session))
        }
    }

    /// Closes the connection the roles share, once nothing uses them any more: SQLite then
    /// checkpoints the WAL into the file and removes it (the files left after a clean stop are
    /// the database alone), and the writer's claim on the file ends, so a daemon started again in
    /// the same process can open it; a PostgreSQL session ends.
    package func close() {
        switch backend {
        case .sqlite(let connection): try? connection.close()
        case .postgres(let session): session.close()
        }
    }

    /// The single writer's side, for the one thread that ingests; only a store opened for
    /// `.ingest` has one. The writer shares this store's connection, so the roles above see its
    /// commits at once.
    ///
    /// `collector` names this daemon where several write into one PostgreSQL database (each has
    /// an inbox journal of its own, so each records its own position); a SQLite store has one.
    package func makeReadingWriter(collector: String = "envmond") throws -> any ReadingWriter {
        guard access == .ingest else {
            throw StoreError(.invalidArgument, "\(location): opened for reading, so it cannot take readings")
        }
        switch backend {
        case .sqlite(let connection):
            guard let queue = connection as? DatabaseQueue else {
                throw StoreError(.invalidArgument, "\(location): opened for reading, so it cannot take readings")
            }
            return try SQLiteReadingWriter(database: queue)
        case .postgres(let session):
            return try PostgresReadingWriter(session: session, collector: collector)
        }
    }

    /// True for errors that mean "no room to write" (a full disk, the store's size limit): the
    /// write may succeed later, so the caller keeps its data and retries rather than give up.
    package static func isOutOfSpace(_ error: any Error) -> Bool {
        StoreDatabase.isOutOfSpace(error) || PostgresSession.isOutOfSpace(error)
    }

    /// True for errors that mean "the database cannot be reached now" (a PostgreSQL server down,
    /// restarting, crashed or still recovering; the connection refused, reset or closed): the
    /// store connects again on a later call, so the caller keeps its data and retries, as when
    /// the disk is full. A SQLite file has no such state.
    package static func isTransient(_ error: any Error) -> Bool {
        PostgresSession.isConnectionLost(error)
    }
}
