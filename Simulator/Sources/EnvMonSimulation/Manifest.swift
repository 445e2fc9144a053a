package import Foundation

/// What a run sent and injected, counted per kind, with what the daemon should make of it.
/// Written as JSON (`--manifest FILE`) so a test can compare it with the stored rows, flags and
/// rejects. Expectations hold for QoS >= 1 (QoS 0 may lose messages by design).
package struct Manifest: Codable, Sendable {
    package struct Expected: Codable, Sendable {
        /// Distinct readings (series, time) the daemon should store.
        package var readingsStored = 0
        /// Readings that arrive a second time and must be counted as duplicates, not stored.
        package var duplicateReadings = 0
        /// Rejects per reason (`undecodable`, `unknown_metric`, `not_finite`, `bad_timestamp`, `oversize`).
        package var rejects: [String: Int] = [:]
        /// Readings with an injected value that QC must flag fail (spike and out-of-range points).
        package var qcFail: [String: Int] = [:]
        /// Readings a sensor did not send while silent.
        package var readingsNotSent = 0
    }

    package struct FaultSummary: Codable, Sendable {
        /// Times the fault was injected (messages for one-message faults, episodes otherwise).
        package var injected = 0
        /// Messages published because of it (extra or altered).
        package var messages = 0
        /// Readings it touched.
        package var readings = 0
        package var expectedReject: String?
        package var expectation: String
    }

    /// One injection, with the points a test can look up.
    package struct FaultEvent: Codable, Sendable, Hashable {
        package var kind: FaultKind
        package var sensor: String
        package var metric: String?
        package var topic: String?
        /// Epoch milliseconds of the (first) affected reading.
        package var time: Int64
        /// Episodes: epoch milliseconds of the last affected reading.
        package var end: Int64?
        /// Epoch milliseconds of every affected reading of `metric` (flat lines, spikes).
        package var points: [Int64]?
        /// The injected value (spike, out of range, stuck value, excursion level).
        package var value: Double?
        /// Expected reject reason, or expected QC flag.
        package var expected: String
    }

    package var tool = "envmon-sim"
    package var seed: UInt64 = 0
    package var format = "json"
    package var qos = 1
    package var timeScale = 1.0
    package var topicPrefix = ""
    /// RFC 3339 of the first and last reading time.
    package var start = ""
    package var end = ""
    package var startedAt = ""
    package var finishedAt = ""
    /// Every PUBLISH, duplicates and injected bad messages included.
    package var messagesPublished = 0
    package var messagesByStyle: [String: Int] = [:]
    package var messagesByTopic: [String: Int] = [:]
    /// Numeric readings in well-formed messages (each duplicate copy counted once).
    package var readingsSent = 0
    package var readingsBySensor: [String: Int] = [:]
    package var expected = Expected()
    package var faults: [String: FaultSummary] = [:]
    package var events: [FaultEvent] = []
    /// Events beyond `maximumEvents` are counted in `faults` but not listed.
    package var eventsOmitted = 0
    package var rainEpisodes = 0
    package var storms: [String] = []
    package var notes: [String] = []

    package static let maximumEvents = 20_000

    package init() {}

    mutating func count(_ message: OutgoingMessage) {
        messagesPublished += 1
        messagesByStyle[message.style?.rawValue ?? "injected", default: 0] += 1
        messagesByTopic[message.topic, default: 0] += 1
    }

    mutating func record(_ kind: FaultKind, messages: Int = 0, readings: Int = 0, injected: Int = 1) {
        var summary =
            faults[kind.rawValue]
            ?? FaultSummary(expectedReject: kind.expectedReject?.rawValue, expectation: kind.expectation)
        summary.injected += injected
        summary.messages += messages
        summary.readings += readings
        faults[kind.rawValue] = summary
        if let reason = kind.expectedReject {
            expected.rejects[reason.rawValue, default: 0] += messages
        }
    }

    mutating func add(_ event: FaultEvent) {
        if events.count < Self.maximumEvents {
            events.append(event)
        } else {
            eventsOmitted += 1
        }
    }

    package func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    package func write(to path: String) throws {
        try json().write(to: URL(fileURLWithPath: path))
    }

    package static func read(from path: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
