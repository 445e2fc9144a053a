import Testing

@testable import EnvMonCore

@Suite struct PlainNumberDecoderTests {
    private func decode(
        _ text: String, topic: String = "cathai/lan_ha/cb3/water_temp", prefix: String = "cathai"
    )
        -> DecodeResult
    {
        PlainNumberDecoder.decode(
            DecoderFixtures.bytes(text), context: DecoderFixtures.context(topic: topic, prefix: prefix, format: .plain))
    }

    @Test(arguments: [
        ("24.8", 24.8), (" 24.8\n", 24.8), ("-1", -1.0), ("+3", 3.0), ("1e3", 1000.0), ("2.5E-1", 0.25), (".5", 0.5),
        ("7.", 7.0),
    ])
    func numbers(text: String, expected: Double) {
        let result = decode(text)
        #expect(result.rejections.isEmpty)
        #expect(
            result.samples == [
                DecodedSample(
                    sensor: "cb3", site: "lan_ha", metric: "water_temp", value: expected,
                    timestamp: DecoderFixtures.receivedAt, timeSource: .receipt)
            ])
    }

    @Test(arguments: ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
    func nonFinite(text: String) {
        let result = decode(text)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.map(\.reason) == [.notFinite])
        #expect(result.rejections.first?.detail.contains("water_temp") == true)
    }

    @Test(arguments: ["", "   ", "abc", "24,8", "0x10", "1e", "24.8 C", "{\"v\":1}", "1 2"])
    func notANumber(text: String) {
        let result = decode(text)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.map(\.reason) == [.undecodable])
    }

    @Test func topicMustNameSiteSensorAndMetric() {
        let result = decode("24.8", topic: "cathai/lan_ha/cb3")
        #expect(result.samples.isEmpty)
        #expect(result.rejections.first?.reason == .undecodable)
        #expect(result.rejections.first?.detail.contains("cathai/<site>/<sensor>/<metric>") == true)
        #expect(decode("24.8", topic: "other/lan_ha/cb3/water_temp").rejections.count == 1)
    }

    @Test func prefixMayBeEmptyOrHaveSeveralLevels() {
        #expect(decode("1", topic: "lan_ha/cb3/do", prefix: "").samples.first?.metric == "do")
        let nested = decode("1", topic: "vn/haiphong/cathai/lan_ha/cb3/do", prefix: "vn/haiphong/cathai/")
        #expect(nested.samples.first?.sensor == "cb3")
        #expect(nested.samples.first?.site == "lan_ha")
    }
}

@Suite struct TopicPathTests {
    @Test func splitsLevelsAfterThePrefix() {
        #expect(
            TopicPath.parse(topic: "cathai/lan_ha/cb3/do", prefix: "cathai")
                == TopicPath(site: "lan_ha", sensor: "cb3", metric: "do"))
        #expect(
            TopicPath.parse(topic: "cathai/lan_ha/cb3", prefix: "cathai") == TopicPath(site: "lan_ha", sensor: "cb3"))
        #expect(TopicPath.parse(topic: "cathai/lan_ha", prefix: "cathai") == TopicPath(site: "lan_ha"))
        #expect(TopicPath.parse(topic: "cathai", prefix: "cathai") == TopicPath())
        #expect(TopicPath.parse(topic: "a/b/c", prefix: "") == TopicPath(site: "a", sensor: "b", metric: "c"))
    }

    @Test(arguments: [
        ("cathaiX/lan_ha/cb3", "cathai"), ("other/lan_ha/cb3", "cathai"), ("cathai/lan_ha//do", "cathai"),
        ("cathai/a/b/c/d", "cathai"), ("cathai/", "cathai"),
    ])
    func refusesTopicsOutsideTheLayout(topic: String, prefix: String) {
        #expect(TopicPath.parse(topic: topic, prefix: prefix) == nil)
    }
}
