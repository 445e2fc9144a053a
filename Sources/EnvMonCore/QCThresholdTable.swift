/// The QC thresholds in force for each series: per-sensor overrides first (the config merges site
/// overrides into them), then per-metric values, then nothing (all tests not evaluated).
package struct QCThresholdTable: Sendable {
    package var byMetric: [String: QCThresholds]
    package var bySeries: [SeriesKey: QCThresholds]

    package init(byMetric: [String: QCThresholds] = [:], bySeries: [SeriesKey: QCThresholds] = [:]) {
        self.byMetric = byMetric
        self.bySeries = bySeries
    }

    /// The catalogue's defaults for every metric.
    package init(catalogue: MetricCatalogue) {
        self.init(byMetric: Dictionary(uniqueKeysWithValues: catalogue.definitions.map { ($0.id, $0.qc) }))
    }

    package func thresholds(for series: SeriesKey) -> QCThresholds {
        bySeries[series] ?? byMetric[series.metric] ?? QCThresholds()
    }
}
