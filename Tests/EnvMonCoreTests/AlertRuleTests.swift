import Testing

@testable import EnvMonCore

@Suite("GlobPattern")
struct GlobPatternTests {
    @Test(
        "Matches * and ? over whole names",
        arguments: [
            ("*", "", true), ("*", "lh-wq-01", true), ("lh-*", "lh-wq-01", true), ("lh-*", "bb-wq-01", false),
            ("*-wq-0?", "lh-wq-01", true), ("*-wq-0?", "lh-wq-010", false), ("?", "", false), ("??", "ab", true),
            ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("a**c", "ac", true), ("*a", "banana", true),
            ("*an*an*", "banana", true), ("lan_ha", "lan_ha", true), ("lan_ha", "Lan_ha", false),
            ("đảo_*", "đảo_cát_hải", true), ("*x", "", false),
        ])
    func matching(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test("Literal patterns are recognised; equality is by text")
    func literal() {
        #expect(GlobPattern("do").isLiteral)
        #expect(!GlobPattern("d?").isLiteral)
        #expect(!GlobPattern.any.isLiteral)
        #expect(GlobPattern("lh-*") == "lh-*")
        #expect(GlobPattern("lh-*").description == "lh-*")
    }

    @Test("A long pathological pattern stays fast")
    func noExponentialBacktracking() {
        let name = String(repeating: "a", count: 2000)
        #expect(!GlobPattern(String(repeating: "*a", count: 30) + "b").matches(name))
    }
}

@Suite("AlertRule")
struct AlertRuleTests {
    typealias F = AlertFixture

    static func fields(_ rule: AlertRule) -> [String] { rule.problems(catalogue: .standard).map(\.field) }

    @Test("Kinds and their config spellings")
    func kinds() {
        #expect(
            AlertRuleKind.allCases.map(\.rawValue) == [
                "above", "below", "outside", "rate", "no_data", "qc_fault", "aqi",
            ])
        #expect(AlertCondition.noData(after: .seconds(60)).kind == .noData)
        #expect(AlertCondition.aqi(atLeast: .bad).kind == .aqi)
        #expect(!AlertCondition.qcFault(consecutive: 3).isValueCondition)
        #expect(AlertCondition.rate(change: 1, window: .seconds(60)).isValueCondition)
    }

    @Test("Thresholds and clear levels as shown to people")
    func thresholds() {
        #expect(AlertCondition.below(5, clear: 5.3).clearLevel == 5.3)
        #expect(AlertCondition.above(50).clearLevel == 50)
        #expect(AlertCondition.aqi(atLeast: .bad).threshold() == 151)
        #expect(AlertCondition.aqi(atLeast: .bad).clearLevel == 150)
        #expect(AlertCondition.noData(after: .seconds(900)).threshold() == 900)
        #expect(AlertCondition.qcFault(lasting: .seconds(1800)).threshold() == 1800)
        #expect(AlertCondition.outside(low: 6.5, high: 8.5).threshold(near: 9) == 8.5)
        #expect(AlertCondition.outside(low: 6.5, high: 8.5).threshold(near: 6) == 6.5)
    }

    @Test("Severity order, journal priority and Vietnamese wording")
    func severities() {
        #expect(AlertSeverity.info < .warning && AlertSeverity.warning < .critical)
        #expect(AlertSeverity.allCases.map(\.syslogPriority) == [6, 4, 2])
        #expect(AlertSeverity.critical.nameVietnamese == "khẩn cấp")
    }

