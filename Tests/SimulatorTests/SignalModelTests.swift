import EnvMonConfig
import EnvMonCore
import EnvMonSimulation
import Testing

@Suite("signal models: plausible, deterministic, clean for QC")
struct SignalModelTests {
    /// Runs `days` of clean data for every configured sensor through EnvMonCore's QC with the
    /// config's thresholds, returning the final (spike-settled) flag of every reading.
    static func qualityOfCleanWeek(
        start: String, days: Int, storms: [Weather.Storm] = [], seed: UInt64 = 7
    ) throws -> (flags: [QualityFlag: Int], bySeries: [String: [String: Int]], minimumDO: [String: Double]) {
        let configuration = try SimulatorFixtures.configuration()
        var simulator = NetworkSimulator(
            configuration: configuration, seed: seed, start: SimulatorFixtures.time(start), storms: storms)
        var qc = QualityController(
            thresholds: configuration.qualityControl,
            nominalIntervals: configuration.sensorProfiles.compactMapValues(\.intervalSeconds))
        let end = SimulatorFixtures.time(start) + Int64(days) * 86_400_000
        var last: [SeriesKey: QualityFlag] = [:]
        var flags: [QualityFlag: Int] = [:]
        var bySeries: [String: [String: Int]] = [:]
        var minimumDO: [String: Double] = [:]
        func settle(_ series: SeriesKey, _ flag: QualityFlag, _ tests: QCTests) {
            flags[flag, default: 0] += 1
            if flag != .pass {
                for name in tests.names { bySeries["\(series)", default: [:]]["\(flag.name):\(name)", default: 0] += 1 }
            }
        }
        while simulator.nextTime < end {
            let reading = simulator.next()
            for value in reading.values {
                let series = SeriesKey(sensor: reading.sensor, metric: value.metric)
                if value.metric == "do" { minimumDO[reading.site] = min(minimumDO[reading.site] ?? 99, value.value) }
                let assessment = qc.assess(
                    series: series, timestamp: Timestamp(milliseconds: reading.time), value: value.value)
                if let settled = assessment.settledPrevious {
                    settle(series, settled.aggregate, settled.flaggedBy)
                }
                last[series] = assessment.reading.quality
            }
        }
        for (series, flag) in last { settle(series, flag, []) }
        return (flags, bySeries, minimumDO)
    }

    @Test(
        "a week of clean data passes QC (>= 99.5 % pass, no fail), in the dry and the rainy season",
        arguments: ["2026-01-10T00:00:00Z", "2026-08-03T00:00:00Z"])
    func cleanWeekPassesQC(start: String) throws {
        let storm = Weather.Storm(
            start: SimulatorFixtures.time(start) + 2 * 86_400_000, duration: 30 * 3_600_000, strength: 1)
        let result = try Self.qualityOfCleanWeek(start: start, days: 7, storms: start.contains("-08-") ? [storm] : [])
        let total = result.flags.values.reduce(0, +)
        let passed = result.flags[.pass, default: 0]
        let share = Double(passed) / Double(total)
        #expect(total > 600_000)
        #expect(share >= 0.995, "pass share \(share); flagged: \(result.bySeries)")
        #expect(result.flags[.fail, default: 0] == 0, "\(result.bySeries)")
        for (site, minimum) in result.minimumDO where ["lan_ha", "ben_beo", "cua_tung_gau"].contains(site) {
            #expect(minimum > 5.0, "DO at the cage site \(site) fell to \(minimum) mg/L: the QCVN alert would fire")
        }
        print("clean week from \(start): \(total) readings, pass \(share), flagged \(result.bySeries)")
        print("minimum DO per site: \(result.minimumDO)")
    }
}
