internal import Dispatch
internal import EnvMonStore

/// One batch's write running on the writer queue while the ingest thread decodes and checks the
/// next batch: on PostgreSQL the server's work on a batch (about as long as the daemon's own work
/// on it) then overlaps the daemon's instead of following it.
///
/// The ingest thread hands the store's writer over with the batch and takes it back in `wait()`;
/// it touches neither in between, and the semaphore orders their memory. Hence `@unchecked`.
final class BatchWriteInFlight: @unchecked Sendable {
    /// What the write stored, and how long it took (retries included).
    struct Written {
        var outcome: BatchOutcome
        var duration: Duration
    }

    private let write: () throws -> Written
    private var result: Result<Written, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ write: @escaping () throws -> Written) {
        self.write = write
    }

    func start(on queue: DispatchQueue) {
        queue.async {
            self.result = Result { try self.write() }
            self.done.signal()
        }
    }

    /// Blocks until the write has ended; its outcome, or the error that ended it.
    func wait() throws -> Written {
        done.wait()
        // Set before the semaphore was signalled.
        return try result!.get()
    }
}
