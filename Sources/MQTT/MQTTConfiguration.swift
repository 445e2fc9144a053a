internal import CMosquitto
import Glibc

/// Everything a client needs to connect, validated when the `MQTTClient` is created.
package struct MQTTConfiguration: Sendable {
    package enum ProtocolVersion: Sendable, Equatable, CustomStringConvertible {
        case v311
        case v5

        package var description: String { self == .v5 ? "5" : "3.1.1" }
    }

    /// What the broker keeps between connections.
    package enum Session: Sendable, Equatable {
        /// Start afresh on every connection (clean_session / clean_start = true).
        case clean
        /// Keep subscriptions and queued QoS>0 messages while disconnected: fixed client id,
        /// clean_session = false and, for MQTT 5, Session-Expiry-Interval = `expiry` on CONNECT
        /// (without it an MQTT 5 session ends with the connection). For 3.1.1 the broker's
        /// `persistent_client_expiration` decides how long the session lives.
        case persistent(expiry: Duration)
    }

    /// TLS material for `mqtts://` (PEM file paths). Without `caFile` the system's CAs are trusted.
    package struct TLS: Sendable, Equatable {
        package var caFile: String?
        package var certFile: String?
        package var keyFile: String?

        package init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// Waits between connection attempts: `minimum` after a connection that had been accepted,
    /// doubling after every failed attempt up to `maximum`.
    package struct Backoff: Sendable, Equatable {
        package var minimum: Duration
        package var maximum: Duration

        package init(minimum: Duration, maximum: Duration) {
            self.minimum = minimum
            self.maximum = maximum
        }

        /// The delay after `delay`: doubled, capped at `maximum`.
        package func next(after delay: Duration) -> Duration {
            Swift.min(delay * 2, maximum)
        }
    }

    package var broker: MQTTBrokerURL
    /// Required for a persistent session; libmosquitto/the broker make one up when nil.
    package var clientID: String?
    package var username: String?
    package var password: String?
    package var tls: TLS?
    package var protocolVersion: ProtocolVersion
    package var session: Session
    /// At least 5 s (libmosquitto's floor). A silent broker is detected after about 1.5 × this.
    package var keepalive: Duration
    /// Subscribed on every (re)connection, so they are restored even when the session was lost.
    package var subscriptions: [MQTTSubscription]
    package var backoff: Backoff
    /// Outgoing QoS 1/2 messages in flight at once (libmosquitto's default is 20; 0 = unlimited).
    /// MQTT 5 brokers announce their own limit, which wins. With 3.1.1 keep this at or below the
    /// broker's `max_inflight_messages` (mosquitto: 20): mosquitto 2.0.11 answers the excess QoS 2
    /// PUBLISH with a 3.1.1-invalid PUBREC and the connection breaks.
    package var maxInflightMessages: Int?
    /// MQTT 5 only: incoming QoS 1/2 messages the broker may have in flight to us at once.
    /// Defaults to 65535 (see MQTTClient for why not libmosquitto's 20).
    package var receiveMaximum: Int?
    /// Disable Nagle's algorithm (lower latency for small messages).
    package var tcpNoDelay: Bool
    /// Emit `.published(messageID:)` for every completed publish (sent for QoS 0, PUBACK for QoS 1,
    /// PUBCOMP for QoS 2). Off by default: most clients do not want an event per message.
    package var reportsPublished: Bool

    package init(
        broker: MQTTBrokerURL, clientID: String? = nil, username: String? = nil, password: String? = nil,
        tls: TLS? = nil, protocolVersion: ProtocolVersion = .v5, session: Session = .clean,
        keepalive: Duration = .seconds(30), subscriptions: [MQTTSubscription] = [],
        backoff: Backoff = Backoff(minimum: .seconds(1), maximum: .seconds(30)), maxInflightMessages: Int? = nil,
        receiveMaximum: Int? = nil, tcpNoDelay: Bool = false, reportsPublished: Bool = false
    ) {
        self.broker = broker
        self.clientID = clientID
        self.username = username
        self.password = password
        self.tls = tls
        self.protocolVersion = protocolVersion
        self.session = session
        self.keepalive = keepalive
        self.subscriptions = subscriptions
        self.backoff = backoff
        self.maxInflightMessages = maxInflightMessages
        self.receiveMaximum = receiveMaximum
        self.tcpNoDelay = tcpNoDelay
        self.reportsPublished = reportsPublished
    }

    /// Checks everything libmosquitto would reject later, naming the setting.
    package func validate() throws(MQTTError) {
        func fail(_ key: String, _ why: String) -> MQTTError { .configuration("mqtt.\(key)", why) }
        if case .persistent(let expiry) = session {
            guard let clientID, !clientID.isEmpty else {
                throw fail("clientID", "a persistent session needs a fixed client id")
            }
            guard expiry >= .zero, expiry.wholeSeconds <= Int64(UInt32.max) else {
                throw fail("session.expiry", "must be between 0 s and \(UInt32.max) s")
            }
        }
        if let clientID, clientID.utf8.count > 65535 {
            throw fail("clientID", "longer than 65535 bytes")
        }
        if password != nil && username == nil {
            throw fail("password", "a password needs a username")
        }
        if tls != nil && !broker.usesTLS {
            throw fail("tls", "TLS files given but the broker URL is \(broker) (use mqtts://)")
        }
        if let tls, (tls.certFile == nil) != (tls.keyFile == nil) {
            throw fail("tls", "certFile and keyFile go together")
        }
        guard keepalive >= .seconds(5), keepalive.wholeSeconds <= 65535 else {
            throw fail("keepalive", "must be between 5 s and 65535 s")
        }
        for (index, subscription) in subscriptions.enumerated() {
            guard !subscription.filter.isEmpty else { throw fail("subscriptions[\(index)].filter", "empty") }
            guard mosquitto_sub_topic_check(subscription.filter) == MOSQ_ERR_SUCCESS.rawValue else {
                throw fail(
                    "subscriptions[\(index)].filter",
                    "\"\(subscription.filter)\" is not a valid topic filter (# last, + whole levels)")
            }
            guard subscription.qos <= 2 else { throw fail("subscriptions[\(index)].qos", "must be 0, 1 or 2") }
        }
        guard backoff.minimum > .zero, backoff.maximum >= backoff.minimum else {
            throw fail("backoff", "need 0 < minimum <= maximum")
        }
        if let maxInflightMessages, !(0...65535).contains(maxInflightMessages) {
            throw fail("maxInflightMessages", "must be between 0 and 65535")
        }
        if let receiveMaximum, !(1...65535).contains(receiveMaximum) {
            throw fail("receiveMaximum", "must be between 1 and 65535")
        }
    }

    /// Reads a password kept in a file (e.g. a systemd credential), dropping trailing newlines.
    package static func readPassword(fromFile path: String) throws(MQTTError) -> String {
        let operation = "read password file \(path)"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MQTTError(code: -Int(errno), operation: operation, message: systemError()) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw MQTTError(code: -Int(errno), operation: operation, message: systemError())
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        guard let password = String(validating: bytes, as: UTF8.self) else {
            throw .configuration(operation, "not UTF-8 text")
        }
        return password
    }
}

/// One topic filter and the QoS asked for it.
package struct MQTTSubscription: Sendable, Equatable, CustomStringConvertible {
    package var filter: String
    package var qos: UInt8

    package init(_ filter: String, qos: UInt8 = 1) {
        self.filter = filter
        self.qos = qos
    }

    package var description: String { "\(filter) (QoS \(qos))" }
}

extension Duration {
    var wholeSeconds: Int64 { components.seconds }
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

func systemError() -> String {
    String(cString: strerror(errno))
}
