/// How urgent an alert is. Ordered: info < warning < critical.
package enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case info
    case warning
    case critical

    package static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    /// syslog / journal priority of a notice at this severity: critical `<2>`, warning `<4>`,
    /// info `<6>` (resolved notices use `<5>`, see `AlertTransition.journalPriority`).
    package var syslogPriority: Int {
        switch self {
        case .info: 6
        case .warning: 4
        case .critical: 2
        }
    }

    package var nameVietnamese: String {
        switch self {
        case .info: "thông tin"
        case .warning: "cảnh báo"
        case .critical: "khẩn cấp"
        }
    }
}

/// The kind of a site (config `sites[].kind`). Open: the config may name kinds this list lacks.
package struct SiteKind: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
    package var description: String { rawValue }

    /// Cage farms: QCVN 10 column "nuôi trồng thủy sản, bảo tồn thủy sinh".
    package static let aquaculture = SiteKind("aquaculture")
    /// Bathing beaches: QCVN 10 column "bãi tắm, thể thao dưới nước".
    package static let beach = SiteKind("beach")
    package static let town = SiteKind("town")
    package static let port = SiteKind("port")
    package static let coast = SiteKind("coast")
    package static let island = SiteKind("island")
}

/// A stricter level of the same condition that raises the severity of a firing alert, e.g. a DO
/// rule `below(5)` at warning with `AlertEscalation(.critical, when: .below(4, clear: 4.2))`.
/// The alert keeps its id; the engine emits `escalated` and, when the value recovers past the
/// escalation's clear level, `deescalated`.
package struct AlertEscalation: Hashable, Sendable {
    package var severity: AlertSeverity
    /// Must be of the rule's own kind.
    package var condition: AlertCondition

    package init(_ severity: AlertSeverity, when condition: AlertCondition) {
        self.severity = severity
        self.condition = condition
    }
}

/// Flap suppression: `transitions` raise/resolve edges within `window` turn the alert into
/// `flapping` (one notice); no further notices until no edge happened for `quiet`, then one
/// `flapping_ended` notice and normal behaviour.
package struct FlapSuppression: Hashable, Sendable {
    package var transitions: Int
    package var window: Duration
    package var quiet: Duration

    package init(transitions: Int, window: Duration, quiet: Duration) {
        self.transitions = transitions
        self.window = window
        self.quiet = quiet
    }
}

/// What value an air rule is judged on. The engine never averages: for `rollingMean` the caller
/// computes the mean from roll-ups and passes it to `AlertEngine.observe(rule:…)`.
package enum AlertAggregation: Hashable, Sendable {
    /// Each usable reading as it arrives (`AlertEngine.observe(_:site:)` feeds these rules).
    case latest
    /// The mean over the trailing window (QCVN 05: 1 h, 8 h, 24 h), supplied by the caller.
    case rollingMean(Duration)

    /// Config spelling: `latest`, `mean_1h`, `mean_8h`, `mean_24h` (other windows `mean_<n>m`).
    package var name: String {
        switch self {
        case .latest: return "latest"
        case .rollingMean(let window):
            let minutes = window.wholeMilliseconds / 60_000
            return minutes % 60 == 0 ? "mean_\(minutes / 60)h" : "mean_\(minutes)m"
        }
    }
}

