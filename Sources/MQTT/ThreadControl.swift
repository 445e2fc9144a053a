import Glibc

/// Stop request and finish flag of the network thread, with waits that `stop()` interrupts.
/// A pthread mutex + condition variable on CLOCK_MONOTONIC: the backoff sleep must end the moment
/// `stop()` is called, and `stop()` must wait for the thread with a deadline.
final class ThreadControl: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var stopFlag = false
    private var finishedFlag = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    var stopRequested: Bool { locked { stopFlag } }
    var finished: Bool { locked { finishedFlag } }

    func requestStop() {
        locked {
            stopFlag = true
            pthread_cond_broadcast(condition)
        }
    }

    func markFinished() {
        locked {
            finishedFlag = true
            pthread_cond_broadcast(condition)
        }
    }

    /// Sleeps for `duration` unless a stop is requested first. Returns true when stopping.
    @discardableResult
    func sleep(for duration: Duration) -> Bool {
        let deadline = Self.deadline(after: duration)
        return locked {
            var deadline = deadline
            while !stopFlag {
                if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
            }
            return stopFlag
        }
    }

    /// Waits until the thread has finished or `timeout` passed. Returns true when finished.
    func waitUntilFinished(timeout: Duration) -> Bool {
        let deadline = Self.deadline(after: timeout)
        return locked {
            var deadline = deadline
            while !finishedFlag {
                if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
            }
            return finishedFlag
        }
    }

    private static func deadline(after duration: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = duration.components
        var nanoseconds = Int64(now.tv_nsec) + attoseconds / 1_000_000_000
        var wholeSeconds = Int64(now.tv_sec) + seconds + nanoseconds / 1_000_000_000
        nanoseconds %= 1_000_000_000
        if nanoseconds < 0 {
            nanoseconds += 1_000_000_000
            wholeSeconds -= 1
        }
        return timespec(tv_sec: Int(wholeSeconds), tv_nsec: Int(nanoseconds))
    }
}

/// A monotonic clock reading in milliseconds, for the network thread's own deadlines.
func monotonicMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
