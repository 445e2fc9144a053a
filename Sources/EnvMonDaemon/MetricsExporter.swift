internal import Foundation
internal import MQTT
internal import Metrics
internal import Prometheus
internal import Synchronization

/// Turns the daemon's live figures into Prometheus metrics at scrape time. Counters go through
/// swift-metrics (the daemon's figures are running totals, so each scrape adds the difference),
/// batch commit latencies feed a histogram.
final class MetricsExporter: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let figures: IngestFigures
    private let buffer: HandOffBuffer<InboxMessage>
    private let journal: InboxJournal
    private let databasePath: String
    private let alerts: ActiveAlertGauge
    private let backlog: BacklogFigures
    private let connected: @Sendable () -> Bool
    private let reported = Mutex<[String: Int]>([:])

    init(
        figures: IngestFigures, buffer: HandOffBuffer<InboxMessage>, journal: InboxJournal, databasePath: String,
        alerts: ActiveAlertGauge, backlog: BacklogFigures, connected: @escaping @Sendable () -> Bool
    ) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        self.factory = factory
        self.figures = figures
        self.buffer = buffer
        self.journal = journal
        self.databasePath = databasePath
        self.alerts = alerts
        self.backlog = backlog
        self.connected = connected
    }

    /// The Prometheus text exposition, refreshed from the figures.
    func scrape() -> [UInt8] {
        refresh()
        return registry.emitToBuffer()
    }

    private func counter(_ name: String, _ value: Int, dimensions: [(String, String)] = []) {
        let key = name + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = reported.withLock { reported -> Int in
            let delta = value - (reported[key] ?? 0)
            reported[key] = value
            return delta
        }
        if delta > 0 {
            Counter(label: name, dimensions: dimensions, factory: factory).increment(by: Int64(delta))
        } else if reported.withLock({ $0[key] }) == 0 {
            Counter(label: name, dimensions: dimensions, factory: factory).increment(by: 0)
        }
    }

    private func gauge(_ name: String, _ value: Double, dimensions: [(String, String)] = []) {
        Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }

    private func refresh() {
        let snapshot = figures.snapshot
        counter("envmon_messages_received_total", snapshot.messages)
        counter("envmon_readings_stored_total", snapshot.readingsStored)
        counter("envmon_duplicates_total", snapshot.duplicates)
        counter("envmon_rejects_total", snapshot.rejects)
        for (reason, count) in snapshot.rejectsByReason {
            counter("envmon_rejects_by_reason_total", count, dimensions: [("reason", reason)])
        }
        for (test, count) in snapshot.flaggedByTest {
            counter("envmon_qc_flagged_total", count, dimensions: [("test", test)])
        }
        counter("envmon_replayed_total", snapshot.replayed)
        counter("envmon_journal_errors_total", snapshot.journalErrors)
        counter("envmon_batches_total", snapshot.batches)
        let timer = Metrics.Timer(label: "envmon_batch_commit_seconds", factory: factory)
        for seconds in figures.takeBatchLatencies() { timer.recordNanoseconds(Int64(seconds * 1e9)) }
        let handoff = buffer.statistics
        gauge("envmon_handoff_depth", Double(handoff.depth))
        gauge("envmon_handoff_capacity", Double(buffer.capacityLimit))
        gauge("envmon_handoff_high_water", Double(handoff.highWater))
        counter("envmon_handoff_blocked_total", handoff.blockedCount)
        gauge("envmon_handoff_blocked_seconds", handoff.blockedSeconds)
        gauge("envmon_inbox_journal_bytes", Double(journal.diskBytes()))
        gauge("envmon_database_bytes", Double(Self.fileSize(databasePath) + Self.fileSize(databasePath + "-wal")))
        gauge("envmon_alerts_active", Double(alerts.count))
        gauge("envmon_broker_connected", connected() ? 1 : 0)
        for (target, figures) in backlog.snapshot {
            gauge("envmon_outbox_backlog", Double(figures.count), dimensions: [("target", target)])
            gauge("envmon_outbox_backlog_age_seconds", figures.seconds, dimensions: [("target", target)])
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
