import EnvMonCore
import Testing

@testable import EnvMonStore

@Suite("ReadingQueries, on both backends")
struct ReadingQueriesTests {
    static let buoyTemperature = SeriesKey(sensor: "catba-buoy-1", metric: "water_temp")
    static let buoySalinity = SeriesKey(sensor: "catba-buoy-1", metric: "salinity")
    static let stationTemperature = SeriesKey(sensor: "halong-station-2", metric: "air_temp")

    static func reading(
        _ series: SeriesKey, _ time: Timestamp, _ value: Double, _ quality: QualityFlag = .pass
    )
        -> Reading
    {
        Reading(series: series, timestamp: time, value: value, quality: quality)
    }

    @Test(
        "latest() holds the newest value of each series, whatever order batches arrive in",
        arguments: StoreBackend.allCases)
    func latestValues(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        _ = try store.writer.write(
            IngestBatch(
                readings: [
                    Self.reading(Self.buoyTemperature, Instants.july1(hours: 1), 27),
                    Self.reading(Self.buoyTemperature, Instants.july1(hours: 3), 29),
                    Self.reading(Self.buoyTemperature, Instants.july1(hours: 2), 28),
                    Self.reading(Self.buoySalinity, Instants.july1(hours: 1), 31),
                    Self.reading(Self.stationTemperature, Instants.july1(hours: 1), 33, .suspect),
                ],
                sites: ["catba-buoy-1": "catba", "halong-station-2": "halong"]))
        // A late, older reading does not replace the newest; a newer one does, across midnight.
        _ = try store.writer.write(
            IngestBatch(readings: [
                Self.reading(Self.buoyTemperature, Instants.july1(minutes: 30), 20),
                Self.reading(Self.buoySalinity, Instants.july1(plusDays: 1, hours: 1), 32, .fail),
            ]))

        let latest = try store.queries.latest()
        #expect(latest.map(\.series) == [Self.buoySalinity, Self.buoyTemperature, Self.stationTemperature])
        #expect(latest.map(\.value) == [32, 29, 33])
        #expect(
            latest.map(\.timestamp) == [
                Instants.july1(plusDays: 1, hours: 1), Instants.july1(hours: 3), Instants.july1(hours: 1),
            ])
        #expect(latest.map(\.quality) == [.fail, .pass, .suspect])
        #expect(latest.map(\.site) == ["catba", "catba", "halong"])

