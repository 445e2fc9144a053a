/// Vietnam's air quality index, VN_AQI, as set by Quyết định 1459/QĐ-TCMT (12/11/2019),
/// domain.md §1.4. Pure arithmetic on concentrations the caller has already averaged (the store's
/// hourly roll-ups); every concentration is in µg/m³, CO included.
package enum VNAQI {
    /// The index levels I_i of Bảng 2, shared by every column.
    package static let indexLevels: [Double] = [0, 50, 100, 150, 200, 300, 400, 500]

    // MARK: Pollutants and breakpoint columns

    /// The pollutants VN_AQI uses; raw values are EnvMon metric ids.
    package enum Pollutant: String, Sendable, Hashable, CaseIterable {
        case pm25, pm10, o3, no2, so2, co

        package var displayName: String {
            switch self {
            case .pm25: "PM2.5"
            case .pm10: "PM10"
            case .o3: "O3"
            case .no2: "NO2"
            case .so2: "SO2"
            case .co: "CO"
            }
        }
    }

    /// One breakpoint column of Bảng 2 (ozone has a 1-hour and an 8-hour column).
    package enum Parameter: String, Sendable, Hashable, CaseIterable {
        case o3OneHour = "o3_1h"
        case o3EightHour = "o3_8h"
        case co, so2, no2, pm10, pm25

        package var pollutant: Pollutant {
            switch self {
            case .o3OneHour, .o3EightHour: .o3
            case .co: .co
            case .so2: .so2
            case .no2: .no2
            case .pm10: .pm10
            case .pm25: .pm25
            }
        }

        /// BP_i in µg/m³, aligned with `VNAQI.indexLevels`. The 8-hour ozone column stops at
        /// 400 µg/m³ (index 300): above that the decision uses the 1-hour column only.
        package var breakpoints: [Double] {
            switch self {
            case .o3OneHour: [0, 160, 200, 300, 400, 800, 1000, 1200]
            case .o3EightHour: [0, 100, 120, 170, 210, 400]
            case .co: [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000]
            case .so2: [0, 125, 350, 550, 800, 1600, 2100, 2630]
            case .no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850]
            case .pm10: [0, 50, 150, 250, 350, 420, 500, 600]
            case .pm25: [0, 25, 50, 80, 150, 250, 350, 500]
            }
        }
    }

    // MARK: Categories (Bảng 1)

    /// An RGB colour as Bảng 1 gives it.
    package struct RGB: Hashable, Sendable, CustomStringConvertible {
        package var red: UInt8
        package var green: UInt8
        package var blue: UInt8

        package init(red: UInt8, green: UInt8, blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// `#RRGGBB`, for dashboards.
        package var hex: String {
            "#"
                + [red, green, blue].map { byte in
                    let digits = String(byte, radix: 16, uppercase: true)
                    return digits.count == 1 ? "0" + digits : digits
                }.joined()
        }

        package var description: String { "\(red),\(green),\(blue)" }
    }

    /// The six bands of Bảng 1, ordered from best to worst.
    package enum Category: Int, Sendable, Hashable, CaseIterable, Comparable {
        case good = 1
        case moderate
        case poor
        case bad
        case veryBad
        case hazardous

        /// The band that holds a (rounded) AQI value. Values above 500 stay hazardous.
        package init(aqi: Int) {
            switch aqi {
            case ...50: self = .good
            case 51...100: self = .moderate
            case 101...150: self = .poor
            case 151...200: self = .bad
            case 201...300: self = .veryBad
            default: self = .hazardous
            }
        }

        package static func < (lhs: Category, rhs: Category) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Lowest AQI value of the band (0, 51, 101, 151, 201, 301).
        package var lowerBound: Int {
            switch self {
            case .good: 0
            case .moderate: 51
            case .poor: 101
            case .bad: 151
            case .veryBad: 201
            case .hazardous: 301
            }
        }

        /// Highest AQI value of the band as published (500 for hazardous).
        package var upperBound: Int {
            switch self {
            case .good: 50
            case .moderate: 100
            case .poor: 150
            case .bad: 200
            case .veryBad: 300
            case .hazardous: 500
            }
        }

        /// Stable machine name, as used in config (`at_least = "bad"`) and JSON.
        package var id: String {
            switch self {
            case .good: "good"
            case .moderate: "moderate"
            case .poor: "poor"
            case .bad: "bad"
            case .veryBad: "very_bad"
            case .hazardous: "hazardous"
            }
        }

        /// The category by its machine id or its Vietnamese or English name (case-insensitive).
        package init?(name: String) {
            let wanted = name.lowercased()
            guard
                let match = Category.allCases.first(where: {
                    $0.id == wanted || $0.nameVietnamese.lowercased() == wanted || $0.nameEnglish.lowercased() == wanted
                })
            else { return nil }
            self = match
        }

        package var nameVietnamese: String {
            switch self {
            case .good: "Tốt"
            case .moderate: "Trung bình"
            case .poor: "Kém"
            case .bad: "Xấu"
            case .veryBad: "Rất xấu"
            case .hazardous: "Nguy hại"
            }
        }

        package var nameEnglish: String {
            switch self {
            case .good: "Good"
            case .moderate: "Moderate"
            case .poor: "Poor"
            case .bad: "Bad"
            case .veryBad: "Very bad"
            case .hazardous: "Hazardous"
            }
        }

        package var colourNameVietnamese: String {
            switch self {
            case .good: "Xanh"
            case .moderate: "Vàng"
            case .poor: "Da cam"
            case .bad: "Đỏ"
            case .veryBad: "Tím"
            case .hazardous: "Nâu"
            }
        }

        package var colourNameEnglish: String {
            switch self {
            case .good: "green"
            case .moderate: "yellow"
            case .poor: "orange"
            case .bad: "red"
            case .veryBad: "purple"
            case .hazardous: "maroon"
            }
        }

        package var colour: RGB {
            switch self {
            case .good: RGB(red: 0, green: 228, blue: 0)
            case .moderate: RGB(red: 255, green: 255, blue: 0)
            case .poor: RGB(red: 255, green: 126, blue: 0)
            case .bad: RGB(red: 255, green: 0, blue: 0)
            case .veryBad: RGB(red: 143, green: 63, blue: 151)
            case .hazardous: RGB(red: 126, green: 0, blue: 35)
            }
        }
    }

    // MARK: Sub-indices

    /// One pollutant's index, before the final rounding.
    package struct SubIndex: Hashable, Sendable {
        package var parameter: Parameter
        /// The concentration it was computed from, µg/m³.
        package var concentration: Double
        /// The interpolated index, unrounded (e.g. 59.35).
        package var value: Double

        package init(parameter: Parameter, concentration: Double, value: Double) {
            self.parameter = parameter
            self.concentration = concentration
            self.value = value
        }

        package var pollutant: Pollutant { parameter.pollutant }
        /// Rounded half-up, as the decision prints sub-indices.
        package var rounded: Int { VNAQI.roundHalfUp(value) }
    }

    /// AQI_x = (I_{i+1} − I_i) / (BP_{i+1} − BP_i) × (C − BP_i) + I_i, for BP_i ≤ C ≤ BP_{i+1}.
    ///
    /// Negative concentrations (normal for beta-attenuation PM monitors near zero) count as 0.
    /// A concentration at or above the last breakpoint gives that breakpoint's index (500), except
    /// for the 8-hour ozone column, whose table ends at 400 µg/m³: above it the result is nil and
    /// the caller uses the 1-hour column, as the decision says. Non-finite input gives nil.
    package static func subIndex(_ parameter: Parameter, concentration: Double) -> Double? {
        guard concentration.isFinite else { return nil }
        let breakpoints = parameter.breakpoints
        let c = max(0, concentration)
        guard let last = breakpoints.last else { return nil }
        if c >= last {
            if parameter == .o3EightHour && c > last { return nil }
            return indexLevels[breakpoints.count - 1]
        }
        for i in 0..<(breakpoints.count - 1) where c < breakpoints[i + 1] {
            // Multiply before dividing: keeps exact halves (e.g. 109.5) exact in binary.
            let low = breakpoints[i]
            return (indexLevels[i + 1] - indexLevels[i]) * (c - low) / (breakpoints[i + 1] - low) + indexLevels[i]
        }
        return nil
    }

    /// Rounds half-up (x.5 → x+1). A tolerance of 1e-9 absorbs binary noise, so 109.4999999999
    /// computed from 55.7 µg/m³ still prints 110 as the decision does.
    package static func roundHalfUp(_ value: Double) -> Int {
        Int((value + 0.5 + 1e-9).rounded(.down))
    }

    // MARK: NowCast

    /// NowCast of the last 12 hourly means for PM: `hourlyMeans[0]` is c1, the most recent
    /// complete hour; nil marks an hour without data (weight 0). Values past the twelfth are
    /// ignored. nil when fewer than two of c1, c2, c3 exist ("no data" in the decision).
    ///
    /// w* = Cmin / Cmax over the available hours; w = ½ if w* ≤ ½ else w*;
    /// NowCast = Σ w^(i−1)·c_i / Σ w^(i−1) over the available hours.
    package static func nowCast(_ hourlyMeans: [Double?]) -> Double? {
        let hours = Array(hourlyMeans.prefix(12))
        let recent = hours.prefix(3).compactMap { $0 }.filter(\.isFinite)
        guard recent.count >= 2 else { return nil }
        let present: [(Int, Double)] = hours.enumerated().compactMap { index, value in
            guard let value, value.isFinite else { return nil }
            return (index, max(0, value))
        }
        let values = present.map(\.1)
        guard let cMax = values.max(), let cMin = values.min() else { return nil }
        if cMax == 0 { return 0 }
        let ratio = cMin / cMax
        let w = ratio <= 0.5 ? 0.5 : ratio
        var numerator = 0.0
        var denominator = 0.0
        for (index, value) in present {
            let weight = pow(w, index)
            numerator += weight * value
            denominator += weight
        }
        return numerator / denominator
    }

    /// The NowCast weight w for a series (exposed for reports and tests; nil when no data).
    package static func nowCastWeight(_ hourlyMeans: [Double?]) -> Double? {
        let values = hourlyMeans.prefix(12).compactMap { $0 }.filter(\.isFinite).map { max(0, $0) }
        guard let cMax = values.max(), let cMin = values.min(), cMax > 0 else { return nil }
        let ratio = cMin / cMax
        return ratio <= 0.5 ? 0.5 : ratio
    }

    private static func pow(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= base }
        return result
    }

    // MARK: The index

    /// A station's AQI: the largest sub-index, rounded half-up, with what made it.
    package struct Index: Hashable, Sendable {
        /// The published AQI.
        package var value: Int
        /// The largest sub-index before rounding.
        package var exactValue: Double
        package var category: Category
        /// The pollutant with the largest sub-index (ties: PM2.5, PM10, O3, NO2, SO2, CO).
        package var dominant: Pollutant
        /// The column that gave the largest sub-index (tells the 1-hour from the 8-hour ozone).
        package var dominantParameter: Parameter
        /// Every sub-index computed, in the order PM2.5, PM10, O3 (1 h, 8 h), NO2, SO2, CO.
        package var subIndices: [SubIndex]

        package init?(subIndices: [SubIndex]) {
            guard subIndices.contains(where: { $0.pollutant == .pm25 || $0.pollutant == .pm10 }) else { return nil }
            var best: SubIndex?
            for candidate in subIndices where best == nil || candidate.value > best!.value {
                best = candidate
            }
            guard let best else { return nil }
            self.value = VNAQI.roundHalfUp(best.value)
            self.exactValue = best.value
            self.category = Category(aqi: value)
            self.dominant = best.pollutant
            self.dominantParameter = best.parameter
            self.subIndices = subIndices
        }

        package func subIndex(_ parameter: Parameter) -> SubIndex? {
            subIndices.first { $0.parameter == parameter }
        }
    }

    /// Hourly AQI (AQI^h): O3, NO2, SO2 and CO from their current 1-hour means (O3 on the 1-hour
    /// column), PM2.5 and PM10 from their NowCasts. nil unless at least one PM value is present.
    package static func hourly(
        o3: Double? = nil, no2: Double? = nil, so2: Double? = nil, co: Double? = nil,
        pm25NowCast: Double? = nil, pm10NowCast: Double? = nil
    ) -> Index? {
        index([(.pm25, pm25NowCast), (.pm10, pm10NowCast), (.o3OneHour, o3), (.no2, no2), (.so2, so2), (.co, co)])
    }

    /// Hourly AQI from the last 12 hourly PM means (c1 first), NowCast computed here.
    package static func hourly(
        o3: Double? = nil, no2: Double? = nil, so2: Double? = nil, co: Double? = nil,
        pm25Hours: [Double?], pm10Hours: [Double?] = []
    ) -> Index? {
        hourly(
            o3: o3, no2: no2, so2: so2, co: co, pm25NowCast: nowCast(pm25Hours), pm10NowCast: nowCast(pm10Hours))
    }

    /// Daily AQI (AQI^d): PM from their 24-hour means; SO2, NO2 and CO from the day's largest
    /// 1-hour mean; O3 the larger of the 1-hour-max (1-hour column) and 8-hour-max (8-hour column)
    /// sub-indices, the 8-hour one skipped above 400 µg/m³. nil unless a PM value is present.
    package static func daily(
        pm25: Double? = nil, pm10: Double? = nil, o3Max1h: Double? = nil, o3Max8h: Double? = nil,
        no2Max1h: Double? = nil, so2Max1h: Double? = nil, coMax1h: Double? = nil
    ) -> Index? {
        index([
            (.pm25, pm25), (.pm10, pm10), (.o3OneHour, o3Max1h), (.o3EightHour, o3Max8h), (.no2, no2Max1h),
            (.so2, so2Max1h), (.co, coMax1h),
        ])
    }

    /// The index over the concentrations present (nil ones are left out), in the order given.
    private static func index(_ concentrations: [(Parameter, Double?)]) -> Index? {
        Index(
            subIndices: concentrations.compactMap { parameter, concentration in
                guard let concentration, let value = subIndex(parameter, concentration: concentration) else {
                    return nil
                }
                return SubIndex(parameter: parameter, concentration: concentration, value: value)
            })
    }
}
