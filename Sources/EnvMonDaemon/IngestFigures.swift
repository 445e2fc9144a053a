internal import Synchronization

/// Live counters of the ingest, shared between the ingest thread and whoever reports them
/// (the statistics snapshot, sd_notify STATUS, metrics).
package final class IngestFigures: Sendable {
    package struct Snapshot: Sendable {
        package var messages = 0
        package var ignored = 0
        package var readingsStored = 0
        package var duplicates = 0
        package var rejects = 0
        package var revisions = 0
        package var batches = 0
        package var lastBatchMilliseconds = 0.0
        package var maximumBatchMilliseconds = 0.0
        package var replayed = 0
        package var journalErrors = 0
        /// Broker redeliveries of messages already journaled, acknowledged without storing again.
        package var redeliveries = 0
        /// Messages dropped because their sensor repeated a `seq` it had already sent.
        package var sequenceDuplicates = 0
        package var rejectsByReason: [String: Int] = [:]
        /// Stored readings flagged suspect or fail, per QARTOD test that raised them.
        package var flaggedByTest: [String: Int] = [:]
        package var batchSeconds: [Double] = []
    }

    private let state = Mutex(Snapshot())

    package init() {}

    package var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// Batch commit latencies recorded since the last call, for the metrics histogram.
    func takeBatchLatencies() -> [Double] {
        state.withLock { snapshot in
            defer { snapshot.batchSeconds.removeAll(keepingCapacity: true) }
            return snapshot.batchSeconds
        }
    }
}
