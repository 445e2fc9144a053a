internal import EnvMonCore

/// Sections I.2 and I.3: sea water and air against their QCVN references.
extension ReportComposer {
    func waterQuality() -> [ReportBlock] {
        mediumSubsection(
            regulation: QCVNReferences.water, heading: words.environment.waterHeading,
            note: words.environment.waterNote, medium: .seaWater)
    }

    func airQuality() -> [ReportBlock] {
        mediumSubsection(
            regulation: QCVNReferences.air, heading: words.environment.airHeading, note: words.environment.airNote,
            medium: .air, beforeCharts: airQualityIndexBlocks())
    }

    /// A medium's subsection: how often each site-parameter passed the references of
    /// `regulation`, then `beforeCharts` (VN_AQI for air), then the charts of those parameters.
    func mediumSubsection(
        regulation: String, heading: (String) -> String, note: String, medium: MetricDefinition.Medium,
        beforeCharts: [ReportBlock] = []
    ) -> [ReportBlock] {
        let exceedances = document.exceedances.filter { $0.reference.regulation == regulation }
        return [.heading(level: 2, text: heading(regulation)), .note(note)] + exceedanceTable(exceedances)
            + beforeCharts + charts(for: exceedances.map(\.metric), medium: medium)
    }

    func exceedanceTable(_ exceedances: [ReportDocument.Exceedance]) -> [ReportBlock] {
        guard !exceedances.isEmpty else { return [.paragraph(words.environment.nothingMeasured)] }
        return [
            .table(
                ReportTable(
                    headers: words.environment.exceedanceHeaders,
                    rows: exceedances.map { exceedance in
                        [
                            exceedance.siteName, metricName(exceedance.metric),
                            "\(format.reference(exceedance.reference))\(unitSuffix(exceedance.unit)) (\(referenceColumn(exceedance.reference)))",
                            "\(format.integer(exceedance.exceeded))/\(format.integer(exceedance.evaluated)) \(words.names.countUnit(exceedance.reference.averaging))",
                            format.percent(exceedance.share),
                            exceedance.worst.map { format.number($0) + unitSuffix(exceedance.unit) } ?? "–",
                        ]
                    }, numericColumns: [3, 4, 5]))
        ]
    }

    /// Which value of the regulation applies: a QCVN 10-MT:2015 column, or the averaging time of
    /// a QCVN 05:2023 limit.
    func referenceColumn(_ reference: QCVNReference) -> String {
        let environment = words.environment
        return switch reference.column {
        case "aquaculture": environment.aquacultureColumn
        case "beach": environment.beachColumn
        case "other": environment.otherPlacesColumn
        default: reference.averaging == .day ? environment.dayMean : environment.hourMean
        }
    }

    func charts(for metrics: [String], medium: MetricDefinition.Medium) -> [ReportBlock] {
        let wanted = Set(metrics)
        return document.charts.filter { wanted.contains($0.metric) }.map { chart in
            let statistic = words.environment.statistic(chart.statistic)
            let unit = chart.unit == "pH" ? "" : "\(chart.unit), "
            return .chart(
                .series(chart, title: "\(chart.siteName) — \(metricName(chart.metric)) (\(unit)\(statistic))"))
        }
    }
}
