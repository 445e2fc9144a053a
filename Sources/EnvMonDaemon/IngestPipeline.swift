internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Foundation
internal import Logging
internal import Synchronization

/// Drains the hand-off in batches and stores each batch in one transaction; the transaction also
/// records the inbox position consumed, so replay after a crash resumes exactly there.
final class IngestPipeline<MonotonicClock: Clock<Duration>> {
    private var processor: MessageProcessor
    private let writer: any ReadingWriter
    private let journal: InboxJournal
    private let figures: IngestFigures
    private let logger: Logger
    /// Observes what each batch newly stored, and ticks on the timer.
    private let alerts: AlertService
    /// Records and publishes each closed hour's VN_AQI, on the alert timer.
    private let hourlyAQI: HourlyAQIRecorder
    /// Operators' maintenance windows: stamped on readings, held alerts, announced.
    private let maintenance: MaintenanceService
    /// Told when the database cannot be written and when it can again.
    private let storage: StorageGuard
    /// Reloaded configurations (SIGHUP), taken up between batches.
    private let configurationUpdates: ConfigurationMailbox
    /// The time of statistics, retention, alerts and maintenance.
    private let wallClock: any WallClockSource
    /// The timers between batches (statistics, retention, alert ticks) and batch durations.
    private let clock: MonotonicClock
    /// Set while the loop runs: a batch that cannot be stored is retried until the buffer closes.
    private var buffer: HandOffBuffer<InboxMessage>?
    /// Fed on every turn of the loop, for the systemd watchdog.
    let heartbeat = IngestHeartbeat()
    /// Why the loop stopped early, if it did: the daemon then exits 1 so systemd restarts it.
    let failure = Mutex<(any Error)?>(nil)
    /// Where a batch's write runs while the next batch is decoded (see `ingest`).
    private let writerQueue = DispatchQueue(label: "envmon-writer")
    /// The batch being written, if one is: finished (journal, figures, alerts) before the next
    /// write starts and before anything else touches the writer or the alerts.
    private var pending: PendingBatch?

    private struct PendingBatch {
        var write: BatchWriteInFlight
        var batch: IngestBatch
        var messages: Int
        var tally: MessageProcessor.Tally
        var arrivedAt: Timestamp
        /// Decoding and checking it, before its write started.
        var processing: Duration
    }

    struct Services {
        var alerts: AlertService
        var hourlyAQI: HourlyAQIRecorder
        var storage: StorageGuard
        var configurationUpdates: ConfigurationMailbox
    }

    init(
        configuration: EnvMonConfiguration, store: Store, writer: any ReadingWriter, journal: InboxJournal,
        figures: IngestFigures, services: Services, wallClock: any WallClockSource, clock: MonotonicClock,
        logger: Logger
    ) throws {
        self.processor = MessageProcessor(configuration: configuration)
        processor.rememberStoredSensors(writer.storedSensorIDs)
        processor.resume(newest: try writer.newestTimes(), delivery: try writer.sensorDelivery())
        writer.rejectBudget = RejectBudget(configuration)
        self.writer = writer
        self.journal = journal
        self.figures = figures
        self.logger = logger
        self.alerts = services.alerts
        self.hourlyAQI = services.hourlyAQI
        self.storage = services.storage
        self.configurationUpdates = services.configurationUpdates
        self.wallClock = wallClock
        self.clock = clock
        maintenance = MaintenanceService(store: store.maintenance, logger: logger)
        let now = wallClock.now()
        try maintenance.reload(now: now, lookBack: configuration.ingest.maximumAge)
        processor.maintenance = maintenance.schedule
        alerts.applyMaintenance(open: maintenance.openWindows(at: now), events: [], now: now)
    }

