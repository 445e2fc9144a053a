internal import GRDB

/// What the copier reads from the SQLite store before copying: that its schema is this build's,
/// its day partitions, and the fingerprint an interrupted copy of it is recognised by.
extension StoreCopier {
    /// One day partition of the source, as its `partitions` catalogue lists it.
    struct SourcePartition {
        var name: String
        var kind: Partitioning.Kind
        var start: Int64
        var end: Int64
    }

    /// The copy maps this build's SQLite schema onto this build's PostgreSQL one: an older file
    /// lacks tables and columns (envmond brings it up to date when it opens it), a newer one has
    /// some the copy would leave behind.
    func checkSchema(_ db: Database) throws {
        let migrator = StoreMigrations.migrator
        if try migrator.hasBeenSuperseded(db) {
            throw StoreError(
                .newerSchema,
                "\(sourceDescription): made by a newer EnvMon; copy it with that version's envmon migrate")
        }
        guard try migrator.hasCompletedMigrations(db) else {
            throw StoreError(
                .cannotOpen,
                "\(sourceDescription): made by an older envmond; start this version's envmond on it once (it brings "
                    + "the schema up to date), stop it, then migrate")
        }
    }

    /// The day partitions to copy, oldest first. Their names reach SQL, so each must be the name
    /// EnvMon derives from the day's start (never text taken from the file as it is); a listed day
    /// whose table is gone holds nothing (the store's own queries skip it too).
    func sourcePartitions(_ db: Database) throws -> [SourcePartition] {
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        var partitions: [SourcePartition] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT name, kind, start_ms, end_ms FROM partitions ORDER BY start_ms, kind")
        {
            let name = row[0] as String?
            let kind = (row[1] as String?).flatMap(Partitioning.Kind.init(rawValue:))
            let start = row[2] as Int64?
            let end = row[3] as Int64?
            guard let name, let kind, let start, let end, start % Partitioning.dayMilliseconds == 0,
                end == start + Partitioning.dayMilliseconds, Partitioning.tableName(kind, dayStart: start) == name
            else {
                throw StoreError(
                    .notAnEnvMonDatabase,
                    "\(sourceDescription): table partitions lists \(row), which is no day partition EnvMon makes; "
                        + "nothing copied")
            }
            guard tables.contains(name) else { continue }
            partitions.append(SourcePartition(name: name, kind: kind, start: start, end: end))
        }
        return partitions
    }

    /// FNV-1a over the series (ids, sensors, metrics) and the oldest raw reading: what tells this
    /// store from another, and from itself after it has changed in a way a resumed copy could not
    /// mend (a series added, the oldest day dropped by retention). Stored in the marker counter.
    static func fingerprint(_ db: Database, oldestRaw: SourcePartition?) throws -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ value: DatabaseValue) {
            for byte in value.description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xff) &* 0x100_0000_01b3
        }
        let series = try Row.fetchCursor(db, sql: "SELECT id, sensor, metric FROM series ORDER BY id")
        while let row = try series.next() {
            for index in 0..<3 { add(row[index]) }
        }
        if let oldestRaw,
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT ts, series, value FROM \(StoreCopyTable.quoted(oldestRaw.name)) ORDER BY ts, series LIMIT 1"
            )
        {
            add(oldestRaw.name.databaseValue)
            for index in 0..<3 { add(row[index]) }
        }
        return Int64(bitPattern: hash)
    }
}
