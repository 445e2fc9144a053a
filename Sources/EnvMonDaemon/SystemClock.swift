package import EnvMonCore
internal import Foundation
internal import Synchronization
internal import SystemSupport

/// The wall clock, read where a message is received. Everything downstream takes times as
/// values, so tests inject their own.
package enum SystemClock {
    /// Test hook (`ENVMON_TEST_CLOCK_OFFSET_FILE`): milliseconds added to the wall clock, as if an
    /// administrator or NTP had stepped it. Zero in production.
    static let testOffset = Atomic<Int64>(0)

    package static func now() -> Timestamp {
        Timestamp(milliseconds: WallClock.nowMilliseconds() + testOffset.load(ordering: .relaxed))
    }
}

/// Notices when the wall clock is stepped rather than running: the difference between the wall
/// clock and the monotonic clock changes by more than `threshold` between two looks.
struct ClockStepDetector {
    private var offset: Int64
    private let threshold: Int64
    private let testOffsetFile = ProcessInfo.processInfo.environment["ENVMON_TEST_CLOCK_OFFSET_FILE"]

    init(thresholdMilliseconds: Int64 = 2000) {
        threshold = thresholdMilliseconds
        offset = 0
        offset = currentOffset()
    }

    /// The step since the last look, in milliseconds, or nil when the clock only ran.
    mutating func check() -> Int64? {
        if let testOffsetFile, let text = try? String(contentsOfFile: testOffsetFile, encoding: .utf8),
            let value = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            SystemClock.testOffset.store(value, ordering: .relaxed)
        }
        let now = currentOffset()
        let step = now - offset
        offset = now
        return abs(step) > threshold ? step : nil
    }

    private func currentOffset() -> Int64 {
        let monotonicMilliseconds = Int64(MonotonicClock.nanoseconds() / 1_000_000)
        return SystemClock.now().milliseconds - monotonicMilliseconds
    }
}
