import EnvMonConfig
import EnvMonCore
import EnvMonStore
import Logging
import TestSupport
import Testing

@testable import EnvMonDaemon

/// The hourly VN_AQI from real roll-ups in a real SQLite file: the computation checked against
/// figures worked out here from Bảng 2 (domain.md §1.4), and the recorder's hours.
@Suite("hourly VN_AQI: computation from the roll-ups and the hourly record")
struct HourlyAQITests {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000
    /// 2025-07-01T03:00:00Z, the start of the hour computed.
    static let start = Timestamp(milliseconds: 1_751_338_800_000)

    static func at(hours: Int64, minutes: Int64 = 0) -> Timestamp {
        start.adding(milliseconds: hours * hour + minutes * minute)
    }

    static func reading(_ sensor: String, _ metric: String, _ value: Double, at time: Timestamp) -> Reading {
        Reading(series: SeriesKey(sensor: sensor, metric: metric), timestamp: time, value: value, quality: .pass)
    }

    /// AQIx = (I[i+1] − I[i]) / (BP[i+1] − BP[i]) × (C − BP[i]) + I[i], written out again here
    /// with the row of Bảng 2 given by hand.
    static func interpolate(
        _ concentration: Double, between breakpoints: (Double, Double), indices: (Double, Double)
    ) -> Double {
        (indices.1 - indices.0) / (breakpoints.1 - breakpoints.0) * (concentration - breakpoints.0) + indices.0
    }

    static let configuration = """
        [[sites]]
        id = "cat_ba_town"
        name = "Thị trấn Cát Bà"
        kind = "town"
        lat = 20.72
        lon = 107.05

        [[sites]]
        id = "gia_luan"
        name = "Gia Luận"
        kind = "island"
        lat = 20.83
        lon = 106.99

        [[sensors]]
        id = "cb-air-01"
        site = "cat_ba_town"
        metrics = ["pm25", "pm10", "no2"]
        interval = "1m"

        [[sensors]]
        id = "gl-air-01"
        site = "gia_luan"
        metrics = ["pm25"]
        interval = "1m"

        [[sensors]]
        id = "cb-wx-01"
        site = "cat_ba_town"
        metrics = ["air_temp"]
        interval = "1m"
        """

    @Test("known PM and NO2 means give the AQI worked out from Bảng 2; the alert's present hour differs as before")
    func computation() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-aqi")
        let opened = try Store.open(.sqlite(path: directory.file("envmon.db")), for: .ingest)
        let writer = try opened.makeReadingWriter()
        let sensor = "cb-air-01"
        _ = try writer.write(
            IngestBatch(
                readings: [
                    // PM2.5 hourly means: c1 (03:00) 30, c2 40, c3 missing, c4 20.
                    Self.reading(sensor, "pm25", 28, at: Self.at(hours: 0, minutes: 10)),
                    Self.reading(sensor, "pm25", 32, at: Self.at(hours: 0, minutes: 40)),
                    Self.reading(sensor, "pm25", 40, at: Self.at(hours: -1, minutes: 30)),
                    Self.reading(sensor, "pm25", 20, at: Self.at(hours: -3, minutes: 30)),
                    // PM10: c1 50, c2 60.
                    Self.reading(sensor, "pm10", 45, at: Self.at(hours: 0, minutes: 5)),
                    Self.reading(sensor, "pm10", 55, at: Self.at(hours: 0, minutes: 50)),
                    Self.reading(sensor, "pm10", 60, at: Self.at(hours: -1, minutes: 30)),
                    // NO2: 120 over 03:00-04:00; a high value in the next hour is not this hour's.
                    Self.reading(sensor, "no2", 110, at: Self.at(hours: 0, minutes: 10)),
                    Self.reading(sensor, "no2", 130, at: Self.at(hours: 0, minutes: 20)),
                    Self.reading(sensor, "no2", 900, at: Self.at(hours: 1, minutes: 5)),
                ], sites: [sensor: "cat_ba_town"]))
        let configuration = try EnvMonConfiguration.parse(Self.configuration, source: "test.toml")
        let settings = try #require(configuration.sensor(sensor))
        let calculator = HourlyAQICalculator(readings: opened.readings)

        // NowCast (domain.md §1.4): w* = Cmin/Cmax; w = ½ when w* ≤ ½; missing hours weigh 0.
        // PM2.5: w* = 20/40 = 0.5, so w = 0.5 over c1, c2, c4.
        let pm25NowCast = (30 + 0.5 * 40 + 0.125 * 20) / (1 + 0.5 + 0.125)  // 32.31 µg/m³
        // PM10: w* = 50/60.
        let w10 = 50.0 / 60
        let pm10NowCast = (50 + w10 * 60) / (1 + w10)  // 54.55 µg/m³
        // Bảng 2 rows: PM2.5 25→50 µg/m³ is I 50→100; PM10 50→150 is 50→100; NO2 100→200 is 50→100.
        let pm25Index = Self.interpolate(pm25NowCast, between: (25, 50), indices: (50, 100))  // 64.6
        let pm10Index = Self.interpolate(pm10NowCast, between: (50, 150), indices: (50, 100))  // 52.3
        let no2Index = Self.interpolate(120, between: (100, 200), indices: (50, 100))  // 60

