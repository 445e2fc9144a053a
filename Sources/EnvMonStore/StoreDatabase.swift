internal import Foundation
internal import GRDB

/// Opens EnvMon's SQLite file with the settings DESIGN.md asks for, and refuses files that are
/// not ours without writing a byte to them.
enum StoreDatabase {
    /// `PRAGMA application_id` of EnvMon databases ("EnvM"), so a foreign SQLite file is recognised.
    static let applicationID: Int32 = 0x456E_764D

    /// Opens (creating if needed) the database for the single writer, and migrates it.
    static func openForWriting(path: String, cacheMebibytes: Int = 32) throws -> DatabaseQueue {
        try checkExistingFile(path: path)
        try checkCoreTables(path: path)
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = false
        configuration.label = "envmon.writer"
        configuration.prepareDatabase { db in
            // Debian builds SQLite with WAL defaulting to synchronous=FULL; set it on every connection.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheMebibytes * 1024)")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw describe(error, path: path)
        }
        do {
            try StoreMigrations.migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw describe(error, path: path)
        }
        return queue
    }

    /// Opens an existing database for reading only (the CLI), or for the rare CLI write
    /// (alert acknowledgement) when `writable` is true. Never creates or migrates.
    static func openForReading(path: String, writable: Bool = false) throws -> DatabaseQueue {
        try checkAccess(path: path, writable: writable)
        try checkExistingFile(path: path)
        var configuration = Configuration()
        configuration.readonly = !writable
        configuration.busyMode = .timeout(10)
        configuration.label = "envmon.reader"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in try verifySchema(db, path: path) }
            return queue
        } catch let error as StoreError {
            throw error
        } catch {
            throw describe(error, path: path)
        }
    }

    /// Opens an existing database read-only for many concurrent readers (the web console): a
    /// pool of read connections on the WAL, so pages never wait for each other or for ingest.
    /// Never creates, migrates or writes; refuses a file that is not EnvMon's.
    static func openForServing(path: String, readers: Int = 4) throws -> DatabasePool {
        try checkAccess(path: path, writable: false)
        try checkExistingFile(path: path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = readers
        configuration.label = "envmon.web"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // The console reads tables of the newest schema; it never migrates (it is a reader).
            let current = try pool.read { db in
                try verifySchema(db, path: path)
                return try StoreMigrations.migrator.hasCompletedMigrations(db)
            }
            guard current else {
                throw StoreError(
                    .cannotOpen,
                    "\(path): made by an older envmond; start this version's envmond once so it updates the store, then serve"
                )
            }
            return pool
        } catch let error as StoreError {
            throw error
        } catch {
            throw describe(error, path: path)
        }
    }

    /// A missing file and one the user may not open are different mistakes with different fixes:
    /// on an installed system the store is readable and writable by group `envmon` only.
    static func checkAccess(path: String, writable: Bool) throws {
        var status = stat()
        if stat(path, &status) != 0 {
            if errno == EACCES {
                throw StoreError(
                    .cannotOpen,
                    "\(path): permission denied (on an installed system only members of group envmon may use the store: "
                        + "ask an administrator for `sudo usermod -aG envmon $USER`, then log in again)")
            }
            throw StoreError(.cannotOpen, "\(path): no such database (has envmond run with this --db?)")
        }
        if access(path, writable ? R_OK | W_OK : R_OK) != 0 {
            let what = writable ? "read and write" : "read"
            throw StoreError(
                .cannotOpen,
                "\(path): permission denied: you may not \(what) it (members of group envmon may read and acknowledge "
                    + "alerts; ask an administrator for `sudo usermod -aG envmon $USER`, then log in again)")
        }
    }

    /// Lets group `envmon` (the staff) write the store for the requests the CLI queues
    /// (acknowledgements), whatever the service's umask: SQLite gives the -wal and -shm files the
    /// database file's mode. Only the database file: the rest of the state stays private.
    static func shareWithGroup(path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_uid == geteuid(), status.st_mode & 0o060 != 0o060 else {
                continue
            }
            _ = chmod(file, (status.st_mode & 0o7777) | 0o060)
        }
    }

    /// Reads the 100-byte SQLite header ourselves so a foreign or corrupt file is refused before
    /// SQLite may touch it (opening in WAL mode would otherwise create -wal/-shm files).
    static func checkExistingFile(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return }
        let magic = Array("SQLite format 3\u{0}".utf8)
        guard header.count >= 100, Array(header.prefix(16)) == magic else {
            throw StoreError(.notAnEnvMonDatabase, "\(path): not an SQLite database (bad header); file left untouched")
        }
        // application_id lives at offset 68, big-endian.
        let bytes = Array(header[68..<72])
        let fileApplicationID = Int32(
            bitPattern: UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8
                | UInt32(bytes[3]))
        // A page count of zero (offset 28) is an empty database we may initialise.
        let pageCount = Array(header[28..<32]).reduce(0) { $0 << 8 | Int($1) }
        if fileApplicationID != applicationID && fileApplicationID != 0 {
            throw StoreError(
                .notAnEnvMonDatabase, "\(path): SQLite database of another application; file left untouched")
        }
        if fileApplicationID == 0 && pageCount > 1 {
            throw StoreError(
                .notAnEnvMonDatabase,
                "\(path): SQLite database without the EnvMon application id (another program's file?); file left untouched"
            )
        }
    }

    /// Before the writer touches an existing database, checks its schema, every table except the
    /// older per-day reading partitions, and the newest two days of partitions (`PRAGMA
    /// quick_check` per table, read-only), so a damaged file is refused unchanged instead of
    /// being "migrated" or appended to. Older partitions are left out because checking years of
    /// readings would delay every start by minutes; damage there surfaces as SQLITE_CORRUPT when
    /// it is read (a query, a late reading, retention) and a write there stops the daemon, exit 1.
    static func checkCoreTables(path: String) throws {
        guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber,
            size.intValue > 0
        else { return }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "envmon.check"
        // A read-only open of a WAL database creates -wal/-shm beside it; a refused file must be
        // left as it was found, so remove those again if this check made them.
        let companions = ["-wal", "-shm"].map { path + $0 }.filter { !FileManager.default.fileExists(atPath: $0) }
        var refused = true
        defer {
            if refused { for companion in companions { try? FileManager.default.removeItem(atPath: companion) } }
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                // The partitions the writer is about to append to (the newest two days of each
                // kind) are checked too: they are small, and the ones a new batch would touch.
                let recent = Partitioning.Kind.allCases.flatMap { kind in
                    tables.filter { Partitioning.isPartition($0) && $0.hasPrefix(kind.rawValue + "_") }.suffix(2)
                }
                for table in tables where !Partitioning.isPartition(table) || recent.contains(table) {
                    let verdict = try String.fetchAll(db, sql: "PRAGMA quick_check(\(table.quotedDatabaseIdentifier))")
                    guard verdict == ["ok"] else {
                        throw StoreError(
                            .notAnEnvMonDatabase,
                            "\(path): database file is corrupt (table \(table): \(verdict.prefix(3).joined(separator: "; "))); "
                                + "file left untouched; restore a backup or salvage it with `sqlite3 \(path) .recover`")
                    }
                }
            }
            try queue.close()
            refused = false
        } catch let error as StoreError {
            throw error
        } catch {
            let described = describe(error, path: path)
            throw StoreError(
                described.kind == .notAnEnvMonDatabase ? .notAnEnvMonDatabase : .cannotOpen,
                "\(described.message); file left untouched")
        }
    }

    static func verifySchema(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard applicationID == Self.applicationID else {
            throw StoreError(.notAnEnvMonDatabase, "\(path): not an EnvMon database (application_id \(applicationID))")
        }
    }

    /// True for errors that mean "no room to write" (disk full, `max_page_count` reached, or an
    /// I/O error, which is how a full disk surfaces during WAL writes and syncs): the write may
    /// succeed later, so the caller should keep its data and retry rather than give up.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        guard let databaseError = error as? DatabaseError else { return false }
        switch databaseError.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR: return true
        default: return false
        }
    }

    static func describe(_ error: any Error, path: String) -> StoreError {
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return StoreError(
                    .notAnEnvMonDatabase,
                    "\(path): database file is corrupt or not SQLite (\(databaseError.message ?? ""))")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return StoreError(.cannotOpen, "\(path): cannot open (\(databaseError.message ?? "permission denied"))")
            default:
                return StoreError(.cannotOpen, "\(path): \(databaseError.message ?? "\(databaseError)")")
            }
        }
        return StoreError(.cannotOpen, "\(path): \(error)")
    }
}
