/// What an alert-latency run measured.
package struct AlertLatencyReport: Codable, Sendable {
    package var rule: String
    package var sensor: String
    package var crossings: Int
    /// Crossings whose `raised`/`resolved` datagram arrived (matched by rule, notice and order).
    package var matched: Int
    package var missing: Int
    /// Notices of the rule that were not a raised/resolved in the expected order (flapping, extra).
    package var unexpected: Int
    /// Crossing readings found in the daemon's database afterwards.
    package var crossingsStored: Int
    package var latencyP50Milliseconds: Double?
    package var latencyP99Milliseconds: Double?
    package var latencyMaxMilliseconds: Double?
    package var raisedP50Milliseconds: Double?
    package var resolvedP50Milliseconds: Double?
    package var intervalMilliseconds: Double
    package var backgroundTargetRate: Double
    /// Background readings published per second while the crossings ran.
    package var backgroundRate: Double
    package var backgroundReadings: Int
    package var backgroundStored: Int
    package var backgroundLost: Int
    package var duplicates: Int
    package var daemonPeakRSSMiB: Double?
    package var note: String?

    package var table: String {
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

    package func json() -> String { JSONLine.encode(self) }
}
