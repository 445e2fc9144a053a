package import EnvMonConfig

/// What a site is like, for the signal models: derived from the config's site kind and
/// position (no extra config keys). West of 106.96° E the water is estuarine (Lạch Huyện, Cát Hải
/// island, Phù Long: "estuarine sites near Cát Hải/Lạch Huyện read lower", domain.md §1.6).
package struct SiteModel: Sendable, Hashable {
    package enum Water: String, Sendable, Hashable {
        case bay
        case estuarine
    }

    package enum Air: String, Sendable, Hashable {
        /// National park background.
        case background
        /// Cát Bà town: traffic, boats, tourism.
        case town
        /// Port and industrial zone (Lạch Huyện, Cát Hải).
        case industrial
        /// Exposed coast, ferry pier.
        case coast
    }

    package var id: String
    package var kind: SiteSettings.Kind
    package var water: Water
    package var air: Air
    /// Fish cages: strong daily DO swing with night-time lows.
    package var hasCages: Bool
    /// Wind exposure relative to Cát Bà town (the NE monsoon hits Gia Luận harder).
    package var windExposure: Double
    /// Tide phase lag in hours relative to Cát Bà harbour.
    package var tideLagHours: Double

    package init(_ site: SiteSettings) {
        self.init(id: site.id, kind: site.kind, longitude: site.longitude)
    }

    package init(id: String, kind: SiteSettings.Kind, longitude: Double?) {
        self.id = id
        self.kind = kind
        let longitude = longitude ?? 107.05
        water = longitude < 106.96 ? .estuarine : .bay
        switch kind {
        case .port: air = .industrial
        case .town: air = .town
        case .coast: air = .coast
        case .island: air = longitude < 106.96 ? .industrial : .background
        case .aquaculture, .beach: air = .background
        }
        hasCages = kind == .aquaculture && water == .bay
        windExposure = kind == .coast ? 1.25 : kind == .town ? 0.85 : 1.0
        tideLagHours = water == .estuarine ? 0.3 : 0
    }

    // MARK: - The "true" state of the site (sensors add their own noise and faults)

    /// Sea level above the gauge datum, m. Hòn Dấu/Cát Bà tide is mostly diurnal: K1 and O1
    /// beat over ~13.7 days between a 3-3.5 m tropic range and a small equatorial one.
    package func waterLevel(_ weather: WeatherSnapshot) -> Double {
        let hours = Double(weather.time) / 3_600_000 - tideLagHours
        let day = SimulationClock.dayOfYear(weather.time)
        let astronomical =
            0.72 * _cos(2 * Double.pi * hours / 23.9345 - 1.1) + 0.69 * _cos(2 * Double.pi * hours / 25.8193 - 0.4)
            + 0.18 * _cos(2 * Double.pi * hours / 12.4206 - 2.0) + 0.07 * _cos(2 * Double.pi * hours / 12.0 - 0.7)
        let amplitude = water == .estuarine ? 1.03 : 1.0
        let seasonal = 0.12 * SimulationClock.season(day, peakDay: 290)
        // Inverse barometer: about 1 cm per hPa; storms add a surge.
        return 1.95 + amplitude * astronomical + seasonal - 0.01 * weather.pressureAnomaly + 0.7 * weather.storm
    }

    /// -1 at low tide, +1 at high tide (roughly).
    func tidePhase(_ weather: WeatherSnapshot) -> Double {
        (waterLevel(weather) - 1.95) / 1.6
    }

    package func waterTemperature(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let hour = SimulationClock.localHour(weather.time)
        let amplitude = water == .estuarine ? 6.1 : 5.6
        return 24.6 + amplitude * SimulationClock.season(day, peakDay: 218)
            + 0.35 * SimulationClock.daily(hour, peakHour: 15) - 0.4 * _tanh(weather.runoff / 60)
    }

    /// PSU: high in the dry season, lower in the rainy season and after rain, lowest in the
    /// estuaries, where the flood tide brings saltier water in.
    package func salinity(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let dry = SimulationClock.season(day, peakDay: 60)
        switch water {
        case .bay:
            let base = 28.2 + 2.6 * dry - 0.05 * weather.runoff + 0.4 * tidePhase(weather)
            return softFloor(base, 12, width: 1.5)
        case .estuarine:
            let base = 20 + 4 * dry - 0.15 * weather.runoff + 2.5 * tidePhase(weather)
            return softFloor(base, 4, width: 1.5)
        }
    }

    /// Photosynthesis: +1 in the afternoon, -1 before dawn.
    func photosynthesis(_ weather: WeatherSnapshot) -> Double {
        SimulationClock.daily(SimulationClock.localHour(weather.time), peakHour: 15.5)
    }

    package func ph(_ weather: WeatherSnapshot) -> Double {
        7.3 + 0.028 * salinity(weather) + 0.06 * photosynthesis(weather)
    }

    /// Dissolved oxygen, mg/L: saturation at the site's temperature and salinity times a
    /// fraction that swings with photosynthesis, strongly under fish cages (night lows, still
    /// above the 5 mg/L QCVN aquaculture limit on a normal day).
    package func dissolvedOxygen(_ weather: WeatherSnapshot) -> Double {
        let saturation = Self.oxygenSaturation(celsius: waterTemperature(weather), salinity: salinity(weather))
        let fraction =
            hasCages
            ? 0.985 + 0.11 * photosynthesis(weather) : 1.0 + 0.045 * photosynthesis(weather)
        return saturation * (fraction + 0.04 * weather.storm)
    }

    package func turbidity(_ weather: WeatherSnapshot) -> Double {
        let base: Double
        switch (water, kind) {
        case (.estuarine, .port): base = 16
        case (.estuarine, _): base = 12
        case (_, .beach): base = 5
        default: base = 3.5
        }
        let wind = windSpeed(weather)
        let windEffect = 0.2 * max(0, wind - 4) * max(0, wind - 4)
        let rainEffect = (water == .estuarine ? 1.2 : 0.4) * weather.runoff.squareRoot()
        var dredging = 0.0
        if kind == .port {
            // Dredging on working days in the channel, plumes on the ebb.
            let hour = SimulationClock.localHour(weather.time)
            if SimulationClock.localWeekday(weather.time) < 6, hour > 7, hour < 17 {
                dredging = 8 * _sin(Double.pi * (hour - 7) / 10)
            }
        }
        return base + windEffect + rainEffect + dredging + 25 * weather.storm
    }

    /// Oxygen solubility in mg/L (Benson & Krause as in APHA 4500-O / USGS), with the salinity
    /// correction; about 6.3 mg/L at 30 °C and 30 PSU.
    package static func oxygenSaturation(celsius: Double, salinity: Double) -> Double {
        let kelvin = celsius + 273.15
        let lnFresh =
            -139.34411 + 1.575701e5 / kelvin - 6.642308e7 / (kelvin * kelvin) + 1.243800e10
            / (kelvin * kelvin * kelvin) - 8.621949e11 / (kelvin * kelvin * kelvin * kelvin)
        let salinityTerm = salinity * (0.017674 - 10.754 / kelvin + 2140.7 / (kelvin * kelvin))
        return _exp(lnFresh - salinityTerm)
    }

    // MARK: - Weather at the site

    package func airTemperature(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let hour = SimulationClock.localHour(weather.time)
        let dailyAmplitude = 2.4 + 0.6 * SimulationClock.season(day, peakDay: 200)
        let daily =
            0.85 * SimulationClock.daily(hour, peakHour: 14) + 0.15 * _cos(4 * Double.pi * (hour - 14) / 24)
        return 23.2 + 6.0 * SimulationClock.season(day, peakDay: 200) + dailyAmplitude * daily + weather.rainCooling
            - 1.5 * weather.storm
    }

    /// Monthly mean relative humidity for Cát Bà: 73-75 % in winter, 91 % in April.
    static let monthlyHumidity: [Double] = [75, 84, 89, 91, 87, 85, 85, 86, 83, 78, 75, 74]

    package func humidity(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let position = day / 30.44 - 0.5
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        let table = Self.monthlyHumidity
        let mean = table[(lower + 12) % 12] * (1 - fraction) + table[(lower + 13) % 12] * fraction
        let hour = SimulationClock.localHour(weather.time)
        let rain = min(14, 3 * weather.rainRate.squareRoot())
        return mean - 8 * SimulationClock.daily(hour, peakHour: 14) + rain + 6 * weather.storm
    }

    package func pressure(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let hour = SimulationClock.localHour(weather.time)
        return 1012.5 + 7.5 * SimulationClock.season(day, peakDay: 15)
            + 1.0 * _cos(4 * Double.pi * (hour - 10) / 24) + weather.pressureAnomaly - 28 * weather.storm
    }

    package func windSpeed(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let hour = SimulationClock.localHour(weather.time)
        let monsoon = SimulationClock.season(day, peakDay: 15)
        let exposure = windExposure * (monsoon > 0 ? 1 + 0.15 * monsoon : 1)
        let base = 4.2 + 0.9 * monsoon + 0.8 * SimulationClock.daily(hour, peakHour: 14) + weather.windAnomaly
        return abs(base * exposure + 22 * weather.storm)
    }

    /// Degrees from north: NE monsoon in winter, S-SE in summer, a sea-breeze turn by day.
    package func windDirection(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let winter = (1 + SimulationClock.season(day, peakDay: 15)) / 2
        let winterAngle = 40.0 * Double.pi / 180
        let summerAngle = 160.0 * Double.pi / 180
        let x = winter * _cos(winterAngle) + (1 - winter) * _cos(summerAngle)
        let y = winter * _sin(winterAngle) + (1 - winter) * _sin(summerAngle)
        var degrees = _atan2(y, x) * 180 / Double.pi
        degrees += 20 * _sin(2 * Double.pi * (SimulationClock.localHour(weather.time) - 9) / 24)
        degrees += weather.directionAnomaly
        return degrees
    }

    package func rainRate(_ weather: WeatherSnapshot) -> Double { weather.rainRate }

    // MARK: - Air quality

    /// PM2.5, µg/m³: the NE monsoon brings polluted air in winter (x1.45), summer is cleaner
    /// (x0.55); traffic peaks in town and at the port; rain washes particles out.
    package func pm25(_ weather: WeatherSnapshot) -> Double {
        let day = SimulationClock.dayOfYear(weather.time)
        let hour = SimulationClock.localHour(weather.time)
        let base: Double
        switch air {
        case .background: base = 10
        case .coast: base = 12
        case .town: base = 16
        case .industrial: base = 22
        }
        let monsoon = 1 + 0.45 * SimulationClock.season(day, peakDay: 15)
        let traffic = air == .background ? 0.1 : 0.5
        let peaks = bump(hour, 7.5, 1.0) + bump(hour, 18, 1.2)
        let night = hour >= 22 || hour < 5 ? 0.15 : 0
        let washout = _exp(-weather.rainRate / 8)
        return base * monsoon * (1 + traffic * peaks + night) * washout * (1 - 0.5 * weather.storm)
    }

    /// Coarse particles: sea salt with the wind, road dust in town and at the port.
    package func coarseParticles(_ weather: WeatherSnapshot) -> Double {
        let dust: Double = air == .town || air == .industrial ? 6 : 2
        return dust + 0.9 * windSpeed(weather) * _exp(-weather.rainRate / 10)
    }

    package func no2(_ weather: WeatherSnapshot) -> Double {
        let hour = SimulationClock.localHour(weather.time)
        let base: Double = air == .industrial ? 26 : air == .town ? 17 : 6
        let peaks = bump(hour, 7.5, 1.0) + bump(hour, 18, 1.2)
        let photolysis = 1 - 0.3 * max(0, SimulationClock.daily(hour, peakHour: 13))
        return base * (1 + 0.8 * peaks) * photolysis
    }

    package func so2(_ weather: WeatherSnapshot) -> Double {
        let base: Double = air == .industrial ? 13 : air == .town ? 5 : 2.5
        return base * (1 + 0.2 * SimulationClock.daily(SimulationClock.localHour(weather.time), peakHour: 11))
    }

    package func co(_ weather: WeatherSnapshot) -> Double {
        let hour = SimulationClock.localHour(weather.time)
        let base: Double = air == .industrial ? 750 : air == .town ? 560 : 300
        return base * (1 + 0.6 * (bump(hour, 7.5, 1.0) + bump(hour, 18, 1.2)))
    }

    /// Ozone: photochemical, peaking mid-afternoon; lower in town (NO titration).
    package func o3(_ weather: WeatherSnapshot) -> Double {
        let hour = SimulationClock.localHour(weather.time)
        let light = max(0, _sin(Double.pi * (hour - 7) / 12))
        let (night, day): (Double, Double) = air == .background ? (38, 50) : (22, 45)
        return (night + day * light * light) * (1 - 0.3 * weather.storm)
    }

    /// Battery voltage of a solar-charged 12 V buoy or station.
    package func battery(_ weather: WeatherSnapshot) -> Double {
        let hour = SimulationClock.localHour(weather.time)
        let sun = max(0, _sin(Double.pi * (hour - 6) / 12))
        return 12.45 + 0.8 * sun * (1 - 0.5 * min(1, weather.rainRate / 10)) - (sun == 0 ? 0.15 : 0)
    }

    private func bump(_ hour: Double, _ center: Double, _ width: Double) -> Double {
        let distance = (hour - center) / width
        return _exp(-0.5 * distance * distance)
    }
}
