import EnvMonCore
import Testing

@testable import EnvMonStore

@Suite("ReadingWriter, on both backends")
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

    @Test(
        "Writing the same readings twice stores them once and counts the second write as duplicates",
        arguments: StoreBackend.allCases)
    func idempotentOnSeriesAndTimestamp(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
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

    @Test("A redelivery with a different value keeps the first stored value", arguments: StoreBackend.allCases)
    func firstWriteWins(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
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

    @Test(
        "A reading repeated inside one batch is stored once and counted as a duplicate",
        arguments: StoreBackend.allCases)
    func duplicateWithinBatch(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let reading = Reading(series: Self.temperature, timestamp: Instants.july1(hours: 1), value: 27, quality: .pass)
        let outcome = try store.writer.write(IngestBatch(readings: [reading, reading, reading]))

        #expect(outcome.stored == [reading])
        #expect(outcome.duplicates == 2)
        let minutes = try store.queries.rollups(
            of: Self.temperature, resolution: .minute, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(minutes.map(\.count) == [1])
        #expect(try store.queries.statistics().counters["duplicates"] == 2)
    }

    @Test(
        "Readings either side of UTC midnight go to two day partitions and one query spans both",
        arguments: StoreBackend.allCases)
    func partitionsAcrossMidnight(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        // 23:58:00 on 30 June to 00:02:00 on 1 July, every 30 s, written newest first.
        let start = Instants.july1(minutes: -2)
        let readings = Self.readings(Self.temperature, count: 9, from: start, every: 30_000)
        _ = try store.writer.write(IngestBatch(readings: readings.reversed()))

        // Both backends keep a table per UTC day (PostgreSQL's are partitions of `readings` and
        // `rollup_1m`) and list them in `partitions`.
        let tables = try store.tableNames()
        #expect(tables.isSuperset(of: ["raw_20250630", "raw_20250701", "rollup_1m_20250630", "rollup_1m_20250701"]))
        #expect(try store.rowCount(of: "raw_20250630") == 4)
        #expect(try store.rowCount(of: "raw_20250701") == 5)
        switch backend {
        case .sqlite:
            #expect(
                try store.registeredPartitions()
                    == ["raw_20250630", "raw_20250701", "rollup_1m_20250630", "rollup_1m_20250701"])
        case .postgresql:
            // Differs by design: the PostgreSQL writer also makes the day after the newest
            // reading's (creating a partition locks its parent table, which another collector's
            // batch then waits for; ahead of time it rarely has to). Statistics count only
            // partitions holding a reading, so the figures below are the same.
            #expect(
                try store.registeredPartitions() == [
                    "raw_20250630", "raw_20250701", "raw_20250702", "rollup_1m_20250630", "rollup_1m_20250701",
                    "rollup_1m_20250702",
                ])
        }

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

    @Test(
        "The inbox position is stored in the batch's transaction and read back, also after reopening",
        arguments: StoreBackend.allCases)
    func inboxPositionRoundTrip(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
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

        let reopened = try store.open(for: .ingest).makeReadingWriter()
        #expect(try reopened.inboxPosition() == InboxPosition(segment: 4, offset: 16))
    }

    @Test(
        "A replay request finds each replayable message once, oldest first; finishing it removes the rows it resolved",
        arguments: StoreBackend.allCases)
    func rejectReplay(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let at = Instants.july1(hours: 12)
        func reject(_ topic: String, _ reason: RejectReason, seconds: Int64, _ payload: String) -> RejectRecord {
            RejectRecord(
                receivedAt: at.adding(milliseconds: seconds * 1000), topic: topic, reason: reason,
                detail: reason.rawValue, payload: Array(payload.utf8))
        }
        let unknownSensor = reject("envmon/lan_ha/lh-wq-09/do", .unknownSensor, seconds: 0, "6.1")
        let unknownMetric = reject("envmon/lan_ha/lh-wq-01/oxygen", .unknownMetric, seconds: 5, "6.4")
        let undecodable = reject("envmon/lan_ha/lh-wq-01/do", .undecodable, seconds: 10, "{oops")
        let later = reject("envmon/lan_ha/lh-wq-09/do", .unknownSensor, seconds: 60, "6.2")
        // The first message rejected twice (a QoS 1 redelivery): one message with two rows.
        _ = try store.writer.write(IngestBatch(rejects: [unknownSensor, unknownSensor, unknownMetric, undecodable]))
        _ = try store.writer.write(IngestBatch(rejects: [later]))
        #expect(try store.writer.pendingReplayRequests().isEmpty)

        // Queued as the CLI queues them, through a store opened for requests.
        let requests = try store.open(for: .queueRequests).readings
        let dryRun = try requests.queueReplay(reason: nil, since: nil, dryRun: true, at: at.adding(milliseconds: 1))
        let sinceLater = try requests.queueReplay(
            reason: .unknownSensor, since: at.adding(milliseconds: 30_000), dryRun: false,
            at: at.adding(milliseconds: 2))
        let pending = try store.writer.pendingReplayRequests()
        #expect(pending.map(\.id) == [dryRun, sinceLater])
        #expect(pending.map(\.reason) == [nil, .unknownSensor])
        #expect(pending.map(\.since) == [nil, at.adding(milliseconds: 30_000)])
        #expect(pending.map(\.dryRun) == [true, false])
        #expect(try store.queries.replayRequest(id: dryRun)?.status == "pending")

        // Every replayable reason (not the undecodable one), each message once with all its rows.
        let everything = try store.writer.replayableMessages(for: pending[0])
        #expect(everything.map(\.topic) == [unknownSensor.topic, unknownMetric.topic, later.topic])
        #expect(everything.map(\.reason) == [.unknownSensor, .unknownMetric, .unknownSensor])
        #expect(everything.map(\.payload) == [unknownSensor.payload, unknownMetric.payload, later.payload])
        #expect(everything.map(\.rowIDs.count) == [2, 1, 1])
        #expect(everything.map(\.receivedAt) == [unknownSensor.receivedAt, unknownMetric.receivedAt, later.receivedAt])
        let since = try store.writer.replayableMessages(for: pending[1])
        #expect(since.map(\.payload) == [later.payload])

        let counts: [RejectReason: ReplayCounts] = [
            .unknownSensor: ReplayCounts(stored: 2, stillRefused: 0, alreadyPresent: 1),
            .unknownMetric: ReplayCounts(stored: 0, stillRefused: 1, alreadyPresent: 0),
        ]
        try store.writer.finishReplay(
            pending[0], results: counts, resolvedRows: [], detail: "dry run", at: at.adding(milliseconds: 10))
        try store.writer.finishReplay(
            pending[1], results: [.unknownSensor: ReplayCounts(stored: 1, stillRefused: 0, alreadyPresent: 0)],
            resolvedRows: since[0].rowIDs, detail: nil, at: at.adding(milliseconds: 20))
        #expect(try store.writer.pendingReplayRequests().isEmpty)
        let done = try store.queries.replayRequest(id: dryRun)
        #expect(done?.status == "done")
        #expect(done?.results == counts)
        #expect(done?.detail == "dry run")
        #expect(try store.queries.replayRequest(id: sinceLater)?.results[.unknownSensor]?.stored == 1)
        #expect(try store.queries.replayRequest(id: sinceLater + 100) == nil)
        // The replayed message's row is gone; the dry run removed nothing.
        #expect(
            try store.queries.rejects().map(\.topic) == [
                undecodable.topic, unknownMetric.topic, unknownSensor.topic, unknownSensor.topic,
            ])
    }

    @Test(
        "A reopened writer keeps using the series ids and partitions already in the store",
        arguments: StoreBackend.allCases)
    func reopenedWriterContinues(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let first = Self.readings(Self.temperature, count: 5, from: Instants.july1(hours: 5), every: 60_000)
        _ = try store.writer.write(IngestBatch(readings: first))

        let writer = try store.open(for: .ingest).makeReadingWriter()
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
