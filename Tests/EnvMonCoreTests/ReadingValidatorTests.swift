import Testing

@testable import EnvMonCore

@Suite struct ReadingValidatorTests {
    static let receivedAt = DecoderFixtures.receivedAt
    static let sensors = [
        "cb3": SensorProfile(id: "cb3", site: "lan_ha", metricAliases: ["temp": "water_temp", "oxy": "do"]),
        "ws1": SensorProfile(id: "ws1", site: "cat_ba_town"),
    ]

    private func validator(strict: Bool = false) -> ReadingValidator {
        ReadingValidator(catalogue: .standard, sensors: Self.sensors, rejectUnknownSensors: strict)
    }

    private func sample(
        sensor: String = "cb3", site: String? = nil, metric: String = "water_temp", value: Double = 24.8,
        unit: String? = nil, offsetMilliseconds: Int64 = 0
    ) -> DecodedSample {
        DecodedSample(
            sensor: sensor, site: site, metric: metric, value: value, unit: unit,
            timestamp: Self.receivedAt.adding(milliseconds: offsetMilliseconds), sequence: 9)
    }

    private func reject(_ sample: DecodedSample, strict: Bool = false) -> Rejection? {
        if case .failure(let rejection) = validator(strict: strict).validate(sample, receivedAt: Self.receivedAt) {
            return rejection
        }
        return nil
    }

    private func accept(_ sample: DecodedSample, strict: Bool = false) -> ValidatedSample? {
        try? validator(strict: strict).validate(sample, receivedAt: Self.receivedAt).get()
    }

    @Test func acceptsAndCanonicalises() throws {
        let validated = try #require(accept(sample(metric: "temp", value: 77, unit: "degF")))
        #expect(validated.series == SeriesKey(sensor: "cb3", metric: "water_temp"))
        #expect(DecoderFixtures.close(validated.value, 25))
        #expect(validated.site == "lan_ha")
        #expect(validated.timestamp == Self.receivedAt)
        #expect(validated.sequence == 9)
    }

    @Test func sensorAliasesComeBeforeTheCatalogue() throws {
        // For cb3 "temp" is water temperature; for others the catalogue's alias (air_temp's
        // "temperature") or nothing applies.
        #expect(accept(sample(metric: "TEMP"))?.series.metric == "water_temp")
        #expect(accept(sample(metric: "oxy", value: 6.2))?.series.metric == "do")
        #expect(accept(sample(sensor: "ws1", metric: "temperature"))?.series.metric == "air_temp")
        #expect(accept(sample(sensor: "ws1", metric: "sst"))?.series.metric == "water_temp")
        #expect(reject(sample(sensor: "ws1", metric: "temp"))?.reason == .unknownMetric)
    }

    @Test func siteComesFromTheConfigForKnownSensors() {
        #expect(accept(sample(site: "topic_site"))?.site == "lan_ha")
        #expect(accept(sample(sensor: "new1", site: "topic_site"))?.site == "topic_site")
        #expect(accept(sample(sensor: "new1"))?.site == nil)
    }

    @Test func unknownMetric() throws {
        let rejection = try #require(reject(sample(metric: "temprature")))
        #expect(rejection == Rejection(.unknownMetric, #"metric "temprature" of sensor "cb3" is unknown"#))
    }

    @Test func unknownSensorOnlyWhenStrict() throws {
        #expect(accept(sample(sensor: "cb99")) != nil)
        let rejection = try #require(reject(sample(sensor: "cb99"), strict: true))
        #expect(rejection == Rejection(.unknownSensor, #"sensor "cb99" is not in the configuration"#))
        #expect(accept(sample(sensor: "cb3"), strict: true) != nil)
    }

    @Test(arguments: ["", "-cb3", "cb 3", "cb3/do", "cảm_biến", String(repeating: "a", count: 65), "cb3\n"])
    func invalidSensorIDs(id: String) throws {
        let rejection = try #require(reject(sample(sensor: id)))
        #expect(rejection.reason == .undecodable)
        #expect(rejection.detail.hasPrefix("invalid sensor id"))
    }

