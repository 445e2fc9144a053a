/// Section IV: the tasks the findings call for, in a fixed order, then keeping the system running.
extension ReportComposer {
    func tasksSection() -> [ReportBlock] {
        [.heading(level: 1, text: words.tasks.heading), .bullets(tasks())]
    }

    func tasks() -> [String] {
        let tasks = words.tasks
        let findings = document.findings
        let threshold = format.percent(ReportThresholds.poorCompleteness)
        var result = listed(sensorsNeedingMaintenance(), separator: ", ") { tasks.maintainSensors($0, threshold) }
        result += listed(sensorsNeedingCalibration(), separator: ", ", tasks.calibrateSensors)
        result += listed(exceedancesToConfirm(), separator: "; ", tasks.confirmExceedances)
        result += listed(sitesWithPoorAir(), separator: ", ", tasks.publishAQI)
        let alertsLag = findings.contains { finding in
            switch finding {
            case .slowAcknowledgement, .unacknowledgedAlerts: true
            default: false
            }
        }
        if alertsLag { result.append(tasks.reviewAlerts) }
        if findings.contains(where: { if case .unconfiguredSensors = $0 { true } else { false } }) {
            result.append(tasks.declareSensors)
        }
        result += listed(unmetIndicators(), separator: "; ", tasks.meetTargets)
        result.append(tasks.keepRunning)
        return result
    }

    /// One task naming `items`, or none when there are none.
    func listed(_ items: [String], separator: String, _ task: (String) -> String) -> [String] {
        items.isEmpty ? [] : [task(items.joined(separator: separator))]
    }

    func sensorsNeedingMaintenance() -> [String] {
        document.findings.compactMap { finding in
            switch finding {
            case .silentSensor(let sensor, _), .poorCompleteness(let sensor, _, _): sensor
            default: nil
            }
        }
    }

    func sensorsNeedingCalibration() -> [String] {
        document.findings.compactMap { finding in
            if case .highQCFailure(let sensor, _) = finding { sensor } else { nil }
        }
    }

    /// "Site (parameter)" of each frequent exceedance.
    func exceedancesToConfirm() -> [String] {
        document.findings.compactMap { finding in
            if case .frequentExceedance(let site, let metric, _, _, _) = finding {
                "\(siteName(site)) (\(metricName(metric)))"
            } else {
                nil
            }
        }
    }

    func sitesWithPoorAir() -> [String] {
        document.findings.compactMap { finding in
            if case .poorAirQualityDays(_, let site, _, _) = finding { siteName(site) } else { nil }
        }
    }

    func unmetIndicators() -> [String] {
        document.findings.compactMap { finding in
            if case .indicatorNotMet(let id) = finding {
                document.indicators.first { $0.current.id == id }?.current.name(language) ?? id
            } else {
                nil
            }
        }
    }
}
