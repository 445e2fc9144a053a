internal import EnvMonCore

/// The JSON a maintenance window's start or end becomes on MQTT.
enum MaintenanceMessage {
    static func json(_ window: MaintenanceWindow, site: String, started: Bool) -> String {
        var fields: [(String, String)] = [
            ("event", AlertMessage.quote(started ? "maintenance_started" : "maintenance_ended")),
            ("window", String(window.id)), ("sensor", AlertMessage.quote(window.sensor)),
            ("site", AlertMessage.quote(site)), ("metric", window.metric.map(AlertMessage.quote) ?? "null"),
            ("status", AlertMessage.quote(window.kind.rawValue)),
            ("device_status", AlertMessage.quote(window.kind.deviceStatus.code)),
            ("start", AlertMessage.quote(RFC3339.format(window.start))),
            ("end", window.end.map { AlertMessage.quote(RFC3339.format($0)) } ?? "null"),
        ]
        if let by = window.by { fields.append(("by", AlertMessage.quote(by))) }
        if let note = window.note { fields.append(("note", AlertMessage.quote(note))) }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
