public import EnvMonCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// The wall clock, read where a message is received. Everything downstream takes times as
/// values, so tests inject their own.
public enum SystemClock {
    public static func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(milliseconds: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}