        let closed = try #require(try calculator.index(of: settings, for: .closed(start: Self.start)))
        #expect(closed.value == 65)
        #expect(abs(closed.exactValue - pm25Index) < 1e-9)
        #expect(closed.dominantParameter == .pm25)
        #expect(closed.subIndex(.pm10)?.rounded == 52 && abs((closed.subIndex(.pm10)?.value ?? 0) - pm10Index) < 1e-9)
        #expect(closed.subIndex(.no2)?.rounded == 60 && abs((closed.subIndex(.no2)?.value ?? 0) - no2Index) < 1e-9)
        let record = HourlyAQI(
            sensor: sensor, site: "cat_ba_town", hour: Self.start, index: closed, computedAt: Self.start)
        #expect(record.subIndices == [.pm25: 65, .pm10: 52, .no2: 60])
        #expect(record.category == .moderate)

        // The alert rules' present hour at 04:15: c1 (04:00) has no PM yet, c2 and c3 do, so the
        // NowCasts are the same weights one hour on; NO2 is the mean of 03:15-04:15: (130 + 900) / 2
        // = 515, on the 200→700 row (I 100→150).
        let no2Present = Self.interpolate(515, between: (200, 700), indices: (100, 150))  // 131.5 → 132
        let present = try #require(
            try calculator.index(of: settings, for: .current(now: Self.at(hours: 1, minutes: 15))))
        #expect(present.value == 132 && present.dominantParameter == .no2)
        #expect(abs(present.exactValue - no2Present) < 1e-9)
        #expect(abs((present.subIndex(.pm25)?.value ?? 0) - pm25Index) < 1e-9)

        // Fewer than two of the last three PM hours is "no data", no index: 01:00 has only 00:00
        // (c2), 06:00 has none; 02:00 has itself and 00:00 (c1 and c3).
        #expect(try calculator.index(of: settings, for: .closed(start: Self.at(hours: -2))) == nil)
        #expect(try calculator.index(of: settings, for: .closed(start: Self.at(hours: 3))) == nil)
        #expect(try calculator.index(of: settings, for: .closed(start: Self.at(hours: -1))) != nil)
        let weather = try #require(configuration.sensor("cb-wx-01"))
        #expect(!HourlyAQICalculator.isAirStation(weather))
    }

    @Test("the recorder resumes after each sensor's last stored hour, at most 48 hours back, skips hours without data")
    func recorderCatchesUp() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-aqi")
        let opened = try Store.open(.sqlite(path: directory.file("envmon.db")), for: .ingest)
        let writer = try opened.makeReadingWriter()
        // One reading at half past every hour from 60 hours back through the hour to compute;
        // gia_luan's station was silent for three hours.
        let silent: Set<Int64> = [-22, -21, -20]
        var readings: [Reading] = []
        for offset in Int64(-60)...0 {
            readings.append(
                Self.reading("cb-air-01", "pm25", 20 + Double(offset % 7), at: Self.at(hours: offset, minutes: 30)))
            if !silent.contains(offset) {
                readings.append(Self.reading("gl-air-01", "pm25", 30, at: Self.at(hours: offset, minutes: 30)))
            }
        }
        _ = try writer.write(
            IngestBatch(readings: readings, sites: ["cb-air-01": "cat_ba_town", "gl-air-01": "gia_luan"]))
        let store = opened.aqi
        // The last run stopped after recording 17:00 (30 June) of cb-air-01, ten hours before 03:00.
        let recordedBefore = HourlyAQI(
            sensor: "cb-air-01", site: "cat_ba_town", hour: Self.at(hours: -10), value: 1, dominant: .pm25,
            subIndices: [.pm25: 1], computedAt: Self.at(hours: -9))
        try store.record([recordedBefore])

        let configuration = try EnvMonConfiguration.parse(Self.configuration, source: "test.toml")
        let recorder = HourlyAQIRecorder(
            configuration: configuration, store: opened, publisher: AlertPublisher(client: nil),
            logger: Logger(label: "test"))
        let computedAt = Self.at(hours: 1, minutes: 3)
        recorder.tick(now: computedAt)
        let everything = try store.hourly(from: Self.at(hours: -100), to: Self.at(hours: 10))
        let town = everything.filter { $0.sensor == "cb-air-01" }.map(\.hour)
        let luan = everything.filter { $0.sensor == "gl-air-01" }.map(\.hour)
        #expect(town == (-10...0).map { Self.at(hours: Int64($0)) }, "resumed after 17:00, the old row kept")
        #expect(everything.first { $0.sensor == "cb-air-01" } == recordedBefore)
        // 48 hours back at most. Silent 05:00-07:00: 05:00 still has c2 and c3 (NowCast's "2 of the
        // last 3") and is computed; 06:00, 07:00 and 08:00 have at most one and are left out.
        let expectedLuan = (-47...0).map(Int64.init).filter { ![-21, -20, -19].contains($0) }.map { Self.at(hours: $0) }
        #expect(luan == expectedLuan)
        let calculator = HourlyAQICalculator(readings: opened.readings)
        for entry in everything where entry != recordedBefore {
            let sensor = try #require(configuration.sensor(entry.sensor))
            let index = try calculator.index(of: sensor, for: .closed(start: entry.hour))
            #expect(entry.value == index?.value && entry.computedAt == computedAt)
        }

        // Later in the hour, and inside the settling time after 05:00: nothing new.
        recorder.tick(now: Self.at(hours: 1, minutes: 40))
        recorder.tick(now: Self.at(hours: 2, minutes: 1))
        #expect(try store.hourly(from: Self.at(hours: -100), to: Self.at(hours: 10)).count == everything.count)
        // Once settled: only 04:00 is new (its c2 and c3 hold data, so it has an index).
        recorder.tick(now: Self.at(hours: 2, minutes: 5))
        let added = try store.hourly(from: Self.at(hours: 1), to: Self.at(hours: 10))
        #expect(added.map(\.sensor) == ["cb-air-01", "gl-air-01"] && added.allSatisfy { $0.hour == Self.at(hours: 1) })
    }
}
