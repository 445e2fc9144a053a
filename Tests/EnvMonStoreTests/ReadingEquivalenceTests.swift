import EnvMonCore
import Foundation
import GRDB
import PostgresNIO
import TestSupport
import Testing

@testable import EnvMonStore

/// SQLite and PostgreSQL fed the same batches must read back alike through every
/// `ReadingQueries` call, in the same order, with the same limits and empty cases, and leave the
/// same rows in their tables: the answers of one backend are the other's expectations, over more
/// cases than fixed expectations could list. The edge cases of the same data are checked with
/// fixed expectations on each backend alone; the rest of the behaviour is in the suites that run
/// on both backends (ReadingWriter, ReadingQueries, Roll-ups, Retention).
@Suite("Readings: SQLite and PostgreSQL fed the same batches answer alike")
struct ReadingEquivalenceTests {
    static let oxygen = SeriesKey(sensor: "lh-wq-01", metric: "do")
    static let waterTemperature = SeriesKey(sensor: "lh-wq-01", metric: "water_temp")
    static let pm25 = SeriesKey(sensor: "cb-air-01", metric: "pm25")
    static let pm10 = SeriesKey(sensor: "cb-air-01", metric: "pm10")
    /// `_` after `cb`: bytewise it sorts after `cb-air-01`, as SQLite orders text.
    static let secondPM25 = SeriesKey(sensor: "cb_air-02", metric: "pm25")
    /// A sensor with no site: `latest()` puts it first, as SQLite sorts NULL first.
    static let airTemperature = SeriesKey(sensor: "hp-met-03", metric: "air_temp")
    static let all = [oxygen, waterTemperature, pm25, pm10, secondPM25, airTemperature]
    /// Index of each series' sensor: a sensor's metrics arrive in one message, so at one instant.
    static let sensorIndex = [0, 0, 1, 1, 2, 3]
    static let unknown = SeriesKey(sensor: "nowhere-01", metric: "do")

    /// 2025-07-01T22:00Z: the batches run to 02:20 the next day, so two UTC days.
    static let start = Instants.july1(hours: 22)
    static let end = start.adding(milliseconds: 4 * Instants.hour + 30 * Instants.minute)
    static let july2 = Instants.july1(plusDays: 1)

    static func time(_ minute: Int64, second: Int64) -> Timestamp {
        start.adding(milliseconds: minute * Instants.minute + second * 1000)
    }

