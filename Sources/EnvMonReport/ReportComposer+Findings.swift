/// Section III: the difficulties the period's figures show, one sentence per finding.
extension ReportComposer {
    func difficultiesSection() -> [ReportBlock] {
        let findings = words.findings
        return [
            .heading(level: 1, text: findings.heading),
            document.findings.isEmpty
                ? .paragraph(findings.nothingFound) : .bullets(document.findings.map(findingText)),
        ]
    }

    func findingText(_ finding: ReportDocument.Finding) -> String {
        let findings = words.findings
        switch finding {
        case .silentSensor(let sensor, let site):
            return findings.silentSensor(sensor, siteName(site))
        case .poorCompleteness(let sensor, let site, let completeness):
            return findings.poorCompleteness(
                sensor, siteName(site), format.percent(completeness), format.percent(ReportThresholds.poorCompleteness))
        case .highQCFailure(let sensor, let share):
            return findings.highQCFailure(sensor, format.percent(share))
        case .frequentExceedance(let site, let metric, let exceeded, let evaluated, let averaging):
            let share = format.percent(Double(exceeded) / Double(max(1, evaluated)))
            return findings.frequentExceedance(
                siteName(site), metricName(metric), exceeded, evaluated, words.names.countUnit(averaging), share)
        case .poorAirQualityDays(let sensor, let site, let days, let worst):
            return findings.poorAirQualityDays(sensor, siteName(site), days, worst)
        case .slowAcknowledgement(let median):
            return findings.slowAcknowledgement(format.duration(seconds: median))
        case .unacknowledgedAlerts(let count):
            return findings.unacknowledgedAlerts(count)
        case .indicatorNotMet(let id):
            let entry = document.indicators.first { $0.current.id == id }?.current
            return findings.indicatorNotMet(
                entry?.name(language) ?? id, entry.map(format.indicatorValue) ?? "–", entry.map(format.target) ?? "–")
        case .unconfiguredSensors(let sensors):
            return findings.unconfiguredSensors(sensors.joined(separator: ", "))
        }
    }
}
