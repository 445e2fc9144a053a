#if canImport(Glibc)
    internal import Glibc
#endif

/// The real-time clock (CLOCK_REALTIME), as the Unix epoch milliseconds every EnvMon time is.
/// Not a `Clock`: it can step (NTP, an administrator); measure durations with `MonotonicClock`.
package enum WallClock {
    package static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
