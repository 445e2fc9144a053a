import EnvMonConfig
import EnvMonCore
import EnvMonSimulation
import Testing

@Suite("signal models: plausible, deterministic, clean for QC")
struct SignalModelTests {
    struct CleanDataQuality {
        var flags: [QualityFlag: Int] = [:]
        var bySeries: [String: [String: Int]] = [:]
        var minimumDO: [String: Double] = [:]
        var maximumRain: [String: Double] = [:]
        var minimumSalinity: [String: Double] = [:]
    }

    /// Runs `days` of clean data for every configured sensor through EnvMonCore's QC with the
    /// config's thresholds, counting the final (spike-settled) flag of every reading.
    static func qualityOfCleanDays(
        start: String, days: Int, storms: [Weather.Storm] = [], seed: UInt64 = 7
    ) throws -> CleanDataQuality {
        let configuration = try SimulatorFixtures.configuration()
        var simulator = NetworkSimulator(
            configuration: configuration, seed: seed, start: SimulatorFixtures.time(start), storms: storms)
        var qc = QualityController(
            thresholds: configuration.qualityControl,
            nominalIntervals: configuration.sensorProfiles.compactMapValues(\.intervalSeconds))
        let end = SimulatorFixtures.time(start) + Int64(days) * 86_400_000
        var last: [SeriesKey: Reading] = [:]
        var result = CleanDataQuality()
        func settle(_ series: SeriesKey, _ flag: QualityFlag, _ tests: QCTests) {
            result.flags[flag, default: 0] += 1
            if flag != .pass {
                for name in tests.names {
                    result.bySeries["\(series)", default: [:]]["\(flag.name):\(name)", default: 0] += 1
                }
            }
        }
        while simulator.nextTime < end {
            let reading = simulator.next()
            for value in reading.values {
                let series = SeriesKey(sensor: reading.sensor, metric: value.metric)
                switch value.metric {
                case "do": result.minimumDO[reading.site] = min(result.minimumDO[reading.site] ?? 99, value.value)
                case "rain_rate":
                    result.maximumRain[reading.site] = max(result.maximumRain[reading.site] ?? 0, value.value)
                case "salinity":
                    result.minimumSalinity[reading.site] = min(result.minimumSalinity[reading.site] ?? 99, value.value)
                default: break
                }
                let assessment = qc.assess(
                    series: series, timestamp: Timestamp(milliseconds: reading.time), value: value.value)
                // The previous point's final verdict is its revision when the spike test changed
                // it, else the one it was handed on with: what the daemon stores, and much cheaper
                // in debug builds than re-aggregating `settledPrevious` for every reading.
                let previous = last.updateValue(assessment.reading, forKey: series)
                if assessment.settledPrevious != nil, let previous {
                    if let revision = assessment.revision {
                        settle(series, revision.quality, revision.flaggedBy)
                    } else {
                        settle(series, previous.quality, previous.flaggedBy)
                    }
                }
            }
        }
        for (series, reading) in last { settle(series, reading.quality, reading.flaggedBy) }
        return result
    }

    /// Two full days per season (it was a week: ~40 s of CPU in debug builds). Still every
    /// configured sensor and metric at every site, every minute; two daily cycles; flat-line
    /// windows (suspect 2 h, fail 6 h) many times over; a workday and a Sunday in the dry season
    /// (10-11 Jan 2026: the weekday traffic of the air models), two workdays in the rainy one; and
    /// in the rainy season a whole storm of full strength, onset, peak and 12 h of recovery.
    static let days = 2

    @Test(
        "two days of clean data pass QC (>= 99.5 % pass, no fail), in the dry and the rainy season with a storm",
        arguments: ["2026-01-10T00:00:00Z", "2026-08-03T00:00:00Z"])
    func cleanDaysPassQC(start: String) throws {
        let rainy = start.contains("-08-")
        let storm = Weather.Storm(
            start: SimulatorFixtures.time(start) + 6 * 3_600_000, duration: 30 * 3_600_000, strength: 1)
        let result = try Self.qualityOfCleanDays(start: start, days: Self.days, storms: rainy ? [storm] : [])
        let total = result.flags.values.reduce(0, +)
        let passed = result.flags[.pass, default: 0]
        let share = Double(passed) / Double(total)
        // Every metric of every sensor, once a minute, nothing skipped.
        let configuration = try SimulatorFixtures.configuration()
        let perMinute = configuration.sensors.reduce(0) { $0 + $1.metrics.count }
        #expect(total == Self.days * 1440 * perMinute)
        #expect(share >= 0.995, "pass share \(share); flagged: \(result.bySeries)")
        #expect(result.flags[.fail, default: 0] == 0, "\(result.bySeries)")
        for (site, minimum) in result.minimumDO where ["lan_ha", "ben_beo", "cua_tung_gau"].contains(site) {
            #expect(minimum > 5.0, "DO at the cage site \(site) fell to \(minimum) mg/L: the QCVN alert would fire")
        }
        if rainy {
            // The storm is inside the window: heavy rain at the weather stations.
            #expect((result.maximumRain.values.max() ?? 0) > 30, "rain \(result.maximumRain)")
        }
        print("clean days from \(start): \(total) readings, pass \(share), flagged \(result.bySeries)")
        print("minimum DO per site: \(result.minimumDO)")
        print("maximum rain per site: \(result.maximumRain); minimum salinity: \(result.minimumSalinity)")
    }
}
