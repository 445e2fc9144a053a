internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#endif

/// The bounded hand-off between libmosquitto's network thread and the ingest thread.
///
/// `put` blocks while the buffer is full: the broker then queues for us, and nothing is ever
/// dropped in the daemon (an `AsyncStream` with a bounded policy would drop silently). The
/// consumer swaps out the whole array at once, so the cost per message is one append.
public final class HandOffBuffer<Element: Sendable>: @unchecked Sendable {
    // Guarded by `mutex`; @unchecked because pthread primitives are not visible to the compiler.
    private var items: [Element] = []
    private var bytes = 0
    private var closed = false
    private var oldestArrival: UInt64 = 0
    private var blockedNanoseconds: UInt64 = 0
    private var blockedCount = 0
    private var highWater = 0
    private let capacity: Int
    private let byteCapacity: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public struct Statistics: Sendable {
        public var depth: Int
        public var bytes: Int
        public var highWater: Int
        public var blockedCount: Int
        public var blockedSeconds: Double
    }

    /// - Parameters:
    ///   - capacity: most messages held at once.
    ///   - byteCapacity: most payload bytes held at once (a single larger message is still admitted
    ///     into an empty buffer, so it cannot wedge the pipeline).
    public init(capacity: Int, byteCapacity: Int) {
        precondition(capacity > 0 && byteCapacity > 0)
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        items.reserveCapacity(capacity)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits measure against the monotonic clock, immune to wall-clock jumps.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(notEmpty, &attributes)
        pthread_cond_init(notFull, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(notEmpty)
        pthread_cond_destroy(notFull)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        notEmpty.deallocate()
        notFull.deallocate()
    }

    /// Adds one element, blocking while the buffer is full. Returns false if the buffer was closed.
    @discardableResult
    public func put(_ element: Element, bytes size: Int) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !closed && isFull(adding: size) {
            let start = Self.monotonicNanoseconds()
            blockedCount += 1
            while !closed && isFull(adding: size) { pthread_cond_wait(notFull, mutex) }
            blockedNanoseconds += Self.monotonicNanoseconds() - start
        }
        guard !closed else { return false }
        if items.isEmpty { oldestArrival = Self.monotonicNanoseconds() }
        items.append(element)
        bytes += size
        highWater = max(highWater, items.count)
        if items.count == 1 || items.count >= capacity / 2 { pthread_cond_signal(notEmpty) }
        return true
    }

    private func isFull(adding size: Int) -> Bool {
        !items.isEmpty && (items.count >= capacity || bytes + size > byteCapacity)
    }

    /// Waits until `batchSize` elements are held, or `maximumWait` has passed since the oldest
    /// one arrived, or the buffer is closed; then takes everything. Returns an empty array when
    /// nothing arrived within `idleWait` (so the consumer can do housekeeping), nil once closed
    /// and empty.
    public func take(batchSize: Int, maximumWait: Duration, idleWait: Duration = .seconds(1)) -> [Element]? {
        let waitNanoseconds = UInt64(max(0, maximumWait.wholeNanoseconds))
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let idleDeadline = Self.monotonicNanoseconds() + UInt64(max(0, idleWait.wholeNanoseconds))
        while true {
            if items.count >= batchSize || (closed && !items.isEmpty) { break }
            if closed { return nil }
            let deadline = items.isEmpty ? idleDeadline : oldestArrival + waitNanoseconds
            if Self.monotonicNanoseconds() >= deadline {
                if items.isEmpty { return [] }
                break
            }
            var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            pthread_cond_timedwait(notEmpty, mutex, &time)
        }
        var taken: [Element] = []
        taken.reserveCapacity(capacity)
        swap(&taken, &items)
        bytes = 0
        pthread_cond_broadcast(notFull)
        return taken
    }

    /// True once `close()` was called.
    public var isClosed: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return closed
    }

    /// Wakes everyone; `put` then refuses and `take` drains what is left.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(notEmpty)
        pthread_cond_broadcast(notFull)
        pthread_mutex_unlock(mutex)
    }

    public var statistics: Statistics {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return Statistics(
            depth: items.count, bytes: bytes, highWater: highWater, blockedCount: blockedCount,
            blockedSeconds: Double(blockedNanoseconds) / 1e9)
    }

    public var capacityLimit: Int { capacity }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

extension Duration {
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
