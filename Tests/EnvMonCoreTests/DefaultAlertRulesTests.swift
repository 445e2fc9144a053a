import Testing

@testable import EnvMonCore

/// The shipped Cát Hải rules: valid, each with a basis, the QCVN figures of domain.md, and the
/// behaviour the acceptance describes.
@Suite("Default Cát Hải alert rules")
struct DefaultAlertRulesTests {
    typealias F = AlertFixture
    static let rules = DefaultAlertRules.catHai

    static func rule(_ id: String) -> AlertRule? { rules.first { $0.id == id } }

    static let sensors = [
        MonitoredSensor(id: "lh-wq-01", site: "lan_ha", siteKind: .aquaculture, metrics: ["water_temp", "ph", "do"]),
        MonitoredSensor(id: "cc-wq-01", site: "cat_co", siteKind: .beach, metrics: ["do", "tss", "ph"]),
        MonitoredSensor(id: "cb-air-01", site: "cat_ba_town", siteKind: .town, metrics: ["pm25", "o3"]),
        MonitoredSensor(id: "cb-wx-01", site: "cat_ba_town", siteKind: .town, metrics: ["wind_speed", "rain_rate"]),
    ]

    @Test("Every rule is valid against the standard catalogue, ids are unique, each names its basis")
    func valid() {
        #expect(Set(Self.rules.map(\.id)).count == Self.rules.count)
        for rule in Self.rules {
            #expect(rule.problems(catalogue: .standard).isEmpty, "\(rule.id): \(rule.problems(catalogue: .standard))")
            #expect(!rule.basis.isEmpty)
            #expect(rule.descriptionVietnamese != nil && rule.descriptionEnglish != nil)
        }
        let kinds = Set(Self.rules.map(\.kind))
        #expect(kinds == [.above, .below, .outside, .noData, .qcFault, .aqi])
    }

    @Test("Sea-water limits follow QCVN 10-MT:2015 per site kind")
    func seaWater() throws {
        let doCages = try #require(Self.rule("do_low_aquaculture"))
        #expect(doCages.condition == .below(5.0, clear: 5.3))
        #expect(doCages.severity == .critical)
        #expect(doCages.siteKinds == [.aquaculture])
        #expect(doCages.basis.contains("QCVN 10-MT:2015/BTNMT"))
        #expect(doCages.basis.contains("nuôi trồng thủy sản"))
        let doBeach = try #require(Self.rule("do_low_beach"))
        #expect(doBeach.condition.threshold() == 4.0)
        #expect(doBeach.siteKinds == [.beach])
        #expect(Self.rule("ph_out_of_band")?.condition.kind == .outside)
        #expect(Self.rule("ph_out_of_band")?.condition.threshold(near: 9) == 8.5)
        #expect(Self.rule("ph_out_of_band")?.condition.threshold(near: 6) == 6.5)
        #expect(Self.rule("tss_high")?.condition.threshold() == 50)
        #expect(Self.rule("nh4_high_aquaculture")?.condition.threshold() == 0.1)
        #expect(Self.rule("nh4_high_beach")?.condition.threshold() == 0.5)
    }

    @Test("Air limits follow QCVN 05:2023 on the caller's rolling means; AQI at Xấu")
    func air() throws {
        let expected: [(String, String, Double, Int64)] = [
            ("pm25_24h_high", "pm25", 45, 24), ("pm10_24h_high", "pm10", 100, 24), ("o3_1h_high", "o3", 200, 1),
            ("o3_8h_high", "o3", 120, 8), ("no2_1h_high", "no2", 200, 1),
        ]
        for (id, metric, limit, hours) in expected {
            let rule = try #require(Self.rule(id))
            #expect(rule.metric.pattern == metric)
            #expect(rule.condition.threshold() == limit)
            #expect(rule.aggregation == .rollingMean(.seconds(hours * 3600)))
            #expect(rule.basis.contains("QCVN 05:2023/BTNMT"))
        }
        let aqi = try #require(Self.rule("aqi_bad"))
        #expect(aqi.condition == .aqi(atLeast: .bad))
        #expect(aqi.condition.threshold() == 151)
        #expect(aqi.escalation?.severity == .critical)
    }

    @Test(
        "Cage DO: a series crossing the limit raises exactly one critical alert after its for time, resolves once above 5.3"
    )
    func cageOxygenScenario() {
        var engine = AlertEngine(rules: Self.rules, sensors: Self.sensors, startedAt: F.start)
        var transitions: [AlertTransition] = []
        // Minute by minute: falls through 5, hovers below the clear level, recovers.
        let series: [Double] = [5.6, 5.4, 5.1, 4.9, 4.7, 4.6, 4.8, 4.9, 4.7, 5.1, 5.2, 4.95, 5.25, 5.35, 5.5]
        for (minute, value) in series.enumerated() {
            transitions += engine.feed(value, minute: Double(minute), metric: "do", sensor: "lh-wq-01", site: "lan_ha")
            transitions += engine.tick(minute: Double(minute) + 0.5)
        }
        let notified = transitions.filter(\.notice.isNotification)
        #expect(notified.map(\.notice) == [.raised, .resolved])
        #expect(notified.allSatisfy { $0.ruleID == "do_low_aquaculture" })
        #expect(notified.first?.severity == .critical)
        #expect(notified.first?.at == F.minutes(8))  // pending from minute 3, for 5 minutes
        #expect(notified.last?.at == F.minutes(13))
        #expect(transitions.first?.notice == .pending)
    }

