import EnvMonConfig
import EnvMonCore
import EnvMonStore
import EnvMonWeb
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport

/// A real SQLite store (or, given a database, a PostgreSQL one) holding one site in each state the
/// map shows, the config naming them, and a console over it at a fixed `now`.
struct ConsoleFixture {
    static let now = RFC3339.parse("2026-11-29T05:00:00Z")!

    static let config = """
        topic_prefix = "cathai"
        [daemon]
        database = "unused.db"
        [web]
        stale_intervals = 3
        [[sites]]
        id = "lan_ha"
        name = "Vịnh Lan Hạ"
        kind = "aquaculture"
        lat = 20.772
        lon = 107.072
        [[sites]]
        id = "cat_ba_town"
        name = "Thị trấn Cát Bà"
        kind = "town"
        lat = 20.726
        lon = 107.048
        [[sites]]
        id = "cat_co"
        name = "Bãi tắm Cát Cò"
        kind = "beach"
        lat = 20.715
        lon = 107.053
        [[sites]]
        id = "ben_beo"
        name = "Bến Bèo"
        kind = "aquaculture"
        lat = 20.718
        lon = 107.060
        [[sites]]
        id = "gia_luan"
        name = "Gia Luận"
        kind = "island"
        lat = 20.835
        lon = 106.995
        [[sensors]]
        id = "lh-wq-01"
        site = "lan_ha"
        metrics = ["do", "water_temp"]
        interval = "1m"
        [[sensors]]
        id = "cb-air-01"
        site = "cat_ba_town"
        metrics = ["pm25", "pm10"]
        interval = "1m"
        [[sensors]]
        id = "cc-wq-01"
        site = "cat_co"
        metrics = ["do"]
        interval = "1m"
        [[sensors]]
        id = "bb-wq-01"
        site = "ben_beo"
        metrics = ["do"]
        interval = "1m"
        [[sensors]]
        id = "gl-wx-01"
        site = "gia_luan"
        metrics = ["air_temp"]
        interval = "1m"
        """

    let directory: TemporaryDirectory
    let path: String
    let location: StoreLocation
    let configuration: EnvMonConfiguration
    let alertID = "pm25_high:cb-air-01:1795921200000"

    init(postgres: PostgreSQLDatabase? = nil) throws {
        directory = try TemporaryDirectory(prefix: "envmon-web")
        path = directory.file("envmon.db")
        let location = try postgres.map { try StoreLocation($0.location) } ?? .sqlite(path: path)
        self.location = location
        var configuration = try EnvMonConfiguration.parse(Self.config, source: "test.toml")
        configuration.web.usersFile = directory.file("web-users")
        self.configuration = configuration
        let store = try Store.open(location, for: .ingest)
        let writer = try store.makeReadingWriter()
        let now = Self.now
        var readings: [Reading] = []
        // 26 h of minutes: Lan Hạ's DO falls below QCVN's 5 mg/L in the last hour (exceedance);
        // Cát Bà's PM2.5 is high (an alert is firing); Bến Bèo is fresh but under maintenance.
        for minute in 0..<(26 * 60) {
            let time = now.adding(milliseconds: -Int64(26 * 60 - minute) * 60_000)
            let lastHour = minute >= 25 * 60
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "do"), timestamp: time,
                    value: lastHour ? 4.2 : 6 + Double(minute % 10) / 10, quality: .pass))
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "lh-wq-01", metric: "water_temp"), timestamp: time, value: 24.5,
                    quality: .pass))
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "cb-air-01", metric: "pm25"), timestamp: time,
                    value: 60 + Double(minute % 5),
                    quality: .pass))
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "cb-air-01", metric: "pm10"), timestamp: time, value: 80, quality: .pass))
            readings.append(
                Reading(
                    series: SeriesKey(sensor: "bb-wq-01", metric: "do"), timestamp: time, value: 6.5, quality: .pass))
            // Cát Cò went silent two hours ago.
            if minute < 24 * 60 {
                readings.append(
                    Reading(
                        series: SeriesKey(sensor: "cc-wq-01", metric: "do"), timestamp: time, value: 6.8, quality: .pass
                    ))
            }
        }
        // One reading that failed QC, which the roll-ups leave out and the chart marks.
        readings.append(
            Reading(
                series: SeriesKey(sensor: "lh-wq-01", metric: "do"), timestamp: now.adding(milliseconds: -3_600_500),
                value: 42, quality: .fail, flaggedBy: .grossRange))
        _ = try writer.write(
            IngestBatch(
                readings: readings,
                rejects: [
                    RejectRecord(
                        receivedAt: now.adding(milliseconds: -60_000), topic: "cathai/lan_ha/lh-wq-01/do",
                        reason: .undecodable, detail: "payload \"abc\" is not a number", payload: Array("abc".utf8))
                ],
                sites: [
                    "lh-wq-01": "lan_ha", "cb-air-01": "cat_ba_town", "cc-wq-01": "cat_co", "bb-wq-01": "ben_beo",
                ]))
        let raisedAt = now.adding(milliseconds: -1_800_000)
        let raised = AlertTransition(
            alertID: alertID, ruleID: "pm25_high", kind: .above, sensor: "cb-air-01", site: "cat_ba_town",
            metric: "pm25", from: .pending, to: .firing, notice: .raised, severity: .warning, value: 62,
            threshold: 50, basis: "QCVN 05:2023/BTNMT", at: raisedAt, raisedAt: raisedAt)
        try store.alertWriter.record(
            [(raised, text: "raised pm25_high: cb-air-01 (cat_ba_town) pm25 62 µg/m³ above 50 µg/m³")], states: [],
            at: raisedAt)
        // The hourly VN_AQI envmond stores as each hour closes.
        try store.aqi.record(
            (1...3).map { back in
                HourlyAQI(
                    sensor: "cb-air-01", site: "cat_ba_town", hour: now.adding(milliseconds: -Int64(back) * 3_600_000),
                    value: 150 + back, dominant: .pm25, subIndices: [.pm25: 150 + back, .pm10: 64], computedAt: now)
            })
        _ = try store.maintenance.open(
            MaintenanceWindow(
                id: 0, sensor: "bb-wq-01", metric: nil, kind: .calibrating, start: now.adding(milliseconds: -600_000),
                end: nil, note: "đầu đo DO", by: "Lan"),
            request: nil, at: now)
    }

    func console(acknowledgementWait: Duration = .milliseconds(300)) throws -> WebConsole {
        WebConsole(
            configuration: configuration, store: try ConsoleStore(location: location),
            logger: Logger(label: "test.web"),
            now: { Self.now }, acknowledgementWait: acknowledgementWait)
    }
}

/// Runs a console on a free loopback port for the length of `body`, then shuts it down.
func withRunningConsole<Result: Sendable>(
    _ console: WebConsole, _ body: (ConsoleClient) async throws -> Result
) async throws -> Result {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = console.application(host: "127.0.0.1", port: 0) { port in continuation.yield(port) }
    let group = ServiceGroup(
        configuration: .init(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "test.group")))
    let running = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw TestSupportError("the console did not start") }
    do {
        let result = try await body(ConsoleClient(port: port))
        await group.triggerGracefulShutdown()
        try await running.value
        return result
    } catch {
        await group.triggerGracefulShutdown()
        try? await running.value
        throw error
    }
}
