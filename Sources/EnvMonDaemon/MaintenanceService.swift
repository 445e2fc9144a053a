internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore
internal import Logging

/// A maintenance window starting or ending, to be told in the journal and on MQTT.
enum MaintenanceEvent {
    case started(MaintenanceWindow)
    case ended(MaintenanceWindow)
}

/// Carries out `envmon maintenance start|end` on the ingest thread (as acknowledgements are),
/// keeps the schedule the message processor stamps readings with, and says when a window starts
/// and ends, once each, across restarts (the stage announced is stored with the window).
final class MaintenanceService {
    private let store: any MaintenanceStore
    private let logger: Logger
    /// Windows open now, or ended within the readings' accepted age (late readings still fall in).
    private(set) var schedule = MaintenanceSchedule()
    /// Windows whose start or end is still to be announced, or that are open, with the stage
    /// announced so far (kept here so the timer reads nothing from the store).
    private var current: [(window: MaintenanceWindow, announced: Int)] = []

    init(store: any MaintenanceStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Reloads the windows from the store (at start, and after every change).
    func reload(now: Timestamp, lookBack: Duration) throws {
        schedule = MaintenanceSchedule(try store.windows(since: now.adding(.zero - lookBack)))
        current = try store.currentWindows(now: now)
    }

    /// Windows open at `now`.
    func openWindows(at now: Timestamp) -> [MaintenanceWindow] {
        current.map(\.window).filter { $0.isOpen(at: now) }
    }

    /// Applies pending requests, then returns the starts and ends that fell due, in order.
    func tick(now: Timestamp, configuration: EnvMonConfiguration, knownSensors: Set<String>) -> [MaintenanceEvent] {
        var changed = false
        do {
            for request in try store.pendingRequests() {
                changed = true
                apply(request, now: now, configuration: configuration, knownSensors: knownSensors)
            }
            if changed { try reload(now: now, lookBack: configuration.ingest.maximumAge) }
        } catch {
            logger.error("cannot read maintenance requests: \(error)")
            return []
        }
        var events: [MaintenanceEvent] = []
        for (index, (window, announced)) in current.enumerated() {
            var stage = announced
            var due: [MaintenanceEvent] = []
            if stage < 1, now >= window.start {
                due.append(.started(window))
                stage = 1
            }
            if stage < 2, let end = window.end, now >= end {
                due.append(.ended(window))
                stage = 2
            }
            guard stage != announced else { continue }
            do {
                // Another collector sharing the database may have announced it already.
                if try store.markAnnounced(window: window.id, stage: stage) { events += due }
                current[index].announced = stage
                changed = true
            } catch {
                logger.error("cannot record the maintenance window \(window.id): \(error)")
            }
        }
        if changed { try? reload(now: now, lookBack: configuration.ingest.maximumAge) }
        return events
    }

    private func apply(
        _ request: MaintenanceRequest, now: Timestamp, configuration: EnvMonConfiguration, knownSensors: Set<String>
    ) {
        let window = request.window
        do {
            switch request.action {
            case .start:
                if let problem = Self.problem(with: window, configuration: configuration, knownSensors: knownSensors) {
                    try store.refuse(request: request.id, because: problem)
                    return
                }
                let existing = MaintenanceSchedule(try store.windows(since: window.start))
                if let clash = existing.overlapping(window) {
                    try store.refuse(
                        request: request.id,
                        because: "\(window.scope) already has maintenance window \(clash.id) (\(clash.kind.rawValue) "
                            + "from \(clash.start) \(clash.end.map { "until \($0)" } ?? "until ended"))"
                            + "; end it first (envmon maintenance end \(clash.sensor)\(clash.metric.map { " --metric \($0)" } ?? ""))"
                    )
                    return
                }
                _ = try store.open(window, request: request.id, at: now)
            case .end:
                let open = try store.windows(since: now).filter {
                    $0.sensor == window.sensor && $0.isOpen(at: window.start)
                        && (window.metric == nil || $0.metric == window.metric)
                }
                guard !open.isEmpty else {
                    try store.refuse(
                        request: request.id, because: "\(window.scope) has no open maintenance window")
                    return
                }
                for (index, found) in open.enumerated() {
                    try store.close(
                        window: found.id, at: window.start, by: window.by,
                        request: index == open.count - 1 ? request.id : nil)
                }
            }
        } catch {
            logger.error("cannot apply maintenance request \(request.id): \(error)")
        }
    }

    private static func problem(
        with window: MaintenanceWindow, configuration: EnvMonConfiguration, knownSensors: Set<String>
    ) -> String? {
        let configured = configuration.sensor(window.sensor)
        guard configured != nil || knownSensors.contains(window.sensor) else {
            return "unknown sensor \"\(window.sensor)\": neither configured nor ever seen"
        }
        if let metric = window.metric, let configured, !configured.metrics.contains(metric) {
            return
                "sensor \(window.sensor) has no metric \"\(metric)\" (it has \(configured.metrics.joined(separator: ", ")))"
        }
        if let end = window.end, end <= window.start { return "the window ends before it starts" }
        return nil
    }
}
