/// Publishes the readings that cross an alert rule's threshold, on their own connection, with
/// strictly increasing sensor times: the alert engine ignores a reading older than the last.
struct CrossingPublisher {
    private let publisher: Publisher
    private let topic: String
    private let metric: String
    private let qos: UInt8
    /// The sensor time of the last crossing reading sent.
    private(set) var lastTime: Int64 = 0

    init(settings: AlertLatencyRun.Settings) throws {
        publisher = try Publisher(
            broker: settings.broker, clientID: "envmon-sim-alert-\(UInt32.random(in: 0...UInt32.max))", window: 100)
        topic = "\(settings.background.topicPrefix)/\(settings.site)/\(settings.sensor)"
        metric = settings.metric
        qos = settings.qos
    }

    func waitUntilConnected() throws { try publisher.waitUntilConnected() }

    func stop() { publisher.stop() }

    /// Sends `value` now; the monotonic time it went.
    mutating func publish(_ value: Double) throws -> Int64 {
        let time = max(wallClockMilliseconds(), lastTime + 1)
        lastTime = time
        let payload = "{\"ts\":\(time),\"\(metric)\":\(value)}"
        let sent = monotonicNanoseconds()
        try publisher.publish(topic: topic, payload: Array(payload.utf8), qos: qos)
        return sent
    }
}
