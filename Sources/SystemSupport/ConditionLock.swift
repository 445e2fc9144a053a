#if canImport(Glibc)
    internal import Glibc
#endif

/// A pthread mutex and condition variables, for threads that are not Swift tasks (libmosquitto's
/// network thread, the ingest thread) and must block: `Synchronization.Mutex` has no condition.
/// Timed waits run on CLOCK_MONOTONIC (`MonotonicClock`), so a wall-clock step neither ends a
/// wait early nor makes it hang.
package final class ConditionLock: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions: UnsafeMutablePointer<pthread_cond_t>
    private let conditionCount: Int

    /// A lock with `conditions` condition variables, told apart by their index.
    package init(conditions: Int = 1) {
        precondition(conditions > 0)
        conditionCount = conditions
        self.conditions = .allocate(capacity: conditions)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        for index in 0..<conditions { pthread_cond_init(self.conditions + index, &attributes) }
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        for index in 0..<conditionCount { pthread_cond_destroy(conditions + index) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }

    package func unlock() { pthread_mutex_unlock(mutex) }

    package func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal on `condition`, holding the lock before and after. May wake without
    /// one: check what is waited for again.
    package func wait(_ condition: Int = 0) {
        pthread_cond_wait(conditions + condition, mutex)
    }

    /// `wait`, ending at the latest at `deadline` (`MonotonicClock` nanoseconds). False when the
    /// deadline passed.
    @discardableResult
    package func wait(_ condition: Int = 0, until deadline: UInt64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(conditions + condition, mutex, &time) != ETIMEDOUT
    }

    /// Wakes one waiter of `condition`.
    package func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }

    /// Wakes every waiter of `condition`.
    package func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }
}