    /// Five overlapping hours of six series (so duplicates across batches), one across midnight;
    /// QC fails and suspects, a catch-up and a calibration reading kept out of the roll-ups, a
    /// duplicate inside a batch, spike verdicts on stored readings; rejects of every reason, two
    /// of a batch at one instant, payloads over the kept size; `seq` gaps, repeats and a restart on
    /// two days of receipt; inbox positions.
    static var batches: [IngestBatch] {
        var random = SeededGenerator(seed: 17)
        let bases: [Double] = [6.5, 29, 35, 60, 38, 31]
        var batches: [IngestBatch] = []
        for index in 0..<5 {
            let firstMinute = Int64(index) * 50
            var readings: [Reading] = []
            for minute in firstMinute..<(firstMinute + 60) {
                for (position, series) in all.enumerated() {
                    var reading = Reading(
                        series: series, timestamp: time(minute, second: 3 + 7 * Int64(sensorIndex[position])),
                        value: bases[position] + Double(random.next() % 1000) / 100, quality: .pass)
                    switch (minute * 7 + Int64(position)) % 41 {
                    case 0:
                        reading.quality = .fail
                        reading.flaggedBy = .grossRange
                    case 5, 17:
                        reading.quality = .suspect
                        reading.flaggedBy = .rateOfChange
                    case 29: reading.quality = .notEvaluated
                    default: break
                    }
                    readings.append(reading)
                }
            }
            readings.append(
                Reading(
                    series: secondPM25, timestamp: time(firstMinute + 30, second: 59), value: 400, quality: .pass,
                    timeSource: .catchUp))
            readings.append(
                Reading(
                    series: waterTemperature, timestamp: time(firstMinute + 31, second: 58), value: 12,
                    quality: .pass, deviceStatus: .calibrating))
            readings.append(readings[3])

            let receivedAt = time(firstMinute + 59, second: 50)
            let reasons = RejectReason.allCases
            let rejects = (0..<4).map { k in
                let reason = reasons[(index * 3 + k) % reasons.count]
                return RejectRecord(
                    receivedAt: k < 2 ? receivedAt : time(firstMinute + Int64(10 * k), second: 1),
                    topic: "envmon/site-\(index)/sensor-\(k)", reason: reason,
                    detail: "\(reason.rawValue) in batch \(index)",
                    payload: (0..<(100 + 300 * k)).map { UInt8(truncatingIfNeeded: $0 * 31 + index) })
            }
            var batch = IngestBatch(
                readings: readings, rejects: rejects,
                sites: ["lh-wq-01": "lan_ha", "cb-air-01": "cat_ba_town", "cb_air-02": "cat_ba_town"],
                inboxPosition: InboxPosition(segment: Int64(index + 1), offset: 4096 * Int64(index + 1)))
            if index == 3 {
                batch.revisions = [
                    QualityRevision(series: oxygen, timestamp: time(10, second: 3), quality: .fail, flaggedBy: .spike),
                    QualityRevision(
                        series: pm10, timestamp: time(120, second: 10), quality: .suspect, flaggedBy: .spike),
                ]
            }
            var water = SensorDeliveryChange()
            water.lastSequence = Int64(60 * (index + 1))
            water.lastChecksum = 0xDEAD_0000 + UInt32(index)
            water.missing = index % 2 == 0 ? 3 : 0
            water.duplicates = index == 3 ? 2 : 0
            water.restarts = index == 4 ? 1 : 0
            var air = SensorDeliveryChange()
            // A batch without `seq` keeps the previous one.
            air.lastSequence = index == 2 ? nil : Int64(1000 + 55 * index)
            air.lastChecksum = 77 + UInt32(index)
            air.missing = Int64(index)
            air.catchUpReadings = 1
            batch.delivery = ["lh-wq-01": water, "cb_air-02": air]
            batch.receivedAt = receivedAt
            batch.droppedDuplicates = index == 1 ? 2 : 0
            batches.append(batch)
        }
        return batches
    }

    /// Both stores with the same batches written.
    struct Stores {
        let sqlite: StoreFixture
        let postgres: StoreFixture
        var lite: any ReadingQueries { sqlite.queries }
        var pg: any ReadingQueries { postgres.queries }
    }

    static func filled() async throws -> Stores {
        let sqlite = try await StoreFixture(.sqlite)
        let postgres = try await StoreFixture(.postgresql)
        // Series ids in the reverse of SQLite's order of first sight (as another collector may
        // have made them): the order of readings at one instant follows ids in both stores.
        let session = try postgres.postgresSession()
        for series in all.reversed() {
            var binds = PostgresBindings()
            binds.append(series.sensor)
            binds.append(series.metric)
            try session.query("INSERT INTO series (sensor, metric) VALUES ($1, $2)", binds)
        }
        try fill(sqlite)
        try fill(postgres)
        return Stores(sqlite: sqlite, postgres: postgres)
    }

    static func fill(_ store: StoreFixture) throws {
        for batch in batches { _ = try store.writer.write(batch) }
    }

    /// Ranges to read: everything and more, mid-minute bounds inside the first day, the first hour
    /// of the second day, and a reversed range.
    static let ranges: [(Timestamp, Timestamp)] = [
        (Instants.july1, Instants.july1(plusDays: 3)),
        (time(17, second: 5), time(123, second: 10)),
        (july2, july2.adding(milliseconds: Instants.hour)),
        (end, start),
    ]

