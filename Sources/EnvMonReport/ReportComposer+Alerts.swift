/// Section I.4: the alerts raised in the period and how fast they were handled.
extension ReportComposer {
    func alertBlocks() -> [ReportBlock] {
        let heading = ReportBlock.heading(level: 2, text: words.alerts.heading)
        guard let alerts = document.alerts else { return [heading, .paragraph(words.alerts.notConnected)] }
        let bySeverity = alerts.raisedBySeverity.sorted { $0.key < $1.key }.map {
            "\(severityName($0.key)): \($0.value)"
        }.joined(separator: ", ")
        let summary = words.alerts.summary(
            alerts.raised, bySeverity, alerts.acknowledged, alerts.resolved, alerts.openAtEnd,
            alerts.unacknowledgedAtEnd, format.duration(seconds: alerts.medianSecondsToAcknowledge),
            format.duration(seconds: alerts.medianSecondsToResolve))
        var blocks: [ReportBlock] = [heading, .paragraph(summary)]
        if !alerts.raisedBySite.isEmpty {
            blocks.append(
                .table(
                    ReportTable(
                        headers: words.alerts.siteHeaders,
                        rows: alerts.raisedBySite.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                            [siteName($0.key), String($0.value)]
                        }, numericColumns: [1])))
        }
        return blocks
    }
}
