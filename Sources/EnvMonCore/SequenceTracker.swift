/// Follows each sensor's `seq` (JSON): a repeated number with the same payload is a duplicate (a
/// device that resent a message), a jump is a gap (messages the device sent that never arrived).
///
/// Only an exact resend is dropped: a device whose counter is stuck or restarts sends a known
/// number with a new payload, which is stored and counted as a restart, never lost.
package struct SequenceTracker: Sendable {
    /// How far back a late or repeated number is recognised.
    package static let window: Int64 = 64

    package enum Verdict: Equatable, Sendable {
        /// The first number seen from this sensor.
        case first
        /// The next number, or one that skipped `missing` numbers.
        case next(missing: Int64)
        /// A number within the window that had not arrived yet: it fills one missing place.
        case late
        /// The same number and payload as one already taken.
        case duplicate
        /// A number the window does not explain (counter restarted, or stuck with new values).
        case restart
    }

    /// Where a sensor's numbering stood when last stored: its last number and that payload's checksum.
    package struct Counts: Equatable, Sendable {
        package var lastSequence: Int64
        package var lastChecksum: UInt32

        package init(lastSequence: Int64, lastChecksum: UInt32) {
            self.lastSequence = lastSequence
            self.lastChecksum = lastChecksum
        }
    }

    private struct SensorState: Sendable {
        var last: Int64
        /// Checksums of the numbers taken within the window below `last`.
        var seen: [Int64: UInt32]
    }

    private var sensors: [String: SensorState] = [:]

    package init(stored: [String: Counts] = [:]) {
        for (sensor, counts) in stored {
            sensors[sensor] = SensorState(last: counts.lastSequence, seen: [counts.lastSequence: counts.lastChecksum])
        }
    }

    /// Judges message `sequence` of `sensor` whose payload has `checksum`, and remembers it.
    package mutating func check(sensor: String, sequence: Int64, checksum: UInt32) -> Verdict {
        guard var state = sensors[sensor] else {
            sensors[sensor] = SensorState(last: sequence, seen: [sequence: checksum])
            return .first
        }
        defer { sensors[sensor] = state }
        if let known = state.seen[sequence] {
            if known == checksum { return .duplicate }
            state = SensorState(last: sequence, seen: [sequence: checksum])
            return .restart
        }
        if sequence > state.last {
            let missing = sequence - state.last - 1
            state.last = sequence
            state.seen[sequence] = checksum
            if state.seen.count > 2 * Self.window { state.seen = state.seen.filter { $0.key > sequence - Self.window } }
            return .next(missing: missing)
        }
        if sequence > state.last - Self.window {
            state.seen[sequence] = checksum
            return .late
        }
        state = SensorState(last: sequence, seen: [sequence: checksum])
        return .restart
    }
}
