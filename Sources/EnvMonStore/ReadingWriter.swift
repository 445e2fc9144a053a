package import EnvMonCore

/// The ingest thread's side of the store (`Store.makeReadingWriter()`): one batch per
/// transaction together with how far the inbox journal is consumed, so a batch is stored once and
/// wholly or not at all. Owned by one thread (it keeps caches), so not Sendable.
package protocol ReadingWriter: AnyObject {
    /// The rejects table's bound (config `[retention] reject_rows`, `reject_mebibytes`).
    var rejectBudget: RejectBudget { get set }
    /// Every sensor id the store has series for.
    var storedSensorIDs: Set<String> { get }
    /// How far the inbox journal was consumed by the last committed batch.
    func inboxPosition() throws -> InboxPosition?
    func write(_ batch: IngestBatch) throws -> BatchOutcome
    func sensorDelivery() throws -> [SensorDelivery]
    /// The newest stored time of every series (the QC's and the spike check's memory).
    func newestTimes() throws -> [SeriesKey: Timestamp]
    func pendingReplayRequests() throws -> [RejectReplayRequest]
    func replayableMessages(for request: RejectReplayRequest) throws -> [ReplayableMessage]
    func finishReplay(
        _ request: RejectReplayRequest, results: [RejectReason: ReplayCounts], resolvedRows: [Int64], detail: String?,
        at time: Timestamp
    ) throws
    func applyRetention(_ policy: RetentionPolicy, now: Timestamp) throws -> RetentionOutcome
    func recordDaemonStatistics(_ figures: [String: Double], at time: Timestamp) throws
}
