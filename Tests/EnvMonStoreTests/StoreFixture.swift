import EnvMonCore
import Foundation
import GRDB
import TestSupport

@testable import EnvMonStore

/// A fresh EnvMon database file in its own temporary directory: the single writer plus a separate
/// read-only connection, as the daemon and the CLI use them.
final class StoreFixture {
    let directory: TemporaryDirectory
    let path: String
    let database: DatabaseQueue
    let writer: any ReadingWriter
    let queries: any ReadingQueries

    init() throws {
        directory = try TemporaryDirectory(prefix: "envmon-store")
        path = directory.file("envmon.db")
        database = try StoreDatabase.openForWriting(path: path)
        writer = try SQLiteReadingWriter(database: database)
        queries = try Store.open(.sqlite(path: path), for: .read).readings
    }

    /// Names of the tables SQLite itself knows about.
    func sqliteTables() throws -> Set<String> {
        try database.read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        }
    }

    /// Names registered in the store's `partitions` table, oldest first.
    func registeredPartitions() throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM partitions ORDER BY kind, start_ms")
        }
    }

    func rowCount(of table: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
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
