/// Tells a broker's redelivery of a message already in the inbox journal from a new message.
///
/// libmosquitto hands `on_message` the packet identifier but not the DUP flag. When a connection
/// ends (our kill -9, a broker restart, a network cut) the PUBACKs of the last few messages may
/// never have reached the broker, although the messages are in the journal. On the next
/// connection that resumes the session, the broker sends exactly those again, first, with the
/// same packet identifier, topic and payload (mosquitto resends its in-flight queue before
/// anything else; it also persists each session's last identifier, so identifiers do not restart
/// at 1 after a broker restart). So a message is a redelivery when, at the start of a resumed
/// session, it matches one of the previous connection's last messages on all three; the first
/// message that does not match ends that phase, and from then on nothing is matched (identifiers
/// are reused after 65,535 messages, and a sensor may well send the same value on the same topic).
///
/// Not thread-safe: the inbox journal keeps it under its lock.
struct RedeliveryWindow {
    /// What identifies one delivery: packet identifier, and a checksum and length of topic and payload.
    struct Key: Hashable {
        var messageID: UInt16
        var checksum: UInt32
        var length: Int
    }

    /// How many of the latest deliveries are remembered. The broker never has more than its
    /// `max_inflight_messages` unacknowledged at once (100 in the shipped mosquitto.conf); this
    /// leaves a wide margin.
    let capacity: Int
    private var recent: [Key] = []
    private var next = 0
    /// The previous connection's deliveries that may come again, with how often each was seen.
    private var candidates: [Key: Int] = [:]
    private(set) var redeliveries = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        recent.reserveCapacity(capacity)
    }

    static func key(messageID: UInt16, topic: String, payload: [UInt8]) -> Key {
        var topic = topic
        let topicChecksum = topic.withUTF8 { CRC32.checksum(UnsafeRawBufferPointer($0)) }
        let checksum = payload.withUnsafeBytes { CRC32.checksum($0, seed: topicChecksum) }
        return Key(messageID: messageID, checksum: checksum, length: topic.utf8.count + payload.count)
    }

    /// A new connection was accepted. Only a resumed session can bring redeliveries.
    mutating func beginConnection(sessionResumed: Bool) {
        candidates = [:]
        if sessionResumed {
            for key in recent { candidates[key, default: 0] += 1 }
        }
    }

    /// Whether `key` is a redelivery of a message already journaled; remembers it either way.
    mutating func isRedelivery(_ key: Key) -> Bool {
        remember(key)
        guard !candidates.isEmpty else { return false }
        guard let count = candidates[key] else {
            // The first new message ends the resent prefix.
            candidates = [:]
            return false
        }
        if count == 1 { candidates[key] = nil } else { candidates[key] = count - 1 }
        redeliveries += 1
        return true
    }

    /// Remembers a delivery without judging it (records read back from the journal at start).
    /// A redelivery is remembered too: if its PUBACK is lost again, it comes a third time.
    mutating func remember(_ key: Key) {
        guard key.messageID != 0 else { return }  // QoS 0, or a record written before identifiers were kept
        if recent.count < capacity {
            recent.append(key)
        } else {
            recent[next] = key
            next = (next + 1) % capacity
        }
    }
}
