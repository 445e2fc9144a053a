// libFuzzer entry for the payload decoders (plain, JSON, SenML, line protocol, auto): any bytes
// on any topic must decode or be rejected, never crash, hang or leak. Built by Fuzz/run.sh with
// `-sanitize=fuzzer,address` together with the EnvMonCore sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The first byte picks the format and topic shape; the rest is the payload.
    let selector = bytes.first ?? 0
    let formats = PayloadFormat.allCases
    let format = formats[Int(selector) % formats.count]
    let topics = ["cathai/lan_ha/lh-wq-01/do", "cathai/lan_ha/lh-wq-01", "cathai/x", "other/topic", "cathai"]
    let topic = topics[Int(selector / 8) % topics.count]
    let context = DecodeContext(
        topic: topic, topicPrefix: "cathai", format: format, receivedAt: Timestamp(milliseconds: 1_764_385_200_000),
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
