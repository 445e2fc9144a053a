#if canImport(Glibc)
    internal import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds: for rates, latencies and deadlines, which a wall-clock step
/// must not stretch or cut short. The same clock as `ConditionLock`'s timed waits.
package enum MonotonicClock {
    package static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The reading `duration` from now (now itself for a negative duration).
    package static func nanoseconds(after duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return nanoseconds() + UInt64(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }
}
