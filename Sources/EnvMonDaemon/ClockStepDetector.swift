internal import EnvMonCore

/// Notices when the wall clock is stepped rather than running: the difference between the wall
/// clock and the monotonic clock changes by more than `threshold` between two looks.
struct ClockStepDetector<MonotonicClock: Clock<Duration>> {
    private let wallClock: any WallClockSource
    private let clock: MonotonicClock
    private let origin: MonotonicClock.Instant
    private var offset: Int64 = 0
    private let threshold: Int64

    init(wallClock: any WallClockSource, clock: MonotonicClock, thresholdMilliseconds: Int64 = 2000) {
        self.wallClock = wallClock
        self.clock = clock
        origin = clock.now
        threshold = thresholdMilliseconds
        offset = currentOffset()
    }

    /// The step since the last look, in milliseconds, or nil when the clock only ran.
    mutating func check() -> Int64? {
        let now = currentOffset()
        let step = now - offset
        offset = now
        return abs(step) > threshold ? step : nil
    }

    private func currentOffset() -> Int64 {
        wallClock.now().milliseconds - origin.duration(to: clock.now).wholeMilliseconds
    }
}
