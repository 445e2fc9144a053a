internal import EnvMonCore

extension ConfigurationBuilder {
    /// `[[alerts]]` rules. Without any, the built-in Cát Hải defaults apply; with
    /// `[alerting] include_defaults = true` the file's rules add to (and by id replace) them.
    func readAlertRules(
        _ top: TableReader, catalogue: MetricCatalogue, sensors: [String]
    ) -> (rules: [AlertRule], settings: AlertingSettings) {
        var settings = AlertingSettings()
        if let alerting = top.table("alerting") {
            if let value = alerting.bool("include_defaults") { settings.includeDefaults = value }
            if let value = alerting.duration("evaluation_interval") { settings.evaluationInterval = value }
            if let value = alerting.bool("publish_mqtt") { settings.publishMQTT = value }
            alerting.rejectUnknownKeys()
        }
        let tables = top.tables("alerts")
        var rules: [AlertRule] = []
        let known = Set(sensors)
        for table in tables {
            if let rule = readAlertRule(table, catalogue: catalogue) {
                // A rule naming one sensor that is not configured would never fire: a typo.
                if rule.sensors.isLiteral, !known.contains(rule.sensors.pattern) {
                    reader.report(
                        table.keyPath("sensors"), "no configured sensor is called \"\(rule.sensors.pattern)\"")
                }
                rules.append(rule)
            }
            table.rejectUnknownKeys()
        }
        var seen: Set<String> = []
        for (index, rule) in rules.enumerated() where !seen.insert(rule.id).inserted {
            reader.report("alerts[\(index)].id", "duplicate rule id \"\(rule.id)\"")
        }

        if tables.isEmpty || settings.includeDefaults {
            let own = Set(rules.map(\.id))
            rules = DefaultAlertRules.catHai.filter { !own.contains($0.id) } + rules
        }
        return (rules, settings)
    }

    private func readAlertRule(_ table: TableReader, catalogue: MetricCatalogue) -> AlertRule? {
        guard let id = table.requiredString("id"), let kindText = table.requiredString("kind") else { return nil }
        guard let kind = AlertRuleKind(rawValue: kindText) else {
            reader.report(
                table.keyPath("kind"),
                "\"\(kindText)\" is not one of \(AlertRuleKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))"
            )
            return nil
        }
        let metric = table.string("metric") ?? (kind == .aqi ? "aqi" : kind == .noData || kind == .qcFault ? "*" : "")
        if metric.isEmpty { reader.report(table.keyPath("metric"), "is required") }
        guard let condition = readCondition(kind, table, prefix: "") else { return nil }
        let escalation: AlertEscalation? = {
            guard let severityText = table.string("escalate_to") else { return nil }
            guard let severity = AlertSeverity(rawValue: severityText) else {
                reader.report(
                    table.keyPath("escalate_to"),
                    "\"\(severityText)\" is not one of \"info\", \"warning\", \"critical\"")
                return nil
            }
            return readCondition(kind, table, prefix: "escalate_").map { AlertEscalation(severity, when: $0) }
        }()
        var flap: FlapSuppression?
        if let transitions = table.integer("flap_transitions", in: 2...1000) {
            flap = FlapSuppression(
                transitions: transitions, window: table.duration("flap_window") ?? .seconds(3600),
                quiet: table.duration("flap_quiet") ?? .seconds(1800))
        }
        var aggregation = AlertAggregation.latest
        if let text = table.string("aggregation") {
            if text == "latest" {
                aggregation = .latest
            } else if text.hasPrefix("mean_"), let window = DurationText.parse(String(text.dropFirst(5))),
                window > .zero
            {
                aggregation = .rollingMean(window)
            } else {
                reader.report(
                    table.keyPath("aggregation"),
                    "\"\(text)\" is not \"latest\" or \"mean_<duration>\" (e.g. \"mean_24h\")")
            }
        }
        let severity = table.choice("severity", as: AlertSeverity.self) ?? .warning
        let siteKinds = (table.stringArray("site_kinds") ?? []).enumerated().compactMap { index, text -> SiteKind? in
            guard SiteSettings.Kind(rawValue: text) != nil else {
                reader.report("\(table.keyPath("site_kinds"))[\(index)]", "unknown site kind \"\(text)\"")
                return nil
            }
            return SiteKind(text)
        }
        guard let basis = table.requiredString("basis") else { return nil }
        let rule = AlertRule(
            id: id, condition: condition, metric: GlobPattern(metric),
            sensors: GlobPattern(table.string("sensors") ?? "*"),
            sites: GlobPattern(table.string("sites") ?? "*"), siteKinds: Set(siteKinds), severity: severity,
            escalation: escalation, forDuration: table.duration("for") ?? .zero,
            repeatInterval: table.duration("repeat"),
            flapSuppression: flap, aggregation: aggregation, basis: basis,
            descriptionVietnamese: table.string("description_vi"), descriptionEnglish: table.string("description_en"))
        for problem in rule.problems(catalogue: catalogue) {
            reader.report(table.keyPath(Self.configKey(forRuleField: problem.field)), problem.message)
        }
        return rule
    }

