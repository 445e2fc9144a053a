internal import EnvMonConfig
internal import EnvMonCore

/// Decides which faults each reading gets: scheduled faults when their time comes, random ones
/// by their rate per reading, and which sensor and metric each hits. The faults' own random
/// stream lives here, drawn in a fixed order, so a seed always plans the same faults.
struct FaultPlanner: Sendable {
    /// A fault on the message of one reading, in the order they apply.
    enum MessageFault: Sendable {
        /// A spike or out-of-range value on `metric`.
        case alter(FaultSpec, metric: String)
        /// The reading's messages sent twice.
        case duplicate
        /// An extra message the daemon must reject.
        case extra(FaultSpec)
    }

    /// What one reading gets.
    struct Plan: Sendable {
        /// Episodes that begin with this reading.
        var started: [FaultEpisode] = []
        /// Empty when the sensor is silent: nothing of it is sent.
        var messageFaults: [MessageFault] = []
    }

    private let configuration: EnvMonConfiguration
    private var random: SplitMix64
    private var scheduled: [(time: Int64, spec: FaultSpec)]
    private let rateSpecs: [FaultSpec]
    /// Scheduled one-message faults waiting for their sensor's (or any sensor's) next reading.
    private var pendingMessageFaults: [(spec: FaultSpec, sensor: String?)] = []
    private let metricsBySensor: [String: [String]]

