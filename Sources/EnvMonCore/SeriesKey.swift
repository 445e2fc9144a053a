/// One time series: one metric of one sensor. Storage is idempotent on (series, timestamp).
package struct SeriesKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    package var sensor: String
    package var metric: String

    package init(sensor: String, metric: String) {
        self.sensor = sensor
        self.metric = metric
    }

    package static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        (lhs.sensor, lhs.metric) < (rhs.sensor, rhs.metric)
    }

    package var description: String { "\(sensor)/\(metric)" }
}
