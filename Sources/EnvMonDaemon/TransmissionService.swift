internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import EnvMonTransmission
internal import Foundation
internal import Logging
internal import ServiceLifecycle
internal import Synchronization

/// What leaves the box: TT 10/2021 data files made when their interval closes and alert webhooks,
/// through the outbox in the database, one sending thread per target. A thread of its own makes
/// the files, watches the backlog (journal and gauge) and prunes entries past `keep_days`.
final class TransmissionService: Service, @unchecked Sendable {
    private let configuration: EnvMonConfiguration
    private let outbox: any OutboxStore
    private let scheduler: TransmissionScheduler?
    private let senders: [OutboxSender]
    private let journal: AlertJournal
    private let logger: Logger
    let backlog = BacklogFigures()
    private let wakeUp = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    /// Targets whose backlog is older than the alarm, so the journal says it once per episode.
    private var late: Set<String> = []
    private let wallClock: any WallClockSource

    init(
        configuration: EnvMonConfiguration, store: Store, passwords: [String: String],
        wallClock: any WallClockSource, journal: AlertJournal, logger: Logger
    ) {
        self.configuration = configuration
        self.journal = journal
        self.wallClock = wallClock
        self.logger = logger
        outbox = store.outbox
        let now: @Sendable () -> Timestamp = { wallClock.now() }
        let transmission = configuration.transmission
        scheduler =
            transmission.isEnabled
            ? TransmissionScheduler(
                builder: DataFileBuilder(
                    configuration: configuration, queries: store.readings),
                outbox: outbox) : nil
        var senders: [OutboxSender] = []
        if transmission.isEnabled {
            for target in transmission.targets {
                senders.append(
                    OutboxSender(
                        settings: target, password: passwords[target.id], delivery: .upload, outbox: outbox,
                        logger: logger, now: now))
            }
        }
        for webhook in configuration.webhooks {
            senders.append(
                OutboxSender(
                    settings: webhook.target, password: passwords[webhook.id],
                    delivery: .post(
                        contentType: webhook.contentType, headers: webhook.headers,
                        maximumAttempts: webhook.maximumAttempts, maximumAge: webhook.maximumAge),
                    outbox: outbox, logger: logger, now: now))
        }
        self.senders = senders
    }

    var isNeeded: Bool { !senders.isEmpty }

    /// The webhook side for the alert service: queues each notice for the webhooks that take it.
    func webhookQueue() -> WebhookQueue? {
        configuration.webhooks.isEmpty
            ? nil
            : WebhookQueue(
                webhooks: configuration.webhooks, outbox: outbox, logger: logger,
                wake: { [senders] target in senders.first { $0.settings.id == target }?.wake() })
    }

    func run() async throws {
        for sender in senders { sender.start() }
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    loop()
                    continuation.resume()
                }
                thread.name = "envmon-transmit"
                thread.start()
            }
        } onGracefulShutdown: { [self] in
            stopped.store(true, ordering: .relaxed)
            wakeUp.signal()
            for sender in senders { sender.stop() }
        }
    }

    private func loop() {
        var nextCheck = ContinuousClock.now
        var nextPrune = ContinuousClock.now
        while !stopped.load(ordering: .relaxed) {
            let now = wallClock.now()
            if let scheduler {
                do {
                    if try scheduler.makeDue(now: now) > 0 { for sender in senders { sender.wake() } }
                } catch {
                    logger.error("cannot make the TT 10/2021 data files: \(error); retrying")
                }
            }
            if ContinuousClock.now >= nextCheck {
                checkBacklog(now: now)
                nextCheck = ContinuousClock.now.advanced(by: .seconds(5))
            }
            if ContinuousClock.now >= nextPrune {
                let keep = Int64(configuration.transmission.keepDays) * 86_400_000
                if let pruned = try? outbox.prune(before: now.adding(milliseconds: -keep)), pruned > 0 {
                    logger.info(
                        "outbox: \(pruned) entries older than \(configuration.transmission.keepDays) days removed")
                }
                nextPrune = ContinuousClock.now.advanced(by: .seconds(3600))
            }
            _ = wakeUp.wait(timeout: .now() + .seconds(1))
        }
    }

    /// The journal says when a target's oldest unsent entry is older than the alarm, and again
    /// when it is delivered; the gauge always has the age.
    private func checkBacklog(now: Timestamp) {
        guard let statuses = try? outbox.status() else { return }
        let alarm = configuration.transmission.backlogAlarm.wholeMilliseconds
        var figures: [String: (count: Int, seconds: Double)] = [:]
        for status in statuses {
            let age = status.oldestPendingAt.map { Double(now.milliseconds - $0.milliseconds) / 1000 } ?? 0
            figures[status.target] = (status.backlog, age)
            let isLate = age * 1000 > Double(alarm)
            if isLate, !late.contains(status.target) {
                late.insert(status.target)
                journal.emit(
                    """
                    transmission to \(status.target) is behind: \(status.backlog) waiting, the oldest for \(Int(age)) s \
                    (limit \(alarm / 1000) s); last error: \(status.lastError ?? "none"). Nothing is lost: the outbox keeps them
                    """, priority: 4,
                    fields: [("ENVMON_TARGET", status.target), ("ENVMON_BACKLOG", String(status.backlog))])
            } else if !isLate, late.contains(status.target) {
                late.remove(status.target)
                journal.emit(
                    "transmission to \(status.target) caught up (\(status.backlog) waiting)", priority: 5,
                    fields: [("ENVMON_TARGET", status.target), ("ENVMON_BACKLOG", String(status.backlog))])
            }
        }
        backlog.set(figures)
    }
}

/// Each target's backlog, for the Prometheus endpoint.
final class BacklogFigures: Sendable {
    private let figures = Mutex<[String: (count: Int, seconds: Double)]>([:])
    func set(_ values: [String: (count: Int, seconds: Double)]) { figures.withLock { $0 = values } }
    var snapshot: [String: (count: Int, seconds: Double)] { figures.withLock { $0 } }
}
