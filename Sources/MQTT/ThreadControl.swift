internal import SystemSupport

/// Stop request and finish flag of the network thread, with waits that `stop()` interrupts.
/// A condition lock on CLOCK_MONOTONIC: the backoff sleep must end the moment `stop()` is
/// called, and `stop()` must wait for the thread with a deadline.
final class ThreadControl: @unchecked Sendable {
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var stopFlag = false
    private var finishedFlag = false

    var stopRequested: Bool { lock.withLock { stopFlag } }
    var finished: Bool { lock.withLock { finishedFlag } }

    func requestStop() {
        lock.withLock {
            stopFlag = true
            lock.broadcast()
        }
    }

    func markFinished() {
        lock.withLock {
            finishedFlag = true
            lock.broadcast()
        }
    }

    /// Sleeps for `duration` unless a stop is requested first. Returns true when stopping.
    @discardableResult
    func sleep(for duration: Duration) -> Bool {
        let deadline = MonotonicClock.nanoseconds(after: duration)
        return lock.withLock {
            while !stopFlag {
                if !lock.wait(until: deadline) { break }
            }
            return stopFlag
        }
    }

    /// Waits until the thread has finished or `timeout` passed. Returns true when finished.
    func waitUntilFinished(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.nanoseconds(after: timeout)
        return lock.withLock {
            while !finishedFlag {
                if !lock.wait(until: deadline) { break }
            }
            return finishedFlag
        }
    }
}
