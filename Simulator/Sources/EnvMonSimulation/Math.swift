import Glibc
internal import SystemSupport

// Thin wrappers so the models read like formulas (and the module imports Glibc once).
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) func _tanh(_ x: Double) -> Double { Glibc.tanh(x) }

/// Rounds to a multiple of `step` (a sensor's resolution).
@inline(__always) func quantize(_ value: Double, _ step: Double) -> Double {
    (value / step).rounded() * step
}

/// `floor + softplus(x - floor)`: approaches `floor` smoothly instead of clipping, so a value
/// pushed down by heavy rain never sits flat on a bound (which the flat line test would flag).
@inline(__always) func softFloor(_ value: Double, _ floor: Double, width: Double = 1) -> Double {
    let x = (value - floor) / width
    return floor + width * (x > 30 ? x : Glibc.log1p(Glibc.exp(x)))
}

/// The mirror of `softFloor` for an upper bound.
@inline(__always) func softCeiling(_ value: Double, _ ceiling: Double, width: Double = 1) -> Double {
    -softFloor(-value, -ceiling, width: width)
}

/// Wall-clock time in milliseconds since the epoch: `WallClock`'s, under the simulator's old name.
package func wallClockMilliseconds() -> Int64 { WallClock.nowMilliseconds() }

/// Monotonic time in nanoseconds (for rates and latencies), signed for the simulator's arithmetic.
package func monotonicNanoseconds() -> Int64 { Int64(MonotonicClock.nanoseconds()) }

/// Sleeps the calling thread (the publishers pace themselves on their own thread).
package func sleepNanoseconds(_ nanoseconds: Int64) {
    guard nanoseconds > 0 else { return }
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

@inline(__always) func _atan2(_ y: Double, _ x: Double) -> Double { Glibc.atan2(y, x) }
