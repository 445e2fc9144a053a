package import EnvMonCore
internal import SystemSupport

/// The wall clock as the daemon reads it: the time of a received message, of a statistics row,
/// of an alert. It can step (NTP, an administrator), so it is not a `Clock`; durations and timers
/// use the monotonic clock each service is given. Passed to every service that needs the time,
/// so tests can step it.
package protocol WallClockSource: Sendable {
    func now() -> Timestamp
}

/// The system's real-time clock (CLOCK_REALTIME).
package struct SystemWallClock: WallClockSource {
    package init() {}

    package func now() -> Timestamp { Timestamp(milliseconds: WallClock.nowMilliseconds()) }
}
