package import EnvMonCore
package import EnvMonStore

/// One MQTT message as the network thread hands it on: copied bytes, receive time, and where it
/// sits in the inbox journal (nil for QoS 0, which is not journaled).
package struct InboxMessage: Sendable {
    package var topic: String
    package var payload: [UInt8]
    package var qos: UInt8
    package var receivedAt: Timestamp
    package var position: InboxPosition?
    /// The broker's packet identifier (0 for QoS 0).
    package var messageID: UInt16
    /// Received after a reconnect, before the broker had delivered what it queued for us: the
    /// receive times of such messages say only their order, not when they were sent.
    package var inCatchUp: Bool

    package init(
        topic: String, payload: [UInt8], qos: UInt8, receivedAt: Timestamp, position: InboxPosition? = nil,
        messageID: UInt16 = 0, inCatchUp: Bool = false
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.receivedAt = receivedAt
        self.position = position
        self.messageID = messageID
        self.inCatchUp = inCatchUp
    }

    /// Approximate memory held, for the hand-off's byte bound.
    var footprint: Int { topic.utf8.count + payload.count + 64 }
}
