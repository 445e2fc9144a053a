internal import EnvMonConfig
internal import Logging
internal import MQTT

/// The MQTT client's life-cycle events, on its network thread: logs them for the operator, tells
/// the inbox journal and the catch-up tracker about each connection, publishes the catch-up
/// marker once the subscriptions are granted, and tells health when envmond is receiving.
final class MQTTEventHandler: Sendable {
    private let client: MQTTClient
    private let journal: InboxJournal
    private let catchUp: CatchUpTracker
    private let health: any SubscriptionObserver
    /// Who envmond connects as and what it publishes under, for the ACL hint of a refused publish.
    private let username: String
    private let topicPrefix: String
    private let logger: Logger

    init(
        client: MQTTClient, journal: InboxJournal, catchUp: CatchUpTracker, health: any SubscriptionObserver,
        configuration: EnvMonConfiguration, logger: Logger
    ) {
        self.client = client
        self.journal = journal
        self.catchUp = catchUp
        self.health = health
        self.username = configuration.broker.username ?? "envmond"
        self.topicPrefix = configuration.topicPrefix
        self.logger = logger
    }

    func handle(_ event: MQTTEvent) {
        switch event {
        case .connectionRefused:
            logger.error("MQTT \(event); check broker.username and broker.password_file; retrying")
        case .subscribed(let results):
            subscribed(results)
        case .connected(let sessionPresent):
            journal.beginConnection(sessionResumed: sessionPresent)
            catchUp.connected(sessionResumed: sessionPresent)
            logger.info("MQTT \(event)")
            guard sessionPresent else { break }
            // The broker kept our session, subscriptions included: we are receiving now. The
            // SUBACK of the re-subscription can sit behind a long backlog of queued messages, and
            // READY must not wait for it (systemd's start timeout would kill a daemon that is
            // busy catching up).
            health.markSubscribed()
        case .connectFailed, .disconnected:
            logger.warning("MQTT \(event)")
        case .published:
            break
        case .publishRefused(let messageID, _) where catchUp.publishRefused(messageID: messageID):
            logger.warning(
                "MQTT \(event): the catch-up marker on \(catchUp.markerTopic) was refused; let the broker's ACL allow it"
            )
        case .publishRefused:
            // Our only publishes are alert notices and the hourly VN_AQI: an ACL that forbids them
            // drops every MQTT copy silently unless we say so here.
            logger.error(
                "MQTT \(event); check that the broker's ACL lets \(username) write \(topicPrefix)/alerts/# and \(topicPrefix)/aqi/#"
            )
        default:
            logger.info("MQTT \(event)")
        }
    }

    private func subscribed(_ results: [MQTTSubscriptionResult]) {
        let sensorResults = results.filter { $0.filter != catchUp.markerTopic }
        let refused = sensorResults.filter { !$0.isGranted }
        if refused.isEmpty {
            logger.info("MQTT subscribed: \(sensorResults.map(\.description).joined(separator: ", "))")
            health.markSubscribed()
        } else {
            logger.error("MQTT subscriptions refused by the broker (ACL?): \(refused)")
        }
        if results.contains(where: { $0.filter == catchUp.markerTopic && !$0.isGranted }) {
            catchUp.giveUp()
            logger.warning(
                "MQTT: the broker refused the subscription to \(catchUp.markerTopic); messages queued while envmond was away cannot be told from live ones, and readings without their own time are marked as received in a catch-up for at most \(catchUp.timeout) after each reconnect"
            )
        } else if let marker = catchUp.markerToSend(randomPart: UInt64.random(in: 1...UInt64(UInt32.max))) {
            do {
                catchUp.markerPublished(
                    messageID: try client.publish(topic: catchUp.markerTopic, payload: marker, qos: 1))
            } catch {
                catchUp.giveUp()
                logger.warning("MQTT: cannot publish the catch-up marker: \(error)")
            }
        }
    }
}

/// Told when envmond is receiving what it subscribed to (health's READY=1 waits for it).
protocol SubscriptionObserver: Sendable {
    func markSubscribed()
}
