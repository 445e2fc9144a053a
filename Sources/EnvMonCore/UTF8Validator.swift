/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
/// Payloads are untrusted and SenML allows only UTF-8, so invalid text is refused before parsing
/// instead of being repaired with U+FFFD and stored under a name nobody sent.
enum UTF8Validator {
    /// The offset of the first byte that does not start a valid sequence, or nil if all is valid.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var position = 0
        while position < bytes.count {
            if bytes[position] < 0x80 {
                position += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: position) else { return position }
            position += length
        }
        return nil
    }

    /// The length of the valid multi-byte sequence starting at `position` (lead byte ≥ 0x80), or
    /// nil when it is not valid UTF-8.
    static func sequenceLength(_ bytes: [UInt8], at position: Int) -> Int? {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: return nil
        }
        guard position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else { return nil }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[position + offset]) { return nil }
        return length
    }
}
