import EnvMonCore
import Testing

@testable import EnvMonStore

/// Roll-ups are maintained on ingest; whatever the batching, order, duplicates or later QC
/// verdicts, each bucket must equal the aggregate of the raw rows it covers (fail and missing
/// values left out).
@Suite("Roll-ups, on both backends")
struct RollupTests {
    static let series = [
        SeriesKey(sensor: "catba-buoy-1", metric: "water_temp"),
        SeriesKey(sensor: "catba-buoy-1", metric: "salinity"),
        SeriesKey(sensor: "halong-station-2", metric: "air_temp"),
    ]

    static func expectMatchingRaw(
        _ store: StoreFixture, _ series: SeriesKey, from: Timestamp, to: Timestamp,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for comparison in try store.rollupComparisons(of: series, from: from, to: to) {
            #expect(
                comparison.stored.count == comparison.expected.count,
                "\(series) \(comparison.resolution.rawValue): bucket count", sourceLocation: sourceLocation)
            for (stored, expected) in zip(comparison.stored, comparison.expected) {
                #expect(
                    stored == expected, "\(series) \(comparison.resolution.rawValue)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(
        "Roll-ups at 1m, 1h and 1d equal aggregates of the raw rows over hour and day boundaries",
        arguments: StoreBackend.allCases)
    func rollupsEqualRawAggregates(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        var generator = SeededGenerator(seed: 20_250_701)
        // 22:30 on 30 June to about 01:50 on 1 July: several hours and one midnight per series.
        let start = Instants.july1(hours: -1, minutes: -30)
        let qualities: [QualityFlag] = [
            .pass, .pass, .pass, .pass, .pass, .pass, .suspect, .notEvaluated, .fail, .missing,
        ]
        var all: [Reading] = []
        for key in Self.series {
            var time = start.milliseconds + Int64.random(in: 0..<5_000, using: &generator)
            for _ in 0..<1_200 {
                // Quarter-unit values are exact in binary, so sums do not depend on addition order.
                let value = Double(Int.random(in: -400...1_600, using: &generator)) / 4
                let quality = qualities.randomElement(using: &generator)!
                all.append(
                    Reading(
                        series: key, timestamp: Timestamp(milliseconds: time), value: value, quality: quality,
                        flaggedBy: quality == .fail ? .grossRange : []))
                time += Int64.random(in: 1_000...19_000, using: &generator)
            }
        }
        #expect(all.contains { $0.quality == .fail } && all.contains { $0.quality == .missing })

        // Batches arrive out of time order and interleave series; one is delivered twice.
        all.shuffle(using: &generator)
        var batches: [[Reading]] = []
        var index = 0
        while index < all.count {
            let size = Int.random(in: 50...700, using: &generator)
            batches.append(Array(all[index..<min(index + size, all.count)]))
            index += size
        }
        batches.append(batches[1])
        var stored = 0
        var duplicates = 0
        for batch in batches {
            let outcome = try store.writer.write(IngestBatch(readings: batch))
            stored += outcome.stored.count
            duplicates += outcome.duplicates
        }
        #expect(stored == all.count)
        #expect(duplicates == batches[1].count)

        let from = start.floored(toMultipleOf: Instants.day)
        let to = Instants.july1(plusDays: 1)
        for key in Self.series {
            let raw = try store.queries.readings(of: key, from: from, to: to)
            #expect(raw.count == 1_200)
            let comparisons = try store.rollupComparisons(of: key, from: from, to: to)
            for comparison in comparisons {
                #expect(comparison.stored.count == comparison.expected.count)
                for (stored, expected) in zip(comparison.stored, comparison.expected) {
                    #expect(stored == expected, "\(key) \(comparison.resolution.rawValue)")
                }
                let included = raw.filter { $0.quality != .fail && $0.quality != .missing }.count
                #expect(comparison.stored.reduce(0) { $0 + $1.count } == included)
            }
            #expect(comparisons.first { $0.resolution == .day }?.stored.count == 2)
            #expect((comparisons.first { $0.resolution == .hour }?.stored.count ?? 0) >= 4)
        }
    }

    @Test(
        "A later revision to fail updates the raw flag and recomputes the roll-ups without the reading",
        arguments: StoreBackend.allCases)
    func laterRevisionToFailRecomputes(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[0]
        // 23:58:00 to 00:01:50, every 10 s: minute, hour and day boundaries in one series.
        let start = Instants.july1(minutes: -2)
        var readings = (0..<24).map { index in
            Reading(
                series: key, timestamp: start.adding(milliseconds: Int64(index) * 10_000),
                value: Double(index % 7) + 20, quality: .pass)
        }
        // A spike that QC will only later judge, in the middle of 23:59.
        readings[9].value = 45
        _ = try store.writer.write(IngestBatch(readings: readings))
        let from = Instants.july1(plusDays: -1)
        let to = Instants.july1(plusDays: 1)
        try Self.expectMatchingRaw(store, key, from: from, to: to)
        #expect(
            try store.queries.rollups(of: key, resolution: .day, from: from, to: to).first?.maximum == 45)

        // The next batch settles the spike as fail, fails the newest reading (the last of its
        // minute, hour, day and the series' latest value) and brings new readings into 00:01.
        let newest = readings[23]
        let extra = [
            Reading(series: key, timestamp: Instants.july1(minutes: 1, seconds: 55), value: 19.5, quality: .pass),
            Reading(series: key, timestamp: Instants.july1(minutes: 1, seconds: 5), value: 30.25, quality: .pass),
        ]
        let outcome = try store.writer.write(
            IngestBatch(
                readings: extra,
                revisions: [
                    QualityRevision(series: key, timestamp: readings[9].timestamp, quality: .fail, flaggedBy: .spike),
                    QualityRevision(series: key, timestamp: newest.timestamp, quality: .fail, flaggedBy: .rateOfChange),
                ]))
        #expect(outcome.stored == extra)

        let raw = try store.queries.readings(of: key, from: from, to: to)
        let spike = try #require(raw.first { $0.timestamp == readings[9].timestamp })
        #expect(spike.quality == .fail)
        #expect(spike.flaggedBy == .spike)
        let revisedNewest = try #require(raw.first { $0.timestamp == newest.timestamp })
        #expect(revisedNewest.quality == .fail)
        #expect(revisedNewest.flaggedBy == .rateOfChange)
        try Self.expectMatchingRaw(store, key, from: from, to: to)
        #expect(
            try store.queries.rollups(of: key, resolution: .day, from: from, to: to).first?.maximum ?? 0 < 45)

