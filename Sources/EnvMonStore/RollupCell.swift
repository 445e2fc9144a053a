/// Count, min, max, sum and last of the readings in one roll-up bucket; merges associatively.
struct RollupCell {
    var count: Int64
    var minimum: Double
    var maximum: Double
    var sum: Double
    var lastTimestamp: Int64
    var lastValue: Double

    init(timestamp: Int64, value: Double) {
        count = 1
        minimum = value
        maximum = value
        sum = value
        lastTimestamp = timestamp
        lastValue = value
    }

    mutating func merge(_ other: RollupCell) {
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        sum += other.sum
        if other.lastTimestamp >= lastTimestamp {
            lastTimestamp = other.lastTimestamp
            lastValue = other.lastValue
        }
    }

    mutating func add(timestamp: Int64, value: Double) {
        count += 1
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        sum += value
        if timestamp >= lastTimestamp {
            lastTimestamp = timestamp
            lastValue = value
        }
    }
}

/// Roll-up cells of one batch, keyed by series id and bucket start, flushed as upserts.
struct RollupAccumulator {
    struct Key: Hashable, Comparable {
        var series: Int64
        var bucket: Int64

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.series, lhs.bucket) < (rhs.series, rhs.bucket) }
    }

    let width: Int64
    var cells: [Key: RollupCell] = [:]

    init(width: Int64) { self.width = width }

    /// The same readings in wider buckets (hours, days), merged from these cells in time order: a
    /// dictionary's order changes from process to process, and floating-point sums with it in the
    /// last digits, so the same readings would give hour and day means that differ at 1e-15
    /// between two runs (or between the SQLite and the PostgreSQL store).
    func merged(width: Int64) -> RollupAccumulator {
        var wider = RollupAccumulator(width: width)
        for (key, cell) in cells.sorted(by: { $0.key < $1.key }) {
            let remainder = key.bucket % width
            let bucket = key.bucket - (remainder < 0 ? remainder + width : remainder)
            let widerKey = Key(series: key.series, bucket: bucket)
            if wider.cells[widerKey] == nil {
                wider.cells[widerKey] = cell
            } else {
                wider.cells[widerKey]!.merge(cell)
            }
        }
        return wider
    }

    mutating func add(series: Int64, timestamp: Int64, value: Double) {
        let remainder = timestamp % width
        let bucket = timestamp - (remainder < 0 ? remainder + width : remainder)
        let key = Key(series: series, bucket: bucket)
        if cells[key] == nil {
            cells[key] = RollupCell(timestamp: timestamp, value: value)
        } else {
            cells[key]!.add(timestamp: timestamp, value: value)
        }
    }
}
