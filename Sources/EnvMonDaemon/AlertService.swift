internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Logging
internal import Synchronization

/// Runs the alert engine on the ingest thread: every stored reading is observed in its batch,
/// and a timer tick makes for-durations, no-data, repeats and rolling means fire on time with
/// no traffic. State is saved in the store so a restart neither re-raises nor forgets.
///
/// With several collectors on one PostgreSQL database, each evaluates the sensors it holds a
/// lease on (`AlertOwnership`) and hands the readings of the others' sensors over to them.
final class AlertService {
    private var engine: AlertEngine
    private var configuration: EnvMonConfiguration
    private let writer: any AlertWriter
    private let readings: any ReadingQueries
    private let alertQueries: any AlertQueries
    /// nil with SQLite: this collector evaluates every sensor.
    private let ownership: AlertOwnership?
    /// The hourly VN_AQI of the hour in progress, for `aqi` rules.
    private let airQuality: HourlyAQICalculator
    private let journal: AlertJournal
    private let publisher: AlertPublisher
    /// Webhooks that take alert notices, when any are configured.
    private let webhooks: WebhookQueue?
    private let logger: Logger
    private var nextMeans = Timestamp(milliseconds: 0)
    private var nextStateSave = Timestamp(milliseconds: 0)
    private var siteOfSensor: [String: String]
    /// The (sensor, metric or nil) scopes held by maintenance windows now.
    private var suspended: Set<MaintenanceScope> = []

    struct MaintenanceScope: Hashable {
        var sensor: String
        var metric: String?
    }

    init(
        configuration: EnvMonConfiguration, store: Store, publisher: AlertPublisher,
        webhooks: WebhookQueue? = nil, logger: Logger, now: Timestamp, journal: AlertJournal,
        collector: String = "envmond"
    ) throws {
        self.configuration = configuration
        self.webhooks = webhooks
        self.writer = store.alertWriter
        self.readings = store.readings
        self.alertQueries = store.alerts
        self.ownership = store.alertLeases.map { leases in
            AlertOwnership(
                leases: leases, collector: collector, configured: Set(configuration.monitoredSensors.map(\.id)),
                now: now)
        }
        self.airQuality = HourlyAQICalculator(readings: readings)
        self.journal = journal
        self.publisher = publisher
        self.logger = logger
        self.siteOfSensor = Self.sites(configuration)
        engine = AlertEngine(
            rules: configuration.alertRules, sensors: Self.watched(configuration, by: ownership),
            siteKinds: configuration.siteKinds, startedAt: now)
        // Sharing the database: only the states of sensors this collector holds (none yet; they
        // come with their leases).
        let saved = try writer.loadStates().filter { ownership?.holds($0.sensor) ?? true }
        let removed = engine.restore(saved)
        try writer.record([], states: [], removed: removed, at: now)
        let active = engine.activeAlerts().count
        activeGauge.set(active)
        logger.info(
            "alert engine started",
            metadata: [
                "alerts.rules": "\(configuration.alertRules.count)", "alerts.restored": "\(saved.count)",
                "alerts.active": "\(active)",
            ])
    }

    /// The configured sensors this collector's engine watches for `no_data`.
    private static func watched(
        _ configuration: EnvMonConfiguration, by ownership: AlertOwnership?
    )
        -> [MonitoredSensor]
    {
        guard let ownership else { return configuration.monitoredSensors }
        return configuration.monitoredSensors.filter { ownership.holds($0.id) }
    }