        // Back to pass: the reading returns to its buckets.
        _ = try store.writer.write(
            IngestBatch(revisions: [
                QualityRevision(series: key, timestamp: readings[9].timestamp, quality: .pass, flaggedBy: [])
            ]))
        #expect(
            try store.queries.readings(of: key, from: from, to: to).first { $0.timestamp == readings[9].timestamp }?
                .quality == .pass)
        try Self.expectMatchingRaw(store, key, from: from, to: to)
        #expect(
            try store.queries.rollups(of: key, resolution: .day, from: from, to: to).first?.maximum == 45)
    }

    @Test("Failing the only reading of a bucket removes the bucket", arguments: StoreBackend.allCases)
    func revisionEmptiesBucket(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[1]
        let lone = Reading(series: key, timestamp: Instants.july1(hours: 7, minutes: 30), value: 31, quality: .pass)
        let others = (0..<3).map { index in
            Reading(
                series: key, timestamp: Instants.july1(hours: 6, minutes: Int64(index)), value: 30 + Double(index),
                quality: .pass)
        }
        _ = try store.writer.write(IngestBatch(readings: others + [lone]))
        _ = try store.writer.write(
            IngestBatch(revisions: [
                QualityRevision(series: key, timestamp: lone.timestamp, quality: .fail, flaggedBy: .grossRange)
            ]))

        let from = Instants.july1
        let to = Instants.july1(plusDays: 1)
        #expect(
            try store.queries.rollups(of: key, resolution: .minute, from: from, to: to).map(\.bucket)
                == others.map(\.timestamp))
        #expect(
            try store.queries.rollups(of: key, resolution: .hour, from: from, to: to).map(\.bucket)
                == [Instants.july1(hours: 6)])
        try Self.expectMatchingRaw(store, key, from: from, to: to)
    }

    @Test("A revision between included flags (pass to suspect) changes the flag only", arguments: StoreBackend.allCases)
    func revisionWithinIncludedFlags(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[2]
        let readings = (0..<5).map { index in
            Reading(
                series: key, timestamp: Instants.july1(hours: 12, seconds: Int64(index) * 20), value: Double(index),
                quality: .pass)
        }
        _ = try store.writer.write(IngestBatch(readings: readings))
        let before = try store.queries.rollups(
            of: key, resolution: .minute, from: Instants.july1, to: Instants.july1(plusDays: 1))
        _ = try store.writer.write(
            IngestBatch(revisions: [
                QualityRevision(series: key, timestamp: readings[4].timestamp, quality: .suspect, flaggedBy: .spike)
            ]))

        let raw = try store.queries.readings(of: key, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(raw.map(\.quality) == [.pass, .pass, .pass, .pass, .suspect])
        #expect(raw.last?.flaggedBy == .spike)
        #expect(try store.queries.latest().first?.quality == .suspect)
        #expect(
            try store.queries.rollups(
                of: key, resolution: .minute, from: Instants.july1, to: Instants.july1(plusDays: 1))
                == before)
    }

    @Test("A revision for a reading in the same batch is applied before the insert", arguments: StoreBackend.allCases)
    func revisionWithinBatch(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[0]
        let readings = (0..<6).map { index in
            Reading(
                series: key, timestamp: Instants.july1(hours: 9, seconds: Int64(index) * 15),
                value: index == 3 ? 80 : 25 + Double(index), quality: .pass)
        }
        let outcome = try store.writer.write(
            IngestBatch(
                readings: readings,
                revisions: [
                    QualityRevision(series: key, timestamp: readings[3].timestamp, quality: .fail, flaggedBy: .spike)
                ]))

        #expect(outcome.stored.count == 6)
        #expect(outcome.stored[3].quality == .fail)
        #expect(outcome.stored[3].flaggedBy == .spike)
        let raw = try store.queries.readings(of: key, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(raw.map(\.quality) == [.pass, .pass, .pass, .fail, .pass, .pass])
        #expect(raw[3].flaggedBy == .spike)
        let minutes = try store.queries.rollups(
            of: key, resolution: .minute, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(minutes.map(\.count) == [3, 2])
        #expect(minutes.map(\.maximum).allSatisfy { $0 < 80 })
        try Self.expectMatchingRaw(store, key, from: Instants.july1, to: Instants.july1(plusDays: 1))
    }

    /// A QoS 1 redelivery (or a publisher's retry) of a reading QC has not settled yet arrives
    /// as a duplicate: QC judges the copy out of order, and the next reading settles the original.
    /// The verdict must reach the stored row, not the ignored copy.
    @Test(
        "A revision reaches the stored reading when the batch also holds a duplicate of it",
        arguments: StoreBackend.allCases, [false, true])
    func revisionWithRedeliveredReading(_ backend: StoreBackend, originalInEarlierBatch: Bool) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[0]
        let original = Reading(series: key, timestamp: Instants.july1(hours: 8), value: 70, quality: .pass)
        var copy = original
        copy.quality = .notEvaluated
        let next = Reading(
            series: key, timestamp: original.timestamp.adding(milliseconds: 10_000), value: 25, quality: .pass)
        let revision = QualityRevision(series: key, timestamp: original.timestamp, quality: .fail, flaggedBy: .spike)
        if originalInEarlierBatch {
            _ = try store.writer.write(IngestBatch(readings: [original]))
            _ = try store.writer.write(IngestBatch(readings: [copy, next], revisions: [revision]))
        } else {
            _ = try store.writer.write(IngestBatch(readings: [original, copy, next], revisions: [revision]))
        }

        let from = Instants.july1
        let to = Instants.july1(plusDays: 1)
        let raw = try store.queries.readings(of: key, from: from, to: to)
        #expect(raw.map(\.timestamp) == [original.timestamp, next.timestamp])
        #expect(raw.first?.quality == .fail)
        #expect(raw.first?.flaggedBy == .spike)
        #expect(try store.queries.rollups(of: key, resolution: .hour, from: from, to: to).map(\.count) == [1])
        try Self.expectMatchingRaw(store, key, from: from, to: to)
    }

    @Test("A revision for a reading the store never saw is ignored", arguments: StoreBackend.allCases)
    func revisionForUnknownReading(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        let key = Self.series[0]
        let reading = Reading(series: key, timestamp: Instants.july1(hours: 4), value: 22, quality: .pass)
        _ = try store.writer.write(IngestBatch(readings: [reading]))
        _ = try store.writer.write(
            IngestBatch(revisions: [
                QualityRevision(
                    series: key, timestamp: reading.timestamp.adding(milliseconds: 1), quality: .fail, flaggedBy: .spike
                ),
                QualityRevision(
                    series: Self.series[2], timestamp: reading.timestamp, quality: .fail, flaggedBy: .spike),
                QualityRevision(
                    series: key, timestamp: Instants.july1(plusDays: 30), quality: .fail, flaggedBy: .spike),
            ]))
        let raw = try store.queries.readings(of: key, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(raw.map(\.quality) == [.pass])
        try Self.expectMatchingRaw(store, key, from: Instants.july1, to: Instants.july1(plusDays: 1))
        #expect(try store.queries.statistics().series == 1)
    }
}
