import EnvMonConfig
import EnvMonCore
import EnvMonReport
import EnvMonStore
import Foundation
import TestSupport

/// Paths of the package's committed files.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A small network with readings whose every report figure was worked out by hand (see the
/// comments; the expected values are in `ReportBuilderTests`). The period is two local days,
/// 2026-11-02 and 2026-11-03 (UTC+7).
final class ReportFixture {
    static let configText = """
        config_version = 1
        topic_prefix = "test"

        [[sites]]
        id = "cage"
        name = "Lồng bè A"
        kind = "aquaculture"

        [[sites]]
        id = "beach"
        name = "Bãi tắm B"
        kind = "beach"

        [[sites]]
        id = "town"
        name = "Thị trấn C"
        kind = "town"

        [[sensors]]
        id = "wq-a"
        site = "cage"
        metrics = ["do", "ph"]
        interval = "10m"

        [[sensors]]
        id = "wq-b"
        site = "beach"
        metrics = ["do"]
        interval = "1m"

        [[sensors]]
        id = "wq-c"
        site = "beach"
        metrics = ["do"]
        interval = "30m"

        [[sensors]]
        id = "air-1"
        site = "town"
        metrics = ["pm25", "pm10", "no2", "o3"]
        interval = "1h"
        """

    static let period = ReportPeriod.custom(
        from: ReportPeriod.localMidnight(year: 2026, month: 11, day: 2),
        to: ReportPeriod.localMidnight(year: 2026, month: 11, day: 4))
    /// Generated the morning after the period.
    static let now = ReportPeriod.localMidnight(year: 2026, month: 11, day: 5).adding(milliseconds: 8 * 3_600_000)

    let directory: TemporaryDirectory
    let path: String
    let configuration: EnvMonConfiguration
    let queries: any ReadingQueries

    /// Local hour `hour` (0...47) of the period, plus `minutes`.
    static func time(hour: Int, minutes: Int = 0) -> Timestamp {
        period.from.adding(milliseconds: Int64(hour) * 3_600_000 + Int64(minutes) * 60_000)
    }

    init() throws {
        directory = try TemporaryDirectory(prefix: "envmon-report")
        path = directory.file("envmon.db")
        configuration = try EnvMonConfiguration.parse(Self.configText, source: "fixture.toml")
        let writer = try Store.open(.sqlite(path: path), for: .ingest).makeReadingWriter()
        var readings: [Reading] = []
        func add(_ sensor: String, _ metric: String, _ time: Timestamp, _ value: Double, _ quality: QualityFlag = .pass)
        {
            readings.append(
                Reading(
                    series: SeriesKey(sensor: sensor, metric: metric), timestamp: time, value: value, quality: quality,
                    flaggedBy: quality == .fail || quality == .suspect ? .grossRange : []))
        }
        // wq-a, every 10 minutes. DO only in hours 0-39 (240 readings): 4.5 mg/L in hours 0-9
        // (under the aquaculture 5 mg/L: 10 hours over), 6.0 after.
        // pH all 48 hours (288): 8.0, but 8.7 in hours 20-22 (3 hours over 8.5); hours 30-31 fail
        // QC (12 readings, kept out of the roll-ups, so those hours have no mean); hour 40 suspect.
        for hour in 0..<48 {
            for step in 0..<6 {
                let time = Self.time(hour: hour, minutes: step * 10)
                if hour < 40 { add("wq-a", "do", time, hour < 10 ? 4.5 : 6.0) }
                switch hour {
                case 20...22: add("wq-a", "ph", time, 8.7)
                case 30...31: add("wq-a", "ph", time, 20.0, .fail)
                case 40: add("wq-a", "ph", time, 8.2, .suspect)
                default: add("wq-a", "ph", time, 8.0)
                }
            }
        }
        // wq-b says nothing. wq-c, every 30 minutes, DO 4.5: over an aquaculture limit, not the beach's 4.
        for hour in 0..<48 {
            for step in 0..<2 { add("wq-c", "do", Self.time(hour: hour, minutes: step * 30), 4.5) }
        }
        // air-1, one reading per hour (so each hourly mean is the reading).
        // Day 1: PM2.5 55.7 (24-h mean 55.7 → sub-index 109.5 → 110), PM10 60 (→ 55), NO2 50 except
        // 130.8 at 10:00 (→ 65), O3 89.3 all day (1-h 27.9, 8-h 44.65 → 45): AQI 110, PM2.5.
        // Day 2: PM2.5 only 17 hours (no 24-h mean), PM10 40 (→ 40), NO2 50 except 250 at 08:00 and
        // 09:00 (→ 105; 2 hours over 200), O3 60 (→ 30): AQI 105, NO2.
        for hour in 0..<48 {
            let time = Self.time(hour: hour, minutes: 30)
            let dayTwo = hour >= 24
            if !dayTwo || hour < 24 + 17 { add("air-1", "pm25", time, dayTwo ? 20 : 55.7) }
            add("air-1", "pm10", time, dayTwo ? 40 : 60)
            let no2: Double = hour == 10 ? 130.8 : (hour == 32 || hour == 33) ? 250 : 50
            add("air-1", "no2", time, no2)
            add("air-1", "o3", time, dayTwo ? 60 : 89.3)
        }
        let sites = ["wq-a": "cage", "wq-b": "beach", "wq-c": "beach", "air-1": "town"]
        _ = try writer.write(IngestBatch(readings: readings, sites: sites))
        queries = try Store.open(.sqlite(path: path), for: .read).readings
    }

    /// Five alerts around the period (hours are local hours of the period; negative is before it).
    static let alerts: [ReportAlertRecord] = {
        func at(_ hour: Int, _ minutes: Int = 0) -> Timestamp { time(hour: hour, minutes: minutes) }
        return [
            // Raised, acknowledged after 10 min, resolved after 2 h.
            ReportAlertRecord(
                rule: "do_low", sensor: "wq-a", site: "cage", metric: "do", severity: "critical", raisedAt: at(1),
                acknowledgedAt: at(1, 10), resolvedAt: at(3)),
            // Acknowledged after 30 min, resolved after 1 h.
            ReportAlertRecord(
                rule: "ph_band", sensor: "wq-a", site: "cage", metric: "ph", severity: "warning", raisedAt: at(5),
                acknowledgedAt: at(5, 30), resolvedAt: at(6)),
            // Acknowledged after 2 h, still open.
            ReportAlertRecord(
                rule: "no2_high", sensor: "air-1", site: "town", metric: "no2", severity: "warning", raisedAt: at(34),
                acknowledgedAt: at(36)),
            // Never acknowledged, still open.
            ReportAlertRecord(
                rule: "no_data", sensor: "wq-b", site: "beach", severity: "critical", raisedAt: at(44)),
            // Raised before the period, resolved in it.
            ReportAlertRecord(
                rule: "do_low", sensor: "wq-a", site: "cage", metric: "do", severity: "warning", raisedAt: at(-1),
                acknowledgedAt: at(-1, 5), resolvedAt: at(2)),
        ]
    }()

    func document(
        indicators: IndicatorCatalogue? = nil, alerts: Bool = true, maintenance: [MaintenanceWindow] = []
    ) throws -> ReportDocument {
        var builder = ReportBuilder(
            configuration: configuration, queries: queries, indicators: indicators,
            alertSource: alerts ? ClosureAlertSource(records: Self.alerts) : nil)
        builder.maintenanceWindows = maintenance
        return try builder.build(period: Self.period, now: Self.now)
    }
}