    /// Equal but for the last bits of a sum: roll-up sums add a batch's cells in dictionary order.
    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): close(a, b)
        default: false
        }
    }

    static func same(_ a: [RollupPoint], _ b: [RollupPoint]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in
                var exact = x
                exact.sum = y.sum
                return exact == y && close(x.sum, y.sum)
            }
    }

    @Test("raw readings, failed readings, counts, roll-ups, export, sensors and latest values as in SQLite")
    func readingsAndRollups() async throws {
        let stores = try await Self.filled()
        let (postgres, lite) = (stores.pg, stores.lite)
        for series in Self.all + [Self.unknown] {
            for (from, to) in Self.ranges {
                let context = "\(series) [\(from), \(to))"
                #expect(
                    try postgres.readings(of: series, from: from, to: to)
                        == lite.readings(of: series, from: from, to: to),
                    "\(context)")
                for limit in [-1, 0, 1, 25, 10_000] {
                    #expect(
                        try postgres.readings(of: series, from: from, to: to, limit: limit)
                            == lite.readings(of: series, from: from, to: to, limit: limit), "\(context) limit \(limit)")
                    #expect(
                        try postgres.failedReadings(of: series, from: from, to: to, limit: limit)
                            == lite.failedReadings(of: series, from: from, to: to, limit: limit),
                        "\(context) limit \(limit)")
                }
                #expect(
                    try postgres.count(of: series, from: from, to: to) == lite.count(of: series, from: from, to: to),
                    "\(context)")
                for resolution in RollupResolution.allCases {
                    #expect(
                        Self.same(
                            try postgres.rollups(of: series, resolution: resolution, from: from, to: to),
                            try lite.rollups(of: series, resolution: resolution, from: from, to: to)),
                        "\(context) \(resolution)")
                }
            }
        }
        for (from, to) in Self.ranges {
            #expect(try postgres.count(from: from, to: to) == lite.count(from: from, to: to))
        }
        // Not vacuous: there is something to compare, and the fails include the spike verdict.
        let (from, to) = Self.ranges[0]
        #expect(try postgres.count(from: from, to: to) > 1500)
        #expect(try postgres.failedReadings(of: Self.oxygen, from: from, to: to, limit: 100).count > 3)
        #expect(
            try postgres.failedReadings(of: Self.oxygen, from: from, to: to, limit: 100).contains {
                $0.timestamp == Self.time(10, second: 3) && $0.flaggedBy == .spike
            })
        #expect(try postgres.rollups(of: Self.pm25, resolution: .hour, from: from, to: to).count == 5)

        // Ties at one instant follow series ids, given in order of first sight in each store.
        var ids: [SeriesKey: Int64] = [:]
        for row in try stores.postgres.postgresSession().query("SELECT id, sensor, metric FROM series") {
            let (id, sensor, metric) = try row.decode((Int64, String, String).self)
            ids[SeriesKey(sensor: sensor, metric: metric)] = id
        }
        for sensor in [nil, "lh-wq-01", "cb_air-02", "nowhere-01"] {
            for (from, to) in Self.ranges {
                let exported = try postgres.export(from: from, to: to, sensor: sensor)
                let expected = try lite.export(from: from, to: to, sensor: sensor).sorted {
                    ($0.timestamp, ids[$0.series]!) < ($1.timestamp, ids[$1.series]!)
                }
                #expect(exported == expected, "\(sensor ?? "all") [\(from), \(to))")
            }
        }
        let exported = try postgres.export(from: from, to: to)
        #expect(try exported.count == postgres.count(from: from, to: to))
        // Readings at one instant, whose order the ids decide.
        #expect(Set(exported.map(\.timestamp)).count < exported.count)

        let sensors = try postgres.sensors()
        #expect(try sensors == lite.sensors())
        #expect(sensors.map(\.sensor) == ["cb-air-01", "cb_air-02", "hp-met-03", "lh-wq-01"])
        #expect(sensors.first?.metrics == ["pm10", "pm25"])
        #expect(sensors.first { $0.sensor == "hp-met-03" }?.site == nil)

        for (site, sensor) in [
            (nil, nil), ("cat_ba_town", nil), (nil, "lh-wq-01"), ("lan_ha", "cb-air-01"), ("nowhere", nil),
        ] as [(String?, String?)] {
            #expect(
                try postgres.latest(site: site, sensor: sensor) == lite.latest(site: site, sensor: sensor),
                "\(site ?? "-") \(sensor ?? "-")")
        }
        let latest = try postgres.latest()
        #expect(latest.count == Self.all.count)
        #expect(latest.first?.series == Self.airTemperature && latest.first?.site == nil)
        #expect(try postgres.latest(site: "cat_ba_town").map(\.series) == [Self.pm10, Self.pm25, Self.secondPM25])
    }

    @Test("rejects, reject counts, replay requests, counters, delivery figures and statistics as in SQLite")
    func rejectsDeliveryAndStatistics() async throws {
        let stores = try await Self.filled()
        let (postgres, lite) = (stores.pg, stores.lite)

        let sinceTimes: [Timestamp?] = [nil, Self.time(59, second: 50), Self.july2, Self.end]
        for since in sinceTimes {
            for reason in [nil] + RejectReason.allCases.map(Optional.some) {
                for limit in [-1, 0, 3, 1000] {
                    #expect(
                        try postgres.rejects(since: since, reason: reason, limit: limit)
                            == lite.rejects(since: since, reason: reason, limit: limit),
                        "since \(since.map { "\($0)" } ?? "-") reason \(reason?.rawValue ?? "-") limit \(limit)")
                }
            }
            #expect(
                try postgres.rejectCounts(since: since ?? Instants.july1)
                    == lite.rejectCounts(since: since ?? Instants.july1))
        }
        let rejects = try postgres.rejects()
        #expect(rejects.count == 20)
        #expect(rejects.contains { $0.payload.count == RejectRecord.maximumPayloadBytes })
        #expect(rejects.contains { $0.payload.count > RejectRecord.maximumPayloadBytes })
        #expect(try postgres.rejectCounts(since: Instants.july1).values.reduce(0, +) == 20)

        let counters = try postgres.counters()
        #expect(try counters == lite.counters())
        #expect(counters["duplicates"] ?? 0 > 0 && counters["rejects.oversize"] ?? 0 > 0)

        let delivery = try postgres.sensorDelivery()
        #expect(try delivery == lite.sensorDelivery())
        #expect(delivery.map(\.sensor) == ["cb_air-02", "lh-wq-01"])
        #expect(delivery.first?.lastSequence == Int64(1000 + 55 * 4))
        #expect(delivery.last?.lastChecksum == 0xDEAD_0004)
        for (from, to) in [
            (Instants.july1, Self.july2), (Self.july2, Instants.july1(plusDays: 2)),
            (Instants.july1(hours: 12), Instants.july1(plusDays: 1, hours: 1)), (Instants.july1, Self.end),
            (Self.end, Instants.july1(plusDays: 9)),
        ] {
            #expect(
                try postgres.sensorDelivery(from: from, to: to) == lite.sensorDelivery(from: from, to: to),
                "[\(from), \(to))")
        }
        #expect(try postgres.sensorDelivery(from: Instants.july1, to: Self.july2)["lh-wq-01"]?.missing == 3)

        // The daemon's figures: with one collector exactly SQLite's.
        let at = Self.end.adding(milliseconds: 5000)
        let figures: [String: Double] = ["running": 1, "messages_received": 1800, "last_batch_ms": 12.5]
        try stores.sqlite.writer.recordDaemonStatistics(figures, at: at)
        try stores.postgres.writer.recordDaemonStatistics(figures, at: at)
        let statistics = try postgres.statistics()
        let expected = try lite.statistics()
        #expect(statistics.counters == expected.counters)
        #expect(statistics.rejectsByReason == expected.rejectsByReason)
        #expect(statistics.series == expected.series && statistics.series == 6)
        #expect(statistics.sensors == expected.sensors && statistics.sensors == 4)
        #expect(statistics.rawPartitions == expected.rawPartitions && statistics.rawPartitions == 2)
        #expect(statistics.oldestPartition == expected.oldestPartition)
        #expect(statistics.newestPartition == expected.newestPartition && statistics.newestPartition == Self.july2)
        #expect(statistics.daemon == expected.daemon && statistics.daemon == figures)
        #expect(statistics.daemonUpdatedAt == expected.daemonUpdatedAt && statistics.daemonUpdatedAt == at)
        #expect(statistics.databaseBytes > 1 << 20)

        // A second collector: per name its newest figure, not a sum (`running` stays 0 or 1).
        let second = try stores.postgres.open(for: .ingest).makeReadingWriter(collector: "collector-b")
        try second.recordDaemonStatistics(["running": 0, "messages_received": 5], at: at.adding(milliseconds: -4000))
        try second.recordDaemonStatistics(["handoff_depth": 3], at: at.adding(milliseconds: 1000))
        let both = try postgres.statistics()
        #expect(both.daemon == ["running": 1, "messages_received": 1800, "last_batch_ms": 12.5, "handoff_depth": 3])
        #expect(both.daemonUpdatedAt == at.adding(milliseconds: 1000))

        // Replay requests: queued, read back pending, then as the daemon leaves them. The CLI
        // queues through a store opened for requests (the fixture's reader is read-only).
        let sqliteRequests = try stores.sqlite.open(for: .queueRequests).readings
        let postgresRequests = try stores.postgres.open(for: .queueRequests).readings
        let requests: [(RejectReason?, Timestamp?, Bool)] = [(.unknownSensor, Self.july2, true), (nil, nil, false)]
        for (reason, since, dryRun) in requests {
            let id = try postgresRequests.queueReplay(reason: reason, since: since, dryRun: dryRun, at: at)
            #expect(try id == sqliteRequests.queueReplay(reason: reason, since: since, dryRun: dryRun, at: at))
            let pending = try postgres.replayRequest(id: id)
            #expect(try pending == lite.replayRequest(id: id))
            #expect(pending == RejectReplayRequest(id: id, reason: reason, since: since, dryRun: dryRun))
            let request = try #require(pending)
            let results: [RejectReason: ReplayCounts] = [
                .unknownSensor: ReplayCounts(stored: 4, stillRefused: 1),
                .unitMismatch: ReplayCounts(alreadyPresent: 2),
            ]
            for writer in [stores.sqlite.writer, stores.postgres.writer] {
                try writer.finishReplay(
                    request, results: results, resolvedRows: [], detail: "replayed", at: at.adding(milliseconds: 10))
            }
            let done = try postgres.replayRequest(id: id)
            #expect(try done == lite.replayRequest(id: id))
            #expect(done?.status == "done" && done?.results == results && done?.detail == "replayed")
        }
        #expect(try postgres.replayRequest(id: 999) == nil)
        #expect(try lite.replayRequest(id: 999) == nil)
    }

    @Test("recent means, report periods and load-run counts as in SQLite")
    func consoleReportAndLoadTools() async throws {
        let stores = try await Self.filled()
        let (postgres, lite) = (stores.pg, stores.lite)

        let nows = [
            Self.end.adding(milliseconds: -5 * Instants.minute), Self.time(90, second: 0),
            Self.start.adding(milliseconds: -Instants.hour), Instants.july1(plusDays: 10),
        ]
        let selections: [Set<String>?] = [nil, ["lh-wq-01"], ["cb_air-02", "hp-met-03", "nowhere-01"], []]
        for now in nows {
            for sensors in selections {
                let means = try postgres.recentMeans(of: sensors, at: now)
                let expected = try lite.recentMeans(of: sensors, at: now)
                let context = "\(now) \(sensors.map { $0.sorted().joined(separator: ",") } ?? "all")"
                #expect(Set(means.keys) == Set(expected.keys), "\(context)")
                for (key, mean) in means {
                    #expect(Self.close(mean.lastHour, expected[key]?.lastHour), "\(context) \(key)")
                    #expect(Self.close(mean.lastDay, expected[key]?.lastDay), "\(context) \(key)")
                }
            }
        }
        let now = try postgres.recentMeans(at: nows[0])
        #expect(now.count == Self.all.count && now.values.allSatisfy { $0.lastHour != nil && $0.lastDay != nil })
        #expect(
            try postgres.recentMeans(of: ["lh-wq-01"], at: nows[0]).keys.sorted { $0.metric < $1.metric } == [
                Self.oxygen, Self.waterTemperature,
            ])
        #expect(try postgres.recentMeans(at: nows[3]).isEmpty)

        let counted = [Self.pm25, Self.secondPM25, Self.unknown]
        for resolution in RollupResolution.allCases {
            for (from, to) in Self.ranges {
                for quality in [true, false] {
                    let context = "\(resolution) [\(from), \(to)) quality \(quality)"
                    let period = try postgres.periodData(
                        series: Self.all + [Self.unknown], countedSeries: counted, resolution: resolution, from: from,
                        to: to, qualityCounts: quality)
                    let expected = try lite.periodData(
                        series: Self.all + [Self.unknown], countedSeries: counted, resolution: resolution, from: from,
                        to: to, qualityCounts: quality)
                    #expect(Set(period.rollups.keys) == Set(expected.rollups.keys), "\(context)")
                    for (key, points) in period.rollups {
                        #expect(Self.same(points, expected.rollups[key] ?? []), "\(context) \(key)")
                    }
                    #expect(period.rollupCounts == expected.rollupCounts, "\(context)")
                    #expect(period.qualityCounts == expected.qualityCounts, "\(context)")
                }
            }
        }
        let (from, to) = Self.ranges[0]
        let period = try postgres.periodData(
            series: Self.all + [Self.unknown], countedSeries: counted, resolution: .hour, from: from, to: to)
        #expect(period.rollups[Self.unknown] == nil && period.rollupCounts[Self.unknown] == nil)
        #expect(period.rollups[Self.oxygen]?.count == 5)
        #expect(period.rollupCounts[Self.pm25] ?? 0 > 200)
        #expect(period.qualityCounts[Self.oxygen]?[.fail] ?? 0 > 3)
        #expect(period.qualityCounts[Self.oxygen]?[.suspect] ?? 0 > 3)

        for prefix in ["cb", "cb-", "lh-wq-01", "", "zz"] {
            for (from, to) in Self.ranges + [(Instants.july1(plusDays: 30), Instants.july1(plusDays: 31))] {
                for distinct in [true, false] {
                    let counts = try postgres.storedReadings(
                        sensorsPrefixed: prefix, from: from, to: to, distinctValues: distinct)
                    let expected = try lite.storedReadings(
                        sensorsPrefixed: prefix, from: from, to: to, distinctValues: distinct)
                    #expect(
                        counts.rows == expected.rows && counts.distinctValues == expected.distinctValues,
                        "\(prefix) [\(from), \(to)) distinct \(distinct)")
                }
            }
        }
        let cb = try postgres.storedReadings(sensorsPrefixed: "cb", from: from, to: to, distinctValues: true)
        #expect(try cb.rows == postgres.export(from: from, to: to).filter { $0.series.sensor.hasPrefix("cb") }.count)
        #expect(cb.distinctValues ?? 0 > 100)
    }

    @Test(
        "edge cases: unknown series, limits honoured, since and reason filters, empty ranges",
        arguments: StoreBackend.allCases)
    func edgeCases(_ backend: StoreBackend) async throws {
        let store = try await StoreFixture(backend)
        try Self.fill(store)
        let queries = store.queries
        let (from, to) = Self.ranges[0]

        #expect(try queries.readings(of: Self.unknown, from: from, to: to).isEmpty)
        #expect(try queries.failedReadings(of: Self.unknown, from: from, to: to, limit: 10).isEmpty)
        #expect(try queries.count(of: Self.unknown, from: from, to: to) == 0)
        for resolution in RollupResolution.allCases {
            #expect(try queries.rollups(of: Self.unknown, resolution: resolution, from: from, to: to).isEmpty)
        }
        #expect(try queries.export(from: from, to: to, sensor: "nowhere-01").isEmpty)
        #expect(try queries.latest(sensor: "nowhere-01").isEmpty)
        #expect(try queries.readings(of: Self.oxygen, from: Self.end, to: Self.start).isEmpty)

        let all = try queries.readings(of: Self.oxygen, from: from, to: to)
        let first = try queries.readings(of: Self.oxygen, from: from, to: to, limit: 7)
        #expect(first == Array(all.prefix(7)))
        #expect(all.count == 260 && all.map(\.timestamp) == all.map(\.timestamp).sorted())
        // As SQLite always did: a limit below one still yields the first row.
        #expect(try queries.readings(of: Self.oxygen, from: from, to: to, limit: 0) == Array(all.prefix(1)))
        #expect(try queries.failedReadings(of: Self.oxygen, from: from, to: to, limit: 2).count == 2)
        #expect(
            try queries.failedReadings(of: Self.oxygen, from: from, to: to, limit: 100).allSatisfy {
                $0.quality == .fail
            })

        #expect(try queries.rejects(limit: 2).count == 2)
        #expect(try queries.rejects(limit: 0).isEmpty)
        #expect(try queries.rejects(limit: -1).count == 20)
        let newest = try queries.rejects(limit: 2)
        // Two rejects of the last batch at one instant: the later row first.
        #expect(newest.map(\.receivedAt) == [Self.time(259, second: 50), Self.time(259, second: 50)])
        #expect(newest.map(\.topic) == ["envmon/site-4/sensor-1", "envmon/site-4/sensor-0"])
        let since = try queries.rejects(since: Self.july2)
        #expect(!since.isEmpty && since.allSatisfy { $0.receivedAt >= Self.july2 } && since.count < 20)
        let oversize = try queries.rejects(reason: .oversize)
        #expect(!oversize.isEmpty && oversize.allSatisfy { $0.reason == .oversize })
        #expect(
            try queries.rejects(since: Self.july2, reason: .oversize)
                == oversize.filter { $0.receivedAt >= Self.july2 })
        #expect(
            try queries.rejectCounts(since: Self.july2)
                == Dictionary(grouping: since, by: \.reason).mapValues(\.count))
        #expect(try queries.rejectCounts(since: Self.end).isEmpty)
        // From the start of a day with no delivery figures (`from` counts from its UTC day's start).
        #expect(try queries.sensorDelivery(from: Instants.july1(plusDays: 2), to: Instants.july1(plusDays: 9)).isEmpty)
        #expect(try !queries.sensorDelivery(from: Self.end, to: Instants.july1(plusDays: 9)).isEmpty)
        let nothing = try queries.storedReadings(
            sensorsPrefixed: "cb", from: Instants.july1(plusDays: 30), to: Instants.july1(plusDays: 31),
            distinctValues: true)
        #expect(nothing.rows == 0 && nothing.distinctValues == 0)
    }
}