    /// The condition of a rule kind from its keys; `prefix` reads the escalation's own keys
    /// (`escalate_threshold`, `escalate_clear`, ...).
    private func readCondition(_ kind: AlertRuleKind, _ table: TableReader, prefix: String) -> AlertCondition? {
        func required(_ key: String) -> Double? {
            guard table.has(prefix + key) else {
                reader.report(table.keyPath(prefix + key), "is required for a \"\(kind.rawValue)\" rule")
                return nil
            }
            return table.number(prefix + key)
        }
        switch kind {
        case .above, .below:
            guard let threshold = required("threshold") else { return nil }
            let clear = table.number(prefix + "clear")
            let inclusive = table.bool(prefix + "inclusive") ?? false
            return kind == .above
                ? .above(threshold, clear: clear, inclusive: inclusive)
                : .below(threshold, clear: clear, inclusive: inclusive)
        case .outside:
            guard let low = required("low"), let high = required("high") else { return nil }
            return .outside(
                low: low, high: high, clearLow: table.number(prefix + "clear_low"),
                clearHigh: table.number(prefix + "clear_high"))
        case .rate:
            guard let change = required("change") else { return nil }
            let direction = table.choice(prefix + "direction", as: RateDirection.self) ?? .either
            return .rate(
                change: change, window: table.duration(prefix + "window") ?? .seconds(600), direction: direction,
                clear: table.number(prefix + "clear"))
        case .noData:
            guard table.has(prefix + "after") else {
                reader.report(table.keyPath(prefix + "after"), "is required for a \"no_data\" rule")
                return nil
            }
            return table.duration(prefix + "after").map { .noData(after: $0) }
        case .qcFault:
            let consecutive = table.integer(prefix + "consecutive", in: 1...1_000_000)
            let lasting = table.duration(prefix + "lasting")
            if consecutive == nil && lasting == nil {
                reader.report(table.keyPath(prefix + "consecutive"), "a \"qc_fault\" rule needs consecutive or lasting")
                return nil
            }
            return .qcFault(consecutive: consecutive, lasting: lasting)
        case .aqi:
            guard let text = table.string(prefix + "category") else {
                reader.report(table.keyPath(prefix + "category"), "is required for an \"aqi\" rule")
                return nil
            }
            guard let category = VNAQI.Category(name: text) else {
                reader.report(
                    table.keyPath(prefix + "category"), "\"\(text)\" is not a VN_AQI category (e.g. \"bad\", \"xấu\")")
                return nil
            }
            return .aqi(atLeast: category, clear: table.number(prefix + "clear"))
        }
    }

    /// The key in `[[alerts]]` that holds an `AlertRule` field: the escalation is written flat in
    /// the file (`escalate_to`, `escalate_threshold`, …), not as an `escalation` table.
    static func configKey(forRuleField field: String) -> String {
        if field == "escalation" || field == "escalation.severity" { return "escalate_to" }
        if field.hasPrefix("escalation.") { return "escalate_" + field.dropFirst("escalation.".count) }
        return field
    }
}
