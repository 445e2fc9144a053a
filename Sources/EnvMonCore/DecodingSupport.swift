// Small helpers shared by the payload decoders.

extension Timestamp {
    /// Largest |seconds| accepted from a payload: ±1e12 s is beyond any plausible reading time and
    /// far inside Int64 milliseconds, so a hostile `"ts": 1e300` becomes a rejection, not a trap.
    static let maximumPayloadSeconds = 1e12

    /// The instant `seconds` after the epoch, or nil when not finite or out of range.
    static func checked(seconds: Double) -> Timestamp? {
        guard seconds.isFinite, abs(seconds) <= maximumPayloadSeconds else { return nil }
        return Timestamp(seconds: seconds)
    }
}

enum ASCII {
    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

/// A number written as text in a plain payload, a line-protocol field or a JSON string.
enum NumberText {
    enum Parsed: Equatable {
        case finite(Double)
        /// `nan`, `inf`, `infinity` (any case, optional sign) or a literal beyond the double range.
        case notFinite(String)
    }

    /// Decimal numbers: `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, or the
    /// non-finite words. Hex floats and other forms `Double.init` would take are refused, so a
    /// payload like `0x1p3` is not silently a number.
    static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Parsed? {
        let text = Array(bytes)
        guard !text.isEmpty else { return nil }
        var position = 0
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") { position = 1 }
        if position < text.count,
            (text[position] | 0x20) == UInt8(ascii: "n") || (text[position] | 0x20) == UInt8(ascii: "i")
        {
            let word = String(decoding: text[position...], as: UTF8.self).lowercased()
            guard word == "nan" || word == "inf" || word == "infinity" else { return nil }
            return .notFinite(String(decoding: text, as: UTF8.self))
        }
        var integerDigits = 0
        var fractionDigits = 0
        while position < text.count, ASCII.isDigit(text[position]) {
            position += 1
            integerDigits += 1
        }
        if position < text.count, text[position] == UInt8(ascii: ".") {
            position += 1
            while position < text.count, ASCII.isDigit(text[position]) {
                position += 1
                fractionDigits += 1
            }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if position < text.count, text[position] == UInt8(ascii: "e") || text[position] == UInt8(ascii: "E") {
            position += 1
            if position < text.count, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") {
                position += 1
            }
            var exponentDigits = 0
            while position < text.count, ASCII.isDigit(text[position]) {
                position += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return nil }
        }
        guard position == text.count, let value = Double(String(decoding: text, as: UTF8.self)) else { return nil }
        return value.isFinite ? .finite(value) : .notFinite(String(decoding: text, as: UTF8.self))
    }

    /// Leading and trailing ASCII whitespace removed.
    static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, ASCII.isBlank(bytes[start]) { start += 1 }
        while end > start, ASCII.isBlank(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }
}

/// Quotes a payload fragment for an error message, shortened so a hostile payload cannot blow up
/// the rejects table.
func detailQuoted(_ text: some StringProtocol, limit: Int = 40) -> String {
    let shown = text.count > limit ? String(text.prefix(limit)) + "…" : String(text)
    var escaped = ""
    for character in shown {
        switch character {
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        case "\n": escaped += "\\n"
        case "\r": escaped += "\\r"
        case "\t": escaped += "\\t"
        // Other control characters (NUL above all, which C APIs would cut the text at) as \u{…}.
        case _ where character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }:
            for scalar in character.unicodeScalars {
                escaped +=
                    scalar.value < 0x20 || scalar.value == 0x7F
                    ? "\\u{\(String(scalar.value, radix: 16))}" : "\(scalar)"
            }
        default: escaped.append(character)
        }
    }
    return "\"\(escaped)\""
}
