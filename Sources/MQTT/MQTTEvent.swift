/// Connection life-cycle, delivered on the client's network thread in the order it happened.
package enum MQTTEvent: Sendable, Equatable, CustomStringConvertible {
    /// CONNACK accepted. `sessionPresent`: the broker resumed a persistent session.
    case connected(sessionPresent: Bool)
    /// All SUBACKs for this connection arrived, one result per configured subscription, in order.
    case subscribed([MQTTSubscriptionResult])
    /// The broker answered CONNECT with a refusal (bad credentials, not authorized, ...).
    /// `code` is the CONNACK return code (3.1.1) or reason code (MQTT 5).
    case connectionRefused(code: Int, reason: String)
    /// No MQTT connection came about: TCP/TLS/DNS failure, or the socket closed before CONNACK.
    case connectFailed(reason: String)
    /// An accepted connection ended. `requested`: by `stop()`.
    case disconnected(reason: String, requested: Bool)
    /// The next connection attempt starts after `delay` (bounded backoff).
    case reconnecting(attempt: Int, delay: Duration)
    /// A publish completed (only with `MQTTConfiguration.reportsPublished`).
    case published(messageID: Int)
    /// The broker answered a QoS ≥ 1 publish with a failure reason code (MQTT 5), e.g. 0x87 when
    /// its ACL does not let us write the topic: the message was dropped. Always reported.
    case publishRefused(messageID: Int, reasonCode: Int)
    /// The network thread has finished; nothing follows.
    case stopped

    package var description: String {
        switch self {
        case .connected(let sessionPresent):
            "connected (\(sessionPresent ? "session resumed" : "new session"))"
        case .subscribed(let results):
            "subscribed: " + results.map(\.description).joined(separator: ", ")
        case .connectionRefused(let code, let reason):
            "connection refused by broker: \(reason) (code \(code))"
        case .connectFailed(let reason):
            "cannot connect: \(reason)"
        case .disconnected(let reason, let requested):
            requested ? "disconnected on request" : "disconnected: \(reason)"
        case .reconnecting(let attempt, let delay):
            "reconnecting in \(delay) (attempt \(attempt))"
        case .published(let messageID):
            "published message \(messageID)"
        case .publishRefused(let messageID, let reasonCode):
            "broker refused published message \(messageID): \(MQTTEvent.describePublishReason(reasonCode))"
        case .stopped:
            "stopped"
        }
    }
}

/// What the broker granted for one subscription.
package struct MQTTSubscriptionResult: Sendable, Equatable, CustomStringConvertible {
    package var filter: String
    package var requestedQoS: UInt8
    /// The granted QoS (0-2), or a failure code (>= 0x80; 0x80 is the 3.1.1 failure, MQTT 5 has
    /// specific ones such as 0x87 not authorized).
    package var reasonCode: UInt8

    package init(filter: String, requestedQoS: UInt8, reasonCode: UInt8) {
        self.filter = filter
        self.requestedQoS = requestedQoS
        self.reasonCode = reasonCode
    }

    package var isGranted: Bool { reasonCode < 0x80 }
    /// The granted QoS, nil when the subscription was refused.
    package var grantedQoS: UInt8? { isGranted ? reasonCode : nil }

    package var description: String {
        isGranted
            ? "\(filter) QoS \(reasonCode)"
            : "\(filter) refused (0x\(String(reasonCode, radix: 16)))"
    }
}

extension MQTTEvent {
    /// MQTT 5 PUBACK/PUBREC reason codes (§3.4.2.1) a broker may refuse a publish with.
    static func describePublishReason(_ code: Int) -> String {
        let names = [
            0x80: "unspecified error", 0x83: "implementation specific error", 0x87: "not authorized (ACL)",
            0x90: "topic name invalid", 0x91: "packet identifier in use", 0x97: "quota exceeded",
            0x99: "payload format invalid",
        ]
        return "\(names[code] ?? "reason") (0x\(String(code, radix: 16)))"
    }
}
