internal import EnvMonConfig
internal import Logging
internal import ServiceLifecycle
internal import Synchronization
internal import UnixSignals

/// SIGHUP reloads sensors, QC bounds and alert rules from the config file, atomically: a broken
/// file is rejected with the reason logged and the running config stays. The broker connection
/// and alert states are kept; broker and subscription changes need a restart (logged).
final class ReloadService: Service, Sendable {
    private let configPath: String
    private let overrides: DaemonOptions
    private let current: Mutex<EnvMonConfiguration>
    private let apply: @Sendable (EnvMonConfiguration) -> Void
    private let logger: Logger
    /// The signals that mean "reload" (SIGHUP for envmond; none for a daemon held in a test).
    private let signals: [UnixSignal]

    init(
        configPath: String, overrides: DaemonOptions, initial: EnvMonConfiguration, signals: [UnixSignal],
        logger: Logger, apply: @escaping @Sendable (EnvMonConfiguration) -> Void
    ) {
        self.signals = signals
        self.configPath = configPath
        self.overrides = overrides
        self.current = Mutex(initial)
        self.logger = logger
        self.apply = apply
    }

    func run() async throws {
        guard !signals.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        let sequence = await UnixSignalsSequence(trapping: signals)
        await cancelWhenGracefulShutdown {
            for await _ in sequence { self.reload() }
        }
    }

    func reload() {
        var next: EnvMonConfiguration
        do {
            next = try EnvMonConfiguration.load(path: configPath)
        } catch {
            logger.error("reload rejected, keeping the running configuration: \(configPath):\n\(error)")
            return
        }
        if let broker = overrides.brokerURL { next.broker.url = broker }
        if let database = overrides.databasePath { next.daemon.database = database }
        let previous = current.withLock { $0 }
        if next.broker != previous.broker || next.subscriptions != previous.subscriptions
            || next.daemon.database != previous.daemon.database
        {
            logger.warning("broker, subscription and database changes take effect at the next restart")
            next.broker = previous.broker
            next.subscriptions = previous.subscriptions
            next.daemon.database = previous.daemon.database
        }
        current.withLock { $0 = next }
        apply(next)
        logger.info(
            "configuration reloaded",
            metadata: ["config": "\(configPath)", "sensors": "\(next.sensors.count)"])
    }
}
