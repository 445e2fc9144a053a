internal import Foundation
internal import SystemSupport

/// The bounded hand-off between libmosquitto's network thread and the ingest thread.
///
/// `put` blocks while the buffer is full: the broker then queues for us, and nothing is ever
/// dropped in the daemon (an `AsyncStream` with a bounded policy would drop silently). The
/// consumer swaps out the whole array at once, so the cost per message is one append.
package final class HandOffBuffer<Element: Sendable>: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because the compiler cannot see that a pthread mutex guards them.
    private var items: [Element] = []
    private var bytes = 0
    private var closed = false
    private var oldestArrival: UInt64 = 0
    private var blockedNanoseconds: UInt64 = 0
    private var blockedCount = 0
    private var highWater = 0
    private let capacity: Int
    private let byteCapacity: Int
    private let lock = ConditionLock(conditions: 2)

    package struct Statistics: Sendable {
        package var depth: Int
        package var bytes: Int
        package var highWater: Int
        package var blockedCount: Int
        package var blockedSeconds: Double
    }

    /// - Parameters:
    ///   - capacity: most messages held at once.
    ///   - byteCapacity: most payload bytes held at once (a single larger message is still admitted
    ///     into an empty buffer, so it cannot wedge the pipeline).
    package init(capacity: Int, byteCapacity: Int) {
        precondition(capacity > 0 && byteCapacity > 0)
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        items.reserveCapacity(capacity)
    }

    /// Adds one element, blocking while the buffer is full. Returns false if the buffer was closed.
    @discardableResult
    package func put(_ element: Element, bytes size: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if !closed && isFull(adding: size) {
            let start = MonotonicClock.nanoseconds()
            blockedCount += 1
            while !closed && isFull(adding: size) { lock.wait(HandOffCondition.notFull) }
            blockedNanoseconds += MonotonicClock.nanoseconds() - start
        }
        guard !closed else { return false }
        if items.isEmpty { oldestArrival = MonotonicClock.nanoseconds() }
        items.append(element)
        bytes += size
        highWater = max(highWater, items.count)
        if items.count == 1 || items.count >= capacity / 2 { lock.signal(HandOffCondition.notEmpty) }
        return true
    }

    private func isFull(adding size: Int) -> Bool {
        !items.isEmpty && (items.count >= capacity || bytes + size > byteCapacity)
    }

    /// Waits until `batchSize` elements are held, or `maximumWait` has passed since the oldest
    /// one arrived, or the buffer is closed; then takes everything. Returns an empty array when
    /// nothing arrived within `idleWait` (so the consumer can do housekeeping), nil once closed
    /// and empty.
    package func take(batchSize: Int, maximumWait: Duration, idleWait: Duration = .seconds(1)) -> [Element]? {
        let waitNanoseconds = UInt64(max(0, maximumWait.wholeNanoseconds))
        lock.lock()
        defer { lock.unlock() }
        let idleDeadline = MonotonicClock.nanoseconds(after: idleWait)
        while true {
            if items.count >= batchSize || (closed && !items.isEmpty) { break }
            if closed { return nil }
            let deadline = items.isEmpty ? idleDeadline : oldestArrival + waitNanoseconds
            if MonotonicClock.nanoseconds() >= deadline {
                if items.isEmpty { return [] }
                break
            }
            lock.wait(HandOffCondition.notEmpty, until: deadline)
        }
        // The array the producer fills next is sized like this batch, not to the full capacity:
        // at a steady low rate a full-capacity buffer per batch is a large allocation (mapped and
        // unmapped each time) for a few hundred messages; at full rate it grows to the batch size.
        var taken: [Element] = []
        taken.reserveCapacity(min(capacity, max(items.count, 64)))
        swap(&taken, &items)
        bytes = 0
        lock.broadcast(HandOffCondition.notFull)
        return taken
    }

    /// True once `close()` was called.
    package var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closed
    }

    /// Wakes everyone; `put` then refuses and `take` drains what is left.
    package func close() {
        lock.lock()
        closed = true
        lock.broadcast(HandOffCondition.notEmpty)
        lock.broadcast(HandOffCondition.notFull)
        lock.unlock()
    }

    package var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return Statistics(
            depth: items.count, bytes: bytes, highWater: highWater, blockedCount: blockedCount,
            blockedSeconds: Double(blockedNanoseconds) / 1e9)
    }

    package var capacityLimit: Int { capacity }
}

/// The hand-off lock's conditions (a generic class cannot hold static constants).
private enum HandOffCondition {
    static let notEmpty = 0
    static let notFull = 1
}

extension Duration {
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
