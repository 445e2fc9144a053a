import EnvMonCore
import Foundation
import GRDB
import TestSupport
import Testing

@testable import EnvMonStore

@Suite("Hourly VN_AQI store, on both backends")
struct AQIStoreTests {
    static func entry(
        _ sensor: String, site: String, hour: Int64, value: Int, dominant: VNAQI.Parameter? = .pm25,
        subIndices: [VNAQI.Parameter: Int] = [:], computedAt: Timestamp? = nil
    ) -> HourlyAQI {
        HourlyAQI(
            sensor: sensor, site: site, hour: Instants.july1(hours: hour), value: value, dominant: dominant,
            subIndices: subIndices.isEmpty ? [.pm25: value] : subIndices,
            computedAt: computedAt ?? Instants.july1(hours: hour + 1, minutes: 2))
    }

    @Test(
        "Recorded entries come back whole, oldest first, filtered by site, sensor and [from, to)",
        arguments: StoreBackend.allCases)
    func recordAndRead(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = fixture.store.aqi
        let town = Self.entry(
            "cb-air-01", site: "cat_ba_town", hour: 3, value: 73, dominant: .pm25,
            subIndices: [.pm25: 73, .pm10: 41, .o3OneHour: 12, .no2: 20, .so2: 3, .co: 5])
        let noDominant = Self.entry("gl-air-01", site: "gia_luan", hour: 2, value: 30, dominant: nil)
        let later = Self.entry("cb-air-01", site: "cat_ba_town", hour: 4, value: 80)
        try store.record([later, town, noDominant])

        let all = try store.hourly(from: Instants.july1, to: Instants.july1(hours: 5))
        #expect(all == [noDominant, town, later])
        #expect(all[1].subIndicesJSON == #"{"pm25":73,"pm10":41,"o3_1h":12,"no2":20,"so2":3,"co":5}"#)
        #expect(
            try store.hourly(site: "cat_ba_town", sensor: nil, from: Instants.july1, to: Instants.july1(hours: 5)) == [
                town, later,
            ])
        #expect(
            try store.hourly(site: nil, sensor: "gl-air-01", from: Instants.july1, to: Instants.july1(hours: 5)) == [
                noDominant
            ])
        // `to` is excluded, `from` included.
        #expect(try store.hourly(from: Instants.july1(hours: 3), to: Instants.july1(hours: 4)) == [town])
        #expect(
            try store.hourly(site: "nowhere", sensor: nil, from: Instants.july1, to: Instants.july1(hours: 5)).isEmpty)

        // The CLI's read-only connection sees the same.
        let reader = try fixture.open(for: .read).aqi
        #expect(try reader.hourly(from: Instants.july1, to: Instants.july1(hours: 5)) == all)
    }

    @Test("Recording a (sensor, hour) again replaces it: one row, the new values", arguments: StoreBackend.allCases)
    func recordReplaces(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = fixture.store.aqi
        try store.record([Self.entry("cb-air-01", site: "cat_ba_town", hour: 3, value: 73)])
        let recomputed = Self.entry(
            "cb-air-01", site: "cat_ba_town", hour: 3, value: 91, dominant: .pm10, subIndices: [.pm25: 60, .pm10: 91],
            computedAt: Instants.july1(hours: 6))
        try store.record([recomputed])
        #expect(try fixture.rowCount(of: "aqi_hourly") == 1)
        #expect(try store.hourly(from: Instants.july1, to: Instants.july1(plusDays: 1)) == [recomputed])
        try store.record([])
        #expect(try fixture.rowCount(of: "aqi_hourly") == 1)
    }

    @Test(
        "latest() gives each sensor's newest hour; lastRecordedHour() where a sensor resumes",
        arguments: StoreBackend.allCases)
    func latestAndLastRecorded(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = fixture.store.aqi
        #expect(try store.latest().isEmpty)
        #expect(try store.lastRecordedHour(sensor: "cb-air-01") == nil)
        let entries = [
            Self.entry("cb-air-01", site: "cat_ba_town", hour: 1, value: 50),
            Self.entry("cb-air-01", site: "cat_ba_town", hour: 5, value: 55),
            Self.entry("cb-air-01", site: "cat_ba_town", hour: 3, value: 60),
            Self.entry("vh-air-01", site: "viet_hai", hour: 2, value: 20),
            Self.entry("ch-air-01", site: "cat_hai", hour: -30, value: 120),
        ]
        try store.record(entries)
        #expect(try store.latest() == [entries[1], entries[4], entries[3]], "by site, then sensor")
        #expect(try store.lastRecordedHour(sensor: "cb-air-01") == Instants.july1(hours: 5))
        #expect(try store.lastRecordedHour(sensor: "ch-air-01") == Instants.july1(hours: -30))
        #expect(try store.lastRecordedHour(sensor: "no-such") == nil)
    }

    @Test(
        "Retention trims the hourly VN_AQI with the hourly roll-ups, and keeps it when they are kept for ever",
        arguments: StoreBackend.allCases)
    func retention(_ backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let store = fixture.store.aqi
        let old = Self.entry("cb-air-01", site: "cat_ba_town", hour: -24 * 11, value: 40)
        let recent = Self.entry("cb-air-01", site: "cat_ba_town", hour: -24 * 9, value: 45)
        try store.record([old, recent])

        let forever = try fixture.writer.applyRetention(RetentionPolicy(hourDays: nil), now: Instants.july1)
        #expect(forever.deletedAQIRows == 0)
        let outcome = try fixture.writer.applyRetention(RetentionPolicy(hourDays: 10), now: Instants.july1)
        #expect(outcome.deletedAQIRows == 1)
        #expect(try store.hourly(from: Instants.july1(plusDays: -30), to: Instants.july1) == [recent])
    }

    @Test("SQLite: a database from before v6 gains the table on the next open for writing; its data stays")
    func sqliteMigratesAnOlderDatabase() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-store-v5")
        let path = directory.file("envmon.db")
        let old = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(old, upTo: "v5-maintenance-transmission")
        try old.write { db in
            try db.execute(
                sql:
                    "INSERT INTO sensors (sensor, site, first_seen, last_seen) VALUES ('cb-air-01', 'cat_ba_town', 1, 2)"
            )
        }
        #expect(try old.read { try $0.tableExists("aqi_hourly") } == false)
        try old.close()

        let database = try StoreDatabase.openForWriting(path: path)
        let applied = try database.read { try StoreMigrations.migrator.appliedMigrations($0) }
        #expect(applied.contains("v6-aqi-hourly"))
        let indexes = try database.read { try $0.indexes(on: "aqi_hourly").map(\.name) }
        #expect(indexes.contains("aqi_hourly_by_site"))
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sensors") } == 1)
        let store = SQLiteAQIStore(database: database)
        let entry = Self.entry("cb-air-01", site: "cat_ba_town", hour: 0, value: 73)
        try store.record([entry])
        #expect(try store.latest() == [entry])
    }
}
