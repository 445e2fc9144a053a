public import EnvMonConfig
internal import EnvMonCore

/// The simulator's whole output: clean readings from `NetworkSimulator`, with faults injected,
/// encoded as MQTT messages, and a `Manifest` of all of it. Deterministic for a seed, a start
/// time and the `now` values it is given (only timestamp-skew faults depend on `now`).
public struct TrafficGenerator: Sendable {
    struct Episode: Sendable {
        var kind: FaultKind
        var sensor: String
        var metric: String?
        var start: Int64
        var end: Int64
        var value: Double?
        var stuck: Double?
        var baseline: Double?
        var buffered: [OutgoingMessage] = []
        var bufferedReadings = 0
        var event: Int?
        var points = 0
        var lastPoint: Int64?
    }

    public private(set) var simulator: NetworkSimulator
    public private(set) var manifest = Manifest()
    public let configuration: EnvMonConfiguration
    public let style: PayloadStyle
    public let encoder: PayloadEncoder
    private let allowPlain: Bool
    private var random: SplitMix64
    private var scheduled: [(time: Int64, spec: FaultSpec)]
    private let rateSpecs: [FaultSpec]
    private var pendingMessageFaults: [(spec: FaultSpec, sensor: String?)] = []
    private var episodes: [Episode] = []
    private var lastValues: [SeriesKey: Double] = [:]
    private var malformedVariant = 0
    private let metricsBySensor: [String: [String]]
    private let siteBySensor: [String: String]
    private var firstTime: Int64?
    private var lastTime: Int64?

