public import EnvMonConfig
public import EnvMonCore

/// Every figure of one periodic report, computed once; the Markdown, HTML and JSON renderers
/// and both languages read this same value, so the editions cannot disagree.
public struct ReportDocument: Sendable {
    public var period: ReportPeriod
    public var generatedAt: Timestamp
    /// The end of the data looked at: the period's end, or the generation time for a period still
    /// running (so completeness is not judged on hours that have not happened yet).
    public var dataUntil: Timestamp
    /// Số ký hiệu, e.g. "15/BC-UBND"; nil leaves the number for the clerk ("Số: …/BC-UBND").
    public var number: String?
    /// The signer's name; nil leaves the line blank for the signature.
    public var signer: String?
    public var network: Network
    public var exceedances: [Exceedance]
    public var airQuality: [StationAQI]
    /// Nil when no alert log was available to the report (not the same as no alerts).
    public var alerts: AlertFigures?
    public var charts: [SeriesChart]
    public var indicatorGroups: [IndicatorGroup]
    public var indicators: [IndicatorStatus]
    public var indicatorSource: String?
    public var findings: [Finding]

    /// The network: how many sensors report, how complete their data is, how it fares in QC.
    public struct Network: Sendable {
        public var sensorsConfigured: Int
        public var sensorsReporting: Int
        /// Configured sensors with no reading at all in the period.
        public var silentSensors: [String]
        /// Sensors that reported but are not in the config (no interval, so no completeness).
        public var unconfiguredSensors: [String]
        public var sensors: [SensorFigures]
        public var sites: [SiteFigures]
        public var expected: Int
        public var received: Int
        public var quality: QualityTally

        public var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    /// One sensor over the period.
    public struct SensorFigures: Sendable {
        public var sensor: String
        public var site: String
        public var metrics: [String]
        public var intervalSeconds: Double
        /// Readings the interval promises over the period, for all the sensor's metrics.
        public var expected: Int
        /// Readings counted by the roll-ups (QC fails are not), at most `expected` per metric, plus
        /// readings received in a catch-up burst (kept out of the roll-ups: their times are order
        /// only), at most `expected` in all.
        public var received: Int
        public var quality: QualityTally
        /// Messages the sensor numbered (JSON `seq`) that never arrived, resends dropped, and
        /// readings received in the burst after a reconnect, on the days of the period (UTC days).
        public var sequenceMissing: Int = 0
        public var sequenceDuplicates: Int = 0
        public var catchUpReadings: Int = 0
        /// Readings the interval would have given while the sensor was in a maintenance window
        /// (`envmon maintenance`): not expected, so neither received nor missing.
        public var maintenance: Int = 0

