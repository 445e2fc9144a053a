internal import EnvMonConfig
internal import EnvMonCore

/// Every word of the report's editions, one table per language (ReportWords+Vietnamese.swift,
/// ReportWords+English.swift), so a translator works on a table alone and the composer,
/// `ReportFormatter` and the renderers hold only layout. A text with figures in it is a function of them, so each language puts them
/// where its grammar wants. Counts arrive as `Int` (a language may inflect on them); other
/// figures arrive formatted for the edition ("98,5%", "1 giờ 30 phút"), lists already joined.
struct ReportWords: Sendable {
    var masthead: Masthead
    var names: Names
    var network: Network
    var environment: Environment
    var alerts: Alerts
    var indicators: Indicators
    var findings: Findings
    var tasks: Tasks
    var appendix: Appendix
    var figures: Figures
    var charts: Charts

    static func of(_ language: ReportLanguage) -> ReportWords {
        switch language {
        case .vietnamese: .vietnamese
        case .english: .english
        }
    }

    /// " (critical: 2, warning: 1)" after a figure, or nothing when there is nothing to list.
    static func inParentheses(_ list: String) -> String { list.isEmpty ? "" : " (\(list))" }

    /// The parts of an administrative report around its sections (NĐ 30/2020, Phụ lục I).
    struct Masthead: Sendable {
        /// Issuing agency, two lines.
        var agency: [String]
        /// Quốc hiệu and Tiêu ngữ, two lines.
        var nation: [String]
        var number: @Sendable (_ number: String) -> String
        var title: String
        var subject: @Sendable (_ period: String) -> String
        var introduction: @Sendable (_ period: String, _ span: String) -> String
        var recipientsLabel: String
        var recipients: [String]
        var signature: [String]
        var appendixTitle: String
    }

    /// Names used by more than one section.
    struct Names: Sendable {
        var siteKind: @Sendable (SiteSettings.Kind) -> String
        /// Alert severities by their code; an unknown code is shown as it is.
        var severities: [String: String]
        var status: @Sendable (IndicatorStatus.Status) -> String
        /// What an exceedance count counts: hours for 1-h references, days for 24-h ones.
        var countUnit: @Sendable (QCVNReference.Averaging) -> String
        var insufficientData: String
    }

    /// I.1: the monitoring network's operation.
    struct Network: Sendable {
        var heading: String
        var operationHeading: String
        var summary:
            @Sendable (
                _ sensors: Int, _ sites: Int, _ reporting: Int, _ completeness: String, _ received: String,
                _ expected: String
            ) -> String
        var quality:
            @Sendable (
                _ readings: String, _ pass: String, _ suspect: String, _ fail: String, _ notEvaluated: String
            ) -> String
        var silentSensors: @Sendable (_ sensors: String) -> String
        /// Site, kind, sensors, valid / expected readings, completeness.
        var siteHeaders: [String]
        /// Sensor, site, interval, valid / expected, completeness, QC pass, suspect, fail, missing
        /// messages, catch-up readings, maintenance.
        var sensorHeaders: [String]
        var maintenanceNote: String
        var catchUpNote: String
    }

    /// I.2 and I.3: sea water and air against their QCVN references, and VN_AQI.
    struct Environment: Sendable {
        var waterHeading: @Sendable (_ regulation: String) -> String
        var waterNote: String
        var airHeading: @Sendable (_ regulation: String) -> String
        var airNote: String
        var nothingMeasured: String
        /// Site, parameter, reference, over / with data, share, worst value.
        var exceedanceHeaders: [String]
        var aquacultureColumn: String
        var beachColumn: String
        var otherPlacesColumn: String
        var dayMean: String
        var hourMean: String
        var statistic: @Sendable (ReportDocument.SeriesChart.Statistic) -> String
        var aqiIntroduction: String
        var station: String
        var highestAQI: String
        var aqiCalendar: @Sendable (_ sensor: String, _ site: String) -> String
    }

    /// I.4: alerts and how they were handled.
    struct Alerts: Sendable {
        var heading: String
        var notConnected: String
        var summary:
            @Sendable (
                _ raised: Int, _ bySeverity: String, _ acknowledged: Int, _ resolved: Int, _ open: Int,
                _ unacknowledged: Int, _ medianAcknowledge: String, _ medianResolve: String
            ) -> String
        /// Site, alerts raised.
        var siteHeaders: [String]
    }

