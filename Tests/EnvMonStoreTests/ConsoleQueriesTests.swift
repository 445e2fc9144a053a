import EnvMonCore
import GRDB
import TestSupport
import Testing

@testable import EnvMonStore

@Suite("the console's queries: failed readings and recent means on both backends; SQLite's partial index")
struct ConsoleQueriesTests {
    static let start = RFC3339.parse("2026-11-29T00:00:00Z")!

    /// Three hours of two sensors' oxygen, each minute :30 a QC fail.
    static func fill(_ writer: any ReadingWriter) throws {
        var readings: [Reading] = []
        for minute in 0..<180 {
            let time = start.adding(milliseconds: Int64(minute) * 60_000)
            for sensor in ["a", "b"] {
                readings.append(
                    Reading(
                        series: SeriesKey(sensor: sensor, metric: "do"), timestamp: time,
                        value: minute % 60 == 30 ? 99 : Double(minute / 60 + 1),
                        quality: minute % 60 == 30 ? .fail : .pass, flaggedBy: minute % 60 == 30 ? .grossRange : []))
            }
        }
        _ = try writer.write(IngestBatch(readings: readings, sites: ["a": "x", "b": "y"]))
    }

    /// A SQLite store only: for what is SQLite's own (its query plans, its migrations).
    static func sqliteStore() throws -> (TemporaryDirectory, DatabaseQueue) {
        let directory = try TemporaryDirectory(prefix: "console-queries")
        let queue = try StoreDatabase.openForWriting(path: directory.file("envmon.db"))
        try fill(try SQLiteReadingWriter(database: queue))
        return (directory, queue)
    }

    @Test(
        "failed readings of one series: only its fails, oldest first, at most the limit",
        arguments: StoreBackend.allCases)
    func failedReadings(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store.writer)
        let a = SeriesKey(sensor: "a", metric: "do")
        let day = Self.start.adding(milliseconds: 86_400_000)
        let failed = try store.queries.failedReadings(of: a, from: Self.start, to: day, limit: 100)
        #expect(failed.map(\.value) == [99, 99, 99])
        #expect(failed.allSatisfy { $0.quality == .fail && $0.flaggedBy == .grossRange && $0.series == a })
        let halfPasts: [Timestamp] = [30, 90, 150].map { (minute: Int64) in
            Self.start.adding(milliseconds: minute * 60_000)
        }
        #expect(failed.map(\.timestamp) == halfPasts)
        #expect(try store.queries.failedReadings(of: a, from: Self.start, to: day, limit: 2) == Array(failed.prefix(2)))
        #expect(
            try store.queries.failedReadings(
                of: a, from: Self.start.adding(milliseconds: 31 * 60_000), to: day, limit: 100)
                == Array(failed.suffix(2)))
        #expect(
            try store.queries.failedReadings(
                of: SeriesKey(sensor: "c", metric: "do"), from: Self.start, to: day, limit: 9
            )
            .isEmpty)
    }

    @Test("SQLite: failed readings of one series come from the partition's partial index, not a scan of every series")
    func sqliteFailedReadingsIndex() throws {
        let (directory, queue) = try Self.sqliteStore()
        _ = directory
        let plan = try queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT ts FROM raw_20261129 WHERE series = 1 AND quality = 4 AND ts >= 0 AND ts < 9",
            ).map { $0["detail"] as String }.joined(separator: " ")
        }
        #expect(plan.contains("raw_20261129_failed"), "\(plan)")
    }

    @Test(
        "recent means: the newest hour with data and the last 24 hours, from the hourly roll-up",
        arguments: StoreBackend.allCases)
    func recentMeans(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store.writer)
        let means = try store.queries.recentMeans(
            of: ["a"], at: Self.start.adding(milliseconds: 3 * 3_600_000 + 60_000))
        #expect(means.count == 1)
        let a = try #require(means[SeriesKey(sensor: "a", metric: "do")])
        #expect(a.lastHour == 3)
        #expect(a.lastDay == 2)
    }

    @Test("SQLite: a store from before v7 gains the index on each existing raw partition")
    func sqliteMigration() throws {
        let (directory, queue) = try Self.sqliteStore()
        try queue.write { db in
            try db.execute(sql: "DROP INDEX raw_20261129_failed")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-failed-readings-index'")
        }
        try queue.close()
        let reopened = try StoreDatabase.openForWriting(path: directory.file("envmon.db"))
        #expect(try reopened.read { try $0.indexes(on: "raw_20261129").map(\.name) }.contains("raw_20261129_failed"))
    }

    @Test("SQLite: the console refuses a store an older envmond made, naming what to do")
    func sqliteRefusesOlderSchema() throws {
        let (directory, queue) = try Self.sqliteStore()
        try queue.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-failed-readings-index'")
        }
        try queue.close()
        #expect {
            _ = try StoreDatabase.openForServing(path: directory.file("envmon.db"))
        } throws: { "\($0)".contains("older envmond") }
    }
}
