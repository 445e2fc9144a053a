internal import EnvMonStore
internal import Foundation
internal import Logging
internal import ServiceLifecycle
internal import Synchronization

/// Tells systemd how the daemon is doing: `READY=1` once the store is migrated, the journal
/// replayed and the subscriptions granted; `STATUS=` with live rates; `WATCHDOG=1` only while
/// the ingest loop makes progress; `STOPPING=1` when shutdown begins.
final class HealthService<MonotonicClock: Clock<Duration>>: Service, SubscriptionObserver, Sendable {
    private let notifier: SystemdNotifier
    private let figures: IngestFigures
    private let heartbeat: IngestHeartbeat
    private let subscribed: Atomic<Bool>
    private let logger: Logger
    /// Extra status text (e.g. alerts firing), provided by whoever knows it.
    private let statusExtras: @Sendable () -> String?
    /// Paces the pings and status lines.
    private let clock: MonotonicClock

    init(
        notifier: SystemdNotifier, figures: IngestFigures, heartbeat: IngestHeartbeat, clock: MonotonicClock,
        logger: Logger, statusExtras: @escaping @Sendable () -> String? = { nil }
    ) {
        self.clock = clock
        self.notifier = notifier
        self.figures = figures
        self.heartbeat = heartbeat
        self.subscribed = Atomic(false)
        self.logger = logger
        self.statusExtras = statusExtras
    }

    /// Called from the MQTT event handler when every subscription was granted.
    func markSubscribed() { subscribed.store(true, ordering: .releasing) }

    func run() async throws {
        let period = notifier.watchdogInterval.map { $0 / 2 } ?? .seconds(5)
        let tick = min(period, .seconds(1))
        await cancelWhenGracefulShutdown {
            var ready = false
            var justReady = false
            var lastBeat = self.heartbeat.count
            var lastPing = self.clock.now
            var lastStatus = self.clock.now
            var lastStored = self.figures.snapshot.readingsStored
            var lastRejects = self.figures.snapshot.rejects
            while !Task.isCancelled {
                if !ready, self.subscribed.load(ordering: .acquiring) {
                    ready = true
                    justReady = true
                    self.notifier.notify("READY=1")
                    self.logger.info("ready: database migrated, inbox replayed, subscriptions granted")
                }
                let now = self.clock.now
                if self.notifier.watchdogInterval != nil, lastPing.duration(to: now) >= period {
                    let beat = self.heartbeat.count
                    if beat != lastBeat {
                        self.notifier.notify("WATCHDOG=1")
                        lastBeat = beat
                    } else {
                        self.logger.warning(
                            "ingest loop made no progress for \(lastPing.duration(to: now)); not feeding the watchdog")
                    }
                    lastPing = now
                }
                if ready, lastStatus.duration(to: now) >= .seconds(10) || justReady {
                    justReady = false
                    let snapshot = self.figures.snapshot
                    let seconds = Double(lastStatus.duration(to: now).components.seconds)
                    let rate =
                        seconds < 1 ? 0 : Int((Double(snapshot.readingsStored - lastStored) * 60 / seconds).rounded())
                    var status = "STATUS=\(rate.formatted()) readings/min, \(snapshot.rejects - lastRejects) rejects"
                    if let extras = self.statusExtras() { status += ", \(extras)" }
                    self.notifier.notify(status)
                    lastStored = snapshot.readingsStored
                    lastRejects = snapshot.rejects
                    lastStatus = now
                }
                try? await self.clock.sleep(for: tick)
            }
        }
        notifier.notify("STOPPING=1")
    }
}