    /// II: the digital-transformation indicators.
    struct Indicators: Sendable {
        var heading: String
        var noFile: String
        var summary: @Sendable (_ count: Int, _ met: Int, _ notMet: Int, _ noTarget: Int, _ source: String?) -> String
        /// Indicator, period, value, unit, target, status, change, section.
        var headers: [String]
        var barsTitle: String
    }

    /// III: difficulties, one sentence per finding.
    struct Findings: Sendable {
        var heading: String
        var nothingFound: String
        var silentSensor: @Sendable (_ sensor: String, _ site: String) -> String
        var poorCompleteness:
            @Sendable (_ sensor: String, _ site: String, _ completeness: String, _ threshold: String) -> String
        var highQCFailure: @Sendable (_ sensor: String, _ share: String) -> String
        var frequentExceedance:
            @Sendable (
                _ site: String, _ metric: String, _ exceeded: Int, _ evaluated: Int, _ unit: String, _ share: String
            ) -> String
        var poorAirQualityDays: @Sendable (_ sensor: String, _ site: String, _ days: Int, _ worst: Int) -> String
        var slowAcknowledgement: @Sendable (_ median: String) -> String
        var unacknowledgedAlerts: @Sendable (_ count: Int) -> String
        var indicatorNotMet: @Sendable (_ name: String, _ value: String, _ target: String) -> String
        var unconfiguredSensors: @Sendable (_ sensors: String) -> String
    }

    /// IV: the tasks the findings call for.
    struct Tasks: Sendable {
        var heading: String
        var maintainSensors: @Sendable (_ sensors: String, _ completeness: String) -> String
        var calibrateSensors: @Sendable (_ sensors: String) -> String
        var confirmExceedances: @Sendable (_ places: String) -> String
        var publishAQI: @Sendable (_ sites: String) -> String
        var reviewAlerts: String
        var declareSensors: String
        var meetTargets: @Sendable (_ indicators: String) -> String
        var keepRunning: String
    }

    /// The appendix: how the figures were worked out, and each station's daily AQI.
    struct Appendix: Sendable {
        var methodHeading: String
        var completeness: @Sendable (_ until: String) -> String
        var exceedance: @Sendable (_ minimumHours: Int) -> String
        var aqi: String
        var thresholds: @Sendable (_ completeness: String, _ fails: String, _ exceedance: String) -> String
        var aqiHeading: String
        var station: @Sendable (_ sensor: String, _ site: String) -> String
        /// Day, AQI, category, colour, dominant pollutant.
        var dayHeaders: [String]
    }

    /// How `ReportFormatter` writes numbers, dates, periods and durations.
    struct Figures: Sendable {
        var groupSeparator: String
        var decimalSeparator: String
        /// Units after a duration's numbers: "1 giờ 30 phút".
        var seconds: String
        var minutes: String
        var hours: String
        var days: String
        /// A date in tables and text.
        var date: @Sendable (_ year: Int, _ month: Int, _ day: Int) -> String
        /// Day and month only, under a chart's axis.
        var shortDate: @Sendable (_ month: Int, _ day: Int) -> String
        var dateline: @Sendable (_ place: String, _ year: Int, _ month: Int, _ day: Int) -> String
        var month: @Sendable (_ year: Int, _ month: Int) -> String
        var quarter: @Sendable (_ year: Int, _ quarter: Int) -> String
        var year: @Sendable (_ year: Int) -> String
        /// Dates already written by `date`, the last one inclusive.
        var span: @Sendable (_ from: String, _ to: String) -> String
        /// An indicator figure the source gives as "gần 900" (a little under) or "trên 70" (above).
        var nearly: @Sendable (_ value: String) -> String
        var over: @Sendable (_ value: String) -> String
    }

    /// Words drawn in the charts, and what the Markdown edition writes in a chart's place.
    struct Charts: Sendable {
        /// Monday first.
        var weekdays: [String]
        /// Under the dashed line of the indicator bars.
        var targetLine: String
        /// "[Biểu đồ: caption]" in Markdown.
        var chart: String
    }
}
