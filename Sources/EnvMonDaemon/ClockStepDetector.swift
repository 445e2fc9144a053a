internal import EnvMonCore

/// Notices when the wall clock is stepped rather than running: the difference between the wall
/// clock and the monotonic clock changes by more than `threshold` between two looks. The caller
/// reads the wall clock and hands the reading in, so the time it acts on is the one judged here.
struct ClockStepDetector<MonotonicClock: Clock<Duration>> {
    private let clock: MonotonicClock
    private let origin: MonotonicClock.Instant
    private var offset: Int64 = 0
    private let threshold: Int64

    init(wallTime: Timestamp, clock: MonotonicClock, thresholdMilliseconds: Int64 = 2000) {
        self.clock = clock
        origin = clock.now
        threshold = thresholdMilliseconds
        offset = offset(of: wallTime)
    }

    /// The step since the last look, in milliseconds, or nil when the clock only ran.
    mutating func check(wallTime: Timestamp) -> Int64? {
        let now = offset(of: wallTime)
        let step = now - offset
        offset = now
        return abs(step) > threshold ? step : nil
    }

    private func offset(of wallTime: Timestamp) -> Int64 {
        wallTime.milliseconds - origin.duration(to: clock.now).wholeMilliseconds
    }
}
