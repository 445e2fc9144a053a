/// Failed logins counted per key (a remote address or a user name) for `LoginThrottle`.
///
/// Each key counts failures in a fixed window that opens with its first failure; reaching the
/// limit locks the key until the lockout ends, after which it starts from zero. Failures while
/// locked are not counted (the caller should not have tried) and do not extend the lockout.
struct FailureTable {
    struct Limits {
        var maximumFailures: Int
        var window: Duration
        var lockout: Duration
        var maximumEntries: Int
    }

    private struct Entry {
        var windowStart: ContinuousClock.Instant
        var failures: Int
        var lockedUntil: ContinuousClock.Instant?

        /// When the entry no longer matters: its lockout ends, or its window closes.
        func relevantUntil(_ limits: Limits) -> ContinuousClock.Instant {
            lockedUntil ?? windowStart + limits.window
        }
    }

    private var entries: [String: Entry] = [:]

    var count: Int { entries.count }

    /// How long `key` must wait before trying again; nil when it may try now.
    mutating func wait(for key: String, at now: ContinuousClock.Instant, _ limits: Limits) -> Duration? {
        guard let entry = entries[key] else { return nil }
        guard now < entry.relevantUntil(limits) else {
            entries[key] = nil
            return nil
        }
        return entry.lockedUntil.map { $0 - now }
    }

    mutating func recordFailure(for key: String, at now: ContinuousClock.Instant, _ limits: Limits) {
        var entry: Entry
        if let existing = entries[key], now < existing.relevantUntil(limits) {
            guard existing.lockedUntil == nil else { return }
            entry = existing
            entry.failures += 1
        } else {
            entries[key] = nil
            makeRoom(at: now, limits)
            entry = Entry(windowStart: now, failures: 1, lockedUntil: nil)
        }
        if entry.failures >= limits.maximumFailures { entry.lockedUntil = now + limits.lockout }
        entries[key] = entry
    }

    mutating func reset(_ key: String) {
        entries[key] = nil
    }

    /// Keeps the table under its cap: first drops entries that no longer matter; then, if a spray
    /// of addresses or names still fills it, the unlocked entries that end soonest, and locked
    /// ones only when nothing else is left, so that flooding the table cannot lift a lockout.
    private mutating func makeRoom(at now: ContinuousClock.Instant, _ limits: Limits) {
        guard entries.count >= limits.maximumEntries else { return }
        entries = entries.filter { now < $0.value.relevantUntil(limits) }
        guard entries.count >= limits.maximumEntries else { return }
        // A tenth at once, so that a sustained spray sorts the table once per many failures.
        let excess = entries.count - limits.maximumEntries + max(1, limits.maximumEntries / 10)
        let evicted = entries.sorted { left, right in
            let (leftLocked, rightLocked) = (left.value.lockedUntil != nil, right.value.lockedUntil != nil)
            if leftLocked != rightLocked { return rightLocked }
            return left.value.relevantUntil(limits) < right.value.relevantUntil(limits)
        }.prefix(excess)
        for (key, _) in evicted { entries[key] = nil }
    }
}
