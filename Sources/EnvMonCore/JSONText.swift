/// Writing JSON scalars by hand, for output whose key order and number form must be stable
/// (CLI JSON, report JSON, MQTT alert messages). One escaper for all of them.
package enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped.
    package static func quote(_ text: String) -> String {
        "\"" + escapedContent(text) + "\""
    }

    /// What goes between the quotes of a JSON string literal (for templates that place the quotes).
    package static func escapedContent(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A JSON number: integral values without a fraction, `null` for non-finite values (which
    /// JSON cannot carry).
    package static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
