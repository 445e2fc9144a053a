import Testing

@testable import EnvMonCore

/// What makes each rule kind fire and clear: thresholds, hysteresis, bands, rates, QC faults, AQI,
/// and which readings count.
@Suite("AlertEngine conditions")
struct AlertEngineConditionTests {
    typealias F = AlertFixture

    @Test("below with a clear level: one alert while the value hovers at the limit, resolved at the clear level")
    func belowHysteresis() throws {
        var engine = F.engine(F.rule())
        let transitions = engine.feed([5.2, 4.9, 5.1, 4.8, 5.2, 4.95, 5.29, 5.3, 5.25, 5.4])
        #expect(transitions.notices == [.raised, .resolved])
        let raised = transitions[0]
        #expect(raised.alertID == "do_low:lh-wq-01:\(F.minutes(1).milliseconds)")
        #expect(raised.ruleID == "do_low")
        #expect(raised.kind == .below)
        #expect(raised.sensor == F.sensor)
        #expect(raised.site == F.site)
        #expect(raised.metric == "do")
        #expect(raised.from == .inactive)
        #expect(raised.to == .firing)
        #expect(raised.severity == .critical)
        #expect(raised.value == 4.9)
        #expect(raised.threshold == 5.0)
        #expect(raised.basis == F.basis)
        #expect(raised.at == F.minutes(1))
        #expect(raised.raisedAt == F.minutes(1))
        let resolved = transitions[1]
        #expect(resolved.alertID == raised.alertID)
        #expect(resolved.from == .firing)
        #expect(resolved.to == .resolved)
        #expect(resolved.value == 5.3)
        #expect(resolved.at == F.minutes(7))
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .inactive)
        #expect(engine.activeAlerts().isEmpty)
    }

    @Test("Without a clear level the alert clears as soon as the value is compliant again")
    func belowWithoutClearLevel() {
        var engine = F.engine(F.rule("do_low", .below(5.0)))
        #expect(engine.feed([5.0, 4.99, 5.0]).notices == [.raised, .resolved])
    }

    @Test("above is strict unless inclusive; clears at or below the clear level")
    func aboveStrictAndInclusive() {
        var strict = F.engine(F.rule("tss", .above(50, clear: 45), metric: "tss"))
        #expect(strict.feed([50, 50.01, 46, 45.5], metric: "tss").notices == [.raised])
        #expect(strict.feed(45, minute: 10, metric: "tss").notices == [.resolved])

        var inclusive = F.engine(F.rule("wind", .above(17.2, clear: 15, inclusive: true), metric: "wind_speed"))
        #expect(inclusive.feed([17.1, 17.2], metric: "wind_speed").notices == [.raised])
        #expect(inclusive.feed([15.1, 15.0], from: 5, metric: "wind_speed").isEmpty)  // inclusive: clears below 15
        #expect(inclusive.feed(14.9, minute: 10, metric: "wind_speed").notices == [.resolved])
    }

    @Test("outside a band fires on either side, reports the nearer bound, clears inside the clear band")
    func outsideBand() {
        var engine = F.engine(
            F.rule("ph", .outside(low: 6.5, high: 8.5, clearLow: 6.6, clearHigh: 8.4), metric: "ph", severity: .warning)
        )
        let high = engine.feed([8.0, 8.6, 8.45, 8.5], metric: "ph")
        #expect(high.notices == [.raised])
        #expect(high.first?.threshold == 8.5)
        #expect(engine.feed(8.4, minute: 10, metric: "ph").notices == [.resolved])
        let low = engine.feed([6.5, 6.4, 6.55], from: 20, metric: "ph")
        #expect(low.notices == [.raised])
        #expect(low.first?.threshold == 6.5)
        #expect(low.first?.value == 6.4)
        #expect(engine.feed(6.6, minute: 30, metric: "ph").notices == [.resolved])
    }

    @Test("rate: a fall of more than 1 mg/L within 10 minutes fires; it clears once the window has moved on")
    func rateFall() throws {
        var engine = F.engine(
            F.rule("do_drop", .rate(change: 1.0, window: .seconds(600), direction: .fall), severity: .warning))
        #expect(engine.feed(6.0, minute: 0).isEmpty)
        #expect(engine.feed(5.8, minute: 2).isEmpty)
        let fired = engine.feed(4.9, minute: 5)
        #expect(fired.notices == [.raised])
        let change = try #require(fired.first?.value)
        #expect(abs(change - 1.1) < 1e-9)
        #expect(fired.first?.threshold == 1.0)
        #expect(engine.feed(4.9, minute: 9).isEmpty)  // 6.0 at minute 0 is still in the window
        #expect(engine.feed(4.9, minute: 12.5).notices == [.resolved])  // window now starts at 2.5
    }

    @Test("rate: direction decides whether a rise counts; either takes the largest change")
    func rateDirections() {
        var fall = F.engine(F.rule("fall", .rate(change: 1.0, window: .seconds(600), direction: .fall)))
        #expect(fall.feed([5.0, 6.5]).isEmpty)
        var rise = F.engine(F.rule("rise", .rate(change: 1.0, window: .seconds(600), direction: .rise)))
        #expect(rise.feed([5.0, 6.5]).notices == [.raised])
        var either = F.engine(
            F.rule("either", .rate(change: 1.0, window: .seconds(600), direction: .either, clear: 0.5)))
        #expect(either.feed([5.0, 5.5, 3.9]).notices == [.raised])  // 5.5 → 3.9 = 1.6
        #expect(either.record(rule: "either", sensor: F.sensor)?.recentValues.count == 3)
    }

    @Test("qc_fault: N consecutive fail flags fire; not-evaluated flags neither count nor reset; a pass clears")
    func qcFaultConsecutive() {
        var engine = F.engine(F.rule("qc", .qcFault(consecutive: 3), metric: "*", severity: .warning))
        #expect(engine.feed(99, minute: 0, quality: .fail).isEmpty)
        #expect(engine.feed(99, minute: 1, quality: .fail).isEmpty)
        #expect(engine.feed(99, minute: 2, quality: .notEvaluated).isEmpty)
        let raised = engine.feed(99, minute: 3, quality: .fail)
        #expect(raised.notices == [.raised])
        #expect(raised.first?.value == 3)
        #expect(raised.first?.threshold == 3)
        #expect(raised.first?.metric == "do")
        #expect(engine.feed(99, minute: 4, quality: .fail).isEmpty)
        #expect(engine.feed(7, minute: 5, quality: .pass).notices == [.resolved])
    }

    @Test("qc_fault: fail flags persisting for a duration fire; a suspect reading breaks the run")
    func qcFaultLasting() {
        var engine = F.engine(F.rule("qc", .qcFault(lasting: .seconds(600)), metric: "*", severity: .warning))
        #expect(engine.feed(0, minute: 0, quality: .fail).isEmpty)
        #expect(engine.feed(0, minute: 5, quality: .fail).isEmpty)
        #expect(engine.feed(0, minute: 9.9, quality: .fail).isEmpty)
        #expect(engine.feed(0, minute: 10, quality: .fail).notices == [.raised])
        #expect(engine.feed(0, minute: 11, quality: .suspect).notices == [.resolved])
        // A broken run starts again from zero.
        #expect(engine.feed(0, minute: 12, quality: .fail).isEmpty)
        #expect(engine.feed(0, minute: 21, quality: .fail).isEmpty)
    }

    @Test("qc_fault with a metric pattern tracks each metric's run; observeQuality feeds it too")
    func qcFaultPerMetric() {
        var engine = F.engine(F.rule("qc", .qcFault(consecutive: 2), metric: "*", severity: .warning))
        #expect(engine.feed(0, minute: 0, metric: "ph", quality: .fail).isEmpty)
        #expect(engine.feed(6, minute: 0, metric: "do", quality: .pass).isEmpty)  // other metric: no reset
        let raised = engine.observeQuality(
            sensor: F.sensor, site: F.site, metric: "ph", quality: .fail, at: F.minutes(1))
        #expect(raised.notices == [.raised])
        #expect(raised.first?.metric == "ph")
        // An older flag than the latest of that metric is ignored.
        #expect(
            engine.observeQuality(sensor: F.sensor, site: F.site, metric: "ph", quality: .pass, at: F.minutes(0.5))
                .isEmpty)
        #expect(engine.feed(7, minute: 2, metric: "ph").notices == [.resolved])
    }

    @Test("Only pass and suspect readings are judged by value rules")
    func onlyUsableReadings() {
        var engine = F.engine(F.rule())
        #expect(engine.feed(1.0, minute: 0, quality: .fail).isEmpty)
        #expect(engine.feed(1.0, minute: 1, quality: .notEvaluated).isEmpty)
        #expect(engine.feed(1.0, minute: 2, quality: .missing).isEmpty)
        #expect(engine.feed(.nan, minute: 3, quality: .pass).isEmpty)
        #expect(engine.feed(1.0, minute: 4, quality: .suspect).notices == [.raised])
        #expect(AlertEngine.isUsable(F.reading(1, at: F.start, quality: .suspect)))
        #expect(!AlertEngine.isUsable(F.reading(1, at: F.start, quality: .fail)))
        #expect(!AlertEngine.isUsable(F.reading(.infinity, at: F.start)))
    }

    @Test("aqi: fires at a category, escalates a band higher, steps back, resolves below the band")
    func aqiRule() {
        var engine = F.engine(
            F.rule(
                "aqi_bad", .aqi(atLeast: .bad), metric: "aqi", severity: .warning,
                escalation: AlertEscalation(.critical, when: .aqi(atLeast: .veryBad))))
        func aqi(_ value: Double, _ minute: Double) -> [AlertTransition] {
            engine.observe(
                rule: "aqi_bad", sensor: "cb-air-01", site: "cat_ba_town", value: value, at: F.minutes(minute))
        }
        #expect(aqi(150, 0).isEmpty)
        let raised = aqi(151, 60)
        #expect(raised.notices == [.raised])
        #expect(raised.first?.threshold == 151)
        #expect(raised.first?.metric == "aqi")
        let escalated = aqi(205, 120)
        #expect(escalated.notices == [.escalated])
        #expect(escalated.first?.severity == .critical)
        #expect(escalated.first?.threshold == 201)
        #expect(aqi(201, 180).isEmpty)
        #expect(aqi(180, 240).notices == [.deescalated])
        #expect(aqi(160, 300).isEmpty)
        let resolved = aqi(150, 360)
        #expect(resolved.notices == [.resolved])
        #expect(resolved.first?.alertID == raised.first?.alertID)
    }

    @Test("Rolling-mean rules ignore raw readings and judge the mean the caller passes")
    func rollingMean() {
        var engine = F.engine(
            F.rule(
                "pm25_24h", .above(45), metric: "pm25", severity: .warning, aggregation: .rollingMean(.seconds(86_400)))
        )
        #expect(engine.feed(300, minute: 0, metric: "pm25").isEmpty)
        let raised = engine.observe(
            rule: "pm25_24h", sensor: "cb-air-01", site: "cat_ba_town", value: 46.2, at: F.minutes(60))
        #expect(raised.notices == [.raised])
        #expect(raised.first?.value == 46.2)
        #expect(
            engine.observe(rule: "nope", sensor: "cb-air-01", site: "cat_ba_town", value: 99, at: F.minutes(61)).isEmpty
        )
        #expect(
            engine.observe(rule: "pm25_24h", sensor: "cb-air-01", site: "cat_ba_town", value: .nan, at: F.minutes(62))
                .isEmpty)
        #expect(AlertAggregation.rollingMean(.seconds(86_400)).name == "mean_24h")
        #expect(AlertAggregation.rollingMean(.seconds(1800)).name == "mean_30m")
        #expect(AlertAggregation.latest.name == "latest")
    }

    @Test("observe(rule:) respects the rule's sensor, site and site-kind filters")
    func explicitObservationFilters() {
        var engine = F.engine(F.rule(siteKinds: [.aquaculture], sensors: "lh-*"))
        #expect(engine.observe(rule: "do_low", sensor: "cc-wq-01", site: F.site, value: 1, at: F.start).isEmpty)
        #expect(engine.observe(rule: "do_low", sensor: "lh-wq-09", site: "cat_co", value: 1, at: F.start).isEmpty)
        #expect(
            engine.observe(rule: "do_low", sensor: "lh-wq-09", site: F.site, value: 1, at: F.start).notices == [.raised]
        )
    }

    @Test("Site kinds pick the aquaculture or the beach DO limit")
    func siteKinds() {
        let aquaculture = F.rule("do_aq", .below(5.0), siteKinds: [.aquaculture])
        let beach = F.rule("do_beach", .below(4.0), severity: .warning, siteKinds: [.beach])
        var engine = F.engine(aquaculture, beach)
        let atCage = engine.feed(4.5, minute: 0)
        #expect(atCage.map(\.ruleID) == ["do_aq"])
        let atBeach = engine.feed(4.5, minute: 0, sensor: "cc-wq-01", site: "cat_co")
        #expect(atBeach.isEmpty)
        #expect(engine.feed(3.9, minute: 1, sensor: "cc-wq-01", site: "cat_co").map(\.ruleID) == ["do_beach"])
        // A site of unknown kind matches only rules without a site-kind filter.
        #expect(engine.feed(1, minute: 2, sensor: "x", site: "somewhere").isEmpty)
        #expect(engine.rules(sensor: "x", site: F.site, metric: "do").map(\.id) == ["do_aq"])
    }

    @Test("A reading older than the last one judged is ignored")
    func lateReadingIgnored() {
        var engine = F.engine(F.rule())
        #expect(engine.feed(4.0, minute: 10).notices == [.raised])
        #expect(engine.feed(6.0, minute: 5).isEmpty)
        #expect(engine.record(rule: "do_low", sensor: F.sensor)?.state == .firing)
    }

    @Test("Each occurrence gets its own id; the pair keeps one state")
    func alertIDsPerOccurrence() {
        var engine = F.engine(F.rule())
        let first = engine.feed([4, 6])
        let second = engine.feed([4, 6], from: 10)
        #expect(first.notices == [.raised, .resolved])
        #expect(second.notices == [.raised, .resolved])
        #expect(first[0].alertID != second[0].alertID)
        #expect(second[0].alertID == "do_low:lh-wq-01:\(F.minutes(10).milliseconds)")
        #expect(engine.exportState().count == 1)
    }
}