    /// Re-ingests journal records the last run received but did not commit.
    func replayJournal() throws {
        let position = try writer.inboxPosition()
        var pending: [InboxMessage] = []
        let batchSize = processor.configuration.ingest.batchSize
        let report: InboxJournal.ReplayReport
        do {
            report = try journal.replay(after: position) { message in
                pending.append(message)
                if pending.count >= batchSize {
                    try ingest(pending, at: wallClock.now(), overlapping: true)
                    pending.removeAll(keepingCapacity: true)
                    // A long replay is progress: the watchdog keeps being fed.
                    heartbeat.beat()
                }
            }
            if !pending.isEmpty { try ingest(pending, at: wallClock.now(), overlapping: false) }
            try finishPendingWrite()
        } catch {
            abandonPendingWrite()
            throw error
        }
        figures.update { $0.replayed += report.replayed }
        for damage in report.damaged {
            logger.warning(
                """
                inbox journal segment \(damage.segment) is damaged at byte \(damage.offset) (\(damage.reason)); \
                \(damage.skipped) bytes skipped to the next intact record; every intact record was replayed
                """)
        }
        logger.info(
            "inbox journal replayed",
            metadata: ["inbox.records": "\(report.replayed)", "inbox.damaged_segments": "\(report.damaged.count)"])
    }

    /// Runs until the buffer is closed and drained. Blocks the calling thread. Between batches
    /// (at least once a second) it does the housekeeping that must not race the writer: the
    /// statistics snapshot, retention, the hourly VN_AQI, and the journal's once-a-second sync.
    func run(buffer: HandOffBuffer<InboxMessage>) {
        self.buffer = buffer
        let settings = processor.configuration.ingest
        var nextSnapshot = clock.now
        var nextRetention = clock.now
        var nextAlertTick = clock.now
        var clockSteps = ClockStepDetector(wallTime: wallClock.now(), clock: clock)
        while let messages = buffer.take(batchSize: settings.batchSize, maximumWait: settings.flushInterval) {
            heartbeat.beat()
            // One look at the wall clock per turn, for the step check and everything timed in the
            // turn: a step that lands between the check and the alert tick would otherwise reach
            // the no_data timers unannounced, and fire them (found by the in-process test).
            let wallTime = wallClock.now()
            do {
                // What follows touches the writer or the alerts: the batch in flight ends first.
                if let next = configurationUpdates.take() {
                    try finishPendingWrite()
                    processor.reconfigure(next)
                    writer.rejectBudget = RejectBudget(next)
                    alerts.reconfigure(next, now: wallTime)
                    hourlyAQI.reconfigure(next)
                }
                if let step = clockSteps.check(wallTime: wallTime) {
                    try finishPendingWrite()
                    logger.warning(
                        """
                        system clock stepped by \(String(format: "%+.1f", Double(step) / 1000)) s; no_data timers \
                        moved with it; readings that carry their own time are judged against the new clock
                        """)
                    alerts.clockStepped(by: step)
                }
                if messages.isEmpty {
                    try finishPendingWrite()
                } else {
                    // Overlapped only while more is waiting once it is decoded: at a quiet rate
                    // each batch is finished (its alerts observed) before the loop waits again.
                    try self.ingest(messages, at: wallTime, overlapping: buffer.statistics.depth > 0)
                }
                let now = clock.now
                if now >= nextAlertTick || now >= nextSnapshot || now >= nextRetention { try finishPendingWrite() }
                if now >= nextAlertTick {
                    applyMaintenance(at: wallTime)
                    alerts.tick(now: wallTime)
                    hourlyAQI.tick(now: wallTime)
                    nextAlertTick = now.advanced(by: processor.configuration.alerting.evaluationInterval)
                }
                if now >= nextSnapshot, !storage.isFailing {
                    try? journal.flush()
                    recordStatistics(buffer: buffer)
                    applyReplayRequests()
                    nextSnapshot = now.advanced(by: processor.configuration.daemon.statisticsInterval)
                }
                if now >= nextRetention {
                    applyRetention()
                    nextRetention = now.advanced(by: .seconds(3600))
                }
            } catch {
                // The messages stay in the inbox journal, so a restart replays them; carrying on
                // would move the consumed offset past them with the next batch.
                abandonPendingWrite()
                logger.critical("cannot store a batch of \(messages.count) messages: \(error); stopping the ingest")
                failure.withLock { $0 = error }
                buffer.close()
                return
            }
        }
        do {
            try finishPendingWrite()
        } catch {
            logger.critical("cannot store the last batch: \(error); it stays in the inbox journal")
            failure.withLock { $0 = error }
            return
        }
        // Drained and stopping cleanly: other collectors may take this one's sensors at once.
        alerts.stop()
    }

