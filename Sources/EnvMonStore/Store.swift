internal import EnvMonCore
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
    private let connection: any DatabaseWriter

    private init(location: StoreLocation, access: StoreAccess, connection: any DatabaseWriter) {
        self.location = location
        self.access = access
        self.connection = connection
        readings = SQLiteReadingQueries(database: connection)
        alerts = SQLiteAlertQueries(database: connection)
        alertWriter = SQLiteAlertWriter(database: connection)
        maintenance = SQLiteMaintenanceStore(database: connection)
        outbox = SQLiteOutboxStore(database: connection)
        aqi = SQLiteAQIStore(database: connection)
    }

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
            return Store(location: location, access: access, connection: connection)
        }
    }

    /// The single writer's side, for the one thread that ingests; only a store opened for
    /// `.ingest` has one. The writer shares this store's connection, so the roles above see its
    /// commits at once.
    package func makeReadingWriter() throws -> any ReadingWriter {
        guard access == .ingest, let queue = connection as? DatabaseQueue else {
            throw StoreError(.invalidArgument, "\(location): opened for reading, so it cannot take readings")
        }
        return try SQLiteReadingWriter(database: queue)
    }

    /// True for errors that mean "no room to write" (a full disk, the store's size limit): the
    /// write may succeed later, so the caller keeps its data and retries rather than give up.
    package static func isOutOfSpace(_ error: any Error) -> Bool {
        StoreDatabase.isOutOfSpace(error)
    }
}
