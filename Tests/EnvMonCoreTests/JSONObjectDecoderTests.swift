import Testing

@testable import EnvMonCore

@Suite struct JSONObjectDecoderTests {
    private func decode(_ text: String, topic: String = "cathai/lan_ha/cb3") -> DecodeResult {
        JSONObjectDecoder.decode(
            DecoderFixtures.bytes(text), context: DecoderFixtures.context(topic: topic, format: .json))
    }

    @Test func decodesMetricsWithRFC3339Time() {
        let result = decode(#"{"ts":"2026-11-29T03:00:00Z","water_temp":24.8,"salinity":30.1,"do":6.2}"#)
        #expect(result.rejections.isEmpty)
        let time = RFC3339.parse("2026-11-29T03:00:00Z")!
        #expect(
            result.samples == [
                DecodedSample(sensor: "cb3", site: "lan_ha", metric: "water_temp", value: 24.8, timestamp: time),
                DecodedSample(sensor: "cb3", site: "lan_ha", metric: "salinity", value: 30.1, timestamp: time),
                DecodedSample(sensor: "cb3", site: "lan_ha", metric: "do", value: 6.2, timestamp: time),
            ])
    }

    @Test(
        arguments: [
            ("1795921200", 1_795_921_200_000), ("1795921200.25", 1_795_921_200_250),
            ("1795921200123", 1_795_921_200_123), ("\"2026-11-29T10:00:00+07:00\"", 1_795_921_200_000),
            ("\"1795921200\"", 1_795_921_200_000),
        ] as [(String, Int64)])
    func timestampForms(ts: String, milliseconds: Int64) {
        let result = decode(#"{"ts":\#(ts),"do":6.2}"#)
        #expect(result.rejections.isEmpty)
        #expect(result.samples.first?.timestamp == Timestamp(milliseconds: milliseconds))
    }

    @Test func withoutTimeTheReceiveTimeIsUsed() {
        #expect(decode(#"{"do":6.2}"#).samples.first?.timestamp == DecoderFixtures.receivedAt)
        #expect(decode(#"{"ts":null,"do":6.2}"#).samples.first?.timestamp == DecoderFixtures.receivedAt)
    }

    @Test(arguments: [#""yesterday""#, "true", "{}", "1e300", #""2026-02-30T00:00:00Z""#])
    func badTimestampsRejectTheWholeObject(ts: String) {
        let result = decode(#"{"ts":\#(ts),"do":6.2,"ph":8.1}"#)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.map(\.reason) == [.badTimestamp])
        #expect(result.rejections.first?.detail.contains("\"ts\"") == true)
    }

    @Test func sequenceAndOverrides() {
        let result = decode(#"{"seq":42,"sensor":"cb7","site":"cat_ba","do":6.2}"#)
        #expect(result.samples.first?.sequence == 42)
        #expect(result.samples.first?.sensor == "cb7")
        #expect(result.samples.first?.site == "cat_ba")
        // The override also works when the topic names no sensor.
        #expect(decode(#"{"sensor":"cb7","do":6.2}"#, topic: "cathai/lan_ha").samples.first?.sensor == "cb7")
    }

    @Test(arguments: [#"{"seq":1.5,"do":1}"#, #"{"seq":"7","do":1}"#, #"{"sensor":3,"do":1}"#, #"{"site":"","do":1}"#])
    func badReservedMembersRejectTheWholeObject(text: String) {
        let result = decode(text)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.map(\.reason) == [.undecodable])
    }

    @Test func fieldsThatAreNotNumbersAreRejectedOneByOne() {
        let result = decode(
            #"{"do":6.2,"ph":"high","status":true,"extra":{"a":1},"list":[1],"turbidity":null,"sal":"30.5"}"#)
        #expect(result.samples.map(\.metric) == ["do", "sal"])
        #expect(result.samples.last?.value == 30.5)
        #expect(result.rejections.map(\.reason) == [.undecodable, .undecodable, .undecodable, .undecodable])
        #expect(result.rejections[0].detail == #"field "ph" is a string ("high"), not a number"#)
        #expect(result.rejections[1].detail == #"field "status" is a boolean, not a number"#)
        #expect(result.rejections[2].detail == #"field "extra" is an object, not a number"#)
    }

    @Test func overflowingNumbersAreNotFinite() {
        let result = decode(#"{"do":1e999,"ph":8.1,"sal":"nan"}"#)
        #expect(result.samples.map(\.metric) == ["ph"])
        #expect(result.rejections.map(\.reason) == [.notFinite, .notFinite])
        #expect(result.rejections.first?.detail.contains("\"do\"") == true)
    }

    @Test(arguments: [
        ("[1,2]", "expected a JSON object"), ("{\"do\":}", "invalid JSON at byte 6"), ("{}", "no metric fields"),
        ("{\"ts\":1795921200}", "no metric fields"),
    ])
    func malformedObjects(text: String, message: String) {
        let result = decode(text)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.count == 1)
        #expect(result.rejections.first?.reason == .undecodable)
        #expect(result.rejections.first?.detail.contains(message) == true, "\(result.rejections)")
    }

    @Test func missingSensorIsExplained() {
        let result = decode(#"{"do":6.2}"#, topic: "cathai/lan_ha")
        #expect(result.samples.isEmpty)
        #expect(result.rejections.first?.detail.contains("no \"sensor\" member") == true)
    }
}