// MARK: The writers' tables

extension ReadingEquivalenceTests {

    /// Two days, duplicates inside a batch and across batches, a QC fail and a catch-up reading
    /// kept out of the roll-ups, a later spike verdict that takes a reading out of them, rejects,
    /// `seq` figures and inbox positions.
    static var writerBatches: [IngestBatch] {
        let start = Instants.july1(hours: 23)
        func reading(
            _ series: SeriesKey, _ minutes: Int64, _ value: Double, _ quality: QualityFlag = .pass
        )
            -> Reading
        {
            Reading(
                series: series, timestamp: start.adding(milliseconds: minutes * 60_000 + 7_000), value: value,
                quality: quality)
        }
        let oxygenHour: [Reading] = (0..<90).map { reading(oxygen, Int64($0), 6 + Double($0 % 7) / 10) }
        let temperatureHour: [Reading] = (0..<90).map { reading(waterTemperature, Int64($0), 29 + Double($0 % 5) / 10) }
        let extras: [Reading] = [reading(oxygen, 3, 6.3), reading(pm25, 5, 900, .fail)]
        var first = IngestBatch(
            readings: oxygenHour + temperatureHour + extras,
            rejects: [
                RejectRecord(
                    receivedAt: start, topic: "envmon/x/y", reason: .unknownSensor, detail: "x is not configured",
                    payload: Array("12.5".utf8))
            ],
            sites: ["lh-wq-01": "lan_ha", "cb-air-01": "cat_ba_town"],
            inboxPosition: InboxPosition(segment: 1, offset: 4_096))
        var delivery = SensorDeliveryChange()
        delivery.lastSequence = 90
        delivery.missing = 2
        first.delivery = ["lh-wq-01": delivery]
        first.receivedAt = start
        var catchUp = reading(pm25, 95, 35)
        catchUp.timeSource = .catchUp
        let overlap: [Reading] = (60..<120).map { reading(oxygen, Int64($0), 7 + Double($0 % 3) / 10) }
        let second = IngestBatch(
            readings: overlap + [catchUp, reading(pm25, 96, 41)],
            revisions: [
                QualityRevision(
                    series: oxygen, timestamp: start.adding(milliseconds: 10 * 60_000 + 7_000), quality: .fail,
                    flaggedBy: .spike)
            ],
            sites: ["cb-air-01": "cat_ba_town"], inboxPosition: InboxPosition(segment: 2, offset: 128))
        return [first, second]
    }

