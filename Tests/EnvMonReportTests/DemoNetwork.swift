import EnvMonConfig
import EnvMonCore
import EnvMonStore
import Foundation

/// Plausible readings for every sensor of a config, for demo reports: daily cycles, a diurnal
/// tide, air pollution that drifts over days, and a few faults a report should notice (a sensor
/// off the air for days, a fouled probe failing QC, a tide gauge that never reported).
struct DemoNetwork {
    let configuration: EnvMonConfiguration
    var seed: UInt64 = 2026

    /// Sensors the demo keeps silent, and the days a buoy spends off the air.
    static let silent: Set<String> = ["lhp-tide-01"]
    static let offAir = (sensor: "ch-wq-01", days: 5..<11)
    static let fouled = "pl-wq-01"

    func write(to path: String, from start: Timestamp, days: Int) throws {
        let writer = try ReadingWriter(database: try StoreDatabase.openForWriting(path: path))
        var generator = SplitMix(state: seed)
        let sites = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.site) })
        // A pollution "weather" per day shared by the air stations: a few clean days, a few poor.
        let pollution = (0..<days).map { day -> Double in
            let wave: Double = 0.5 + 0.5 * sin(Double(day) * 0.55)
            let episode: Double = day % 7 == 3 ? 0.5 : 0
            return 0.7 + 0.9 * wave + episode
        }
        for day in 0..<days {
            var readings: [Reading] = []
            for sensor in configuration.sensors where !Self.silent.contains(sensor.id) {
                if sensor.id == Self.offAir.sensor && Self.offAir.days.contains(day) { continue }
                let interval = max(60_000, sensor.interval.wholeMilliseconds)
                let dayStart = start.milliseconds + Int64(day) * 86_400_000
                for time in stride(from: dayStart, to: dayStart + 86_400_000, by: Int(interval)) {
                    // Occasional lost messages (about 1 %).
                    if generator.unit() < 0.01 { continue }
                    let hours = Double(time - start.milliseconds) / 3_600_000
                    let hourOfDay = (hours + 0).truncatingRemainder(dividingBy: 24)
                    for metric in sensor.metrics {
                        var value = Self.value(
                            metric, site: sensor.site, sensor: sensor.id, hours: hours, hourOfDay: hourOfDay,
                            pollution: pollution[day], noise: generator.gaussian())
                        var quality = QualityFlag.pass
                        var flagged: QCTests = []
                        if sensor.id == Self.fouled && metric == "do" && generator.unit() < 0.3 {
                            value = 0.2
                            quality = .fail
                            flagged = .grossRange
                        } else if generator.unit() < 0.003 {
                            quality = .suspect
                            flagged = .spike
                        }
                        readings.append(
                            Reading(
                                series: SeriesKey(sensor: sensor.id, metric: metric),
                                timestamp: Timestamp(milliseconds: time),
                                value: value, quality: quality, flaggedBy: flagged))
                    }
                }
            }
            _ = try writer.write(IngestBatch(readings: readings, sites: sites))
        }
    }

    /// `hourOfDay` is local (the demo starts at a local midnight).
    static func value(
        _ metric: String, site: String, sensor: String, hours: Double, hourOfDay: Double, pollution: Double,
        noise: Double
    ) -> Double {
        let daily = sin((hourOfDay - 9) / 24 * 2 * .pi)  // peaks mid-afternoon
        let traffic = exp(-pow((hourOfDay - 8) / 1.5, 2)) + exp(-pow((hourOfDay - 18) / 2, 2))
        switch metric {
        case "water_temp": return 23.5 + 1.2 * daily + 0.1 * noise
        case "salinity":
            return (site == "phu_long" || site == "cat_hai" || site == "lach_huyen" ? 18 : 29) + 0.4 * noise
        case "ph": return 8.05 + 0.18 * daily + (site == "ben_beo" ? 0.35 : 0) + 0.03 * noise
        case "do":
            // Night-time oxygen sag at the cages; Lan Hạ dips under 5 mg/L before dawn.
            let base = site == "lan_ha" ? 5.6 : site == "cat_co" ? 6.4 : 6.2
            return base + 1.3 * daily + 0.1 * noise
        case "do_sat": return 85 + 15 * daily + noise
        case "turbidity": return (site == "lach_huyen" ? 30 : 6) + 3 * abs(noise)
        case "tss":
            // Dredging plumes at Lạch Huyện on working hours.
            let plume = site == "lach_huyen" && (7...17).contains(Int(hourOfDay)) ? 38.0 : 0
            return 22 + plume + 4 * noise
        case "nh4": return (site == "ben_beo" ? 0.09 : 0.04) + 0.02 * daily + 0.005 * noise
        case "po4": return 0.05 + 0.01 * noise
        case "water_level": return 1.9 + 1.7 * sin(hours / 24.84 * 2 * .pi) + 0.02 * noise
        case "air_temp": return 21 + 4 * daily + 0.3 * noise
        case "humidity": return min(100, 82 - 10 * daily + 2 * noise)
        case "pressure": return 1016 + 2 * sin(hours / 60) + 0.3 * noise
        case "wind_speed": return max(0, 4 + 2 * daily + noise)
        case "wind_dir": return (40 + 20 * noise).truncatingRemainder(dividingBy: 360) + (noise < -2 ? 360 : 0)
        case "rain_rate": return 0
        case "pm25":
            let local = site == "cat_hai" ? 1.35 : site == "viet_hai" ? 0.6 : 1
            return max(2, 30 * pollution * local * (0.85 + 0.3 * traffic) + 2 * noise)
        case "pm10":
            let local = site == "cat_hai" ? 1.4 : site == "viet_hai" ? 0.6 : 1
            return max(4, 52 * pollution * local * (0.85 + 0.3 * traffic) + 3 * noise)
        case "no2": return max(2, (site == "cat_hai" ? 70 : 30) * (0.5 + traffic) * pollution + 3 * noise)
        case "so2": return max(1, (site == "cat_hai" ? 35 : 12) + 3 * noise)
        case "co": return max(100, 700 + 500 * traffic + 50 * noise)
        case "o3": return max(2, 55 + 55 * max(0, daily) * pollution + 4 * noise)
        case "battery": return 12.6 - 0.2 * max(0, -daily) + 0.01 * noise
        default: return noise
        }
    }
}

/// SplitMix64, so the demo data are the same on every run.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box-Muller).
    mutating func gaussian() -> Double {
        let u = max(unit(), 1e-12)
        return sqrt(-2 * log(u)) * cos(2 * .pi * unit())
    }
}
