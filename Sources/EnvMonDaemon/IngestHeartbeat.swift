internal import Synchronization

/// Counts turns of the ingest loop. The watchdog is fed only while this moves: a wedged
/// pipeline (SQLite stuck, a deadlock) stops the `WATCHDOG=1` pings and systemd restarts us.
final class IngestHeartbeat: Sendable {
    private let beats = Atomic<Int>(0)

    func beat() { beats.add(1, ordering: .relaxed) }

    var count: Int { beats.load(ordering: .relaxed) }
}
