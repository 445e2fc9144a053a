internal import Foundation
internal import Logging
internal import MQTT
internal import ServiceLifecycle

/// Runs the ingest loop on a thread of its own: it blocks on the hand-off and on SQLite, which
/// must not tie up Swift's cooperative pool. The service finishes when the loop has drained the
/// closed hand-off.
final class IngestThreadService: Service, @unchecked Sendable {
    // The pipeline is touched only by the thread started in run().
    private let pipeline: IngestPipeline
    private let buffer: HandOffBuffer<InboxMessage>
    private let logger: Logger

    init(pipeline: IngestPipeline, buffer: HandOffBuffer<InboxMessage>, logger: Logger) {
        self.pipeline = pipeline
        self.buffer = buffer
        self.logger = logger
    }

    func run() async throws {
        let buffer = self.buffer
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    pipeline.run(buffer: buffer)
                    continuation.resume()
                }
                thread.name = "envmon-ingest"
                thread.start()
            }
        } onGracefulShutdown: {
            // MQTT has stopped by now (services stop in reverse order); let the loop drain.
            buffer.close()
        }
        // A store that refuses writes (not for lack of space) ends the daemon with a failure; the
        // messages stay in the inbox journal for the next start.
        if let failure = pipeline.failure.withLock({ $0 }) { throw failure }
    }
}

/// Keeps the MQTT client running; on shutdown disconnects and stops handing off.
final class MQTTService: Service, Sendable {
    private let client: MQTTClient
    private let buffer: HandOffBuffer<InboxMessage>
    private let logger: Logger

    init(client: MQTTClient, buffer: HandOffBuffer<InboxMessage>, logger: Logger) {
        self.client = client
        self.buffer = buffer
        self.logger = logger
    }

    func run() async throws {
        try client.start()
        try? await gracefulShutdown()
        client.stop(timeout: .seconds(1))
    }
}