    private static func sites(_ configuration: EnvMonConfiguration) -> [String: String] {
        Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.site) })
    }

    /// Firing and flapping alerts, readable from any thread (sd_notify STATUS, metrics).
    let activeGauge = ActiveAlertGauge()

    /// New rules and sensors from a reload; alert states of unchanged rules carry over.
    func reconfigure(_ next: EnvMonConfiguration, now: Timestamp) {
        let state = engine.exportState()
        configuration = next
        siteOfSensor = Self.sites(next)
        ownership?.reconfigure(configured: Set(next.monitoredSensors.map(\.id)))
        engine = AlertEngine(
            rules: next.alertRules, sensors: Self.watched(next, by: ownership), siteKinds: next.siteKinds,
            startedAt: now)
        let removed = engine.restore(state)
        for scope in suspended { engine.suspend(sensor: scope.sensor, metric: scope.metric) }
        do {
            try writer.record([], states: [], removed: removed, at: now)
        } catch {
            logger.error("cannot save alert state after reload: \(error)")
        }
    }

    /// Every reading a batch newly stored, in order.
    func observe(_ stored: [Reading], sites: [String: String], now: Timestamp) {
        var transitions: [AlertTransition] = []
        // Of a catch-up burst only the newest reading of each series is the present state; the
        // rest are history whose times are unknown (README, "Readings without a time of their own").
        var newestCatchUp: [SeriesKey: Timestamp] = [:]
        for reading in stored where reading.timeSource.isOrderOnly {
            newestCatchUp[reading.series] = max(newestCatchUp[reading.series] ?? reading.timestamp, reading.timestamp)
        }
        var handedOff: [HandedOffReading] = []
        // Filtered (a copy of the batch's readings) only when there is a burst to thin out.
        let judged =
            newestCatchUp.isEmpty
            ? stored : stored.filter { !$0.timeSource.isOrderOnly || newestCatchUp[$0.series] == $0.timestamp }
        if let ownership {
            do {
                apply(try ownership.claimNewcomers(Set(judged.map(\.series.sensor))), now: now)
            } catch {
                logger.error(
                    "cannot claim the alerts of new sensors: \(error); they are evaluated when a claim succeeds")
            }
        }
        for reading in judged {
            let site = siteOfSensor[reading.series.sensor] ?? sites[reading.series.sensor] ?? ""
            guard ownership?.holds(reading.series.sensor) ?? true else {
                handedOff.append(HandedOffReading(reading: reading, site: site, arrivedAt: now))
                continue
            }
            transitions += judge(reading, site: site, arrivedAt: now)
        }
        if let ownership, !handedOff.isEmpty {
            do {
                try ownership.handOff(handedOff)
            } catch {
                logger.error(
                    "cannot hand \(handedOff.count) readings over to the collectors that evaluate them: \(error)")
            }
        }
        deliver(transitions, now: now)
    }

    private func judge(_ stored: Reading, site: String, arrivedAt: Timestamp) -> [AlertTransition] {
        var reading = stored
        // A device that says it is calibrating or in error is reporting (no `no_data`), but its
        // values are no measurement: not evaluated, they raise and resolve nothing.
        if reading.deviceStatus != .measuring { reading.quality = .notEvaluated }
        return engine.observe(reading, site: site, arrivedAt: arrivedAt)
    }

    /// Leases gained or lost: the engine drops the sensors gone elsewhere and takes up the gained
    /// ones from the state their last holder saved.
    private func apply(_ change: AlertOwnership.Change, now: Timestamp) {
        guard let ownership, !change.isEmpty else { return }
        var state = engine.exportState().filter { !change.lost.contains($0.sensor) }
        if !change.gained.isEmpty {
            do {
                state += try writer.loadStates().filter { change.gained.contains($0.sensor) }
            } catch {
                logger.error("cannot load the saved alert state of \(change.gained.count) sensors taken over: \(error)")
            }
        }
        engine = AlertEngine(
            rules: configuration.alertRules, sensors: Self.watched(configuration, by: ownership),
            siteKinds: configuration.siteKinds, startedAt: now)
        engine.restore(state)
        for scope in suspended { engine.suspend(sensor: scope.sensor, metric: scope.metric) }
        logger.notice(
            "alert evaluation of \(change.gained.count) sensors taken up, \(change.lost.count) left to other collectors",
            metadata: [
                "alerts.collector": "\(ownership.collector)", "alerts.sensors_held": "\(ownership.held.count)",
                "alerts.gained": "\(change.gained.sorted().prefix(20).joined(separator: ","))",
                "alerts.lost": "\(change.lost.sorted().prefix(20).joined(separator: ","))",
            ])
    }

    /// A clean stop: the sensors' leases are given up, so another collector takes them at once.
    func stop() {
        guard let ownership else { return }
        do {
            try ownership.releaseAll()
        } catch {
            logger.warning("cannot release the alert leases; others take them when they run out: \(error)")
        }
    }

    /// Holds the alerts of sensors in the open windows and releases those whose window ended, and
    /// tells operators (journal, MQTT) of each start and end.
    func applyMaintenance(open windows: [MaintenanceWindow], events: [MaintenanceEvent], now: Timestamp) {
        let wanted = Set(windows.map { MaintenanceScope(sensor: $0.sensor, metric: $0.metric) })
        for scope in wanted.subtracting(suspended) { engine.suspend(sensor: scope.sensor, metric: scope.metric) }
        for scope in suspended.subtracting(wanted) {
            engine.resume(sensor: scope.sensor, metric: scope.metric, at: now)
        }
        suspended = wanted
        for event in events { announce(event) }
        if !events.isEmpty { deliver([], now: now, forceSave: true) }
    }

    private func announce(_ event: MaintenanceEvent) {
        let (window, started) =
            switch event {
            case .started(let window): (window, true)
            case .ended(let window): (window, false)
            }
        let site = siteOfSensor[window.sensor] ?? ""
        let who = window.by.map { " by \($0)" } ?? ""
        let note = window.note.map { ": \($0)" } ?? ""
        let text =
            started
            ? "maintenance started on \(window.scope) (\(window.kind.rawValue), status \(window.kind.deviceStatus.code))"
                + "\(window.end.map { " until \($0)" } ?? "")\(who)\(note); its alerts are held"
            : "maintenance ended on \(window.scope) (\(window.kind.rawValue)); its alerts are evaluated again"
        journal.emit(
            text, priority: 5,
            fields: [
                ("ENVMON_SENSOR", window.sensor), ("ENVMON_SITE", site), ("ENVMON_METRIC", window.metric ?? "*"),
                ("ENVMON_MAINTENANCE", started ? "started" : "ended"), ("ENVMON_STATUS", window.kind.rawValue),
                ("ENVMON_WINDOW", String(window.id)),
            ])
        guard configuration.alerting.publishMQTT else { return }
        let message = MaintenanceMessage.json(window, site: site, started: started)
        let prefix = configuration.topicPrefix
        // Under `<prefix>/alerts/`, which the daemon never ingests; retained while the window is open.
        publisher.publish(
            topic: "\(prefix)/alerts/maintenance/\(window.sensor)", payload: started ? message : "", retain: true)
        publisher.publish(topic: "\(prefix)/alerts/maintenance/events", payload: message, retain: false)
    }

    /// The system clock was stepped: move the arrival-based timers with it (see
    /// `AlertEngine.systemClockStepped`).
    func clockStepped(by milliseconds: Int64) {
        engine.systemClockStepped(by: milliseconds)
        nextMeans = nextMeans.adding(milliseconds: milliseconds)
        nextStateSave = nextStateSave.adding(milliseconds: milliseconds)
    }

    /// The timer: deadlines, rolling means (once a minute), acknowledgements from the CLI.
    func tick(now: Timestamp) {
        var transitions: [AlertTransition] = []
        if let ownership {
            do {
                apply(try ownership.renewIfDue(now: now), now: now)
                for handed in try ownership.takeHandedOff() where ownership.holds(handed.reading.series.sensor) {
                    transitions += judge(handed.reading, site: handed.site, arrivedAt: handed.arrivedAt)
                }
            } catch {
                logger.error("cannot renew the alert leases or take handed-over readings: \(error)")
            }
        }
        transitions += engine.tick(now: now)
        if now >= nextMeans {
            transitions += evaluateAggregates(now: now)
            nextMeans = now.adding(milliseconds: 60_000)
        }
        transitions += applyAcknowledgements(now: now)
        deliver(transitions, now: now, forceSave: now >= nextStateSave)
    }

    /// Saves first, then notifies: by the time an operator reads the journal line, the alert is
    /// in the database and `envmon alerts ack` finds it.
    private func deliver(_ transitions: [AlertTransition], now: Timestamp, forceSave: Bool = false) {
        guard !transitions.isEmpty || forceSave else { return }
        let logged = transitions.map { ($0, text: $0.journalText(catalogue: configuration.catalogue)) }
        do {
            try writer.record(logged, states: engine.takeChangedRecords(), at: now)
            nextStateSave = now.adding(milliseconds: 5000)
        } catch {
            logger.error("cannot save alert transitions: \(error)")
        }
        activeGauge.set(engine.activeAlerts().count)
        if let webhooks {
            webhooks.enqueue(
                logged.filter { $0.0.notice.isNotification }.map { transition, text in
                    let unit = transition.unit(in: configuration.catalogue)
                    return (
                        transition, AlertMessage.templateFields(transition, unit: unit, text: text),
                        AlertMessage.json(transition, unit: unit)
                    )
                }, at: now)
        }
        for (transition, text) in logged {
            guard transition.notice.isNotification else {
                logger.debug("\(text)")
                continue
            }
            let unit = transition.unit(in: configuration.catalogue)
            journal.emit(transition, text: text, unit: unit)
            if configuration.alerting.publishMQTT {
                let prefix = configuration.topicPrefix
                let message = AlertMessage.json(transition, unit: unit)
                let stateTopic = "\(prefix)/alerts/\(transition.ruleID)/\(transition.sensor)"
                // A resolved alert clears its retained state: subscribers see only what is active.
                publisher.publish(topic: stateTopic, payload: transition.to.isActive ? message : "", retain: true)
                publisher.publish(topic: "\(prefix)/alerts/events", payload: message, retain: false)
            }
        }
    }

    private func applyAcknowledgements(now: Timestamp) -> [AlertTransition] {
        guard let requests = try? writer.pendingAcknowledgements(), !requests.isEmpty else { return [] }
        var transitions: [AlertTransition] = []
        for request in requests {
            // Sharing the database: a request for a sensor another collector holds is its to answer.
            if let ownership, !engine.activeAlerts().contains(where: { $0.alertID == request.alertID }),
                let sensor = try? alertQueries.alert(id: request.alertID)?.sensor, !ownership.holds(sensor)
            {
                continue
            }
            let transition = engine.acknowledge(alertID: request.alertID, by: request.by, note: request.note, at: now)
            let (status, detail) =
                transition == nil
                ? ("rejected", "alert \(request.alertID) is not active or already acknowledged")
                : ("applied", "acknowledged by \(request.by)")
            if let transition { transitions.append(transition) }
            try? writer.completeAcknowledgement(request.id, status: status, detail: detail)
        }
        return transitions
    }

    /// Rolling-mean rules (QCVN 05 1-h, 8-h, 24-h means) and the hourly VN_AQI of air stations,
    /// computed from the roll-ups, never from raw rows.
    private func evaluateAggregates(now: Timestamp) -> [AlertTransition] {
        var transitions: [AlertTransition] = []
        for rule in configuration.alertRules {
            for sensor in configuration.sensors where ownership?.holds(sensor.id) ?? true {
                let kind = configuration.site(sensor.site).map { SiteKind($0.kind.rawValue) }
                switch (rule.aggregation, rule.kind) {
                case (.rollingMean(let window), _):
                    for metric in sensor.metrics
                    where rule.applies(sensor: sensor.id, site: sensor.site, siteKind: kind, metric: metric) {
                        guard
                            let mean = readings.trailingMean(
                                of: SeriesKey(sensor: sensor.id, metric: metric), over: window, now: now)
                        else { continue }
                        transitions += engine.observe(
                            rule: rule.id, sensor: sensor.id, site: sensor.site, value: mean, at: now)
                    }
                case (.latest, .aqi):
                    guard rule.applies(sensor: sensor.id, site: sensor.site, siteKind: kind, metric: "aqi"),
                        HourlyAQICalculator.isAirStation(sensor),
                        // Not judged this tick when the store cannot be read.
                        let index = try? airQuality.index(of: sensor, for: .current(now: now))
                    else { continue }
                    transitions += engine.observe(
                        rule: rule.id, sensor: sensor.id, site: sensor.site, value: Double(index.value), at: now)
                default:
                    continue
                }
            }
        }
        return transitions
    }
}

final class ActiveAlertGauge: Sendable {
    private let value = Atomic<Int>(0)
    func set(_ count: Int) { value.store(count, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
