import EnvMonConfig
import EnvMonCore
import EnvMonDaemon
import Foundation
import Logging
import Synchronization
import TestSupport

/// The whole daemon (MQTT, inbox journal, ingest, alerts, health, reload) held in the test's own
/// process, against the harness's real broker and real database, with a wall clock the test can
/// step, and stopped as SIGTERM stops envmond. For the tests that need no process boundary; kill -9
/// and signal tests run the binary (`DaemonHarness.start`).
final class InProcessDaemon: Sendable {
    let log = CapturedLog()
    let wallClock: SteppedWallClock
    private let runtime: DaemonRuntime
    private let running: Task<Void, any Error>

    /// Starts the daemon on `harness`'s config, broker and database; returns once it is
    /// subscribed (or connected to a session the broker kept). Its log lines and alert journal
    /// lines go to `log`; the alert entries with their fields also to `journalSocket` if given.
    init(
        harness: DaemonHarness, wallClock: SteppedWallClock = SteppedWallClock(),
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]), journalSocket: String? = nil
    ) async throws {
        var configuration = try EnvMonConfiguration.load(path: harness.configPath)
        configuration.broker.url = harness.brokerURL
        configuration.daemon.database = harness.databasePath
        let log = self.log
        var logger = Logger(label: "envmond") { _ in CapturingLogHandler(log: log) }
        logger.logLevel = Logger.Level(rawValue: configuration.daemon.logLevel) ?? .info
        self.wallClock = wallClock
        let runtime = try DaemonRuntime(
            configuration: configuration,
            options: DaemonOptions(
                configPath: harness.configPath, brokerURL: harness.brokerURL, databasePath: harness.databasePath),
            logger: logger,
            environment: DaemonEnvironment(
                wallClock: wallClock, notifier: notifier, shutdownSignals: [], reloadSignals: [],
                alertJournal: AlertJournal(nativeSocket: journalSocket, underJournal: false) { log.append($0) }))
        self.runtime = runtime
        running = Task { try await runtime.run() }
        let running = self.running
        let finished = Atomic(false)
        Task {
            _ = await running.result
            finished.store(true, ordering: .releasing)
        }
        try await waitUntil("envmond subscribed", timeout: .seconds(20)) {
            log.contains("MQTT subscribed") || log.contains("session resumed") || finished.load(ordering: .acquiring)
        }
        if finished.load(ordering: .acquiring) {
            try await running.value
            throw HarnessError("envmond stopped by itself: \(log.text)")
        }
    }

    /// A test that failed before `stop()` leaves no daemon running in the test process.
    deinit {
        let runtime = self.runtime
        Task { await runtime.shutdown() }
    }

    /// Reloads the config file, as SIGHUP does.
    func reload() { runtime.reload() }

    /// Stops as SIGTERM does and waits for the drain; rethrows what ended the daemon.
    func stop() async throws {
        await runtime.shutdown()
        try await running.value
    }
}

/// The system clock plus an offset the test sets, as if NTP or an administrator stepped it.
final class SteppedWallClock: WallClockSource {
    private let offset = Atomic<Int64>(0)

    init(offsetMilliseconds: Int64 = 0) { offset.store(offsetMilliseconds, ordering: .relaxed) }

    func now() -> Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000) + offset.load(ordering: .relaxed))
    }

    func set(offsetMilliseconds: Int64) { offset.store(offsetMilliseconds, ordering: .relaxed) }
}

/// Every line a daemon held in the test logged, as its journal would show it.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func contains(_ part: String) -> Bool { lines.withLock { $0.contains { $0.contains(part) } } }

    /// Lines that contain `part`.
    func count(_ part: String) -> Int { lines.withLock { $0.filter { $0.contains(part) }.count } }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (metadata.merging(event.metadata ?? [:]) { $1 }).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }
        log.append(([event.level.rawValue, "\(event.message)"] + fields).joined(separator: " "))
    }
}
