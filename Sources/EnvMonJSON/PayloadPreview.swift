/// A payload as text for people: invalid UTF-8 and control characters shown escaped.
package enum PayloadPreview {
    package static func text(_ payload: [UInt8], limit: Int = 60) -> String {
        var text = ""
        for scalar in String(decoding: payload.prefix(limit), as: UTF8.self).unicodeScalars {
            if scalar.value < 0x20 || scalar == "\u{FFFD}" {
                text += scalar == "\u{FFFD}" ? "\\ufffd" : "\\x" + String(scalar.value, radix: 16)
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return payload.count > limit ? text + "…" : text
    }
}