        #expect(try store.queries.latest(site: "halong").map(\.series) == [Self.stationTemperature])
        #expect(try store.queries.latest(sensor: "catba-buoy-1").count == 2)
        #expect(try store.queries.latest(site: "catba", sensor: "halong-station-2").isEmpty)
        #expect(try store.queries.latest(site: "nowhere").isEmpty)
    }

    @Test(
        "sensors() lists every sensor with its site, metrics and first and last times", arguments: StoreBackend.allCases
    )
    func sensorsAndSites(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        _ = try store.writer.write(
            IngestBatch(
                readings: [
                    Self.reading(Self.buoyTemperature, Instants.july1(hours: 5), 27),
                    Self.reading(Self.buoySalinity, Instants.july1(hours: 6), 31),
                    Self.reading(Self.stationTemperature, Instants.july1(hours: 7), 30),
                ],
                sites: ["catba-buoy-1": "catba"]))
        // No site in this batch keeps the known one; an earlier reading moves first_seen back.
        _ = try store.writer.write(
            IngestBatch(readings: [Self.reading(Self.buoyTemperature, Instants.july1(hours: 2), 26)]))
        // The station reports its site later, and is seen again.
        _ = try store.writer.write(
            IngestBatch(
                readings: [Self.reading(Self.stationTemperature, Instants.july1(plusDays: 1), 29)],
                sites: ["halong-station-2": "halong"]))

        let sensors = try store.queries.sensors()
        #expect(sensors.map(\.sensor) == ["catba-buoy-1", "halong-station-2"])
        #expect(sensors.map(\.site) == ["catba", "halong"])
        #expect(sensors[0].metrics == ["salinity", "water_temp"])
        #expect(sensors[0].firstSeen == Instants.july1(hours: 2))
        #expect(sensors[0].lastSeen == Instants.july1(hours: 6))
        #expect(sensors[1].metrics == ["air_temp"])
        #expect(sensors[1].firstSeen == Instants.july1(hours: 7))
        #expect(sensors[1].lastSeen == Instants.july1(plusDays: 1))
    }

    @Test(
        "rejects() is newest first and filters by reason and since; payloads are bounded",
        arguments: StoreBackend.allCases)
    func rejectsFiltered(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let big = [UInt8](repeating: 0x41, count: 2_000)
        _ = try store.writer.write(
            IngestBatch(rejects: [
                RejectRecord(
                    receivedAt: Instants.july1(hours: 1), topic: "envmon/a", reason: .undecodable, detail: "not JSON",
                    payload: Array("{oops".utf8)),
                RejectRecord(
                    receivedAt: Instants.july1(hours: 2), topic: "envmon/b", reason: .unknownMetric,
                    detail: "unknown metric \"temprature\"", payload: Array("temprature=3".utf8)),
                RejectRecord(
                    receivedAt: Instants.july1(hours: 3), topic: "envmon/c", reason: .oversize, detail: "2000 bytes",
                    payload: big),
            ]))
        _ = try store.writer.write(
            IngestBatch(rejects: [
                RejectRecord(
                    receivedAt: Instants.july1(hours: 4), topic: "envmon/d", reason: .undecodable, detail: "binary",
                    payload: [0xFF, 0x00, 0xFE])
            ]))

        let all = try store.queries.rejects()
        #expect(all.map(\.topic) == ["envmon/d", "envmon/c", "envmon/b", "envmon/a"])
        #expect(all[0].payload == [0xFF, 0x00, 0xFE])
        #expect(all[1].payload.count == RejectRecord.maximumPayloadBytes)
        #expect(all[2].detail == "unknown metric \"temprature\"")
        #expect(all[2].reason == .unknownMetric)

        #expect(try store.queries.rejects(reason: .undecodable).map(\.topic) == ["envmon/d", "envmon/a"])
        #expect(
            try store.queries.rejects(since: Instants.july1(hours: 2)).map(\.topic) == [
                "envmon/d", "envmon/c", "envmon/b",
            ])
        #expect(
            try store.queries.rejects(since: Instants.july1(hours: 2), reason: .undecodable).map(\.topic) == [
                "envmon/d"
            ])
        #expect(try store.queries.rejects(limit: 2).map(\.topic) == ["envmon/d", "envmon/c"])
        #expect(try store.queries.rejects(reason: .badTimestamp).isEmpty)
    }

    @Test(
        "statistics() reports running counters, per-reason rejects, partitions and daemon figures",
        arguments: StoreBackend.allCases)
    func statisticsCounters(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let empty = try store.queries.statistics()
        #expect(empty.counters.isEmpty)
        #expect(empty.rawPartitions == 0)
        #expect(empty.oldestPartition == nil)
        #expect(empty.daemonUpdatedAt == nil)

        let readings = [
            Self.reading(Self.buoyTemperature, Instants.july1(hours: 1), 27),
            Self.reading(Self.buoySalinity, Instants.july1(hours: 1), 31),
            Self.reading(Self.stationTemperature, Instants.july1(plusDays: 2), 30),
        ]
        let reject = RejectRecord(
            receivedAt: Instants.july1, topic: "envmon/x", reason: .notFinite, detail: "NaN", payload: Array("nan".utf8)
        )
        _ = try store.writer.write(IngestBatch(readings: readings, rejects: [reject, reject]))
        _ = try store.writer.write(
            IngestBatch(
                readings: [readings[0]],
                rejects: [
                    RejectRecord(
                        receivedAt: Instants.july1, topic: "envmon/y", reason: .badTimestamp, detail: "1970",
                        payload: [])
                ]))
        try store.writer.recordDaemonStatistics(
            ["buffer_depth": 3, "messages_per_second": 120.5], at: Instants.july1(hours: 9))

        let statistics = try store.queries.statistics()
        #expect(
            statistics.counters == ["readings_stored": 3, "duplicates": 1, "rejects": 3, "batches": 2])
        #expect(statistics.rejectsByReason == ["not_finite": 2, "bad_timestamp": 1])
        #expect(statistics.series == 3)
        #expect(statistics.sensors == 2)
        #expect(statistics.rawPartitions == 2)
        #expect(statistics.oldestPartition == Instants.july1)
        #expect(statistics.newestPartition == Instants.july1(plusDays: 2))
        #expect(statistics.databaseBytes > 0)
        #expect(statistics.daemon == ["buffer_depth": 3, "messages_per_second": 120.5])
        #expect(statistics.daemonUpdatedAt == Instants.july1(hours: 9))

        // Figures are replaced, not accumulated.
        try store.writer.recordDaemonStatistics(["buffer_depth": 0], at: Instants.july1(hours: 10))
        let updated = try store.queries.statistics()
        #expect(updated.daemon["buffer_depth"] == 0)
        #expect(updated.daemonUpdatedAt == Instants.july1(hours: 10))
    }
}