    /// - allowPlain: false when readings are replayed faster than real time (a plain number
    ///   carries no time, the daemon would stamp it with the receive time); `mix` then skips plain.
    public init(
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
        random = SplitMix64(seed: seed, stream: "faults")
        metricsBySensor = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.metrics) })
        siteBySensor = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.site) })
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
        manifest.seed = seed
        manifest.format = style.rawValue
        manifest.topicPrefix = configuration.topicPrefix
        if style == .mix, !allowPlain { manifest.notes.append("mix without plain: replay faster than real time") }
    }

    /// The time of the next tick's readings.
    public var nextTime: Int64 { simulator.nextTime }

    /// The messages of the next tick (all sensors due at the next time). `now` is the wall clock
    /// the daemon will see (for future/stale timestamp faults).
    public mutating func nextTick(now: Int64) -> (time: Int64, messages: [OutgoingMessage]) {
        let readings = simulator.nextTick()
        let time = readings.first?.time ?? simulator.nextTime
        firstTime = firstTime ?? time
        lastTime = time
        activateScheduled(upTo: time)
        var messages: [OutgoingMessage] = []
        for reading in readings {
            messages += process(reading, now: now)
        }
        return (time, messages)
    }

    /// Ends the run: releases what burst episodes still hold and closes the manifest.
    public mutating func finish() -> [OutgoingMessage] {
        var messages: [OutgoingMessage] = []
        for index in episodes.indices where episodes[index].kind == .burst {
            messages += release(at: index)
        }
        for message in messages { manifest.count(message) }
        for episode in episodes { close(episode) }
        episodes = []
        manifest.rainEpisodes = simulator.weather.rainEpisodes
        manifest.storms = simulator.weather.storms.map {
            "\(RFC3339.format(Timestamp(milliseconds: $0.start))) for \($0.duration / 3_600_000) h, strength "
                + DecimalText.format($0.strength, decimals: 2)
        }
        if let firstTime { manifest.start = RFC3339.format(Timestamp(milliseconds: firstTime)) }
        if let lastTime { manifest.end = RFC3339.format(Timestamp(milliseconds: lastTime)) }
        return messages
    }

    // MARK: - Scheduling

    private mutating func activateScheduled(upTo time: Int64) {
        while let first = scheduled.first, first.time <= time {
            scheduled.removeFirst()
            let spec = first.spec
            if spec.kind.isEpisode {
                for sensor in targets(of: spec) {
                    startEpisode(spec, sensor: sensor, at: first.time)
                }
            } else {
                pendingMessageFaults.append((spec, spec.sensor ?? targets(of: spec).first))
            }
        }
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

    private func thresholds(_ sensor: String, _ metric: String) -> QCThresholds {
        configuration.qualityControl.thresholds(for: SeriesKey(sensor: sensor, metric: metric))
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

    private mutating func startEpisode(_ spec: FaultSpec, sensor: String, at time: Int64) {
        guard let metrics = metricsBySensor[sensor] else { return }
        var metric: String?
        if [.flatLine, .drift, .excursion].contains(spec.kind) {
            guard let chosen = eligibleMetric(spec.kind, metrics: metrics, sensor: sensor, requested: spec.metric)
            else { return }
            metric = chosen
        }
        let duration =
            (spec.duration.flatMap { try? SimulatorTime.duration($0) })
            ?? defaultDuration(
                spec.kind, sensor: sensor, metric: metric)
        var episode = Episode(kind: spec.kind, sensor: sensor, metric: metric, start: time, end: time + duration)
        switch spec.kind {
        case .drift:
            let span = metric.flatMap { thresholds(sensor, $0).suspectSpan }
            episode.value = spec.value ?? -0.005 * ((span?.upperBound ?? 10) - (span?.lowerBound ?? 0))
        case .excursion:
            episode.value = spec.value ?? (metric == "do" ? 4.2 : nil)
        default:
            episode.value = spec.value
        }
        episode.event = manifest.events.count < Manifest.maximumEvents ? manifest.events.count : nil
        manifest.add(
            Manifest.FaultEvent(
                kind: spec.kind, sensor: sensor, metric: metric,
                topic: encoder.sensorTopic(site: siteBySensor[sensor] ?? "", sensor: sensor), time: time, end: nil,
                points: spec.kind == .flatLine ? [] : nil, value: episode.value,
                expected: spec.kind.expectation))
        manifest.record(spec.kind)
        episodes.append(episode)
    }

    private mutating func close(_ episode: Episode) {
        if let event = episode.event, event < manifest.events.count {
            manifest.events[event].end = episode.lastPoint
        }
    }

    // MARK: - One reading

    private mutating func process(_ reading: SimulatedReading, now: Int64) -> [OutgoingMessage] {
        var reading = reading
        var output: [OutgoingMessage] = []

        // Episodes that ended before this reading; bursts release what they held.
        var index = 0
        while index < episodes.count {
            if episodes[index].end <= reading.time {
                if episodes[index].kind == .burst { output += release(at: index) }
                close(episodes[index])
                episodes.remove(at: index)
            } else {
                index += 1
            }
        }

        // Faults at random, per reading.
        var messageFaults: [FaultSpec] = []
        for spec in rateSpecs {
            guard let rate = spec.rate, rate > 0, random.chance(rate) else { continue }
            if spec.sensor != nil && spec.sensor != reading.sensor { continue }
            if spec.site != nil && spec.site != reading.site { continue }
            if spec.kind.isEpisode {
                if !episodes.contains(where: { $0.sensor == reading.sensor && $0.kind == spec.kind }) {
                    startEpisode(spec, sensor: reading.sensor, at: reading.time)
                }
            } else {
                messageFaults.append(spec)
            }
        }
        // Scheduled one-message faults waiting for this sensor (or any sensor).
        var remaining: [(spec: FaultSpec, sensor: String?)] = []
        for pending in pendingMessageFaults {
            if pending.sensor == nil || pending.sensor == reading.sensor {
                messageFaults.append(pending.spec)
            } else {
                remaining.append(pending)
            }
        }
        pendingMessageFaults = remaining

        // Episodes on this sensor.
        var burst: Int?
        for position in episodes.indices where episodes[position].sensor == reading.sensor {
            guard episodes[position].start <= reading.time else { continue }
            switch episodes[position].kind {
            case .silence:
                manifest.expected.readingsNotSent += reading.values.count
                manifest.faults[FaultKind.silence.rawValue]?.readings += reading.values.count
                episodes[position].lastPoint = reading.time
                return output
            case .burst:
                burst = position
            case .flatLine, .drift, .excursion:
                apply(episodeAt: position, to: &reading)
            default:
                break
            }
        }

        var duplicate = false
        var extra: [OutgoingMessage] = []
        for spec in messageFaults {
            switch spec.kind {
            case .spike, .outOfRange:
                alterValue(spec, &reading)
            case .duplicate:
                duplicate = true
            default:
                if let message = badMessage(spec, reading: reading, now: now) { extra.append(message) }
            }
        }

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
        manifest.readingsSent += reading.values.count
        manifest.readingsBySensor[reading.sensor, default: 0] += reading.values.count
        manifest.expected.readingsStored += reading.values.count
        if duplicate {
            let copies = messages.map { message -> OutgoingMessage in
                var copy = message
                copy.fault = .duplicate
                return copy
            }
            messages += copies
            manifest.expected.duplicateReadings += reading.values.count
            manifest.record(.duplicate, messages: copies.count, readings: reading.values.count)
            manifest.add(
                Manifest.FaultEvent(
                    kind: .duplicate, sensor: reading.sensor, topic: messages.first?.topic, time: reading.time,
                    expected: FaultKind.duplicate.expectation))
        }
        if let burst {
            episodes[burst].buffered += messages
            episodes[burst].bufferedReadings += reading.values.count
            episodes[burst].lastPoint = reading.time
            manifest.faults[FaultKind.burst.rawValue]?.readings += reading.values.count
        } else {
            output += messages
        }
        output += extra
        for message in output { manifest.count(message) }
        return output
    }

    private mutating func release(at index: Int) -> [OutgoingMessage] {
        let messages = episodes[index].buffered
        manifest.faults[FaultKind.burst.rawValue]?.messages += messages.count
        episodes[index].buffered = []
        return messages
    }

    private mutating func apply(episodeAt index: Int, to reading: inout SimulatedReading) {
        var episode = episodes[index]
        defer { episodes[index] = episode }
        guard let metric = episode.metric, let position = reading.values.firstIndex(where: { $0.metric == metric })
        else { return }
        let series = SeriesKey(sensor: reading.sensor, metric: metric)
        let current = reading.values[position]
        var value = current.value
        switch episode.kind {
        case .flatLine:
            // The logger repeats the last value it had.
            let stuck = episode.stuck ?? lastValues[series] ?? current.value
            episode.stuck = stuck
            value = stuck
            if let event = episode.event, event < manifest.events.count {
                manifest.events[event].points?.append(reading.time)
                manifest.events[event].value = stuck
            }
        case .drift:
            value += (episode.value ?? 0) * Double(reading.time - episode.start) / Double(SimulationClock.hour)
        case .excursion:
            guard let target = episode.value else { return }
            // Ramp 15 minutes down, hold, ramp 15 minutes back: slow enough for rate-of-change QC.
            let ramp = Double(15 * SimulationClock.minute)
            let intoEpisode = Double(reading.time - episode.start)
            let untilEnd = Double(episode.end - reading.time)
            let weight = max(0, min(1, min(intoEpisode / ramp, untilEnd / ramp)))
            value = current.value + (target - current.value) * weight
        default:
            return
        }
        reading.values[position] = SimulatedValue(metric: metric, value: value, decimals: current.decimals)
        episode.points += 1
        episode.lastPoint = reading.time
        manifest.faults[episode.kind.rawValue]?.readings += 1
    }

    private mutating func alterValue(_ spec: FaultSpec, _ reading: inout SimulatedReading) {
        // A stuck sensor repeats itself; it does not spike as well.
        let stuck = Set(
            episodes.filter { $0.kind == .flatLine && $0.sensor == reading.sensor && $0.start <= reading.time }
                .compactMap(\.metric))
        let metrics = reading.values.map(\.metric).filter { !stuck.contains($0) }
        guard let metric = eligibleMetric(spec.kind, metrics: metrics, sensor: reading.sensor, requested: spec.metric),
            let position = reading.values.firstIndex(where: { $0.metric == metric })
        else { return }
        let limits = thresholds(reading.sensor, metric)
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
        manifest.expected.qcFail[spec.kind.rawValue, default: 0] += 1
        manifest.record(spec.kind, messages: 1, readings: 1)
        manifest.add(
            Manifest.FaultEvent(
                kind: spec.kind, sensor: reading.sensor, metric: metric,
                topic: encoder.sensorTopic(site: reading.site, sensor: reading.sensor), time: reading.time,
                points: [reading.time], value: altered.value, expected: expected))
    }

    /// An extra message the daemon must reject.
    private mutating func badMessage(_ spec: FaultSpec, reading: SimulatedReading, now: Int64) -> OutgoingMessage? {
        let sensorTopic = encoder.sensorTopic(site: reading.site, sensor: reading.sensor)
        guard let first = reading.values.first(where: { spec.metric == nil || $0.metric == spec.metric })
        else { return nil }
        var topic = sensorTopic
        var payload: [UInt8]
        switch spec.kind {
        case .malformed:
            malformedVariant += 1
            switch malformedVariant % 3 {
            case 0:
                payload = Array("{\"ts\":\(reading.time),\"\(first.metric)\":\(first.text)".utf8)
            case 1:
                topic = sensorTopic + "/" + first.metric
                payload = Array("\(first.text)..5".utf8)
            default:
                payload = [0xFF, 0xFE, 0x7B, 0x7D]
            }
        case .unknownMetric:
            payload = Array("{\"ts\":\(reading.time),\"temprature\":\(first.text)}".utf8)
        case .nan:
            topic = sensorTopic + "/" + first.metric
            payload = Array("NaN".utf8)
        case .futureTimestamp:
            let skew = configuration.ingest.maximumFutureSkew.wholeMillisecondsValue
            payload = Array("{\"ts\":\(now + skew + SimulationClock.hour),\"\(first.metric)\":\(first.text)}".utf8)
        case .staleTimestamp:
            let age = configuration.ingest.maximumAge.wholeMillisecondsValue
            payload = Array("{\"ts\":\(now - age - SimulationClock.day),\"\(first.metric)\":\(first.text)}".utf8)
        case .oversize:
            let size = configuration.ingest.maximumPayloadBytes + 1024
            let head = "{\"ts\":\(reading.time),\"\(first.metric)\":\(first.text),\"note\":\""
            payload = Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: size) + Array("\"}".utf8)
        default:
            return nil
        }
        manifest.record(spec.kind, messages: 1)
        manifest.add(
            Manifest.FaultEvent(
                kind: spec.kind, sensor: reading.sensor, metric: first.metric, topic: topic, time: reading.time,
                expected: "reject:\(spec.kind.expectedReject?.rawValue ?? "")"))
        return OutgoingMessage(topic: topic, payload: payload, style: nil, readings: 0, fault: spec.kind)
    }
}
