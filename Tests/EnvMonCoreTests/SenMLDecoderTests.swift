import Testing

@testable import EnvMonCore

@Suite struct SenMLDecoderTests {
    private func decode(_ text: String, topic: String = "cathai/lan_ha") -> DecodeResult {
        SenMLDecoder.decode(DecoderFixtures.bytes(text), context: DecoderFixtures.context(topic: topic, format: .senml))
    }

    @Test func baseNameIsTheSensorAndNameTheMetric() {
        // RFC 8428 §5.1.6.
        let result = decode(
            #"""
            [{"bn":"2001:db8::2/","bt":1.320078429e+09,"n":"temperature","u":"Cel","v":25.2},
             {"n":"humidity","u":"%RH","v":30},
             {"bn":"2001:db8::1/","n":"temperature","u":"Cel","v":12.3},
             {"n":"humidity","u":"%RH","v":67}]
            """#)
        #expect(result.rejections.isEmpty)
        let time = Timestamp(milliseconds: 1_320_078_429_000)
        #expect(
            result.samples == [
                DecodedSample(
                    sensor: "2001:db8::2", site: "lan_ha", metric: "temperature", value: 25.2, unit: "Cel",
                    timestamp: time),
                DecodedSample(
                    sensor: "2001:db8::2", site: "lan_ha", metric: "humidity", value: 30, unit: "%RH", timestamp: time),
                DecodedSample(
                    sensor: "2001:db8::1", site: "lan_ha", metric: "temperature", value: 12.3, unit: "Cel",
                    timestamp: time),
                DecodedSample(
                    sensor: "2001:db8::1", site: "lan_ha", metric: "humidity", value: 67, unit: "%RH", timestamp: time),
            ])
    }

    @Test func nonNumericRecordsAreSkippedSilently() {
        // RFC 8428 §5.1.5: only the temperature is a reading.
        let result = decode(
            #"""
            [{"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1},
             {"n":"label","vs":"Machine Room"},
             {"n":"open","vb":false},
             {"n":"nfv-reader","vd":"aGkgCg"},
             {"n":"rain_total","s":12.5}]
            """#)
        #expect(result.rejections.isEmpty)
        #expect(
            result.samples == [
                DecodedSample(
                    sensor: "urn:dev:ow:10e2073a01080063", site: "lan_ha", metric: "temp", value: 23.1, unit: "Cel",
                    timestamp: DecoderFixtures.receivedAt, timeSource: .receipt)
            ])
    }

    @Test func namesWithoutBaseName() {
        let result = decode(
            #"[{"n":"cb3/water_temp","v":24.8},{"n":"cb4:do","u":"mg/L","v":6.2},{"n":"ph","v":8.1}]"#,
            topic: "cathai/lan_ha/cb9")
        #expect(result.rejections.isEmpty)
        #expect(result.samples.map(\.sensor) == ["cb3", "cb4", "cb9"])
        #expect(result.samples.map(\.metric) == ["water_temp", "do", "ph"])
        #expect(result.samples.map(\.unit) == [nil, "mg/L", nil])
    }

    @Test func aNameWithoutSensorNeedsTheTopicsSensor() {
        let result = decode(#"[{"n":"ph","v":8.1},{"n":"cb3/do","v":6.2}]"#, topic: "cathai/lan_ha")
        #expect(result.samples.map(\.metric) == ["do"])
        #expect(result.rejections.map(\.reason) == [.undecodable])
        #expect(result.rejections.first?.detail.hasPrefix("SenML record 1: name \"ph\" names no sensor") == true)
    }

    @Test func aBaseNameWithoutNameTakesTheMetricFromTheTopic() {
        let pack = #"[{"bn":"urn:dev:ow:10e2073a01080063","bt":1.320067464e+09,"bu":"%RH","v":20},{"t":60,"v":20.3}]"#
        let withMetric = decode(pack, topic: "cathai/lan_ha/ow63/humidity")
        #expect(withMetric.rejections.isEmpty)
        #expect(withMetric.samples.map(\.metric) == ["humidity", "humidity"])
        #expect(withMetric.samples.map(\.sensor) == ["urn:dev:ow:10e2073a01080063", "urn:dev:ow:10e2073a01080063"])
        #expect(withMetric.samples.map(\.timestamp.milliseconds) == [1_320_067_464_000, 1_320_067_524_000])

        let without = decode(pack)
        #expect(without.samples.isEmpty)
        #expect(without.rejections.count == 2)
        #expect(without.rejections.first?.detail.contains("names no metric") == true)
    }

    @Test func samplesAreInTimeOrderWithRelativeTimesFromReceipt() {
        let result = decode(#"[{"bn":"cb3/","n":"do","v":6.0},{"n":"do","t":-120,"v":5.8},{"n":"do","t":-60,"v":5.9}]"#)
        #expect(result.samples.map(\.value) == [5.8, 5.9, 6.0])
        #expect(
            result.samples.map(\.timestamp) == [
                DecoderFixtures.receivedAt.adding(milliseconds: -120_000),
                DecoderFixtures.receivedAt.adding(milliseconds: -60_000), DecoderFixtures.receivedAt,
            ])
    }

    @Test func badRecordsAreRejectedOneByOne() {
        let result = decode(
            #"""
            [{"bn":"cb3/","n":"do","v":6.2},
             {"n":"ph","v":"8.1"},
             {"n":"sal","v":1e308,"bv":1e308},
             {"n":"temp","v":24,"t":1e300},
             {"n":"turbidity","v":3}]
            """#)
        #expect(result.samples.map(\.metric) == ["do", "turbidity"])
        #expect(result.rejections.map(\.reason) == [.undecodable, .notFinite, .badTimestamp])
        #expect(result.rejections[0].detail == #"SenML record 2: "v" is not a number"#)
        #expect(result.rejections[1].detail.hasPrefix("SenML record 3"))
        #expect(result.rejections[2].detail.hasPrefix("SenML record 4"))
    }

    @Test(arguments: [
        (#"[{"bver":11,"bn":"cb3/","n":"do","v":6.2}]"#, "newer than version 10"),
        (#"[{"bn":"cb3/","n":"do","v":6.2,"unit_":"mg/L"}]"#, "must-understand"),
        ("[]", "no records"),
        (#"[{"bn":"cb3/"}]"#, "no records"),
        (#"{"bn":"cb3/"}"#, "expected a SenML pack"),
        ("[" + String(repeating: "[", count: 40) + String(repeating: "]", count: 41), "nesting deeper"),
    ])
    func wholePackRejected(text: String, message: String) {
        let result = decode(text)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.count == 1)
        #expect(result.rejections.first?.reason == .undecodable)
        #expect(result.rejections.first?.detail.contains(message) == true, "\(result.rejections)")
    }
}