    @Test("The same DO at the beach only warns below 4; silence warns after 15 minutes")
    func beachAndSilence() {
        var engine = AlertEngine(rules: Self.rules, sensors: Self.sensors, startedAt: F.start)
        var transitions: [AlertTransition] = []
        for minute in 0..<16 {
            transitions += engine.feed(4.5, minute: Double(minute), metric: "do", sensor: "cc-wq-01", site: "cat_co")
        }
        #expect(transitions.filter(\.notice.isNotification).isEmpty)
        // Every configured sensor that stayed silent is reported 15 minutes after start.
        let silent = engine.tick(minute: 15).filter { $0.ruleID == "no_data" }
        #expect(silent.map(\.sensor) == ["cb-air-01", "cb-wx-01", "lh-wq-01"])
        #expect(silent.allSatisfy { $0.severity == .warning && $0.lastSeenAt == nil })
    }

    @Test("Storm wind warns at Beaufort 8 and escalates at Beaufort 10")
    func storm() {
        var engine = AlertEngine(rules: Self.rules, sensors: Self.sensors, startedAt: F.start)
        var transitions: [AlertTransition] = []
        let gusts: [Double] = [12, 17.2, 18, 19, 20, 24.5, 25, 26, 21, 14]
        for (minute, value) in gusts.enumerated() {
            transitions += engine.feed(
                value, minute: Double(minute), metric: "wind_speed", sensor: "cb-wx-01", site: "cat_ba_town")
        }
        let notified = transitions.filter(\.notice.isNotification)
        #expect(notified.map(\.notice) == [.raised, .escalated, .deescalated, .resolved])
        #expect(notified.map(\.severity) == [.warning, .critical, .warning, .warning])
    }
}

@Suite("AlertTransition presentation")
struct AlertTransitionPresentationTests {
    typealias F = AlertFixture

    @Test("Journal line: what, where, value with unit, threshold, basis, id; priority from severity")
    func journalLine() throws {
        var engine = F.engine(F.rule())
        let first = engine.feed(4.2, minute: 0)
        let raised = try #require(first.first)
        let line = raised.journalText(catalogue: .standard)
        #expect(
            line
                == "[CRITICAL] raised do_low: Oxy hòa tan (DO) 4.2 mg/L (ngưỡng 5 mg/L) at lh-wq-01 (lan_ha); "
                + "basis \(F.basis); id \(raised.alertID)")
        #expect(raised.journalPriority == 2)
        let resolution = engine.feed(6, minute: 1)
        let resolved = try #require(resolution.first)
        #expect(resolved.journalPriority == 5)
        #expect(resolved.journalText(catalogue: .standard).hasPrefix("[CRITICAL] resolved do_low: "))
    }

    @Test("Priorities per notice and severity")
    func priorities() {
        func priority(_ notice: AlertNotice, _ severity: AlertSeverity) -> Int {
            AlertTransition(
                alertID: "a", ruleID: "r", kind: .above, sensor: "s", site: "x", metric: "do", from: .firing,
                to: .firing, notice: notice, severity: severity, value: 1, threshold: 1, basis: "b", at: F.start
            ).journalPriority
        }
        #expect(priority(.raised, .warning) == 4)
        #expect(priority(.repeated, .info) == 6)
        #expect(priority(.escalated, .critical) == 2)
        #expect(priority(.flapping, .critical) == 2)
        #expect(priority(.acknowledged, .critical) == 5)
        #expect(priority(.flappingEnded, .warning) == 5)
        #expect(priority(.pending, .critical) == 7)
        #expect(AlertNotice.allCases.filter { !$0.isNotification } == [.pending, .cancelled])
        #expect(AlertNotice.flappingEnded.rawValue == "flapping_ended")
    }

    @Test("Units: the metric's, seconds for no data, none for QC faults and AQI")
    func units() {
        func unit(_ kind: AlertRuleKind, _ metric: String) -> String {
            AlertTransition(
                alertID: "a", ruleID: "r", kind: kind, sensor: "s", site: "x", metric: metric, from: .firing,
                to: .firing, notice: .raised, severity: .warning, value: 1, threshold: 1, basis: "b", at: F.start
            ).unit(in: .standard)
        }
        #expect(unit(.above, "pm25") == "µg/m³")
        #expect(unit(.rate, "do") == "mg/L")
        #expect(unit(.noData, "*") == "s")
        #expect(unit(.qcFault, "ph") == "")
        #expect(unit(.aqi, "aqi") == "")
        #expect(unit(.above, "unknown") == "")
    }

    @Test("Acknowledgement lines name who and why")
    func acknowledgementLine() throws {
        var engine = F.engine(F.rule())
        let first = engine.feed(4.2, minute: 0)
        let raised = try #require(first.first)
        let acknowledged = engine.acknowledge(alertID: raised.alertID, by: "Lan", note: "đã sục khí", at: F.minutes(2))
        let ack = try #require(acknowledged)
        #expect(ack.journalText(catalogue: .standard).contains("; acknowledged by Lan: đã sục khí; basis"))
    }

    @Test(
        "Numbers print with up to three decimals",
        arguments: [
            (4.2, "4.2"), (0.105, "0.105"), (900, "900"), (-1.5, "-1.5"), (17.25, "17.25"), (0.0004, "0"), (5.3, "5.3"),
        ])
    func numbers(value: Double, text: String) {
        #expect(AlertTransition.format(value) == text)
    }
}
