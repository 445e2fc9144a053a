/// The state of one (rule, sensor) pair.
///
/// `inactive → pending → firing → resolved → (inactive)`; `flapping` replaces pending/firing/
/// resolved while flap suppression holds the notices back. Acknowledgement is a flag on a firing
/// or flapping alert, not a state. `resolved` appears only as the target of a transition: the pair
/// itself is `inactive` again right after.
package enum AlertState: String, Sendable, Hashable, CaseIterable, Codable {
    case inactive
    case pending
    case firing
    case resolved
    case flapping

    /// Firing or flapping: an alert exists that operators can see and acknowledge.
    package var isActive: Bool { self == .firing || self == .flapping }
}

/// Why a transition was emitted.
package enum AlertNotice: String, Sendable, Hashable, CaseIterable, Codable {
    /// The condition started to hold; the alert waits for its `for` duration. Not a notification.
    case pending
    /// The condition stopped holding before the `for` duration elapsed. Not a notification.
    case cancelled
    case raised
    /// Severity went up within the alert (e.g. warning → critical); clears an acknowledgement.
    case escalated
    /// Severity went back down within the alert (the value recovered past the escalation's
    /// clear level but not past the rule's).
    case deescalated
    /// Re-notification of a firing, unacknowledged alert after the repeat interval.
    case repeated
    case resolved
    case acknowledged
    /// Too many raise/resolve edges within the window: notices stop until it is quiet.
    case flapping
    /// Quiet for the quiet period: the alert is `firing` (condition holds) or `resolved`.
    case flappingEnded = "flapping_ended"

    /// Whether operators should be told (journal at its severity, MQTT event, alert log). pending
    /// and cancelled only track state (debug log, retained MQTT state if wanted).
    package var isNotification: Bool { self != .pending && self != .cancelled }
}

/// One change of an alert, emitted by `AlertEngine`: a journal line, an MQTT event and an
/// alert-log row.
package struct AlertTransition: Hashable, Sendable {
    /// Stable id of the occurrence, `<rule>:<sensor>:<start ms>`, where start is when the
    /// condition began to hold (the pending start, or the raise time without a `for` duration).
    package var alertID: String
    package var ruleID: String
    package var kind: AlertRuleKind
    package var sensor: String
    package var site: String
    /// The metric id (for `no_data`/`qc_fault` rules with a metric pattern: the pattern, or the
    /// failing metric for qc_fault).
    package var metric: String
    package var from: AlertState
    package var to: AlertState
    package var notice: AlertNotice
    package var severity: AlertSeverity
    /// What was judged: the value or mean (metric unit), the change over the window (`rate`),
    /// seconds since the last reading (`no_data`; nil when never reported), the number of
    /// consecutive fail flags (`qc_fault`), the AQI (`aqi`).
    package var value: Double?
    /// The level crossed, in the same unit as `value` (for an escalation: the escalation's).
    package var threshold: Double
    package var basis: String
    /// When the transition happened: the reading's time, or `now` of the tick that found it.
    package var at: Timestamp
    /// When the alert was raised (nil before it fired).
    package var raisedAt: Timestamp?
    /// Last reading of the sensor (`no_data` rules); nil means it never reported.
    package var lastSeenAt: Timestamp?
    package var acknowledgedBy: String?
    package var acknowledgedAt: Timestamp?
    package var acknowledgementNote: String?

    package init(
        alertID: String, ruleID: String, kind: AlertRuleKind, sensor: String, site: String, metric: String,
        from: AlertState, to: AlertState, notice: AlertNotice, severity: AlertSeverity, value: Double?,
        threshold: Double, basis: String, at: Timestamp, raisedAt: Timestamp? = nil, lastSeenAt: Timestamp? = nil,
        acknowledgedBy: String? = nil, acknowledgedAt: Timestamp? = nil, acknowledgementNote: String? = nil
    ) {
        self.alertID = alertID
        self.ruleID = ruleID
        self.kind = kind
        self.sensor = sensor
        self.site = site
        self.metric = metric
        self.from = from
        self.to = to
        self.notice = notice
        self.severity = severity
        self.value = value
        self.threshold = threshold
        self.basis = basis
        self.at = at
        self.raisedAt = raisedAt
        self.lastSeenAt = lastSeenAt
        self.acknowledgedBy = acknowledgedBy
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgementNote = acknowledgementNote
    }

    /// Journal priority (`<N>` prefix): 2 critical, 4 warning, 6 info; resolved, flapping_ended
    /// and acknowledged 5 (notice); pending/cancelled 7 (debug).
    package var journalPriority: Int {
        switch notice {
        case .pending, .cancelled: 7
        case .resolved, .acknowledged, .flappingEnded: 5
        default: severity.syslogPriority
        }
    }

    /// The unit `value` and `threshold` are in: `s` for no_data, empty for qc_fault (a count) and
    /// aqi, the metric's canonical unit otherwise (empty if unknown).
    package func unit(in catalogue: MetricCatalogue) -> String {
        switch kind {
        case .noData: "s"
        case .qcFault, .aqi: ""
        default: catalogue.definition(named: metric)?.unit ?? ""
        }
    }

    /// A line a person can read in the journal: what, where, value with unit, threshold, basis and
    /// alert id. Vietnamese metric names come from the catalogue.
    ///
    /// `[CRITICAL] raised do_low_aquaculture: Oxy hòa tan (DO) 4.2 mg/L (ngưỡng 5 mg/L) at lh-wq-01
    /// (lan_ha); basis QCVN 10-MT:2015/BTNMT …; id do_low_aquaculture:lh-wq-01:1751328000000`
    package func journalText(catalogue: MetricCatalogue) -> String {
        let unit = unit(in: catalogue)
        let suffix = unit.isEmpty ? "" : " " + unit
        let name: String =
            switch kind {
            case .noData: "no data"
            case .qcFault: "QC fault"
            case .aqi: "VN_AQI"
            default: catalogue.definition(named: metric)?.nameVietnamese ?? metric
            }
        var what = "\(name)"
        switch kind {
        case .noData:
            what += value.map { " for \(AlertTransition.format($0))\(suffix)" } ?? " (never reported)"
        case .qcFault:
            what += " (\(metric)): \(value.map(AlertTransition.format) ?? "?") fail flags"
        case .rate:
            what += " changed \(value.map(AlertTransition.format) ?? "?")\(suffix)"
        default:
            what += " \(value.map(AlertTransition.format) ?? "?")\(suffix)"
        }
        what += " (ngưỡng \(AlertTransition.format(threshold))\(suffix))"
        var line = "[\(severity.rawValue.uppercased())] \(notice.rawValue) \(ruleID): \(what) at \(sensor) (\(site))"
        if notice == .acknowledged, let acknowledgedBy {
            line += "; acknowledged by \(acknowledgedBy)"
            if let acknowledgementNote, !acknowledgementNote.isEmpty { line += ": \(acknowledgementNote)" }
        }
        line += "; basis \(basis); id \(alertID)"
        return line
    }

    /// Up to three decimals, trailing zeros dropped (4.2, 0.105, 17.25, 900).
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let scaled = (abs(value) * 1000).rounded()
        let whole = Int64(scaled / 1000)
        var fraction = Int64(scaled) % 1000
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = 3
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let raw = String(fraction)
            text += "." + String(repeating: "0", count: digits - raw.count) + raw
        }
        return text
    }
}
