internal import Foundation
internal import Logging
internal import MQTT
internal import ServiceLifecycle

/// Keeps the MQTT client running once the inbox journal is replayed (the journal's redelivery
/// check needs the replayed state); on shutdown disconnects, so nothing more is handed off.
final class MQTTService: Service, Sendable {
    private let client: MQTTClient
    private let receiver: MessageReceiver
    private let events: MQTTEventHandler
    private let replayed: OneTimeSignal

    init(client: MQTTClient, receiver: MessageReceiver, events: MQTTEventHandler, replayed: OneTimeSignal) {
        self.client = client
        self.receiver = receiver
        self.events = events
        self.replayed = replayed
    }

    func run() async throws {
        let replayed = self.replayed
        let ready = await cancelWhenGracefulShutdown { await replayed.wait() }
        guard ready else { return }
        let receiver = self.receiver
        let events = self.events
        try client.start(onMessage: { receiver.receive($0) }, onEvent: { events.handle($0) })
        try? await gracefulShutdown()
        // Stopping joins the network thread (≤ 1 s): on a thread of its own, not the pool.
        let client = self.client
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                client.stop(timeout: .seconds(1))
                continuation.resume()
            }.start()
        }
    }
}
