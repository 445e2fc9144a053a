extension ReportWords {
    /// Said of every exceedance: sensors give early warning, not the analysed samples QCVN is for.
    private static let englishIndicative = "over the QCVN reference value (automatic monitoring data, not verified)"

    /// The English edition, mirroring the Vietnamese one line for line.
    static let english = ReportWords(
        masthead: Masthead(
            agency: ["PEOPLE'S COMMITTEE", "CÁT HẢI SPECIAL ZONE"],
            nation: ["SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"],
            number: { "No.: " + $0 },
            title: "REPORT",
            subject: { period in
                "Automatic environmental monitoring network, environmental quality and digital-transformation "
                    + "results, \(period)"
            },
            introduction: { period, span in
                "The People's Committee of the Cát Hải special zone reports on the operation of the IoT environmental "
                    + "data collection system (a key task named in section I.3 of the 2025 digital-transformation "
                    + "report), the environmental quality it measured, and the digital-transformation indicators for "
                    + "\(period) (\(span)), as follows:"
            },
            recipientsLabel: "Recipients:",
            recipients: [
                "Department of Science and Technology (for reporting);", "Department of Agriculture and Environment;",
                "Chair and Vice-Chairs of the Special Zone People's Committee;", "Archive: VT, VHXH.",
            ],
            signature: ["ON BEHALF OF THE PEOPLE'S COMMITTEE", "PP. CHAIR", "VICE-CHAIR"],
            appendixTitle: "APPENDIX"),
        names: Names(
            siteKind: { kind in
                switch kind {
                case .aquaculture: "aquaculture"
                case .beach: "beach"
                case .town: "town"
                case .port: "port"
                case .coast: "coast"
                case .island: "island"
                }
            },
            severities: ["critical": "critical", "warning": "warning", "info": "information"],
            status: { status in
                switch status {
                case .met: "Met"
                case .notMet: "Not met"
                case .noTarget: "No target"
                }
            },
            countUnit: { $0 == .hour ? "hours" : "days" },
            insufficientData: "Insufficient data"),
        network: Network(
            heading: "I. MONITORING NETWORK AND ENVIRONMENT",
            operationHeading: "1. Operation of the monitoring network",
            summary: { sensors, sites, reporting, completeness, received, expected in
                "The network has \(sensors) sensors at \(sites) monitoring sites; \(reporting)/\(sensors) sensors "
                    + "sent data in the period. Network data completeness: \(completeness) (\(received)/\(expected) "
                    + "valid readings against those expected from each sensor's interval)."
            },
            quality: { readings, pass, suspect, fail, notEvaluated in
                "Automatic quality control (QARTOD) over \(readings) readings: pass \(pass), suspect \(suspect), fail "
                    + "\(fail), not evaluated \(notEvaluated)."
            },
            silentSensors: { "Sensors that sent no data: \($0)." },
            siteHeaders: ["Site", "Kind", "Sensors", "Valid / expected readings", "Completeness"],
            sensorHeaders: [
                "Sensor", "Site", "Interval", "Valid / expected", "Completeness", "QC pass", "Suspect", "Fail",
                "Missing messages (seq)", "Received in catch-up", "Maintenance, calibration",
            ],
            maintenanceNote:
                "Time a sensor spent in maintenance or calibration (marked with envmon maintenance) does not count as "
                + "missing: the readings expected then are left out of the expected count; readings taken while "
                + "calibrating are stored with status 01 and kept out of means, QCVN comparisons and VN_AQI.",
            catchUpNote:
                "Readings received in the catch-up after a lost connection are stored and count towards completeness, "
                + "but their measurement times are unknown (only their order), so they are left out of hourly and "
                + "daily means and QCVN comparisons."),
        environment: Environment(
            waterHeading: { "2. Sea-water quality (reference \($0))" },
            waterNote:
                "Hours whose 1-h mean was \(englishIndicative). QCVN limits apply to samples analysed by the "
                + "prescribed methods; sensor data serve as early warning only.",
            airHeading: { "3. Air quality (reference \($0); VN_AQI per QĐ 1459/QĐ-TCMT)" },
            airNote:
                "PM2.5 and PM10 are compared as 24-h means (PM2.5: 50 µg/m³, 45 µg/m³ from 2026-01-01); NO2 and O3 "
                + "as 1-h means (200 µg/m³). Days/hours \(englishIndicative).",
            nothingMeasured: "No parameter with a reference value was measured in the period.",
            exceedanceHeaders: ["Site", "Parameter", "Reference", "Over / with data", "Share", "Worst value"],
            aquacultureColumn: "aquaculture column",
            beachColumn: "beach and water-sports column",
            otherPlacesColumn: "other-places column",
            dayMean: "24-h mean",
            hourMean: "1-h mean",
            statistic: { statistic in
                switch statistic {
                case .hourlyMean: "hourly mean"
                case .dailyMean: "daily mean"
                case .dailyMaxHourly: "highest 1-h mean of the day"
                }
            },
            aqiIntroduction: "Daily air quality index (AQI^d) at each station; days per category:",
            station: "Station",
            highestAQI: "Highest AQI",
            aqiCalendar: { sensor, site in "Daily AQI calendar — station \(sensor) (\(site))" }),
        alerts: Alerts(
            heading: "4. Alerts and response",
            notConnected: "The alert log is not connected to the report; no alert figures for the period.",
            summary: { raised, bySeverity, acknowledged, resolved, open, unacknowledged, acknowledge, resolve in
                "\(raised) alerts were raised in the period\(inParentheses(bySeverity)); \(acknowledged) were "
                    + "acknowledged and \(resolved) resolved; \(open) were still open at the end, \(unacknowledged) of "
                    + "them not acknowledged. Median time to acknowledge: \(acknowledge); median time to resolve: "
                    + "\(resolve)."
            },
            siteHeaders: ["Site", "Alerts raised"]),
        indicators: Indicators(
            heading: "II. DIGITAL-TRANSFORMATION INDICATORS",
            noFile: "No digital-transformation indicators file was given.",
            summary: { count, met, notMet, noTarget, source in
                "\(count) indicators: \(met) meet their target, \(notMet) do not, \(noTarget) have no target. Each "
                    + "shows its latest period; the change column compares it with the period before."
                    + (source.map { " Source: \($0)." } ?? "")
            },
            headers: ["Indicator", "Period", "Value", "Unit", "Target", "Status", "Change from previous", "Section"],
            barsTitle: "Indicators with a target: share achieved"),
        findings: Findings(
            heading: "III. DIFFICULTIES AND SHORTCOMINGS",
            nothingFound: "The period's data show no significant problem with the monitoring network.",
            silentSensor: { sensor, site in "Sensor \(sensor) (\(site)) sent no data in the period." },
            poorCompleteness: { sensor, site, completeness, threshold in
                "Sensor \(sensor) (\(site)) has poor data completeness: \(completeness) (below \(threshold))."
            },
            highQCFailure: { sensor, share in "Sensor \(sensor) had \(share) of its readings fail quality control." },
            frequentExceedance: { site, metric, exceeded, evaluated, unit, share in
                "\(site): \(metric) \(englishIndicative) in \(exceeded)/\(evaluated) \(unit) (\(share))."
            },
            poorAirQualityDays: { sensor, site, days, worst in
                "Station \(sensor) (\(site)): \(days) days with AQI Poor or worse, highest \(worst)."
            },
            slowAcknowledgement: { "Median time to acknowledge an alert was \($0), longer than the 1-hour aim." },
            unacknowledgedAlerts: { "\($0) open alerts had not been acknowledged at the end of the period." },
            indicatorNotMet: { name, value, target in
                "Indicator \"\(name)\" has not met its target (\(value)/\(target))."
            },
            unconfiguredSensors: { "Sensors sent data without being declared in the configuration: \($0)." }),
        tasks: Tasks(
            heading: "IV. TASKS FOR THE NEXT PERIOD",
            maintainSensors: { sensors, completeness in
                "Check power, communications and maintenance of sensors \(sensors); bring data completeness to "
                    + "\(completeness) or more."
            },
            calibrateSensors: { "Clean and calibrate sensors \($0)." },
            confirmExceedances: {
                "Take reference samples analysed by the QCVN methods to confirm at: \($0); inform fish farmers and "
                    + "residents where needed."
            },
            publishAQI: {
                "Publish the daily AQI and health advice for residents at \($0) when the AQI is Poor or worse."
            },
            reviewAlerts: "Review how alerts are received, acknowledged and handled; assign on-call duty.",
            declareSensors: "Declare new sensors in the configuration file, or stop test transmissions.",
            meetTargets: { "Continue the work needed to meet the targets: \($0)." },
            keepRunning:
                "Keep the IoT environmental data collection system running; add the new period's "
                + "digital-transformation figures to the indicators file."),
        appendix: Appendix(
            methodHeading: "1. Method",
            completeness: {
                "Completeness = valid readings (not failed by QC, from the hourly roll-ups) / readings expected from "
                    + "each sensor's interval, up to \($0)."
            },
            exceedance: {
                "An hour counts as over when the 1-h mean of at least one sensor at the site passes the reference; a "
                    + "day when its 24-h mean (the mean of hourly means, at least \($0) hours with data) does."
            },
            aqi:
                "Daily AQI per QĐ 1459/QĐ-TCMT: particulates by 24-h mean; NO2, SO2, CO by the highest 1-h mean; O3 "
                + "by the larger of the highest 1-h and the highest 8-h mean.",
            thresholds: { completeness, fails, exceedance in
                "Finding thresholds: completeness below \(completeness); fails above \(fails); exceedance in "
                    + "\(exceedance) of hours/days or more; acknowledgement slower than 1 hour."
            },
            aqiHeading: "2. Daily AQI at each station",
            station: { sensor, site in "Station \(sensor) — \(site)" },
            dayHeaders: ["Day", "AQI", "Category", "Colour", "Dominant pollutant"]),
        figures: Figures(
            groupSeparator: ",", decimalSeparator: ".", seconds: "s", minutes: "min", hours: "h", days: "d",
            date: { year, month, day in "\(year)-\(two(month))-\(two(day))" },
            shortDate: { month, day in "\(two(month))-\(two(day))" },
            dateline: { place, year, month, day in "\(place), \(day) \(englishMonths[month - 1]) \(year)" },
            month: { year, month in "\(englishMonths[month - 1]) \(year)" },
            quarter: { year, quarter in "Q\(quarter) \(year)" },
            year: { "\($0)" },
            span: { from, to in "from \(from) to \(to)" },
            nearly: { "nearly \($0)" },
            over: { "over \($0)" }),
        charts: Charts(
            weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"], targetLine: "100% of target", chart: "Chart"))

    private static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]

    private static func two(_ value: Int) -> String { ReportFormatter.two(value) }
}
