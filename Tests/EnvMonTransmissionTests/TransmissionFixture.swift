import EnvMonConfig
import EnvMonCore
import EnvMonStore
import EnvMonTransmission
import Foundation
import Logging
import TestSupport

/// A real store with known readings and a config with one station, for the outbox tests.
final class TransmissionFixture: @unchecked Sendable {
    let directory: TemporaryDirectory
    let writer: any ReadingWriter
    let queries: any ReadingQueries
    let outbox: any OutboxStore
    let configuration: EnvMonConfiguration

    /// 2026-11-29T03:00:00Z = 10:00 in Vietnam.
    static let start = Timestamp(milliseconds: 1_795_921_200_000)
    static let minute: Int64 = 60_000

    static func minutes(_ count: Int) -> Timestamp { start.adding(milliseconds: Int64(count) * minute) }

    static func configText(targets: String) -> String {
        """
        [[sites]]
        id = "lan_ha"
        name = "Lan Hạ"
        kind = "aquaculture"
        lat = 20.772
        lon = 107.072

        [[sensors]]
        id = "lh-wq-01"
        site = "lan_ha"
        metrics = ["water_temp", "ph", "do"]

        [transmission]
        province = "HP"
        facility = "CATHAI"
        interval = "5m"
        delay = "0s"

        [[transmission.stations]]
        id = "LANHA01"
        site = "lan_ha"

        \(targets)
        """
    }

    init(targets: String) throws {
        directory = try TemporaryDirectory(prefix: "envmon-transmit")
        let path = directory.file("envmon.db")
        let store = try Store.open(.sqlite(path: path), for: .ingest)
        writer = try store.makeReadingWriter()
        queries = store.readings
        outbox = store.outbox
        configuration = try EnvMonConfiguration.parse(Self.configText(targets: targets), source: "test.toml")
    }

    /// One reading a minute of each metric over `minutes` minutes from `start`; pH calibrating in
    /// the minutes listed.
    func fill(minutes count: Int, calibratingPH: Set<Int> = []) throws {
        var readings: [Reading] = []
        for minute in 0..<count {
            let time = Self.minutes(minute)
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "water_temp"), timestamp: time,
                    value: 28 + Double(minute % 5) * 0.1, quality: .pass))
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "do"), timestamp: time, value: 6 + Double(minute % 3),
                    quality: .pass))
            let calibrating = calibratingPH.contains(minute)
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "ph"), timestamp: time,
                    value: calibrating ? 7.0 : 8.1, quality: calibrating ? .notEvaluated : .pass,
                    deviceStatus: calibrating ? .calibrating : .measuring))
        }
        _ = try writer.write(IngestBatch(readings: readings))
    }

    var builder: DataFileBuilder { DataFileBuilder(configuration: configuration, queries: queries) }
    var scheduler: TransmissionScheduler { TransmissionScheduler(builder: builder, outbox: outbox) }

    func sender(_ index: Int = 0, password: String?) -> OutboxSender {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return OutboxSender(
            settings: configuration.transmission.targets[index], password: password, delivery: .upload,
            outbox: outbox, logger: logger, now: { Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)) }
        )
    }
}
