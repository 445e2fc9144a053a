import EnvMonCore
import EnvMonSimulation
import EnvMonStore
import TestSupport
import Testing

@Suite("fill: the simulated stream through envmond's own ingest, no broker")
struct FillTests {
    static let faults: [FaultSpec] = [
        FaultSpec(kind: .malformed, rate: 0.004), FaultSpec(kind: .unknownMetric, rate: 0.003),
        FaultSpec(kind: .nan, rate: 0.003), FaultSpec(kind: .futureTimestamp, rate: 0.002),
        FaultSpec(kind: .staleTimestamp, rate: 0.002), FaultSpec(kind: .duplicate, rate: 0.005),
        FaultSpec(kind: .spike, rate: 0.004), FaultSpec(kind: .outOfRange, rate: 0.003),
        FaultSpec(kind: .silence, sensor: "gl-air-01", at: "+30m", duration: "40m"),
        FaultSpec(kind: .excursion, site: "lan_ha", metric: "do", at: "+1h", duration: "40m", value: 4.2),
    ]

    /// Two hours of the network with `faults`, filled into `path`.
    static func fill(_ path: String) throws -> (manifest: Manifest, stored: Int, duplicates: Int) {
        let start = SimulatorFixtures.time("2026-07-20T00:00:00Z")
        let generator = try TrafficGenerator(
            configuration: try SimulatorFixtures.configuration(), seed: 5, start: start, style: .mix, faults: faults,
            stormFrequency: 0)
        var fill = FillRun(generator: generator, database: path, end: start + 2 * 3_600_000)
        let figures = try fill.run()
        return (fill.generator.manifest, figures.readingsStored, figures.duplicates)
    }

    @Test("the store holds what the manifest expects: readings, duplicates, rejects, QC fails, alerts")
    func storeMatchesManifest() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-fill")
        let (manifest, stored, duplicates) = try Self.fill(directory.file("fill.db"))
        let store = try Store.open(.sqlite(path: directory.file("fill.db")), for: .read)
        let queries = store.readings
        #expect(stored == manifest.expected.readingsStored)
        #expect(duplicates == manifest.expected.duplicateReadings)
        #expect(
            try queries.count(from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: .max / 2)) == stored)
        let rejects = try queries.statistics().rejectsByReason.mapValues { Int($0) }
        #expect(rejects == manifest.expected.rejects, "store \(rejects) vs manifest \(manifest.expected.rejects)")
        #expect(rejects.values.reduce(0, +) > 10)
        try SimulatorFixtures.expectInjectedValues(manifest, in: queries)

        // The excursion raised the cages' low-oxygen alert, the silence a no_data one.
        let alerts = try store.alerts.alerts(
            raisedFrom: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: .max / 2))
        #expect(alerts.contains { $0.rule == "do_low_aquaculture" && $0.site == "lan_ha" })
        #expect(alerts.contains { $0.rule == "no_data" && $0.sensor == "gl-air-01" })
    }

    @Test("the same seed fills the same store")
    func sameSeedSameStore() throws {
        let directory = try TemporaryDirectory(prefix: "envmon-fill")
        var stores: [[String]] = []
        for name in ["first.db", "second.db"] {
            _ = try Self.fill(directory.file(name))
            let store = try Store.open(.sqlite(path: directory.file(name)), for: .read)
            let readings = try store.readings.readings(
                of: SeriesKey(sensor: "lh-wq-01", metric: "do"), from: Timestamp(milliseconds: 0),
                to: Timestamp(milliseconds: .max / 2), limit: 10_000)
            let alerts = try store.alerts.alerts(
                raisedFrom: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: .max / 2))
            stores.append(
                readings.map { "\($0.timestamp.milliseconds) \($0.value) \($0.quality)" }
                    + alerts.map { "\($0.rule) \($0.sensor) \($0.raisedAt?.milliseconds ?? 0)" })
        }
        #expect(stores[0].count > 100)
        #expect(stores[0] == stores[1])
    }
}
