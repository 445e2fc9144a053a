internal import EnvMonConfig
internal import EnvMonCore
internal import EnvMonJSON
internal import EnvMonStore

/// `/alerts`: active alerts (with the acknowledgement form for staff) and recent ones;
/// `/alerts/<id>`: one alert's history.
enum AlertsPage {
    /// The outcome of an acknowledgement, shown once after the redirect.
    enum Outcome: String { case applied, queued, refused }

    static func render(
        active: [AlertRecord], recent: [AlertRecord], outcome: Outcome?, detail: String?, frame: PageFrame
    ) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<h1>\(e(words.alerts))</h1>"
        if let outcome {
            let text =
                switch outcome {
                case .applied: words.ackApplied
                case .queued: words.ackQueued
                case .refused: words.ackRefused
                }
            html +=
                "<p class=\"flash \(outcome.rawValue)\" id=\"ack-outcome\">\(e(text))\(detail.map { ": " + e($0) } ?? "")</p>"
        }
        html += activeTable(active, frame: frame, withForms: true)
        html += "<h2>\(e(words.recentAlerts))</h2>"
        html += table(recent, frame: frame, id: "recent-alerts", withForms: false)
        return PageLayout.render(frame, title: words.alerts, active: "alerts", body: html)
    }

    /// The active alerts, kept current by the live script (rows keyed by alert id). With
    /// `withForms`, a logged-in user gets the acknowledgement form in each row, and the live
    /// script clones the form's template for alerts that appear later.
    static func activeTable(
        _ alerts: [AlertRecord], frame: PageFrame, withForms: Bool, site: String? = nil
    )
        -> String
    {
        let words = frame.words
        var html = "<section class=\"active-alerts\"><h2>\(PageLayout.escape(words.activeAlerts))</h2>"
        html += "<p class=\"empty\" id=\"no-active-alerts\"\(alerts.isEmpty ? "" : " hidden")>"
        html += "\(PageLayout.escape(words.noActiveAlerts))</p>"
        html += table(alerts, frame: frame, id: "active-alerts", withForms: withForms, site: site)
        if withForms && frame.user != nil {
            html += "<template id=\"ack-template\">\(ackForm(alertID: "", frame: frame))</template>"
        }
        return html + "</section>"
    }

    static func table(
        _ alerts: [AlertRecord], frame: PageFrame, id: String, withForms: Bool, site: String? = nil
    ) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<table id=\"\(id)\" data-forms=\"\(withForms && frame.user != nil ? "1" : "0")\""
        html += site.map { " data-site-filter=\"\(e($0))\"" } ?? ""
        html += "><thead><tr><th>\(e(words.severity))</th><th>\(e(words.state))</th><th>\(e(words.rule))</th>"
        html += "<th>\(e(words.site))</th><th>\(e(words.sensor))</th><th>\(e(words.value))</th>"
        html += "<th>\(e(words.threshold))</th><th>\(e(words.raised))</th><th>\(e(words.acknowledgedBy))</th>"
        if withForms { html += "<th>\(e(words.acknowledge))</th>" }
        html += "</tr></thead><tbody>"
        for alert in alerts {
            html += "<tr class=\"alert severity-\(alert.severity.rawValue)\" data-alert-id=\"\(e(alert.id))\">"
            html += "<td>\(e(alert.severity.rawValue))</td><td>\(e(alert.state.rawValue))</td>"
            html += "<td><a href=\"/alerts/\(PageLayout.percentEncode(alert.id))\">\(e(alert.rule))</a></td>"
            html += "<td>\(e(alert.site))</td><td>\(e(alert.sensor))</td>"
            html += "<td class=\"num\">\(alert.value.map { e(DisplayText.value($0)) } ?? "–")</td>"
            html += "<td class=\"num\">\(e(DisplayText.value(alert.threshold)))</td>"
            html += "<td>\(PageLayout.time(alert.raisedAt))</td><td>\(e(alert.acknowledgedBy ?? "–"))</td>"
            if withForms {
                html += "<td>"
                if alert.state.isActive && alert.acknowledgedBy == nil {
                    html +=
                        frame.user == nil
                        ? "<a href=\"/login?next=/alerts\">\(e(words.logInToAcknowledge))</a>"
                        : ackForm(alertID: alert.id, frame: frame)
                }
                html += "</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>"
    }

    static func ackForm(alertID: String, frame: PageFrame) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<form method=\"post\" action=\"/alerts/ack\" class=\"ack\">"
        html +=
            "<input type=\"hidden\" name=\"alert_id\" value=\"\(e(alertID))\">\(PageLayout.hiddenToken(frame.csrfToken))"
        html += "<input type=\"text\" name=\"note\" maxlength=\"1000\" placeholder=\"\(e(words.note))\">"
        html += "<button type=\"submit\">\(e(words.acknowledge))</button></form>"
        return html
    }

    static func history(_ alert: AlertRecord, entries: [AlertLogEntry], frame: PageFrame) -> String {
        let words = frame.words
        let e = PageLayout.escape
        var html = "<h1>\(e(alert.rule)) · \(e(alert.sensor))</h1>"
        html += table([alert], frame: frame, id: "alert", withForms: true)
        html += "<h2>\(e(words.history))</h2><table id=\"alert-history\"><thead><tr><th>\(e(words.time))</th>"
        html += "<th>\(e(words.notice))</th><th>\(e(words.state))</th><th>\(e(words.value))</th>"
        html += "<th>\(e(words.by))</th><th>\(e(words.note))</th></tr></thead><tbody>"
        for entry in entries {
            html += "<tr><td>\(PageLayout.time(entry.at))</td><td>\(e(entry.notice.rawValue))</td>"
            html += "<td>\(e(entry.from.rawValue)) → \(e(entry.to.rawValue))</td>"
            html += "<td class=\"num\">\(entry.value.map { e(DisplayText.value($0)) } ?? "–")</td>"
            html += "<td>\(e(entry.actor ?? "–"))</td><td>\(e(entry.note ?? ""))</td></tr>"
        }
        html += "</tbody></table>"
        return PageLayout.render(frame, title: alert.rule, active: "alerts", body: html)
    }
}
