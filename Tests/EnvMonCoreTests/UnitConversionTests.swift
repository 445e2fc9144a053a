import Testing

@testable import EnvMonCore

@Suite struct UnitConversionTests {
    private func convert(_ value: Double, _ unit: String?, to id: String) -> Double? {
        UnitConversion.convert(value, from: unit, to: DecoderFixtures.metric(id))
    }

    @Test func canonicalUnitAndNilAreIdentity() {
        for definition in MetricCatalogue.standard.definitions {
            #expect(UnitConversion.conversion(from: definition.unit, to: definition) == .identity, "\(definition.id)")
            #expect(UnitConversion.conversion(from: nil, to: definition) == .identity, "\(definition.id)")
            #expect(UnitConversion.conversion(from: "", to: definition) == .identity, "\(definition.id)")
        }
    }

    @Test(arguments: [
        ("Cel", 24.8, 24.8), ("°C", 24.8, 24.8), ("C", 24.8, 24.8), ("degC", 24.8, 24.8),
        ("K", 298.15, 25.0), ("degF", 212.0, 100.0), ("°F", 32.0, 0.0), ("F", 98.6, 37.0),
    ])
    func temperature(unit: String, value: Double, expected: Double) {
        #expect(DecoderFixtures.close(convert(value, unit, to: "water_temp"), expected), "\(unit)")
        #expect(DecoderFixtures.close(convert(value, unit, to: "air_temp"), expected), "\(unit)")
    }

    @Test(arguments: ["PSU", "psu", "ppt", "‰", "g/kg"])
    func salinityUnitsAreEquivalent(unit: String) {
        #expect(convert(30.1, unit, to: "salinity") == 30.1)
    }

    @Test func acidity() {
        #expect(convert(8.1, "pH", to: "ph") == 8.1)
        #expect(convert(8.1, "mg/L", to: "ph") == nil)
    }

    @Test(arguments: [
        ("mg/L", 6.2, 6.2), ("mg/l", 6.2, 6.2), ("g/L", 0.0062, 6.2), ("ug/L", 6200.0, 6.2),
        ("µg/L", 6200.0, 6.2), ("kg/m3", 0.0062, 6.2), ("g/m3", 6.2, 6.2), ("mg/m3", 6200.0, 6.2),
    ])
    func waterMassConcentration(unit: String, value: Double, expected: Double) {
        #expect(DecoderFixtures.close(convert(value, unit, to: "do"), expected), "\(unit)")
    }

    @Test(arguments: [
        ("µg/m³", 35.0, 35.0), ("ug/m3", 35.0, 35.0), ("µg/m3", 35.0, 35.0), ("μg/m3", 35.0, 35.0),
        ("mg/m3", 0.035, 35.0), ("g/m3", 35e-6, 35.0), ("kg/m3", 35e-9, 35.0),
    ])
    func airMassConcentration(unit: String, value: Double, expected: Double) {
        #expect(DecoderFixtures.close(convert(value, unit, to: "pm25"), expected), "\(unit)")
    }

    @Test func gasesConvertFromMixingRatiosAtTheQCVNReference() {
        // domain.md §1.5: µg/m³ = ppb × M / 24.45; CO ppm → µg/m³ is × 1145.6.
        #expect(DecoderFixtures.close(convert(1, "ppm", to: "co"), 1145.6, tolerance: 1e-4))
        #expect(DecoderFixtures.close(convert(100, "ppb", to: "no2"), 100 * 46.01 / 24.45))
        #expect(DecoderFixtures.close(convert(10, "ppb", to: "so2"), 10 * 64.07 / 24.45))
        #expect(DecoderFixtures.close(convert(50, "ppb", to: "o3"), 50 * 48.00 / 24.45))
        // No molar mass: particulate matter and water quality refuse mixing ratios.
        #expect(convert(10, "ppb", to: "pm25") == nil)
        #expect(convert(6, "ppm", to: "do") == nil)
    }

