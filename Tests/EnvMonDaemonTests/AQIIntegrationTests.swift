import EnvMonCore
import EnvMonStore
import Foundation
import MQTT
import TestSupport
import Testing

@Suite("hourly VN_AQI end to end: stored and published retained when the hour closes", .serialized)
struct AQIIntegrationTests {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000

    func subscribe(_ url: String, collector: MessageCollector) throws -> MQTTClient {
        let client = try MQTTClient(
            configuration: MQTTConfiguration(
                broker: try MQTTBrokerURL(url), clientID: "aqi-board-\(UUID().uuidString.prefix(6))",
                subscriptions: [MQTTSubscription("cathai/aqi/#", qos: 1)]),
            onMessage: { collector.add($0) })
        try client.start()
        return client
    }

    @Test("PM readings over two hours; the hour closes on the daemon's clock; the row and the retained message agree")
    func hourCloses() async throws {
        let broker = try await MosquittoBroker()
        let daemon = try DaemonHarness(broker: broker, configText: try DaemonHarness.configText())
        // The daemon's clock is moved to half past the current hour (at most 30 minutes either way),
        // so the hour cannot close by itself during the test; stepping it an hour on closes it.
        let wallClock = Int64(Date().timeIntervalSince1970 * 1000)
        let start = Timestamp(milliseconds: wallClock).floored(toMultipleOf: Self.hour)
        let offset = start.milliseconds + 30 * Self.minute - wallClock
        // In process, with the daemon's wall clock set there from the start and stepped below.
        let envmond = try await InProcessDaemon(
            harness: daemon, wallClock: SteppedWallClock(offsetMilliseconds: offset))
        let board = MessageCollector()
        let watcher = try subscribe(broker.url, collector: board)
        defer { watcher.stop() }
        let publisher = try makePublisher(url: broker.url)
        defer { publisher.stop() }
        try await waitUntil("clients connected", timeout: .seconds(10)) { publisher.isConnected && watcher.isConnected }

        // PM2.5 hourly means 40 then 30, PM10 60 then 50, in the hour before and the hour that closes.
        let samples: [(minutes: Int64, pm25: Double, pm10: Double)] = [
            (-50, 38, 58), (-20, 42, 62), (5, 28, 45), (20, 32, 55),
        ]
        for sample in samples {
            let ts = RFC3339.format(start.adding(milliseconds: sample.minutes * Self.minute))
            _ = try publisher.publish(
                topic: "cathai/cat_ba_town/cb-air-01",
                text: #"{"ts": "\#(ts)", "pm25": \#(sample.pm25), "pm10": \#(sample.pm10)}"#, qos: 1)
        }
        let pm25 = SeriesKey(sensor: "cb-air-01", metric: "pm25")
        try await waitUntil("the hourly roll-ups hold the readings", timeout: .seconds(20)) {
            let points = try? daemon.queries().rollups(
                of: pm25, resolution: .hour, from: start.adding(milliseconds: -Self.hour),
                to: start.adding(milliseconds: Self.hour))
            return points?.map(\.count) == [2, 2]
        }
        let aqi = try Store.open(.sqlite(path: daemon.databasePath), for: .read).aqi
        #expect(try aqi.lastRecordedHour(sensor: "cb-air-01") == nil, "the hour is still open")

        envmond.wallClock.set(offsetMilliseconds: offset + Self.hour)
        var stored: HourlyAQI?
        try await waitUntil("the closed hour recorded", timeout: .seconds(20)) {
            stored = try? aqi.hourly(
                site: nil, sensor: "cb-air-01", from: start, to: start.adding(milliseconds: Self.hour)
            ).first
            return stored != nil
        }

        // Worked out from Bảng 2 (domain.md §1.4). PM2.5: c1 30, c2 40, w* = 0.75; PM10: c1 50,
        // c2 60, w* = 5/6. NowCast = (c1 + w·c2) / (1 + w).
        let pm25NowCast = (30 + 0.75 * 40) / 1.75  // 34.29 µg/m³
        let w10 = 50.0 / 60
        let pm10NowCast = (50 + w10 * 60) / (1 + w10)  // 54.55 µg/m³
        let pm25Index = HourlyAQITests.interpolate(pm25NowCast, between: (25, 50), indices: (50, 100))  // 68.57
        let pm10Index = HourlyAQITests.interpolate(pm10NowCast, between: (50, 150), indices: (50, 100))  // 52.27
        #expect(Int(pm25Index.rounded()) == 69 && Int(pm10Index.rounded()) == 52)
        let entry = try #require(stored)
        #expect(entry.value == 69 && entry.dominant == .pm25 && entry.site == "cat_ba_town")
        #expect(entry.subIndices == [.pm25: 69, .pm10: 52], "no gas was published, so no gas sub-index")
        #expect(entry.hour == start)

        try await waitUntil("the board got the site's index", timeout: .seconds(10)) {
            board.all.contains { $0.topic == "cathai/aqi/cat_ba_town" }
        }
        let expected =
            #"{"site":"cat_ba_town","sensor":"cb-air-01","hour":"\#(RFC3339.format(start))","aqi":69,"#
            + ##""category":"moderate","colour":"#FFFF00","dominant":"pm25","sub_indices":{"pm25":69,"pm10":52}}"##
        let messages = board.all.filter { $0.topic == "cathai/aqi/cat_ba_town" }
        #expect(messages.map { String(decoding: $0.payload, as: UTF8.self) } == [expected])
        #expect(board.all.count == 1, "only the site with an air station that has data")
        // Retained: a board that connects now is given it at once.
        let late = MessageCollector()
        let lateWatcher = try subscribe(broker.url, collector: late)
        defer { lateWatcher.stop() }
        try await waitUntil("the retained copy", timeout: .seconds(10)) { !late.all.isEmpty }
        #expect(late.all.first?.retain == true && late.all.first?.payload == messages.first?.payload)

        // The daemon's own message came back on its `cathai/+/+` subscription ahead of this
        // reading (one session, in order): once the reading is stored, the AQI message was dealt
        // with, and it must not be among the rejects.
        _ = try publisher.publish(topic: "cathai/lan_ha/lh-wq-01/do", text: "6.5", qos: 1)
        try await waitUntil("the later reading stored", timeout: .seconds(10)) {
            (try? daemon.queries().latest(sensor: "lh-wq-01").contains { $0.series.metric == "do" }) == true
        }
        let rejected = try daemon.queries().rejects().map { "\($0.topic) (\($0.reason.rawValue))" }
        #expect(!rejected.contains { $0.hasPrefix("cathai/aqi/") }, "\(rejected)")
        #expect(rejected.isEmpty, "\(rejected)")
        try await envmond.stop()
    }
}
