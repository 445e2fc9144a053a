import EnvMonCore
import Testing

@testable import EnvMonStore

@Suite("ReadingWriter")
struct ReadingWriterTests {
    static let temperature = SeriesKey(sensor: "catba-buoy-1", metric: "water_temp")
    static let salinity = SeriesKey(sensor: "catba-buoy-1", metric: "salinity")

    static func readings(_ series: SeriesKey, count: Int, from start: Timestamp, every step: Int64) -> [Reading] {
        (0..<count).map { index in
            Reading(
                series: series, timestamp: start.adding(milliseconds: Int64(index) * step),
                value: 20 + Double(index) / 4, quality: .pass)
        }
    }

    @Test("Writing the same readings twice stores them once and counts the second write as duplicates")
    func idempotentOnSeriesAndTimestamp() throws {
        let store = try StoreFixture()
        let start = Instants.july1(hours: 10)
        let batch = IngestBatch(
            readings: Self.readings(Self.temperature, count: 30, from: start, every: 10_000)
                + Self.readings(Self.salinity, count: 20, from: start, every: 15_000))

        let first = try store.writer.write(batch)
        #expect(first.stored == batch.readings)
        #expect(first.duplicates == 0)

        let second = try store.writer.write(batch)
        #expect(second.stored.isEmpty)
        #expect(second.duplicates == 50)

        let end = start.adding(milliseconds: Instants.hour)
        #expect(try store.queries.count(from: start, to: end) == 50)
        #expect(try store.queries.readings(of: Self.temperature, from: start, to: end).count == 30)
        // Roll-ups took each reading once.
        let hourly = try store.queries.rollups(of: Self.temperature, resolution: .hour, from: start, to: end)
        #expect(hourly.map(\.count) == [30])

        let statistics = try store.queries.statistics()
        #expect(statistics.counters["readings_stored"] == 50)
        #expect(statistics.counters["duplicates"] == 50)
        #expect(statistics.counters["batches"] == 2)
        #expect(statistics.counters["rejects"] == nil)
        #expect(statistics.series == 2)
    }

    @Test("A redelivery with a different value keeps the first stored value")
    func firstWriteWins() throws {
        let store = try StoreFixture()
        let time = Instants.july1(hours: 3)
        let original = Reading(series: Self.temperature, timestamp: time, value: 28.5, quality: .pass)
        var changed = original
        changed.value = 99
        _ = try store.writer.write(IngestBatch(readings: [original]))
        let outcome = try store.writer.write(IngestBatch(readings: [changed]))

        #expect(outcome.stored.isEmpty)
        #expect(outcome.duplicates == 1)
        let stored = try store.queries.readings(
            of: Self.temperature, from: time, to: time.adding(milliseconds: 1))
        #expect(stored.map(\.value) == [28.5])
        #expect(try store.queries.latest().map(\.value) == [28.5])
    }

