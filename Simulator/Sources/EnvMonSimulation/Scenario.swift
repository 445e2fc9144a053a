internal import EnvMonConfig
internal import EnvMonCore
internal import Foundation

/// A fault to inject: on a schedule (`at`) or at random (`rate`, a probability per reading).
package struct FaultSpec: Codable, Sendable, Hashable {
    package var kind: FaultKind
    /// The sensor to hit; any sensor (chosen by the seeded generator) when nil.
    package var sensor: String?
    /// Every sensor of this site (excursions: a real event the whole site sees).
    package var site: String?
    /// The metric to hit; a suitable one of the sensor's when nil.
    package var metric: String?
    /// When: `+30m` after the start, or an RFC 3339 time. Scheduled faults fire once.
    package var at: String?
    /// Probability per reading (a sensor's record at one time) when not scheduled.
    package var rate: Double?
    /// Episodes: how long (`2h`, `45m`); a default per kind when nil.
    package var duration: String?
    /// out_of_range: the value; excursion: the level reached; drift: change per hour;
    /// spike: the offset.
    package var value: Double?

    package init(
        kind: FaultKind, sensor: String? = nil, site: String? = nil, metric: String? = nil, at: String? = nil,
        rate: Double? = nil, duration: String? = nil, value: Double? = nil
    ) {
        self.kind = kind
        self.sensor = sensor
        self.site = site
        self.metric = metric
        self.at = at
        self.rate = rate
        self.duration = duration
        self.value = value
    }

    /// `KIND`, `KIND:RATE` (rate per reading) or `KIND@+30m` (scheduled) from the command line.
    package static func parse(_ text: String, defaultRate: Double) throws(SimulatorError) -> FaultSpec {
        var name = Substring(text)
        var rate: Double? = defaultRate
        var at: String?
        if let sign = name.firstIndex(of: "@") {
            at = String(name[name.index(after: sign)...])
            name = name[..<sign]
            rate = nil
        } else if let colon = name.firstIndex(of: ":") {
            guard let value = Double(name[name.index(after: colon)...]), value >= 0, value <= 1 else {
                throw SimulatorError("--fault \(text): the rate after ':' must be a probability per reading (0...1)")
            }
            rate = value
            name = name[..<colon]
        }
        guard let kind = FaultKind(rawValue: String(name)) else {
            throw SimulatorError(
                "--fault \(text): unknown kind; use one of \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return FaultSpec(kind: kind, at: at, rate: rate)
    }
}

/// A scheduled storm in a scenario.
package struct StormSpec: Codable, Sendable, Hashable {
    package var at: String
    package var duration: String?
    package var strength: Double?
}

/// A scenario file (JSON): storms and faults to play, beside the command-line options.
///
///     {"description": "...",
///      "storms": [{"at": "+2d", "duration": "30h", "strength": 0.8}],
///      "faults": [{"kind": "excursion", "site": "lan_ha", "metric": "do", "value": 4.2,
///                  "at": "+2h", "duration": "40m"},
///                 {"kind": "malformed", "rate": 0.001}]}
package struct Scenario: Codable, Sendable {
    package var description: String?
    package var storms: [StormSpec]?
    package var faults: [FaultSpec]?

    package init(description: String? = nil, storms: [StormSpec]? = nil, faults: [FaultSpec]? = nil) {
        self.description = description
        self.storms = storms
        self.faults = faults
    }

    package static func load(path: String) throws(SimulatorError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimulatorError("\(path): cannot read the scenario file")
        }
        do {
            return try JSONDecoder().decode(Scenario.self, from: data)
        } catch {
            throw SimulatorError("\(path): not a valid scenario: \(error)")
        }
    }
}

/// Times and durations on the command line and in scenarios.
package enum SimulatorTime {
    /// `now`, `-3h` (before now), `+30m` (after `base`), or RFC 3339.
    package static func parse(_ text: String, now: Int64, base: Int64? = nil) throws(SimulatorError) -> Int64 {
        if text == "now" { return now }
        if text.hasPrefix("-"), let duration = DurationText.parse(String(text.dropFirst())) {
            return now - duration.wholeMillisecondsValue
        }
        if text.hasPrefix("+"), let duration = DurationText.parse(String(text.dropFirst())) {
            return (base ?? now) + duration.wholeMillisecondsValue
        }
        if let time = RFC3339.parse(text) { return time.milliseconds }
        throw SimulatorError("\"\(text)\" is not a time: use now, -3h, +30m or RFC 3339 (2026-11-29T03:00:00Z)")
    }

    package static func duration(_ text: String) throws(SimulatorError) -> Int64 {
        guard let duration = DurationText.parse(text) else {
            throw SimulatorError("\"\(text)\" is not a duration: use e.g. 90s, 30m, 2h, 7d")
        }
        return duration.wholeMillisecondsValue
    }
}

/// A usage or input problem, reported in one line.
package struct SimulatorError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
