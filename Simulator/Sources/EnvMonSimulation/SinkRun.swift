internal import MQTT
import Synchronization

/// The broker's delivery ceiling: a subscriber that only counts, fed by the same load stream the
/// daemon gets (published in-process, or by another process), so the daemon's stored rate can be
/// given as a ratio to it.
package struct SinkRun {
    package struct Settings: Sendable {
        package var broker: String
        package var filter: String
        package var qos: UInt8 = 1
        /// Messages to wait for.
        package var expected: Int
        /// Publish this stream in-process once subscribed (else wait for another publisher).
        package var stream: LoadStream?
        package var rate: Double = 0
        package var window = 2000
        package var idleTimeout: Duration = .seconds(30)

        package init(broker: String, filter: String, expected: Int) {
            self.broker = broker
            self.filter = filter
            self.expected = expected
        }
    }

    final class Counter: Sendable {
        let received = Atomic<Int>(0)
        let first = Atomic<Int64>(0)
        let last = Atomic<Int64>(0)
        let subscribed = Atomic<Bool>(false)
    }

    package let settings: Settings

    package init(settings: Settings) { self.settings = settings }

    package func run() throws -> LoadReport {
        let counter = Counter()
        let configuration = MQTTConfiguration(
            broker: try MQTTBrokerURL(settings.broker), clientID: "envmon-sink-\(UInt32.random(in: 0...UInt32.max))",
            protocolVersion: .v5, session: .clean,
            subscriptions: [MQTTSubscription(settings.filter, qos: settings.qos)],
            tcpNoDelay: true)
        let sink = try MQTTClient(
            configuration: configuration,
            onMessage: { _ in
                let now = monotonicNanoseconds()
                if counter.received.add(1, ordering: .relaxed).newValue == 1 {
                    counter.first.store(now, ordering: .relaxed)
                }
                counter.last.store(now, ordering: .relaxed)
            },
            onEvent: { event in
                if case .subscribed = event { counter.subscribed.store(true, ordering: .releasing) }
            })
        try sink.start()
        defer { sink.stop() }
        let deadline = monotonicNanoseconds() + 15_000_000_000
        while !counter.subscribed.load(ordering: .acquiring) {
            if monotonicNanoseconds() > deadline {
                throw SimulatorError("the sink could not subscribe to \(settings.filter)")
            }
            sleepNanoseconds(5_000_000)
        }

        var start = monotonicNanoseconds()
        var publishEnd = start
        var pack = 1
        var series = 0
        if let stream = settings.stream {
            pack = stream.pack
            series = stream.series
            let publisher = try Publisher(broker: settings.broker, window: settings.window)
            defer { publisher.stop() }
            try publisher.waitUntilConnected()
            start = monotonicNanoseconds()
            for index in 0..<stream.messageCount {
                if StopSignal.requested { break }
                if settings.rate > 0 {
                    let due = start + Int64(Double(index * stream.pack) / settings.rate * 1e9)
                    let wait = due - monotonicNanoseconds()
                    if wait > 50_000 { sleepNanoseconds(wait) }
                }
                let message = stream.message(index)
                try publisher.publish(topic: message.topic, payload: message.payload, qos: settings.qos)
            }
            publishEnd = monotonicNanoseconds()
            publisher.drain(timeout: .seconds(120))
        }
        var seen = 0
        var lastProgress = monotonicNanoseconds()
        while !StopSignal.requested {
            let now = counter.received.load(ordering: .relaxed)
            if now > seen {
                seen = now
                lastProgress = monotonicNanoseconds()
            }
            if seen >= settings.expected { break }
            if monotonicNanoseconds() - lastProgress > Int64(settings.idleTimeout.nanoseconds) { break }
            sleepNanoseconds(5_000_000)
        }
        let received = counter.received.load(ordering: .relaxed)
        let first = settings.stream == nil ? counter.first.load(ordering: .relaxed) : start
        let last = counter.last.load(ordering: .relaxed)
        let seconds = max(1e-9, Double(last - first) / 1e9)
        let readings = received * pack
        return LoadReport(
            mode: "sink", qos: Int(settings.qos), pack: pack, series: series, messages: received,
            readings: settings.stream?.count ?? readings,
            publishSeconds: Double(publishEnd - start) / 1e9,
            publishRate: Double(settings.stream?.count ?? 0) / max(1e-9, Double(publishEnd - start) / 1e9),
            storedRate: Double(readings) / seconds, storedSeconds: seconds, stored: readings,
            lost: max(0, settings.expected - received) * pack, duplicates: max(0, received - settings.expected),
            latencySamples: 0, note: "stored = received by the sink")
    }
}