    @Test func percentages() {
        #expect(convert(85, "%", to: "do_sat") == 85)
        #expect(convert(85, "/100", to: "do_sat") == 85)
        #expect(DecoderFixtures.close(convert(0.85, "/", to: "do_sat"), 85))
        #expect(convert(71, "%RH", to: "humidity") == 71)
        #expect(convert(71, "%", to: "humidity") == 71)
        #expect(DecoderFixtures.close(convert(0.71, "/", to: "humidity"), 71))
    }

    @Test(arguments: ["NTU", "FNU", "FTU"])
    func turbidity(unit: String) {
        #expect(convert(12.5, unit, to: "turbidity") == 12.5)
    }

    @Test func lengthPressureSpeedAngleVoltage() {
        #expect(DecoderFixtures.close(convert(152, "cm", to: "water_level"), 1.52))
        #expect(DecoderFixtures.close(convert(1520, "mm", to: "water_level"), 1.52))
        #expect(DecoderFixtures.close(convert(101_325, "Pa", to: "pressure"), 1013.25))
        #expect(DecoderFixtures.close(convert(101.325, "kPa", to: "pressure"), 1013.25))
        #expect(convert(1013.25, "mbar", to: "pressure") == 1013.25)
        #expect(DecoderFixtures.close(convert(1.01325, "bar", to: "pressure"), 1013.25))
        #expect(DecoderFixtures.close(convert(36, "km/h", to: "wind_speed"), 10))
        #expect(DecoderFixtures.close(convert(10, "kn", to: "wind_speed"), 5.144_444_444))
        #expect(DecoderFixtures.close(convert(10, "knot", to: "wind_speed"), 5.144_444_444))
        #expect(convert(270, "deg", to: "wind_dir") == 270)
        #expect(DecoderFixtures.close(convert(Double.pi / 2, "rad", to: "wind_dir"), 90))
        #expect(DecoderFixtures.close(convert(3700, "mV", to: "battery"), 3.7))
    }

    @Test func metresPerSecondDependOnTheMetric() {
        // RFC 8428 has only m/s for rainfall rate: 1e-6 m/s = 3.6 mm/h. For wind it is wind speed.
        #expect(DecoderFixtures.close(convert(1e-6, "m/s", to: "rain_rate"), 3.6))
        #expect(convert(7.5, "m/s", to: "wind_speed") == 7.5)
        #expect(convert(3.6, "mm/h", to: "rain_rate") == 3.6)
        #expect(convert(3.6, "mm/h", to: "wind_speed") == nil)
    }

    @Test(arguments: [
        ("Cel", "salinity"), ("hPa", "water_temp"), ("m/s", "pressure"), ("mg/L", "turbidity"),
        ("V", "do_sat"), ("K", "battery"), ("%", "water_level"), ("MV", "battery"), ("furlong", "water_level"),
    ])
    func incompatibleUnitsAreRefused(unit: String, metric: String) {
        #expect(UnitConversion.conversion(from: unit, to: DecoderFixtures.metric(metric)) == nil)
    }

    @Test func customMetricAcceptsOnlyItsOwnUnit() {
        let definition = MetricDefinition(
            id: "chl_a", nameEnglish: "Chlorophyll a", nameVietnamese: "Diệp lục a", unit: "RFU",
            dimension: .dimensionless, medium: .seaWater)
        #expect(UnitConversion.conversion(from: "RFU", to: definition) == .identity)
        #expect(UnitConversion.conversion(from: " RFU ", to: definition) == .identity)
        #expect(UnitConversion.conversion(from: "%", to: definition) == nil)
    }

    @Test func linearConversionComposesAndInverts() {
        let fahrenheitToCelsius = UnitConversion.conversion(from: "degF", to: DecoderFixtures.metric("water_temp"))!
        let inverse = fahrenheitToCelsius.inverse!
        #expect(DecoderFixtures.close(inverse.apply(100), 212))
        let roundTrip = fahrenheitToCelsius.followed(by: inverse)
        #expect(DecoderFixtures.close(roundTrip.apply(77), 77))
        #expect(LinearConversion(scale: 0).inverse == nil)
    }

    @Test func knownUnitsListTheDimension() {
        #expect(UnitConversion.knownUnits(of: .pressure).contains("hPa"))
        #expect(!UnitConversion.knownUnits(of: .pressure).contains("m/s"))
    }
}
