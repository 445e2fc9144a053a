internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonReport
internal import EnvMonStore

/// `/sites/<id>`: the latest value of every metric of the site's sensors with unit, QC flag,
/// age and QCVN reference, and a sparkline of its last 24 hours.
enum SitePage {
    static func render(
        _ status: ConsoleSnapshot.SiteStatus, snapshot: ConsoleSnapshot, sparklines: [SeriesKey: [RollupPoint]],
        catalogue: MetricCatalogue, frame: PageFrame
    ) -> String {
        let words = frame.words
        let e = PageLayout.escape
        let now = frame.now.milliseconds
        var latest: [SeriesKey: LatestValue] = [:]
        for value in snapshot.latest { latest[value.series] = value }
        var html = "<h1>\(e(status.site.name))</h1>"
        html += "<p><span class=\"badge state-\(status.state.name)\" data-state-of=\"\(e(status.site.id))\">"
        html += "\(e(words.stateNames[status.state] ?? status.state.name))</span> "
        html += "\(e(status.site.commune ?? "")) · \(e(status.site.kind.rawValue))</p>"
        for sensor in status.sensors {
            html += "<section class=\"sensor\" data-sensor=\"\(e(sensor.sensor.id))\"><h2>\(e(sensor.sensor.id))"
            if let model = sensor.sensor.model { html += " <small>\(e(model))</small>" }
            html += "</h2>"
            if let window = sensor.maintenance {
                html += "<p class=\"note state-maintenance\">\(e(words.maintenanceUntil)): \(e(window.kind.rawValue))"
                html += " \(PageLayout.time(window.start))–\(PageLayout.time(window.end))"
                html += window.note.map { " · " + e($0) } ?? ""
                html += "</p>"
            }
            if sensor.isStale {
                html += "<p class=\"note state-stale\">\(e(words.staleSince)) \(PageLayout.time(sensor.lastSeen))</p>"
            }
            html += "<table class=\"latest\"><thead><tr><th>\(e(words.metric))</th><th>\(e(words.value))</th>"
            html += "<th>\(e(words.unit))</th><th>\(e(words.quality))</th><th>\(e(words.age))</th>"
            html += "<th>\(e(words.qcvn))</th><th>\(e(words.last24h))</th></tr></thead><tbody>"
            for metric in sensor.sensor.metrics {
                let key = SeriesKey(sensor: sensor.sensor.id, metric: metric)
                let id = e("\(key.sensor)|\(metric)")
                let unit = catalogue.definition(named: metric)?.unit ?? ""
                let value = latest[key]
                let references = QCVNReferences.references(metric: metric, siteKind: status.site.kind)
                    .filter { $0.applies(at: frame.now) }
                let exceeded = sensor.exceedances.contains(metric)
                html += "<tr\(exceeded ? " class=\"exceeded\"" : "")><td><a href=\"/series/"
                html +=
                    "\(PageLayout.percentEncode(key.sensor))/\(PageLayout.percentEncode(metric))\">\(e(metric))</a></td>"
                html +=
                    "<td class=\"num\" data-value-of=\"\(id)\">\(value.map { e(DisplayText.value($0.value)) } ?? "–")</td>"
                html += "<td>\(e(unit))</td>"
                html +=
                    "<td data-quality-of=\"\(id)\">\(value.map { e(PageLayout.qualityName($0.quality, words)) } ?? "–")</td>"
                html += "<td data-age-of=\"\(id)\">"
                html +=
                    "\(value.map { e(DisplayText.age(milliseconds: now - $0.timestamp.milliseconds)) } ?? e(words.never))</td>"
                html += "<td>\(references.map { e("\($0.text) (\($0.averaging.rawValue))") }.joined(separator: "<br>"))"
                html += exceeded ? " <b class=\"state-exceedance\">\(e(words.exceeds))</b>" : ""
                html += "</td><td>"
                let points = (sparklines[key] ?? []).map { (time: $0.bucket.milliseconds, value: $0.mean) }
                html += Sparkline.svg(values: points, from: now - 86_400_000, to: now)
                html += "</td></tr>"
            }
            html += "</tbody></table></section>"
        }
        html += AlertsPage.activeTable(status.activeAlerts, frame: frame, withForms: false, site: status.site.id)
        return PageLayout.render(frame, title: status.site.name, active: "overview", body: html)
    }
}
