internal import Synchronization

/// Server-side sessions, in memory: a restart of `envmon serve` logs everyone out, which is
/// acceptable for a console where logging in is only needed to acknowledge alerts.
///
/// Expiry is absolute: a session ends `lifetime` after login however busy it is, so a stolen
/// cookie is worth at most one shift, and the cookie's Max-Age can simply be the lifetime.
package final class SessionStore: Sendable {
    package let lifetime: Duration
    package let maximumCount: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var sessions: [String: Session] = [:]
        /// Ids in creation order, which with a fixed lifetime is also expiry order; ids of
        /// destroyed sessions stay until they reach the front.
        var order: [String] = []
        var head = 0
    }

    /// - Parameters:
    ///   - lifetime: how long a session lasts after login.
    ///   - maximumCount: the most sessions kept; creating one more evicts the oldest, so that
    ///     memory stays bounded whatever the number of logins.
    ///   - now: the clock, injected so that tests can move time.
    package init(
        lifetime: Duration = .seconds(12 * 3600), maximumCount: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        precondition(lifetime > .zero && maximumCount > 0, "a session store needs a lifetime and room")
        self.lifetime = lifetime
        self.maximumCount = maximumCount
        self.now = now
    }

    /// Starts a session for `user` (who has just proved their password).
    package func create(user: String) -> Session {
        let created = now()
        let session = Session(
            id: RandomToken.make(), csrfToken: RandomToken.make(), user: user, created: created,
            expires: created + lifetime)
        state.withLock { state in
            Self.dropExpired(&state, at: created)
            while state.sessions.count >= maximumCount, let oldest = Self.popFront(&state) {
                state.sessions[oldest] = nil
            }
            state.sessions[session.id] = session
            state.order.append(session.id)
        }
        return session
    }

    /// The live session with this id; nil for an unknown, destroyed or expired one.
    package func session(id: String) -> Session? {
        let instant = now()
        return state.withLock { state in
            guard let session = state.sessions[id] else { return nil }
            guard instant < session.expires else {
                state.sessions[id] = nil
                return nil
            }
            return session
        }
    }

    /// Ends a session (logout). Unknown ids are ignored.
    package func destroy(id: String) {
        state.withLock { state in state.sessions[id] = nil }
    }

    /// Ends every session of `user`, such as after their account is removed or its password changed.
    package func destroyAll(user: String) {
        state.withLock { state in state.sessions = state.sessions.filter { $0.value.user != user } }
    }

    /// The number of sessions held, expired ones not yet dropped included.
    package var count: Int {
        state.withLock { $0.sessions.count }
    }

    private static func dropExpired(_ state: inout State, at instant: ContinuousClock.Instant) {
        while state.head < state.order.count {
            let id = state.order[state.head]
            if let session = state.sessions[id], instant < session.expires { break }
            state.sessions[id] = nil
            state.head += 1
        }
        compact(&state)
    }

    /// The oldest id still in the queue (possibly one already destroyed).
    private static func popFront(_ state: inout State) -> String? {
        guard state.head < state.order.count else { return nil }
        let id = state.order[state.head]
        state.head += 1
        compact(&state)
        return id
    }

    /// Drops the consumed front of the queue once it is most of the array, and ids whose session
    /// was destroyed once they outnumber the live ones, so the queue stays within twice the sessions.
    private static func compact(_ state: inout State) {
        if state.head > 0, state.head * 2 >= state.order.count {
            state.order.removeFirst(state.head)
            state.head = 0
        }
        if state.order.count - state.head > 2 * max(state.sessions.count, 64) {
            state.order = state.order[state.head...].filter { state.sessions[$0] != nil }
            state.head = 0
        }
    }
}
