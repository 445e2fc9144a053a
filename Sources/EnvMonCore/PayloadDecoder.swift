/// The entry point of decoding: one MQTT message in, samples and rejections out.
///
/// Order of checks: size first (an oversize payload is never scanned), then UTF-8 (every format
/// is text; SenML allows only UTF-8), then the format decoder. A leading UTF-8 byte-order mark is
/// dropped (RFC 8259 lets parsers ignore it; some Windows-built gateways send one).
///
/// `auto` detects per message by the first non-blank byte: `[` is SenML, `{` a JSON object, a
/// number (including `nan`/`inf`, so those are reported as not finite) is plain, anything else
/// line protocol.
package enum PayloadDecoder {
    package static func decode(_ payload: [UInt8], context: DecodeContext) -> DecodeResult {
        guard payload.count <= context.maximumPayloadBytes else {
            return DecodeResult(rejections: [
                Rejection(
                    .oversize, "payload of \(payload.count) bytes exceeds the limit of \(context.maximumPayloadBytes)")
            ])
        }
        if let offset = UTF8Validator.firstInvalidOffset(payload) {
            return DecodeResult(rejections: [Rejection(.undecodable, "payload is not valid UTF-8 (byte \(offset))")])
        }
        var bytes = payload
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        switch detectFormat(bytes, requested: context.format) {
        case .plain: return PlainNumberDecoder.decode(bytes, context: context)
        case .json: return JSONObjectDecoder.decode(bytes, context: context)
        case .senml: return SenMLDecoder.decode(bytes, context: context)
        case .line, .auto: return LineProtocolDecoder.decode(bytes, context: context)
        }
    }

    /// The format `decode` will use for `payload`: `requested`, unless it is `auto`.
    package static func detectFormat(_ payload: [UInt8], requested: PayloadFormat) -> PayloadFormat {
        guard requested == .auto else { return requested }
        guard let first = payload.first(where: { !ASCII.isBlank($0) }) else { return .plain }
        switch first {
        case UInt8(ascii: "["): return .senml
        case UInt8(ascii: "{"): return .json
        default: return NumberText.parse(NumberText.trimmed(payload)) != nil ? .plain : .line
        }
    }
}
