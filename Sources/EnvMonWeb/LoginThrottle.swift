internal import Synchronization

/// Slows password guessing at the login form: failures are counted per remote address and per
/// user name separately, and either reaching `maximumFailures` within `window` locks logins
/// from that address, or to that name, for `lockout`. The per-name count stops a slow guess at
/// one account from many addresses; the per-address count stops one address trying many names.
///
/// Call `check` before verifying a password (a locked attempt is refused without spending a
/// bcrypt), then `recordFailure` or `recordSuccess`. Logging failures is the caller's job.
package final class LoginThrottle: Sendable {
    package let maximumFailures: Int
    package let window: Duration
    package let lockout: Duration
    /// The most addresses, and separately the most names, remembered at once.
    package let maximumEntries: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let tables = Mutex(Tables())

    private struct Tables {
        var addresses = FailureTable()
        var users = FailureTable()
    }

    package init(
        maximumFailures: Int = 5, window: Duration = .seconds(900), lockout: Duration = .seconds(900),
        maximumEntries: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        precondition(maximumFailures > 0 && window > .zero && lockout > .zero && maximumEntries > 0)
        self.maximumFailures = maximumFailures
        self.window = window
        self.lockout = lockout
        self.maximumEntries = maximumEntries
        self.now = now
    }

    /// nil when a login from `address` as `user` may be tried now; otherwise how long to wait.
    /// `address` is the peer's IP address; a port, if given, is ignored.
    package func check(address: String, user: String) -> Duration? {
        let instant = now()
        let key = ThrottleAddress.key(address)
        return tables.withLock { tables in
            let waits = [
                tables.addresses.wait(for: key, at: instant, limits), tables.users.wait(for: user, at: instant, limits),
            ]
            return waits.compactMap { $0 }.max()
        }
    }

    package func recordFailure(address: String, user: String) {
        let instant = now()
        let key = ThrottleAddress.key(address)
        tables.withLock { tables in
            tables.addresses.recordFailure(for: key, at: instant, limits)
            tables.users.recordFailure(for: user, at: instant, limits)
        }
    }

    /// Forgets the earlier failures of this address and this name: a staff member who mistyped
    /// and then got in starts afresh. (A locked address or name cannot get here, since `check`
    /// refuses it before the password is tried.)
    package func recordSuccess(address: String, user: String) {
        let key = ThrottleAddress.key(address)
        tables.withLock { tables in
            tables.addresses.reset(key)
            tables.users.reset(user)
        }
    }

    /// Entries held (addresses, names), for tests of the memory bound.
    package var entryCounts: (addresses: Int, users: Int) {
        tables.withLock { ($0.addresses.count, $0.users.count) }
    }

    private var limits: FailureTable.Limits {
        FailureTable.Limits(
            maximumFailures: maximumFailures, window: window, lockout: lockout, maximumEntries: maximumEntries)
    }
}
