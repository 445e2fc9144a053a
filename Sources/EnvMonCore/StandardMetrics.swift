// Default metrics and QARTOD thresholds for the Cát Hải network.
//
// Gross-range spans follow domain.md §1.6: the fail span is the physical or instrument limit
// (a value outside it cannot be real), the suspect span is the Cát Bà climatology. Spike, rate of
// change and flat-line thresholds are engineering defaults ([U] in domain.md), chosen from the
// failure modes listed there (e.g. sea temperature changing > 2 °C in 10 min). Every one of them
// can be overridden per metric, site or sensor in the config.

private let hour = 3600.0
private let tenMinutes = 600.0

extension MetricCatalogue {
    /// The built-in catalogue: the metrics of issue #2 with their canonical units.
    package static let standard = MetricCatalogue(StandardMetrics.all)
}

enum StandardMetrics {
    static let all: [MetricDefinition] = seaWater + weather + air + device

    static let seaWater: [MetricDefinition] = [
        MetricDefinition(
            id: "water_temp", nameEnglish: "Water temperature", nameVietnamese: "Nhiệt độ nước",
            unit: "°C", dimension: .temperature, medium: .seaWater,
            aliases: ["temp_water", "sea_temp", "sst", "wtemp"],
            qc: QCThresholds(
                failSpan: -2...40, suspectSpan: 14...34, spikeSuspect: 1.0, spikeFail: 3.0,
                rateOfChangePerSecond: 2.0 / tenMinutes,
                flatLineTolerance: 0.005, flatLineSuspectSeconds: 2 * hour, flatLineFailSeconds: 6 * hour)),
        MetricDefinition(
            id: "salinity", nameEnglish: "Salinity", nameVietnamese: "Độ mặn", unit: "PSU",
            dimension: .salinity, medium: .seaWater, aliases: ["sal", "psal"],
            qc: QCThresholds(
                failSpan: 0...42, suspectSpan: 5...36, spikeSuspect: 2, spikeFail: 5,
                rateOfChangePerSecond: 5.0 / tenMinutes,
                flatLineTolerance: 0.005, flatLineSuspectSeconds: 2 * hour, flatLineFailSeconds: 6 * hour)),
        MetricDefinition(
            id: "ph", nameEnglish: "pH", nameVietnamese: "pH", unit: "pH", dimension: .acidity,
            medium: .seaWater, aliases: ["p_h"],
            qc: QCThresholds(
                failSpan: 0...14, suspectSpan: 7.0...8.8, spikeSuspect: 0.3, spikeFail: 1.0,
                rateOfChangePerSecond: 0.5 / tenMinutes,
                flatLineTolerance: 0.001, flatLineSuspectSeconds: 2 * hour, flatLineFailSeconds: 6 * hour)),
        MetricDefinition(
            id: "do", nameEnglish: "Dissolved oxygen", nameVietnamese: "Oxy hòa tan (DO)", unit: "mg/L",
            dimension: .massConcentration, medium: .seaWater,
            aliases: ["dissolved_oxygen", "oxygen", "doxy"],
            qc: QCThresholds(
                // Optical DO sensors span 0-20 mg/L; above ~2x saturation (≈ 15 mg/L in warm sea
                // water) or below 1 mg/L is suspect.
                failSpan: 0...20, suspectSpan: 1...15, spikeSuspect: 1.5, spikeFail: 4,
                rateOfChangePerSecond: 3.0 / tenMinutes,
                flatLineTolerance: 0.005, flatLineSuspectSeconds: 2 * hour, flatLineFailSeconds: 6 * hour)),
        MetricDefinition(
            id: "do_sat", nameEnglish: "Oxygen saturation", nameVietnamese: "Độ bão hòa oxy", unit: "%",
            dimension: .percentage, medium: .seaWater, aliases: ["do_percent", "oxygen_saturation"],
            qc: QCThresholds(
                failSpan: 0...250, suspectSpan: 10...200, spikeSuspect: 20, spikeFail: 50,
                rateOfChangePerSecond: 30.0 / tenMinutes,
                flatLineTolerance: 0.05, flatLineSuspectSeconds: 2 * hour, flatLineFailSeconds: 6 * hour)),
        MetricDefinition(
            id: "turbidity", nameEnglish: "Turbidity", nameVietnamese: "Độ đục", unit: "NTU",
            dimension: .turbidity, medium: .seaWater, aliases: ["turb", "ntu"],
            qc: QCThresholds(
                failSpan: 0...4000, suspectSpan: 0...500, spikeSuspect: 50, spikeFail: 200,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 3 * hour, flatLineFailSeconds: 12 * hour)),
        MetricDefinition(
            id: "tss", nameEnglish: "Total suspended solids", nameVietnamese: "Tổng chất rắn lơ lửng (TSS)",
            unit: "mg/L", dimension: .massConcentration, medium: .seaWater,
            aliases: ["suspended_solids"],
            qc: QCThresholds(failSpan: 0...5000, suspectSpan: 0...500, spikeSuspect: 50, spikeFail: 200)),
        MetricDefinition(
            id: "nh4", nameEnglish: "Ammonium (NH4+ as N)", nameVietnamese: "Amoni (NH4+ tính theo N)",
            unit: "mg/L", dimension: .massConcentration, medium: .seaWater, aliases: ["ammonium", "nh4_n"],
            qc: QCThresholds(failSpan: 0...50, suspectSpan: 0...5)),
        MetricDefinition(
            id: "po4", nameEnglish: "Phosphate (PO4 3- as P)", nameVietnamese: "Phosphat (PO4 3- tính theo P)",
            unit: "mg/L", dimension: .massConcentration, medium: .seaWater, aliases: ["phosphate", "po4_p"],
            qc: QCThresholds(failSpan: 0...50, suspectSpan: 0...5)),
        MetricDefinition(
            id: "water_level", nameEnglish: "Water level", nameVietnamese: "Mực nước", unit: "m",
            dimension: .length, medium: .seaWater, aliases: ["tide", "level", "sea_level"],
            qc: QCThresholds(
                // Tidal range 3.3-3.9 m plus up to 1.5 m surge is plausible; a jump of more than
                // 1 m in 10 min is not (domain.md §1.6).
                failSpan: -10...15, suspectSpan: -1.5...6, spikeSuspect: 0.3, spikeFail: 1.0,
                rateOfChangePerSecond: 1.0 / tenMinutes,
                flatLineTolerance: 0.001, flatLineSuspectSeconds: 1 * hour, flatLineFailSeconds: 3 * hour)),
    ]

