/// Converts a unit string as a sensor sent it into the linear conversion to its metric's
/// canonical unit.
///
/// Units are looked up only within the metric's `dimension`: `m/s` is a wind speed for
/// `wind_speed` but, as RFC 8428's primary unit for rainfall rate, means ×3.6e6 → mm/h for
/// `rain_rate`. Unit strings are case-sensitive (`mV` is not `MV`), as in SenML; only the
/// spellings field devices really use are listed, and `µ`/`μ`/`u` and `³`/`3` are treated alike.
///
/// Choices where standards disagree with devices:
/// - `%` is a percentage (0-100) for percentage metrics. RFC 8428 lists `%` as a deprecated
///   synonym of `/` (a 0-1 ratio), but devices sending JSON or line protocol mean percent, and a
///   ratio read as percent would be off by 100× in a way QC notices immediately, while the
///   reverse would silently store 0.55 %RH. A true ratio is sent as `/`, which is ×100 here.
/// - `ppm`/`ppb` convert to µg/m³ only for gases with a molar mass (at 25 °C and 1 atm, the QCVN
///   reference: µg/m³ = ppb × M / 24.45). For water quality, `ppm` (mg/kg) is not mg/L in sea
///   water (density ≈ 1.025), so it is refused rather than silently 2.5 % off.
/// - An empty unit means "no unit given", i.e. the canonical unit, like a missing one.
package enum UnitConversion {
    /// The conversion from `unit` to `metric`'s canonical unit, or nil when the unit is unknown or
    /// measures something else. A nil or empty unit, or the canonical unit itself, is identity.
    package static func conversion(from unit: String?, to metric: MetricDefinition) -> LinearConversion? {
        guard let unit else { return .identity }
        let given = normalized(unit)
        if given.isEmpty { return .identity }
        let canonical = normalized(metric.unit)
        if given == canonical { return .identity }
        guard let fromBase = toBase(given, metric: metric), let canonicalToBase = toBase(canonical, metric: metric),
            let baseToCanonical = canonicalToBase.inverse
        else { return nil }
        return fromBase.followed(by: baseToCanonical)
    }

    /// `value` in `metric`'s canonical unit, or nil when `unit` cannot be converted.
    package static func convert(_ value: Double, from unit: String?, to metric: MetricDefinition) -> Double? {
        conversion(from: unit, to: metric)?.apply(value)
    }

    /// The unit spellings accepted for a dimension (besides a metric's own canonical unit and, for
    /// gases, ppb/ppm), e.g. for documentation and config checks.
    package static func knownUnits(of dimension: PhysicalDimension) -> [String] {
        (tables[dimension] ?? [:]).keys.sorted()
    }

    private static func toBase(_ unit: String, metric: MetricDefinition) -> LinearConversion? {
        if let conversion = tables[metric.dimension]?[unit] { return conversion }
        if metric.dimension == .massConcentration, let molarMass = metric.molarMass {
            // Table units are in kg/m³; 1 ppb of a gas of molar mass M is M / 24.45 µg/m³.
            let microgramsPerCubicMetrePerPPB = molarMass / 24.45
            switch unit {
            case "ppb", "ppbv": return LinearConversion(scale: microgramsPerCubicMetrePerPPB * 1e-9)
            case "ppm", "ppmv": return LinearConversion(scale: microgramsPerCubicMetrePerPPB * 1e-6)
            default: return nil
            }
        }
        return nil
    }

    /// Trims blanks and folds the look-alike spellings devices use: micro sign (U+00B5) and Greek
    /// mu (U+03BC) to `u`, superscript three to `3`, masculine ordinal `º` to the degree sign.
    static func normalized(_ unit: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in unit.unicodeScalars {
            switch scalar {
            case "\u{B5}", "\u{3BC}": scalars.append("u")
            case "\u{B3}": scalars.append("3")
            case "\u{BA}": scalars.append("\u{B0}")
            default: scalars.append(scalar)
            }
        }
        let text = String(scalars)
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(text[first...last])
    }

    /// Per dimension: unit → conversion into that dimension's base unit (named in each comment).
    /// Keys are in `normalized` form.
    private static let tables: [PhysicalDimension: [String: LinearConversion]] = {
        func scales(_ entries: [(String, Double)]) -> [String: LinearConversion] {
            Dictionary(uniqueKeysWithValues: entries.map { ($0.0, LinearConversion(scale: $0.1)) })
        }
        let fahrenheit = LinearConversion(scale: 5.0 / 9.0, offset: -32.0 * 5.0 / 9.0)
        let kelvin = LinearConversion(scale: 1, offset: -273.15)
        return [
            // Base °C. `Cel` is SenML's name; `C` is what bare-bones firmware sends.
            .temperature: [
                "Cel": .identity, "°C": .identity, "C": .identity, "degC": .identity, "℃": .identity,
                "K": kelvin,
                "degF": fahrenheit, "°F": fahrenheit, "F": fahrenheit, "℉": fahrenheit,
            ],
            // Base PSU. PSS-78 salinity is dimensionless; ‰ and g/kg (absolute salinity) differ
            // from it by well under the sensors' accuracy (domain.md §1.5).
            .salinity: scales([("PSU", 1), ("psu", 1), ("PSS", 1), ("ppt", 1), ("‰", 1), ("g/kg", 1)]),
            .acidity: scales([("pH", 1)]),
            // Base kg/m³ (RFC 8798's primary unit). 1 g/L = 1 kg/m³.
            .massConcentration: scales([
                ("kg/m3", 1), ("g/m3", 1e-3), ("mg/m3", 1e-6), ("ug/m3", 1e-9), ("ng/m3", 1e-12),
                ("g/L", 1), ("g/l", 1), ("mg/L", 1e-3), ("mg/l", 1e-3), ("ug/L", 1e-6), ("ug/l", 1e-6),
            ]),
            // Base percent. See the type comment for `%`.
            .percentage: scales([("%", 1), ("%RH", 1), ("percent", 1), ("/100", 1), ("/", 100)]),
            // Formazin units read the same number on the instruments we use (nephelometric).
            .turbidity: scales([("NTU", 1), ("FNU", 1), ("FTU", 1)]),
            // Base metre.
            .length: scales([("m", 1), ("cm", 0.01), ("mm", 0.001), ("km", 1000), ("ft", 0.3048)]),
            // Base pascal.
            .pressure: scales([
                ("Pa", 1), ("hPa", 100), ("kPa", 1000), ("mbar", 100), ("mb", 100), ("bar", 100_000),
                ("atm", 101_325), ("mmHg", 133.322_387_415), ("inHg", 3386.389),
            ]),
            // Base m/s.
            .speed: scales([
                ("m/s", 1), ("km/h", 1 / 3.6), ("kn", 1852.0 / 3600), ("knot", 1852.0 / 3600),
                ("kt", 1852.0 / 3600), ("mph", 0.44704),
            ]),
            // Base degree.
            .angle: scales([("°", 1), ("deg", 1), ("rad", 180 / Double.pi)]),
            // Base mm/h. RFC 8428 has no rate unit but m/s; 1 m/s = 3.6e6 mm/h.
            .rainRate: scales([("mm/h", 1), ("mm/hr", 1), ("m/s", 3_600_000), ("in/h", 25.4)]),
            // Base volt.
            .voltage: scales([("V", 1), ("mV", 0.001)]),
            .dimensionless: [:],
        ]
    }()
}
