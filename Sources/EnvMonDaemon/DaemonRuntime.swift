internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import Logging
internal import MQTT
internal import ServiceLifecycle
internal import Synchronization

/// One running daemon: the parts and the order in which they start and stop.
final class DaemonRuntime: Sendable {
    let configuration: EnvMonConfiguration
    let logger: Logger
    let figures = IngestFigures()
    let buffer: HandOffBuffer<InboxMessage>
    let journal: InboxJournal
    private let database: DatabaseHandle

    /// The writer connection, handed to the ingest thread once.
    final class DatabaseHandle: @unchecked Sendable {
        let store: Store
        let writer: any ReadingWriter
        init(_ store: Store, collector: String) throws {
            self.store = store
            writer = try store.makeReadingWriter(collector: collector)
        }
    }

    let options: DaemonOptions
    let notifier = SystemdNotifier()
    let catchUp: CatchUpTracker

    init(configuration: EnvMonConfiguration, options: DaemonOptions, logger: Logger) throws {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.catchUp = CatchUpTracker(topicPrefix: configuration.topicPrefix, clientID: configuration.broker.clientID)
        do {
            let location = try StoreLocation(configuration.daemon.database)
            // A SQLite file's directory is made if missing; a server's database is the DBA's.
            if let path = location.sqlitePath {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
            }
            // Collectors sharing one PostgreSQL database each record their own journal position.
            database = try DatabaseHandle(
                try Store.open(location, for: .ingest), collector: configuration.broker.clientID)
        } catch let error as StoreError {
            throw DaemonStartError(message: "cannot open the database: \(error)", exitCode: 1)
        }
        do {
            journal = try InboxJournal(
                directory: configuration.daemon.effectiveStateDirectory + "/inbox",
                sync: configuration.ingest.inboxSync,
                segmentBytes: configuration.ingest.inboxSegmentBytes)
        } catch {
            throw DaemonStartError(
                message: "cannot open the inbox journal in \(configuration.daemon.effectiveStateDirectory): \(error)")
        }
        buffer = HandOffBuffer(
            capacity: configuration.ingest.handoffCapacity, byteCapacity: configuration.ingest.handoffBytes)
    }

