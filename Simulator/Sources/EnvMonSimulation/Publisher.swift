package import MQTT
import Synchronization

/// A flow-controlled MQTT publisher: at most `window` messages in flight (sent but not yet
/// completed: PUBACK for QoS 1, PUBCOMP for QoS 2, written for QoS 0), so a fast producer never
/// piles an unbounded queue into libmosquitto.
package final class Publisher: Sendable {
    package let client: MQTTClient
    package let window: Int
    private let sent = Atomic<Int>(0)
    private let refusal = Locked<String?>(nil)

    package init(broker: String, clientID: String? = nil, window: Int = 2000) throws {
        let url = try MQTTBrokerURL(broker)
        let configuration = MQTTConfiguration(
            broker: url, clientID: clientID ?? "envmon-sim-\(UInt32.random(in: 0...UInt32.max))",
            protocolVersion: .v5, session: .clean, keepalive: .seconds(30),
            backoff: .init(minimum: .milliseconds(200), maximum: .seconds(5)), maxInflightMessages: 0,
            tcpNoDelay: true)
        let refusal = self.refusal
        client = try MQTTClient(
            configuration: configuration, onMessage: { _ in },
            onEvent: { event in
                switch event {
                case .connectionRefused(_, let reason): refusal.set(reason)
                case .disconnected(let reason, false): Diagnostics.note("MQTT disconnected: \(reason)")
                default: break
                }
            })
        self.window = max(1, window)
        try client.start()
    }

    /// Messages handed to the client so far.
    package var published: Int { sent.load(ordering: .relaxed) }
    package var completed: Int { client.completedPublishCount }

    package func waitUntilConnected(timeout: Duration = .seconds(15)) throws(SimulatorError) {
        let deadline = monotonicNanoseconds() + timeout.nanoseconds
        while !client.isConnected {
            if let reason = refusal.value { throw SimulatorError("the broker refused us: \(reason)") }
            if monotonicNanoseconds() > deadline {
                throw SimulatorError("cannot connect to \(client.configuration.broker) within \(timeout)")
            }
            sleepNanoseconds(5_000_000)
        }
    }

    /// Publishes one message, waiting while the window is full or the connection is down.
    package func publish(topic: String, payload: [UInt8], qos: UInt8) throws(SimulatorError) {
        while sent.load(ordering: .relaxed) - client.completedPublishCount >= window {
            sleepNanoseconds(20_000)
        }
        var attempts = 0
        while true {
            do {
                try client.publish(topic: topic, payload: payload, qos: qos)
                sent.add(1, ordering: .relaxed)
                return
            } catch {
                // QoS 0 cannot be queued while disconnected: wait for the reconnection.
                attempts += 1
                if attempts > 3000 { throw SimulatorError("publish \(topic): \(error)") }
                sleepNanoseconds(10_000_000)
            }
        }
    }

    package func publish(_ message: OutgoingMessage, qos: UInt8) throws(SimulatorError) {
        try publish(topic: message.topic, payload: message.payload, qos: qos)
    }

    /// Waits until every message handed over has completed; false on timeout.
    @discardableResult
    package func drain(timeout: Duration = .seconds(60)) -> Bool {
        let deadline = monotonicNanoseconds() + timeout.nanoseconds
        while client.completedPublishCount < published {
            if monotonicNanoseconds() > deadline { return false }
            sleepNanoseconds(1_000_000)
        }
        return true
    }

    package func stop() { client.stop() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
