internal import Foundation
package import Logging
internal import SystemSupport

#if canImport(Glibc)
    internal import Glibc
#endif

/// Logs to stderr with one write(2) per line (Swift's `print` to a pipe is block-buffered and
/// reaches the journal seconds late). Under systemd (`JOURNAL_STREAM` set) each line starts with
/// a `<N>` syslog priority that journald turns into the entry's priority; on a terminal lines
/// carry a local time and level instead.
package struct JournalLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    private let label: String
    private let underJournal: Bool

    package init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
        self.underJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = fields.isEmpty ? "\(event.message)" : "\(event.message) \(fields)"
        let line: String
        if underJournal {
            line = "<\(Self.priority(event.level))>\(text)\n"
        } else {
            line = "\(Self.localTime()) \(event.level.rawValue.uppercased()) \(label): \(text)\n"
        }
        StandardStreams.write(line, to: 2)
    }

    /// syslog priorities: critical 2, error 3, warning 4, notice 5, info 6, debug 7.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical: 2
        case .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    /// Local wall-clock time for terminal logs (the machine's zone; Vietnam runs UTC+7).
    static func localTime() -> String {
        let milliseconds = WallClock.nowMilliseconds()
        var seconds = time_t(milliseconds / 1000)
        var broken = tm()
        localtime_r(&seconds, &broken)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", broken.tm_year + 1900, broken.tm_mon + 1, broken.tm_mday,
            broken.tm_hour, broken.tm_min, broken.tm_sec, Int(milliseconds % 1000))
    }
}
