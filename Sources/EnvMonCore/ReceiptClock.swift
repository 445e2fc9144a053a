/// Gives readings that carry no time of their own a time that is unique within their series.
///
/// Such a reading takes its message's receive time in milliseconds, and the store keeps one row
/// per (series, time). Two messages of one series received in the same millisecond (the rule in
/// the burst after a reconnect) would collapse into one row. So a receipt time that is not after
/// the series' newest time moves to one millisecond past it: order is kept, nothing collapses.
///
/// Deterministic from the stored state and the inbox journal: the daemon seeds it with each
/// series' newest stored time, so a replay of uncommitted journal records gives the same times
/// that a run without the crash would have given for them.
package struct ReceiptClock: Sendable {
    private var newest: [SeriesKey: Int64] = [:]

    package init(newest: [SeriesKey: Timestamp] = [:]) {
        self.newest = newest.mapValues(\.milliseconds)
    }

    /// The time to store for a receipt-timed reading received at `receivedAt`.
    package mutating func stamp(_ series: SeriesKey, receivedAt: Timestamp) -> Timestamp {
        var milliseconds = receivedAt.milliseconds
        if let last = newest[series], milliseconds <= last { milliseconds = last + 1 }
        newest[series] = milliseconds
        return Timestamp(milliseconds: milliseconds)
    }

    /// A reading with its own time: later receipt times of the series must not land on it.
    package mutating func observe(_ series: SeriesKey, timestamp: Timestamp) {
        if newest[series].map({ timestamp.milliseconds > $0 }) ?? true { newest[series] = timestamp.milliseconds }
    }
}
