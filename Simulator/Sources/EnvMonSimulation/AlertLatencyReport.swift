/// What an alert-latency run measured.
public struct AlertLatencyReport: Codable, Sendable {
    public var rule: String
    public var sensor: String
    public var crossings: Int
    /// Crossings whose `raised`/`resolved` datagram arrived (matched by rule, notice and order).
    public var matched: Int
    public var missing: Int
    /// Notices of the rule that were not a raised/resolved in the expected order (flapping, extra).
    public var unexpected: Int
    /// Crossing readings found in the daemon's database afterwards.
    public var crossingsStored: Int
    public var latencyP50Milliseconds: Double?
    public var latencyP99Milliseconds: Double?
    public var latencyMaxMilliseconds: Double?
    public var raisedP50Milliseconds: Double?
    public var resolvedP50Milliseconds: Double?
    public var intervalMilliseconds: Double
    public var backgroundTargetRate: Double
    /// Background readings published per second while the crossings ran.
    public var backgroundRate: Double
    public var backgroundReadings: Int
    public var backgroundStored: Int
    public var backgroundLost: Int
    public var duplicates: Int
    public var daemonPeakRSSMiB: Double?
    public var note: String?

    public var table: String {
        func ms(_ value: Double?) -> String { value.map { format($0, 1) } ?? "-" }
        var lines = [
            "rule            \(rule) on \(sensor): \(crossings) crossings every \(format(intervalMilliseconds, 0)) ms",
            "matched         \(matched) raised/resolved datagrams, missing \(missing), unexpected \(unexpected)",
            "latency         p50 \(ms(latencyP50Milliseconds)) ms, p99 \(ms(latencyP99Milliseconds)) ms, "
                + "max \(ms(latencyMaxMilliseconds)) ms (publish → journal datagram)",
            "  by notice     raised p50 \(ms(raisedP50Milliseconds)) ms, resolved p50 \(ms(resolvedP50Milliseconds)) ms",
            "background      \(format(backgroundRate, 0)) readings/s during the crossings (target \(format(backgroundTargetRate, 0)))",
            "stored          \(backgroundStored) of \(backgroundReadings) background readings, lost \(backgroundLost), "
                + "duplicates \(duplicates); crossing readings stored \(crossingsStored) of \(crossings)",
        ]
        if let peak = daemonPeakRSSMiB { lines.append("daemon RSS      peak \(format(peak, 1)) MiB") }
        if let note { lines.append("note            \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String { JSONLine.encode(self) }
}
