/// How one metric is measured: resolution, noise, and the slow sensor-level wander (fouling,
/// local eddies, plume patches) layered on the site's true value.
///
/// The white noise keeps clean data off the QC flat line test; it stays well below the spike and
/// rate-of-change thresholds of `StandardMetrics` (e.g. 0.015 hPa against 10 hPa/h).
struct MetricModel: Sendable {
    enum Noise: Sendable {
        /// Added in the metric's unit.
        case additive
        /// Relative (concentrations that can only be positive).
        case multiplicative
    }

    var decimals: Int
    var noise: Noise
    var white: Double
    var wander: Double
    var wanderMinutes: Double
    /// Measured values are never below this (concentrations, speeds).
    var minimum: Double?

    static func model(for metric: String) -> MetricModel {
        switch metric {
        case "water_temp": MetricModel(decimals: 2, noise: .additive, white: 0.012, wander: 0.15, wanderMinutes: 240)
        case "salinity": MetricModel(decimals: 2, noise: .additive, white: 0.02, wander: 0.35, wanderMinutes: 360)
        case "ph": MetricModel(decimals: 3, noise: .additive, white: 0.004, wander: 0.03, wanderMinutes: 360)
        case "do": MetricModel(decimals: 2, noise: .additive, white: 0.025, wander: 0.1, wanderMinutes: 120)
        case "do_sat": MetricModel(decimals: 1, noise: .additive, white: 0.2, wander: 0, wanderMinutes: 60)
        case "turbidity":
            MetricModel(
                decimals: 2, noise: .multiplicative, white: 0.03, wander: 0.15, wanderMinutes: 120, minimum: 0.05)
        case "tss":
            MetricModel(
                decimals: 1, noise: .multiplicative, white: 0.04, wander: 0.12, wanderMinutes: 120, minimum: 0.1)
        case "nh4":
            MetricModel(decimals: 3, noise: .additive, white: 0.002, wander: 0.006, wanderMinutes: 240, minimum: 0.005)
        case "po4":
            MetricModel(decimals: 3, noise: .additive, white: 0.0015, wander: 0.004, wanderMinutes: 240, minimum: 0.003)
        case "water_level": MetricModel(decimals: 3, noise: .additive, white: 0.006, wander: 0.03, wanderMinutes: 120)
        case "air_temp": MetricModel(decimals: 2, noise: .additive, white: 0.05, wander: 0.4, wanderMinutes: 120)
        case "humidity": MetricModel(decimals: 1, noise: .additive, white: 0.25, wander: 2.0, wanderMinutes: 120)
        case "pressure": MetricModel(decimals: 2, noise: .additive, white: 0.015, wander: 0.1, wanderMinutes: 60)
        case "wind_speed":
            MetricModel(decimals: 2, noise: .additive, white: 0.3, wander: 0.5, wanderMinutes: 60, minimum: 0)
        case "wind_dir": MetricModel(decimals: 1, noise: .additive, white: 5, wander: 10, wanderMinutes: 60)
        case "rain_rate":
            MetricModel(decimals: 1, noise: .multiplicative, white: 0.15, wander: 0.3, wanderMinutes: 60, minimum: 0)
        case "o3":
            // Ozone follows sunlight closely; a slow 20 % wander on top pushed the 8-hour mean of
            // a clean day past QCVN 05's 120 µg/m³ and raised alerts on a normal day.
            MetricModel(
                decimals: 1, noise: .multiplicative, white: 0.03, wander: 0.06, wanderMinutes: 180, minimum: 0.1)
        case "pm25", "pm10", "no2", "so2", "co":
            MetricModel(
                decimals: 1, noise: .multiplicative, white: 0.03, wander: 0.2, wanderMinutes: 180, minimum: 0.1)
        case "battery": MetricModel(decimals: 3, noise: .additive, white: 0.004, wander: 0.03, wanderMinutes: 600)
        default: MetricModel(decimals: 3, noise: .additive, white: 0.01, wander: 0.1, wanderMinutes: 120)
        }
    }
}

/// One sensor's measuring state: its own random stream and, per metric, the wander and a small
/// calibration offset (two sondes at one site never read exactly the same).
struct SensorModel: Sendable {
    let id: String
    let site: SiteModel
    let metrics: [String]
    private var random: SplitMix64
    private var wander: [String: Double] = [:]
    private var offset: [String: Double] = [:]
    private let models: [String: MetricModel]

