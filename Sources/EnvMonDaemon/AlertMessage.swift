internal import EnvMonCore

/// The JSON an alert transition becomes on MQTT, for phone apps, Zalo bots and dashboards.
enum AlertMessage {
    static func json(_ transition: AlertTransition, unit: String) -> String {
        "{" + members(transition, unit: unit).map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The same fields as plain strings, for webhook templates (`{{field}}`), plus the journal text.
    static func templateFields(_ transition: AlertTransition, unit: String, text: String) -> [String: String] {
        var fields: [String: String] = ["text": text, "event": "alert"]
        for (name, encoded) in members(transition, unit: unit) {
            if case .string(let value)? = try? JSONParser.parse(encoded) {
                fields[name] = value
            } else {
                fields[name] = encoded == "null" ? "" : encoded
            }
        }
        return fields
    }

    private static func members(_ transition: AlertTransition, unit: String) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("id", quote(transition.alertID)), ("rule", quote(transition.ruleID)),
            ("kind", quote(transition.kind.rawValue)),
            ("sensor", quote(transition.sensor)), ("site", quote(transition.site)),
            ("metric", quote(transition.metric)),
            ("state", quote(transition.to == .inactive ? "resolved" : transition.to.rawValue)),
            ("notice", quote(transition.notice.rawValue)), ("severity", quote(transition.severity.rawValue)),
            ("value", transition.value.map(number) ?? "null"), ("threshold", number(transition.threshold)),
            ("unit", quote(unit)), ("basis", quote(transition.basis)), ("at", quote(RFC3339.format(transition.at))),
        ]
        if let raisedAt = transition.raisedAt { fields.append(("raised_at", quote(RFC3339.format(raisedAt)))) }
        if let by = transition.acknowledgedBy { fields.append(("acknowledged_by", quote(by))) }
        return fields
    }

    static func number(_ value: Double) -> String { JSONText.number(value) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
