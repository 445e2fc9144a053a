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

        init(last: Int64, checksum: UInt32) {
            self.last = last
            seen = [last: checksum]
        }

        mutating func check(sequence: Int64, checksum: UInt32) -> Verdict {
            if let known = seen[sequence] {
                if known == checksum { return .duplicate }
                self = SensorState(last: sequence, checksum: checksum)
                return .restart
            }
            if sequence > last {
                let missing = sequence - last - 1
                last = sequence
                seen[sequence] = checksum
                if seen.count > 2 * SequenceTracker.window {
                    seen = seen.filter { $0.key > sequence - SequenceTracker.window }
                }
                return .next(missing: missing)
            }
            if sequence > last - SequenceTracker.window {
                seen[sequence] = checksum
                return .late
            }
            self = SensorState(last: sequence, checksum: checksum)
            return .restart
        }
    }

    private var sensors: [String: SensorState] = [:]

    package init(stored: [String: Counts] = [:]) {
        for (sensor, counts) in stored {
            sensors[sensor] = SensorState(last: counts.lastSequence, checksum: counts.lastChecksum)
        }
    }

    /// Judges message `sequence` of `sensor` whose payload has `checksum`, and remembers it.
    package mutating func check(sensor: String, sequence: Int64, checksum: UInt32) -> Verdict {
        // Judged in place in the dictionary: a copy of the state taken out and written back would
        // share its `seen` table with the one still stored, and copy it whole on every message.
        guard let index = sensors.index(forKey: sensor) else {
            sensors[sensor] = SensorState(last: sequence, checksum: checksum)
            return .first
        }
        return sensors.values[index].check(sequence: sequence, checksum: checksum)
    }
}
