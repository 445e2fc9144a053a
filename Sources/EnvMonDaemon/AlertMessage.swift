internal import EnvMonCore

/// The JSON an alert transition becomes on MQTT, for phone apps, Zalo bots and dashboards.
enum AlertMessage {
    static func json(_ transition: AlertTransition, unit: String) -> String {
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
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20:
                result +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