    @Test("the same batches leave the same rows in PostgreSQL's tables as in SQLite's, and the same outcome per batch")
    func writersLeaveTheSameRows() async throws {
        let sqlite = try await StoreFixture(.sqlite)
        let postgres = try await StoreFixture(.postgresql)
        for batch in Self.writerBatches {
            let expected = try sqlite.writer.write(batch)
            let outcome = try postgres.writer.write(batch)
            #expect(outcome.stored == expected.stored)
            #expect(outcome.duplicates == expected.duplicates)
            #expect(outcome.rejects == expected.rejects)
        }
        #expect(try postgres.writer.inboxPosition() == InboxPosition(segment: 2, offset: 128))
        #expect(try sqlite.writer.inboxPosition() == InboxPosition(segment: 2, offset: 128))
        let sqliteTables = try sqlite.sqliteDatabase()
        let postgresTables = try postgres.postgresSession()
        for (name, sqliteQuery, postgresQuery) in try Self.comparisons(sqlite) {
            let inSQLite = try await sqliteTables.read { db in
                try Row.fetchAll(db, sql: sqliteQuery).map { row in
                    (0..<row.count).map { Self.text(row[$0] as DatabaseValue) }
                }
            }
            let inPostgres = try postgresTables.query(postgresQuery).map { row in
                row.map { cell in Self.text(cell) }
            }
            #expect(inPostgres == inSQLite, "\(name)")
            #expect(!inSQLite.isEmpty, "\(name) has rows to compare")
        }
    }

