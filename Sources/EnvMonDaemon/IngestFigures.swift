internal import Synchronization

/// Live counters of the ingest, shared between the ingest thread and whoever reports them
/// (the statistics snapshot, sd_notify STATUS, metrics).
public final class IngestFigures: Sendable {
    public struct Snapshot: Sendable {
        public var messages = 0
        public var ignored = 0
        public var readingsStored = 0
        public var duplicates = 0
        public var rejects = 0
        public var revisions = 0
        public var batches = 0
        public var lastBatchMilliseconds = 0.0
        public var maximumBatchMilliseconds = 0.0
        public var replayed = 0
        public var journalErrors = 0
        /// Broker redeliveries of messages already journaled, acknowledged without storing again.
        public var redeliveries = 0
        /// Messages dropped because their sensor repeated a `seq` it had already sent.
        public var sequenceDuplicates = 0
        public var rejectsByReason: [String: Int] = [:]
        /// Stored readings flagged suspect or fail, per QARTOD test that raised them.
        public var flaggedByTest: [String: Int] = [:]
        public var batchSeconds: [Double] = []
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// Batch commit latencies recorded since the last call, for the metrics histogram.
    func takeBatchLatencies() -> [Double] {
        state.withLock { snapshot in
            defer { snapshot.batchSeconds.removeAll(keepingCapacity: true) }
            return snapshot.batchSeconds
        }
    }
}
