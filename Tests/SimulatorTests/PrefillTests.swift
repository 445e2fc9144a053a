import EnvMonCore
import EnvMonSimulation
import EnvMonStore
import TestSupport
import Testing

@Suite("prefill: sensors, metrics and sites of the synthetic history")
struct PrefillTests {
    @Test("metrics per sensor and sites round-robin; a later span tops the same series up")
    func sensorsMetricsAndSites() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-prefill")
        let path = directory.path + "/envmon.db"
        let end: Int64 = 1_790_000_040_000 - 1_790_000_040_000 % 60_000
        let prefill = Prefill(
            path: path, series: 12, span: 7_200_000, end: end, metricsPerSensor: 2, sites: 4)
        #expect(try prefill.run().readings == 12 * 120)
        #expect(prefill.sensor(5) == "pf-002" && prefill.metric(5) == "salinity" && prefill.site(5) == "pf-site-02")

        let records = try Store.open(.sqlite(path: path), for: .read).readings.sensors()
        #expect(records.map(\.sensor) == (0..<6).map { "pf-00\($0)" })
        #expect(
            records.map(\.site) == ["pf-site-00", "pf-site-01", "pf-site-02", "pf-site-03", "pf-site-00", "pf-site-01"])
        #expect(records.allSatisfy { $0.metrics == ["salinity", "water_temp"] })

        let topUp = Prefill(
            path: path, series: 12, span: 3_600_000, end: end + 3_600_000, metricsPerSensor: 2, sites: 4)
        #expect(try topUp.run().readings == 12 * 60)
        let queries = try Store.open(.sqlite(path: path), for: .read).readings
        let readings = try queries.readings(
            of: SeriesKey(sensor: "pf-005", metric: "salinity"), from: Timestamp(milliseconds: 0),
            to: Timestamp(milliseconds: end + 3_600_000), limit: 1000)
        #expect(readings.count == 180)
        #expect(readings.first?.timestamp.milliseconds == end - 7_200_000)
        #expect(readings.last?.timestamp.milliseconds == end + 3_540_000)
        #expect(try queries.sensors().first { $0.sensor == "pf-005" }?.lastSeen.milliseconds == end + 3_540_000)
    }
}
