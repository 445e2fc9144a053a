/// One received PUBLISH: topic and payload copied out of libmosquitto's buffers once.
package struct MQTTMessage: Sendable, Equatable {
    package var topic: String
    package var payload: [UInt8]
    package var qos: UInt8
    package var retain: Bool
    /// The packet identifier the broker gave this delivery (0 for QoS 0). A redelivery after a
    /// reconnect that resumed the session carries the same one; identifiers are reused over time.
    package var messageID: UInt16

    package init(topic: String, payload: [UInt8], qos: UInt8, retain: Bool, messageID: UInt16 = 0) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.messageID = messageID
    }
}
