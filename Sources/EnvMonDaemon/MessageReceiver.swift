internal import EnvMonCore
internal import EnvMonStore
internal import Logging
internal import MQTT

/// The hot path on libmosquitto's network thread, one call per message: makes a QoS ≥ 1 message
/// durable in the inbox journal before its PUBACK leaves (libmosquitto sends it after this
/// returns), hands it to the ingest thread, returns. No parsing here.
final class MessageReceiver: Sendable {
    private let journal: InboxJournal
    private let buffer: HandOffBuffer<InboxMessage>
    private let figures: IngestFigures
    private let storage: StorageGuard
    private let catchUp: CatchUpTracker
    private let ownPublications: OwnPublications
    /// The client whose thread calls `receive`: while the journal cannot be written it must give
    /// up the connection when stopping rather than acknowledge what it cannot keep.
    private let client: MQTTClient
    private let wallClock: any WallClockSource
    private let logger: Logger

    init(
        journal: InboxJournal, buffer: HandOffBuffer<InboxMessage>, figures: IngestFigures, storage: StorageGuard,
        catchUp: CatchUpTracker, ownPublications: OwnPublications, client: MQTTClient,
        wallClock: any WallClockSource, logger: Logger
    ) {
        self.journal = journal
        self.buffer = buffer
        self.figures = figures
        self.storage = storage
        self.catchUp = catchUp
        self.ownPublications = ownPublications
        self.client = client
        self.wallClock = wallClock
        self.logger = logger
    }

    func receive(_ message: MQTTMessage) {
        let receivedAt = wallClock.now()
        if let marker = catchUp.marker(topic: message.topic, payload: message.payload) {
            // Once per connection: the only log line on this thread.
            if case .caughtUp = marker { logger.info("MQTT caught up with what the broker queued for us") }
            return
        }
        // Our own alert notices and hourly VN_AQI come back on a `<prefix>/+/+` subscription: not
        // sensor data, so not journaled either (there they would also end the resent prefix the
        // redelivery check looks for after a reconnect).
        if ownPublications.contains(message.topic) {
            figures.update { $0.ignored += 1 }
            return
        }
        let inCatchUp = catchUp.isCatchingUp
        var position: InboxPosition?
        if message.qos > 0 {
            switch journalUntilKept(message, receivedAt: receivedAt, inCatchUp: inCatchUp) {
            case .kept(let journaled): position = journaled
            case .alreadyKept, .abandoned: return
            }
        }
        buffer.put(
            InboxMessage(
                topic: message.topic, payload: message.payload, qos: message.qos, receivedAt: receivedAt,
                position: position, messageID: message.messageID, inCatchUp: inCatchUp),
            bytes: message.topic.utf8.count + message.payload.count + 64)
    }

    private enum Journaling {
        case kept(InboxPosition)
        /// A redelivery of a message the journal holds (replayed or stored): acknowledge only.
        case alreadyKept
        /// Stopping while the journal cannot be written: the message stays with the broker.
        case abandoned
    }

    /// A message the journal cannot keep (disk full) is not acknowledged: waits here, so the
    /// PUBACK does not leave, and retries until it fits; the broker keeps the rest for our
    /// session meanwhile.
    private func journalUntilKept(_ message: MQTTMessage, receivedAt: Timestamp, inCatchUp: Bool) -> Journaling {
        while true {
            do {
                let appended = try journal.append(
                    topic: message.topic, payload: message.payload, qos: message.qos, messageID: message.messageID,
                    receivedAt: receivedAt, inCatchUp: inCatchUp)
                switch appended {
                case .journaled(let position):
                    storage.recovered(.inboxJournal)
                    return .kept(position)
                case .redelivery:
                    figures.update { $0.redeliveries += 1 }
                    return .alreadyKept
                }
            } catch {
                figures.update { $0.journalErrors += 1 }
                storage.failed(.inboxJournal, error: "\(error)")
                if client.isStopping {
                    logger.warning(
                        "stopping while the inbox journal cannot be written: the message on \(message.topic) stays unacknowledged with the broker"
                    )
                    client.abandonConnection()
                    return .abandoned
                }
                StorageGuard.pause()
            }
        }
    }
}
