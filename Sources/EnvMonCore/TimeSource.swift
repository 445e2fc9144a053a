/// Where a reading's time comes from. Stored with every raw reading and shown by the CLI and the
/// exports, because the two kinds without a time of their own mean different things.
package enum TimeSource: UInt8, Hashable, Sendable, CaseIterable {
    /// The payload's own time (JSON `ts`, SenML absolute time, a line-protocol timestamp).
    case device = 0
    /// The time the daemon received the message (a plain number, JSON without `ts`, ...): good
    /// to the network's delay, made unique per series (see `ReceiptClock`).
    case receipt = 1
    /// The receive time of a message the broker had queued while the daemon was away and
    /// delivered in the burst after a reconnect: it gives the readings' order, not their times.
    case catchUp = 2

    /// The name used in JSON and CSV (`device`, `receipt`, `catch_up`).
    package var name: String {
        switch self {
        case .device: "device"
        case .receipt: "receipt"
        case .catchUp: "catch_up"
        }
    }

    /// Time-dependent judgements (rate of change, `for` durations, the gaps between points)
    /// cannot use this reading's time.
    package var isOrderOnly: Bool { self == .catchUp }
}
