package import EnvMonCore

/// A JSON value written by hand so key order is stable and numbers keep their precision.
package indirect enum JSONField: Sendable, Equatable {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([JSONField])
    case object([String: JSONField])

    package static func optional(_ text: String?) -> JSONField { text.map { .string($0) } ?? .null }
    package static func time(_ time: Timestamp?) -> JSONField { time.map { .string(RFC3339.format($0)) } ?? .null }
    package static func optional(_ value: Double?) -> JSONField { value.map { .number($0) } ?? .null }

    /// Compact JSON, keys sorted.
    package var encoded: String {
        var text = ""
        encode(into: &text)
        return text
    }

    package func encode(into text: inout String) {
        switch self {
        case .string(let value): text += JSONText.quote(value)
        case .number(let value): text += value.isFinite ? JSONText.number(value) : "null"
        case .integer(let value): text += String(value)
        case .bool(let value): text += value ? "true" : "false"
        case .null: text += "null"
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.encode(into: &text)
            }
            text += "]"
        case .object(let fields):
            text += "{"
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                text += JSONText.quote(key)
                text += ":"
                fields[key]!.encode(into: &text)
            }
            text += "}"
        }
    }

    /// An array of objects, one per line: what `--format json` prints and the API returns.
    package static func lines(_ objects: [[String: JSONField]]) -> String {
        "[" + objects.map { JSONField.object($0).encoded }.joined(separator: ",\n ") + "]\n"
    }
}
