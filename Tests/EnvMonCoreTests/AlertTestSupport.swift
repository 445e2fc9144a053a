@testable import EnvMonCore

/// An invented clock and small builders for the alert engine tests: every time is an argument.
enum AlertFixture {
    /// 2026-01-01T00:00:00Z.
    static let start = Timestamp(milliseconds: 1_767_225_600_000)

    static func minutes(_ count: Double) -> Timestamp { start.adding(milliseconds: Int64(count * 60_000)) }
    static func seconds(_ count: Double) -> Timestamp { start.adding(milliseconds: Int64(count * 1000)) }

    static let site = "lan_ha"
    static let sensor = "lh-wq-01"
    static let basis = "QCVN 10-MT:2015/BTNMT, nuôi trồng thủy sản"

    static func rule(
        _ id: String = "do_low", _ condition: AlertCondition = .below(5.0, clear: 5.3), metric: GlobPattern = "do",
        severity: AlertSeverity = .critical, escalation: AlertEscalation? = nil, for duration: Duration = .zero,
        repeat interval: Duration? = nil, flap: FlapSuppression? = nil, aggregation: AlertAggregation = .latest,
        siteKinds: Set<SiteKind> = [], sensors: GlobPattern = .any, sites: GlobPattern = .any
    ) -> AlertRule {
        AlertRule(
            id: id, condition: condition, metric: metric, sensors: sensors, sites: sites, siteKinds: siteKinds,
            severity: severity, escalation: escalation, forDuration: duration, repeatInterval: interval,
            flapSuppression: flap, aggregation: aggregation, basis: basis)
    }

    static func engine(
        _ rules: AlertRule..., sensors: [MonitoredSensor] = [], startedAt: Timestamp = start
    )
        -> AlertEngine
    {
        AlertEngine(
            rules: rules, sensors: sensors, siteKinds: [site: .aquaculture, "cat_co": .beach], startedAt: startedAt)
    }

    static func reading(
        _ value: Double, at time: Timestamp, metric: String = "do", sensor: String = sensor,
        quality: QualityFlag = .pass
    ) -> Reading {
        Reading(series: SeriesKey(sensor: sensor, metric: metric), timestamp: time, value: value, quality: quality)
    }
}

extension AlertEngine {
    /// Feeds one pass reading of `metric` at `time` (minutes after the fixture start).
    mutating func feed(
        _ value: Double, minute: Double, metric: String = "do", sensor: String = AlertFixture.sensor,
        site: String = AlertFixture.site, quality: QualityFlag = .pass
    ) -> [AlertTransition] {
        observe(
            AlertFixture.reading(
                value, at: AlertFixture.minutes(minute), metric: metric, sensor: sensor, quality: quality),
            site: site)
    }

    /// Feeds values one minute apart starting at `from`, collecting every transition.
    mutating func feed(_ values: [Double], from: Double = 0, metric: String = "do") -> [AlertTransition] {
        var all: [AlertTransition] = []
        for (offset, value) in values.enumerated() { all += feed(value, minute: from + Double(offset), metric: metric) }
        return all
    }

    mutating func tick(minute: Double) -> [AlertTransition] { tick(now: AlertFixture.minutes(minute)) }
}

extension Array where Element == AlertTransition {
    var notices: [AlertNotice] { map(\.notice) }
}
