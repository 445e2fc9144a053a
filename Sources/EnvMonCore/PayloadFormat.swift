/// The payload formats a subscription may carry. `auto` detects per message.
package enum PayloadFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// A bare number on `<prefix>/<site>/<sensor>/<metric>`.
    case plain
    /// A JSON object on `<prefix>/<site>/<sensor>` with metric fields and optional `ts`, `seq`.
    case json
    /// A SenML JSON pack (RFC 8428).
    case senml
    /// InfluxDB line protocol.
    case line
    case auto
}

/// How line-protocol timestamps are scaled (InfluxDB's `precision`).
package enum TimePrecision: String, Sendable, Hashable, CaseIterable, Codable {
    case nanoseconds = "ns"
    case microseconds = "us"
    case milliseconds = "ms"
    case seconds = "s"
}

/// Everything a decoder needs to know about the message besides its bytes.
package struct DecodeContext: Sendable {
    /// The full topic the message arrived on.
    package var topic: String
    /// The topic prefix in front of `<site>/<sensor>[/<metric>]`, e.g. `cathai`.
    package var topicPrefix: String
    package var format: PayloadFormat
    package var receivedAt: Timestamp
    package var precision: TimePrecision
    /// Larger payloads are rejected as `oversize` before any parsing.
    package var maximumPayloadBytes: Int
    /// Members (JSON) or record names (SenML) that carry the device's status rather than a metric
    /// (`status_field` of the sensors that report one).
    package var statusFields: Set<String> = []

    package init(
        topic: String, topicPrefix: String, format: PayloadFormat, receivedAt: Timestamp,
        precision: TimePrecision = .nanoseconds, maximumPayloadBytes: Int = 64 * 1024
    ) {
        self.topic = topic
        self.topicPrefix = topicPrefix
        self.format = format
        self.receivedAt = receivedAt
        self.precision = precision
        self.maximumPayloadBytes = maximumPayloadBytes
    }
}
