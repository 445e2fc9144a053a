import EnvMonCore
import Testing

@testable import EnvMonStore

@Suite("Retention, on both backends")
struct RetentionTests {
    static let key = SeriesKey(sensor: "catba-buoy-1", metric: "water_temp")
    static let other = SeriesKey(sensor: "halong-station-2", metric: "air_temp")

    /// Readings at 06:00 and 18:00 UTC on 1 to 5 July, for two series, and a reject at each time.
    static func fill(_ store: StoreFixture) throws {
        for day in Int64(0)..<5 {
            for hour in [Int64(6), 18] {
                let time = Instants.july1(plusDays: day, hours: hour)
                _ = try store.writer.write(
                    IngestBatch(
                        readings: [
                            Reading(series: key, timestamp: time, value: Double(day * 100 + hour), quality: .pass),
                            Reading(series: other, timestamp: time, value: Double(day), quality: .pass),
                        ],
                        rejects: [
                            RejectRecord(
                                receivedAt: time, topic: "envmon/catba/buoy-1", reason: .undecodable,
                                detail: "day \(day)",
                                payload: Array("garbage".utf8))
                        ]))
            }
        }
    }

    @Test(
        "Partitions whose whole day is past the cut-off are dropped; newer ones and the queries stay",
        arguments: StoreBackend.allCases)
    func dropsWholeOldDays(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store)
        #expect(try store.queries.statistics().rawPartitions == 5)

        let now = Instants.july1(plusDays: 4, hours: 12)  // 2025-07-05T12:00Z
        let policy = RetentionPolicy(rawDays: 2, minuteDays: 3, hourDays: 3, dayDays: 4, rejectDays: 1)
        let outcome = try store.writer.applyRetention(policy, now: now)

        // Raw cut-off 3 July 12:00: 1 and 2 July are wholly older, 3 July is not.
        #expect(outcome.droppedPartitions == ["raw_20250701", "raw_20250702", "rollup_1m_20250701"])
        let tables = try store.tableNames()
        for dropped in outcome.droppedPartitions { #expect(!tables.contains(dropped), "\(dropped) still exists") }
        #expect(
            tables.isSuperset(of: [
                "raw_20250703", "raw_20250704", "raw_20250705", "rollup_1m_20250702", "rollup_1m_20250703",
            ]))
        // PostgreSQL also keeps 6 July's partitions, made ahead of the newest reading's day (and
        // empty): see ReadingWriterTests.partitionsAcrossMidnight.
        let madeAhead = backend == .postgresql ? ["raw_20250706"] : []
        let minuteMadeAhead = backend == .postgresql ? ["rollup_1m_20250706"] : []
        #expect(
            try store.registeredPartitions() == ["raw_20250703", "raw_20250704", "raw_20250705"] + madeAhead + [
                "rollup_1m_20250702", "rollup_1m_20250703", "rollup_1m_20250704", "rollup_1m_20250705",
            ] + minuteMadeAhead)

        // Hourly rows before 2 July 12:00 (three per series) and the daily row of 1 July (one per
        // series) are trimmed; rejects before 4 July 12:00 (seven) are deleted.
        #expect(outcome.deletedRollupRows == 2 * 3 + 2 * 1)
        #expect(outcome.deletedRejects == 7)

        let from = Instants.july1
        let to = Instants.july1(plusDays: 6)
        #expect(
            try store.queries.readings(of: Self.key, from: from, to: to).map(\.timestamp) == [
                Instants.july1(plusDays: 2, hours: 6), Instants.july1(plusDays: 2, hours: 18),
                Instants.july1(plusDays: 3, hours: 6), Instants.july1(plusDays: 3, hours: 18),
                Instants.july1(plusDays: 4, hours: 6), Instants.july1(plusDays: 4, hours: 18),
            ])
        #expect(try store.queries.count(from: from, to: to) == 12)
        #expect(try store.queries.export(from: from, to: to).count == 12)
        #expect(
            try store.queries.rollups(of: Self.key, resolution: .minute, from: from, to: to).map(\.bucket).first
                == Instants.july1(plusDays: 1, hours: 6))
        #expect(
            try store.queries.rollups(of: Self.key, resolution: .hour, from: from, to: to).map(\.bucket).first
                == Instants.july1(plusDays: 1, hours: 18))
        #expect(
            try store.queries.rollups(of: Self.key, resolution: .day, from: from, to: to).map(\.bucket)
                == (1...4).map { Instants.july1(plusDays: $0) })
        let rejects = try store.queries.rejects()
        #expect(
            rejects.map(\.receivedAt) == [
                Instants.july1(plusDays: 4, hours: 18), Instants.july1(plusDays: 4, hours: 6),
                Instants.july1(plusDays: 3, hours: 18),
            ])

        let statistics = try store.queries.statistics()
        #expect(statistics.rawPartitions == 3)
        #expect(statistics.oldestPartition == Instants.july1(plusDays: 2))
        // Running totals are history, not what is left.
        #expect(statistics.counters["readings_stored"] == 20)
    }

    @Test(
        "A retention pass with nothing old enough changes nothing; nil levels are kept for ever",
        arguments: StoreBackend.allCases)
    func keepsWhatIsYoungEnough(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store)
        let before = try store.registeredPartitions()
        let outcome = try store.writer.applyRetention(
            RetentionPolicy(rawDays: nil, minuteDays: 30, hourDays: nil, dayDays: nil, rejectDays: nil),
            now: Instants.july1(plusDays: 5))
        #expect(outcome.droppedPartitions.isEmpty)
        #expect(outcome.deletedRollupRows == 0)
        #expect(outcome.deletedRejects == 0)
        #expect(try store.registeredPartitions() == before)
        #expect(try store.queries.rejects().count == 10)
    }

    @Test(
        "After a day is dropped, a late reading for that day recreates its partition", arguments: StoreBackend.allCases)
    func writesAfterDrop(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store)
        _ = try store.writer.applyRetention(
            RetentionPolicy(rawDays: 2, minuteDays: 2, hourDays: nil, dayDays: nil, rejectDays: nil),
            now: Instants.july1(plusDays: 4, hours: 12))
        #expect(!(try store.tableNames()).contains("raw_20250701"))

        let late = Reading(series: Self.key, timestamp: Instants.july1(hours: 9), value: 1, quality: .pass)
        let outcome = try store.writer.write(IngestBatch(readings: [late]))
        #expect(outcome.stored == [late])
        #expect(try store.tableNames().isSuperset(of: ["raw_20250701", "rollup_1m_20250701"]))
        #expect(
            try store.queries.readings(of: Self.key, from: Instants.july1, to: Instants.july1(plusDays: 1))
                .map(\.value) == [1])
    }
}