    @Test(arguments: [
        "cb3", "urn:dev:ow:10e2073a01080063", "2001:db8::2", "A.b-c_d", String(repeating: "a", count: 64),
    ])
    func validSensorIDs(id: String) {
        #expect(ReadingValidator.sensorIDProblem(id) == nil)
    }

    @Test func unitMismatchNamesBothUnits() throws {
        let rejection = try #require(reject(sample(unit: "hPa")))
        #expect(rejection.reason == .unitMismatch)
        #expect(rejection.detail.contains(#""hPa""#))
        #expect(rejection.detail.contains(#""°C""#))
        #expect(rejection.detail.contains("cb3/water_temp"))
    }

    @Test func nonFiniteBeforeAndAfterConversion() {
        #expect(reject(sample(value: .nan))?.reason == .notFinite)
        #expect(reject(sample(value: .infinity, unit: "hPa"))?.reason == .notFinite)
        #expect(reject(sample(metric: "pm25", value: 1e300, unit: "kg/m3"))?.reason == .notFinite)
    }

    @Test func timestampWindow() throws {
        let fiveMinutes: Int64 = 300_000
        let week: Int64 = 7 * 86_400_000
        #expect(accept(sample(offsetMilliseconds: fiveMinutes)) != nil)
        #expect(accept(sample(offsetMilliseconds: -week)) != nil)
        let future = try #require(reject(sample(offsetMilliseconds: fiveMinutes + 1000)))
        #expect(future.reason == .badTimestamp)
        #expect(future.detail.contains("5 min 1 s after the receive time"))
        let old = try #require(reject(sample(offsetMilliseconds: -week - 1000)))
        #expect(old.reason == .badTimestamp)
        #expect(old.detail.contains("7 d 0 h before the receive time"))
        // A logger whose clock reset to 1970.
        #expect(
            reject(DecodedSample(sensor: "cb3", metric: "do", value: 6, timestamp: Timestamp(milliseconds: 0)))?.reason
                == .badTimestamp)
    }

    @Test func windowIsConfigurable() {
        let relaxed = ReadingValidator(
            catalogue: .standard, sensors: [:], maximumFutureSkew: .seconds(3600), maximumAge: .seconds(30 * 86400))
        let inFuture = sample(sensor: "x1", offsetMilliseconds: 1_800_000)
        #expect((try? relaxed.validate(inFuture, receivedAt: Self.receivedAt).get()) != nil)
        #expect(reject(inFuture)?.reason == .badTimestamp)
    }

    @Test func checksRunInTheDocumentedOrder() {
        // Unknown sensor (strict) wins over unknown metric, which wins over a bad unit and value.
        #expect(
            reject(sample(sensor: "zz", metric: "nope", value: .nan, unit: "x"), strict: true)?.reason == .unknownSensor
        )
        #expect(reject(sample(metric: "nope", value: .nan, unit: "x"))?.reason == .unknownMetric)
        #expect(reject(sample(value: .nan, unit: "x"))?.reason == .notFinite)
        #expect(reject(sample(unit: "x", offsetMilliseconds: -30 * 86_400_000))?.reason == .unitMismatch)
    }

    @Test func endToEndFromPayload() {
        let context = DecoderFixtures.context(topic: "cathai/lan_ha/cb3", format: .auto)
        let decoded = PayloadDecoder.decode(
            DecoderFixtures.bytes(#"[{"bn":"cb3/","n":"temp","u":"K","v":298.15},{"n":"oxy","u":"ug/L","v":6200}]"#),
            context: context)
        let validated = decoded.samples.compactMap { try? validator().validate($0, receivedAt: Self.receivedAt).get() }
        #expect(validated.map(\.series.metric) == ["water_temp", "do"])
        #expect(DecoderFixtures.close(validated.first?.value, 25))
        #expect(DecoderFixtures.close(validated.last?.value, 6.2))
    }
}
