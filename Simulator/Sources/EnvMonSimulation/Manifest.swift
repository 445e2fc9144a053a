public import Foundation

/// What a run sent and injected, counted per kind, with what the daemon should make of it.
/// Written as JSON (`--manifest FILE`) so a test can compare it with the stored rows, flags and
/// rejects. Expectations hold for QoS >= 1 (QoS 0 may lose messages by design).
public struct Manifest: Codable, Sendable {
    public struct Expected: Codable, Sendable {
        /// Distinct readings (series, time) the daemon should store.
        public var readingsStored = 0
        /// Readings that arrive a second time and must be counted as duplicates, not stored.
        public var duplicateReadings = 0
        /// Rejects per reason (`undecodable`, `unknown_metric`, `not_finite`, `bad_timestamp`, `oversize`).
        public var rejects: [String: Int] = [:]
        /// Readings with an injected value that QC must flag fail (spike and out-of-range points).
        public var qcFail: [String: Int] = [:]
        /// Readings a sensor did not send while silent.
        public var readingsNotSent = 0
    }

    public struct FaultSummary: Codable, Sendable {
        /// Times the fault was injected (messages for one-message faults, episodes otherwise).
        public var injected = 0
        /// Messages published because of it (extra or altered).
        public var messages = 0
        /// Readings it touched.
        public var readings = 0
        public var expectedReject: String?
        public var expectation: String
    }

    /// One injection, with the points a test can look up.
    public struct FaultEvent: Codable, Sendable, Hashable {
        public var kind: FaultKind
        public var sensor: String
        public var metric: String?
        public var topic: String?
        /// Epoch milliseconds of the (first) affected reading.
        public var time: Int64
        /// Episodes: epoch milliseconds of the last affected reading.
        public var end: Int64?
        /// Epoch milliseconds of every affected reading of `metric` (flat lines, spikes).
        public var points: [Int64]?
        /// The injected value (spike, out of range, stuck value, excursion level).
        public var value: Double?
        /// Expected reject reason, or expected QC flag.
        public var expected: String
    }

    public var tool = "envmon-sim"
    public var seed: UInt64 = 0
    public var format = "json"
    public var qos = 1
    public var timeScale = 1.0
    public var topicPrefix = ""
    /// RFC 3339 of the first and last reading time.
    public var start = ""
    public var end = ""
    public var startedAt = ""
    public var finishedAt = ""
    /// Every PUBLISH, duplicates and injected bad messages included.
    public var messagesPublished = 0
    public var messagesByStyle: [String: Int] = [:]
    public var messagesByTopic: [String: Int] = [:]
    /// Numeric readings in well-formed messages (each duplicate copy counted once).
    public var readingsSent = 0
    public var readingsBySensor: [String: Int] = [:]
    public var expected = Expected()
    public var faults: [String: FaultSummary] = [:]
    public var events: [FaultEvent] = []
    /// Events beyond `maximumEvents` are counted in `faults` but not listed.
    public var eventsOmitted = 0
    public var rainEpisodes = 0
    public var storms: [String] = []
    public var notes: [String] = []

    public static let maximumEvents = 20_000

    public init() {}

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

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public func write(to path: String) throws {
        try json().write(to: URL(fileURLWithPath: path))
    }

    public static func read(from path: String) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
