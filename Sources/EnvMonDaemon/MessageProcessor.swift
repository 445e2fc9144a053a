internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonStore

/// Turns a drained array of MQTT messages into one `IngestBatch`: decode, validate, quality
/// control. Pure apart from its QC state; runs on the ingest thread only.
struct MessageProcessor {
    struct Route {
        let filter: TopicFilter
        let format: PayloadFormat
        let precision: TimePrecision
    }

    private(set) var configuration: EnvMonConfiguration
    private var routes: [Route]
    /// Route index by topic: sensors publish on a few fixed topics, so matching filters level by
    /// level for every message would be wasted work. Bounded; cleared when full.
    private var routeCache: [String: Int] = [:]
    private static let routeCacheLimit = 50_000
    private var validator: ReadingValidator
    private(set) var qualityControl: QualityController
    /// Unconfigured sensors accepted so far; bounded by `ingest.max_sensors`.
    private var unconfiguredSensors: Set<String> = []
    /// Unique times for readings without their own.
    private var receiptClock = ReceiptClock()
    /// Each sensor's JSON `seq`.
    private var sequences = SequenceTracker()
    private let ownPublications: OwnPublications
    /// Maintenance windows in force (and recently ended, for late readings): their readings are
    /// stored with the window's device status.
    var maintenance = MaintenanceSchedule()
    /// Which sensor reports its own status in which member (`status_field`), and all those names
    /// (for the decoders, once per message).
    private var statusFieldOfSensor: [String: String]
    private var statusFields: Set<String>

    init(configuration: EnvMonConfiguration) {
        self.configuration = configuration
        self.routes = Self.routes(configuration)
        self.validator = Self.validator(configuration)
        self.qualityControl = QualityController(
            thresholds: configuration.qualityControl,
            nominalIntervals: configuration.sensorProfiles.compactMapValues(\.intervalSeconds))
        self.ownPublications = OwnPublications(topicPrefix: configuration.topicPrefix)
        self.statusFieldOfSensor = Self.statusFieldOfSensor(configuration)
        self.statusFields = Set(statusFieldOfSensor.values)
    }

