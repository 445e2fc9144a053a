internal import Foundation
internal import Logging
internal import ServiceLifecycle

/// Runs the ingest on a thread of its own: it blocks on the hand-off and on the database, which
/// must not tie up Swift's cooperative pool. First it replays what the last run left in the inbox
/// journal (then `replayed` succeeds and MQTT may start), then it runs the loop until the closed
/// hand-off is drained.
final class IngestThreadService<MonotonicClock: Clock<Duration>>: Service, @unchecked Sendable {
    // The pipeline is touched only by the thread started in run().
    private let pipeline: IngestPipeline<MonotonicClock>
    private let buffer: HandOffBuffer<InboxMessage>
    private let replayed: OneTimeSignal
    private let logger: Logger

    init(
        pipeline: IngestPipeline<MonotonicClock>, buffer: HandOffBuffer<InboxMessage>, replayed: OneTimeSignal,
        logger: Logger
    ) {
        self.pipeline = pipeline
        self.buffer = buffer
        self.replayed = replayed
        self.logger = logger
    }

    func run() async throws {
        let buffer = self.buffer
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    defer { continuation.resume() }
                    do {
                        try pipeline.replayJournal()
                    } catch {
                        pipeline.failure.withLock { $0 = error }
                        replayed.fail()
                        return
                    }
                    replayed.succeed()
                    pipeline.run(buffer: buffer)
                    pipeline.recordStopped()
                }
                thread.name = "envmon-ingest"
                thread.start()
            }
        } onGracefulShutdown: {
            // MQTT has stopped by now (services stop in reverse order); let the loop drain.
            buffer.close()
        }
        // A journal that cannot be replayed, or a store that refuses writes (not for lack of
        // space), ends the daemon with a failure; the messages stay in the inbox journal.
        if let failure = pipeline.failure.withLock({ $0 }) { throw failure }
    }
}