/// One alert rule. Pure data: the config builds it, `AlertEngine` runs it.
package struct AlertRule: Hashable, Sendable, Identifiable {
    /// Unique, stable across restarts (state is keyed by it); letters, digits, `_`, `-`, `.`.
    package var id: String
    package var condition: AlertCondition
    /// Metric id; a glob (e.g. `*`) only for `no_data` and `qc_fault`. `aqi` rules use the virtual
    /// metric `aqi`.
    package var metric: GlobPattern
    package var sensors: GlobPattern
    package var sites: GlobPattern
    /// Only sites of these kinds; empty means any site.
    package var siteKinds: Set<SiteKind>
    package var severity: AlertSeverity
    package var escalation: AlertEscalation?
    /// How long the condition must hold before the alert fires (state `pending` meanwhile).
    package var forDuration: Duration
    /// Re-notify a firing, unacknowledged alert this often (nil: never).
    package var repeatInterval: Duration?
    package var flapSuppression: FlapSuppression?
    package var aggregation: AlertAggregation
    /// The regulation or reason behind the threshold, e.g. "QCVN 10-MT:2015/BTNMT, nuôi trồng thủy sản".
    package var basis: String
    package var descriptionVietnamese: String?
    package var descriptionEnglish: String?

    package init(
        id: String, condition: AlertCondition, metric: GlobPattern, sensors: GlobPattern = .any,
        sites: GlobPattern = .any, siteKinds: Set<SiteKind> = [], severity: AlertSeverity = .warning,
        escalation: AlertEscalation? = nil, forDuration: Duration = .zero, repeatInterval: Duration? = nil,
        flapSuppression: FlapSuppression? = nil, aggregation: AlertAggregation = .latest, basis: String,
        descriptionVietnamese: String? = nil, descriptionEnglish: String? = nil
    ) {
        self.id = id
        self.condition = condition
        self.metric = metric
        self.sensors = sensors
        self.sites = sites
        self.siteKinds = siteKinds
        self.severity = severity
        self.escalation = escalation
        self.forDuration = forDuration
        self.repeatInterval = repeatInterval
        self.flapSuppression = flapSuppression
        self.aggregation = aggregation
        self.basis = basis
        self.descriptionVietnamese = descriptionVietnamese
        self.descriptionEnglish = descriptionEnglish
    }

    package var kind: AlertRuleKind { condition.kind }

    /// The severity while escalated, or the base severity.
    package func severity(escalated: Bool) -> AlertSeverity {
        escalated ? (escalation?.severity ?? severity) : severity
    }

    /// Whether the rule watches this series at this site. A nil site kind matches only rules
    /// without a `siteKinds` filter.
    package func applies(sensor: String, site: String, siteKind: SiteKind?, metric: String) -> Bool {
        guard self.metric.matches(metric), sensors.matches(sensor), sites.matches(site) else { return false }
        if siteKinds.isEmpty { return true }
        guard let siteKind else { return false }
        return siteKinds.contains(siteKind)
    }

    /// Problems that make the rule unusable, each naming the field, so the config can report
    /// `alerts[3].clear: …`. Empty when the rule is valid. With a catalogue, the metric must exist.
    package func problems(catalogue: MetricCatalogue? = nil) -> [AlertRuleProblem] {
        var problems: [AlertRuleProblem] = []
        func problem(_ field: String, _ message: String) {
            problems.append(AlertRuleProblem(field: field, message: message))
        }

        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        if id.isEmpty || !id.allSatisfy(allowed.contains) {
            problem("id", "rule id \"\(id)\" must be non-empty and use only letters, digits, _ - .")
        }
        if basis.isEmpty { problem("basis", "every rule names its basis") }
        if condition.isValueCondition && !metric.isLiteral {
            problem("metric", "a \(kind.rawValue) rule needs one metric, not the pattern \"\(metric)\"")
        }
        if kind == .aqi && metric.pattern != "aqi" {
            problem("metric", "an aqi rule watches the virtual metric \"aqi\", not \"\(metric)\"")
        } else if let catalogue, metric.isLiteral, kind != .aqi, catalogue.definition(named: metric.pattern) == nil {
            problem("metric", "unknown metric \"\(metric)\"")
        }
        if forDuration < .zero { problem("for", "must not be negative") }
        if let repeatInterval, repeatInterval <= .zero { problem("repeat", "must be positive") }
        if let flap = flapSuppression {
            if flap.transitions < 2 { problem("flap.transitions", "must be at least 2") }
            if flap.window <= .zero { problem("flap.window", "must be positive") }
            if flap.quiet <= .zero { problem("flap.quiet", "must be positive") }
        }
        if case .rollingMean(let window) = aggregation {
            if window <= .zero { problem("aggregation", "the mean window must be positive") }
            if !condition.isValueCondition { problem("aggregation", "a \(kind.rawValue) rule has no value to average") }
        }
        problems += Self.conditionProblems(condition, field: "")
        if let escalation {
            if escalation.condition.kind != kind {
                problem("escalation", "must be a \(kind.rawValue) condition like its rule")
            } else {
                problems += Self.conditionProblems(escalation.condition, field: "escalation.")
            }
            if escalation.severity <= severity {
                problem("escalation.severity", "must be above the rule's severity (\(severity.rawValue))")
            }
        }
        return problems
    }

    private static func conditionProblems(_ condition: AlertCondition, field prefix: String) -> [AlertRuleProblem] {
        var problems: [AlertRuleProblem] = []
        func problem(_ field: String, _ message: String) {
            problems.append(AlertRuleProblem(field: prefix + field, message: message))
        }
        func finite(_ values: Double?...) -> Bool { values.allSatisfy { $0?.isFinite ?? true } }
        switch condition {
        case .above(let threshold, let clear, _):
            if !finite(threshold, clear) { problem("threshold", "must be finite") }
            if let clear, clear > threshold { problem("clear", "clear level \(clear) must not be above \(threshold)") }
        case .below(let threshold, let clear, _):
            if !finite(threshold, clear) { problem("threshold", "must be finite") }
            if let clear, clear < threshold { problem("clear", "clear level \(clear) must not be below \(threshold)") }
        // An outside band is written `low`, `high`, `clear_low`, `clear_high`: name those.
        case .outside(let low, let high, let clearLow, let clearHigh):
            if !finite(low, high, clearLow, clearHigh) { problem("low", "the band's limits must be finite") }
            if low >= high { problem("low", "band low \(low) must be below high \(high)") }
            if let clearLow, clearLow < low { problem("clear_low", "clear band must lie inside the band") }
            if let clearHigh, clearHigh > high { problem("clear_high", "clear band must lie inside the band") }
            if clearLow != nil || clearHigh != nil, (clearLow ?? low) > (clearHigh ?? high) {
                problem(clearLow != nil ? "clear_low" : "clear_high", "clear band is empty")
            }
        case .rate(let change, let window, _, let clear):
            if !finite(change, clear) || change <= 0 { problem("threshold", "the change must be positive") }
            if window <= .zero { problem("window", "must be positive") }
            if let clear, clear > change { problem("clear", "clear level \(clear) must not be above \(change)") }
        case .noData(let after):
            if after <= .zero { problem("after", "must be positive") }
        case .qcFault(let consecutive, let lasting):
            if consecutive == nil && lasting == nil { problem("consecutive", "give consecutive, lasting or both") }
            if let consecutive, consecutive < 1 { problem("consecutive", "must be at least 1") }
            if let lasting, lasting <= .zero { problem("lasting", "must be positive") }
        case .aqi(let level, let clear):
            if let clear, !(clear.isFinite && clear < Double(level.lowerBound)) {
                problem("clear", "clear level must be below \(level.lowerBound)")
            }
        }
        return problems
    }
}

/// One reason a rule is invalid; `field` is relative to the rule (e.g. `escalation.clear`).
package struct AlertRuleProblem: Hashable, Sendable, CustomStringConvertible {
    package var field: String
    package var message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    package var description: String { "\(field): \(message)" }
}
