internal import EnvMonCore
internal import Foundation
internal import SystemSupport

/// Writes alert transitions where operators look: one line per transition on stderr with its
/// syslog priority (`<2>` critical, `<4>` warning, `<5>` resolved/acknowledged, `<6>` info),
/// and the same line with structured `ENVMON_*` fields through journald's native protocol when
/// its socket is there (`journalctl -u envmond ENVMON_SITE=lan_ha`).
struct AlertJournal: Sendable {
    /// The native protocol socket: `ENVMON_JOURNAL_SOCKET` (tests), else journald's when we run
    /// under it.
    let nativeSocket: String?
    /// Under journald the stderr stream is the journal too: skip it when the native send worked,
    /// or every transition would appear twice.
    let underJournal: Bool

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        underJournal = environment["JOURNAL_STREAM"] != nil
        if let path = environment["ENVMON_JOURNAL_SOCKET"] {
            nativeSocket = path
        } else if underJournal, FileManager.default.fileExists(atPath: "/run/systemd/journal/socket") {
            nativeSocket = "/run/systemd/journal/socket"
        } else {
            nativeSocket = nil
        }
    }

    func emit(_ transition: AlertTransition, text: String, unit: String) {
        var fields: [(String, String)] = [
            ("ENVMON_ALERT_ID", transition.alertID), ("ENVMON_RULE", transition.ruleID),
            ("ENVMON_SENSOR", transition.sensor), ("ENVMON_SITE", transition.site),
            ("ENVMON_METRIC", transition.metric), ("ENVMON_STATE", transition.to.rawValue),
            ("ENVMON_NOTICE", transition.notice.rawValue), ("ENVMON_SEVERITY", transition.severity.rawValue),
            ("ENVMON_THRESHOLD", AlertMessage.number(transition.threshold)), ("ENVMON_UNIT", unit),
            ("ENVMON_BASIS", transition.basis),
        ]
        if let value = transition.value { fields.append(("ENVMON_VALUE", AlertMessage.number(value))) }
        emit(text, priority: transition.journalPriority, fields: fields)
    }

    /// One journal entry with its priority and `ENVMON_*` fields; also used for the daemon's own
    /// operator alerts (storage full).
    func emit(_ text: String, priority: Int, fields: [(String, String)]) {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        var sentNative = false
        if let nativeSocket {
            let all = [("MESSAGE", line), ("PRIORITY", String(priority)), ("SYSLOG_IDENTIFIER", "envmond")] + fields
            let datagram = all.map { "\($0.0)=\($0.1.replacingOccurrences(of: "\n", with: " "))\n" }.joined()
            sentNative = UnixDatagram.send(Array(datagram.utf8), to: nativeSocket)
        }
        if !(underJournal && sentNative) {
            StandardStreams.write("<\(priority)>\(line)\n", to: 2)
        }
    }
}