    static let weather: [MetricDefinition] = [
        MetricDefinition(
            id: "air_temp", nameEnglish: "Air temperature", nameVietnamese: "Nhiệt độ không khí", unit: "°C",
            dimension: .temperature, medium: .weather, aliases: ["temp_air", "temperature", "ta"],
            qc: QCThresholds(
                failSpan: -5...48, suspectSpan: 3...40, spikeSuspect: 2, spikeFail: 5,
                rateOfChangePerSecond: 5.0 / tenMinutes,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 3 * hour, flatLineFailSeconds: 12 * hour)),
        MetricDefinition(
            id: "humidity", nameEnglish: "Relative humidity", nameVietnamese: "Độ ẩm tương đối", unit: "%RH",
            dimension: .percentage, medium: .weather, aliases: ["rh", "relative_humidity"],
            qc: QCThresholds(
                // Up to 102 %RH is sensor overshoot, not an impossible value; fog keeps 100 % for
                // hours, so the flat line needs long windows.
                failSpan: 0...102, suspectSpan: 25...100, spikeSuspect: 10, spikeFail: 30,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 6 * hour, flatLineFailSeconds: 24 * hour)),
        MetricDefinition(
            id: "pressure", nameEnglish: "Air pressure", nameVietnamese: "Khí áp", unit: "hPa",
            dimension: .pressure, medium: .weather, aliases: ["baro", "air_pressure", "p"],
            qc: QCThresholds(
                failSpan: 870...1085, suspectSpan: 960...1045, spikeSuspect: 2, spikeFail: 5,
                rateOfChangePerSecond: 10.0 / hour,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 3 * hour, flatLineFailSeconds: 12 * hour)),
        MetricDefinition(
            id: "wind_speed", nameEnglish: "Wind speed", nameVietnamese: "Tốc độ gió", unit: "m/s",
            dimension: .speed, medium: .weather, aliases: ["wind", "ws", "wspd"],
            qc: QCThresholds(
                // A seized anemometer reads 0 for ever; calm nights read 0 for hours.
                failSpan: 0...75, suspectSpan: 0...40,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 6 * hour, flatLineFailSeconds: 24 * hour)),
        MetricDefinition(
            id: "wind_dir", nameEnglish: "Wind direction", nameVietnamese: "Hướng gió", unit: "°",
            dimension: .angle, medium: .weather, aliases: ["wd", "wdir"],
            qc: QCThresholds(
                failSpan: 0...360,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 6 * hour, flatLineFailSeconds: 24 * hour)),
        MetricDefinition(
            id: "rain_rate", nameEnglish: "Rainfall rate", nameVietnamese: "Cường độ mưa", unit: "mm/h",
            dimension: .rainRate, medium: .weather, aliases: ["rain", "rainfall_rate", "precip_rate"],
            // Zero for days is normal, so no flat-line test.
            qc: QCThresholds(failSpan: 0...400, suspectSpan: 0...150)),
    ]