    private static func statusFieldOfSensor(_ configuration: EnvMonConfiguration) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: configuration.sensors.compactMap { sensor in
                sensor.statusField.map { (sensor.id, $0) }
            })
    }

    /// Sensors the store already holds count against `ingest.max_sensors` from the start, so a
    /// restart does not open the door to another `max_sensors` fake ids, and a sensor admitted
    /// before the restart is not refused after it.
    mutating func rememberStoredSensors(_ sensors: Set<String>) {
        unconfiguredSensors.formUnion(sensors.filter { validator.sensors[$0] == nil })
    }

    /// Picks up where the stored state ends: each series' newest time and each sensor's `seq`, so
    /// a replay of journal records the last run did not commit judges them as that run would have.
    mutating func resume(newest: [SeriesKey: Timestamp], delivery: [SensorDelivery]) {
        receiptClock = ReceiptClock(newest: newest)
        var stored: [String: SequenceTracker.Counts] = [:]
        for sensor in delivery {
            guard let last = sensor.lastSequence else { continue }
            stored[sensor.sensor] = SequenceTracker.Counts(lastSequence: last, lastChecksum: sensor.lastChecksum)
        }
        sequences = SequenceTracker(stored: stored)
    }

    /// Takes a reloaded config; QC history of unchanged series is kept.
    mutating func reconfigure(_ configuration: EnvMonConfiguration) {
        self.configuration = configuration
        routes = Self.routes(configuration)
        routeCache = [:]
        validator = Self.validator(configuration)
        qualityControl.replaceThresholds(configuration.qualityControl)
        statusFieldOfSensor = Self.statusFieldOfSensor(configuration)
        statusFields = Set(statusFieldOfSensor.values)
    }

    private static func routes(_ configuration: EnvMonConfiguration) -> [Route] {
        configuration.subscriptions.map {
            Route(filter: TopicFilter($0.topic), format: $0.format, precision: $0.precision)
        }
    }

    private static func validator(_ configuration: EnvMonConfiguration) -> ReadingValidator {
        ReadingValidator(
            catalogue: configuration.catalogue, sensors: configuration.sensorProfiles,
            rejectUnknownSensors: configuration.ingest.rejectUnknownSensors,
            maximumFutureSkew: configuration.ingest.maximumFutureSkew, maximumAge: configuration.ingest.maximumAge)
    }

    /// Counts of what a batch contained besides readings, for the daemon's figures.
    struct Tally {
        var messages = 0
        var ignored = 0
        var sequenceDuplicates = 0
    }

    /// What replaying one rejected message gave: the series and times of its valid readings (empty
    /// when it is still refused). The readings themselves are in the batch.
    struct ReplayedMessage {
        var keys: [ReadingKey]
        /// Why it would be refused now (empty when nothing of it is).
        var reasons: Set<RejectReason>
    }

    struct ReadingKey: Hashable {
        var series: SeriesKey
        var milliseconds: Int64
    }

    /// Runs rejected messages through the current config again (`envmon rejects replay`). They keep
    /// their original receive time (no receipt clock: that would date them now), do not count for
    /// `seq` (they were taken once already), and produce no new reject rows.
    mutating func replay(_ messages: [ReplayableMessage]) -> (batch: IngestBatch, messages: [ReplayedMessage]) {
        var combined = IngestBatch()
        var replayed: [ReplayedMessage] = []
        for message in messages {
            var tally = Tally()
            let inbox = InboxMessage(
                topic: message.topic, payload: message.payload, qos: 1, receivedAt: message.receivedAt)
            let batch = process([inbox], tally: &tally, replaying: true)
            replayed.append(
                ReplayedMessage(
                    keys: batch.readings.map { ReadingKey(series: $0.series, milliseconds: $0.timestamp.milliseconds) },
                    reasons: Set(batch.rejects.map(\.reason))))
            combined.readings += batch.readings
            combined.revisions += batch.revisions
            combined.sites.merge(batch.sites) { _, new in new }
        }
        return (combined, replayed)
    }

    mutating func process(_ messages: [InboxMessage], tally: inout Tally, replaying: Bool = false) -> IngestBatch {
        var batch = IngestBatch()
        batch.readings.reserveCapacity(messages.count)
        for message in messages {
            tally.messages += 1
            batch.receivedAt = max(batch.receivedAt ?? message.receivedAt, message.receivedAt)
            if let position = message.position { batch.inboxPosition = max(batch.inboxPosition ?? position, position) }
            // Our own alert notices and hourly VN_AQI: the MQTT thread drops them now, but a
            // journal written before that may still hold some. Not sensor data.
            if ownPublications.contains(message.topic) {
                tally.ignored += 1
                continue
            }
            let route = route(for: message.topic)
            var context = DecodeContext(
                topic: message.topic, topicPrefix: configuration.topicPrefix, format: route?.format ?? .auto,
                receivedAt: message.receivedAt, precision: route?.precision ?? .nanoseconds,
                maximumPayloadBytes: configuration.ingest.maximumPayloadBytes)
            context.statusFields = statusFields
            let decoded = PayloadDecoder.decode(message.payload, context: context)
            var rejections = RejectionsOfMessage(message: message)
            for rejection in decoded.rejections { rejections.add(rejection) }
            defer { batch.rejects += rejections.records() }
            if !replaying, let first = decoded.samples.first, let sequence = first.sequence,
                !takeSequence(sequence, of: first.sensor, payload: message.payload, into: &batch)
            {
                tally.sequenceDuplicates += 1
                batch.droppedDuplicates += decoded.samples.count
                continue
            }
            for sample in decoded.samples {
                switch validator.validate(sample, receivedAt: message.receivedAt) {
                case .failure(let rejection):
                    rejections.add(rejection)
                case .success(var valid):
                    if let rejection = admitSensor(valid.series.sensor) {
                        rejections.add(rejection)
                        continue
                    }
                    // A replay keeps the original receive time, as the reading would have had it then.
                    if !replaying { stampTime(&valid, inCatchUp: message.inCatchUp, batch: &batch) }
                    let status = deviceStatus(of: valid)
                    guard status == .measuring else {
                        // Stored and flagged, never dropped; kept out of QC, whose windows would
                        // learn a calibration solution's values and judge the next real ones by them.
                        batch.readings.append(
                            Reading(
                                series: valid.series, timestamp: valid.timestamp, value: valid.value,
                                quality: .notEvaluated, timeSource: valid.timeSource, deviceStatus: status))
                        if let site = valid.site { batch.sites[valid.series.sensor] = site }
                        continue
                    }
                    var assessment = qualityControl.assess(
                        series: valid.series, timestamp: valid.timestamp, value: valid.value,
                        orderOnly: valid.timeSource.isOrderOnly)
                    assessment.reading.timeSource = valid.timeSource
                    batch.readings.append(assessment.reading)
                    if let revision = assessment.revision { batch.revisions.append(revision) }
                    if let site = valid.site { batch.sites[valid.series.sensor] = site }
                }
            }
        }
        return batch
    }

    /// An operator's window wins over what the device says; a device's report counts only for a
    /// sensor configured to make one (`status_field`).
    private func deviceStatus(of valid: ValidatedSample) -> DeviceStatus {
        if !maintenance.isEmpty {
            let status = maintenance.status(of: valid.series, at: valid.timestamp)
            if status != .measuring { return status }
        }
        guard let reported = valid.reportedStatus, statusFieldOfSensor[valid.series.sensor] != nil else {
            return .measuring
        }
        return reported
    }

    /// A reading with its own time moves the series' receipt clock on; one without takes a receipt
    /// time unique in its series, marked as order-only when it came in a catch-up burst.
    private mutating func stampTime(_ valid: inout ValidatedSample, inCatchUp: Bool, batch: inout IngestBatch) {
        guard valid.timeSource != .device else {
            receiptClock.observe(valid.series, timestamp: valid.timestamp)
            return
        }
        valid.timestamp = receiptClock.stamp(valid.series, receivedAt: valid.timestamp)
        if inCatchUp {
            valid.timeSource = .catchUp
            batch.delivery[valid.series.sensor, default: SensorDeliveryChange()].catchUpReadings += 1
        }
    }

    /// Judges a message's `seq`; false when the message is a resend to drop.
    private mutating func takeSequence(
        _ sequence: Int64, of sensor: String, payload: [UInt8], into batch: inout IngestBatch
    ) -> Bool {
        let checksum = CRC32.checksum(payload)
        let verdict = sequences.check(sensor: sensor, sequence: sequence, checksum: checksum)
        // Mutated in place through the default subscript: one lookup per message.
        return batch.delivery[sensor, default: SensorDeliveryChange()].record(
            verdict, sequence: sequence, checksum: checksum)
    }

    private mutating func route(for topic: String) -> Route? {
        if let index = routeCache[topic] { return index < 0 ? nil : routes[index] }
        let index = routes.firstIndex { $0.filter.matches(topic) } ?? -1
        if routeCache.count >= Self.routeCacheLimit { routeCache.removeAll(keepingCapacity: true) }
        routeCache[topic] = index
        return index < 0 ? nil : routes[index]
    }

    /// Unconfigured sensors are accepted up to a bound, so a flood of fake ids cannot grow
    /// memory and the database without limit.
    private mutating func admitSensor(_ sensor: String) -> Rejection? {
        if validator.sensors[sensor] != nil || unconfiguredSensors.contains(sensor) { return nil }
        guard unconfiguredSensors.count < configuration.ingest.maximumSensors else {
            return Rejection(
                .unknownSensor,
                "sensor \"\(sensor)\" is not configured and \(configuration.ingest.maximumSensors) unconfigured sensors "
                    + "are already known (ingest.max_sensors)")
        }
        unconfiguredSensors.insert(sensor)
        return nil
    }

}
