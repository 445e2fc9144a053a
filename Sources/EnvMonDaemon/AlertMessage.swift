internal import EnvMonCore

/// The JSON an alert transition becomes on MQTT, for phone apps, Zalo bots and dashboards.
enum AlertMessage {
    /// A member's value before it is written: JSON writes text quoted, a number bare and a missing
    /// value as `null`; a webhook template takes the text as it is (nothing for a missing value).
    private enum Value {
        case text(String)
        case number(Double?)
    }

    static func json(_ transition: AlertTransition, unit: String) -> String {
        let encoded = members(transition, unit: unit).map { name, value in
            switch value {
            case .text(let text): "\"\(name)\":\(quote(text))"
            case .number(let number): "\"\(name)\":\(number.map(Self.number) ?? "null")"
            }
        }
        return "{" + encoded.joined(separator: ",") + "}"
    }

    /// The same fields as plain strings, for webhook templates (`{{field}}`), plus the journal text.
    static func templateFields(_ transition: AlertTransition, unit: String, text: String) -> [String: String] {
        var fields: [String: String] = ["text": text, "event": "alert"]
        for (name, value) in members(transition, unit: unit) {
            switch value {
            case .text(let text): fields[name] = text
            case .number(let number): fields[name] = number.map(Self.number) ?? ""
            }
        }
        return fields
    }

    private static func members(_ transition: AlertTransition, unit: String) -> [(String, Value)] {
        var fields: [(String, Value)] = [
            ("id", .text(transition.alertID)), ("rule", .text(transition.ruleID)),
            ("kind", .text(transition.kind.rawValue)), ("sensor", .text(transition.sensor)),
            ("site", .text(transition.site)), ("metric", .text(transition.metric)),
            ("state", .text(transition.to == .inactive ? "resolved" : transition.to.rawValue)),
            ("notice", .text(transition.notice.rawValue)), ("severity", .text(transition.severity.rawValue)),
            ("value", .number(transition.value)), ("threshold", .number(transition.threshold)),
            ("unit", .text(unit)), ("basis", .text(transition.basis)), ("at", .text(RFC3339.format(transition.at))),
        ]
        if let raisedAt = transition.raisedAt { fields.append(("raised_at", .text(RFC3339.format(raisedAt)))) }
        if let by = transition.acknowledgedBy { fields.append(("acknowledged_by", .text(by))) }
        return fields
    }

    static func number(_ value: Double) -> String { JSONText.number(value) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
