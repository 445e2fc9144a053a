/// One value found in a message, before validation: names and unit as the sensor gave them,
/// time already resolved to an absolute instant (receive time when the payload carried none).
package struct DecodedSample: Hashable, Sendable {
    package var sensor: String
    /// Site from the topic or a tag, when the payload says; the config's site wins for known sensors.
    package var site: String?
    /// Metric name or alias as given, e.g. `temp`.
    package var metric: String
    package var value: Double
    /// Unit as given (SenML `u`/`bu`, a line-protocol `unit` tag); nil means the canonical unit.
    package var unit: String?
    package var timestamp: Timestamp
    /// Publisher's sequence number (`"seq"` in JSON): a repeat is a duplicate, a jump a gap.
    package var sequence: Int64?
    /// `.receipt` when `timestamp` is the receive time because the payload carried none.
    package var timeSource: TimeSource
    /// The status the device reported in the same message (its configured status field); nil when
    /// it reported none.
    package var reportedStatus: DeviceStatus?

    package init(
        sensor: String, site: String? = nil, metric: String, value: Double, unit: String? = nil,
        timestamp: Timestamp, sequence: Int64? = nil, timeSource: TimeSource = .device
    ) {
        self.timeSource = timeSource
        self.sensor = sensor
        self.site = site
        self.metric = metric
        self.value = value
        self.unit = unit
        self.timestamp = timestamp
        self.sequence = sequence
    }
}

/// The outcome of decoding one message. A pack can be partly good: SenML or line-protocol
/// records that fail are rejected one by one while the rest are kept.
package struct DecodeResult: Sendable {
    package var samples: [DecodedSample]
    package var rejections: [Rejection]

    package init(samples: [DecodedSample] = [], rejections: [Rejection] = []) {
        self.samples = samples
        self.rejections = rejections
    }
}
