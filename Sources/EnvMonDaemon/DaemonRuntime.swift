package import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
package import Logging
internal import MQTT
internal import ServiceLifecycle
internal import Synchronization

/// One running daemon: its services, built at init with what each needs, and the order in which
/// they start and stop. `run` runs them until SIGTERM/SIGINT (or `shutdown()`); a test can hold
/// the whole daemon in its own process, with its own clocks, against a real broker and database.
package final class DaemonRuntime: Sendable {
    let configuration: EnvMonConfiguration
    let logger: Logger
    let figures = IngestFigures()
    let journal: InboxJournal
    private let store: Store
    private let group: ServiceGroup
    private let reloadService: ReloadService

    package init(
        configuration: EnvMonConfiguration, options: DaemonOptions, logger: Logger,
        environment: DaemonEnvironment, clock: some Clock<Duration> = ContinuousClock()
    ) throws {
        self.configuration = configuration
        self.logger = logger
        let wallClock = environment.wallClock
        let store: Store
        do {
            let location = try StoreLocation(configuration.daemon.database)
            // A SQLite file's directory is made if missing; a server's database is the DBA's.
            if let path = location.sqlitePath {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty {
                    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                }
            }
            store = try Store.open(location, for: .ingest)
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
        let buffer = HandOffBuffer<InboxMessage>(
            capacity: configuration.ingest.handoffCapacity, byteCapacity: configuration.ingest.handoffBytes)
        self.store = store
        let catchUp = CatchUpTracker(topicPrefix: configuration.topicPrefix, clientID: configuration.broker.clientID)
        let client = try Self.makeClient(configuration, catchUp: catchUp)
        let publisher = AlertPublisher(client: client)
        let transmission = TransmissionService(
            configuration: configuration, store: store, passwords: try Self.transmissionPasswords(configuration),
            wallClock: wallClock, journal: environment.alertJournal, logger: logger)
        let alerts = try AlertService(
            configuration: configuration, store: store, publisher: publisher, webhooks: transmission.webhookQueue(),
            logger: logger, now: wallClock.now(), journal: environment.alertJournal,
            collector: configuration.broker.clientID)
        let storage = StorageGuard(
            topicPrefix: configuration.topicPrefix, publisher: publisher, wallClock: wallClock,
            journal: environment.alertJournal)
        let configurationUpdates = ConfigurationMailbox()
        // Collectors sharing one PostgreSQL database each record their own journal position.
        let pipeline = try IngestPipeline(
            configuration: configuration, store: store,
            writer: try store.makeReadingWriter(collector: configuration.broker.clientID), journal: journal,
            figures: figures,
            services: .init(
                alerts: alerts,
                hourlyAQI: HourlyAQIRecorder(
                    configuration: configuration, store: store, publisher: publisher, logger: logger),
                storage: storage, configurationUpdates: configurationUpdates),
            wallClock: wallClock, clock: clock, logger: logger)

        let gauge = alerts.activeGauge
        let health = HealthService(
            notifier: environment.notifier, figures: figures, heartbeat: pipeline.heartbeat, clock: clock,
            logger: logger, statusExtras: { "\(gauge.count) alert\(gauge.count == 1 ? "" : "s") firing" })
        let replayed = OneTimeSignal()
        let receiver = MessageReceiver(
            journal: journal, buffer: buffer, figures: figures, storage: storage, catchUp: catchUp,
            ownPublications: OwnPublications(topicPrefix: configuration.topicPrefix), client: client,
            wallClock: wallClock, logger: logger)
        let events = MQTTEventHandler(
            client: client, journal: journal, catchUp: catchUp, health: health, configuration: configuration,
            logger: logger)
        reloadService = ReloadService(
            configPath: options.configPath, overrides: options, initial: configuration,
            signals: environment.reloadSignals, logger: logger
        ) { next in configurationUpdates.offer(next) }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if transmission.isNeeded { services.append(.init(service: transmission)) }
        if let listen = configuration.daemon.metricsListen {
            let exporter = MetricsExporter(
                figures: figures, buffer: buffer, journal: journal, databasePath: configuration.daemon.database,
                alerts: gauge, backlog: transmission.backlog, connected: { client.isConnected })
            services.append(.init(service: MetricsService(listen: listen, exporter: exporter, logger: logger)))
        }
        group = ServiceGroup(
            configuration: .init(
                services: services + [
                    // Shut down in reverse order: MQTT stops delivering first, then the ingest
                    // drains what was handed off and commits it.
                    .init(
                        service: IngestThreadService(
                            pipeline: pipeline, buffer: buffer, replayed: replayed, logger: logger)),
                    .init(service: MQTTService(client: client, receiver: receiver, events: events, replayed: replayed)),
                    .init(service: reloadService),
                    // Stops first, so STOPPING=1 reaches systemd before the flush.
                    .init(service: health),
                ],
                gracefulShutdownSignals: environment.shutdownSignals,
                logger: logger))
    }

    package func run() async throws {
        logger.info(
            "envmond started",
            metadata: [
                "config": "\(configuration.source)", "db": "\(configuration.daemon.database)",
                "broker": "\(configuration.broker.url)", "sensors": "\(configuration.sensors.count)",
            ])
        defer { store.close() }
        try await group.run()
        try? journal.flush()
        let final = figures.snapshot
        logger.info(
            "envmond stopped",
            metadata: ["readings.stored": "\(final.readingsStored)", "rejects": "\(final.rejects)"])
    }

    /// Stops as SIGTERM does: MQTT first, then the ingest drains and commits what it was handed.
    package func shutdown() async { await group.triggerGracefulShutdown() }

    /// Reloads the config file as SIGHUP does.
    package func reload() { reloadService.reload() }

    /// The passwords of transmission targets and webhooks, read from their files at start.
    private static func transmissionPasswords(_ configuration: EnvMonConfiguration) throws -> [String: String] {
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

    private static func makeClient(
        _ configuration: EnvMonConfiguration, catchUp: CatchUpTracker
    ) throws -> MQTTClient {
        let settings = configuration.broker
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

        do {
            return try MQTTClient(configuration: mqttConfiguration)
        } catch {
            throw DaemonStartError(message: "MQTT client: \(error)", exitCode: 2)
        }
    }
}