    @Test("applies: metric, sensor and site globs, and the site-kind filter")
    func applies() {
        let rule = F.rule(siteKinds: [.aquaculture, .beach], sensors: "*-wq-*", sites: "c*")
        #expect(rule.applies(sensor: "cc-wq-01", site: "cat_co", siteKind: .beach, metric: "do"))
        #expect(!rule.applies(sensor: "cc-wq-01", site: "cat_co", siteKind: .beach, metric: "ph"))
        #expect(!rule.applies(sensor: "cc-do-01", site: "cat_co", siteKind: .beach, metric: "do"))
        #expect(!rule.applies(sensor: "cc-wq-01", site: "lan_ha", siteKind: .aquaculture, metric: "do"))
        #expect(!rule.applies(sensor: "cc-wq-01", site: "cat_co", siteKind: .town, metric: "do"))
        #expect(!rule.applies(sensor: "cc-wq-01", site: "cat_co", siteKind: nil, metric: "do"))
        #expect(F.rule().applies(sensor: "x", site: "y", siteKind: nil, metric: "do"))
    }

    @Test("A valid rule has no problems")
    func valid() {
        #expect(F.rule().problems(catalogue: .standard).isEmpty)
        #expect(
            F.rule(
                severity: .warning, escalation: AlertEscalation(.critical, when: .below(4, clear: 4.2)),
                for: .seconds(300), repeat: .seconds(1800),
                flap: FlapSuppression(transitions: 6, window: .seconds(3600), quiet: .seconds(1800))
            ).problems(catalogue: .standard).isEmpty)
    }

    @Test("Each mistake is reported against its field")
    func problems() {
        #expect(Self.fields(F.rule("bad id!")) == ["id"])
        #expect(Self.fields(F.rule("a:b")) == ["id"])
        #expect(Self.fields(F.rule(metric: "temprature")) == ["metric"])
        #expect(Self.fields(F.rule(metric: "d*")) == ["metric"])
        #expect(Self.fields(F.rule("x", .above(5, clear: 6))) == ["clear"])
        #expect(Self.fields(F.rule("x", .below(5, clear: 4))) == ["clear"])
        #expect(Self.fields(F.rule("x", .below(.nan))) == ["threshold"])
        #expect(Self.fields(F.rule("x", .outside(low: 8, high: 6))) == ["low"])
        #expect(Self.fields(F.rule("x", .outside(low: 6, high: 8, clearLow: 5))) == ["clear_low"])
        #expect(Self.fields(F.rule("x", .rate(change: 0, window: .zero))) == ["threshold", "window"])
        #expect(Self.fields(F.rule("x", .noData(after: .zero), metric: "*")) == ["after"])
        #expect(Self.fields(F.rule("x", .qcFault(), metric: "*")) == ["consecutive"])
        #expect(Self.fields(F.rule("x", .qcFault(consecutive: 0), metric: "*")) == ["consecutive"])
        #expect(Self.fields(F.rule("x", .aqi(atLeast: .bad), metric: "pm25")) == ["metric"])
        #expect(Self.fields(F.rule("x", .aqi(atLeast: .bad, clear: 160), metric: "aqi")) == ["clear"])
        #expect(Self.fields(F.rule(for: .seconds(-1))) == ["for"])
        #expect(Self.fields(F.rule(repeat: .zero)) == ["repeat"])
        #expect(
            Self.fields(F.rule(flap: FlapSuppression(transitions: 1, window: .zero, quiet: .zero)))
                == ["flap.transitions", "flap.window", "flap.quiet"])
        #expect(
            Self.fields(
                F.rule("x", .noData(after: .seconds(60)), metric: "*", aggregation: .rollingMean(.seconds(3600)))) == [
                    "aggregation"
                ])
        #expect(
            Self.fields(F.rule(severity: .warning, escalation: AlertEscalation(.critical, when: .above(9)))) == [
                "escalation"
            ])
        #expect(Self.fields(F.rule(escalation: AlertEscalation(.critical, when: .below(4)))) == ["escalation.severity"])
        #expect(
            Self.fields(F.rule(severity: .warning, escalation: AlertEscalation(.critical, when: .below(4, clear: 3))))
                == ["escalation.clear"])
        var noBasis = F.rule()
        noBasis.basis = ""
        #expect(Self.fields(noBasis) == ["basis"])
        #expect(F.rule(metric: "temprature").problems().isEmpty)  // no catalogue, no metric check
        #expect(AlertRuleProblem(field: "clear", message: "m").description == "clear: m")
    }
}