    /// Writes the batch; when the disk (or the database's quota) is full, or the database server
    /// cannot be reached (down, restarting, the connection cut), keeps the batch and tries again
    /// every half second, feeding the watchdog, until it is stored or the daemon stops. (The
    /// store spaces its reconnection attempts out by itself.) Meanwhile the hand-off fills and
    /// the MQTT thread stops acknowledging, so the broker keeps what we cannot. Other errors end
    /// the ingest as before.
    private func write(_ batch: IngestBatch) throws -> BatchOutcome {
        var unreachableSince: MonotonicClock.Instant?
        while true {
            do {
                let outcome = try writer.write(batch)
                if let unreachableSince {
                    let seconds = Double(unreachableSince.duration(to: clock.now).wholeMilliseconds) / 1000
                    logger.notice(
                        "the database is reachable again after \(String(format: "%.1f", seconds)) s; the kept batch is stored, ingest resumed"
                    )
                }
                storage.recovered(.database)
                return outcome
            } catch  where Store.isOutOfSpace(error) {
                storage.failed(.database, error: "\(error)")
                heartbeat.beat()
                if buffer?.isClosed ?? true { throw error }
                StorageGuard.pause()
            } catch  where Store.isTransient(error) {
                if unreachableSince == nil {
                    unreachableSince = clock.now
                    logger.critical(
                        """
                        the database is unreachable: \(error); keeping the batch of \(batch.readings.count) readings \
                        (in the inbox journal) and retrying until it is back; new messages are not acknowledged \
                        once the hand-off is full (the broker keeps them)
                        """)
                }
                storage.failed(.database, error: "\(error)")
                heartbeat.beat()
                if buffer?.isClosed ?? true { throw error }
                StorageGuard.pause()
            }
        }
    }

    /// Maintenance requests, and the windows' starts and ends, between batches.
    private func applyMaintenance(at now: Timestamp) {
        let events = maintenance.tick(
            now: now, configuration: processor.configuration, knownSensors: writer.storedSensorIDs)
        processor.maintenance = maintenance.schedule
        alerts.applyMaintenance(open: maintenance.openWindows(at: now), events: events, now: now)
    }

