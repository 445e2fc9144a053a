// libFuzzer entry for ONE payload decoder, chosen at compile time by a `-D` flag:
//
//   -D FUZZ_PLAIN   plain number         (PlainNumberDecoder)
//   -D FUZZ_JSON    JSON object          (JSONObjectDecoder)
//   -D FUZZ_SENML   SenML JSON pack      (SenMLDecoder)
//   -D FUZZ_LINE    InfluxDB line proto  (LineProtocolDecoder)
//
// The bytes go through `PayloadDecoder.decode` with the subscription format fixed, i.e. the
// daemon's path (size check, UTF-8 check, BOM, then that decoder); the decoded samples are then
// validated. Any input must decode or be rejected: a crash, trap, hang or leak is a finding.
//
// Input layout is the same as PayloadDecoderFuzz.swift, so corpora are interchangeable: byte 0
// picks the topic shape (bits 3-5) and the line-protocol time precision (bits 6-7); the rest is
// the payload. Built by Fuzz/run.sh together with the EnvMonCore sources.

#if FUZZ_PLAIN
let fuzzedFormat = PayloadFormat.plain
#elseif FUZZ_JSON
let fuzzedFormat = PayloadFormat.json
#elseif FUZZ_SENML
let fuzzedFormat = PayloadFormat.senml
#elseif FUZZ_LINE
let fuzzedFormat = PayloadFormat.line
#else
#error("compile with one of -D FUZZ_PLAIN, -D FUZZ_JSON, -D FUZZ_SENML, -D FUZZ_LINE")
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormatDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let selector = bytes.first ?? 0
    let topics = ["cathai/lan_ha/lh-wq-01/do", "cathai/lan_ha/lh-wq-01", "cathai/x", "other/topic", "cathai"]
    let topic = topics[Int(selector / 8) % topics.count]
    let context = DecodeContext(
        topic: topic, topicPrefix: "cathai", format: fuzzedFormat,
        receivedAt: Timestamp(milliseconds: 1_764_385_200_000),
        precision: TimePrecision.allCases[Int(selector / 64) % TimePrecision.allCases.count],
        maximumPayloadBytes: 64 * 1024)
    let payload = Array(bytes.dropFirst())
    if reachesKnownTrap(payload) { return -1 }  // KnownFindings.swift
    let result = PayloadDecoder.decode(payload, context: context)
    let validator = ReadingValidator(catalogue: .standard, sensors: [:])
    for sample in result.samples {
        _ = validator.validate(sample, receivedAt: context.receivedAt)
    }
    return 0
}
