/// The weather over the Cát Hải network, one state for the whole district (sites are at most
/// ~25 km apart), stepped once a simulated minute. Sensors read it through `WeatherSnapshot`.
///
/// - Rain comes in episodes whose onset is likelier in the rainy season (May-Oct holds 80-90 % of
///   the 1,500-2,000 mm a year, domain.md §1.6); intensity is log-normal, capped below the QC
///   suspect bound of 150 mm/h.
/// - Storms (typhoons, Apr-Nov, peak Jul-Sep) are rare episodes of a day or so: wind, a slow
///   pressure drop (below the 10 hPa/h rate-of-change limit), heavy rain and a surge.
/// - Slow anomalies (synoptic pressure, wind, wind direction) are AR(1) processes.
/// - `runoff` is the rain of the last day or two (exponentially weighted, mm): what lowers the
///   salinity and raises turbidity in the bays and estuaries.
package struct Weather: Sendable {
    package struct Storm: Sendable, Hashable, Codable {
        package var start: Int64
        package var duration: Int64
        /// 0...1: scales wind, pressure drop, rain and surge.
        package var strength: Double

        package init(start: Int64, duration: Int64, strength: Double) {
            self.start = start
            self.duration = duration
            self.strength = strength
        }

        func intensity(at time: Int64) -> Double {
            guard time >= start, time < start + duration else { return 0 }
            let phase = Double(time - start) / Double(duration)
            let bell = _sin(Double.pi * phase)
            return strength * bell * bell
        }
    }

    struct RainEpisode: Sendable {
        var start: Int64
        var end: Int64
        var peak: Double
    }

    /// How likely unscheduled storms are, per day, relative to the climatology (0 disables them).
    package var stormFrequency: Double
    package private(set) var time: Int64
    private var random: SplitMix64
    private var rain: RainEpisode?
    private(set) var rainRate = 0.0
    private(set) var runoff = 0.0
    private(set) var rainCooling = 0.0
    private(set) var pressureAnomaly = 0.0
    private var pressureDriver = 0.0
    private(set) var windAnomaly = 0.0
    private(set) var directionAnomaly = 0.0
    package private(set) var storms: [Storm]
    package private(set) var rainEpisodes = 0

    static let step: Int64 = SimulationClock.minute

    package init(seed: UInt64, start: Int64, storms: [Storm] = [], stormFrequency: Double = 1) {
        random = SplitMix64(seed: seed, stream: "weather")
        time = start.floorDivided(by: Self.step) * Self.step
        self.storms = storms
        self.stormFrequency = stormFrequency
        // Start from a plausible state rather than zero anomalies everywhere.
        pressureDriver = 4 * random.gaussian()
        pressureAnomaly = pressureDriver
        windAnomaly = 0.8 * random.gaussian()
        directionAnomaly = 25 * random.gaussian()
    }

    /// Steps the weather minute by minute up to `target`.
    package mutating func advance(to target: Int64) {
        while time + Self.step <= target {
            time += Self.step
            stepOneMinute()
        }
    }

    package var snapshot: WeatherSnapshot {
        let storm = storms.reduce(0.0) { max($0, $1.intensity(at: time)) }
        return WeatherSnapshot(
            time: time, rainRate: rainRate + 60 * storm * stormRainShape, runoff: runoff, rainCooling: rainCooling,
            pressureAnomaly: pressureAnomaly, windAnomaly: windAnomaly, directionAnomaly: directionAnomaly,
            storm: storm)
    }

    /// Storm rain comes in bands: modulated so it is not a smooth bell.
    private var stormRainShape: Double {
        0.6 + 0.4 * _sin(Double(time) / Double(SimulationClock.hour) * 1.7)
    }

    private mutating func stepOneMinute() {
        let day = SimulationClock.dayOfYear(time)
        let rainySeason = (1 - SimulationClock.season(day, peakDay: 15)) / 2  // 0 in January, 1 in July
        // Rain episodes: ~0.25 a day in the dry season, ~0.9 in the rainy season.
        if let episode = rain, time >= episode.end {
            rain = nil
        }
        if rain == nil, random.chance((0.25 + 0.65 * rainySeason) / 1440) {
            let duration = Int64(max(20, random.exponential(mean: 120)) * 60_000)
            let peak = min(110, _exp(1.2 + 1.0 * random.gaussian() + 0.5 * rainySeason))
            rain = RainEpisode(start: time, end: time + duration, peak: peak)
            rainEpisodes += 1
        }
        var rate = 0.0
        if let episode = rain {
            let phase = Double(time - episode.start) / Double(episode.end - episode.start)
            let bell = _sin(Double.pi * phase)
            rate = episode.peak * bell * bell * max(0, 1 + 0.15 * random.gaussian())
        }
        rainRate = rate
        // Unscheduled storms: about 2 a season at climatological frequency, Jul-Sep.
        let stormSeason = max(0, SimulationClock.season(day, peakDay: 227))
        if stormFrequency > 0, !storms.contains(where: { time < $0.start + $0.duration + SimulationClock.day }),
            random.chance(stormFrequency * 0.02 * stormSeason * stormSeason / 1440)
        {
            storms.append(
                Storm(
                    start: time, duration: Int64(random.uniform(22...36) * 3_600_000),
                    strength: random.uniform(0.5...1.0)))
        }
        let storm = storms.reduce(0.0) { max($0, $1.intensity(at: time)) }
        let totalRain = rate + 60 * storm * stormRainShape
        // Runoff: mm of rain weighted over ~36 h.
        runoff = runoff * _exp(-1.0 / (36 * 60)) + totalRain / 60
        // Air cools under rain, recovering over ~40 minutes.
        let coolingTarget = -min(3.0, 0.6 * totalRain.squareRoot())
        rainCooling += (coolingTarget - rainCooling) / 40
        // Pressure is smooth at short scales (a plain AR(1) would be a random walk minute to
        // minute and trip the rate-of-change test): a driver filtered once more.
        pressureDriver = ar(pressureDriver, tauMinutes: 1440, sigma: 5)
        pressureAnomaly += (pressureDriver - pressureAnomaly) / 1440
        windAnomaly = ar(windAnomaly, tauMinutes: 180, sigma: 1.0)
        directionAnomaly = ar(directionAnomaly, tauMinutes: 360, sigma: 30)
    }

    /// One step of an AR(1) process with time constant `tauMinutes` and stationary deviation `sigma`.
    private mutating func ar(_ value: Double, tauMinutes: Double, sigma: Double) -> Double {
        let phi = _exp(-1 / tauMinutes)
        return phi * value + sigma * (1 - phi * phi).squareRoot() * random.gaussian()
    }
}

/// The weather at one minute, as the sensor models see it.
package struct WeatherSnapshot: Sendable {
    package var time: Int64
    /// mm/h, district-wide; sites scale it.
    package var rainRate: Double
    /// mm of recent rain (weighted over ~36 h).
    package var runoff: Double
    /// °C the air is cooled by rain (<= 0).
    package var rainCooling: Double
    /// hPa, synoptic.
    package var pressureAnomaly: Double
    /// m/s.
    package var windAnomaly: Double
    /// Degrees.
    package var directionAnomaly: Double
    /// 0...1 storm intensity.
    package var storm: Double
}
