internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonReport
internal import EnvMonStore

/// What a series page draws: the buckets of the range, the failed readings and the lines.
struct SeriesView: Sendable {
    var series: SeriesKey
    var site: SiteSettings?
    var unit: String
    var range: SeriesRange
    var from: Timestamp
    var to: Timestamp
    var points: [RollupPoint]
    var failed: [StoredReading]
    var failedFrom: Timestamp
    var thresholds: [SeriesChart.Threshold]
}

/// `/series/<sensor>/<metric>?range=`: the chart of one series from the right roll-up, with
/// QC-failed readings marked, alert thresholds and QCVN references drawn, and a CSV of it.
enum SeriesPage {
    static func render(_ view: SeriesView, frame: PageFrame) -> String {
        let words = frame.words
        let e = PageLayout.escape
        let path =
            "/series/\(PageLayout.percentEncode(view.series.sensor))/\(PageLayout.percentEncode(view.series.metric))"
        let title = "\(view.series.sensor) · \(view.series.metric)"
        var html = "<h1>\(e(title))</h1>"
        if let site = view.site {
            html += "<p><a href=\"/sites/\(PageLayout.percentEncode(site.id))\">\(e(site.name))</a></p>"
        }
        html += "<nav class=\"ranges\">\(e(words.range)): "
        for range in SeriesRange.allCases {
            html +=
                range == view.range
                ? "<b>\(range.rawValue)</b> " : "<a href=\"\(path)?range=\(range.rawValue)\">\(range.rawValue)</a> "
        }
        html += "· <a class=\"csv\" href=\"\(path).csv?range=\(view.range.rawValue)\">\(e(words.exportCSV))</a></nav>"
        let chart = SeriesChart.svg(
            points: view.points.map {
                SeriesChart.Point(time: $0.bucket.milliseconds, mean: $0.mean, minimum: $0.minimum, maximum: $0.maximum)
            },
            failed: view.failed.map { SeriesChart.Failed(time: $0.timestamp.milliseconds, value: $0.value) },
            thresholds: view.thresholds, from: view.from.milliseconds, to: view.to.milliseconds, unit: view.unit,
            title: title, emptyText: words.noData,
            timeLabel: { Self.tickLabel($0, range: view.range) })
        html += "<figure class=\"chart\">\(chart)<figcaption>\(e(words.chartNote))"
        html += " \(view.failed.count) \(e(words.qcFailedShown)) (\(PageLayout.time(view.failedFrom))–)."
        html += " \(e(words.timesInVietnam)).</figcaption></figure>"
        return PageLayout.render(frame, title: title, active: "overview", body: html)
    }

    /// Tick text in Vietnam time: hours for a day, dates beyond.
    static func tickLabel(_ milliseconds: Int64, range: SeriesRange) -> String {
        let text = DisplayText.time(Timestamp(milliseconds: milliseconds))  // 2026-11-29 10:00:00
        switch range {
        case .day: return String(text.dropFirst(11).prefix(5))
        case .week, .month: return String(text.dropFirst(5).prefix(5))
        case .year: return String(text.prefix(7))
        }
    }

    /// The CSV of what the chart shows: one row per bucket, then the failed readings.
    static func csv(_ view: SeriesView) -> String {
        var text = "ts,bucket,count,min,mean,max,unit\n"
        for point in view.points {
            text += "\(RFC3339.format(point.bucket)),\(view.range.resolution.rawValue),\(point.count),"
            text += "\(DisplayText.value(point.minimum)),\(DisplayText.value(point.mean)),"
            text += "\(DisplayText.value(point.maximum)),\(view.unit)\n"
        }
        for reading in view.failed {
            text +=
                "\(RFC3339.format(reading.timestamp)),qc_fail,1,,\(DisplayText.value(reading.value)),,\(view.unit)\n"
        }
        return text
    }

    /// Alert thresholds of the rules that watch this series, and the QCVN reference values.
    static func thresholds(
        configuration: EnvMonConfiguration, series: SeriesKey, site: SiteSettings?, now: Timestamp, words: ConsoleWords
    ) -> [SeriesChart.Threshold] {
        var result: [SeriesChart.Threshold] = []
        let kind = site.map { SiteKind($0.kind.rawValue) }
        for rule in configuration.alertRules
        where rule.applies(sensor: series.sensor, site: site?.id ?? "", siteKind: kind, metric: series.metric) {
            func label(_ sign: String, _ value: Double) -> String {
                "\(rule.id) \(sign) \(DisplayText.value(value)) (\(words.alertThreshold))"
            }
            switch rule.condition {
            case .above(let value, _, _):
                result.append(SeriesChart.Threshold(value: value, label: label(">", value), kind: "alert"))
            case .below(let value, _, _):
                result.append(SeriesChart.Threshold(value: value, label: label("<", value), kind: "alert"))
            case .outside(let low, let high, _, _):
                result.append(SeriesChart.Threshold(value: low, label: label("<", low), kind: "alert"))
                result.append(SeriesChart.Threshold(value: high, label: label(">", high), kind: "alert"))
            default:
                continue
            }
        }
        if let site {
            for reference in QCVNReferences.references(metric: series.metric, siteKind: site.kind)
            where reference.applies(at: now) {
                for line in reference.bound.lines {
                    result.append(
                        SeriesChart.Threshold(
                            value: line,
                            label: "\(reference.regulation) \(reference.text) (\(reference.averaging.rawValue))",
                            kind: "qcvn"))
                }
            }
        }
        return result
    }
}
