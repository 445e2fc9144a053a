internal import Foundation
import Synchronization

/// The load stream published behind the crossings of an alert-latency run, on its own
/// connection and thread, paced to a fixed rate of readings per second.
final class BackgroundLoad: Sendable {
    let stream: LoadStream
    private let publisher: Publisher
    private let rate: Double
    private let qos: UInt8
    private let sentReadings = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)
    /// Why the publisher gave up, if it did.
    let failure = Locked<String?>(nil)

    init(settings: AlertLatencyRun.Settings) throws {
        stream = settings.background
        rate = settings.backgroundRate
        qos = settings.qos
        publisher = try Publisher(broker: settings.broker, window: settings.window)
        try publisher.waitUntilConnected()
    }

    /// Readings handed to the publisher so far.
    var sent: Int { sentReadings.load(ordering: .relaxed) }

    func start() {
        let thread = Thread { [self] in
            publishAll()
            finished.store(true, ordering: .releasing)
        }
        thread.start()
    }

    /// Waits for the thread to end and the broker to take everything.
    func finish() {
        while !finished.load(ordering: .acquiring) { sleepNanoseconds(10_000_000) }
        publisher.drain(timeout: .seconds(120))
    }

    func stop() { publisher.stop() }

    private func publishAll() {
        let start = monotonicNanoseconds()
        for index in 0..<stream.messageCount {
            if StopSignal.requested { break }
            let due = start + Int64(Double(index * stream.pack) / rate * 1e9)
            let wait = due - monotonicNanoseconds()
            if wait > 50_000 { sleepNanoseconds(wait) }
            let message = stream.message(index)
            do {
                try publisher.publish(topic: message.topic, payload: message.payload, qos: qos)
            } catch {
                failure.set("\(error)")
                break
            }
            sentReadings.add(message.readings, ordering: .relaxed)
        }
    }
}