    static let air: [MetricDefinition] = [
        MetricDefinition(
            id: "pm25", nameEnglish: "PM2.5", nameVietnamese: "Bụi PM2.5", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["pm2_5", "pm2.5"],
            qc: QCThresholds(
                // Small negatives are normal for beta-attenuation monitors (domain.md §1.6).
                failSpan: -10...1000, suspectSpan: -10...500, spikeSuspect: 50, spikeFail: 150,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 3 * hour, flatLineFailSeconds: 12 * hour)),
        MetricDefinition(
            id: "pm10", nameEnglish: "PM10", nameVietnamese: "Bụi PM10", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["pm_10"],
            qc: QCThresholds(
                failSpan: -10...1000, suspectSpan: -10...600, spikeSuspect: 80, spikeFail: 250,
                flatLineTolerance: 0.01, flatLineSuspectSeconds: 3 * hour, flatLineFailSeconds: 12 * hour)),
        MetricDefinition(
            id: "co", nameEnglish: "Carbon monoxide", nameVietnamese: "Cacbon monoxit (CO)", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["carbon_monoxide"], molarMass: 28.01,
            // VN_AQI's top CO breakpoint is 150,000 µg/m³ (domain.md §1.4).
            qc: QCThresholds(failSpan: 0...150_000, suspectSpan: 0...30_000)),
        MetricDefinition(
            id: "no2", nameEnglish: "Nitrogen dioxide", nameVietnamese: "Nitơ dioxit (NO2)", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["nitrogen_dioxide"], molarMass: 46.01,
            qc: QCThresholds(failSpan: 0...3850, suspectSpan: 0...400)),
        MetricDefinition(
            id: "so2", nameEnglish: "Sulphur dioxide", nameVietnamese: "Lưu huỳnh dioxit (SO2)", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["sulfur_dioxide"], molarMass: 64.07,
            qc: QCThresholds(failSpan: 0...2630, suspectSpan: 0...500)),
        MetricDefinition(
            id: "o3", nameEnglish: "Ozone", nameVietnamese: "Ozon (O3)", unit: "µg/m³",
            dimension: .massConcentration, medium: .air, aliases: ["ozone"], molarMass: 48.00,
            qc: QCThresholds(failSpan: 0...1200, suspectSpan: 0...400)),
    ]

    static let device: [MetricDefinition] = [
        MetricDefinition(
            id: "battery", nameEnglish: "Battery voltage", nameVietnamese: "Điện áp pin", unit: "V",
            dimension: .voltage, medium: .device, aliases: ["batt", "vbat", "battery_voltage"],
            qc: QCThresholds(failSpan: 0...30))
    ]
}
