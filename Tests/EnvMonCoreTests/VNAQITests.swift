import Testing

@testable import EnvMonCore

/// VN_AQI against Quyết định 1459/QĐ-TCMT (domain.md §1.4), its worked examples first.
@Suite("VN_AQI")
struct VNAQITests {
    /// The decision's NowCast example, 09:00 → 20:00 as printed; c1 is the most recent hour.
    static let printedSeries: [Double] = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6]
    static var c1First: [Double?] { printedSeries.reversed().map { $0 } }

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    // MARK: Worked examples

    @Test("NowCast example: w = 0.613, NowCast 20.27 (the decision prints 20.3)")
    func nowCastExample() throws {
        let weight = try #require(VNAQI.nowCastWeight(Self.c1First))
        #expect(Self.close(weight, 16.5 / 26.9))
        #expect((weight * 1000).rounded() / 1000 == 0.613)
        let nowCast = try #require(VNAQI.nowCast(Self.c1First))
        #expect(Self.close(nowCast, 20.2657650072368, 1e-9))
        #expect((nowCast * 10).rounded() / 10 == 20.3)
        // Read the other way round (c1 = 09:00) it would be 23.98: the order matters.
        #expect(!Self.close(VNAQI.nowCast(Self.printedSeries.map { $0 }), 20.27, 0.01))
    }

    @Test("Hourly example: O3 136.1 → 43, NO2 118.7 → 59.35, PM2.5 NowCast 20.3 → 41")
    func hourlyExample() throws {
        let index = try #require(VNAQI.hourly(o3: 136.1, no2: 118.7, pm25NowCast: 20.3))
        let o3 = try #require(index.subIndex(.o3OneHour))
        let no2 = try #require(index.subIndex(.no2))
        let pm25 = try #require(index.subIndex(.pm25))
        #expect(Self.close(o3.value, 42.53125))
        #expect(o3.rounded == 43)
        #expect(Self.close(no2.value, 59.35))
        #expect(pm25.rounded == 41)
        // The decision prints 60 for NO2 and AQI^h = 60, but its own formula gives 59.35; rounded
        // half-up (which reproduces every other printed figure) that is 59. We follow the formula.
        #expect(no2.rounded == 59)
        #expect(index.value == 59)
        #expect(index.dominant == .no2)
        #expect(index.category == .moderate)
    }

    @Test("Hourly AQI from the raw 12 hours gives the same PM2.5 sub-index as the printed NowCast")
    func hourlyFromSeries() throws {
        let index = try #require(VNAQI.hourly(o3: 136.1, no2: 118.7, pm25Hours: Self.c1First))
        #expect(index.subIndex(.pm25)?.rounded == 41)
        #expect(index.value == 59)
    }

    @Test("Daily example: O3 8h 89.3 → 45, O3 1h 114.6 → 36, NO2 130.8 → 65, PM2.5 55.7 → 110; AQI^d 110")
    func dailyExample() throws {
        let index = try #require(VNAQI.daily(pm25: 55.7, o3Max1h: 114.6, o3Max8h: 89.3, no2Max1h: 130.8))
        #expect(index.subIndex(.o3EightHour)?.rounded == 45)
        #expect(index.subIndex(.o3OneHour)?.rounded == 36)
        #expect(index.subIndex(.no2)?.rounded == 65)
        #expect(index.subIndex(.pm25)?.rounded == 110)
        #expect(Self.close(index.exactValue, 109.5, 1e-6))
        #expect(index.value == 110)
        #expect(index.dominant == .pm25)
        #expect(index.category == .poor)
    }

    // MARK: Sub-indices

    @Test("Every breakpoint maps to its index level exactly", arguments: VNAQI.Parameter.allCases)
    func breakpointsMapToLevels(parameter: VNAQI.Parameter) {
        for (position, breakpoint) in parameter.breakpoints.enumerated() {
            #expect(VNAQI.subIndex(parameter, concentration: breakpoint) == VNAQI.indexLevels[position])
        }
        #expect(parameter.breakpoints == parameter.breakpoints.sorted())
    }

    @Test("Interpolation is linear inside a segment")
    func interpolation() {
        #expect(VNAQI.subIndex(.pm25, concentration: 12.5) == 25)
        #expect(VNAQI.subIndex(.pm10, concentration: 100) == 75)
        #expect(VNAQI.subIndex(.co, concentration: 20_000) == 75)
        #expect(VNAQI.subIndex(.so2, concentration: 1200) == 250)
        #expect(VNAQI.subIndex(.pm25, concentration: 425) == 450)
    }

    @Test("Negative concentrations count as zero; above the table caps at 500; NaN gives nothing")
    func edges() {
        #expect(VNAQI.subIndex(.pm25, concentration: -3) == 0)
        #expect(VNAQI.subIndex(.pm25, concentration: 900) == 500)
        #expect(VNAQI.subIndex(.o3OneHour, concentration: 5000) == 500)
        #expect(VNAQI.subIndex(.no2, concentration: .nan) == nil)
        #expect(VNAQI.subIndex(.co, concentration: .infinity) == nil)
    }

    @Test("The 8-hour ozone column ends at 400 µg/m³; above it daily O3 uses the 1-hour column only")
    func ozoneEightHourCutoff() throws {
        #expect(VNAQI.subIndex(.o3EightHour, concentration: 400) == 300)
        #expect(VNAQI.subIndex(.o3EightHour, concentration: 400.1) == nil)
        let index = try #require(VNAQI.daily(pm25: 10, o3Max1h: 450, o3Max8h: 420))
        #expect(index.subIndex(.o3EightHour) == nil)
        #expect(index.subIndex(.o3OneHour)?.value == 212.5)
        #expect(index.value == 213)
        #expect(index.dominantParameter == .o3OneHour)
        // Below 400 the larger of the two wins: 8-hour 200 µg/m³ → 187.5 beats 1-hour 300 → 150.
        let both = try #require(VNAQI.daily(pm25: 10, o3Max1h: 300, o3Max8h: 200))
        #expect(both.subIndex(.o3EightHour)?.value == 187.5)
        #expect(both.value == 188)
        #expect(both.dominantParameter == .o3EightHour)
        #expect(both.dominant == .o3)
    }

    @Test("Rounding is half-up on the final index")
    func roundingHalfUp() {
        #expect(VNAQI.roundHalfUp(59.35) == 59)
        #expect(VNAQI.roundHalfUp(59.5) == 60)
        #expect(VNAQI.roundHalfUp(109.49999999999999) == 110)
        #expect(VNAQI.roundHalfUp(0.49) == 0)
        #expect(VNAQI.roundHalfUp(150.5) == 151)
    }

    // MARK: NowCast rules

    @Test("NowCast needs two of the three most recent hours")
    func nowCastValidity() {
        #expect(VNAQI.nowCast([]) == nil)
        #expect(VNAQI.nowCast([10]) == nil)
        #expect(VNAQI.nowCast([10, nil, nil, 20, 20, 20]) == nil)
        #expect(VNAQI.nowCast([nil, 10, nil, 20]) == nil)
        #expect(VNAQI.nowCast([nil, 10, 10]) == 10)
        #expect(VNAQI.nowCast([10, nil, 10]) == 10)
    }

    @Test("Missing hours weigh nothing; w* ≤ ½ uses ½; a flat series is its own NowCast")
    func nowCastWeights() throws {
        #expect(VNAQI.nowCast(Array(repeating: 30, count: 12)) == 30)
        // 40 then 10: w* = 0.25 → w = 0.5: (40 + 0.5·10) / 1.5 = 30.
        let half = try #require(VNAQI.nowCast([40, 10]))
        #expect(Self.close(half, 30))
        #expect(VNAQI.nowCastWeight([40, 10]) == 0.5)
        // A gap at c2: c1 = 20 (w⁰), c3 = 10 (w²), w = 0.5: (20 + 0.25·10) / 1.25 = 18.
        let gap = try #require(VNAQI.nowCast([20, nil, 10]))
        #expect(Self.close(gap, 18))
        // Only the first 12 hours count.
        #expect(VNAQI.nowCast(Array(repeating: 30, count: 12) + [1000]) == 30)
        #expect(VNAQI.nowCast([0, 0, 0]) == 0)
        #expect(VNAQI.nowCast([-2, 0, 0]) == 0)
    }

    // MARK: The index

    @Test("At least one of PM2.5 and PM10 is required")
    func pmRequired() {
        #expect(VNAQI.hourly(o3: 100, no2: 50, so2: 10, co: 1000) == nil)
        #expect(VNAQI.daily(o3Max1h: 100, no2Max1h: 50) == nil)
        #expect(VNAQI.hourly(o3: 100, pm10NowCast: 20) != nil)
        #expect(VNAQI.hourly(pm25Hours: [10, nil, nil]) == nil)  // NowCast invalid → no PM → no AQI
    }

    @Test("Dominant pollutant is the largest sub-index; ties go to PM2.5 first")
    func dominant() throws {
        let index = try #require(VNAQI.hourly(so2: 350, co: 10_000, pm25NowCast: 10, pm10NowCast: 20))
        #expect(index.dominant == .so2)
        #expect(index.value == 100)
        let tie = try #require(VNAQI.hourly(pm25NowCast: 25, pm10NowCast: 50))
        #expect(tie.dominant == .pm25)
        #expect(tie.subIndices.map(\.parameter) == [.pm25, .pm10])
    }

    // MARK: Categories

    @Test(
        "Category boundaries (Bảng 1)",
        arguments: [
            (0, VNAQI.Category.good), (50, .good), (51, .moderate), (100, .moderate), (101, .poor), (150, .poor),
            (151, .bad), (200, .bad), (201, .veryBad), (300, .veryBad), (301, .hazardous), (500, .hazardous),
            (650, .hazardous),
        ])
    func categoryBoundaries(aqi: Int, category: VNAQI.Category) {
        #expect(VNAQI.Category(aqi: aqi) == category)
        #expect(category.lowerBound <= min(aqi, 500) && min(aqi, 500) <= category.upperBound)
    }

    @Test("Category names, colours and RGB as Bảng 1")
    func categoryPresentation() {
        let expected: [(VNAQI.Category, String, String, String, String, (UInt8, UInt8, UInt8))] = [
            (.good, "Tốt", "Good", "Xanh", "green", (0, 228, 0)),
            (.moderate, "Trung bình", "Moderate", "Vàng", "yellow", (255, 255, 0)),
            (.poor, "Kém", "Poor", "Da cam", "orange", (255, 126, 0)),
            (.bad, "Xấu", "Bad", "Đỏ", "red", (255, 0, 0)),
            (.veryBad, "Rất xấu", "Very bad", "Tím", "purple", (143, 63, 151)),
            (.hazardous, "Nguy hại", "Hazardous", "Nâu", "maroon", (126, 0, 35)),
        ]
        #expect(expected.map(\.0) == VNAQI.Category.allCases)
        for (category, vi, en, colourVi, colourEn, rgb) in expected {
            #expect(category.nameVietnamese == vi)
            #expect(category.nameEnglish == en)
            #expect(category.colourNameVietnamese == colourVi)
            #expect(category.colourNameEnglish == colourEn)
            #expect(category.colour == VNAQI.RGB(red: rgb.0, green: rgb.1, blue: rgb.2))
            #expect(VNAQI.Category(name: category.id) == category)
            #expect(VNAQI.Category(name: vi.uppercased()) == category)
            #expect(VNAQI.Category(name: en) == category)
        }
        #expect(VNAQI.Category.veryBad.colour.hex == "#8F3F97")
        #expect(VNAQI.Category.good.colour.hex == "#00E400")
        #expect(VNAQI.Category(name: "terrible") == nil)
        #expect(VNAQI.Category.good < .hazardous)
        // Consecutive bands tile 0…500 without gaps.
        let bands = VNAQI.Category.allCases
        for (lower, upper) in zip(bands, bands.dropFirst()) { #expect(lower.upperBound + 1 == upper.lowerBound) }
    }

    @Test("Pollutant raw values are EnvMon metric ids")
    func pollutantsAreMetrics() {
        for pollutant in VNAQI.Pollutant.allCases {
            #expect(MetricCatalogue.standard.definition(named: pollutant.rawValue)?.id == pollutant.rawValue)
        }
    }
}
