package import EnvMonConfig
internal import EnvMonCore

/// The simulator's whole output: clean readings from `NetworkSimulator`, with the faults
/// `FaultPlanner` picks injected, encoded as MQTT messages, and a `Manifest` of all of it (kept
/// by `ManifestRecorder`). Deterministic for a seed, a start time and the `now` values it is
/// given (only timestamp-skew faults depend on `now`).
package struct TrafficGenerator: Sendable {
    package private(set) var simulator: NetworkSimulator
    package var manifest: Manifest { recorder.manifest }
    package let configuration: EnvMonConfiguration
    package let style: PayloadStyle
    package let encoder: PayloadEncoder
    private let allowPlain: Bool
    private var planner: FaultPlanner
    private var recorder: ManifestRecorder
    private var rejectable: RejectableMessages
    private var episodes: [FaultEpisode] = []
    private var lastValues: [SeriesKey: Double] = [:]

    /// - allowPlain: false when readings are replayed faster than real time (a plain number
    ///   carries no time, the daemon would stamp it with the receive time); `mix` then skips plain.
    package init(
        configuration: EnvMonConfiguration, seed: UInt64, start: Int64, style: PayloadStyle, faults: [FaultSpec],
        storms: [Weather.Storm] = [], stormFrequency: Double = 1, allowPlain: Bool = true
    ) throws(SimulatorError) {
        if style == .plain && !allowPlain {
            throw SimulatorError(
                "--format plain carries no timestamp: the daemon would use the receive time, which is wrong when "
                    + "replaying faster than real time; use json, senml, line or mix")
        }
        self.configuration = configuration
        self.style = style
        self.allowPlain = allowPlain
        encoder = PayloadEncoder(topicPrefix: configuration.topicPrefix)
        simulator = NetworkSimulator(
            configuration: configuration, seed: seed, start: start, storms: storms, stormFrequency: stormFrequency)
        planner = try FaultPlanner(configuration: configuration, seed: seed, start: start, faults: faults)
        recorder = ManifestRecorder(configuration: configuration, seed: seed, style: style, allowPlain: allowPlain)
        rejectable = RejectableMessages(ingest: configuration.ingest)
    }

    /// The time of the next tick's readings.
    package var nextTime: Int64 { simulator.nextTime }

    /// The messages of the next tick (all sensors due at the next time). `now` is the wall clock
    /// the daemon will see (for future/stale timestamp faults).
    package mutating func nextTick(now: Int64) -> (time: Int64, messages: [OutgoingMessage]) {
        let readings = simulator.nextTick()
        let time = readings.first?.time ?? simulator.nextTime
        recorder.tick(at: time)
        for episode in planner.scheduledEpisodes(upTo: time) { begin(episode) }
        var messages: [OutgoingMessage] = []
        for reading in readings {
            messages += process(reading, now: now)
        }
        return (time, messages)
    }

    /// Ends the run: releases what burst episodes still hold and closes the manifest.
    package mutating func finish() -> [OutgoingMessage] {
        var messages: [OutgoingMessage] = []
        for index in episodes.indices where episodes[index].kind == .burst {
            messages += release(at: index)
        }
        recorder.published(messages)
        for episode in episodes { recorder.episodeEnded(episode) }
        episodes = []
        recorder.close(weather: simulator.weather)
        return messages
    }

    // MARK: - One reading

    private mutating func process(_ reading: SimulatedReading, now: Int64) -> [OutgoingMessage] {
        var output = endEpisodes(before: reading.time)
        let plan = planner.plan(for: reading, episodes: episodes)
        for episode in plan.started { begin(episode) }
        var reading = reading
        let delivery = applyEpisodes(to: &reading)
        if case .silent = delivery {
            // What a burst let go above is published, but (as it always was) not counted.
            return output
        }
        var extra: [OutgoingMessage] = []
        var duplicate = false
        for fault in plan.messageFaults {
            switch fault {
            case .alter(let spec, let metric): alter(&reading, spec, metric: metric)
            case .duplicate: duplicate = true
            case .extra(let spec): extra += rejectableMessage(spec, reading: reading, now: now)
            }
        }
        let messages = encode(reading, duplicate: duplicate)
        if case .held(let index) = delivery {
            episodes[index].buffered += messages
            episodes[index].lastPoint = reading.time
            recorder.held(reading)
        } else {
            output += messages
        }
        output += extra
        recorder.published(output)
        return output
    }

    /// What becomes of a reading's messages.
    private enum Delivery {
        /// Not sent: the sensor is silent.
        case silent
        case now
        /// Held back by the burst episode at this index.
        case held(by: Int)
    }

    /// Applies the episodes on the reading's sensor in order.
    private mutating func applyEpisodes(to reading: inout SimulatedReading) -> Delivery {
        var delivery = Delivery.now
        for index in episodes.indices where episodes[index].acts(on: reading.sensor, at: reading.time) {
            switch episodes[index].kind {
            case .silence:
                episodes[index].lastPoint = reading.time
                recorder.silenced(reading)
                return .silent
            case .burst:
                delivery = .held(by: index)
            case .flatLine, .drift, .excursion:
                shape(&reading, by: index)
            default:
                break
            }
        }
        return delivery
    }

    /// Encodes the reading (twice for a duplicate) and remembers the values it sends.
    private mutating func encode(_ reading: SimulatedReading, duplicate: Bool) -> [OutgoingMessage] {
        var effectiveStyle =
            style == .mix ? PayloadEncoder.mixedStyle(for: reading.sensor, allowPlain: allowPlain) : style
        if duplicate && effectiveStyle == .plain {
            // A plain number has no time of its own: its copy would be a new reading. Send the
            // duplicated record as JSON, with its time, so the daemon can recognise the copy.
            effectiveStyle = .json
        }
        var messages = encoder.encode(reading, style: effectiveStyle)
        for value in reading.values {
            lastValues[SeriesKey(sensor: reading.sensor, metric: value.metric)] = value.value
        }
        recorder.sent(reading)
        if duplicate {
            let copies = messages.map { message -> OutgoingMessage in
                var copy = message
                copy.fault = .duplicate
                return copy
            }
            messages += copies
            recorder.duplicated(reading, copies: copies.count, topic: messages.first?.topic)
        }
        return messages
    }

    // MARK: - Episodes

    private mutating func begin(_ episode: FaultEpisode) {
        var episode = episode
        episode.event = recorder.episodeStarted(episode)
        episodes.append(episode)
    }

    /// Ends the episodes over by `time`; what bursts held is let go.
    private mutating func endEpisodes(before time: Int64) -> [OutgoingMessage] {
        var released: [OutgoingMessage] = []
        for index in episodes.indices where episodes[index].end <= time {
            if episodes[index].kind == .burst { released += release(at: index) }
            recorder.episodeEnded(episodes[index])
        }
        episodes.removeAll { $0.end <= time }
        return released
    }

    private mutating func release(at index: Int) -> [OutgoingMessage] {
        let messages = episodes[index].buffered
        recorder.released(messages.count)
        episodes[index].buffered = []
        return messages
    }

    /// A flat line, drift or excursion on its metric of the reading.
    private mutating func shape(_ reading: inout SimulatedReading, by index: Int) {
        guard let metric = episodes[index].metric,
            let position = reading.values.firstIndex(where: { $0.metric == metric })
        else { return }
        let current = reading.values[position]
        let last = lastValues[SeriesKey(sensor: reading.sensor, metric: metric)]
        guard let value = episodes[index].shaped(current.value, at: reading.time, lastValue: last) else { return }
        reading.values[position] = SimulatedValue(metric: metric, value: value, decimals: current.decimals)
        episodes[index].lastPoint = reading.time
        recorder.shaped(by: episodes[index], at: reading.time)
    }

    // MARK: - One-message faults

    /// A spike (1.5 times the spike fail threshold, away from the fail span's edge) or an
    /// out-of-range value (past the fail span) on `metric`.
    private mutating func alter(_ reading: inout SimulatedReading, _ spec: FaultSpec, metric: String) {
        guard let position = reading.values.firstIndex(where: { $0.metric == metric }) else { return }
        let limits = planner.thresholds(reading.sensor, metric)
        let current = reading.values[position]
        var value: Double
        let expected: String
        if spec.kind == .spike {
            let offset = spec.value ?? 1.5 * (limits.spikeFail ?? 1)
            value = current.value + offset
            if let span = limits.failSpan, !span.contains(value) { value = current.value - offset }
            expected = "fail:spike"
        } else {
            let span = limits.failSpan ?? 0...1
            value = spec.value ?? (span.upperBound + max(1, 0.1 * (span.upperBound - span.lowerBound)))
            expected = "fail:gross_range"
        }
        let altered = SimulatedValue(metric: metric, value: value, decimals: current.decimals)
        reading.values[position] = altered
        recorder.altered(spec.kind, reading: reading, value: altered, expected: expected)
    }

    /// The extra message of a fault the daemon must reject, about the reading's first value (of
    /// the spec's metric, when it names one).
    private mutating func rejectableMessage(
        _ spec: FaultSpec, reading: SimulatedReading, now: Int64
    ) -> [OutgoingMessage] {
        guard let value = reading.values.first(where: { spec.metric == nil || $0.metric == spec.metric }) else {
            return []
        }
        let sensorTopic = encoder.sensorTopic(site: reading.site, sensor: reading.sensor)
        guard
            let message = rejectable.message(
                spec.kind, value: value, time: reading.time, sensorTopic: sensorTopic, now: now)
        else { return [] }
        recorder.rejectable(spec.kind, reading: reading, metric: value.metric, topic: message.topic)
        return [message]
    }
}
