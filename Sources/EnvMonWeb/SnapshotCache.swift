internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore

/// Hands every request the same snapshot for up to `maximumAge`; one refresh at a time, which
/// the requests that arrive meanwhile wait for instead of querying too.
actor SnapshotCache {
    private let store: ConsoleStore
    private let configuration: EnvMonConfiguration
    private let maximumAge: Duration
    private let now: @Sendable () -> Timestamp
    private var current: (snapshot: ConsoleSnapshot, at: ContinuousClock.Instant)?
    private var refreshing: Task<ConsoleSnapshot, any Error>?

    init(
        store: ConsoleStore, configuration: EnvMonConfiguration, maximumAge: Duration = .seconds(1),
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.configuration = configuration
        self.maximumAge = maximumAge
        self.now = now
    }

    func snapshot() async throws -> ConsoleSnapshot {
        if let current, current.at.duration(to: .now) < maximumAge { return current.snapshot }
        if let refreshing { return try await refreshing.value }
        let task = Task { [store, configuration, now] in
            try await store.run { store in
                try Self.read(store, configuration: configuration, now: now())
            }
        }
        refreshing = task
        defer { refreshing = nil }
        let snapshot = try await task.value
        current = (snapshot, .now)
        return snapshot
    }

    private static func read(
        _ store: ConsoleStore, configuration: EnvMonConfiguration, now: Timestamp
    ) throws
        -> ConsoleSnapshot
    {
        var lastSeen: [String: Timestamp] = [:]
        for sensor in try store.readings.sensors() { lastSeen[sensor.sensor] = sensor.lastSeen }
        let configured = Set(configuration.sensors.map(\.id))
        return ConsoleSnapshot.make(
            configuration: configuration, latest: try store.readings.latest(), lastSeen: lastSeen,
            activeAlerts: try store.alerts.alerts(activeOnly: true, since: nil, severity: nil, limit: 500),
            openWindows: try store.maintenance.currentWindows(now: now).map(\.window),
            means: try store.readings.recentMeans(of: configured, at: now),
            staleIntervals: configuration.web.staleIntervals, now: now)
    }
}
