/// What one roll-up bucket is reduced to when a series is asked for at a resolution.
package enum RollupAggregate: String, Sendable, CaseIterable {
    case avg, min, max, count, last

    package func value(of point: RollupPoint) -> Double {
        switch self {
        case .avg: point.mean
        case .min: point.minimum
        case .max: point.maximum
        case .count: Double(point.count)
        case .last: point.lastValue
        }
    }
}
