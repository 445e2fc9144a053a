/// Streaming state of the flat line test for one series.
///
/// ioos_qc flags point `n` when the values in the window of `count + 1` points ending at `n` span
/// less than the tolerance (NaN values ignored, an all-NaN window not flagged). A range only grows
/// as a window grows, so that holds exactly when the window fits inside the longest suffix of the
/// series whose values span less than the tolerance. This keeps that suffix with two monotonic
/// queues (sliding-window minimum and maximum): a stuck sensor repeating one value costs one entry
/// per queue, however long it sticks, and values before the suffix are never needed again.
/// Positions count every in-order point of the series, NaN included, as ioos_qc's array indices.
struct QCFlatLineWindow: Sendable {
    /// Queue length limit. Only many distinct values moving within the tolerance (a slow drift, a
    /// damped oscillation) can fill a queue; the suffix is then cut, which can only delay a flag,
    /// never raise a false one.
    static let maximumCandidates = 512

    /// Position of the first point of the longest flat suffix.
    private(set) var start = 0
    /// Position of the newest non-NaN value, if one is still relevant.
    private(set) var lastFinite: Int?
    /// Candidates for the suffix maximum, values strictly decreasing from the front.
    private var maxima = QCMonotonicQueue()
    /// Candidates for the suffix minimum, values strictly increasing from the front.
    private var minima = QCMonotonicQueue()

    /// Entries held, for tests of the memory bound.
    var candidateCount: Int { maxima.count + minima.count }

    /// Forgets everything; the next point has `position`.
    mutating func reset(nextPosition position: Int) {
        start = position
        lastFinite = nil
        maxima = QCMonotonicQueue()
        minima = QCMonotonicQueue()
    }

    /// Adds the point at `position` (one after the previous one). `limit` is the longest window the
    /// current thresholds need; the suffix is not kept longer than that.
    mutating func append(position: Int, value: Double, tolerance: Double, limit: Int) {
        if !value.isNaN {
            maxima.push(position: position, value: value) { $0 <= $1 }
            minima.push(position: position, value: value) { $0 >= $1 }
            lastFinite = position
            // `!(range < tolerance)` rather than `>=`, so a NaN tolerance never counts as flat.
            while let high = maxima.front, let low = minima.front, !(high.value - low.value < tolerance) {
                advance(to: min(high.position, low.position) + 1)
            }
        }
        if position - start + 1 > limit { advance(to: position - limit + 1) }
        while let front = maxima.front, maxima.count > Self.maximumCandidates { advance(to: front.position + 1) }
        while let front = minima.front, minima.count > Self.maximumCandidates { advance(to: front.position + 1) }
        if let finite = lastFinite, finite < start { lastFinite = nil }
    }

    /// Whether the window of `count + 1` points ending at `position` (the newest) is flat.
    func isFlat(count: Int, at position: Int) -> Bool {
        guard count >= 0, position >= count, let lastFinite, lastFinite >= position - count else { return false }
        return start <= position - count
    }

    private mutating func advance(to newStart: Int) {
        guard newStart > start else { return }
        start = newStart
        maxima.removeFront(before: newStart)
        minima.removeFront(before: newStart)
    }
}

/// A queue of (position, value) that keeps only the candidates for a sliding-window extreme.
struct QCMonotonicQueue: Sendable {
    private var items: [(position: Int, value: Double)] = []
    private var head = 0

    var count: Int { items.count - head }

    var front: (position: Int, value: Double)? { head < items.count ? items[head] : nil }

    /// Appends, first dropping from the back every entry `dominated(entry, value)` says the new
    /// value makes irrelevant.
    mutating func push(position: Int, value: Double, dominated: (Double, Double) -> Bool) {
        while items.count > head, dominated(items[items.count - 1].value, value) { items.removeLast() }
        items.append((position, value))
    }

    mutating func removeFront(before position: Int) {
        while head < items.count, items[head].position < position { head += 1 }
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