    init(id: String, site: SiteModel, metrics: [String], seed: UInt64) {
        self.id = id
        self.site = site
        self.metrics = metrics
        random = SplitMix64(seed: seed, stream: "sensor/" + id)
        models = Dictionary(uniqueKeysWithValues: metrics.map { ($0, MetricModel.model(for: $0)) })
        for metric in metrics {
            let model = models[metric]!
            wander[metric] = model.wander * random.gaussian()
            offset[metric] = 0.3 * model.wander * random.gaussian()
        }
    }

    func decimals(of metric: String) -> Int { models[metric]?.decimals ?? 3 }

    /// Measures every metric at the snapshot's time, `elapsedMinutes` after the previous reading.
    mutating func measure(_ weather: WeatherSnapshot, elapsedMinutes: Double) -> [(String, Double)] {
        var result: [(String, Double)] = []
        result.reserveCapacity(metrics.count)
        var measuredDO: Double?
        for metric in metrics {
            let model = models[metric]!
            let truth: Double
            switch metric {
            case "do_sat":
                let saturation = SiteModel.oxygenSaturation(
                    celsius: site.waterTemperature(weather), salinity: site.salinity(weather))
                truth = 100 * (measuredDO ?? site.dissolvedOxygen(weather)) / saturation
            case "pm10":
                truth = site.pm25(weather) * 1.6 + site.coarseParticles(weather)
            default:
                truth = Self.truth(metric, site: site, weather: weather)
            }
            var value = apply(model, metric: metric, to: truth, elapsedMinutes: elapsedMinutes)
            if metric == "wind_dir" {
                value = value.truncatingRemainder(dividingBy: 360)
                if value < 0 { value += 360 }
            }
            if metric == "humidity" {
                // Saturation: approach 99 % smoothly and keep a little noise on top, so a foggy
                // day never reads a flat 100.0 for hours (the flat line test would flag it).
                value = min(100, softCeiling(value, 99.0, width: 1.0) + 0.1 * random.gaussian())
            }
            if metric == "rain_rate", truth < 0.05 { value = 0 }
            if metric == "do" { measuredDO = value }
            result.append((metric, value))
        }
        return result
    }

    private mutating func apply(
        _ model: MetricModel, metric: String, to truth: Double, elapsedMinutes: Double
    ) -> Double {
        let phi = _exp(-max(elapsedMinutes, 0.01) / model.wanderMinutes)
        let state = phi * wander[metric]! + model.wander * (1 - phi * phi).squareRoot() * random.gaussian()
        wander[metric] = state
        var value: Double
        switch model.noise {
        case .additive:
            value = truth + offset[metric]! + state + model.white * random.gaussian()
        case .multiplicative:
            value = truth * _exp(offset[metric]! + state + model.white * random.gaussian())
        }
        if let minimum = model.minimum { value = max(minimum, value) }
        return value
    }

    static func truth(_ metric: String, site: SiteModel, weather: WeatherSnapshot) -> Double {
        switch metric {
        case "water_temp": site.waterTemperature(weather)
        case "salinity": site.salinity(weather)
        case "ph": site.ph(weather)
        case "do": site.dissolvedOxygen(weather)
        case "turbidity": site.turbidity(weather)
        case "tss": 1.3 * site.turbidity(weather) + 3
        case "nh4":
            0.045 + 0.012 * SimulationClock.daily(SimulationClock.localHour(weather.time), peakHour: 4)
        case "po4": 0.025 + 0.004 * weather.storm
        case "water_level": site.waterLevel(weather)
        case "air_temp": site.airTemperature(weather)
        case "humidity": site.humidity(weather)
        case "pressure": site.pressure(weather)
        case "wind_speed": site.windSpeed(weather)
        case "wind_dir": site.windDirection(weather)
        case "rain_rate": site.rainRate(weather)
        case "pm25": site.pm25(weather)
        case "no2": site.no2(weather)
        case "so2": site.so2(weather)
        case "co": site.co(weather)
        case "o3": site.o3(weather)
        case "battery": site.battery(weather)
        default:
            // A metric added in the config that we have no model for: a gentle daily cycle.
            10 + _sin(2 * Double.pi * SimulationClock.localHour(weather.time) / 24)
        }
    }
}