    @Test("A reading repeated inside one batch is stored once and counted as a duplicate")
    func duplicateWithinBatch() throws {
        let store = try StoreFixture()
        let reading = Reading(series: Self.temperature, timestamp: Instants.july1(hours: 1), value: 27, quality: .pass)
        let outcome = try store.writer.write(IngestBatch(readings: [reading, reading, reading]))

        #expect(outcome.stored == [reading])
        #expect(outcome.duplicates == 2)
        let minutes = try store.queries.rollups(
            of: Self.temperature, resolution: .minute, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(minutes.map(\.count) == [1])
        #expect(try store.queries.statistics().counters["duplicates"] == 2)
    }

    @Test("Readings either side of UTC midnight go to two day partitions and one query spans both")
    func partitionsAcrossMidnight() throws {
        let store = try StoreFixture()
        // 23:58:00 on 30 June to 00:02:00 on 1 July, every 30 s, written newest first.
        let start = Instants.july1(minutes: -2)
        let readings = Self.readings(Self.temperature, count: 9, from: start, every: 30_000)
        _ = try store.writer.write(IngestBatch(readings: readings.reversed()))

        let tables = try store.sqliteTables()
        #expect(tables.isSuperset(of: ["raw_20250630", "raw_20250701", "rollup_1m_20250630", "rollup_1m_20250701"]))
        #expect(try store.rowCount(of: "raw_20250630") == 4)
        #expect(try store.rowCount(of: "raw_20250701") == 5)
        #expect(
            try store.registeredPartitions()
                == ["raw_20250630", "raw_20250701", "rollup_1m_20250630", "rollup_1m_20250701"])

        let stored = try store.queries.readings(
            of: Self.temperature, from: start, to: start.adding(milliseconds: Instants.hour))
        #expect(stored.map(\.timestamp) == readings.map(\.timestamp))
        #expect(stored.map(\.value) == readings.map(\.value))
        #expect(stored.allSatisfy { $0.quality == .pass && $0.series == Self.temperature })

        // The range is half-open and a limit stops across partitions too.
        let window = try store.queries.readings(
            of: Self.temperature, from: start.adding(milliseconds: 60_000), to: Instants.july1(minutes: 1))
        #expect(window.map(\.timestamp) == Array(readings[2..<6].map(\.timestamp)))
        let limited = try store.queries.readings(
            of: Self.temperature, from: start, to: Instants.july1(plusDays: 1), limit: 6)
        #expect(limited.map(\.timestamp) == Array(readings.prefix(6).map(\.timestamp)))

        let statistics = try store.queries.statistics()
        #expect(statistics.rawPartitions == 2)
        #expect(statistics.oldestPartition == Instants.july1(plusDays: -1))
        #expect(statistics.newestPartition == Instants.july1)
        #expect(try store.queries.export(from: start, to: Instants.july1(plusDays: 1)).count == 9)
    }

    @Test("The inbox position is stored in the batch's transaction and read back, also after reopening")
    func inboxPositionRoundTrip() throws {
        let store = try StoreFixture()
        #expect(try store.writer.inboxPosition() == nil)

        let reading = Reading(series: Self.temperature, timestamp: Instants.july1(hours: 2), value: 26, quality: .pass)
        _ = try store.writer.write(
            IngestBatch(readings: [reading], inboxPosition: InboxPosition(segment: 3, offset: 1234)))
        #expect(try store.writer.inboxPosition() == InboxPosition(segment: 3, offset: 1234))

        // A batch without a journaled message (QoS 0 only) leaves the position where it was.
        var later = reading
        later.timestamp = later.timestamp.adding(milliseconds: 1000)
        _ = try store.writer.write(IngestBatch(readings: [later]))
        #expect(try store.writer.inboxPosition() == InboxPosition(segment: 3, offset: 1234))

        // A batch of nothing but a position (every message a duplicate or reject) still moves it.
        let positionOnly = IngestBatch(inboxPosition: InboxPosition(segment: 4, offset: 16))
        #expect(!positionOnly.isEmpty)
        _ = try store.writer.write(positionOnly)
        #expect(try store.writer.inboxPosition() == InboxPosition(segment: 4, offset: 16))

        let reopened = try Store.open(.sqlite(path: store.path), for: .ingest).makeReadingWriter()
        #expect(try reopened.inboxPosition() == InboxPosition(segment: 4, offset: 16))
    }

    @Test("A reopened writer keeps using the series ids and partitions already in the file")
    func reopenedWriterContinues() throws {
        let store = try StoreFixture()
        let first = Self.readings(Self.temperature, count: 5, from: Instants.july1(hours: 5), every: 60_000)
        _ = try store.writer.write(IngestBatch(readings: first))

        let writer = try Store.open(.sqlite(path: store.path), for: .ingest).makeReadingWriter()
        let again = try writer.write(IngestBatch(readings: first))
        #expect(again.duplicates == 5)
        let more = Self.readings(Self.temperature, count: 5, from: Instants.july1(hours: 6), every: 60_000)
        #expect(try writer.write(IngestBatch(readings: more)).stored.count == 5)

        #expect(try store.queries.statistics().series == 1)
        #expect(
            try store.queries.readings(of: Self.temperature, from: Instants.july1, to: Instants.july1(plusDays: 1))
                .count == 10)
    }
}
