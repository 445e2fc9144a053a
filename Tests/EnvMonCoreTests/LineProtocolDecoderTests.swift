import Testing

@testable import EnvMonCore

@Suite struct LineProtocolDecoderTests {
    private func decode(
        _ text: String, topic: String = "cathai/lan_ha", precision: TimePrecision = .nanoseconds
    ) -> DecodeResult {
        LineProtocolDecoder.decode(
            DecoderFixtures.bytes(text),
            context: DecoderFixtures.context(topic: topic, format: .line, precision: precision))
    }

    @Test func domainReferenceExample() {
        // domain.md §2.4.
        let result = decode(
            "seawater,site=lan_ha_cb3,sensor=urn:dev:mac:0024befffe804ff1,unit=Cel temp=29.1 1720000000000000000")
        #expect(result.rejections.isEmpty)
        #expect(
            result.samples == [
                DecodedSample(
                    sensor: "urn:dev:mac:0024befffe804ff1", site: "lan_ha_cb3", metric: "temp", value: 29.1,
                    unit: "Cel", timestamp: Timestamp(milliseconds: 1_720_000_000_000))
            ])
    }

    @Test func fieldTypes() {
        let result = decode(
            #"m,sensor=cb3 a=1.5,b=-2i,c=3u,d="text, with \"quotes\" and \\",e=t,f=FALSE,g=1e3,h=-0.25"#)
        #expect(result.rejections.isEmpty)
        #expect(result.samples.map(\.metric) == ["a", "b", "c", "g", "h"])
        #expect(result.samples.map(\.value) == [1.5, -2, 3, 1000, -0.25])
        #expect(result.samples.allSatisfy { $0.timestamp == DecoderFixtures.receivedAt && $0.unit == nil })
    }

    @Test func escapes() {
        let result = decode(#"my\ meas\,urement,sensor=cb\ 3,note=a\=b\,c field\ key\,x\=y=7 60"#, precision: .seconds)
        #expect(result.rejections.isEmpty)
        #expect(result.samples.first?.sensor == "cb 3")
        #expect(result.samples.first?.metric == "field key,x=y")
        #expect(result.samples.first?.timestamp == Timestamp(milliseconds: 60_000))
    }

    @Test(arguments: [
        (TimePrecision.nanoseconds, Int64(1_795_921_200_123_456_789), Int64(1_795_921_200_123)),
        (.microseconds, 1_795_921_200_123_456, 1_795_921_200_123),
        (.milliseconds, 1_795_921_200_123, 1_795_921_200_123),
        (.seconds, 1_795_921_200, 1_795_921_200_000), (.nanoseconds, -1, -1),
    ])
    func timestampPrecision(precision: TimePrecision, raw: Int64, milliseconds: Int64) {
        let result = decode("m,sensor=cb3 do=6.2 \(raw)", precision: precision)
        #expect(result.samples.first?.timestamp == Timestamp(milliseconds: milliseconds))
    }

    @Test func sensorAndSiteFallBackToTheTopic() {
        let result = decode("m do=6.2\nm,site=cat_ba do=6.3\nm,sensor=cb4 do=6.4", topic: "cathai/lan_ha/cb3")
        #expect(result.samples.map(\.sensor) == ["cb3", "cb3", "cb4"])
        #expect(result.samples.map(\.site) == ["lan_ha", "cat_ba", "lan_ha"])
        let noSensor = decode("m do=6.2", topic: "cathai/lan_ha")
        #expect(noSensor.rejections.map(\.detail) == [#"line 1: no "sensor" tag, and the topic has no sensor level"#])
    }

    @Test func commentsBlankLinesAndCRLF() {
        let result = decode("# header\r\n\r\nm,sensor=cb3 do=6.2\r\n   \n# another\nm,sensor=cb3 ph=8.1\n")
        #expect(result.rejections.isEmpty)
        #expect(result.samples.map(\.metric) == ["do", "ph"])
    }

    @Test func aMalformedLineIsOneRejectionAndTheOthersDecode() {
        let result = decode("m,sensor=cb3 do=6.2\nm,sensor=cb3 temp=\nm,sensor=cb3 ph=8.1")
        #expect(result.samples.map(\.metric) == ["do", "ph"])
        #expect(result.rejections == [Rejection(.undecodable, #"line 2: field "temp" has no value"#)])
    }

    @Test(arguments: [
        ("m,sensor=cb3", "no fields"), ("m,sensor=cb3 ", "no fields"), ("m", "no fields"),
        (",sensor=cb3 a=1", "missing measurement"), ("m,sensor a=1", "tag \"sensor\" has no '='"),
        ("m,sensor= a=1", "tag \"sensor\" has an empty value"), ("m,=cb3 a=1", "empty tag key"),
        ("m,sensor=cb3 a", "field \"a\" has no value"), ("m,sensor=cb3 a=1,", "empty field key"),
        ("m,sensor=cb3 a=1,b=", "field \"b\" has no value"), ("m,sensor=cb3 =1", "empty field key"),
        ("m,sensor=cb3 a=abc", "invalid value \"abc\""), ("m,sensor=cb3 a=1.5i", "invalid integer"),
        ("m,sensor=cb3 a=99999999999999999999i", "invalid integer"), ("m,sensor=cb3 a=-1u", "invalid unsigned"),
        (#"m,sensor=cb3 a="open"#, "unterminated string"), (#"m,sensor=cb3 a="x"y"#, "after its closing quote"),
        ("m,sensor=cb3 a=1 12x", "integer timestamp"), ("m,sensor=cb3 a=1 1 2", "integer timestamp"),
        ("m,sensor=cb3 a=1 99999999999999999999", "integer timestamp"),
    ])
    func malformedLines(line: String, message: String) {
        let result = decode("# ok\n" + line)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.count == 1)
        #expect(result.rejections.first?.reason == .undecodable)
        #expect(result.rejections.first?.detail.hasPrefix("line 2: ") == true)
        #expect(result.rejections.first?.detail.contains(message) == true, "\(result.rejections)")
    }

    @Test func secondsTimestampOverflowIsRejected() {
        let result = decode("m,sensor=cb3 a=1 9223372036854775807", precision: .seconds)
        #expect(result.rejections.first?.detail.contains("out of range") == true)
    }

    @Test func nonFiniteFieldsAreRejectedAlone() {
        let result = decode("m,sensor=cb3 a=NaN,b=2,c=-Inf")
        #expect(result.samples.map(\.metric) == ["b"])
        #expect(result.rejections.map(\.reason) == [.notFinite, .notFinite])
        #expect(result.rejections.first?.detail == #"line 1: field "a" value "NaN" is not finite"#)
    }

    @Test func onlyNonNumericFieldsOrNothing() {
        #expect(decode(#"m,sensor=cb3 s="x",b=true"#).rejections.map(\.reason) == [.undecodable])
        #expect(decode("# nothing\n").rejections.first?.detail == "no numeric line-protocol fields in the payload")
    }
}
