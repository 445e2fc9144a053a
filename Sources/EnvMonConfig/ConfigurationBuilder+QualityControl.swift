internal import EnvMonCore

extension ConfigurationBuilder {
    /// Merges QC thresholds field by field: catalogue default ← `[metrics.<m>.qc]` ←
    /// `[sites.qc.<m>]` of the sensor's site ← `[sensors.qc.<m>]`.
    func buildQualityControl(_ top: TableReader, configuration: EnvMonConfiguration) -> QCThresholdTable {
        var byMetric: [String: QCThresholds] = [:]
        for definition in configuration.catalogue.definitions { byMetric[definition.id] = definition.qc }
        if let metrics = top.table("metrics") {
            for id in metrics.keys {
                guard let qc = metrics.table(id)?.table("qc") else { continue }
                byMetric[id] = readThresholds(qc, over: byMetric[id] ?? QCThresholds())
            }
        }
        var siteOverrides: [String: [String: TableReader]] = [:]
        for (index, site) in top.tables("sites").enumerated() where index < configuration.sites.count {
            guard let qc = site.table("qc") else { continue }
            for metric in qc.keys {
                if !configuration.catalogue.contains(id: metric) {
                    reader.report(qc.keyPath(metric), "unknown metric \"\(metric)\"")
                    continue
                }
                if let table = qc.table(metric) {
                    siteOverrides[configuration.sites[index].id, default: [:]][metric] = table
                }
            }
        }
        var bySeries: [SeriesKey: QCThresholds] = [:]
        let sensorTables = top.tables("sensors")
        for sensor in configuration.sensors {
            let sensorQC = sensorTables.first { $0.string("id") == sensor.id }?.table("qc")
            let ownQCMetrics = (sensorQC?.keys ?? []).filter { configuration.catalogue.contains(id: $0) }
            let metrics = Set(sensor.metrics).union(siteOverrides[sensor.site]?.keys ?? [:].keys).union(ownQCMetrics)
            for metric in metrics.sorted() {
                var thresholds = byMetric[metric] ?? QCThresholds()
                var overridden = false
                if let site = siteOverrides[sensor.site]?[metric] {
                    thresholds = readThresholds(site, over: thresholds, reportUnknown: false)
                    overridden = true
                }
                if let own = sensorQC?.table(metric) {
                    thresholds = readThresholds(own, over: thresholds)
                    overridden = true
                }
                if overridden { bySeries[SeriesKey(sensor: sensor.id, metric: metric)] = thresholds }
            }
            if let sensorQC {
                for metric in sensorQC.keys where !configuration.catalogue.contains(id: metric) {
                    reader.report(sensorQC.keyPath(metric), "unknown metric \"\(metric)\"")
                }
            }
        }
        // Site tables are read once per sensor at the site; report their unknown keys once.
        for tables in siteOverrides.values { for table in tables.values { table.rejectUnknownKeys() } }
        return QCThresholdTable(byMetric: byMetric, bySeries: bySeries)
    }

    private func readThresholds(
        _ table: TableReader, over base: QCThresholds, reportUnknown: Bool = true
    )
        -> QCThresholds
    {
        var result = base
        if let value = table.span("fail_span") { result.failSpan = value }
        if let value = table.span("suspect_span") { result.suspectSpan = value }
        if let value = table.number("spike_suspect") { result.spikeSuspect = value }
        if let value = table.number("spike_fail") { result.spikeFail = value }
        if let value = table.number("rate_of_change") { result.rateOfChangePerSecond = value }
        if let value = table.number("flat_line_tolerance") { result.flatLineTolerance = value }
        if let value = table.duration("flat_line_suspect") {
            result.flatLineSuspectSeconds = Double(value.wholeMilliseconds) / 1000
        }
        if let value = table.duration("flat_line_fail") {
            result.flatLineFailSeconds = Double(value.wholeMilliseconds) / 1000
        }
        if let fail = result.failSpan, let suspect = result.suspectSpan,
            suspect.lowerBound < fail.lowerBound || suspect.upperBound > fail.upperBound
        {
            reader.report(table.keyPath("suspect_span"), "must lie within fail_span \(fail)")
        }
        if let suspect = result.spikeSuspect, let fail = result.spikeFail, suspect > fail {
            reader.report(table.keyPath("spike_suspect"), "is above spike_fail")
        }
        if reportUnknown { table.rejectUnknownKeys() }
        return result
    }
}
