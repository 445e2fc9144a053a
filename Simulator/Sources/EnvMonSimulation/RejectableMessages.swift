internal import EnvMonConfig

/// The extra messages of one-message faults, each one the daemon must reject: undecodable (in
/// three ways, in turn), an unknown metric, NaN, a time too far ahead or too far back, too large.
struct RejectableMessages: Sendable {
    private let ingest: IngestSettings
    private var malformedVariant = 0

    init(ingest: IngestSettings) { self.ingest = ingest }

    /// The message `kind` adds beside `value` of a reading at `time` on `sensorTopic`; nil for
    /// kinds that add none. `now` is the wall clock the daemon will judge the time by.
    mutating func message(
        _ kind: FaultKind, value: SimulatedValue, time: Int64, sensorTopic: String, now: Int64
    ) -> OutgoingMessage? {
        var topic = sensorTopic
        var payload: [UInt8]
        switch kind {
        case .malformed:
            malformedVariant += 1
            switch malformedVariant % 3 {
            case 0:
                payload = Array("{\"ts\":\(time),\"\(value.metric)\":\(value.text)".utf8)
            case 1:
                topic = sensorTopic + "/" + value.metric
                payload = Array("\(value.text)..5".utf8)
            default:
                payload = [0xFF, 0xFE, 0x7B, 0x7D]
            }
        case .unknownMetric:
            payload = Array("{\"ts\":\(time),\"temprature\":\(value.text)}".utf8)
        case .nan:
            topic = sensorTopic + "/" + value.metric
            payload = Array("NaN".utf8)
        case .futureTimestamp:
            let skew = ingest.maximumFutureSkew.wholeMillisecondsValue
            payload = Array("{\"ts\":\(now + skew + SimulationClock.hour),\"\(value.metric)\":\(value.text)}".utf8)
        case .staleTimestamp:
            let age = ingest.maximumAge.wholeMillisecondsValue
            payload = Array("{\"ts\":\(now - age - SimulationClock.day),\"\(value.metric)\":\(value.text)}".utf8)
        case .oversize:
            let size = ingest.maximumPayloadBytes + 1024
            let head = "{\"ts\":\(time),\"\(value.metric)\":\(value.text),\"note\":\""
            payload = Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: size) + Array("\"}".utf8)
        default:
            return nil
        }
        return OutgoingMessage(topic: topic, payload: payload, style: nil, readings: 0, fault: kind)
    }
}
