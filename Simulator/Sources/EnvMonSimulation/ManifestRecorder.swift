internal import EnvMonConfig
internal import EnvMonCore

/// Writes the manifest as the generator goes: every message and reading sent, every fault
/// injected, and what the daemon should make of them.
struct ManifestRecorder: Sendable {
    private(set) var manifest = Manifest()
    private let encoder: PayloadEncoder
    private let siteBySensor: [String: String]
    private var firstTime: Int64?
    private var lastTime: Int64?

    init(configuration: EnvMonConfiguration, seed: UInt64, style: PayloadStyle, allowPlain: Bool) {
        encoder = PayloadEncoder(topicPrefix: configuration.topicPrefix)
        siteBySensor = Dictionary(uniqueKeysWithValues: configuration.sensors.map { ($0.id, $0.site) })
        manifest.seed = seed
        manifest.format = style.rawValue
        manifest.topicPrefix = configuration.topicPrefix
        if style == .mix, !allowPlain { manifest.notes.append("mix without plain: replay faster than real time") }
    }

    /// A tick's reading time: the manifest's start and end.
    mutating func tick(at time: Int64) {
        firstTime = firstTime ?? time
        lastTime = time
    }

    /// Every message published (or handed back to publish).
    mutating func published(_ messages: [OutgoingMessage]) {
        for message in messages { manifest.count(message) }
    }

    /// A reading sent in well-formed messages.
    mutating func sent(_ reading: SimulatedReading) {
        manifest.readingsSent += reading.values.count
        manifest.readingsBySensor[reading.sensor, default: 0] += reading.values.count
        manifest.expected.readingsStored += reading.values.count
    }

    // MARK: - Episodes

    /// An episode begins; its event's index, for its points and end.
    mutating func episodeStarted(_ episode: FaultEpisode) -> Int? {
        let event = manifest.events.count < Manifest.maximumEvents ? manifest.events.count : nil
        manifest.add(
            Manifest.FaultEvent(
                kind: episode.kind, sensor: episode.sensor, metric: episode.metric,
                topic: encoder.sensorTopic(site: siteBySensor[episode.sensor] ?? "", sensor: episode.sensor),
                time: episode.start, end: nil, points: episode.kind == .flatLine ? [] : nil, value: episode.value,
                expected: episode.kind.expectation))
        manifest.record(episode.kind)
        return event
    }

    mutating func episodeEnded(_ episode: FaultEpisode) {
        if let event = episode.event, event < manifest.events.count {
            manifest.events[event].end = episode.lastPoint
        }
    }

    /// A reading a silent sensor did not send.
    mutating func silenced(_ reading: SimulatedReading) {
        manifest.expected.readingsNotSent += reading.values.count
        manifest.faults[FaultKind.silence.rawValue]?.readings += reading.values.count
    }

    /// A value a flat line, drift or excursion changed at `time`.
    mutating func shaped(by episode: FaultEpisode, at time: Int64) {
        if episode.kind == .flatLine, let event = episode.event, event < manifest.events.count {
            manifest.events[event].points?.append(time)
            manifest.events[event].value = episode.stuck
        }
        manifest.faults[episode.kind.rawValue]?.readings += 1
    }

    /// A reading a burst holds back.
    mutating func held(_ reading: SimulatedReading) {
        manifest.faults[FaultKind.burst.rawValue]?.readings += reading.values.count
    }

    /// Messages a burst let go.
    mutating func released(_ count: Int) {
        manifest.faults[FaultKind.burst.rawValue]?.messages += count
    }

    // MARK: - One-message faults

    /// A spike or out-of-range value QC must fail.
    mutating func altered(_ kind: FaultKind, reading: SimulatedReading, value: SimulatedValue, expected: String) {
        manifest.expected.qcFail[kind.rawValue, default: 0] += 1
        manifest.record(kind, messages: 1, readings: 1)
        manifest.add(
            Manifest.FaultEvent(
                kind: kind, sensor: reading.sensor, metric: value.metric,
                topic: encoder.sensorTopic(site: reading.site, sensor: reading.sensor), time: reading.time,
                points: [reading.time], value: value.value, expected: expected))
    }

    /// A reading's messages sent twice; `topic` is the first message's.
    mutating func duplicated(_ reading: SimulatedReading, copies: Int, topic: String?) {
        manifest.expected.duplicateReadings += reading.values.count
        manifest.record(.duplicate, messages: copies, readings: reading.values.count)
        manifest.add(
            Manifest.FaultEvent(
                kind: .duplicate, sensor: reading.sensor, topic: topic, time: reading.time,
                expected: FaultKind.duplicate.expectation))
    }

    /// An extra message the daemon must reject.
    mutating func rejectable(_ kind: FaultKind, reading: SimulatedReading, metric: String, topic: String) {
        manifest.record(kind, messages: 1)
        manifest.add(
            Manifest.FaultEvent(
                kind: kind, sensor: reading.sensor, metric: metric, topic: topic, time: reading.time,
                expected: "reject:\(kind.expectedReject?.rawValue ?? "")"))
    }

    /// The end of the run: the weather it had and the times it covered.
    mutating func close(weather: Weather) {
        manifest.rainEpisodes = weather.rainEpisodes
        manifest.storms = weather.storms.map {
            "\(RFC3339.format(Timestamp(milliseconds: $0.start))) for \($0.duration / 3_600_000) h, strength "
                + DecimalText.format($0.strength, decimals: 2)
        }
        if let firstTime { manifest.start = RFC3339.format(Timestamp(milliseconds: firstTime)) }
        if let lastTime { manifest.end = RFC3339.format(Timestamp(milliseconds: lastTime)) }
    }
}
