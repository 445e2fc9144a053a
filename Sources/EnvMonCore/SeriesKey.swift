/// One time series: one metric of one sensor. Storage is idempotent on (series, timestamp).
public struct SeriesKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var sensor: String
    public var metric: String

    public init(sensor: String, metric: String) {
        self.sensor = sensor
        self.metric = metric
    }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        (lhs.sensor, lhs.metric) < (rhs.sensor, rhs.metric)
    }

    public var description: String { "\(sensor)/\(metric)" }
}
