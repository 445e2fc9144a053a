/// The QC thresholds in force for each series: per-sensor overrides first (the config merges site
/// overrides into them), then per-metric values, then nothing (all tests not evaluated).
public struct QCThresholdTable: Sendable {
    public var byMetric: [String: QCThresholds]
    public var bySeries: [SeriesKey: QCThresholds]

    public init(byMetric: [String: QCThresholds] = [:], bySeries: [SeriesKey: QCThresholds] = [:]) {
        self.byMetric = byMetric
        self.bySeries = bySeries
    }

    /// The catalogue's defaults for every metric.
    public init(catalogue: MetricCatalogue) {
        self.init(byMetric: Dictionary(uniqueKeysWithValues: catalogue.definitions.map { ($0.id, $0.qc) }))
    }

    public func thresholds(for series: SeriesKey) -> QCThresholds {
        bySeries[series] ?? byMetric[series.metric] ?? QCThresholds()
    }
}
