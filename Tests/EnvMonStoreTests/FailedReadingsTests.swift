import EnvMonCore
import EnvMonStore
import GRDB
import Testing

@Suite("failed readings: the raw partitions' partial index")
struct FailedReadingsTests {
    static let buoy = SeriesKey(sensor: "catba-buoy-1", metric: "water_temp")
    static let station = SeriesKey(sensor: "halong-station-2", metric: "air_temp")

    static func write(_ store: StoreFixture) throws {
        var readings: [Reading] = []
        for minute in 0..<(2 * 1440) where minute % 7 == 0 {
            let time = Instants.july1(minutes: Int64(minute))
            let failed = minute % 140 == 0
            readings.append(Reading(series: buoy, timestamp: time, value: 20, quality: failed ? .fail : .pass))
            readings.append(Reading(series: station, timestamp: time, value: 30, quality: failed ? .fail : .suspect))
        }
        _ = try store.writer.write(IngestBatch(readings: readings, sites: [:]))
    }

    @Test("one series' failed readings over two days, in order, bounded, read through the index")
    func failedReadingsThroughTheIndex() throws {
        let store = try StoreFixture()
        try Self.write(store)
        let failed = try store.queries.failedReadings(
            of: Self.buoy, from: Instants.july1(minutes: 1), to: Instants.july1(plusDays: 2), limit: 100)
        #expect(
            failed.map(\.timestamp.milliseconds)
                == (1..<21).map { Instants.july1(minutes: Int64($0) * 140).milliseconds })
        #expect(failed.allSatisfy { $0.series == Self.buoy && $0.quality == .fail })
        #expect(
            try store.queries.failedReadings(
                of: Self.buoy, from: Instants.july1, to: Instants.july1(plusDays: 2), limit: 3
            ).count == 3)

        let plan = try store.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    EXPLAIN QUERY PLAN SELECT ts FROM raw_20250702
                    WHERE series = 1 AND quality = 4 AND ts >= 0 AND ts < 1 ORDER BY ts
                    """
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX raw_20250702_failed") }, "\(plan)")
    }

    @Test("migration v7 gives partitions made before it the index")
    func migrationAddsTheIndex() throws {
        let store = try StoreFixture()
        try Self.write(store)
        try store.database.write { db in
            try db.execute(sql: "DROP INDEX raw_20250701_failed; DROP INDEX raw_20250702_failed")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-failed-readings-index'")
        }
        let reopened = try StoreDatabase.openForWriting(path: store.path)
        let indexes = try reopened.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'raw_%'")
        }
        #expect(Set(indexes) == ["raw_20250701_failed", "raw_20250702_failed"])
    }
}