    func run() async throws {
        let pipeline = try IngestPipeline(
            configuration: configuration, store: database.store, writer: database.writer, journal: journal,
            figures: figures, logger: logger)
        let alertPublisher = AlertPublisher()
        let transmission = TransmissionService(
            configuration: configuration, store: database.store, passwords: try transmissionPasswords(),
            logger: logger)
        let alerts = try AlertService(
            configuration: configuration, store: database.store, publisher: alertPublisher,
            webhooks: transmission.webhookQueue(), logger: logger, now: SystemClock.now(),
            collector: configuration.broker.clientID)
        pipeline.alerts = alerts
        pipeline.hourlyAQI = HourlyAQIRecorder(
            configuration: configuration, store: database.store, publisher: alertPublisher, logger: logger)
        let storage = StorageGuard(topicPrefix: configuration.topicPrefix, publisher: alertPublisher)
        pipeline.storage = storage
        try pipeline.replayJournal()

        let gauge = alerts.activeGauge
        let health = HealthService(
            notifier: notifier, figures: figures, heartbeat: pipeline.heartbeat, logger: logger,
            statusExtras: { "\(gauge.count) alert\(gauge.count == 1 ? "" : "s") firing" })
        let slot = ClientSlot()
        let client = try makeClient(health: health, storage: storage, slot: slot)
        slot.client.withLock { $0 = client }
        alertPublisher.attach(client)
        let ingest = IngestThreadService(pipeline: pipeline, buffer: buffer, logger: logger)
        let mqtt = MQTTService(client: client, buffer: buffer, logger: logger)
        let pending = PendingConfiguration(pipeline: pipeline)
        let reload = ReloadService(
            configPath: options.configPath, overrides: options, initial: configuration, logger: logger
        ) { next in pending.offer(next) }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if transmission.isNeeded { services.append(.init(service: transmission)) }
        if let listen = configuration.daemon.metricsListen {
            let exporter = MetricsExporter(
                figures: figures, buffer: buffer, journal: journal, databasePath: configuration.daemon.database,
                alerts: gauge, backlog: transmission.backlog, connected: { client.isConnected })
            services.append(.init(service: MetricsService(listen: listen, exporter: exporter, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services + [
                    // Shut down in reverse order: MQTT stops delivering first, then the ingest
                    // drains what was handed off and commits it.
                    .init(service: ingest),
                    .init(service: mqtt),
                    .init(service: reload),
                    // Stops first, so STOPPING=1 reaches systemd before the flush.
                    .init(service: health),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info(
            "envmond started",
            metadata: [
                "config": "\(configuration.source)", "db": "\(configuration.daemon.database)",
                "broker": "\(configuration.broker.url)", "sensors": "\(configuration.sensors.count)",
            ])
        try await group.run()
        pipeline.recordStopped()
        try? journal.flush()
        let final = figures.snapshot
        logger.info(
            "envmond stopped",
            metadata: ["readings.stored": "\(final.readingsStored)", "rejects": "\(final.rejects)"])
    }

    /// The passwords of transmission targets and webhooks, read from their files at start.
    private func transmissionPasswords() throws -> [String: String] {
        var passwords: [String: String] = [:]
        let targets =
            configuration.transmission.targets.enumerated().map { ("transmission.targets[\($0)]", $1) }
            + configuration.webhooks.enumerated().map { ("webhooks[\($0)]", $1.target) }
        for (key, target) in targets {
            guard let file = target.passwordFile else { continue }
            do {
                passwords[target.id] = try MQTTConfiguration.readPassword(fromFile: file)
            } catch {
                throw DaemonStartError(message: "\(key).password_file (target \(target.id)): \(error)", exitCode: 2)
            }
        }
        return passwords
    }

    private func makeClient(health: HealthService, storage: StorageGuard, slot: ClientSlot) throws -> MQTTClient {
        let settings = configuration.broker
        let catchUp = self.catchUp
        let url: MQTTBrokerURL
        do {
            url = try MQTTBrokerURL(settings.url)
        } catch {
            throw DaemonStartError(message: "broker.url: \(error)", exitCode: 2)
        }
        var password: String?
        if let file = settings.passwordFile {
            do {
                password = try MQTTConfiguration.readPassword(fromFile: file)
            } catch {
                throw DaemonStartError(message: "broker.password_file: \(error)", exitCode: 2)
            }
        }
        let tlsKeys = [
            ("broker.ca_file", settings.caFile), ("broker.cert_file", settings.certificateFile),
            ("broker.key_file", settings.keyFile),
        ].filter { $0.1 != nil }.map(\.0)
        if !url.usesTLS, !tlsKeys.isEmpty {
            // The config itself is checked when it is read; this is --broker overriding it.
            throw DaemonStartError(
                message:
                    "\(tlsKeys.joined(separator: ", ")) set in \(configuration.source), but the broker URL is \(url): use mqtts://, or remove the TLS keys",
                exitCode: 2)
        }
        let tls: MQTTConfiguration.TLS? =
            url.usesTLS
            ? MQTTConfiguration.TLS(
                caFile: settings.caFile, certFile: settings.certificateFile, keyFile: settings.keyFile)
            : nil
        let mqttConfiguration = MQTTConfiguration(
            broker: url, clientID: settings.clientID, username: settings.username, password: password, tls: tls,
            protocolVersion: settings.protocolVersion == .v5 ? .v5 : .v311,
            session: .persistent(expiry: settings.sessionExpiry), keepalive: settings.keepAlive,
            subscriptions: configuration.subscriptions.map { MQTTSubscription($0.topic, qos: UInt8($0.qos)) }
                + [MQTTSubscription(catchUp.markerTopic, qos: 1)],
            backoff: .init(minimum: settings.reconnectMinimum, maximum: settings.reconnectMaximum))

        let journal = self.journal
        let buffer = self.buffer
        let figures = self.figures
        let logger = self.logger
        let ownPublications = OwnPublications(topicPrefix: configuration.topicPrefix)
        do {
            return try MQTTClient(
                configuration: mqttConfiguration,
                onMessage: { message in
                    // The hot path, on libmosquitto's thread: make QoS ≥ 1 durable before the
                    // PUBACK leaves (it is sent after this returns), hand on, return. No parsing.
                    let receivedAt = SystemClock.now()
                    if let marker = catchUp.marker(topic: message.topic, payload: message.payload) {
                        // Once per connection: the only log line on this thread.
                        if case .caughtUp = marker { logger.info("MQTT caught up with what the broker queued for us") }
                        return
                    }
                    // Our own alert notices and hourly VN_AQI come back on a `<prefix>/+/+`
                    // subscription: not sensor data, so not journaled either (there they would
                    // also end the resent prefix the redelivery check looks for after a reconnect).
                    if ownPublications.contains(message.topic) {
                        figures.update { $0.ignored += 1 }
                        return
                    }
                    let inCatchUp = catchUp.isCatchingUp
                    var position: InboxPosition?
                    // A message the journal cannot keep (disk full) is not acknowledged: wait here,
                    // so the PUBACK does not leave, and retry until it fits; the broker keeps the
                    // rest for our session meanwhile.
                    while message.qos > 0 && position == nil {
                        do {
                            switch try journal.append(
                                topic: message.topic, payload: message.payload, qos: message.qos,
                                messageID: message.messageID, receivedAt: receivedAt, inCatchUp: inCatchUp)
                            {
                            case .journaled(let journaled): position = journaled
                            case .redelivery:
                                // Already in the journal (replayed or stored): acknowledge only.
                                figures.update { $0.redeliveries += 1 }
                                return
                            }
                            storage.recovered(.inboxJournal)
                        } catch {
                            figures.update { $0.journalErrors += 1 }
                            storage.failed(.inboxJournal, error: "\(error)")
                            if let client = slot.client.withLock({ $0 }), client.isStopping {
                                logger.warning(
                                    "stopping while the inbox journal cannot be written: the message on \(message.topic) stays unacknowledged with the broker"
                                )
                                client.abandonConnection()
                                return
                            }
                            StorageGuard.pause()
                        }
                    }
                    buffer.put(
                        InboxMessage(
                            topic: message.topic, payload: message.payload, qos: message.qos, receivedAt: receivedAt,
                            position: position, messageID: message.messageID, inCatchUp: inCatchUp),
                        bytes: message.topic.utf8.count + message.payload.count + 64)
                },
                onEvent: { event in
                    switch event {
                    case .connectionRefused:
                        logger.error("MQTT \(event); check broker.username and broker.password_file; retrying")
                    case .subscribed(let results):
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
                        } else if let marker = catchUp.markerToSend(
                            randomPart: UInt64.random(in: 1...UInt64(UInt32.max))),
                            let client = slot.client.withLock({ $0 })
                        {
                            do {
                                catchUp.markerPublished(
                                    messageID: try client.publish(topic: catchUp.markerTopic, payload: marker, qos: 1))
                            } catch {
                                catchUp.giveUp()
                                logger.warning("MQTT: cannot publish the catch-up marker: \(error)")
                            }
                        }
                    case .connected(let sessionPresent):
                        journal.beginConnection(sessionResumed: sessionPresent)
                        catchUp.connected(sessionResumed: sessionPresent)
                        logger.info("MQTT \(event)")
                        guard sessionPresent else { break }
                        // The broker kept our session, subscriptions included: we are receiving
                        // now. The SUBACK of the re-subscription can sit behind a long backlog
                        // of queued messages, and READY must not wait for it (systemd's start
                        // timeout would kill a daemon that is busy catching up).
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
                        // Our only publishes are alert notices and the hourly VN_AQI: an ACL that
                        // forbids them drops every MQTT copy silently unless we say so here.
                        let prefix = self.configuration.topicPrefix
                        logger.error(
                            "MQTT \(event); check that the broker's ACL lets \(settings.username ?? "envmond") write \(prefix)/alerts/# and \(prefix)/aqi/#"
                        )
                    default:
                        logger.info("MQTT \(event)")
                    }
                })
        } catch {
            throw DaemonStartError(message: "MQTT client: \(error)", exitCode: 2)
        }
    }
}

/// Hands a reloaded configuration to the ingest thread, which takes it up between batches.
final class PendingConfiguration: @unchecked Sendable {
    // Only `pendingConfiguration`, a Mutex, is touched from other threads.
    private let pipeline: IngestPipeline
    init(pipeline: IngestPipeline) { self.pipeline = pipeline }
    func offer(_ configuration: EnvMonConfiguration) { pipeline.pendingConfiguration.withLock { $0 = configuration } }
}

/// The client, for the message handler that is created before it (it must give up waiting when
/// the client stops).
final class ClientSlot: Sendable {
    let client = Mutex<MQTTClient?>(nil)
}
