package import EnvMonConfig
package import EnvMonCore

/// Every figure of one periodic report, computed once; the Markdown, HTML and JSON renderers
/// and both languages read this same value, so the editions cannot disagree.
package struct ReportDocument: Sendable {
    package var period: ReportPeriod
    package var generatedAt: Timestamp
    /// The end of the data looked at: the period's end, or the generation time for a period still
    /// running (so completeness is not judged on hours that have not happened yet).
    package var dataUntil: Timestamp
    /// Số ký hiệu, e.g. "15/BC-UBND"; nil leaves the number for the clerk ("Số: …/BC-UBND").
    package var number: String?
    /// The signer's name; nil leaves the line blank for the signature.
    package var signer: String?
    package var network: Network
    package var exceedances: [Exceedance]
    package var airQuality: [StationAQI]
    /// Nil when no alert log was available to the report (not the same as no alerts).
    package var alerts: AlertFigures?
    package var charts: [SeriesChart]
    package var indicatorGroups: [IndicatorGroup]
    package var indicators: [IndicatorStatus]
    package var indicatorSource: String?
    package var findings: [Finding]

    /// The network: how many sensors report, how complete their data is, how it fares in QC.
    package struct Network: Sendable {
        package var sensorsConfigured: Int
        package var sensorsReporting: Int
        /// Configured sensors with no reading at all in the period.
        package var silentSensors: [String]
        /// Sensors that reported but are not in the config (no interval, so no completeness).
        package var unconfiguredSensors: [String]
        package var sensors: [SensorFigures]
        package var sites: [SiteFigures]
        package var expected: Int
        package var received: Int
        package var quality: QualityTally

        package var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    /// One sensor over the period.
    package struct SensorFigures: Sendable {
        package var sensor: String
        package var site: String
        package var metrics: [String]
        package var intervalSeconds: Double
        /// Readings the interval promises over the period, for all the sensor's metrics.
        package var expected: Int
        /// Readings counted by the roll-ups (QC fails are not), at most `expected` per metric, plus
        /// readings received in a catch-up burst (kept out of the roll-ups: their times are order
        /// only), at most `expected` in all.
        package var received: Int
        package var quality: QualityTally
        /// Messages the sensor numbered (JSON `seq`) that never arrived, resends dropped, and
        /// readings received in the burst after a reconnect, on the days of the period (UTC days).
        package var sequenceMissing: Int = 0
        package var sequenceDuplicates: Int = 0
        package var catchUpReadings: Int = 0
        /// Readings the interval would have given while the sensor was in a maintenance window
        /// (`envmon maintenance`): not expected, so neither received nor missing.
        package var maintenance: Int = 0

        package var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    package struct SiteFigures: Sendable {
        package var site: String
        package var name: String
        package var kind: SiteSettings.Kind
        package var sensors: [String]
        package var expected: Int
        package var received: Int

        package var completeness: Double? { expected > 0 ? Double(received) / Double(expected) : nil }
    }

    /// Stored readings by QARTOD flag.
    package struct QualityTally: Sendable, Hashable {
        package var pass = 0
        package var notEvaluated = 0
        package var suspect = 0
        package var fail = 0
        package var missing = 0

        package init() {}

        package var total: Int { pass + notEvaluated + suspect + fail + missing }

        package func share(_ flag: QualityFlag) -> Double? {
            guard total > 0 else { return nil }
            return Double(count(flag)) / Double(total)
        }

        package func count(_ flag: QualityFlag) -> Int {
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
    package struct Exceedance: Sendable {
        package var site: String
        package var siteName: String
        package var siteKind: SiteSettings.Kind
        package var metric: String
        package var unit: String
        package var reference: QCVNReference
        /// Hours (averaging 1 h) or days (24 h) over the reference.
        package var exceeded: Int
        /// Hours or days with data where the reference applies.
        package var evaluated: Int
        /// The worst hourly or daily mean of the period with respect to the reference.
        package var worst: Double?

        package var share: Double? { evaluated > 0 ? Double(exceeded) / Double(evaluated) : nil }
    }

    /// Daily VN_AQI of one air station.
    package struct StationAQI: Sendable {
        package var sensor: String
        package var site: String
        package var siteName: String
        package var days: [DailyAQI]

        package var daysPerCategory: [VNAQI.Category: Int] {
            var result: [VNAQI.Category: Int] = [:]
            for day in days { if let aqi = day.aqi { result[aqi.category, default: 0] += 1 } }
            return result
        }

        package var daysWithoutIndex: Int { days.filter { $0.aqi == nil }.count }
        package var maximum: DailyAQI? { days.filter { $0.aqi != nil }.max { $0.aqi!.value < $1.aqi!.value } }
    }

    package struct DailyAQI: Sendable {
        /// Local midnight of the day.
        package var day: Timestamp
        package var concentrations: DailyConcentrations
        /// Nil when neither PM2.5 nor PM10 had a valid 24-h mean (VN_AQI needs one of them).
        package var aqi: VNAQI.Index?
    }

    /// One station's concentrations for one local day, in µg/m³, as QĐ 1459 defines the daily
    /// index's inputs: PM as the 24-h mean; SO2, NO2, CO as the day's highest 1-h mean; O3 as both
    /// the highest 1-h mean and the highest 8-h rolling mean.
    package struct DailyConcentrations: Hashable, Sendable {
        package var pm25Mean24h: Double?
        package var pm10Mean24h: Double?
        package var o3Max1h: Double?
        package var o3Max8h: Double?
        package var no2Max1h: Double?
        package var so2Max1h: Double?
        package var coMax1h: Double?

        package init() {}

        package var index: VNAQI.Index? {
            VNAQI.daily(
                pm25: pm25Mean24h, pm10: pm10Mean24h, o3Max1h: o3Max1h, o3Max8h: o3Max8h, no2Max1h: no2Max1h,
                so2Max1h: so2Max1h, coMax1h: coMax1h)
        }
    }

    /// Alerts of the period. Medians are over alerts raised in the period.
    package struct AlertFigures: Sendable {
        package var raised: Int
        package var acknowledged: Int
        package var resolved: Int
        /// Raised before the end and not resolved by then.
        package var openAtEnd: Int
        /// Open at the end and never acknowledged.
        package var unacknowledgedAtEnd: Int
        package var raisedBySeverity: [String: Int]
        package var raisedBySite: [String: Int]
        package var medianSecondsToAcknowledge: Double?
        package var medianSecondsToResolve: Double?
    }

    /// A per-site time series drawn with its QCVN reference.
    package struct SeriesChart: Sendable {
        package enum Statistic: String, Sendable {
            case hourlyMean = "hourly_mean"
            case dailyMean = "daily_mean"
            /// The day's highest hourly mean, for references on 1-h means drawn per day.
            case dailyMaxHourly = "daily_max_hourly_mean"
        }

        package var site: String
        package var siteName: String
        package var metric: String
        package var unit: String
        package var statistic: Statistic
        package var points: [(time: Timestamp, value: Double)]
        package var references: [QCVNReference]
    }

    /// Something the data shows that the report must raise as a difficulty (section III) and
    /// answer with a task (section IV).
    package enum Finding: Sendable, Hashable {
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

        package var code: String {
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
package enum ReportThresholds {
    /// Below this share of expected readings a sensor is called out (section III).
    package static let poorCompleteness = 0.8
    /// Above this share of QC-failed readings a sensor needs cleaning or calibration.
    package static let highFailShare = 0.05
    /// A site-parameter whose share of hours (days) over the reference reaches this is "frequent".
    package static let frequentExceedanceShare = 0.05
    /// Acknowledging an alert should take under an hour.
    package static let slowAcknowledgementSeconds = 3600.0
    /// Hours with data a local day needs for a 24-h mean (75 %, the usual data-capture rule; QĐ 1459
    /// does not state one).
    package static let minimumHoursPerDay = 18
    /// Hours with data an 8-h rolling O3 mean needs.
    package static let minimumHoursPerEightHours = 6
    /// Periods up to this long are charted hour by hour; longer ones day by day.
    package static let hourlyChartMaximumDays = 7
}
