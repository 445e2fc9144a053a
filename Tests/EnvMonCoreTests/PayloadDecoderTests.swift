import Testing

@testable import EnvMonCore

@Suite struct PayloadDecoderTests {
    private func decode(
        _ payload: [UInt8], topic: String, format: PayloadFormat = .auto, limit: Int = 64 * 1024
    )
        -> DecodeResult
    {
        PayloadDecoder.decode(
            payload, context: DecoderFixtures.context(topic: topic, format: format, maximumPayloadBytes: limit))
    }

    private func decode(
        _ text: String, topic: String = "cathai/lan_ha/cb3", format: PayloadFormat = .auto
    )
        -> DecodeResult
    {
        decode(DecoderFixtures.bytes(text), topic: topic, format: format)
    }

    @Test func autoDetectsEachFormat() {
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes(" [{}]"), requested: .auto) == .senml)
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes("\n{}"), requested: .auto) == .json)
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes(" 24.8 "), requested: .auto) == .plain)
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes("nan"), requested: .auto) == .plain)
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes("m a=1"), requested: .auto) == .line)
        #expect(PayloadDecoder.detectFormat(DecoderFixtures.bytes("[1]"), requested: .line) == .line)

        #expect(decode("24.8", topic: "cathai/lan_ha/cb3/water_temp").samples.map(\.metric) == ["water_temp"])
        #expect(decode(#"{"do":6.2}"#).samples.map(\.metric) == ["do"])
        #expect(decode(#"[{"n":"ph","v":8.1}]"#).samples.map(\.metric) == ["ph"])
        #expect(decode("m sal=30.1").samples.map(\.metric) == ["sal"])
        #expect(decode("-inf", topic: "cathai/lan_ha/cb3/do").rejections.map(\.reason) == [.notFinite])
    }

    @Test func explicitFormatIsObeyed() {
        // A number sent where SenML is configured is a SenML error, not silently a plain value.
        let result = decode("24.8", topic: "cathai/lan_ha/cb3/water_temp", format: .senml)
        #expect(result.samples.isEmpty)
        #expect(result.rejections.first?.detail.contains("expected a SenML pack") == true)
        #expect(decode(#"{"do":6.2}"#, format: .json).samples.count == 1)
    }

    @Test func oversizeIsRejectedBeforeParsing() {
        let payload = [UInt8](repeating: UInt8(ascii: "["), count: 1025)
        let result = decode(payload, topic: "cathai/lan_ha/cb3", limit: 1024)
        #expect(result.rejections == [Rejection(.oversize, "payload of 1025 bytes exceeds the limit of 1024")])
        #expect(
            decode([UInt8](repeating: 0x20, count: 1024) + [0x31], topic: "a/b/c/d", limit: 1025).samples.count == 0)
    }

    @Test func invalidUTF8IsUndecodable() {
        let result = decode([0x7B, 0x22, 0x64, 0x6F, 0xFF, 0x22, 0x3A, 0x31, 0x7D], topic: "cathai/lan_ha/cb3")
        #expect(result.rejections == [Rejection(.undecodable, "payload is not valid UTF-8 (byte 4)")])
        // Also outside JSON strings, e.g. line protocol.
        #expect(
            decode([0x6D, 0x20, 0xC3, 0x28, 0x3D, 0x31], topic: "cathai/lan_ha/cb3").rejections.first?.reason
                == .undecodable)
    }

    @Test func aByteOrderMarkIsIgnored() {
        let result = decode([0xEF, 0xBB, 0xBF] + DecoderFixtures.bytes(#"{"do":6.2}"#), topic: "cathai/lan_ha/cb3")
        #expect(result.samples.map(\.value) == [6.2])
    }

    @Test func utf8ValidatorAcceptsValidAndRefusesInvalidText() {
        #expect(UTF8Validator.firstInvalidOffset(DecoderFixtures.bytes("Cát Hải 🌊 µg/m³")) == nil)
        #expect(UTF8Validator.firstInvalidOffset([0x41, 0xE0, 0x80, 0x80]) == 1)  // overlong
        #expect(UTF8Validator.firstInvalidOffset([0xED, 0xB0, 0x80]) == 0)  // surrogate
        #expect(UTF8Validator.firstInvalidOffset([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(UTF8Validator.firstInvalidOffset([0x41, 0x42, 0xE2, 0x82]) == 2)  // truncated
        #expect(UTF8Validator.firstInvalidOffset([0x80]) == 0)  // lone continuation
    }

    @Test func everyTruncationOfAValidPayloadIsDecodedOrExplained() {
        // Messages cut short by a broken link must never trap and must never vanish silently.
        let payloads = [
            #"{"ts":"2026-11-29T03:00:00Z","seq":7,"water_temp":24.8,"note":"\u00e9\ud83c\udf0a"}"#,
            #"[{"bn":"cb3/","bt":1.795921200e+09,"bu":"Cel","n":"temp","v":24.8},{"n":"do","u":"mg/L","t":-60,"v":6.2}]"#,
            "m\\ x,sensor=cb3,unit=Cel temp=24.8,n=3i,s=\"a\\\"b\" 1795921200000000000\nm,sensor=cb3 do=6.2",
            "  -12.5e-1  ",
        ]
        for payload in payloads {
            let bytes = DecoderFixtures.bytes(payload)
            for length in 0...bytes.count {
                let result = decode(Array(bytes[..<length]), topic: "cathai/lan_ha/cb3/water_temp")
                #expect(result.samples.count + result.rejections.count > 0, "\(payload.prefix(length))")
                #expect(result.rejections.allSatisfy { !$0.detail.isEmpty })
            }
        }
    }
}