    /// Carries out `envmon rejects replay` requests: the rejected messages go through the current
    /// config again; what now decodes is stored once (a reading already there counts as already
    /// present), its reject rows go; what is still refused stays. Replayed readings are history:
    /// they are not fed to the alert engine.
    private func applyReplayRequests() {
        let requests: [RejectReplayRequest]
        do {
            requests = try writer.pendingReplayRequests()
        } catch {
            logger.warning("cannot read rejects replay requests: \(error)")
            return
        }
        for request in requests {
            do {
                let messages = try writer.replayableMessages(for: request)
                let (batch, replayed) = processor.replay(messages)
                var storedKeys: Set<MessageProcessor.ReadingKey> = []
                if !request.dryRun, !batch.readings.isEmpty {
                    let outcome = try writer.write(batch)
                    storedKeys = Set(
                        outcome.stored.map { .init(series: $0.series, milliseconds: $0.timestamp.milliseconds) })
                    figures.update { $0.readingsStored += outcome.stored.count }
                }
                var results: [RejectReason: ReplayCounts] = [:]
                var resolved: [Int64] = []
                // A reading stored by the replay counts for the first message that carries it;
                // a later copy of the same message found it present.
                var unclaimed = storedKeys
                for (message, outcome) in zip(messages, replayed) {
                    // Judged by the refusal the reject row is about: a message whose other
                    // parts are refused for other reasons keeps those rows, not this one.
                    var counts = results[message.reason, default: ReplayCounts()]
                    if outcome.reasons.contains(message.reason) {
                        counts.stillRefused += 1
                    } else if request.dryRun || !unclaimed.isDisjoint(with: outcome.keys) {
                        unclaimed.subtract(outcome.keys)
                        counts.stored += 1
                        resolved += message.rowIDs
                    } else {
                        counts.alreadyPresent += 1
                        resolved += message.rowIDs
                    }
                    results[message.reason] = counts
                }
                try writer.finishReplay(
                    request, results: results, resolvedRows: request.dryRun ? [] : resolved,
                    detail: request.dryRun ? "dry run: what now decodes, nothing stored" : nil, at: wallClock.now())
                let summary = results.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                    "\($0.key.rawValue): \($0.value.stored) stored, \($0.value.stillRefused) still refused, \($0.value.alreadyPresent) already present"
                }.joined(separator: "; ")
                logger.info(
                    "rejects replay \(request.id)\(request.dryRun ? " (dry run)" : ""): \(messages.count) messages; \(summary.isEmpty ? "nothing to replay" : summary)"
                )
            } catch {
                logger.error("rejects replay \(request.id) failed: \(error); the rejects are kept")
            }
        }
    }

    /// Tells readers of the figures (`envmon rejects replay`) that nobody is carrying out requests.
    func recordStopped() {
        try? writer.recordDaemonStatistics(["running": 0], at: wallClock.now())
    }

    private func recordStatistics(buffer: HandOffBuffer<InboxMessage>) {
        let figures = figures.snapshot
        let handoff = buffer.statistics
        let values: [String: Double] = [
            "messages_received": Double(figures.messages), "readings_stored": Double(figures.readingsStored),
            "duplicates": Double(figures.duplicates), "rejects": Double(figures.rejects),
            "qc_revisions": Double(figures.revisions), "batches": Double(figures.batches),
            "last_batch_ms": figures.lastBatchMilliseconds, "max_batch_ms": figures.maximumBatchMilliseconds,
            "replayed": Double(figures.replayed), "journal_errors": Double(figures.journalErrors),
            "handoff_depth": Double(handoff.depth), "handoff_high_water": Double(handoff.highWater),
            "handoff_capacity": Double(buffer.capacityLimit), "handoff_blocked": Double(handoff.blockedCount),
            "handoff_blocked_seconds": handoff.blockedSeconds, "inbox_bytes": Double(journal.diskBytes()),
            "ignored": Double(figures.ignored), "running": 1, "redeliveries": Double(figures.redeliveries),
            "sequence_duplicates": Double(figures.sequenceDuplicates),
        ]
        do {
            try writer.recordDaemonStatistics(values, at: wallClock.now())
        } catch {
            logger.warning("cannot save the statistics snapshot: \(error)")
        }
    }

    private func applyRetention() {
        let settings = processor.configuration.retention
        let policy = RetentionPolicy(
            rawDays: settings.rawDays, minuteDays: settings.minuteDays, hourDays: settings.hourDays,
            dayDays: settings.dayDays, rejectDays: settings.rejectDays)
        do {
            let outcome = try writer.applyRetention(policy, now: wallClock.now())
            if !outcome.droppedPartitions.isEmpty || outcome.deletedRollupRows > 0 || outcome.deletedAQIRows > 0
                || outcome.deletedRejects > 0
            {
                logger.info(
                    "retention applied",
                    metadata: [
                        "retention.dropped_partitions": "\(outcome.droppedPartitions.joined(separator: ","))",
                        "retention.rollup_rows": "\(outcome.deletedRollupRows)",
                        "retention.aqi_rows": "\(outcome.deletedAQIRows)",
                        "retention.rejects": "\(outcome.deletedRejects)",
                    ])
            }
        } catch {
            logger.error("retention failed: \(error)")
        }
    }

    /// Stores one batch; what it newly stored is observed by the alerts as arrived at `now`.
    /// Decoding and checking it happen here; its write starts on the writer queue once the batch
    /// before it is finished. `overlapping`: returns with the write under way (the caller then
    /// decodes the next batch meanwhile, and must `finishPendingWrite` before anything else uses
    /// the writer or the alerts); otherwise returns once the batch is finished. Asked once the
    /// batch is decoded.
    ///
    /// Nothing of the delivery promise moves: the batches commit one after the other, in order,
    /// each with its inbox position; the journal is discarded only behind a committed batch; the
    /// QC and sequence state the next batch is checked against is the processor's, not the store's.
    private func ingest(
        _ messages: [InboxMessage], at now: Timestamp, overlapping: @autoclosure () -> Bool
    ) throws {
        let started = clock.now
        var tally = MessageProcessor.Tally()
        let batch = processor.process(messages, tally: &tally)
        let processing = started.duration(to: clock.now)
        try finishPendingWrite()
        let write = BatchWriteInFlight { [self] in
            let begun = clock.now
            let outcome = try self.write(batch)
            return .init(outcome: outcome, duration: begun.duration(to: clock.now))
        }
        write.start(on: writerQueue)
        pending = PendingBatch(
            write: write, batch: batch, messages: messages.count, tally: tally, arrivedAt: now, processing: processing)
        if !overlapping() { try finishPendingWrite() }
    }

    /// Waits for the batch in flight, if any, and finishes it: the journal behind it discarded,
    /// the figures counted, what it stored observed by the alerts.
    private func finishPendingWrite() throws {
        guard let finished = pending else { return }
        pending = nil
        let written = try finished.write.wait()
        let (outcome, batch, tally, now) = (written.outcome, finished.batch, finished.tally, finished.arrivedAt)
        // Its own work: decoding, checking and writing it, not the wait while the next was decoded.
        let elapsed = finished.processing + written.duration
        if let position = batch.inboxPosition { journal.discard(before: position) }
        let milliseconds = Double(elapsed.wholeMilliseconds)
        var flagged: [String: Int] = [:]
        for reading in outcome.stored where !reading.flaggedBy.isEmpty {
            for name in reading.flaggedBy.names { flagged[name, default: 0] += 1 }
        }
        figures.update {
            for reject in batch.rejects { $0.rejectsByReason[reject.reason.rawValue, default: 0] += 1 }
            for (name, count) in flagged { $0.flaggedByTest[name, default: 0] += count }
            // Bounded: the metrics endpoint drains it; without a scraper only the latest are kept.
            if $0.batchSeconds.count < 10_000 {
                $0.batchSeconds.append(
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            $0.messages += tally.messages
            $0.ignored += tally.ignored
            $0.sequenceDuplicates += tally.sequenceDuplicates
            $0.readingsStored += outcome.stored.count
            $0.duplicates += outcome.duplicates
            $0.rejects += outcome.rejects
            $0.revisions += batch.revisions.count
            $0.batches += 1
            $0.lastBatchMilliseconds = milliseconds
            $0.maximumBatchMilliseconds = max($0.maximumBatchMilliseconds, milliseconds)
        }
        logger.debug(
            "batch stored",
            metadata: [
                "batch.messages": "\(finished.messages)", "batch.stored": "\(outcome.stored.count)",
                "batch.duplicates": "\(outcome.duplicates)", "batch.rejects": "\(outcome.rejects)",
                "batch.ms": "\(milliseconds)",
            ])
        alerts.observe(outcome.stored, sites: batch.sites, now: now)
    }

    /// Waits for the batch in flight to end and drops it (the ingest is stopping on an error:
    /// what it did not commit is replayed from the inbox journal by the next start).
    private func abandonPendingWrite() {
        guard let abandoned = pending else { return }
        pending = nil
        _ = try? abandoned.write.wait()
    }
}
