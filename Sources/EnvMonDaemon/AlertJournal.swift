internal import EnvMonCore
internal import Foundation
internal import SystemSupport

/// Writes alert transitions where operators look: one line per transition on stderr with its
/// syslog priority (`<2>` critical, `<4>` warning, `<5>` resolved/acknowledged, `<6>` info),
/// and the same line with structured `ENVMON_*` fields through journald's native protocol when
/// its socket is there (`journalctl -u envmond ENVMON_SITE=lan_ha`).
package struct AlertJournal: Sendable {
    /// Where the entries with their fields go: journald's socket when we run under it, or the one
    /// `envmond --journal-socket` names.
    let nativeSocket: String?
    /// Under journald the stderr stream is the journal too: skip it when the native send worked,
    /// or every transition would appear twice.
    let underJournal: Bool
    /// The plain line, `<priority>text`: stderr for envmond.
    private let writeLine: @Sendable (String) -> Void

    package init(nativeSocket: String?, underJournal: Bool, writeLine: @escaping @Sendable (String) -> Void) {
        self.nativeSocket = nativeSocket
        self.underJournal = underJournal
        self.writeLine = writeLine
    }

    /// envmond's: journald's native socket when started by systemd (`JOURNAL_STREAM` set), or
    /// `socket` when given; the lines on stderr.
    package static func system(
        socket: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AlertJournal {
        let underJournal = environment["JOURNAL_STREAM"] != nil
        let journald = "/run/systemd/journal/socket"
        let nativeSocket =
            socket ?? (underJournal && FileManager.default.fileExists(atPath: journald) ? journald : nil)
        return AlertJournal(nativeSocket: nativeSocket, underJournal: underJournal) { line in
            StandardStreams.write(line, to: 2)
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
            writeLine("<\(priority)>\(line)\n")
        }
    }
}