        public var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    public struct SiteFigures: Sendable {
        public var site: String
        public var name: String
        public var kind: SiteSettings.Kind
        public var sensors: [String]
        public var expected: Int
        public var received: Int

        public var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    /// Stored readings by QARTOD flag.
    public struct QualityTally: Sendable, Hashable {
        public var pass = 0
        public var notEvaluated = 0
        public var suspect = 0
        public var fail = 0
        public var missing = 0

        public init() {}

        public var total: Int { pass + notEvaluated + suspect + fail + missing }

        public func share(_ flag: QualityFlag) -> Double? {
            guard total > 0 else { return nil }
            return Double(count(flag)) / Double(total)
        }

        public func count(_ flag: QualityFlag) -> Int {
            switch flag {
            case .pass: pass
            case .notEvaluated: notEvaluated
            case .suspect: suspect
            case .fail: fail
            case .missing: missing
            }
        }

        mutating func add(_ flag: QualityFlag, _ count: Int) {
            switch flag {
            case .pass: pass += count
            case .notEvaluated: notEvaluated += count
            case .suspect: suspect += count
            case .fail: fail += count
            case .missing: missing += count
            }
        }

        mutating func add(_ other: QualityTally) {
            for flag in QualityFlag.allCases { add(flag, other.count(flag)) }
        }
    }

    /// Hours (or days) in which a site's hourly (or daily) mean passed a QCVN reference value.
    /// Indicative: automatic in-situ monitoring, not an analysed sample.
    public struct Exceedance: Sendable {
        public var site: String
        public var siteName: String
        public var siteKind: SiteSettings.Kind
        public var metric: String
        public var unit: String
        public var reference: QCVNReference
        /// Hours (averaging 1 h) or days (24 h) over the reference.
        public var exceeded: Int
        /// Hours or days with data where the reference applies.
        public var evaluated: Int
        /// The worst hourly or daily mean of the period with respect to the reference.
        public var worst: Double?

        public var share: Double? { evaluated > 0 ? Double(exceeded) / Double(evaluated) : nil }
    }

    /// Daily VN_AQI of one air station.
    public struct StationAQI: Sendable {
        public var sensor: String
        public var site: String
        public var siteName: String
        public var days: [DailyAQI]

        public var daysPerCategory: [VNAQI.Category: Int] {
            var result: [VNAQI.Category: Int] = [:]
            for day in days { if let aqi = day.aqi { result[aqi.category, default: 0] += 1 } }
            return result
        }

        public var daysWithoutIndex: Int { days.filter { $0.aqi == nil }.count }
        public var maximum: DailyAQI? { days.filter { $0.aqi != nil }.max { $0.aqi!.value < $1.aqi!.value } }
    }

    public struct DailyAQI: Sendable {
        /// Local midnight of the day.
        public var day: Timestamp
        public var concentrations: DailyConcentrations
        /// Nil when neither PM2.5 nor PM10 had a valid 24-h mean (VN_AQI needs one of them).
        public var aqi: VNAQI.Index?
    }

    /// One station's concentrations for one local day, in µg/m³, as QĐ 1459 defines the daily
    /// index's inputs: PM as the 24-h mean; SO2, NO2, CO as the day's highest 1-h mean; O3 as both
    /// the highest 1-h mean and the highest 8-h rolling mean.
    public struct DailyConcentrations: Hashable, Sendable {
        public var pm25Mean24h: Double?
        public var pm10Mean24h: Double?
        public var o3Max1h: Double?
        public var o3Max8h: Double?
        public var no2Max1h: Double?
        public var so2Max1h: Double?
        public var coMax1h: Double?

        public init() {}

        public var index: VNAQI.Index? {
            VNAQI.daily(
                pm25: pm25Mean24h, pm10: pm10Mean24h, o3Max1h: o3Max1h, o3Max8h: o3Max8h, no2Max1h: no2Max1h,
                so2Max1h: so2Max1h, coMax1h: coMax1h)
        }
    }

    /// Alerts of the period. Medians are over alerts raised in the period.
    public struct AlertFigures: Sendable {
        public var raised: Int
        public var acknowledged: Int
        public var resolved: Int
        /// Raised before the end and not resolved by then.
        public var openAtEnd: Int
        /// Open at the end and never acknowledged.
        public var unacknowledgedAtEnd: Int
        public var raisedBySeverity: [String: Int]
        public var raisedBySite: [String: Int]
        public var medianSecondsToAcknowledge: Double?
        public var medianSecondsToResolve: Double?
    }

    /// A per-site time series drawn with its QCVN reference.
    public struct SeriesChart: Sendable {
        public enum Statistic: String, Sendable {
            case hourlyMean = "hourly_mean"
            case dailyMean = "daily_mean"
            /// The day's highest hourly mean, for references on 1-h means drawn per day.
            case dailyMaxHourly = "daily_max_hourly_mean"
        }

        public var site: String
        public var siteName: String
        public var metric: String
        public var unit: String
        public var statistic: Statistic
        public var points: [(time: Timestamp, value: Double)]
        public var references: [QCVNReference]
    }

    /// Something the data shows that the report must raise as a difficulty (section III) and
    /// answer with a task (section IV).
    public enum Finding: Sendable, Hashable {
        case silentSensor(sensor: String, site: String)
        case poorCompleteness(sensor: String, site: String, completeness: Double)
        case highQCFailure(sensor: String, failShare: Double)
        case frequentExceedance(
            site: String, metric: String, exceeded: Int, evaluated: Int, averaging: QCVNReference.Averaging)
        case poorAirQualityDays(sensor: String, site: String, days: Int, worst: Int)
        case slowAcknowledgement(medianSeconds: Double)
        case unacknowledgedAlerts(count: Int)
        case indicatorNotMet(id: String)
        case unconfiguredSensors(sensors: [String])

        public var code: String {
            switch self {
            case .silentSensor: "silent_sensor"
            case .poorCompleteness: "poor_completeness"
            case .highQCFailure: "high_qc_failure"
            case .frequentExceedance: "frequent_exceedance"
            case .poorAirQualityDays: "poor_air_quality_days"
            case .slowAcknowledgement: "slow_acknowledgement"
            case .unacknowledgedAlerts: "unacknowledged_alerts"
            case .indicatorNotMet: "indicator_not_met"
            case .unconfiguredSensors: "unconfigured_sensors"
            }
        }
    }
}

/// The thresholds that turn figures into findings. Engineering choices, not regulation: stated in
/// the report's method note so a reader can judge them.
public enum ReportThresholds {
    /// Below this share of expected readings a sensor is called out (section III).
    public static let poorCompleteness = 0.8
    /// Above this share of QC-failed readings a sensor needs cleaning or calibration.
    public static let highFailShare = 0.05
    /// A site-parameter whose share of hours (days) over the reference reaches this is "frequent".
    public static let frequentExceedanceShare = 0.05
    /// Acknowledging an alert should take under an hour.
    public static let slowAcknowledgementSeconds = 3600.0
    /// Hours with data a local day needs for a 24-h mean (75 %, the usual data-capture rule; QĐ 1459
    /// does not state one).
    public static let minimumHoursPerDay = 18
    /// Hours with data an 8-h rolling O3 mean needs.
    public static let minimumHoursPerEightHours = 6
    /// Periods up to this long are charted hour by hour; longer ones day by day.
    public static let hourlyChartMaximumDays = 7
}