    init(configuration: EnvMonConfiguration, seed: UInt64, start: Int64, faults: [FaultSpec]) throws(SimulatorError) {
        self.configuration = configuration
        random = SplitMix64(seed: seed, stream: "faults")
        metricsBySensor = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.metrics) })
        var timed: [(Int64, FaultSpec)] = []
        var rated: [FaultSpec] = []
        for spec in faults {
            if let sensor = spec.sensor, metricsBySensor[sensor] == nil {
                throw SimulatorError("fault \(spec.kind.rawValue): sensor \"\(sensor)\" is not in the configuration")
            }
            if let site = spec.site, !configuration.sensors.contains(where: { $0.site == site }) {
                throw SimulatorError("fault \(spec.kind.rawValue): no sensor at site \"\(site)\"")
            }
            if let at = spec.at {
                timed.append((try SimulatorTime.parse(at, now: start, base: start), spec))
            } else {
                rated.append(spec)
            }
            if let duration = spec.duration { _ = try SimulatorTime.duration(duration) }
        }
        scheduled = timed.sorted { $0.0 < $1.0 }.map { (time: $0.0, spec: $0.1) }
        rateSpecs = rated
    }

    /// The episodes of the scheduled faults due by `time`; their one-message faults wait for
    /// the next reading of their sensor.
    mutating func scheduledEpisodes(upTo time: Int64) -> [FaultEpisode] {
        var started: [FaultEpisode] = []
        while let first = scheduled.first, first.time <= time {
            scheduled.removeFirst()
            let spec = first.spec
            if spec.kind.isEpisode {
                for sensor in targets(of: spec) {
                    if let episode = episode(spec, sensor: sensor, at: first.time) { started.append(episode) }
                }
            } else {
                pendingMessageFaults.append((spec, spec.sensor ?? targets(of: spec).first))
            }
        }
        return started
    }

    /// The faults `reading` gets, beside the `episodes` already running.
    mutating func plan(for reading: SimulatedReading, episodes: [FaultEpisode]) -> Plan {
        var plan = Plan()
        var drawn = drawRandomFaults(for: reading, episodes: episodes, into: &plan)
        drawn += takePending(for: reading.sensor)
        let acting = (episodes + plan.started).filter { $0.acts(on: reading.sensor, at: reading.time) }
        // A silent sensor sends nothing, so nothing more is drawn for it.
        guard !acting.contains(where: { $0.kind == .silence }) else { return plan }
        // A stuck sensor repeats itself; it does not spike as well.
        let stuck = Set(acting.filter { $0.kind == .flatLine }.compactMap(\.metric))
        let metrics = reading.values.map(\.metric).filter { !stuck.contains($0) }
        for spec in drawn {
            switch spec.kind {
            case .spike, .outOfRange:
                if let metric = eligibleMetric(
                    spec.kind, metrics: metrics, sensor: reading.sensor, requested: spec.metric)
                {
                    plan.messageFaults.append(.alter(spec, metric: metric))
                }
            case .duplicate:
                plan.messageFaults.append(.duplicate)
            default:
                plan.messageFaults.append(.extra(spec))
            }
        }
        return plan
    }

    /// The fault limits of a series.
    func thresholds(_ sensor: String, _ metric: String) -> QCThresholds {
        configuration.qualityControl.thresholds(for: SeriesKey(sensor: sensor, metric: metric))
    }

    /// Rolls each rate fault for the reading: episodes start in `plan`, one-message faults are returned.
    private mutating func drawRandomFaults(
        for reading: SimulatedReading, episodes: [FaultEpisode], into plan: inout Plan
    ) -> [FaultSpec] {
        var drawn: [FaultSpec] = []
        for spec in rateSpecs {
            guard let rate = spec.rate, rate > 0, random.chance(rate) else { continue }
            if spec.sensor != nil && spec.sensor != reading.sensor { continue }
            if spec.site != nil && spec.site != reading.site { continue }
            if spec.kind.isEpisode {
                let running = (episodes + plan.started).contains { $0.sensor == reading.sensor && $0.kind == spec.kind }
                if !running, let episode = episode(spec, sensor: reading.sensor, at: reading.time) {
                    plan.started.append(episode)
                }
            } else {
                drawn.append(spec)
            }
        }
        return drawn
    }

    /// Scheduled one-message faults for this sensor (or any sensor), taken off the queue.
    private mutating func takePending(for sensor: String) -> [FaultSpec] {
        var taken: [FaultSpec] = []
        var remaining: [(spec: FaultSpec, sensor: String?)] = []
        for pending in pendingMessageFaults {
            if pending.sensor == nil || pending.sensor == sensor {
                taken.append(pending.spec)
            } else {
                remaining.append(pending)
            }
        }
        pendingMessageFaults = remaining
        return taken
    }

    /// The sensors a scheduled fault hits.
    private mutating func targets(of spec: FaultSpec) -> [String] {
        if let sensor = spec.sensor { return [sensor] }
        let candidates = configuration.sensors.filter { sensor in
            (spec.site == nil || sensor.site == spec.site)
                && (spec.metric == nil || sensor.metrics.contains(spec.metric!))
                && eligibleMetric(spec.kind, metrics: sensor.metrics, sensor: sensor.id, requested: spec.metric) != nil
        }.map(\.id)
        guard !candidates.isEmpty else { return [] }
        if spec.site != nil { return candidates }
        return [candidates[Int(random.next() % UInt64(candidates.count))]]
    }

    /// A metric of the sensor the fault can be shown on (e.g. a spike needs a spike threshold).
    private mutating func eligibleMetric(
        _ kind: FaultKind, metrics: [String], sensor: String, requested: String?
    ) -> String? {
        if let requested { return metrics.contains(requested) ? requested : nil }
        let eligible = metrics.filter { metric in
            let limits = thresholds(sensor, metric)
            switch kind {
            case .spike: return limits.spikeFail != nil
            case .outOfRange: return limits.failSpan != nil
            case .flatLine:
                return limits.flatLineTolerance != nil
                    && (limits.flatLineFailSeconds ?? limits.flatLineSuspectSeconds) != nil
            case .drift: return ["do", "ph", "salinity", "turbidity", "water_temp"].contains(metric)
            case .excursion: return metric == "do"
            default: return true
            }
        }
        guard !eligible.isEmpty else { return nil }
        return eligible[Int(random.next() % UInt64(eligible.count))]
    }

    /// The episode `spec` starts on `sensor` at `time`, or nil when the sensor has no metric
    /// it can be shown on.
    private mutating func episode(_ spec: FaultSpec, sensor: String, at time: Int64) -> FaultEpisode? {
        guard let metrics = metricsBySensor[sensor] else { return nil }
        var metric: String?
        if [.flatLine, .drift, .excursion].contains(spec.kind) {
            guard let chosen = eligibleMetric(spec.kind, metrics: metrics, sensor: sensor, requested: spec.metric)
            else { return nil }
            metric = chosen
        }
        let duration =
            (spec.duration.flatMap { try? SimulatorTime.duration($0) })
            ?? defaultDuration(spec.kind, sensor: sensor, metric: metric)
        var episode = FaultEpisode(kind: spec.kind, sensor: sensor, metric: metric, start: time, end: time + duration)
        switch spec.kind {
        case .drift:
            let span = metric.flatMap { thresholds(sensor, $0).suspectSpan }
            episode.value = spec.value ?? -0.005 * ((span?.upperBound ?? 10) - (span?.lowerBound ?? 0))
        case .excursion:
            episode.value = spec.value ?? (metric == "do" ? 4.2 : nil)
        default:
            episode.value = spec.value
        }
        return episode
    }

    private func defaultDuration(_ kind: FaultKind, sensor: String, metric: String?) -> Int64 {
        let interval = configuration.sensor(sensor)?.interval.wholeMillisecondsValue ?? 60_000
        switch kind {
        case .flatLine:
            let limits = metric.map { thresholds(sensor, $0) } ?? QCThresholds()
            let window = limits.flatLineFailSeconds ?? limits.flatLineSuspectSeconds ?? 3600
            return Int64(window * 1000) + 3 * interval
        case .drift: return 12 * SimulationClock.hour
        case .silence: return 30 * SimulationClock.minute
        case .burst: return 10 * SimulationClock.minute
        case .excursion: return 45 * SimulationClock.minute
        default: return interval
        }
    }
}
