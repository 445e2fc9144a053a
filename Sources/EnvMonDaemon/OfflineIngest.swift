package import EnvMonConfig
package import EnvMonCore
internal import EnvMonStore
internal import Logging

/// The daemon's ingest without a broker, threads or wall clock: messages go through the same
/// decoding, validation, QC, writer, alert engine and hourly VN_AQI as in envmond, at the times
/// the caller gives. For `envmon-sim fill`, which stores a simulated month as envmond would have
/// stored it (the demo report's data): the QC flags, rejects, gaps and alerts are the daemon's own.
/// Nothing is published or sent to the journal; alert transitions go to stderr, as envmond logs them.
package final class OfflineIngest {
    private var processor: MessageProcessor
    private let writer: any ReadingWriter
    private let alerts: AlertService
    private let hourlyAQI: HourlyAQIRecorder
    /// What the batches so far came to, counted as envmond counts them.
    package private(set) var figures = IngestFigures.Snapshot()

    /// Opens (or creates) the store at `path`; `now` is when the alert engine starts.
    package init(configuration: EnvMonConfiguration, databasePath path: String, now: Timestamp) throws {
        let store = try Store.open(try StoreLocation(path), for: .ingest)
        writer = try store.makeReadingWriter()
        writer.rejectBudget = RejectBudget(configuration)
        processor = MessageProcessor(configuration: configuration)
        processor.rememberStoredSensors(writer.storedSensorIDs)
        processor.resume(newest: try writer.newestTimes(), delivery: try writer.sensorDelivery())
        let logger = Logger(label: "envmon-offline-ingest") { _ in SwiftLogNoOpLogHandler() }
        // No client: nothing goes out on MQTT.
        let publisher = AlertPublisher(client: nil)
        alerts = try AlertService(
            configuration: configuration, store: store, publisher: publisher, logger: logger, now: now,
            journal: .system(environment: [:]))
        hourlyAQI = HourlyAQIRecorder(
            configuration: configuration, store: store, publisher: publisher, logger: logger)
    }

    /// One batch of messages received at `receivedAt`: stored in one transaction, then what it
    /// newly stored is shown to the alert engine, as the ingest thread does.
    package func ingest(_ messages: [(topic: String, payload: [UInt8])], receivedAt: Timestamp) throws {
        let inbox = messages.map { InboxMessage(topic: $0.topic, payload: $0.payload, qos: 1, receivedAt: receivedAt) }
        var tally = MessageProcessor.Tally()
        let batch = processor.process(inbox, tally: &tally)
        let outcome = try writer.write(batch)
        figures.messages += tally.messages
        figures.sequenceDuplicates += tally.sequenceDuplicates
        figures.readingsStored += outcome.stored.count
        figures.duplicates += outcome.duplicates
        figures.rejects += outcome.rejects
        figures.revisions += batch.revisions.count
        figures.batches += 1
        alerts.observe(outcome.stored, sites: batch.sites, now: receivedAt)
    }

    /// The alert timer at `now`: for-durations, no-data, repeats and rolling means, then the
    /// hourly VN_AQI of the hours closed by then.
    package func tick(now: Timestamp) {
        alerts.tick(now: now)
        hourlyAQI.tick(now: now)
    }
}
