import EnvMonCore
import Foundation
import GRDB
import PostgresNIO
import TestSupport
import Testing

@testable import EnvMonStore

/// The backends every store test about shared behaviour runs on, once each:
/// `@Test(arguments: StoreBackend.allCases)`, the store opened through `Store.open`, used
/// through the role protocols, the same expectations for both.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgresql

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

/// A fresh, empty EnvMon store of one backend, opened as the daemon and the CLI open theirs:
/// `store` for ingest with its single `writer`, and `queries` from a second, read-only opening
/// (another connection: a test sees what the CLI would). SQLite: a file in a temporary directory
/// of its own; PostgreSQL: a fresh database on the test process's shared server.
final class StoreFixture {
    let backend: StoreBackend
    let location: StoreLocation
    let store: Store
    let writer: any ReadingWriter
    let queries: any ReadingQueries
    /// The PostgreSQL database (nil for SQLite).
    let postgres: PostgreSQLDatabase?
    /// The SQLite file's directory, kept while the fixture lives (nil for PostgreSQL).
    private let directory: TemporaryDirectory?
    private var inspector: Inspector?

    init(_ backend: StoreBackend) async throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let directory = try TemporaryDirectory(prefix: "envmon-store")
            self.directory = directory
            postgres = nil
            location = .sqlite(path: directory.file("envmon.db"))
        case .postgresql:
            let database = try await SharedPostgreSQLServer.freshDatabase()
            directory = nil
            postgres = database
            location = try StoreLocation(database.location)
        }
        store = try Store.open(location, for: .ingest)
        writer = try store.makeReadingWriter()
        queries = try Store.open(location, for: .read).readings
    }

    /// Another opening of the same store (another connection), as another process opens it.
    func open(for access: StoreAccess) throws -> Store { try Store.open(location, for: access) }

    /// The SQLite file's path (nil for PostgreSQL).
    var path: String? { location.sqlitePath }

    // MARK: Looking at the tables (the layout, which is each backend's own)

    /// The first column of `sql`'s rows as text, on a connection of its own; the SQL must read
    /// the same in both backends' dialects.
    func texts(_ sql: String) throws -> [String] {
        switch try inspect() {
        case .sqlite(let database):
            try database.read { db in try String.fetchAll(db, sql: sql) }
        case .postgres(let session):
            try session.query(sql).map { try $0.decode(String.self) }
        }
    }

    /// The one integer `sql` answers.
    func integer(_ sql: String) throws -> Int {
        switch try inspect() {
        case .sqlite(let database):
            try database.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
        case .postgres(let session):
            Int(try session.query(sql).first?.decode(Int64.self) ?? 0)
        }
    }

    /// Every table: day partitions included (in PostgreSQL, partitions of `readings` and `rollup_1m`).
    func tableNames() throws -> Set<String> {
        switch backend {
        case .sqlite: Set(try texts("SELECT name FROM sqlite_master WHERE type = 'table'"))
        case .postgresql: Set(try texts("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'"))
        }
    }

    /// Names registered in the store's `partitions` table (both backends keep one), raw first,
    /// oldest first.
    func registeredPartitions() throws -> [String] {
        try texts("SELECT name FROM partitions ORDER BY kind, start_ms")
    }

    func rowCount(of table: String) throws -> Int {
        try integer("SELECT count(*) FROM \(table)")
    }

    /// A PostgreSQL session of its own on the fixture's database, for what only PostgreSQL has.
    func postgresSession() throws -> PostgresSession {
        guard let postgres else { throw StoreError(.invalidArgument, "\(location) is not a PostgreSQL store") }
        return try PostgresSession(try PostgresLocation(url: postgres.location), environment: [:])
    }

    /// A read-only GRDB connection of its own to the SQLite file, for what only SQLite has.
    func sqliteDatabase() throws -> DatabaseQueue {
        guard let path else { throw StoreError(.invalidArgument, "\(location) is not a SQLite store") }
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    private enum Inspector {
        case sqlite(DatabaseQueue)
        case postgres(PostgresSession)
    }

    private func inspect() throws -> Inspector {
        if let inspector { return inspector }
        let made: Inspector = backend == .sqlite ? .sqlite(try sqliteDatabase()) : .postgres(try postgresSession())
        inspector = made
        return made
    }
}

/// Fixed instants, so partition names are known in advance.
enum Instants {
    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    /// 2025-07-01T00:00:00Z.
    static let july1 = Timestamp(milliseconds: 1_751_328_000_000)

    /// `days` days and `hours` hours after 2025-07-01T00:00:00Z (negative values go back).
    static func july1(
        plusDays days: Int64 = 0, hours: Int64 = 0, minutes: Int64 = 0, seconds: Int64 = 0
    )
        -> Timestamp
    {
        july1.adding(milliseconds: days * day + hours * hour + minutes * minute + seconds * 1000)
    }
}

/// SplitMix64: a seeded generator, so the "random" data of a test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One roll-up bucket in comparable form: what the store returns, or what the test computes
/// itself from raw rows.
struct BucketAggregate: Equatable, CustomStringConvertible {
    var bucket: Timestamp
    var count: Int
    var minimum: Double
    var maximum: Double
    var sum: Double
    var lastTimestamp: Timestamp
    var lastValue: Double

    init(_ point: RollupPoint) {
        bucket = point.bucket
        count = point.count
        minimum = point.minimum
        maximum = point.maximum
        sum = point.sum
        lastTimestamp = point.lastTimestamp
        lastValue = point.lastValue
    }

    init(bucket: Timestamp, first: StoredReading) {
        self.bucket = bucket
        count = 1
        minimum = first.value
        maximum = first.value
        sum = first.value
        lastTimestamp = first.timestamp
        lastValue = first.value
    }

    var description: String {
        "\(bucket): n=\(count) min=\(minimum) max=\(maximum) sum=\(sum) last=\(lastValue)@\(lastTimestamp)"
    }

    /// The buckets of `width` over `raw`, leaving out fail and missing values as the store must.
    static func expected(from raw: [StoredReading], width: Int64) -> [BucketAggregate] {
        var buckets: [Timestamp: BucketAggregate] = [:]
        for reading in raw where reading.quality != .fail && reading.quality != .missing {
            let bucket = reading.timestamp.floored(toMultipleOf: width)
            guard var aggregate = buckets[bucket] else {
                buckets[bucket] = BucketAggregate(bucket: bucket, first: reading)
                continue
            }
            aggregate.count += 1
            aggregate.minimum = min(aggregate.minimum, reading.value)
            aggregate.maximum = max(aggregate.maximum, reading.value)
            aggregate.sum += reading.value
            if reading.timestamp > aggregate.lastTimestamp {
                aggregate.lastTimestamp = reading.timestamp
                aggregate.lastValue = reading.value
            }
            buckets[bucket] = aggregate
        }
        return buckets.values.sorted { $0.bucket < $1.bucket }
    }
}

extension StoreFixture {
    /// Roll-ups of `series` at every resolution next to the aggregates of its raw rows in [from, to).
    func rollupComparisons(
        of series: SeriesKey, from: Timestamp, to: Timestamp
    ) throws
        -> [(resolution: RollupResolution, stored: [BucketAggregate], expected: [BucketAggregate])]
    {
        let raw = try queries.readings(of: series, from: from, to: to)
        return try RollupResolution.allCases.map { resolution in
            let stored = try queries.rollups(of: series, resolution: resolution, from: from, to: to)
                .map(BucketAggregate.init)
            return (resolution, stored, BucketAggregate.expected(from: raw, width: resolution.milliseconds))
        }
    }
}