    /// What to compare, as SQLite and PostgreSQL spell it; numbers as SQLite prints them.
    static func comparisons(_ sqlite: StoreFixture) throws -> [(String, String, String)] {
        let minuteTables = try sqlite.texts("SELECT name FROM partitions WHERE kind = 'rollup_1m' ORDER BY name")
        let rawTables = try sqlite.texts("SELECT name FROM partitions WHERE kind = 'raw' ORDER BY name")
        func rollup(_ from: String) -> String {
            """
            SELECT s.sensor, s.metric, r.bucket, r.count, r.min, r.max, r.sum, r.last_ts, r.last_value
            FROM \(from) r JOIN series s ON s.id = r.series ORDER BY 1, 2, 3
            """
        }
        let minutes = "(" + minuteTables.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ") + ")"
        let raw = "(" + rawTables.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ") + ")"
        let readings = """
            SELECT s.sensor, s.metric, r.ts, r.value, r.quality, r.flagged_by, r.time_source, r.device_status
            FROM %@ r JOIN series s ON s.id = r.series ORDER BY 1, 2, 3
            """
        return [
            (
                "readings", readings.replacingOccurrences(of: "%@", with: raw),
                readings.replacingOccurrences(of: "%@", with: "readings")
            ),
            ("rollup_1m", rollup(minutes), rollup("rollup_1m")),
            ("rollup_1h", rollup("rollup_1h"), rollup("rollup_1h")),
            ("rollup_1d", rollup("rollup_1d"), rollup("rollup_1d")),
            (
                "latest",
                "SELECT s.sensor, s.metric, l.ts, l.value, l.quality, l.flagged_by FROM latest l JOIN series s ON s.id = l.series ORDER BY 1, 2",
                "SELECT s.sensor, s.metric, l.ts, l.value, l.quality, l.flagged_by FROM latest l JOIN series s ON s.id = l.series ORDER BY 1, 2"
            ),
            (
                "sensors", "SELECT sensor, site, first_seen, last_seen FROM sensors ORDER BY 1",
                "SELECT sensor, site, first_seen, last_seen FROM sensors ORDER BY 1"
            ),
            ("counters", "SELECT name, value FROM counters ORDER BY 1", "SELECT name, value FROM counters ORDER BY 1"),
            (
                "sensor_delivery",
                "SELECT sensor, last_seq, seq_missing, seq_duplicates, seq_restarts, catch_up_readings FROM sensor_delivery",
                "SELECT sensor, last_seq, seq_missing, seq_duplicates, seq_restarts, catch_up_readings FROM sensor_delivery"
            ),
            (
                "rejects", "SELECT received_at, topic, reason, detail, hex(payload) FROM rejects",
                "SELECT received_at, topic, reason, detail, upper(encode(payload, 'hex')) FROM rejects"
            ),
        ]
    }

    /// A PostgreSQL cell and a SQLite value as the same text. Doubles to 12 significant digits:
    /// a roll-up's sum adds the batch's minute cells in dictionary order, which differs between
    /// two writers (and two runs) in the last bit, not in any digit a report shows.
    static func text(_ cell: PostgresCell) -> String {
        guard cell.bytes != nil else { return "NULL" }
        if let value = try? cell.decode(Int64.self) { return "\(value)" }
        if let value = try? cell.decode(Double.self) { return number(value) }
        if let value = try? cell.decode(String.self) { return value }
        return "?"
    }

    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let integer): "\(integer)"
        case .double(let double): number(double)
        case .string(let string): string
        case .blob(let data): "\(data.count) bytes"
        }
    }

    static func number(_ value: Double) -> String { String(format: "%.12g", value) }
}
