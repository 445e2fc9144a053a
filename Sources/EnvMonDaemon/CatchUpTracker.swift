internal import Synchronization

/// Tells which messages of a resumed session were queued at the broker while we were away.
///
/// After a reconnect the broker first delivers what it queued for our session, as fast as it can:
/// a sensor that published once a minute for ten minutes arrives as ten messages a millisecond
/// apart. For payloads without a time of their own that spacing is not real. MQTT says nothing
/// about which message was queued, so once subscribed the daemon publishes a marker to itself at
/// QoS 1: the broker queues it behind everything already queued for us, so every message before
/// the marker arrives is marked "in catch-up" (live messages that arrive meanwhile too, which
/// errs on the safe side). A new session has nothing queued: no catch-up.
///
/// Called on the MQTT network thread only; the lock makes it `Sendable`.
final class CatchUpTracker: Sendable {
    /// `<prefix>/alerts/_catchup/<client id>`: under the subtree the daemon may already write and
    /// ignores as input.
    let markerTopic: String
    /// A broker that drops the marker silently (an MQTT 3.1.1 ACL acknowledges and discards)
    /// must not leave every later message marked: the catch-up ends after this long regardless.
    let timeout: Duration
    private struct State {
        var catchingUp = false
        var nonce: UInt64 = 0
        var markerSent = false
        var markerMessageID = -1
        var deadline = ContinuousClock.now
    }
    private let state = Mutex(State())
    /// `state.catchingUp`, readable without the lock: the MQTT thread asks for every message.
    private let catchingUpFlag = Atomic<Bool>(false)

    init(topicPrefix: String, clientID: String, timeout: Duration = .seconds(600)) {
        markerTopic = "\(topicPrefix)/alerts/_catchup/\(clientID)"
        self.timeout = timeout
    }

    /// Whether a message received now is in the catch-up. Lock-free outside a catch-up.
    var isCatchingUp: Bool {
        guard catchingUpFlag.load(ordering: .acquiring) else { return false }
        return state.withLock { state in
            if state.catchingUp, ContinuousClock.now >= state.deadline { end(&state) }
            return state.catchingUp
        }
    }

    private func end(_ state: inout State) {
        state.catchingUp = false
        catchingUpFlag.store(false, ordering: .releasing)
    }

    /// A connection was accepted.
    func connected(sessionResumed: Bool) {
        state.withLock {
            $0.catchingUp = sessionResumed
            catchingUpFlag.store(sessionResumed, ordering: .releasing)
            $0.markerSent = false
            $0.markerMessageID = -1
            $0.nonce &+= 1
            $0.deadline = ContinuousClock.now.advanced(by: timeout)
        }
    }

    /// The marker went out with this packet id.
    func markerPublished(messageID: Int) {
        state.withLock { $0.markerMessageID = messageID }
    }

    /// The broker refused a publish: if it was the marker, it will not come back.
    func publishRefused(messageID: Int) -> Bool {
        state.withLock { state in
            guard state.catchingUp, state.markerMessageID == messageID else { return false }
            end(&state)
            return true
        }
    }

    /// The payload of the marker to publish now, once per connection; nil when not catching up.
    func markerToSend(randomPart: UInt64) -> [UInt8]? {
        state.withLock { state in
            guard state.catchingUp, !state.markerSent else { return nil }
            state.markerSent = true
            state.nonce = (state.nonce & 0xFFFF) | (randomPart << 16)
            return Array(String(state.nonce).utf8)
        }
    }

    /// The marker cannot arrive (its subscription or publish was refused): stop waiting for it.
    func giveUp() {
        state.withLock { end(&$0) }
    }

    enum Marker {
        /// Ours: everything queued for us has arrived.
        case caughtUp
        /// A copy already seen, or one of an earlier connection or process.
        case other
    }

    /// Whether a message is a marker; the current one ends the catch-up. Markers are neither
    /// journaled nor stored.
    func marker(topic: String, payload: [UInt8]) -> Marker? {
        guard topic == markerTopic else { return nil }
        return state.withLock { state in
            guard state.catchingUp, state.markerSent, payload == Array(String(state.nonce).utf8) else { return .other }
            end(&state)
            return .caughtUp
        }
    }
}
