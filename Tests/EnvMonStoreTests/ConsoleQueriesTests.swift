import EnvMonCore
import GRDB
import TestSupport
import Testing

@testable import EnvMonStore

@Suite("the console's queries: failed readings through the partial index, recent means")
struct ConsoleQueriesTests {
    static let start = RFC3339.parse("2026-11-29T00:00:00Z")!

    static func store() throws -> (TemporaryDirectory, DatabaseQueue) {
        let directory = try TemporaryDirectory(prefix: "console-queries")
        let queue = try StoreDatabase.openForWriting(path: directory.file("envmon.db"))
        let writer = try SQLiteReadingWriter(database: queue)
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
        return (directory, queue)
    }

    @Test("failed readings of one series come from the partition's partial index, not a scan of every series")
    func failedReadings() throws {
        let (directory, queue) = try Self.store()
        _ = directory
        let queries = SQLiteReadingQueries(database: queue)
        let failed = try queries.failedReadings(
            of: SeriesKey(sensor: "a", metric: "do"), from: Self.start, to: Self.start.adding(milliseconds: 86_400_000),
            limit: 100)
        #expect(failed.map(\.value) == [99, 99, 99])
        #expect(failed.allSatisfy { $0.quality == .fail && $0.series.sensor == "a" })
        let plan = try queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT ts FROM raw_20261129 WHERE series = 1 AND quality = 4 AND ts >= 0 AND ts < 9",
            ).map { $0["detail"] as String }.joined(separator: " ")
        }
        #expect(plan.contains("raw_20261129_failed"), "\(plan)")
        let limited = try queries.failedReadings(
            of: SeriesKey(sensor: "a", metric: "do"), from: Self.start, to: Self.start.adding(milliseconds: 86_400_000),
            limit: 2)
        #expect(limited.count == 2)
    }

    @Test("recent means: the newest hour with data and the last 24 hours, from the hourly roll-up")
    func recentMeans() throws {
        let (directory, queue) = try Self.store()
        _ = directory
        let means = try SQLiteReadingQueries(database: queue).recentMeans(
            of: ["a"], at: Self.start.adding(milliseconds: 3 * 3_600_000 + 60_000))
        #expect(means.count == 1)
        let a = try #require(means[SeriesKey(sensor: "a", metric: "do")])
        #expect(a.lastHour == 3)
        #expect(a.lastDay == 2)
    }

    @Test("a store from before v7 gains the index on each existing raw partition")
    func migration() throws {
        let (directory, queue) = try Self.store()
        try queue.write { db in
            try db.execute(sql: "DROP INDEX raw_20261129_failed")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-failed-readings-index'")
        }
        try queue.close()
        let reopened = try StoreDatabase.openForWriting(path: directory.file("envmon.db"))
        #expect(try reopened.read { try $0.indexes(on: "raw_20261129").map(\.name) }.contains("raw_20261129_failed"))
    }

    @Test("the console refuses a store an older envmond made, naming what to do")
    func refusesOlderSchema() throws {
        let (directory, queue) = try Self.store()
        try queue.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-failed-readings-index'")
        }
        try queue.close()
        #expect {
            _ = try StoreDatabase.openForServing(path: directory.file("envmon.db"))
        } throws: { "\($0)".contains("older envmond") }
    }
}
